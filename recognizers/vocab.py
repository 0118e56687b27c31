"""One vocabulary: every "what kind of word is this?" question, answered from tables loaded once.

The tables (immutable, loaded on first use or by :func:`preload`, once per process):

* US Census 1990 first names and surnames with their frequency rank (``first_names.txt``,
  ``surnames.txt``);
* English: wordfreq's 5,000 and 30,000 most frequent words, and its Zipf frequency table
  (:func:`zipf`); the census names that Webster's Second lists as lower-case words
  (``dictionary_names.txt``, generated from ``english-words``), and every lower-case word of
  three letters or more of that dictionary (``dictionary_words.txt``, kept as hashes);
* stop and clinical words (:data:`COMMON_WORDS`), the curated allow-lists and the 26,000+
  one-word drug names (``drug_words.txt``, generated from ``drug-named-entity-recognition``
  by ``recognizers/data/build_vocab_data.py``: importing that package costs 335 MB);
* the gazetteer (``us_cities.txt``, ``us_counties.txt``, ``world_cities.txt``), the place names
  that are everyday words (``ambiguous_places.txt``) and the smaller US towns (``us_places.txt``,
  generated from ``zipcodes``).

"One typing slip from a known word" (a letter added, dropped, changed, or two swapped) is
answered by :class:`Deletions`: the one-letter deletions of a word list kept as sorted 64-bit
keys in an ``array`` (8 bytes a deletion, about 4 MB for English and drugs together) instead of
a set of strings (about 100 bytes a deletion, 50 MB).

:func:`classify` answers every question about one word at once; the predicates below
(``is_common``, ``unknown_word``, ``near_drug``...) are the ones the recognizers call.
This module imports no recognizer module: ``recognizers.lexicon`` (cue patterns, the
name-word rule) builds on it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Iterable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers.base import load_list

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
# Words of speech that transcripts spell out ("and , um , how many days"); never a name.
SPEECH_WORDS = frozenset("um umm uh uhm hmm hm mhm mm yeah yep nope alrighty okey dokey gonna wanna gotta kinda sorta".split())
COMMON_WORDS = frozenset(w.casefold() for w in STOP_WORDS) | CLINICAL_WORDS | SPEECH_WORDS

ALLOW_LISTS = ("eponyms.txt", "drugs.txt", "clinical_abbreviations.txt", "clinical_scores.txt")

_NOT_RANKED = 10**6  # the rank of a word that is no census name


def _data_lines(name: str) -> list[str]:
    """The items of ``recognizers/data/NAME``, stripped, without blank and ``#`` lines."""
    text = (resources.files("recognizers") / "data" / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


# -- census names ----------------------------------------------------------------------------------
@cache
def _ranked(name: str) -> dict[str, int]:
    ranks: dict[str, int] = {}
    for rank, word in enumerate((w.casefold() for w in _data_lines(name)), start=1):
        ranks.setdefault(word, rank)
    return ranks


def first_names() -> dict[str, int]:
    """US Census 1990 first names, case-folded, with their frequency rank."""
    return _ranked("first_names.txt")


def surnames() -> dict[str, int]:
    """The 30,000 most frequent US Census 1990 surnames, case-folded, with their frequency rank."""
    return _ranked("surnames.txt")


def is_frequent_name(word: str) -> bool:
    """Among the 1,000 most frequent first names or 1,000 most frequent surnames."""
    folded = word.casefold()
    return first_names().get(folded, _NOT_RANKED) <= 1000 or surnames().get(folded, _NOT_RANKED) <= 1000


def is_known_name_any(word: str) -> bool:
    """In the census first-name or surname lists, whatever else the word means ("Rob", "Bill", "O'Connell")."""
    folded = word.casefold()
    bare = folded.replace("'", "").replace("’", "")
    return folded in first_names() or folded in surnames() or bare in surnames() or bare in first_names()


def is_known_name(word: str) -> bool:
    """In the census name lists, and not an ordinary English word unless it is a frequent name.

    Example:
        >>> is_known_name("Lindquist"), is_known_name("Mary"), is_known_name("O'Malley"), is_known_name("round")
        (True, True, True, False)
    """
    folded = word.casefold()
    if folded not in first_names() and folded not in surnames():
        folded = folded.replace("'", "").replace("’", "")  # the census writes "O'Malley" as "omalley"
        if "'" not in word and "’" not in word or (folded not in first_names() and folded not in surnames()):
            return False
    return folded not in english_top() or is_frequent_name(folded)


# -- English ----------------------------------------------------------------------------------------
@cache
def english_top() -> frozenset[str]:
    """The 5,000 most frequent English words (wordfreq), for telling words from names."""
    return frozenset(_wordfreq_top()[:5000])


@cache
def english_words() -> frozenset[str]:
    """The 30,000 most frequent English words (wordfreq): ordinary vocabulary, names included."""
    return frozenset(_wordfreq_top())


@cache
def _wordfreq_top() -> tuple[str, ...]:
    from wordfreq import top_n_list

    return tuple(top_n_list("en", 30000))


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of a word in English (0 for unknown words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@cache
def dictionary_names() -> frozenset[str]:
    """Census first names and surnames that a full English dictionary lists as lower-case words.

    Webster's Second International (the ``web2`` list of ``english-words``, MIT; 210,000 lower-case
    entries) has "miller", "will", "grace" and "brown" in lower case and "john", "andrew" and
    "teresa" only capitalised, as proper nouns. A census name that is a lower-case dictionary
    word is an identifier only with other evidence; one that is not is a name in any case.
    Only the intersection with the census lists is kept (``dictionary_names.txt``, built by
    ``recognizers/data/build_vocab_data.py``).

    Example:
        >>> "miller" in dictionary_names(), "john" in dictionary_names()
        (True, False)
    """
    return frozenset(_data_lines("dictionary_names.txt"))


@cache
def dictionary_words() -> HashedWords:
    """Every lower-case entry of three or more letters of Webster's Second International (the ``web2``
    list of ``english-words``, MIT: 210,600 words in ``dictionary_words.txt``, generated by
    ``recognizers/data/build_vocab_data.py``), kept as 64-bit hashes (:class:`HashedWords`, 1.6 MB).

    It knows the anatomy and ward words that wordfreq's 30,000 most frequent words lack
    ("coccyx", "cannula", "sputum", "extubation") and none of the rare surnames that those
    30,000 also lack, so a word it lists is never a word "no vocabulary knows"
    (:func:`unknown_word`); for :func:`unfamiliar_word`, weaker evidence for a word a cue already
    puts where a name stands, only one of six letters or more is not: "M. DRUB" is a name.

    Example:
        >>> "coccyx" in dictionary_words(), "kowal" in dictionary_words(), "John" in dictionary_words()
        (True, False, False)
    """
    with (resources.files("recognizers") / "data" / "dictionary_words.txt").open("r", encoding="utf-8") as lines:
        return HashedWords(line for line in lines if not line.startswith("#") and line.strip())


class HashedWords:
    """A large word list as a sorted ``array`` of the words' 64-bit hashes (8 bytes a word instead of
    about 170 for a set of strings); a word is in it when its hash is. Two words of a list of
    200,000 share a hash with a probability of about 1 in 10^9.

    Example:
        >>> words = HashedWords(["alpha", "beta"])
        >>> "beta" in words, "gamma" in words, len(words)
        (True, False, 2)
    """

    __slots__ = ("_keys",)

    def __init__(self, words: Iterable[str]) -> None:
        import numpy

        # one word at a time into a typed array: no list of 200,000 strings or ints at any moment
        keys = numpy.unique(numpy.fromiter((hash(w.strip()) for w in words), dtype=numpy.int64))
        self._keys = array("q", keys.tobytes())

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = hash(word)
        at = bisect_left(self._keys, key)
        return at < len(self._keys) and self._keys[at] == key


def in_dictionary(folded: str) -> bool:
    """A lower-case dictionary word (:func:`dictionary_words`) or its plural ("cannulas")."""
    words = dictionary_words()
    return folded in words or (folded.endswith("s") and (folded[:-1] in words or (folded.endswith("es") and folded[:-2] in words)))


# Endings of derived English words that are rarely names ("electronically", "caller", "hematoma").
_WORD_SUFFIX = regex.compile(
    r"(?:ly|tion|sion|ment|ness|ing|ed|ity|ive|ous|ic|ical|ology|itis|osis|emia|ectomy|otomy|scopy|oma|able|ible"
    r"|ance|ence|ism|ist|ize|ise|ful|less|ary|ory|er|ers|al)$"
)


def is_ordinary_word(word: str) -> bool:
    """An everyday English word that is not used as a name often enough to count as one.

    Example:
        >>> is_ordinary_word("Electronically"), is_ordinary_word("Patel"), is_ordinary_word("Mary"), is_ordinary_word("O'Leary")
        (True, False, False, False)
    """
    folded = word.casefold()
    if folded in english_top():
        return not is_frequent_name(folded)
    census = folded.replace("'", "").replace("’", "")  # the census writes "O'Leary" as "oleary"
    return (
        folded in english_words()
        and _WORD_SUFFIX.search(folded) is not None
        and census not in first_names()
        and census not in surnames()
    )


# -- allow-lists and drugs ------------------------------------------------------------------------
@dataclass(frozen=True)
class AllowList:
    """Terms never redacted on their own.

    Items of three characters or fewer match case-sensitively ("ED" the department,
    not "Ed" the person), and a word without capitals' information (all lower case or all
    capitals) matches an item in any case ("gtt", "GTT" and "Gtt"; "abd" and "Abd") unless the item
    listed in title case is also a name ("Neo", "Na"); longer items
    match case-insensitively, except that an abbreviation listed in capitals that is also a census
    name does not match its title-case form ("LIMA" the graft, "Lima" the surname;
    ``abbreviated_names``).
    """

    exact: frozenset[str]
    folded: frozenset[str]
    abbreviated_names: frozenset[str] = frozenset()

    @cached_property
    def _caseless(self) -> frozenset[str]:
        """The short items in capitals: what a word without capitals' information is compared with;
        not those that are also names ("Neo", "Na": "FRIEND NEO TAN"), which match only as listed."""
        names = first_names().keys() | surnames().keys() | world_first_names()
        return frozenset(item.upper() for item in self.exact if item.isupper() or item.casefold() not in names)

    def __contains__(self, word: str) -> bool:
        if len(word) <= 3:  # "ED"/"ed" the department, not "Ed" the person
            return word in self.exact or ((word.islower() or word.isupper()) and word.upper() in self._caseless)
        folded = word.casefold()
        if folded in self.abbreviated_names and word[:1].isupper() and not word.isupper():
            return False  # "Perla Polo", "Sofia Lima": a name written as one
        return folded in self.folded


@cache
def allow_list() -> AllowList:
    """The union of the allow-lists in ``recognizers/data``."""
    exact: set[str] = set()
    folded: set[str] = set()
    abbreviated_names: set[str] = set()
    for name in ALLOW_LISTS:
        for line in _data_lines(name):
            item = " ".join(line.replace("’", "'").split())
            (exact if len(item) <= 3 else folded).add(item if len(item) <= 3 else item.casefold())
            if "-" in item and len(item) > 3:
                folded.add(item.casefold().replace("-", " "))  # notes write "Swan-Ganz" as "swan ganz" too
            if name == "clinical_abbreviations.txt" and len(item) > 3 and item.isupper():
                abbreviated_names.add(item.casefold())  # names among them are kept below
    folded |= drug_dictionary()
    names = first_names().keys() | surnames().keys()
    return AllowList(frozenset(exact), frozenset(folded), frozenset(abbreviated_names & names))


@cache
def drug_dictionary() -> frozenset[str]:
    """One-word drug names (26,000+ generics, brands and variants) from the offline dictionary of
    ``drug-named-entity-recognition`` (MIT; DrugBank open data, MeSH, Wikipedia), without the
    few that are also census first names or surnames ("Allegra", "Camila", "Kendrick"): those
    stay names unless our own ``drugs.txt`` lists them.

    The names are read from ``drug_words.txt`` (built by ``recognizers/data/build_vocab_data.py``).
    """
    names = first_names().keys() | surnames().keys()
    return frozenset(w for w in _data_lines("drug_words.txt") if w not in names)


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


@cache
def _allow_index() -> dict[str, tuple[str, ...]]:
    # curated lists only: fuzzy matching against 26,000 dictionary drug names would take real
    # names for misspelt drugs ("Katrine")
    curated = {" ".join(line.replace("’", "'").casefold().split()) for name in ALLOW_LISTS for line in _data_lines(name)}
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


# -- one typing slip --------------------------------------------------------------------------------
class Deletions:
    """The one-letter deletions of the words of ``min_length`` or more letters, for ``in`` tests.

    Each deletion is one 64-bit key in a sorted ``array``: its string hash in the high bits,
    then the index of the word and the position of the deleted letter, so a key found by
    binary search is checked against the word itself (the answer is exact, hash collisions
    included). Hashes are the process's own ``hash(str)``, so the index is built per process.

    Example:
        >>> deletions = Deletions(["heart", "lung"], 4)
        >>> "hart" in deletions, "lng" in deletions, "heart" in deletions, "hrt" in deletions
        (True, True, False, False)
    """

    __slots__ = ("_words", "_keys", "_slot_bits", "_position_bits", "_hash_mask")

    def __init__(self, words: Iterable[str], min_length: int) -> None:
        self._words = tuple(sorted(w for w in words if len(w) >= min_length))
        longest = max(map(len, self._words), default=1)
        self._position_bits = longest.bit_length()
        self._slot_bits = len(self._words).bit_length() + self._position_bits
        self._hash_mask = (1 << (63 - self._slot_bits)) - 1
        self._keys = array(
            "q",
            sorted(
                ((hash(w[:i] + w[i + 1 :]) & self._hash_mask) << self._slot_bits) | (index << self._position_bits) | i
                for index, w in enumerate(self._words)
                for i in range(len(w))
            ),
        )

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, text: str) -> bool:
        keys, bits = self._keys, self._slot_bits
        wanted = hash(text) & self._hash_mask
        at = bisect_left(keys, wanted << bits)
        position_mask = (1 << self._position_bits) - 1
        while at < len(keys) and keys[at] >> bits == wanted:
            slot = keys[at] & ((1 << bits) - 1)
            word, i = self._words[slot >> self._position_bits], slot & position_mask
            if len(word) == len(text) + 1 and word[:i] + word[i + 1 :] == text:
                return True
            at += 1
        return False


def _one_slip(folded: str, words: frozenset[str], deletes: Deletions) -> bool:
    """One typing slip from one of ``words`` (``deletes`` = their :class:`Deletions`): a letter added,
    dropped, changed, or two letters swapped."""
    if folded in deletes:
        return True  # a letter dropped
    return any((shorter := folded[:i] + folded[i + 1 :]) in words or shorter in deletes for i in range(len(folded)))


@cache
def _english_deletes() -> Deletions:
    """Every English word of four or more letters with one letter deleted (for :func:`_near_english`)."""
    return Deletions(english_words(), 4)


@cache
def _drug_deletes() -> Deletions:
    """The dictionary drug names of six or more letters, each with one letter deleted (for :func:`near_drug`)."""
    return Deletions(drug_dictionary(), 6)


@cache
def _plain_top() -> frozenset[str]:
    """The 5,000 most frequent English words that are not census names."""
    return frozenset(w for w in english_top() if len(w) >= 5 and w not in first_names() and w not in surnames())


@cache
def _plain_top_deletes() -> Deletions:
    return Deletions(_plain_top(), 5)


def _near_english(folded: str) -> bool:
    """One typing slip (a letter added, dropped, changed or two swapped) from an English word: "commonde", "contiue"."""
    return _one_slip(folded, english_words(), _english_deletes())


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


# -- shapes of words no list holds ------------------------------------------------------------------
# Prefixes and endings of the clinical and derived words a 30,000-word vocabulary lacks:
# "reinsert", "transfuse", "precath", "midsternal", "incisional", "transiently", "dyspnea".
_CLINICAL_AFFIX = regex.compile(
    r"^(?:re|pre|post|trans|mid|dys|inter|intra|sub|supra|hyper|hypo|anti|non|un|peri|endo|epi|hemi|neuro|cardi"
    r"|gastr|pneum|oste|brady|tachy|hema|hemo|nephr|hepat|derm|myo|ortho|para|poly|pseudo)"
    r"|(?:al|ly|ion|ia|ic|ous|ed|ing|ate|ize|ise|sis|tomy|scopy|itis|emia|oma|ary|ive|able|ible|ism|ity|ness|ment"
    r"|gram|graph|graphy|plasty|pathy|lysis|ea|ae|us|um|or|ory|metry|ent|logy)$"
)


# A medical root with a medical ending: "Tachycardic", "Bradycardia", "Hepatitis", "Pneumonia".
_MEDICAL_TERM = regex.compile(
    r"(?i)(?:tachy|brady|cardi|pneum|nephr|hepat|gastr|neur|derm|hemat|hemo|osteo|arthr|encephal|angi|thromb|cyan"
    r"|hypo|hyper|dys|leuk|lymph|my[eo]|oste|pulmon|vascul)\w*"
    r"(?:ia|ic|ac|al|itis|osis|emia|ectomy|otomy|scopy|gram|pathy|ous|ary|oma)$"
)


def medical_term(word: str) -> bool:
    """A medical root with a medical ending, whether or not a dictionary lists it: "tachycardic",
    "bradycardia", "hepatitis", "pneumonia" (never a name, however rare).

    Example:
        >>> medical_term("tachycardic"), medical_term("Cardillo")
        (True, False)
    """
    return _MEDICAL_TERM.match(word) is not None


def clinical_form(word: str) -> bool:
    """Shaped like a clinical or derived word: a clinical prefix or ending ("reinsert", "opthamology",
    "incisional"), or a plural of one or of an English word ("fibrillations", "cupcakes")."""
    folded = word.casefold()
    if _CLINICAL_AFFIX.search(folded):
        return True
    return folded.endswith("s") and bool(_CLINICAL_AFFIX.search(folded[:-1]) or folded[:-1] in english_words())


def _compound(folded: str) -> bool:
    """A stop word and an English word written together ("tofloor", "ofthe"): a missing space, not a name."""
    return any(folded[:i] in STOP_WORDS and folded[i:] in english_words() for i in range(1, min(6, len(folded) - 1)))


def unknown_word(word: str) -> bool:
    """A word of five or more letters that no vocabulary here knows: not English (wordfreq top 30,000,
    Zipf < 2.5, no lower-case entry of Webster's Second or its plural: :func:`dictionary_words`),
    not a stop, clinical or allow-listed word, not a drug and not a misspelt one.

    Such a word next to a ward number is the name of a ward ("pelmarsh 3"), not shorthand.

    Example:
        >>> unknown_word("pelmarsh"), unknown_word("levophed"), unknown_word("commode"), unknown_word("labetolol")
        (True, False, False, False)
    """
    folded = word.casefold()
    return _rare_and_unlisted(folded, 5) and not _near_english(folded) and not clinical_form(folded) and not in_dictionary(folded)


def unfamiliar_word(word: str) -> bool:
    """A word of four or more letters that is no English, stop, clinical, allow-listed or drug word
    (nor a misspelt drug, allow-listed term or frequent English word) and is rare (Zipf < 2.5), though
    it may be one typing slip from a rarer English word or shaped like a clinical one (not both): weaker evidence
    than :func:`unknown_word` ("esteri", "recepali", "berrocal"), for a word that a cue already puts
    where a name stands ("B. ESTERI MD AWARE", "NP RECEPALI").

    A dictionary word of six letters or more (:func:`dictionary_words`: "subclavian") is not
    unfamiliar; a shorter one may be a surname ("M. DRUB"). Nor is a medical root with a medical
    ending that no dictionary lists (:func:`medical_term`: "PATIENT IS TACHYCARDIC").

    Example:
        >>> unfamiliar_word("esteri"), unfamiliar_word("berrocal"), unfamiliar_word("famiy"), unfamiliar_word("levophed")
        (True, True, False, False)
        >>> unfamiliar_word("subclavian"), unfamiliar_word("drub")
        (False, True)
    """
    folded = word.casefold()
    return (
        _rare_and_unlisted(folded, 4)
        and not (len(folded) >= 6 and in_dictionary(folded))  # "subclavian"; a short one may be a surname ("drub")
        and not near_drug(folded)
        and not near_frequent_word(folded)
        and not (clinical_form(folded) and _near_english(folded))  # "pneumoniae", "influenzae"
        and not medical_term(folded)  # "tachycardic": a medical root and a medical ending
    )


def _rare_and_unlisted(folded: str, min_length: int) -> bool:
    """What :func:`unknown_word` and :func:`unfamiliar_word` share: ``min_length`` letters or more, no
    English, stop, clinical, allow-listed or drug word, no slip of an allowed term, no two words run
    together, and rare (Zipf < 2.5)."""
    return (
        len(folded) >= min_length
        and folded.isalpha()
        and folded not in english_words()
        and not is_common(folded)
        and folded not in drug_dictionary()
        and zipf(folded) < 2.5
        and not near_allowed(folded)
        and not _compound(folded)
    )


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


@cache
def world_first_names() -> frozenset[str]:
    """First names of Faker's person locales (MIT; already the surrogate generator) and the US Census,
    case-folded and also without their accents ("bärbel" and "barbel": notes are often typed without
    them), less stop, clinical, allow-listed and drug words, frequent English words that are no
    first name, and names shorter than three letters.

    Example:
        >>> "attila" in world_first_names(), "barbel" in world_first_names(), "the" in world_first_names()
        (True, True, False)
    """
    import importlib
    import pkgutil
    import unicodedata

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr) if provider is not None else None
            if isinstance(value, (list, tuple, set, frozenset, dict)):
                names.update(n.casefold() for n in value if isinstance(n, str))
    plain = {"".join(c for c in unicodedata.normalize("NFKD", n) if not unicodedata.combining(c)) for n in names}
    # dictionary words stay: the rules that use them want a capitalised pair or a non-English word
    blocked = COMMON_WORDS | {w for w in english_top() if w not in first_names()} | allow_list().folded
    drugs = drug_dictionary()
    return frozenset(
        n for n in names | plain | first_names().keys() if len(n) >= 3 and n.isalpha() and n not in blocked and n not in drugs
    )


def world_first_name(word: str) -> bool:
    """A first name of some country, of four letters or more, that is no English word: evidence of a
    name in any case, as a census name is ("giulia", "TIBOR", "Mehmet"; not "grace", "gil", nor "BIL",
    which notes write for "bilateral"). No English word: not among wordfreq's 30,000, or, since
    wordfreq counts names too, not among its 5,000 most frequent and no dictionary word
    ("alessandro", "madeleine"; not "sunday", "january").

    Example:
        >>> world_first_name("giulia"), world_first_name("TIBOR"), world_first_name("grace"), world_first_name("bil")
        (True, True, False, False)
        >>> world_first_name("alessandro"), world_first_name("sunday"), world_first_name("january")
        (True, False, False)
    """
    folded = word.casefold()
    if len(folded) < 4 or folded not in world_first_names():
        return False
    return folded not in english_words() or (folded not in english_top() and folded not in dictionary_words())


# -- places -----------------------------------------------------------------------------------------
@cache
def places() -> frozenset[str]:
    """The gazetteer: US cities of 15,000+, US counties and world cities of 1,000,000+, case-folded
    (the smaller towns are :func:`us_towns`)."""
    listed = load_list("us_cities.txt") | load_list("us_counties.txt") | load_list("world_cities.txt")
    return listed | _CITY_SHORT_NAMES | frozenset(variant for place in listed for variant in _prefix_variants(place))


# The names a city goes by that GeoNames files under a longer one ("New York City").
_CITY_SHORT_NAMES = frozenset({"new york", "nyc"})
# How notes write a place's first word: "Saint Louis", "St. Louis", "St Louis"; "Fort Worth", "Ft. Worth".
_PREFIX_SPELLINGS = (("saint", "st.", "st"), ("fort", "ft.", "ft"), ("mount", "mt.", "mt"))


def _prefix_variants(place: str) -> tuple[str, ...]:
    """The other spellings of a place's saint, fort or mount prefix.

    Example:
        >>> _prefix_variants("st. louis"), _prefix_variants("boston")
        (('saint louis', 'st louis'), ())
    """
    first, _, rest = place.partition(" ")
    for spellings in _PREFIX_SPELLINGS:
        if rest and first in spellings:
            return tuple(f"{other} {rest}" for other in spellings if other != first)
    return ()


@cache
def us_towns() -> frozenset[str]:
    """The US postal towns (``us_places.txt``) that are unlikely to be anything else: a one-word town
    of five letters or more that is a rare word (Zipf < 3; "roxbury" is 2.7) no dictionary lists, not even as a plural
    ("edgemere"; not "accord", "honeydew", "banks", "hometown", "tensed" or "colo"), and a town of
    several words with one that is none of the 30,000 most frequent English words ("bel air", "glen
    burnie"; not "battle creek")."""
    words, frequent = dictionary_words(), english_words()

    def listed(word: str) -> bool:
        return word in words or (word.endswith("s") and (word[:-1] in words or (word.endswith("es") and word[:-2] in words)))

    return frozenset(
        place
        for place in load_list("us_places.txt")
        if (" " in place and any(w not in frequent for w in place.split()))
        or (" " not in place and len(place) >= 5 and zipf(place) < 3.0 and not listed(place))
    )


@cache
def everyday_word_towns() -> frozenset[str]:
    """The US postal towns of several words that are all frequent English words ("ocean view", "shady
    grove", "battle creek"): left out of :func:`us_towns`, they name a place only after a cue that says
    someone lives there or came from there ("LIVES IN OCEAN VIEW"), never after "in" alone."""
    frequent, cities = english_words(), places()
    return frozenset(
        place
        for place in load_list("us_places.txt")
        if " " in place and all(w in frequent for w in place.split()) and place not in cities
    )


@cache
def town_first_words() -> frozenset[str]:
    """The first words of the multi-word town names of :func:`us_towns`."""
    return frozenset(town.split()[0] for town in us_towns() if " " in town)


@cache
def place_first_words() -> frozenset[str]:
    """The first words of the multi-word place names."""
    return frozenset(place.split()[0] for place in places() if " " in place)


@cache
def ambiguous_places() -> frozenset[str]:
    """Place names whose every word is a lower-case English dictionary word ("mobile", "normal")."""
    return load_list("ambiguous_places.txt")


# -- the classifier ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WordKind:
    """What one word is, by every table of this module (see :func:`classify`).

    Attributes:
        word: The word, case-folded.
        first_name_rank: Its census first-name frequency rank (1 = most frequent), or ``None``.
        surname_rank: Its census surname frequency rank, or ``None``.
        english: Among wordfreq's 30,000 most frequent English words.
        frequent: Among wordfreq's 5,000 most frequent English words.
        dictionary_name: A census name that Webster's Second lists as a lower-case word ("miller").
        zipf: wordfreq's Zipf frequency (0 for unknown words).
        common: A stop word or clinical word.
        allowed: An allow-listed term (curated lists or dictionary drugs), case rules applied.
        drug: A dictionary drug name.
        place: A gazetteer place name.
        slip: One typing slip from an English word, a drug (8+ letters) or an allow-listed term.
        unknown: No vocabulary here knows it (:func:`unknown_word`).
    """

    word: str
    first_name_rank: int | None
    surname_rank: int | None
    english: bool
    frequent: bool
    dictionary_name: bool
    zipf: float
    common: bool
    allowed: bool
    drug: bool
    place: bool
    slip: bool
    unknown: bool

    @property
    def name(self) -> bool:
        """A census first name or surname, whatever else it is."""
        return self.first_name_rank is not None or self.surname_rank is not None

    @property
    def frequent_name(self) -> bool:
        """Among the 1,000 most frequent first names or surnames."""
        return any(rank is not None and rank <= 1000 for rank in (self.first_name_rank, self.surname_rank))


def classify(word: str) -> WordKind:
    """Every answer about ``word`` at once.

    Example:
        >>> kind = classify("Miller")
        >>> kind.name, kind.frequent_name, kind.dictionary_name, kind.drug
        (True, True, True, False)
        >>> classify("zorbulax").unknown, classify("metoprolol").drug, classify("Contiue").slip
        (True, True, True)
    """
    folded = word.casefold()
    return WordKind(
        word=folded,
        first_name_rank=first_names().get(folded),
        surname_rank=surnames().get(folded),
        english=folded in english_words(),
        frequent=folded in english_top(),
        dictionary_name=folded in dictionary_names(),
        zipf=zipf(folded),
        common=folded in COMMON_WORDS,
        allowed=word in allow_list(),
        drug=folded in drug_dictionary(),
        place=folded in places(),
        slip=folded not in english_words() and (_near_english(folded) or near_drug(folded) or near_allowed(folded)),
        unknown=unknown_word(folded),
    )


def preload() -> None:
    """Load every table (and wordfreq's frequency table) now, once per process; later calls are free."""
    first_names(), surnames(), english_top(), english_words(), dictionary_words(), allow_list(), _allow_index()
    _english_deletes(), _drug_deletes(), _plain_top_deletes()
    places(), place_first_words(), ambiguous_places(), us_towns(), town_first_words(), everyday_word_towns()
    zipf("the")
