"""Long documents in overlapping chunks.

The model and the recognizers run over a long document one chunk at a time, so
spaCy never holds more than a chunk (its memory grows with the length of what
it is given). Chunks end at a line break or a space and overlap their neighbour
by at least ``overlap`` characters. Each chunk has a *trusted interior*: the
chunk without a margin of ``overlap // 4`` characters at each side where it was
cut from the document (no margin at the document's own start and end).

A candidate found inside its chunk's interior was found with at least a margin
of context on both sides, which is what the unchunked document would give it
(recognizers look at most a few dozen characters around a match, spaCy's tagger
a few tokens). A candidate that reaches into a cut margin is a fragment or lacks
context; it is dropped when the neighbouring chunk saw the same span inside its
own interior (that chunk's verdict stands), and kept otherwise (fail closed: a
span no chunk saw whole is still hidden). Interiors of neighbours overlap by at
least ``overlap // 2`` characters, so every entity up to that length lies wholly
inside one interior and is found whole, wherever the cuts fall.

Only detection is chunked: the document-level steps (filtering, merging,
propagation of names to every occurrence, joining places) run over the whole
document afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from scrubber.errors import InvalidValue
from recognizers.document import Span

DEFAULT_CHUNK_CHARS = 50_000
DEFAULT_CHUNK_OVERLAP = 2_000
MIN_CHUNK_OVERLAP = 200


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice ``[start, end)`` of a document and its trusted interior ``[inner_start, inner_end)``."""

    start: int
    end: int
    inner_start: int
    inner_end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.inner_start <= self.inner_end <= self.end):
            raise InvalidValue("E006", f"Chunk bounds out of order: {self.start} {self.inner_start} {self.inner_end} {self.end}")

    def trusts(self, start: int, end: int) -> bool:
        """True when the span ``[start, end)`` (document offsets) lies inside the trusted interior."""
        return self.inner_start <= start and end <= self.inner_end


def check_chunking(chunk_chars: int, overlap: int) -> str | None:
    """Why ``chunk_chars``/``overlap`` cannot work (a PHI-free sentence), or ``None`` when they can.

    Example:
        >>> check_chunking(100_000, 2_000) is None, check_chunking(1_000, 2_000) is None
        (True, False)
    """
    if overlap < MIN_CHUNK_OVERLAP:
        return f"the chunk overlap must be at least {MIN_CHUNK_OVERLAP:,} characters, got {overlap:,}"
    if chunk_chars < 4 * overlap:
        return f"the chunk size must be at least 4 x the overlap ({4 * overlap:,} characters), got {chunk_chars:,}"
    return None


def _cut(text: str, lo: int, hi: int) -> int:
    """A cut point in ``(lo, hi]`` right after a line break, else after a space; ``hi`` if there is neither."""
    newline = text.rfind("\n", lo, hi)
    if newline >= 0:
        return newline + 1
    for index in range(hi - 1, lo - 1, -1):
        if text[index].isspace():
            return index + 1
    return hi


def chunk_bounds(text: str, size: int, overlap: int) -> list[Chunk]:
    """Split ``text`` into overlapping chunks of at most ``size`` characters.

    A chunk ends after a line break (else a space) within its last ``overlap``
    characters; the next one starts after a line break (else a space) between
    ``2 * overlap`` and ``overlap`` characters before that end. A text of at most
    ``size`` characters is one chunk.

    Example:
        >>> text = "word " * 1000
        >>> [(c.start, c.end) for c in chunk_bounds(text, 2000, 400)]
        [(0, 2000), (1600, 3600), (3200, 5000)]
    """
    if (problem := check_chunking(size, overlap)) is not None:
        raise ValueError(problem)
    margin = overlap // 4
    n = len(text)
    bounds: list[tuple[int, int]] = []
    start = 0
    while True:
        if n - start <= size:
            bounds.append((start, n))
            break
        end = _cut(text, start + size - overlap, start + size)
        bounds.append((start, end))
        start = _cut(text, end - 2 * overlap, end - overlap)
    last = len(bounds) - 1
    return [
        Chunk(s, e, s if i == 0 else s + margin, e if i == last else e - margin)
        for i, (s, e) in enumerate(bounds)
    ]


def combine(chunks: Sequence[Chunk], found: Iterable[Iterable[Span]]) -> list[Span]:
    """Shift each chunk's candidates to document offsets and keep the trustworthy ones, once each.

    ``found`` holds, per chunk and in chunk order, candidates in chunk offsets. A
    candidate inside its chunk's interior is kept; one that reaches into a cut
    margin is kept only if no neighbouring chunk saw that span inside its own
    interior. Identical candidates from two chunks are kept once.

    Example:
        >>> chunks = [Chunk(0, 100, 0, 90), Chunk(60, 200, 70, 200)]
        >>> fragment = Span(80, 100, "DATE", 0.6, "date")   # cut off at the end of chunk 1
        >>> whole = Span(20, 45, "DATE", 0.9, "date")       # chunk 2 sees all of it: 80..105
        >>> combine(chunks, [[fragment], [whole]])
        [Span(start=80, end=105, entity_type='DATE', score=0.9, recognizer='date')]
    """
    kept: dict[Span, None] = {}  # ordered set
    for index, (chunk, candidates) in enumerate(zip(chunks, found, strict=True)):
        neighbours = chunks[max(0, index - 1) : index] + chunks[index + 1 : index + 2]
        for c in candidates:
            start, end = c.start + chunk.start, c.end + chunk.start
            if chunk.trusts(start, end) or not any(other.trusts(start, end) for other in neighbours):
                kept.setdefault(Span(start, end, c.entity_type, c.score, c.recognizer), None)
    return list(kept)


def segments(length: int, spans: Iterable[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Cut ``[0, length)`` into pieces of about ``size`` characters, never inside a span.

    ``spans`` are sorted and do not overlap. Used to replace findings a piece at a
    time: Presidio's anonymizer rebuilds the whole text for every replacement,
    which is quadratic in a long document.

    Example:
        >>> segments(100, [(5, 10), (38, 45), (60, 70)], 30)
        [(0, 38), (38, 100)]
    """
    pieces: list[tuple[int, int]] = []
    lo = 0
    for start, _end in spans:
        if start - lo >= size:
            pieces.append((lo, start))
            lo = start
    pieces.append((lo, length))
    return pieces
