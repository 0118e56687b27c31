"""Detection view of a text: evasion-resistant normalization with an offset map.

Detection runs on a normalized copy of the text so that invisible characters,
full-width and other compatibility forms (NFKC), combining marks, dash look-alikes,
digits of other scripts and look-alike letters from other scripts (Cyrillic "о" in a
Latin name) cannot hide an identifier. Findings are mapped back to offsets in the
original text, which is what the output is built from.

Folded out of the view (they render as nothing, or only decorate a letter):

* every Default_Ignorable_Code_Point (zero-width characters, soft hyphen, variation
  selectors U+FE00-FE0F, U+E0100-E01EF and U+180B-180D, tag characters U+E0000-E007F,
  Hangul fillers, ...) and every format character (category Cf: interlinear annotation
  U+FFF9-FFFB, bidi controls, ...), derived from the Unicode properties by ``regex``;
* combining marks (category M), after canonical decomposition of the character they sit
  on: "José" and "Jose\u0301" are both seen as "Jose".

Folded to ASCII: every dash (Unicode property Dash: U+2010-2015, U+2212 MINUS SIGN,
U+FE58, U+FE63, U+FF0D, ...) becomes "-", every decimal digit becomes its ASCII digit.

Shortened in the view: a run of more than :data:`RUN_KEPT` blanks (spaces and tabs, mixed or not),
or of one punctuation mark or symbol (a line padded with 30,000 spaces, a ruler of dashes, a run of
apostrophes) keeps its first :data:`RUN_KEPT`. Such runs hold nothing to find, and a pattern or tokenizer that reads a run one
character at a time from every position is quadratic on them: a line padded with blanks had a
pattern time out (the record quarantined) and a run of apostrophes took spaCy's tokenizer seconds.
Letters, digits and line breaks are never dropped.

Text whose display order differs from its stored order (bidi embeddings, overrides and
isolates, U+202A-202E and U+2066-2069) is not folded: a name stored reversed inside
RLO...PDF displays correctly but is detected in stored order. :func:`reorders` tells
the engine, which quarantines such records (E111).
"""

from __future__ import annotations

import functools
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Sequence

import regex

# Characters that render as nothing and can be slipped inside a word.
_INVISIBLE = frozenset(
    "\u00ad"  # soft hyphen
    "\u034f"  # combining grapheme joiner
    "\u061c"  # arabic letter mark
    "\u115f\u1160\u17b4\u17b5\u180e"
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u3164\ufeff\uffa0"  # hangul fillers, zero-width no-break space (BOM)
)

# Invisible by property: default-ignorable code points and format characters.
_IGNORABLE_RE = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}]")
# Dash look-alikes, folded to "-".
_DASH_RE = regex.compile(r"[\p{Dash}\u2043\u02d7\u2796\ufe63\uff0d]")
# A run of one blank, punctuation mark or symbol longer than this keeps only this many in the view.
RUN_KEPT = 64
# blanks first, tabs and spaces mixed: a run of one blank must not stop where the other begins
_LONG_RUN_RE = regex.compile(rf"[ \t]{{{RUN_KEPT + 1},}}|([^\p{{L}}\p{{N}}\p{{M}}\n\r])\1{{{RUN_KEPT},}}")
# Controls that make the display order differ from the stored order.
_REORDER_RE = regex.compile("[\u202a-\u202e\u2066-\u2069]")

# Letters from Cyrillic and Greek that look like Latin ones (Unicode confusables, subset).
_HOMOGLYPHS = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ɡ": "g",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u",
}


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A normalized detection view plus the map back to the original text.

    ``starts[i]`` and ``ends[i]`` are the original offsets covered by normalized
    character ``i``. For pure ASCII input without tricks the view is the text
    itself and both maps are ``None`` (identity). The maps are compact integer arrays
    (8 bytes a character, not a Python int object each: a multi-megabyte document
    keeps them small).
    """

    original: str
    text: str
    starts: Sequence[int] | None = None
    ends: Sequence[int] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalized span ``[start, end)`` back to the original text.

        Example:
            >>> view = normalize("J\\u200bohn")
            >>> view.text, view.to_original(0, 4)
            ('John', (0, 5))
        """
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def reorders(text: str) -> bool:
    """True when ``text`` holds bidi embedding, override or isolate controls (U+202A-202E,
    U+2066-2069), so that what a reader sees is not the stored order.

    Example:
        >>> reorders("Patient \u202enolubeZ\u202c"), reorders("Patient Zebulon")
        (True, False)
    """
    return not text.isascii() and _REORDER_RE.search(text) is not None


def _invisible(char: str) -> bool:
    return char in _INVISIBLE or _IGNORABLE_RE.match(char) is not None


@functools.lru_cache(maxsize=65536)
def _fold(char: str) -> str:
    if _invisible(char):
        return ""
    out = []
    for c in unicodedata.normalize("NFKC", char):
        if _invisible(c):
            continue
        parts = c
        if not c.isascii():
            decomposed = unicodedata.normalize("NFD", c)
            if any(unicodedata.category(d).startswith("M") for d in decomposed):
                parts = decomposed  # a letter with marks; others (Hangul syllables) stay whole
        for part in parts:
            if unicodedata.category(part).startswith("M"):
                continue  # a combining mark: "é" is seen as "e"
            if _DASH_RE.match(part):
                part = "-"
            elif not part.isascii() and (digit := unicodedata.decimal(part, None)) is not None:
                part = str(digit)
            out.append(_HOMOGLYPHS.get(part, part))
    return "".join(out)


def normalize(text: str) -> NormalizedText:
    """Return the detection view of ``text``.

    Example:
        >>> normalize("call ５５５-１２３４").text
        'call 555-1234'
        >>> normalize("Jоhn").text  # Cyrillic o
        'John'
        >>> normalize("Zebu\ufe0flon Jose\u0301 MRN 998\u221287766").text
        'Zebulon Jose MRN 998-87766'
    """
    if text.isascii():
        return _shorten_runs(NormalizedText(text, text))
    pieces: list[str] = []
    starts = array("q")
    ends = array("q")
    for index, char in enumerate(text):
        folded = char if char.isascii() else _fold(char)
        if not folded:
            continue
        pieces.append(folded)
        if len(folded) == 1:
            starts.append(index)
            ends.append(index + 1)
        else:
            starts.extend([index] * len(folded))
            ends.extend([index + 1] * len(folded))
    view = "".join(pieces)
    del pieces
    if view == text:
        return _shorten_runs(NormalizedText(text, text))
    # A span that ends right before removed invisible characters keeps its end;
    # a span that starts after them begins at the visible character. Both are what
    # we want: the hidden characters between two halves of a name are covered
    # because they fall inside the span's original range.
    return _shorten_runs(NormalizedText(text, view, starts, ends))


def _shorten_runs(view: NormalizedText) -> NormalizedText:
    """``view`` with every run of more than :data:`RUN_KEPT` of one blank, punctuation mark or
    symbol cut to its first :data:`RUN_KEPT` (see the module docstring); the maps follow.

    Example:
        >>> view = normalize("Seen" + " " * 1000 + "Boston")
        >>> len(view.text), view.to_original(68, 74)
        (74, (1004, 1010))
    """
    runs = list(_LONG_RUN_RE.finditer(view.text))
    if not runs:
        return view
    text = view.text
    keep = []  # the view's kept pieces, as [start, end) offsets into it
    position = 0
    for run in runs:
        keep.append((position, run.start() + RUN_KEPT))
        position = run.end()
    keep.append((position, len(text)))
    starts, ends = array("q"), array("q")
    for a, b in keep:
        if view.starts is None or view.ends is None:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend(view.starts[a:b])
            ends.extend(view.ends[a:b])
    return NormalizedText(view.original, "".join(text[a:b] for a, b in keep), starts, ends)


def fold_value(value: str) -> str:
    """Canonical form of a matched value for fingerprints and propagation.

    Example:
        >>> fold_value("  JOHN\\u200b  Smith ")
        'john smith'
    """
    return " ".join(normalize(value).text.casefold().split())
