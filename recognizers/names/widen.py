"""A found name takes the name words around it (the document step ``extend-names``).

Decision rule (:func:`widen_name`): when at least one word of a found name is a name by itself
(:func:`neighbour_name_word`), then, on the same line and in the name's own case, a surname's
particle right before it joins it in any case and the words before it are read on ("Maria dos
Santos", "van der Berg"), an initial right before it joins it, a first name right before it joins it (also a rarer word before a
found name no vocabulary knows: "WIL LABERBERA"), a surname right after a found first name joins
it ("JOHN KOWAL", "john doe"), and a word joined to it by "and" or "&" is a name too when it is one
by the same test, and so is each word before them in a list set off by commas ("Monjeau, Graves and
Reed").
"""

from __future__ import annotations

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers.lexicon import COMMON_WORDS, EPONYM_NOUN, allow_list, drug_dictionary, english_top, surnames
from recognizers.names.common import _WORD, _bare, first_name_word, rarer_word
from recognizers.names.vocabulary import strong, weak
from recognizers.vocab import unknown_word, world_first_name

# The particles that begin a surname of many countries, in any case ("van der Berg", "dos Santos", "De La
# Cruz", "ibn Rashid"): one right before a found name belongs to it, and the words before it are read on.
SURNAME_PARTICLES = frozenset(
    ("van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ten", "ter", "bin", "ibn", "al", "el")
)

# Particles that are also clinical abbreviations or English words ("LA" left atrium, "DA", "DI", "AL",
# "EL", "van", "ten", "den", "bin"): one of these needs more than the name after it.
_AMBIGUOUS_PARTICLES = frozenset(("la", "le", "da", "di", "de", "al", "el", "van", "ten", "den", "bin"))
# Latin after "de" in clinical text, never a surname there ("de novo" is also a census surname)
_LATIN_AFTER_PARTICLE = frozenset(("novo", "facto", "jure", "vivo", "vitro", "minimis"))


def _particle_of(text: str, at: int, particle: str, name: str) -> bool:
    """Is ``particle``, at ``at`` right before the found name whose first word is ``name``, the name's?
    An unambiguous one is ("dos", "von", "der"); an ambiguous one (:data:`_AMBIGUOUS_PARTICLES`) when it
    is written in lower case before a capitalised name ("van Dijk", "de Souza") or when another particle
    or a first name stands right before it ("DE LA CRUZ", "MARIA DA SILVA"; not "CLOT IN LA SMITH")."""
    if particle.casefold() not in _AMBIGUOUS_PARTICLES:
        return True
    if particle.islower() and name[:1].isupper() and not name.isupper():
        return True
    before = _PREVIOUS_TOKEN.search(text, max(0, at - 40), at)
    if before is None:
        return False
    word = before.group(1)
    return word.casefold() in SURNAME_PARTICLES or (first_name_word(word) and neighbour_name_word(word, position="first"))


# a word or initial before a found name: not the end of a compound ("x-ray"), a path ("d/w") or an
# abbreviation; a dash that opens a signature may stand before it ("-M. Tierney RN")
_PREVIOUS_TOKEN = regex.compile(r"(?<![\p{L}\p{N}_'’./])(?<![\p{L}\p{N}_]-)(\p{L}(?:[\p{L}'’-]*\p{L})?\.?)[ \t]+$")
_COORDINATED = regex.compile(r"[ \t]*(?:,[ \t]*)?(?:and|&)[ \t]+|[ \t]*&[ \t]*", regex.IGNORECASE)
_NEXT_WORD = regex.compile(r"\p{L}(?:[\p{L}'’-]*\p{L})?(?![\p{L}\p{N}_])")


# A word, then "and" or "&", at the end of the text before a name: "Hale and " in "Drs. Hale and Brandt".
_COORDINATED_BEFORE = regex.compile(
    r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?)(?:[ \t]*,)?[ \t]+(?:and|&)[ \t]+$|"
    r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?)[ \t]*&[ \t]*$",
    regex.IGNORECASE,
)


# A word and a comma right before a member of a list: "Monjeau, " in "Monjeau, Graves and Reed".
_LISTED_BEFORE = regex.compile(r"(?<![\p{L}\p{N}_'’.-])(\p{L}(?:[\p{L}'’-]*\p{L})?)[ \t]*,[ \t]*\Z")  # \Z: not across a line break


def _same_case(word: str, name: str) -> bool:
    """Written the way the name is: all capitals, all lower case, or capitalised."""
    if name.isupper():
        return word.isupper()
    if name.islower():
        return word.islower()
    return word[:1].isupper() and not word.isupper()


def neighbour_name_word(word: str, *, position: str) -> bool:
    """May ``word`` join a name it stands next to: a census name (strong, or an everyday word in the
    position its list allows), a word of five letters or more that no vocabulary knows, or before
    it a first name of another country that is no English word (:func:`~recognizers.vocab.world_first_name`).

    Example:
        >>> neighbour_name_word("Grace", position="first"), neighbour_name_word("Wieczorek", position="last")
        (True, True)
        >>> neighbour_name_word("will", position="first"), neighbour_name_word("family", position="last")
        (False, False)
    """
    folded = _bare(word)
    if folded in STOP_WORDS or folded in COMMON_WORDS or folded in drug_dictionary():
        return False
    return strong(word) or weak(word, position=position) or unknown_word(folded) or (position == "first" and world_first_name(folded))


def _name_evidence(word: str) -> bool:
    return any(neighbour_name_word(word, position=p) for p in ("first", "last"))


def _rarer_first_word(word: str, name: str) -> bool:
    """A rarer word (:func:`~recognizers.names.common.rarer_word`) right before a found name that no
    vocabulary knows, in the name's case, is its first name ("HIS FRIEND WIL LABERBERA", "Wil Laberbera")."""
    return unknown_word(_bare(name)) and rarer_word(word)


_SURNAME_AFTER = regex.compile(r"[ \t]+(\p{L}(?:[\p{L}'’-]*\p{L})?)(?![\p{L}\p{N}_'’/-])")


def _surname_after(text: str, end: int, last: str) -> int | None:
    """Where a surname right after a found first name ends: the name's last word is a first name
    (:func:`neighbour_name_word`), the next word on the line (after a surname's particles, in any case:
    "maria dos santos"), in the name's case, is a census surname
    by the same test, or one that is also a listed abbreviation ("pt john doe"; "DOE" alone is dyspnea
    on exertion), and no eponym's noun follows ("Son John Graves disease" is no name)."""
    bare = _bare(last)
    if not first_name_word(bare) or not neighbour_name_word(last, position="first"):
        return None
    ambiguous = False
    for _ in range(2):  # a surname's particles, in any case: "maria dos santos", "Anna van der Berg"
        particle = _SURNAME_AFTER.match(text, end)
        if particle is None or particle.group(1).casefold() not in SURNAME_PARTICLES:
            break
        ambiguous = ambiguous or particle.group(1).casefold() in _AMBIGUOUS_PARTICLES
        end = particle.end()
    match = _SURNAME_AFTER.match(text, end)
    if match is None:
        return None
    word = match.group(1)
    folded = _bare(word)
    if ambiguous and (folded not in surnames() or folded in _LATIN_AFTER_PARTICLE):
        return None  # after "de", "la", "da": a census surname ("maria da silva"; not "anna de facto", "de novo")
    surname = neighbour_name_word(word, position="last") or (
        (folded in allow_list().abbreviated_names or word.upper() in allow_list().exact)
        and folded in surnames() and folded not in english_top()
    )
    if not _same_case(word, last) or not surname or EPONYM_NOUN.match(text[match.end() : match.end() + 30]):
        return None
    return match.end()


def widen_name(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The name at ``start:end`` with the name words around it, whatever found it.

    Decision rule: when at least one word of the name is a name by itself (:func:`neighbour_name_word`
    in either position: a found "GAUZE" grows nothing), then, on the same line and written in the
    name's own case,

    * a surname's particle right before it joins it, in any case, and the words before the particle
      are read on ("Maria dos Santos", "van der Berg", "DE LA CRUZ");
    * an initial right before it joins it ("k. maribel", "K KOWAL");
    * a word right before it joins it when :func:`neighbour_name_word` takes it as a first name
      ("Grace" before a found surname, "Kacper" before a found "Eloise");
    * a surname right after it joins it when the name ends with a first name (:func:`_surname_after`:
      "pt john doe", "JOHN KOWAL CALLED");
    * a word joined to it by "and" or "&" is a name too when it is one by the same test in either
      position ("Drs. Hale and Brandt", "DR TELLO AND HENNA AWARE"); the conjunction stays; so is
      each word set off by a comma before the members of such a list ("Monjeau, Graves and Reed").

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
    joined_particle = False
    while (before := _PREVIOUS_TOKEN.search(text, max(0, start - 40), start)) is not None:
        token = before.group(1)
        core = token.rstrip(".")
        if core == token and core.casefold() in SURNAME_PARTICLES and (
            joined_particle or _particle_of(text, before.start(1), core, first_word)
        ):
            start = before.start(1)  # "dos" in "Maria dos Santos", "der" in "van der Berg": the surname's own
            joined_particle = True  # a particle before a joined one joins too ("de" in "de la cruz")
            continue
        joined_particle = False
        if len(core) == 1:
            if not (token.endswith(".") or (core.isupper() and core not in "AI")):
                break
        elif not (_same_case(core, first_word) and (
            neighbour_name_word(core, position="first") or _rarer_first_word(core, first_word)
        )):
            break
        elif EPONYM_NOUN.match(text[start : start + 30]) or token.endswith("."):
            break
        start = before.start(1)
    if (surname := _surname_after(text, end, words[-1])) is not None:
        end = surname
    out = [(start, end)]
    last_word = text[start:end].split()[-1]
    after = _COORDINATED.match(text, end)
    if after is not None and (nxt := _NEXT_WORD.match(text, after.end())) is not None:
        word = nxt.group()
        if _same_case(word, last_word) and _name_evidence(word):
            if not EPONYM_NOUN.match(text[nxt.end() : nxt.end() + 30]):
                out.append(nxt.span())
    # the list's first member so far: "Graves" in "Graves and Reed" (a name after "and")
    head = start if len(out) > 1 else None
    before = _COORDINATED_BEFORE.search(text[max(0, start - 50) : start])
    if before is not None:
        group = 1 if before.group(1) else 2
        word = before.group(group)
        offset = max(0, start - 50)
        if _same_case(word, first_word) and _name_evidence(word):
            out.append((offset + before.start(group), offset + before.end(group)))
            head = offset + before.start(group)
    # the members before it in a list that ends in "and": "Monjeau, Graves and Reed"
    for _ in range(4):
        if head is None or (member := _LISTED_BEFORE.search(text, max(0, head - 40), head)) is None:
            break
        word = member.group(1)
        if not (_same_case(word, first_word) and _name_evidence(word)):
            break
        out.append(member.span(1))
        head = member.start(1)
    return out
