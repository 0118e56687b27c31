"""One text under analysis (:class:`Document`) and the one span type (:class:`Span`).

The engine (``scrubber/engine.py``) builds a :class:`Document` once per record from its
detection view, and once per chunk for a document longer than a chunk. It holds what the
rules ask about the whole text: its case (:attr:`Document.case`: do capitals carry
information?), which ``requires`` prefilters occur in it (:meth:`Document.has`), and the
model's entities. Each fact is computed at most once per document, on first use.

Presidio calls a recognizer with ``(text, entities, nlp_artifacts)`` only, and a pattern's
check with ``(text, start, end)``. So the engine makes its document *active* while Presidio
analyses it and while the document steps run (:func:`analysing`, one explicit context that
the engine owns), and a recognizer or check gets the document with :meth:`Document.of`. Called
outside the engine (a test, a single recognizer), :meth:`Document.of` builds a new document for
the text: the facts are the same, only computed again.

:class:`Span` is what recognizers find and what every document step takes and returns. It is
converted to Presidio's ``RecognizerResult`` and back at one edge only
(:func:`recognizers.base.to_presidio`, :func:`recognizers.base.from_presidio`).
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterator, Sequence

import regex

_ASCII_NOT_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_LETTERS = regex.compile(r"[^\W\d_]")
# a word of a lower-cased ASCII text, as word prefilters read it (Document.tokens, recognizers.base.Words)
ASCII_TOKEN = regex.compile(r"[a-z0-9]+")
_CASE_HEAD = 20_000  # the case is read from the first characters of a text
_CASE_MAX = 1_000_000  # a longer text is taken as mixed case


@cache
def _whole_token(token: str) -> regex.Pattern:
    """``token`` where it is a whole word of a lower-cased ASCII text (as :data:`ASCII_TOKEN` splits it)."""
    return regex.compile(rf"(?<![a-z0-9]){regex.escape(token)}(?![a-z0-9])")


@dataclass(frozen=True, slots=True)
class Span:
    """A found span of a document: offsets, entity type, score and the recognizer that found it.

    The one span type inside the project: recognizers return it, and the engine's document
    steps take and return lists of it. Offsets are into the text analysed (the detection view)
    until the engine's ``map-back`` step, into the original text after it. ``pattern`` names the
    pattern that fired, where there is one; it is not part of a span's identity (equality,
    hash) and does not show in its ``repr``.

    Example:
        >>> Span(0, 4, "PERSON", 0.9, "titled_name", "title") == Span(0, 4, "PERSON", 0.9, "titled_name")
        True
    """

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    pattern: str = field(default="", compare=False, repr=False)


def text_case(text: str, *, head: int = _CASE_HEAD) -> str:
    """``"upper"``, ``"lower"`` or ``"mixed"``: whether capitals carry information in ``text``
    (read from its first ``head`` characters, 20,000 by default; a text of a million characters or
    more is mixed).

    Example:
        >>> text_case("PT RESTING. WIFE AT BEDSIDE."), text_case("pt resting"), text_case("Pt resting.")
        ('upper', 'lower', 'mixed')
    """
    if len(text) >= _CASE_MAX:
        return "mixed"
    read = text[:head]
    if read.isascii():  # the same counts as below, by byte deletion (no per-character Python loop)
        data = read.encode("ascii")
        letters = len(data.translate(None, _ASCII_NOT_LETTERS))
        upper = letters - len(data.translate(None, _ASCII_NOT_LETTERS + _ASCII_UPPER))
    else:
        found = _LETTERS.findall(read)
        letters, upper = len(found), sum(c.isupper() for c in found)
    if not letters:
        return "mixed"
    share = upper / letters
    if share > 0.7:
        return "upper"
    if share < 0.02:
        return "lower"
    return "mixed"


def reads_caseless(text: str) -> bool:
    """Whether the caseless NER (:mod:`recognizers.caseless`) reads ``text``: the whole text is in
    lower case or capitals (:func:`text_case` over every character, not only the first 20,000, so
    that a mixed-case part after a long ALL-CAPS one is read by the model's own NER).

    Example:
        >>> reads_caseless("PT RESTING."), reads_caseless("pt resting"), reads_caseless("Pt resting.")
        (True, True, False)
        >>> reads_caseless("PT RESTING. " * 2000 + "Seen by Dr. Achterberg today. " * 900)
        False
    """
    return text_case(text, head=len(text)) != "mixed"


def rule_text(text: str) -> str:
    """The text the rules read for ``text``: ``text`` itself, or ``text.upper()`` when it is in lower case.

    A note without capitals reads the same in lower case and in capitals, so the rules read both
    one way (the ALL-CAPS one): recall on lower-case dictation and transcripts is recall on
    ALL-CAPS nursing notes, by construction, and no rule needs a lower-case copy. The upper-case
    text has the same length (else ``text`` is kept), so offsets are the text's. The model still
    reads the original text.

    Example:
        >>> rule_text("pt seen by dr kowalski."), rule_text("Pt seen by Dr Kowalski.")
        ('PT SEEN BY DR KOWALSKI.', 'Pt seen by Dr Kowalski.')
    """
    if text_case(text) != "lower":
        return text
    upper = text.upper()
    return upper if len(upper) == len(text) else text


class Document:
    """A text under analysis and the facts about it, each computed once.

    Args:
        text: The text the recognizers see (:func:`rule_text` of a record's detection view, or
            one chunk of it).
        view: The engine's detection view (``scrubber.normalize.NormalizedText``) that
            ``text`` is the text of, with the map back to the original; ``None`` for a chunk
            or a text analysed outside the engine.
        entities: The model's entities over ``text`` (spaCy spans), when the model has run.
        caseless_ner: The entities come from the caseless NER (:mod:`recognizers.caseless`), which
            the engine runs on text whose every character is without capitals' information
            (:func:`reads_caseless`), not from the model's own NER.

    Example:
        >>> doc = Document("PT RESTING. WIFE AT BEDSIDE.")
        >>> doc.case, doc.has(regex.compile(r"\\d"), 1.0)
        ('upper', False)
    """

    __slots__ = ("text", "view", "entities", "caseless_ner", "_case", "_prefilters", "_tokens", "_tokens_known", "_lowered", "_where")

    def __init__(self, text: str, *, view: Any = None, entities: Sequence[Any] = (), caseless_ner: bool = False) -> None:
        self.text = text
        self.view = view
        self.entities = entities
        self.caseless_ner = caseless_ner  # the entities are the caseless NER's (recognizers.caseless)
        self._case: str | None = None
        self._prefilters: dict[Any, bool] = {}  # a regex.Pattern or a word prefilter -> found
        self._tokens: frozenset[str] | None = None
        self._tokens_known = False
        self._lowered: str | None = None
        self._where: dict[Any, list[int] | None] = {}  # a word prefilter -> where its words start

    def __repr__(self) -> str:  # never the text
        return f"Document({len(self.text)} characters)"

    @property
    def case(self) -> str:
        """The text's case (:func:`text_case`), computed on first use."""
        if self._case is None:
            self._case = text_case(self.text)
        return self._case

    def has(self, prefilter: Any, timeout: float) -> bool:
        """Whether ``prefilter`` occurs in the text, searched once per document (several patterns,
        of any recognizer, may share one prefilter).

        Raises:
            TimeoutError: the search took longer than ``timeout`` seconds.
        """
        found = self._prefilters.get(prefilter)
        if found is None:
            first_tokens = getattr(prefilter, "first_tokens", None)  # a word prefilter (recognizers.base.Words)
            if first_tokens is not None and (tokens := self.tokens) is not None:
                found = not first_tokens.isdisjoint(tokens)
            else:
                found = prefilter.search(self.text, timeout=timeout) is not None
            self._prefilters[prefilter] = found
        return found

    @property
    def tokens(self) -> frozenset[str] | None:
        """The text's words (runs of ASCII letters and digits) in lower case, for an ASCII text; else ``None``.

        Example:
            >>> sorted(Document("Pager#40717, call_back").tokens), Document("café").tokens
            (['40717', 'back', 'call', 'pager'], None)
        """
        if not self._tokens_known:
            self._tokens = frozenset(ASCII_TOKEN.findall(self._lower())) if self.text.isascii() else None
            self._tokens_known = True
        return self._tokens

    def _lower(self) -> str:
        if self._lowered is None:
            self._lowered = self.text.lower()
        return self._lowered

    def where(self, words: Any) -> list[int] | None:
        """The offsets, in order, where a word of the word prefilter ``words``
        (:class:`recognizers.base.Words`) starts: where its first word (ASCII letters and digits)
        is a whole word of the text. ``None`` where the word set cannot answer (a text or a word
        that is not ASCII): then every offset is a candidate.

        Example:
            >>> from recognizers.base import Words
            >>> Document("Son and SON-in-law; sonny, son").where(Words(("son", "son-in-law")))
            [0, 8, 27]
        """
        if words in self._where:
            return self._where[words]
        found = None
        if words.first_tokens is not None and (tokens := self.tokens) is not None:
            lowered = self._lower()  # ASCII: the same offsets
            found = sorted(m.start() for token in words.first_tokens & tokens for m in _whole_token(token).finditer(lowered))
        self._where[words] = found
        return found

    @staticmethod
    def of(text: str) -> Document:
        """The active document (:func:`analysing`) if ``text`` is its text, else a new document of ``text``.

        Example:
            >>> doc = Document("Pt resting.")
            >>> with analysing(doc):
            ...     Document.of("Pt resting.") is doc, Document.of("other") is doc
            (True, False)
        """
        active = _ACTIVE.get()
        if active is not None and (active.text is text or active.text == text):
            return active
        return Document(text)


_ACTIVE: ContextVar[Document | None] = ContextVar("recognizers_active_document", default=None)


@contextmanager
def analysing(document: Document) -> Iterator[Document]:
    """Make ``document`` the one :meth:`Document.of` returns for its text, for the ``with`` block.

    The engine wraps Presidio's analysis of a document, and the document steps, in it. Blocks
    nest (the previous active document comes back on exit).
    """
    token = _ACTIVE.set(document)
    try:
        yield document
    finally:
        _ACTIVE.reset(token)
