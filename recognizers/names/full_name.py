"""A census first name followed by a surname-like word, no cue needed (``full_name``).

Decision rule (PERSON): "AGNES MUNROE", "Florence Garvey": a known first name is evidence enough
when the next word is a census surname or not an everyday word ("LINDSEY CARDARELLI", not
"GRACE PERIOD"); a word-like first name needs a real surname ("GINGER ALE" is none).
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import Rx
from recognizers.lexicon import (
    english_top,
    english_words,
    first_names,
    is_common,
    is_frequent_name,
    is_ordinary_word,
    surnames,
)
from recognizers.names.common import _AN_INITIAL, _INITIAL, _NAME, _NameCue

_DERIVED_WORD = regex.compile(r"(?:tion|sion|ous|ive|ing|ment|ness|ity|ally|itis|osis|emia|ectomy|otomy)$")


@register
class FullNameRecognizer(_NameCue):
    """A census first name followed by a surname-like word: "AGNES MUNROE", "Florence Garvey".

    No cue is needed: a known first name is evidence enough when the next word
    is a census surname or not an everyday word ("LINDSEY CARDARELLI", not "GRACE PERIOD").
    """

    NAME = "full_name"
    PATTERNS = (Rx("first + last", rf"(?<![\w.])(?P<value>{_NAME}[ \t]+(?:{_INITIAL}\.?[ \t]+)?{_NAME})", 0.6),)

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: a census first name and a surname-like word (see the class docstring)."""
        words = [w for w in text[start:end].split() if not _AN_INITIAL.fullmatch(w)]
        if len(words) != 2:
            return 0.0
        first, last = (w.casefold() for w in words)
        if first not in first_names() or is_common(first) or is_common(last):
            return 0.0
        if first in english_top() and not is_frequent_name(first):
            return 0.0
        if (last in english_top() and not is_frequent_name(last)) or (is_ordinary_word(last) and last not in surnames()):
            return 0.0
        if first in english_words() and not is_frequent_name(first) and last not in surnames():
            return 0.0  # "GINGER ALE": a word-like first name needs a real surname
        if first in english_words() and last not in surnames() and (_DERIVED_WORD.search(last) or last in english_words()):
            return 0.0  # "AMBER SEDIMENTOUS", "GINGER ALE": a word-like first name before a word that is no surname
        return None
