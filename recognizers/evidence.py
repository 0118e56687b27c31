"""Names found by the words themselves, in any case: the vocabulary layer under the cue patterns.

The cue patterns of :mod:`recognizers.names` need a title, a role or a verb; spaCy needs
capitals. Neither sees "hi , andrew ." in a lower-case transcript or "PT SEEN BY ANNA KOWAL"
in an ALL-CAPS note. This layer weighs what a word is, whatever its case.

Decision rule (PERSON):

* A word is **strong** evidence when it is a US Census first name or surname and nothing
  else: not a lower-case entry of a full English dictionary (Webster's Second, 210,000
  words), not one of the 5,000 most frequent English words, not a stop, clinical,
  allow-listed or drug word (:func:`recognizers.lexicon.plain_names`). "andrew", "KOWAL",
  "Teresa" are; "will", "grace", "miller", "lasix" are not.
* A word is **weak** evidence when it is a census name that is also an everyday word
  ("miller", "grace", "brown"), but no stop, clinical or allow-listed word.
* A strong word is a name. A weak word joins it when it stands right next to it, on the
  same line, in the position its list allows: a first name before it ("grace KOWAL"),
  a surname after it ("nicole miller"), with an optional middle initial between.
* A word stays only on positive evidence that it is not a name; an eponym in its
  medical sense ("Parkinson's disease") and the start of an allow-listed phrase stay.

The rule is measured, not tuned to examples: see the README's accuracy section.
"""

from __future__ import annotations

from functools import cache

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.gazetteer import facility_tail, facility_words, place_first_words, places  # noqa: F401 - facility_words re-exported
from recognizers.lexicon import (
    COMMON_WORDS,
    EPONYM_NOUN,
    allow_list,
    dictionary_names,
    drug_dictionary,
    english_top,
    english_words,
    first_names,
    is_frequent_name,
    near_frequent_word,
    plain_names,
    preload,
    starts_allowed_phrase,
    surnames,
)

# A word: letters, inner apostrophes and hyphens ("o'brien", "smith-jones").
_WORD = regex.compile(r"(?<![\p{L}\p{N}_'’-])\p{L}(?:[\p{L}'’-]*\p{L})?(?![\p{L}\p{N}_])")
# What may stand between two words of one name: blanks, or blanks around a middle initial.
_GAP = regex.compile(r"[ \t]+(?:\p{L}\.?[ \t]+)?")
_POSSESSIVE = regex.compile(r"['’]s$", regex.IGNORECASE)


def _bare(word: str) -> str:
    return _POSSESSIVE.sub("", word).casefold()


def strong(word: str) -> bool:
    """A census name that is nothing else (see the module docstring), nor a form of something else.

    Forms: the plural or inflection of an English word ("staples", "settles"), one typing slip
    from a frequent English word when it is not a first name ("foor", "puls"). A three-letter
    word is an acronym ("VEA", "ASA") unless it is a frequent first name ("amy", "joe").

    Example:
        >>> strong("andrew"), strong("KOWAL"), strong("will"), strong("Miller"), strong("staples"), strong("vea")
        (True, True, False, False, False, False)
    """
    folded = _bare(word)
    if folded not in plain_names():
        return False
    if len(folded) == 3:
        return first_names().get(folded, 10**6) <= 1000
    if first_names().get(folded, 10**6) > 1000 and _inflected(folded):
        return False  # "staples", "settles", "numbers"; frequent first names stay ("james", "charles")
    return folded in first_names() or not near_frequent_word(folded)


def _inflected(folded: str) -> bool:
    """A plural or inflected form of an English word: "staples", "grams", "settles", "lowered"."""
    for ending, replacement in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            stem = folded[: -len(ending)] + replacement
            if stem in english_words() or stem in dictionary_names() or stem in COMMON_WORDS:
                return True
    return False


def weak(word: str, *, position: str) -> bool:
    """A census name that is also an everyday word, allowed in ``position`` ("first" or "last")."""
    folded = _bare(word)
    if len(folded) < 3 or folded in COMMON_WORDS or folded in allow_list().folded or folded.upper() in allow_list().exact:
        return False
    if folded in english_top() and not is_frequent_name(folded):
        return False  # "daily", "lower": everyday words first
    names = first_names() if position == "first" else surnames()
    return folded in names


_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{N}_'’-])\p{L}(?:[\p{L}'’-]*\p{L})?[ \t-]+$")


def _in_allowed_phrase(text: str, start: int) -> bool:
    """An allow-listed phrase starts at ``start`` or at one of the two words before it ("swan ganz")."""
    position = start
    for _ in range(3):
        if starts_allowed_phrase(text, position):
            return True
        before = _WORD_BEFORE.search(text, max(0, position - 30), position)
        if before is None:
            return False
        position = before.start()
    return False


@register
class VocabularyNameRecognizer(ClinicalPatternRecognizer):
    """Census names in any case, weighed by what else each word can be."""

    NAME = "vocabulary_name"
    ENTITY = "PERSON"
    # The pattern only names the findings; :meth:`spans` finds and weighs the words.
    PATTERNS = (Rx("census name, any case", _WORD.pattern, 0.65),)

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        plain_names(), dictionary_names()

    def spans(self, text: str):
        for match in _WORD.finditer(text):
            word = match.group()
            if not strong(word):
                continue
            start, end = match.span()
            if EPONYM_NOUN.match(text[end : end + 30]) or _in_allowed_phrase(text, start):
                continue  # "Parkinson's disease", "Glasgow Coma Scale", "Swan Ganz"
            start, end, joined = self._extend(text, start, end)
            yield start, end, 0.75 if joined else 0.65, self.PATTERNS[0].name

    @staticmethod
    def _extend(text: str, start: int, end: int) -> tuple[int, int, bool]:
        """Join the weak or strong name words right before and after a strong one."""
        joined = False
        # after: surnames ("nicole miller"), over a middle initial ("anna j. kowal")
        while (gap := _GAP.match(text, end)) is not None:
            nxt = _WORD.match(text, gap.end())
            if nxt is None or not (strong(nxt.group()) or weak(nxt.group(), position="last")):
                break
            if EPONYM_NOUN.match(text[nxt.end() : nxt.end() + 30]):
                break
            end, joined = nxt.end(), True
        # before: first names ("grace KOWAL"); blanks only, no initial
        while True:
            before = regex.search(r"(?<![\p{L}\p{N}_'’-])(\p{L}(?:[\p{L}'’-]*\p{L})?)[ \t]+$", text[max(0, start - 40) : start])
            if before is None:
                break
            word = before.group(1)
            if not (strong(word) or weak(word, position="first")):
                break
            start, joined = start - len(before.group(0)), True
        return start, end, joined


_PREVIOUS_TOKEN = regex.compile(r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?\.?)[ \t]+$")
_COORDINATED = regex.compile(r"[ \t]*(?:,[ \t]*)?(?:and|&)[ \t]+|[ \t]*&[ \t]*", regex.IGNORECASE)
_NEXT_WORD = regex.compile(r"\p{L}(?:[\p{L}'’-]*\p{L})?(?![\p{L}\p{N}_])")


def _same_case(word: str, name: str) -> bool:
    """Written the way the name is: all capitals, all lower case, or capitalised."""
    if name.isupper():
        return word.isupper()
    if name.islower():
        return word.islower()
    return word[:1].isupper() and not word.isupper()


def neighbour_name_word(word: str, *, position: str) -> bool:
    """May ``word`` join a name it stands next to: a census name (strong, or an everyday word in the
    position its list allows) or a word of five letters or more that no vocabulary knows.

    Example:
        >>> neighbour_name_word("Grace", position="first"), neighbour_name_word("Wieczorek", position="last")
        (True, True)
        >>> neighbour_name_word("will", position="first"), neighbour_name_word("family", position="last")
        (False, False)
    """
    from recognizers.vocab import unknown_word

    folded = _bare(word)
    if folded in STOP_WORDS or folded in COMMON_WORDS or folded in drug_dictionary():
        return False
    return strong(word) or weak(word, position=position) or unknown_word(folded)


def _name_evidence(word: str) -> bool:
    return any(neighbour_name_word(word, position=p) for p in ("first", "last"))


def widen_name(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The name at ``start:end`` with the name words around it, whatever found it.

    Decision rule: when at least one word of the name is a name by itself (:func:`neighbour_name_word`
    in either position: a found "GAUZE" grows nothing), then, on the same line and written in the
    name's own case,

    * an initial right before it joins it ("k. maribel", "K KOWAL");
    * a word right before it joins it when :func:`neighbour_name_word` takes it as a first name
      ("Grace" before a found surname, "Kacper" before a found "Eloise");
    * a word joined to it by "and" or "&" is a name too when it is one by the same test in either
      position ("Drs. Hale and Brandt", "DR TELLO AND HENNA AWARE"); the conjunction stays.

    Returns the widened name first, then any coordinated name.

    Example:
        >>> text = "Drs. Hale and Brandt aware."
        >>> [text[s:e] for s, e in widen_name(text, 14, 20)]
        ['Brandt', 'Hale']
    """
    words = [w.group() for w in _WORD.finditer(text, start, end)]
    if not words or not any(_name_evidence(w) for w in words):
        return [(start, end)]  # no word of it is a name by itself: nothing to build on ("GAUZE")
    first_word = words[0]
    while (before := _PREVIOUS_TOKEN.search(text, max(0, start - 40), start)) is not None:
        token = before.group(1)
        core = token.rstrip(".")
        if len(core) == 1:
            if not (token.endswith(".") or (core.isupper() and core not in "AI")):
                break
        elif not (_same_case(core, first_word) and neighbour_name_word(core, position="first")):
            break
        elif EPONYM_NOUN.match(text[start : start + 30]) or token.endswith("."):
            break
        start = before.start(1)
    out = [(start, end)]
    last_word = text[start:end].split()[-1]
    after = _COORDINATED.match(text, end)
    if after is not None and (nxt := _NEXT_WORD.match(text, after.end())) is not None:
        word = nxt.group()
        if _same_case(word, last_word) and _name_evidence(word):
            if not EPONYM_NOUN.match(text[nxt.end() : nxt.end() + 30]):
                out.append(nxt.span())
    before = regex.search(r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?)(?:[ \t]*,)?[ \t]+(?:and|&)[ \t]+$|"
                          r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?)[ \t]*&[ \t]*$",
                          text[max(0, start - 50) : start], regex.IGNORECASE)
    if before is not None:
        group = 1 if before.group(1) else 2
        word = before.group(group)
        offset = max(0, start - 50)
        if _same_case(word, first_word) and _name_evidence(word):
            out.append((offset + before.start(group), offset + before.end(group)))
    return out


def name_word(word: str) -> bool:
    """A census first name or surname that is no stop, clinical or allow-listed word, and no frequent
    English word unless it is a frequent name: what may stand where a cue puts a name.

    Example:
        >>> name_word("anna"), name_word("brown"), name_word("will"), name_word("doctor")
        (True, True, False, False)
    """
    folded = _bare(word)
    if len(folded) < 2 or folded in COMMON_WORDS or folded in allow_list().folded or word in allow_list():
        return False
    if folded not in first_names() and folded not in surnames():
        return False
    return folded not in english_top() or is_frequent_name(folded)


# One name word in any case (validated by :func:`name_word`).
_W = r"\p{L}(?:[\p{L}'’-]*\p{L})?"
_TITLE_ANY = r"(?:mr|mrs|ms|miss|mister|missus|dr|doctor)\.?"


def addressed_name(text: str, start: int, end: int, *, skip_leading: bool = False, frequent_only: bool = False):
    """Keep the leading name words; the first must be a :func:`name_word`, a second a census surname.

    Args:
        text: The document.
        start: Start of the candidate.
        end: End of the candidate.
        skip_leading: Drop leading words that are no name first ("so alan is a 57-year-old").
        frequent_only: Only the frequent first names people are called by (rank 1000 or better).
    """
    words = list(_WORD.finditer(text, start, end))
    if skip_leading:
        while words and not name_word(words[0].group()):
            words = words[1:]  # "so alan is a 57-year-old": the name is what is left
        if words:
            start = words[0].start()
    if not words or not name_word(words[0].group()):
        return 0.0
    if frequent_only and first_names().get(_bare(words[0].group()), 10**6) > 1000:
        return 0.0
    if EPONYM_NOUN.match(text[words[0].end() : words[0].end() + 30]):
        return 0.0
    kept = words[0].end()
    if len(words) > 1:
        second = _bare(words[1].group())
        if name_word(second) and second in surnames():
            kept = words[1].end()
    return (start, kept, None)


def _addressed_after_leading_words(text: str, start: int, end: int):
    """:func:`addressed_name` once the leading words that are no name are dropped."""
    return addressed_name(text, start, end, skip_leading=True)


def _addressed_frequent_first_name(text: str, start: int, end: int):
    """:func:`addressed_name` for a frequent first name only."""
    return addressed_name(text, start, end, frequent_only=True)


@register
class AddressedNameRecognizer(ClinicalPatternRecognizer):
    """Names where speech or a dictation puts them, in any case.

    Decision rule: a census name (:func:`name_word`, everyday-word names such as "anna" or
    "brown" included) is a name when a cue of address or introduction stands before it or
    when the sentence introduces the patient after it. The cues are the ways people are
    addressed and introduced, not words of any one corpus:

    * a greeting or thanks: "hi , anna", "good morning mr. brown", "thanks , roger";
    * a vocative set off by commas: "so , james , what happened";
    * an introduction: "next patient is X Y", "this is X", "dictating on X Y", "my name is X";
    * the patient's age sentence: "X is a 57-year-old", "X Y is a pleasant 60 year old".

    A second name word after the first joins it when it is a census surname.
    """

    NAME = "addressed_name"
    ENTITY = "PERSON"
    CUED = True

    def default_check(self, text: str, start: int, end: int, rx: Rx):
        return addressed_name(text, start, end)

    PATTERNS = (
        Rx(
            "greeting + name",
            rf"""(?xi)
            \b(?:hi|hey|hello|thanks|thank[ \t]+you|bye|goodbye|good[ \t]+(?:morning|afternoon|evening)
               |welcome(?:[ \t]+back)?|nice[ \t]+to[ \t]+(?:meet|see)[ \t]+you)   # the greeting
            [ \t]*,?[ \t]+
            (?:{_TITLE_ANY}[ \t]+)?                                                # an optional title
            (?P<value>{_W}(?:[ \t]+{_W})?)                                         # one or two name words
            """,
            0.8,
        ),
        Rx(
            "vocative",
            rf"""(?xi)
            \b(?:so|okay|ok|alright|all[ \t]+right|well|now|and|yes|yeah|sure|great)  # a discourse word
            [ \t]*,[ \t]*
            (?P<value>{_W})                                                          # the name
            [ \t]*,                                                                  # set off by a comma
            """,
            0.8,
        ),
        Rx(
            "introduction",
            rf"""(?xi)
            \b(?:next[ \t]+patient[ \t]+is|the[ \t]+patient[ \t]+is|patient[ \t]+is|this[ \t]+is
               |dictating[ \t]+on|my[ \t]+name[ \t]+is|her[ \t]+name[ \t]+is|his[ \t]+name[ \t]+is
               |seeing|i'm[ \t]+seeing|speaking[ \t]+with|talking[ \t]+(?:with|to))     # the introduction
            [ \t]*,?[ \t]+
            (?:{_TITLE_ANY}[ \t]+)?
            (?P<value>{_W}(?:[ \t]+{_W})?)
            """,
            0.8,
        ),
        Rx(
            "age sentence",
            rf"""(?xi)
            (?<![\p{{L}}'’-])(?P<value>{_W}(?:[ \t]+{_W})?)                         # one or two name words
            [ \t]+is[ \t]+an?[ \t]+(?:pleasant[ \t]+|very[ \t]+pleasant[ \t]+)?
            (?:\d{{1,3}}|[a-z]+(?:-[a-z]+)?)[ \t-]*(?:year|yr|y/?o\b)                  # "is a 57-year-old"
            """,
            0.8,
            check=_addressed_after_leading_words,
        ),
        Rx(
            "name + date of birth",
            rf"""(?xi)
            (?:^|(?<=[\n\].:;]))[ \t]*                                               # at a line or turn start
            (?P<value>{_W}(?:[ \t]+{_W}){{0,2}})                                   # the name
            [ \t]*[.,:;]?[ \t]*
            (?:date[ \t]+of[ \t]+birth|dob\b|d\.o\.b\.)                               # then the date of birth
            """,
            0.8,
            check=_addressed_after_leading_words,
        ),
        Rx(
            "discourse word + first name",
            rf"""(?xi)
            (?:^|(?<=[\n\].?!]))[ \t]*                                               # at a turn or sentence start
            (?:so|okay|ok|alright|all[ \t]+right|well|now|hey)[ \t]+                # a discourse word
            (?P<value>{_W})                                                         # a frequent first name
            (?=[ \t]+(?:i|you|we|it|good|how|what|tell|let's|let|thanks|thank)\b)   # then the sentence goes on
            """,
            0.7,
            check=_addressed_frequent_first_name,
        ),
        Rx(
            "lower-case title",
            rf"""(?x)
            \b(?:miss|ms\.|mrs\.?|mr\.?)[ \t]+                                      # a title in lower case
            (?P<value>{_W})
            """,
            0.7,
        ),
    )


# -- facilities: a name or place followed by a facility word -------------------------------------
# facility_words() and facility_tail() live in recognizers.gazetteer (imported above, kept importable from here)


_NOT_A_NAME_BEFORE_FACILITY = frozenset(("prior", "previous", "local", "outside", "nearby", "same", "new", "old", "his", "her", "their"))


def _facility_part(word: str) -> bool:
    """A word that may name a facility: a plain census name, a gazetteer place word, a saint's title,
    or a word no vocabulary knows ("oakdale", "keeling")."""
    from recognizers.lexicon import unknown_word

    folded = _bare(word)
    if folded in ("st", "st.", "saint", "mt", "mt.", "mount"):
        return True
    if folded in STOP_WORDS or folded in _NOT_A_NAME_BEFORE_FACILITY:
        return False  # "the hospital", "prior medical center", "THE NURSING HOME"
    return strong(word) or folded in places() or folded in place_first_words() or unknown_word(folded)


@register
class FacilityNameRecognizer(ClinicalPatternRecognizer):
    """A facility in any case: one to three naming words, then a facility word.

    Decision rule (HOSPITAL): "SPRINGFIELD REHAB", "oakdale regional", "St Jude Rehab" — each
    naming word is a census name that is nothing else, a gazetteer place, a saint's title or a
    word no vocabulary knows (:func:`_facility_part`), and facility words from
    ``facility_words.txt`` follow. Everyday words before a facility word ("the rehab", "cardiac
    rehab", "her home") never name one.
    """

    NAME = "facility_name"
    ENTITY = "HOSPITAL"
    PATTERNS = (Rx("naming words + facility word", _WORD.pattern, 0.7),)

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        facility_tail()

    def spans(self, text: str):
        tail = facility_tail()
        for match in tail.finditer(text):
            # walk back over naming words: at most three, same line
            start = match.start()
            taken = 0
            while taken < 3:
                before = _WORD_BEFORE_BLANK.search(text, max(0, start - 40), start)
                if before is None or not _facility_part(before.group(1)):
                    break
                start, taken = before.start(1), taken + 1
            if taken:
                yield start, match.end(), 0.7, self.PATTERNS[0].name


_WORD_BEFORE_BLANK = regex.compile(r"(?<![\p{L}\p{N}_'’-])(\p{L}(?:[\p{L}'’.-]*\p{L})?\.?)[ \t]*$")


def extend_facilities(text: str, spans: list) -> list:
    """A found name or place followed by facility words is a facility: "[Springfield] VA",
    "[St Jude] REHAB", "the [Keeling] House". The span takes the facility words and the type
    HOSPITAL. ``spans`` are :class:`scrubber.resolve.Candidate`-like (``_replace`` support)."""
    from dataclasses import replace

    tail = facility_tail()
    out = []
    for c in spans:
        if c.entity_type in ("PERSON", "LOCATION", "HOSPITAL"):
            m = tail.match(text, c.end)
            if m is not None:
                c = replace(c, end=m.end(), entity_type="HOSPITAL")
        out.append(c)
    return out


# -- names from the world's first-name lists, in mixed-case text ---------------------------------
@cache
def world_first_names() -> frozenset[str]:
    """First names of Faker's person locales (MIT; already the surrogate generator) and the US Census,
    case-folded, without stop, clinical, allow-listed and drug words, frequent English words that
    are no first name, and names shorter than three letters.

    Example:
        >>> "attila" in world_first_names(), "johannes" in world_first_names(), "the" in world_first_names()
        (True, True, False)
    """
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr) if provider is not None else None
            if isinstance(value, (list, tuple, set, frozenset, dict)):
                names.update(n.casefold() for n in value if isinstance(n, str))
    # dictionary words stay: this rule needs a capitalised pair in mixed-case text ("Maria Hernandez")
    blocked = COMMON_WORDS | {w for w in english_top() if w not in first_names()} | allow_list().folded
    from recognizers.lexicon import drug_dictionary

    drugs = drug_dictionary()
    return frozenset(n for n in names | first_names().keys() if len(n) >= 3 and n.isalpha() and n not in blocked and n not in drugs)


# A capitalised word (letters of any script, inner apostrophes and hyphens).
_TITLE_WORD = r"\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)*"


@register
class WorldNameRecognizer(ClinicalPatternRecognizer):
    """A first name of any country and the capitalised word after it: "Szabina Gelencsér", "Tomomi Nishiyama".

    Decision rule (PERSON, mixed-case text only, where capitals carry information): the first word is
    in the world's first-name lists (:func:`world_first_names`: nothing else in English), the next
    word (after an optional middle initial) is capitalised and no stop, clinical, allow-listed, drug
    or frequent English word. A first name alone is left to the other layers.
    """

    NAME = "world_name"
    ENTITY = "PERSON"
    PATTERNS = (
        Rx(
            "first name + capitalised word",
            rf"""(?x)
            (?<![\p{{L}}\p{{N}}_'’.-])
            (?P<value>(?P<first>{_TITLE_WORD})                     # a first name of any country
              [ \t]+(?:\p{{Lu}}\.?[ \t]+)?                         # an optional middle initial
              (?P<last>{_TITLE_WORD}))                             # a capitalised word
            (?![\p{{L}}\p{{N}}_])
            """,
            0.7,
        ),
    )

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        world_first_names()

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: mixed-case text, a world first name, then no common, frequent or drug word."""
        from recognizers.lexicon import document_case, drug_dictionary, is_common

        if document_case(text) != "mixed":
            return 0.0
        words = text[start:end].split()
        first, last = words[0], words[-1]
        if _bare(first) not in world_first_names():
            return 0.0
        folded = _bare(last)
        if is_common(last) or folded in english_top() or folded in drug_dictionary() or EPONYM_NOUN.match(text[end : end + 30]):
            return 0.0
        return None
