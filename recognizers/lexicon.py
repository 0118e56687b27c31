"""Cue-pattern helpers and the name-word rule, on top of the one vocabulary of :mod:`recognizers.vocab`.

Here: regular-expression pieces built from word lists (:func:`word_trie`, :func:`not_common_word`,
:func:`not_stop_word`, :data:`EPONYM_NOUN`), the case of a document (:func:`document_case`),
whether a word may be part of a name (:func:`plausible_name_word`) and where an allow-listed
phrase starts (:func:`starts_allowed_phrase`).

The word tables and the "what kind of word is this?" predicates live in :mod:`recognizers.vocab`;
the names below re-export them so that ``from recognizers.lexicon import is_common`` keeps working.
"""

from __future__ import annotations

from typing import Iterable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers.document import Document
from recognizers.vocab import (  # noqa: F401 - re-exported: the recognizers import these names from here
    ALLOW_LISTS,
    CLINICAL_WORDS,
    COMMON_WORDS,
    AllowList,
    allow_list,
    classify,
    clinical_form,
    dictionary_names,
    drug_dictionary,
    english_top,
    english_words,
    first_names,
    is_allowed,
    is_common,
    is_frequent_name,
    is_known_name,
    is_known_name_any,
    is_ordinary_word,
    near_allowed,
    near_common_word,
    near_drug,
    near_frequent_word,
    plain_names,
    preload,
    surnames,
    unknown_word,
    world_first_name,
    world_first_names,
    zipf,
)


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
    return rf"(?!(?i:{word_trie(w for w in COMMON_WORDS if w.isalpha())})(?!\p{{L}}))"


def document_case(text: str) -> str:
    """``"upper"``, ``"lower"`` or ``"mixed"``: whether capitals carry information in this text.

    The case of the document being analysed (:attr:`recognizers.document.Document.case`,
    computed once per document); see :func:`recognizers.document.text_case`.

    Example:
        >>> document_case("PT RESTING. WIFE AT BEDSIDE."), document_case("pt resting"), document_case("Pt resting.")
        ('upper', 'lower', 'mixed')
    """
    return Document.of(text).case


# A relation or contact, as a relative's name follows it ("niece Tamsin", "SON ROB"): never a name itself.
RELATION = (
    r"(?:husband|wife|son|daughter|dtr|mother|mom|father|dad|brother|sister|spouse|partner|friend|niece|neice"
    r"|nephew|grandson|granddaughter|grandmother|grandfather|aunt|uncle|cousin|boyfriend|girlfriend|fianc[eé]e?"
    r"|sibling|child|children|grandchild|grandchildren|kid|grandkid|stepson|stepdaughter|stepmother|stepfather"
    r"|grandma|grandpa|mum|caregiver|roommate|neighbor|neighbour|guardian|proxy|hcp|nok|in-law|contact\s+person)s?"
)
RELATION_WORD = regex.compile(rf"(?i:{RELATION})")

# Titles a note writes before a name; never a word of one.
PERSONAL_TITLES = frozenset(("dr", "drs", "mr", "mrs", "ms", "mx", "prof"))


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
        >>> plausible_name_word("Drs.", "mixed", cued=True), plausible_name_word("Hale", "mixed", cued=True)  # a title is none
        (False, True)
    """
    bare = word.removesuffix("'s").removesuffix("’s").strip(".,;:\"“”'()")
    if len(bare) < 2 or any(ch.isdigit() for ch in bare):
        return False
    if "-" in bare.strip("-") and not cued and case != "mixed":
        # a double-barrelled name without capitals: every part a name by itself ("FORMAN-LYONS", not "AWARE-WILL")
        parts = bare.strip("-").split("-")
        return all(len(p) >= 2 and plausible_name_word(p, case) for p in parts)
    folded = bare.casefold()
    if folded in PERSONAL_TITLES:
        return False  # a title stands before a name and is none: "with Drs. Hale and Brandt"
    if cued:
        # a title, credential or relation outweighs the allow-lists ("Dr. Parkinson", "Bernard Foley, CRT");
        # nothing outweighs the common words
        if folded in COMMON_WORDS or (not trust_cue and (bare in allow_list() or folded in drug_dictionary() or near_drug(folded))):
            return False  # a drug, or a misspelt one, before "ordered" or after "per" ("NYSTANTIN ORDERED")
        name_too = folded in first_names() or surnames().get(folded, 10**6) <= 1000
        if folded in english_top() and not name_too:
            return False  # "daughter states", "son called"
        if case == "mixed" and bare[0].isupper():
            # a capital after a cue: "daughter Priya"; a short ALL-CAPS word that no census lists is an
            # acronym in mixed-case text ("two children PTA"), not a name ("Dr. LEE" is one)
            return not (bare.isupper() and len(bare) <= 4 and not is_known_name_any(folded))
        # no capital to go by: an ordinary English word is not a name ("son trached", "son, owns"), nor a
        # misspelt frequent one that no list of names holds ("HOSPTIAL LEGAL CONTACTED"; not "son barbel")
        if is_ordinary_word(folded) or (
            near_common_word(folded) and not is_known_name_any(folded) and folded not in world_first_names()
        ):
            return False
        parts = folded.strip("-").split("-")
        if len(parts) > 1 and all(len(p) >= 2 and is_known_name_any(p) for p in parts):
            return True  # a double-barrelled name after a cue: "wife jo-ellen", "DR. FORMAN-LYONS"
        return is_known_name_any(folded) or zipf(folded) < 3.2
    if is_common(bare):
        return False
    if folded in english_top() and not is_frequent_name(folded):
        return False
    if case == "mixed":
        # a capital is needed; a short ALL-CAPS token in mixed text is an acronym (NPI, MVC)
        return bare[0].isupper() and not (bare.isupper() and len(bare) <= 4) and not is_ordinary_word(bare)
    return is_known_name(bare) or world_first_name(bare)


def not_stop_word() -> str:
    """A negative look-ahead refusing an English stop word or a movement verb (for facility names)."""
    words = {w for w in STOP_WORDS if w.isalpha()} | {"transfer", "transferred", "admitted", "from", "seen", "treated", "at"}
    return rf"(?!(?i:{word_trie(words)})(?!\p{{L}}))"


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


_NEXT_WORDS = regex.compile(r"[^\s,;:()]+")


def starts_allowed_phrase(text: str, start: int, *, max_words: int = 5) -> bool:
    """True when a multi-word allow-listed term begins at ``start`` ("Glasgow Coma Scale", "Bence Jones protein").

    Example:
        >>> starts_allowed_phrase("GCS: Glasgow Coma Scale 14", 5), starts_allowed_phrase("Mr. Glasgow came", 4)
        (True, False)
    """
    return allowed_phrase_end(text, start, max_words=max_words) is not None


_PHRASE_GAP = regex.compile(r"[ \t]+")  # what may stand between two words of an allow-listed phrase
_WORD_STARTS_BEFORE = regex.compile(r"(?<![^\s,;:()])[^\s,;:()]")


def in_allowed_phrase(text: str, start: int, end: int, *, max_words: int = 5) -> bool:
    """True when a multi-word allow-listed term covers ``text[start:end]``, starting there or up to
    four words before it ("Hicks" in "Braxton Hicks contractions").

    Example:
        >>> text = "Braxton Hicks contractions overnight; Mr. Hicks called"
        >>> in_allowed_phrase(text, 8, 13), in_allowed_phrase(text, 42, 47)
        (True, False)
    """
    starts = [m.start() for m in _WORD_STARTS_BEFORE.finditer(text, max(0, start - 60), start)][-(max_words - 1) :]
    for begin in (start, *reversed(starts)):
        phrase_end = allowed_phrase_end(text, begin, max_words=max_words)
        if phrase_end is not None and end <= phrase_end and not _names_only(text[begin:phrase_end]):
            return True
    return False


def _names_only(phrase: str) -> bool:
    """A phrase made only of census names ("Jackson Pratt", "Kirby Bauer"): as often a person as the
    eponym, so it covers no name (a listed phrase with its noun does: "Jackson Pratt drain")."""
    words = [w.strip(".'’").casefold().removesuffix("'s") for w in regex.split(r"[ \t-]+", phrase) if w]
    return bool(words) and all(w in first_names() or w in surnames() for w in words)


def allowed_phrase_end(text: str, start: int, *, max_words: int = 5) -> int | None:
    """Where the multi-word allow-listed term that begins at ``start`` ends (the shortest), or ``None``.
    Its words follow each other with blanks only, on one line: a comma, semicolon, colon, bracket or
    line break ends the phrase ("Seen by Stevens, Johnson to follow up" holds no "Stevens Johnson").

    Example:
        >>> text = "Braxton Hicks contractions overnight"
        >>> text[: allowed_phrase_end(text, 0)]
        'Braxton Hicks contractions'
        >>> allowed_phrase_end("Spoke with Stevens, Johnson agreed", 11) is None
        True
    """
    folded = allow_list().folded
    words: list[str] = []
    previous_end = None
    for match in _NEXT_WORDS.finditer(text, start, min(len(text), start + 80)):
        if previous_end is not None and not _PHRASE_GAP.fullmatch(text, previous_end, match.start()):
            break  # punctuation or a line break between two words: no phrase runs across it
        previous_end = match.end()
        words.append(match.group().replace("’", "'").casefold())
        if len(words) > 1:
            if " ".join(words) in folded:
                return match.end()
            stripped = " ".join(words).rstrip(".!?")
            if len(words[-1].rstrip(".!?")) > 2 and stripped in folded:
                # also before a full stop ("grasped with Kocher clamps."), not an initial's ("Weber B.")
                return match.end() - (len(" ".join(words)) - len(stripped))
        if len(words) >= max_words:
            break
    return None
