"""Names found by the words themselves, in any case: the vocabulary layer under the cue patterns.

The cue patterns of :mod:`recognizers.names` (titles, cues) need a title, a role or a verb; spaCy needs
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
* In a text without capitals, a first name of another country that is no English word
  (:func:`recognizers.vocab.world_first_name`: "tibor", "NICOLETTA") is a name with the word
  after it when that word is a strong census name, a census name that is no frequent English
  word, or a word no vocabulary knows ("tibor nieto", "NICOLETTA BRETISLAV"); alone it is left
  to the cue patterns, where it counts as a census first name does. In mixed case,
  ``world_name`` reads the capitals instead.
* A census first name that is also an everyday word is a name with a surname's initial after
  it, written in its case ("mary a.", "JACK B."; not "a.m." or "p.o.").
* A word stays only on positive evidence that it is not a name; an eponym in its
  medical sense ("Parkinson's disease") and the start of an allow-listed phrase stay.

The rule is measured, not tuned to examples: see the README's accuracy section.

This module holds the word tests (:func:`strong`, :func:`weak`) and ``vocabulary_name``; the other
rules of the layer are :mod:`~recognizers.names.addressed`, :mod:`~recognizers.names.world`,
:mod:`~recognizers.names.widen` and :mod:`recognizers.places.facility` (``facility_name``).
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import (
    COMMON_WORDS,
    EPONYM_NOUN,
    allow_list,
    dictionary_names,
    document_case,
    english_top,
    english_words,
    first_names,
    is_frequent_name,
    is_known_name,
    near_frequent_word,
    plain_names,
    preload,
    starts_allowed_phrase,
    surnames,
    unknown_word,
    world_first_name,
)
from recognizers.gazetteer import US_STATES
from recognizers.names.common import _WORD, INITIAL_AFTER, _bare, initial_in_case

# What may stand between two words of one name: blanks, or blanks around a middle initial.
_GAP = regex.compile(r"[ \t]+(?:\p{L}\.?[ \t]+)?")
# a name word right before a run of blanks that ends where the search ends ("grace| KOWAL")
_NAME_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{N}_'’/-])(\p{L}(?:[\p{L}'’-]*\p{L})?)[ \t]+$")


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


def _first_name_before_initial(word: str, letter: str) -> bool:
    """A census first name that is also an everyday word ("mary", "jack", "grace") followed by a
    surname's initial written in its case: together a name ("mary a.", "Jack B.", "JANE D.")."""
    return weak(word, position="first") and initial_in_case(word, letter)


_PLACE_CUE_BEFORE = regex.compile(r"(?i)\b(?:in|from|to|of|near|across|outside|visiting)[ \t]+$")


def _state_after_place_cue(text: str, start: int, end: int) -> bool:
    """Is the word at ``start:end`` a US state's name, or its last word ("Florida", "New HAMPSHIRE"),
    right after a place cue? Then it is the state, not a person ("Virginia" without a cue stays a name)."""
    folded = text[start:end].casefold()
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before is not None and " ".join((before.group().strip(" \t-").casefold(), folded)) in US_STATES:
        start = before.start()  # "West Virginia", "NEW HAMPSHIRE"
    elif folded not in US_STATES:
        return False
    return _PLACE_CUE_BEFORE.search(text, max(0, start - 20), start) is not None


@register
class VocabularyNameRecognizer(ClinicalPatternRecognizer):
    """Census names in any case, weighed by what else each word can be."""

    NAME = "vocabulary_name"
    ENTITY = "PERSON"
    # The pattern only names the findings; :meth:`spans` finds and weighs the words.
    PATTERNS = (
        Rx("census name, any case", _WORD.pattern, 0.65),
        Rx("world first name + name word, no capitals", _WORD.pattern, 0.7),
        Rx("first name + initial", _WORD.pattern, 0.7),
    )

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        plain_names(), dictionary_names()

    def spans(self, text: str):
        uncased = document_case(text) != "mixed"
        # where a surname's initial follows a word, found in one scan ("mary a."): most texts have none
        initials = {m.start(): m for m in INITIAL_AFTER.finditer(text)} if "." in text else {}  # keyed by a word's end
        covered = 0  # where the last name found (with the words joined to it) ends
        for match in _WORD.finditer(text):
            word = match.group()
            if match.start() < covered and strong(word):
                continue  # inside that name: its own name would be part of it (and a run of names is not quadratic)
            if not strong(word):
                if uncased and world_first_name(word) and (pair_end := self._world_pair(text, match.end())):
                    yield match.start(), pair_end, 0.7, self.PATTERNS[1].name
                elif initials and (initial := initials.get(match.end())) is not None and _first_name_before_initial(word, initial.group(1)):
                    yield match.start(), initial.end(), 0.7, self.PATTERNS[2].name  # "mary a.", "JACK B."
                continue
            start, end = match.span()
            if EPONYM_NOUN.match(text[end : end + 30]) or _in_allowed_phrase(text, start):
                continue  # "Parkinson's disease", "Glasgow Coma Scale", "Swan Ganz"
            if _state_after_place_cue(text, start, end):
                continue  # "lives in Florida", "drove down from New Hampshire": a state, which Safe Harbor keeps
            start, end, joined = self._extend(text, start, end)
            covered = end
            yield start, end, 0.75 if joined else 0.65, self.PATTERNS[0].name

    @staticmethod
    def _world_pair(text: str, end: int) -> int | None:
        """Where a name ends that a world first name (ending at ``end``) starts, in a text without
        capitals: the next word (over a middle initial) is a census name that is no frequent English word, or a word
        no vocabulary knows ("tibor nieto", "NICOLETTA BRETISLAV"; not "giulia called", "mehmet is")."""
        gap = _GAP.match(text, end)
        nxt = _WORD.match(text, gap.end()) if gap is not None else None
        if nxt is None:
            return None
        word = nxt.group()
        folded = _bare(word)
        if folded in COMMON_WORDS or folded in allow_list().folded or EPONYM_NOUN.match(text[nxt.end() : nxt.end() + 30]):
            return None
        if strong(word) or unknown_word(folded) or (is_known_name(folded) and folded not in english_top()):
            return nxt.end()
        return None

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
        # before: first names ("grace KOWAL"); blanks only, no initial, no word after a slash ("D/W HENNESSEY")
        while True:
            before = _NAME_WORD_BEFORE.search(text, max(0, start - 40), start)
            if before is None:
                break
            word = before.group(1)
            if not (strong(word) or weak(word, position="first")):
                break
            start, joined = start - len(before.group(0)), True
        return start, end, joined
