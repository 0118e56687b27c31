"""Shared pieces of the name rules: the name-word patterns, the cue-layer trim, word helpers.

spaCy's PERSON entities come from :mod:`recognizers.ner`; the cue patterns of this package add the
cues clinical text has and a general-domain model misses: titles, credentials,
"LAST, FIRST" headers, relatives, "seen by"/"d/w", "SMITH AWARE", initials
before a surname, signatures and bare initials. Names after a strong cue are
found in any case ("dr. lindquist", "son bill", "DR VOSOLO"); every candidate
word is checked by :func:`recognizers.lexicon.plausible_name_word`, so "Dr. on
call", "son called" or "SEE PT" are not names. A word that no vocabulary knows well
(:func:`recognizers.vocab.unfamiliar_word`: no English, stop, clinical or drug word, rare, and
no slip of a frequent word, drug or allow-listed term; a slip of a rarer English word counts,
as foreign surnames often are one: "ESTERI", "LINDEL") is a name next to any of these cues, in
any case: the cue and the unfamiliar word are two pieces of evidence ("PER K. DUDZIAK", "md
dudziak aware", "agnieszka called", "B. LINDEL MD AWARE"). In mixed-case text a short ALL-CAPS
word is an acronym ("per SSRI"), not such a word.

Decision rule of a cue pattern without its own check (:class:`_NameCue`): keep the leading run of
plausible name words and initials (:func:`trim_to_name`), as strictly as the pattern's ``cue`` says.
"""

from __future__ import annotations

import regex

from recognizers.base import ClinicalPatternRecognizer, Cue, Rx, Words
from recognizers.lexicon import (
    COMMON_WORDS,
    PERSONAL_TITLES,
    RELATION_WORD,
    document_case,
    drug_dictionary,
    english_top,
    first_names,
    is_allowed,
    is_known_name,
    not_common_word,
    plausible_name_word,
    surnames,
)
from recognizers.vocab import (
    is_ordinary_word,
    medical_term,
    near_common_word,
    near_drug,
    unfamiliar_word,
    unknown_word,
    world_first_name,
    zipf,
)

_NOT_COMMON = not_common_word()
# A capitalised or ALL-CAPS name word: Smith, O'Neil, Smith-Jones, SMITH, MCDONALD-ROSS.
_NAME = (
    rf"(?:{_NOT_COMMON}(?:"
    r"\p{Lu}['’](?:\p{Lu}{2,}|\p{L}\p{Ll}+)"  # O'Connell, O'connell, O'NEIL
    r"|\p{Lu}\p{Ll}{1,2}\p{Lu}\p{Ll}+"  # McDonald, MacLean, DeVito
    r"|\p{Lu}{2,}(?:-\p{Lu}{2,})?"  # SMITH, FORMAN-LYONS
    r"|\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"  # Smith, Smith-Jones
    r")(?!\p{L}))"
)
# A name word in any case, for use after a strong cue only: lindquist, o'connell.
_ANY = rf"(?:{_NOT_COMMON}(?:\p{{L}}['’])?\p{{L}}\p{{Ll}}+(?:-\p{{L}}\p{{Ll}}+)?(?!\p{{L}})|{_NAME})"
# What a person does, right after a name: "bill called", "MAROTTA STATES" (a weak cue after the name).
_NAME_VERB = (
    r"(?:called|phoned|visited|was\s+updated|updated|in\s+to\s+visit|came\s+in|spoke|states|reports|verbaliz(?:ed|es)|wish(?:es|ed)"
    r"|is\s+speaking"
    r"|does\s+not|is\s+(?:the\s+)?(?:hcp|proxy))\b"
)
_NAME_VERB_STARTS = Words("called phoned visited was updated in came spoke states reports verbalized verbalizes wishes wished is does".split())
_INITIAL = r"(?:\p{Lu}\.?)"
_FULL = rf"(?:{_NAME}(?:\s+{_INITIAL}(?=\s))?(?:\s+{_NAME}){{0,2}})"
_FULL_ANY = rf"(?:(?:{_INITIAL}\s?)?{_ANY}(?:\s+{_INITIAL}(?=\s))?(?:[ \t]+{_ANY}){{0,2}})"
_CREDENTIAL = (
    r"(?:M\.?D|D\.?O|R\.?N|B\.?S\.?N|N\.?P|P\.?A(?:-C)?|Ph\.?D|PharmD|R\.?Ph|LPN|LVN|CNA|MSW|LCSW|LICSW|RRT|CRT|CRNA"
    r"|FNP(?:-BC|-C)?|ANP|ACNP|APRN|DNP|DDS|DMD|OTR(?:/L)?|DPT|CCC-SLP|MPH|FACS|FACP|FACC|MLS(?:\(ASCP\))?)"
)


def _capital_after(cue: str) -> str:
    """A prefilter for "cue, then a capitalised name": the cue looked up back from each capital letter."""
    return rf"(?=\p{{Lu}})(?<=(?i:{cue}))"


_TOKEN = regex.compile(r"[^\s,]+")
_AN_INITIAL = regex.compile(r"\p{Lu}\.?")  # fullmatch: "J" or "J."
_JOINERS = frozenset(("and", "&"))


def trim_to_name(text: str, start: int, end: int, *, cued: bool, trust_cue: bool = False) -> tuple[int, int, None] | float | None:
    """Keep the leading run of plausible name words (and initials) of a candidate span.

    "nkechi helps" -> "nkechi"; a span whose first word is not plausible is rejected.
    """
    case = document_case(text)
    kept_end = None
    saw_name = False
    tokens = list(_TOKEN.finditer(text, start, end))
    for index, token in enumerate(tokens):
        word = token.group()
        if _AN_INITIAL.fullmatch(word):  # an initial
            kept_end = token.end() if saw_name or kept_end is None else kept_end
            continue
        if word.casefold() in _JOINERS and saw_name:
            continue
        if saw_name and word.casefold() in drug_dictionary():
            break  # "Dr. Jones Lasix given": a drug after the name (eponyms stay: "Dr. John Foley")
        if not plausible_name_word(word, case, cued=cued, trust_cue=trust_cue) and not (
            trust_cue and not saw_name and _word_first_name(word, tokens[index + 1 : index + 2], case)
        ) and not _cued_unfamiliar(word.strip(".,;:\"'()"), case):  # the pattern's cue and a word no vocabulary knows
            break
        saw_name = True
        kept_end = token.end()
    if not saw_name:
        # a lone initial after a strong cue ("Dr. L.") is still a name
        only = text[start:end].strip()
        return None if cued and _AN_INITIAL.fullmatch(only) else 0.0
    if kept_end == end:
        return None
    return start, kept_end, None


def trim_before_cue(text: str, start: int, end: int, *, cued: bool, trust_cue: bool = False) -> tuple[int, int, None] | float | None:
    """The name words before a cue that follows the name (a credential): what :func:`trim_to_name`
    keeps from the left; when its first word is no name, the longest run of plausible name words
    that ends at ``end`` ("WILL A. FORMAN-LYONS, RRT" -> "A. FORMAN-LYONS": "will" is a stop word).

    The word that touches the credential is where a surname stands: after a first name, or after an
    initial, it is one on less evidence than a word alone (:func:`_surname_by_cue`): "EFFIE G. HAND,
    RRT", "thijmen honing crt", "J. Beer PA" (not "ANNA AWARE RN", "B. LASIX RN")."""
    verdict = trim_to_name(text, start, end, cued=cued, trust_cue=trust_cue)
    if verdict is None:
        return verdict
    whole = _with_surname_by_cue(text, start, end, verdict)
    if whole is not None:
        return whole
    if verdict != 0.0:
        return verdict
    for token in list(_TOKEN.finditer(text, start, end))[1:]:
        if trim_to_name(text, token.start(), end, cued=cued, trust_cue=trust_cue) is None:
            return token.start(), end, None
    return verdict


def _with_surname_by_cue(text: str, start: int, end: int, verdict) -> tuple[int, int, None] | None:
    """The whole span when :func:`trim_to_name` stopped only at its last word, which touches the cue,
    and the words before it are a first name (with or without an initial) or an initial alone, and
    that last word can be their surname (:func:`_surname_by_cue`)."""
    tokens = list(_TOKEN.finditer(text, start, end))
    if len(tokens) < 2:
        return None
    kept_end = verdict[1] if isinstance(verdict, tuple) else tokens[0].end() if _AN_INITIAL.fullmatch(tokens[0].group()) else None
    if kept_end != tokens[-2].end():
        return None  # more than the last word was dropped
    before = [t.group() for t in tokens[:-1]]
    words = [w for w in before if not _AN_INITIAL.fullmatch(w)]
    initial = len(words) < len(before)
    if len(words) > 1 or (words and not first_name_word(words[0])) or (not words and not initial):
        return None
    return (start, end, None) if _surname_by_cue(tokens[-1].group(), document_case(text), after_initial=initial) else None


def first_name_word(word: str) -> bool:
    """A census first name or a first name of another country (punctuation and case aside)."""
    folded = word.strip(".,;:()").casefold()
    return folded in first_names() or world_first_name(folded)


def _surname_by_cue(word: str, case: str, *, after_initial: bool) -> bool:
    """Can ``word``, between a first name or an initial and a credential, be a surname? Not a stop,
    drug, clinical or allow-listed word, written as a name is in mixed-case text; after an initial
    a census surname may be an everyday word ("J. Beer", "G. HAND"); after a first name alone it must be
    rarer than the everyday words ("honing", "tron"; not "aware", "called", "hand")."""
    bare = word.strip(".,;:()")
    folded = bare.casefold()
    if len(folded) < 2 or not folded.replace("-", "").replace("'", "").isalpha() or (case == "mixed" and not bare[0].isupper()):
        return False
    if folded in COMMON_WORDS or is_allowed(folded) or folded in drug_dictionary() or near_drug(folded) or medical_term(folded):
        return False
    if after_initial and folded in surnames():
        return True
    return folded not in english_top() and zipf(folded) < 4.0


def rarer_word(word: str) -> bool:
    """A word of three letters or more, rarer than the everyday ones (wordfreq Zipf below 4), that is
    none of the common, clinical, ordinary, drug or allow-listed words: where a cue puts a name in a
    note without capitals, the word mixed case would show capitalised ("DR. GRAS", "SON ZEB", "WIL";
    not "DR AWARE", "DR PAGED", "DR LASIX", nor a relation: "niece TAMSIN")."""
    folded = word.casefold()
    return (
        len(folded) >= 3 and folded.isalpha() and folded not in _TITLES_AND_KIN and folded not in COMMON_WORDS
        and not RELATION_WORD.fullmatch(folded) and folded not in english_top() and not is_ordinary_word(folded) and folded not in drug_dictionary()
        and not is_allowed(folded) and zipf(folded) < 4.0 and not near_common_word(folded)  # "docter"
    )


# Words that stand before a name without being one: the titles, and the titles and relations notes
# abbreviate beyond the relations of RELATION (which rarer_word reads as well).
_TITLES_AND_KIN = PERSONAL_TITLES | frozenset(("miss", "rev", "dau", "hsb", "bro", "sis"))


def _cued_unfamiliar(word: str, case: str) -> bool:
    """A word no vocabulary knows well (:func:`~recognizers.vocab.unfamiliar_word`), where a cue puts a
    name; in mixed-case text a short ALL-CAPS word is an acronym ("per SSRI"), not a name."""
    if case == "mixed" and word.isupper() and len(word) <= 4:
        return False
    return unfamiliar_word(word)


def _word_first_name(word: str, following: list, case: str) -> bool:
    """After a title, an everyday word that is a first name and is followed by a surname: "Dr Will Hartley";
    without capitals, a surname no vocabulary takes for a word ("DR WILL COLE", not "DR WILL SEE")."""
    if not following or not word.isalpha() or word.casefold() not in first_names():
        return False
    surname = following[0].group().strip(".,;:()")
    if case != "mixed":
        return is_known_name(surname) and surname.casefold() not in english_top() or unknown_word(surname)
    return word[0].isupper() and surname[:1].isupper() and plausible_name_word(surname, case)


class _NameCue(ClinicalPatternRecognizer):
    """Names next to a cue. A pattern without its own check keeps the leading run of plausible name
    words (:func:`trim_to_name`), as strictly as its ``cue`` says (:class:`~recognizers.base.Cue`)."""

    ENTITY = "PERSON"

    def default_check(self, text: str, start: int, end: int, rx: Rx):
        return trim_to_name(text, start, end, cued=rx.cue >= Cue.STRONG, trust_cue=rx.cue is Cue.TRUSTED)


# -- words of the vocabulary layer -------------------------------------------------------------
# A word: letters, inner apostrophes and hyphens ("o'brien", "smith-jones").
_WORD = regex.compile(r"(?<![\p{L}\p{N}_'’-])\p{L}(?:[\p{L}'’-]*\p{L})?(?![\p{L}\p{N}_])")
_POSSESSIVE = regex.compile(r"['’]s$", regex.IGNORECASE)


# One letter and a full stop after a word: the initial of a surname ("robert b.", not "p.o." or "a.m.").
INITIAL_AFTER = regex.compile(r"[ \t]+(\p{L})\.(?![\p{L}\d])")


def initial_in_case(name: str, letter: str) -> bool:
    """Is the initial ``letter`` written as the name (its last word) is: a lower-case letter after a
    lower-case name, a capital after a capitalised or ALL-CAPS one ("mary a.", "Mary A.", "MARY A.")."""
    words = name.split()
    last = words[-1] if words else name
    return letter.islower() if last.islower() else letter.isupper()


def _bare(word: str) -> str:
    """``word`` case-folded, without a possessive "'s" (the pattern runs only on words with an apostrophe)."""
    return (_POSSESSIVE.sub("", word) if "'" in word or "’" in word else word).casefold()
