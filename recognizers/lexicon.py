"""Shared word lists for cue patterns: words that are never part of a name or place.

Built from spaCy's English stop-word list (a plain Python set shipped with
spaCy, no model needed) plus clinical words that follow titles and precede
facility words in notes ("DR SMITH AWARE", "TRANSFER FROM CALVERT HOSPITAL").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

CLINICAL_WORDS = frozenset(
    """
    aware notified paged called updated informed spoke discussed saw seen visited visiting came left plan plans
    pt pts patient patients md mds rn rns np pa team service attending resident fellow intern covering oncall
    transfer transferred admit admitted admission discharge discharged from via to at in on by for with re
    osh ed er icu micu sicu ccu csru nicu picu pacu or floor unit ward bed room house call today tonight
    yesterday tomorrow am pm hr hrs min mins day days night nights week weeks month months year years
    per protocol orders order report reports note notes labs lab results result family wife husband son
    daughter mother father brother sister friend at bedside phone telephone pager page re regarding about
    following follow consult consulted consulting evaluated evaluation exam examined reviewed review
    med meds medication medications dose doses given gave started stopped continue continued cont
    aware. ok okay yes no not none will would should could may might need needs needed
    general community regional memorial university county city state medical center hospital clinic
    rehab cath angio baseline ew er vicu micu sicu ccu csru cvicu picu nicu ctscan scan xray x-ray mri echo
    lab labs or pacu floor step-down stepdown tele telemetry ward unit home norm limits commode
    mrn dob ssn npi dea mbi acct id fax tel pager ext
    """.split()
)
COMMON_WORDS = frozenset(w.casefold() for w in STOP_WORDS) | CLINICAL_WORDS


def word_trie(words: Iterable[str]) -> str:
    """An expression matching exactly the given words, written as a trie of their letters.

    It matches the same strings as ``word1|word2|...`` but lets the ``regex`` module follow
    one branch per letter instead of trying every word in turn (about five times faster in
    a look-ahead that runs at every word of a note). An ending word is an empty branch
    (``|)``), not an optional group: a ``?`` per node slows down every match attempt of the
    whole pattern. Inside a look-around only the set of strings matters; outside one, the
    order of the branches (alphabetical here) could change which word wins.

    Example:
        >>> word_trie(["in", "into", "on"])
        '(?:in(?:to|)|on)'
    """
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [regex.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            branches.append("")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(tree)


def not_common_word() -> str:
    """A negative look-ahead that refuses a common word at this position (any case)."""
    return rf"(?!(?i:{word_trie(w for w in COMMON_WORDS if w.isalpha())})(?![A-Za-z]))"


# -- lexicons loaded once (immutable) -----------------------------------------------------------
from functools import cache, lru_cache  # noqa: E402

from recognizers.base import load_list  # noqa: E402

ALLOW_LISTS = ("eponyms.txt", "drugs.txt", "clinical_abbreviations.txt", "clinical_scores.txt")


@cache
def _ranked(name: str) -> dict[str, int]:
    from importlib import resources

    path = resources.files("recognizers") / "data" / name
    words = [w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")]
    ranks: dict[str, int] = {}
    for rank, word in enumerate(words, start=1):
        ranks.setdefault(word, rank)
    return ranks


def first_names() -> dict[str, int]:
    """US Census 1990 first names, case-folded, with their frequency rank."""
    return _ranked("first_names.txt")


def surnames() -> dict[str, int]:
    """The 30,000 most frequent US Census 1990 surnames, case-folded, with their frequency rank."""
    return _ranked("surnames.txt")


@cache
def english_top() -> frozenset[str]:
    """The 5,000 most frequent English words (wordfreq), for telling words from names."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 5000))


@cache
def english_words() -> frozenset[str]:
    """The 30,000 most frequent English words (wordfreq): ordinary vocabulary, names included."""
    from wordfreq import top_n_list

    return frozenset(top_n_list("en", 30000))


def is_ordinary_word(word: str) -> bool:
    """An everyday English word that is not used as a name often enough to count as one.

    Example:
        >>> is_ordinary_word("Electronically"), is_ordinary_word("Patel"), is_ordinary_word("Mary")
        (True, False, False)
    """
    folded = word.casefold()
    if folded in english_top():
        return not is_frequent_name(folded)
    return (
        folded in english_words()
        and _WORD_SUFFIX.search(folded) is not None
        and folded not in first_names()
        and folded not in surnames()
    )


# Endings of derived English words that are rarely names ("electronically", "caller", "hematoma").
_WORD_SUFFIX = regex.compile(
    r"(?:ly|tion|sion|ment|ness|ing|ed|ity|ive|ous|ic|ical|ology|itis|osis|emia|ectomy|otomy|scopy|oma|able|ible"
    r"|ance|ence|ism|ist|ize|ise|ful|less|ary|ory|er|ers|al)$"
)


def is_frequent_name(word: str) -> bool:
    """Among the 1,000 most frequent first names or 1,000 most frequent surnames."""
    folded = word.casefold()
    return first_names().get(folded, 10**6) <= 1000 or surnames().get(folded, 10**6) <= 1000


@dataclass(frozen=True)
class AllowList:
    """Terms never redacted on their own.

    Items of three characters or fewer match case-sensitively ("ED" the department,
    not "Ed" the person); longer items match case-insensitively.
    """

    exact: frozenset[str]
    folded: frozenset[str]

    def __contains__(self, word: str) -> bool:
        if len(word) <= 3:  # "ED"/"ed" the department, not "Ed" the person
            return word in self.exact or ((word.islower() or word.isupper()) and word.upper() in self.exact)
        return word.casefold() in self.folded


@cache
def allow_list() -> AllowList:
    """The union of the allow-lists in ``recognizers/data``."""
    from importlib import resources

    exact: set[str] = set()
    folded: set[str] = set()
    for name in ALLOW_LISTS:
        path = resources.files("recognizers") / "data" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            item = " ".join(line.replace("’", "'").split())
            if not item or item.startswith("#"):
                continue
            (exact if len(item) <= 3 else folded).add(item if len(item) <= 3 else item.casefold())
    folded |= drug_dictionary()
    return AllowList(frozenset(exact), frozenset(folded))


@cache
def drug_dictionary() -> frozenset[str]:
    """One-word drug names (26,000+ generics, brands and variants) from the offline dictionary of
    ``drug-named-entity-recognition`` (MIT; DrugBank open data, MeSH, Wikipedia), without the
    few that are also census first names or surnames ("Allegra", "Camila", "Kendrick"): those
    stay names unless our own ``drugs.txt`` lists them."""
    from drug_named_entity_recognition.drugs_finder import drug_variant_to_canonical

    names = first_names().keys() | surnames().keys()
    return frozenset(
        w for w in drug_variant_to_canonical if len(w) >= 4 and w.isalpha() and w not in names
    )


_WORD_SEPARATOR = regex.compile(r"[\s/-]+")


def is_allowed(value: str) -> bool:
    """True when the whole value, or every word of it, is an allow-listed term.

    Example:
        >>> is_allowed("Parkinson's"), is_allowed("Swan-Ganz"), is_allowed("ED"), is_allowed("Ed"), is_allowed("ST-998877")
        (True, True, True, False, False)
    """
    allow = allow_list()
    value = " ".join(value.replace("’", "'").split())
    for candidate in (value, value.removesuffix("'s")):
        if candidate in allow:
            return True
    words = [w.strip(".,;:()").removesuffix("'s") for w in _WORD_SEPARATOR.split(value)]
    words = [w for w in words if w]
    return bool(words) and all(w in allow for w in words)


def is_common(word: str) -> bool:
    """A stop word, clinical word or allow-listed term: never a name on its own."""
    return word.casefold() in COMMON_WORDS or word in allow_list()


def unknown_word(word: str) -> bool:
    """A word of five or more letters that no vocabulary here knows: not English (wordfreq top 30,000,
    Zipf < 2.5), not a stop, clinical or allow-listed word, not a drug and not a misspelt one.

    Such a word next to a ward number is the name of a ward ("pelmarsh 3"), not shorthand.

    Example:
        >>> unknown_word("pelmarsh"), unknown_word("levophed"), unknown_word("commode"), unknown_word("labetolol")
        (True, False, False, False)
    """
    folded = word.casefold()
    return (
        len(folded) >= 5
        and folded.isalpha()
        and folded not in english_words()
        and not is_common(folded)
        and folded not in drug_dictionary()
        and zipf(folded) < 2.5
        and not near_allowed(folded)
        and not _near_english(folded)
        and not clinical_form(folded)
        and not _compound(folded)
    )


def clinical_form(word: str) -> bool:
    """Shaped like a clinical or derived word: a clinical prefix or ending ("reinsert", "opthamology",
    "incisional"), or a plural of one or of an English word ("fibrillations", "cupcakes")."""
    folded = word.casefold()
    if _CLINICAL_AFFIX.search(folded):
        return True
    return folded.endswith("s") and bool(_CLINICAL_AFFIX.search(folded[:-1]) or folded[:-1] in english_words())


# Prefixes and endings of the clinical and derived words a 30,000-word vocabulary lacks:
# "reinsert", "transfuse", "precath", "midsternal", "incisional", "transiently", "dyspnea".
_CLINICAL_AFFIX = regex.compile(
    r"^(?:re|pre|post|trans|mid|dys|inter|intra|sub|supra|hyper|hypo|anti|non|un|peri|endo|epi|hemi|neuro|cardi"
    r"|gastr|pneum|oste|brady|tachy|hema|hemo|nephr|hepat|derm|myo|ortho|para|poly|pseudo)"
    r"|(?:al|ly|ion|ia|ic|ous|ed|ing|ate|ize|ise|sis|tomy|scopy|itis|emia|oma|ary|ive|able|ible|ism|ity|ness|ment"
    r"|gram|graph|plasty|pathy|lysis|ea|ae|us|um|or|ory|metry|ent|logy)$"
)


def _compound(folded: str) -> bool:
    """A stop word and an English word written together ("tofloor", "ofthe"): a missing space, not a name."""
    return any(folded[:i] in STOP_WORDS and folded[i:] in english_words() for i in range(1, min(6, len(folded) - 1)))


def _deletes(words: Iterable[str], min_length: int) -> frozenset[str]:
    """Every word of ``min_length`` or more letters with one letter deleted."""
    return frozenset(w[:i] + w[i + 1 :] for w in words if len(w) >= min_length for i in range(len(w)))


def _one_slip(folded: str, words: frozenset[str], deletes: frozenset[str]) -> bool:
    """One typing slip from one of ``words`` (``deletes`` = :func:`_deletes` of them): a letter added,
    dropped, changed, or two letters swapped."""
    if folded in deletes:
        return True  # a letter dropped
    return any((shorter := folded[:i] + folded[i + 1 :]) in words or shorter in deletes for i in range(len(folded)))


@cache
def _drug_deletes() -> frozenset[str]:
    """The dictionary drug names of six or more letters, each with one letter deleted (for :func:`near_drug`)."""
    return _deletes(drug_dictionary(), 6)


def near_drug(word: str) -> bool:
    """A word of eight or more letters one typing slip from a dictionary drug name ("Noesynephrine", "Integelin").

    Shorter words are left alone: international names are often one slip from a short drug
    ("Katrine", "Estonia" were, in the presidio-research corpus). Census names never count.

    Example:
        >>> near_drug("Noesynephrine"), near_drug("Integelin"), near_drug("Katrine"), near_drug("Morrison")
        (True, True, False, False)
    """
    folded = word.casefold()
    if len(folded) < 8 or is_known_name_any(folded) or folded in drug_dictionary():
        return False
    return _one_slip(folded, drug_dictionary(), _drug_deletes())


@cache
def _english_deletes() -> frozenset[str]:
    """Every English word of four or more letters with one letter deleted (for :func:`_near_english`)."""
    return _deletes(english_words(), 4)


def near_common_word(word: str) -> bool:
    """A word of six or more letters, no English word itself, one typing slip from one of the 5,000
    most frequent English words that is not a name: "Contiue", "Conitinue" (continue).

    Example:
        >>> near_common_word("Contiue"), near_common_word("Conitinue"), near_common_word("Katrine"), near_common_word("Lansdowne")
        (True, True, False, False)
    """
    folded = word.casefold()
    if len(folded) < 6 or folded in english_words() or is_known_name_any(folded):
        return False
    return _one_slip(folded, _plain_top(), _plain_top_deletes())


def near_frequent_word(word: str) -> bool:
    """One typing slip from one of the 5,000 most frequent English words that are not census names
    ("foor", "puls", "buth"), for words of four or more letters that are no English word themselves.

    Example:
        >>> near_frequent_word("foor"), near_frequent_word("kowal")
        (True, False)
    """
    folded = word.casefold()
    if len(folded) < 4 or folded in english_words():
        return False
    return _one_slip(folded, _plain_top(), _plain_top_deletes())


@cache
def _plain_top() -> frozenset[str]:
    """The 5,000 most frequent English words that are not census names."""
    return frozenset(w for w in english_top() if len(w) >= 5 and w not in first_names() and w not in surnames())


@cache
def _plain_top_deletes() -> frozenset[str]:
    return _deletes(_plain_top(), 5)


def _near_english(folded: str) -> bool:
    """One typing slip (a letter added, dropped, changed or two swapped) from an English word: "commonde", "contiue"."""
    return _one_slip(folded, english_words(), _english_deletes())


def is_known_name_any(word: str) -> bool:
    """In the census first-name or surname lists, whatever else the word means ("Rob", "Bill", "O'Connell")."""
    folded = word.casefold()
    bare = folded.replace("'", "").replace("’", "")
    return folded in first_names() or folded in surnames() or bare in surnames() or bare in first_names()


def is_known_name(word: str) -> bool:
    """In the census name lists, and not an ordinary English word unless it is a frequent name.

    Example:
        >>> is_known_name("Lindquist"), is_known_name("Mary"), is_known_name("round")
        (True, True, False)
    """
    folded = word.casefold()
    if folded not in first_names() and folded not in surnames():
        return False
    return folded not in english_top() or is_frequent_name(folded)


_LETTERS = regex.compile(r"[^\W\d_]")


_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())


@lru_cache(maxsize=4)  # a few recent documents only: never hold on to every text
def _document_case(text: str) -> str:
    head = text[:20000]
    if head.isascii():  # the same counts as below, by byte deletion (no per-character Python loop)
        data = head.encode("ascii")
        letters = len(data.translate(None, _ASCII_NOT_LETTERS))
        upper = letters - len(data.translate(None, _ASCII_NOT_LETTERS + _ASCII_UPPER))
    else:
        found = _LETTERS.findall(head)
        letters, upper = len(found), sum(c.isupper() for c in found)
    if not letters:
        return "mixed"
    upper = upper / letters
    if upper > 0.7:
        return "upper"
    if upper < 0.02:
        return "lower"
    return "mixed"


def document_case(text: str) -> str:
    """``"upper"``, ``"lower"`` or ``"mixed"``: whether capitals carry information in this text.

    Example:
        >>> document_case("PT RESTING. WIFE AT BEDSIDE."), document_case("pt resting"), document_case("Pt resting.")
        ('upper', 'lower', 'mixed')
    """
    return _document_case(text) if len(text) < 1_000_000 else "mixed"


def plausible_name_word(word: str, case: str, *, cued: bool = False, trust_cue: bool = False) -> bool:
    """Could ``word`` be part of a person's or place's name?

    Common and clinical words never are. With a cue ("Dr.", "son", "aware") any
    other word may be, in any case, unless it is an ordinary English word that
    is not also a frequent name. Without a cue, a word needs a capital in
    mixed-case text, or must be a census name in ALL-CAPS or lower-case text.

    ``trust_cue`` (a title, credential or relation) lets an allow-listed word through.

    Example:
        >>> plausible_name_word("bill", "lower", cued=True), plausible_name_word("states", "lower", cued=True)
        (True, False)
    """
    bare = word.removesuffix("'s").removesuffix("’s").strip(".,;:\"“”'()")
    if len(bare) < 2 or any(ch.isdigit() for ch in bare):
        return False
    folded = bare.casefold()
    if cued:
        # a title, credential or relation outweighs the allow-lists ("Dr. Parkinson", "Bernard Foley, CRT");
        # nothing outweighs the common words
        if folded in COMMON_WORDS or (not trust_cue and bare in allow_list()):
            return False
        name_too = folded in first_names() or surnames().get(folded, 10**6) <= 1000
        if folded in english_top() and not name_too:
            return False  # "daughter states", "son called"
        if case == "mixed" and bare[0].isupper():
            return True  # a capital after a cue: "daughter Priya"
        # no capital to go by: an ordinary English word is not a name ("son trached", "son, owns")
        if is_ordinary_word(folded):
            return False
        return is_known_name_any(folded) or zipf(folded) < 3.2
    if is_common(bare):
        return False
    if folded in english_top() and not is_frequent_name(folded):
        return False
    if case == "mixed":
        # a capital is needed; a short ALL-CAPS token in mixed text is an acronym (NPI, MVC)
        return bare[0].isupper() and not (bare.isupper() and len(bare) <= 4) and not is_ordinary_word(bare)
    return is_known_name(bare)


def not_stop_word() -> str:
    """A negative look-ahead refusing an English stop word or a movement verb (for facility names)."""
    words = {w for w in STOP_WORDS if w.isalpha()} | {"transfer", "transferred", "admitted", "from", "seen", "treated", "at"}
    return rf"(?!(?i:{word_trie(words)})(?![A-Za-z]))"


# A name-like word followed by one of these is an eponym ("Chaddock reflex", "Barrett's esophagus").
EPONYM_NOUN = regex.compile(
    r"^(?:['’]s?)?\s+(?:disease|syndrome|episodes?|attacks?|phenomenon|sign|test|reflex|score|scale|criteria|classification|maneuver|manoeuvre"
    r"|procedure|catheter|fracture|esophagus|palsy|phenomenon|operation|repair|tube|drain|stain|lymphoma|sarcoma"
    r"|tumou?r|ulcer|node|bod(?:y|ies)|cells?|index|rule|position|needle|forceps|incision|triad|law|risk|equation"
    r"|formula|method|technique|approach|diet|protocol|staging|grade|grading|stage|contracture|deformity|anomaly"
    r"|hernia|cyst|sinus|canal|duct|gland|node|nerve|artery|vein|valve|point|line|lines|effect|response|regimen"
    r"|heart\s+study|study|trial|model|calculator|cath|temps?|stockings|wires|drinks|nebs)\b",
    regex.IGNORECASE,
)


def preload() -> None:
    """Load every word list (and wordfreq's frequency table) now, once per process; later calls are free."""
    from recognizers.locations import _ambiguous_places, _place_first_words

    first_names(), surnames(), english_top(), english_words(), allow_list(), _allow_index(), _english_deletes(), _drug_deletes(), _plain_top_deletes()
    _place_first_words(), _ambiguous_places()
    zipf("the")


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a word in English (0 for unknown words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


_NEXT_WORDS = regex.compile(r"[^\s,;:()]+")


def starts_allowed_phrase(text: str, start: int, *, max_words: int = 5) -> bool:
    """True when a multi-word allow-listed term begins at ``start`` ("Glasgow Coma Scale", "Bence Jones protein").

    Example:
        >>> starts_allowed_phrase("GCS: Glasgow Coma Scale 14", 5), starts_allowed_phrase("Mr. Glasgow came", 4)
        (True, False)
    """
    folded = allow_list().folded
    words: list[str] = []
    for match in _NEXT_WORDS.finditer(text, start, min(len(text), start + 80)):
        words.append(match.group().replace("’", "'").casefold())
        if len(words) > 1 and " ".join(words) in folded:
            return True
        if len(words) >= max_words:
            break
    return False


@cache
def _allow_index() -> dict[str, tuple[str, ...]]:
    # curated lists only: fuzzy matching against 26,000 dictionary drug names would take real
    # names for misspelt drugs ("Katrine")
    from importlib import resources

    curated = set()
    for name in ALLOW_LISTS:
        for line in (resources.files("recognizers") / "data" / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                curated.add(" ".join(line.replace("’", "'").casefold().split()))
    index: dict[str, list[str]] = {}
    for term in curated:
        if " " not in term and len(term) >= 5:
            index.setdefault(term[:2], []).append(term)
    return {k: tuple(v) for k, v in index.items()}


def near_allowed(word: str) -> bool:
    """A misspelt allow-listed term ("Integrellin", "Morpphine"): same first two letters, 85% similar.

    Census names are never taken for misspellings.

    Example:
        >>> near_allowed("Integrellin"), near_allowed("Morpphine"), near_allowed("Morrison")
        (True, True, False)
    """
    from difflib import SequenceMatcher

    folded = word.casefold()
    if len(folded) < 6 or is_known_name_any(folded):
        return False
    matcher = SequenceMatcher(None, folded)
    for term in _allow_index().get(folded[:2], ()):
        if abs(len(term) - len(folded)) > 2:
            continue
        matcher.set_seq2(term)
        # the quick ratios are upper bounds of ratio(): most terms fail on them, cheaply
        if matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85:
            return True
    return False


@cache
def dictionary_names() -> frozenset[str]:
    """Census first names and surnames that a full English dictionary lists as lower-case words.

    Webster's Second International (the ``web2`` list of ``english-words``, MIT; 210,000 lower-case
    entries) has "miller", "will", "grace" and "brown" in lower case and "john", "andrew" and
    "teresa" only capitalised, as proper nouns. A census name that is a lower-case dictionary
    word is an identifier only with other evidence; one that is not is a name in any case.
    Only the intersection with the census lists is kept in memory.

    Example:
        >>> "miller" in dictionary_names(), "john" in dictionary_names()
        (True, False)
    """
    from english_words import get_english_words_set

    names = first_names().keys() | surnames().keys()
    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower() and w in names)


@cache
def plain_names() -> frozenset[str]:
    """Census names that are nothing else: no lower-case dictionary word, no frequent English word
    (first names aside: wordfreq counts "john"), no stop, clinical, allow-listed or drug word. Such a word is a name in any case.

    Example:
        >>> "andrew" in plain_names(), "will" in plain_names(), "lasix" in plain_names()
        (True, False, False)
    """
    names = first_names().keys() | surnames().keys()
    blocked = dictionary_names() | COMMON_WORDS | drug_dictionary() | allow_list().folded
    frequent = {w for w in english_top() if w not in first_names()}  # "online", not "john"
    return frozenset(
        w for w in names
        if len(w) >= 3 and w.isalpha() and w not in blocked and w not in frequent and w.upper() not in allow_list().exact
    )
