"""Base class for declarative clinical recognizers.

A recognizer is data: patterns, each with its own check (the Presidio idea, without
the per-class ``__init__`` boilerplate)::

    def not_a_year(text, start, end):     # a check: keep (None), drop (0), rescore, narrow
        return 0.0 if text[start:end].startswith(("19", "20")) and end - start == 4 else None

    @register
    class MrnRecognizer(ClinicalPatternRecognizer):
        NAME = "mrn"                      # stable registered name used by policies
        ENTITY = "MEDICAL_RECORD_NUMBER"
        PATTERNS = (
            Rx("labelled", r"(?i:MRN)[:#\\s]+(?P<value>\\d{4,10})", 0.9, check=not_a_year),
        )

Differences from Presidio's ``PatternRecognizer``, each deliberate:

* A pattern may mark the identifier with a named group ``value``; only that
  group becomes the finding, so a label such as "MRN:" stays readable.
* Patterns are compiled once per class, with their own flags (no global
  IGNORECASE, which would make capitalisation cues meaningless).
* Every match runs under a time budget; a pattern that times out raises
  :class:`RecognizerTimeout`, and the engine quarantines the record. Presidio
  logs and skips such a pattern, which would publish a document with one
  recognizer silently switched off.
* ``CONTEXT`` words are looked up in a character window before (and after) the
  match and raise the score by ``CONTEXT_BOOST``; patterns flagged
  ``needs_context`` are dropped without it.
* Each pattern carries its own ``check(text, start, end)``: it sees the whole
  document, so a checksum or a look-around rule ("not followed by mg") is one
  small function next to the pattern it belongs to. No code looks a rule up
  by the pattern's name. A recognizer-wide rule (one that holds for every
  pattern) is :meth:`ClinicalPatternRecognizer.validate`; a recognizer's
  rule for the patterns that declare no check is ``default_check``.
* A pattern's ``cue`` (:class:`Cue`) says how much the text around a match
  already vouches for it; the name recognizers read it (see
  :mod:`recognizers.names`).
* A pattern may declare what every match of it contains (``requires``, such as
  five digits for a ZIP code); a text without it skips the pattern. Most notes
  have no ZIP code, so most notes are never scanned for one.

Speed: a pattern is tried at every position of the text, so what it checks
first decides its cost. A leading look-ahead on a rare character (``(?=\\d)``) lets
the ``regex`` module jump between candidate positions, and a cue written as a
look-ahead before a look-behind (``(?=(?i:aware))(?<=NAME )``) fails at most
positions before the costly look-behind runs. Both leave the matches unchanged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from typing import Callable, ClassVar, Iterable, Iterator, Optional, Sequence, Tuple, Union

import regex
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from recognizers.checks import luhn_valid  # noqa: F401 - re-exported (scrubber.surrogates imports it from here)
from recognizers.document import ASCII_TOKEN, Document, Span

# Time budget for one pattern over one document: a base plus one second per 50,000
# characters. Linear patterns stay far below it (about 0.6 s per MB for the slowest);
# only catastrophic backtracking reaches it, and then the record is quarantined.
PATTERN_TIMEOUT_SECONDS = 5.0
PATTERN_SECONDS_PER_CHAR = 1 / 50_000


def time_budget(text: str) -> float:
    """Seconds one pattern may spend on ``text``."""
    return PATTERN_TIMEOUT_SECONDS + len(text) * PATTERN_SECONDS_PER_CHAR


class RecognizerTimeout(Exception):
    """A pattern exceeded its time budget; the record must be quarantined (code E302).

    ``recognizers`` does not import ``scrubber``, so the code is a literal here; it is in
    the table of ``scrubber/errors.py`` (``tests/test_errors.py`` checks it).
    """

    code = "E302"


class Cue(IntEnum):
    """How much the text around a match vouches for it (read by the name recognizers).

    ``NONE``: no cue; the words must look like a name by themselves (capitals in
    mixed-case text, no everyday word). ``STRONG``: a cue stands next to the match
    ("seen by", "AWARE"), so a name word may be in any case ("dr. lindquist").
    ``TRUSTED``: a title, credential, header label or relation; allow-listed words
    are names too ("Dr. Parkinson", "son Will").
    """

    NONE = 0
    STRONG = 1
    TRUSTED = 2


# A full stop after a word of four letters or more ends a sentence; "St.", "Jr.", "J." and "D.C." keep theirs.
_SENTENCE_STOP = regex.compile(r"(?<![.])\p{L}{4,}\.$")

# What a check returns: None keeps the pattern's score, 0 drops the span, a number is the new
# score (a valid checksum returns 1.0), (start, end, score_or_None) narrows the span.
Verdict = Union[float, Tuple[int, int, Optional[float]], None]
Check = Callable[[str, int, int], Verdict]


def keep(text: str, start: int, end: int) -> None:
    """The check of a pattern whose every match stands: it overrides the recognizer's ``default_check``."""
    return None


def glued_to_word(separators: str, *, word: str = r"\p{L}{2,}") -> str:
    r"""A look-behind for a value written right after a word and a separator, without a blank: notes in
    capitals glue them ("SON-617-555-0142", "CXR:12/3", "LAST BM.12/1"). The word (two letters or more
    by default) starts after a blank or punctuation, so digits or a longer token before it do not count.

    Example:
        >>> import regex
        >>> after_dash = regex.compile(glued_to_word("[-:.]") + r"\d")
        >>> [bool(after_dash.search(t)) for t in ("CXR-1", "CXR:1", "12-1", "X-1")]
        [True, True, False, False]
    """
    return rf"(?<=(?<![\w/.-])(?:{word}){separators})"


class Words:
    """A prefilter: one of these words occurs in the text as a whole word, in any case.

    Most cues are words ("aware", "pager", "christmas"), and a document's words are a set
    (:attr:`Document.tokens`), so whether one of them occurs costs a set lookup per word instead
    of a case-insensitive scan of the text. The same test as a regular expression
    (:attr:`pattern`: ``(?i)`` whole words) answers for a text that is not ASCII, and it is the
    definition: on an ASCII text the set says yes wherever the expression does, and for words of
    letters and digits only it answers exactly as the expression does.

    A word of several tokens ("reached at", "lic#") needs only its first token ("reached", "lic"):
    a necessary condition, which is all a prefilter must be (a pattern it lets through finds only
    what it would have found).

    Example:
        >>> from recognizers.document import Document
        >>> pager = Words(("pager", "beeper", "call back"))
        >>> [Document(t).has(pager, 1.0) for t in ("PAGER#40717", "Pt will CALL BACK", "pagers", "beeper: 4")]
        [True, True, False, True]
        >>> [Document(t).has(pager, 1.0) for t in ("bé pager", "bé pagers")]  # not ASCII: the expression answers
        [True, False]
    """

    __slots__ = ("words", "pattern", "first_tokens")

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(sorted(set(words), key=lambda w: (-len(w), w)))
        if not self.words:
            raise ValueError("E018 a word prefilter needs at least one word")
        alternation = "|".join(regex.escape(w) for w in self.words)
        self.pattern = regex.compile(rf"(?i)(?<![^\W_])(?:{alternation})(?![^\W_])", regex.V0)
        first = [ASCII_TOKEN.match(w.lower()) for w in self.words]
        # the set answers only for words it can answer for exactly: ASCII, starting with a letter or digit
        exact = all(m is not None and w.isascii() for w, m in zip(self.words, first))
        self.first_tokens = frozenset(m.group() for m in first if m is not None) if exact else None

    def __hash__(self) -> int:
        return hash(self.words)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and other.words == self.words

    def __repr__(self) -> str:
        return f"Words({len(self.words)} words)"

    def search(self, text: str, pos: int = 0, endpos: int | None = None, *, timeout: float | None = None) -> regex.Match | None:
        """The first of the words in ``text``, by the expression, as ``regex`` answers it
        (:meth:`Document.has` asks the set first)."""
        return self.pattern.search(text, pos, len(text) if endpos is None else endpos, timeout=timeout)



@dataclass(frozen=True, slots=True)
class Rx:
    """A named, scored pattern with its own check.

    Attributes:
        name: Human-readable pattern name, recorded in the analysis explanation (tests
            assert on it; no code dispatches on it).
        regex: The expression (``regex`` module syntax). Use ``(?x)`` with a comment per
            line for any expression longer than about 100 characters.
        score: Base confidence in [0, 1].
        needs_context: Keep a match only if a ``CONTEXT`` word is near it.
        flags: Extra ``regex`` flags.
        requires: An expression that matches inside every match of ``regex`` (a
            necessary condition, checked once per document by :meth:`Document.has`): texts
            without it skip the pattern. It must never reject a text the pattern matches.
            :class:`Words` for one of several whole words, in any case (a set lookup).
        check: ``check(text, start, end) -> Verdict`` for a candidate span of this
            pattern (see :data:`Verdict`); None runs the recognizer's ``default_check``.
        cue: How strong the cue written into the pattern is (:class:`Cue`).
        starts: :class:`Words` one of which starts every match (its first word, ASCII letters and
            digits, is the whole word at the match's start: "seen" in "seen at", "tx" in "tx'd to").
            In an ASCII text the pattern is tried only where one of them starts
            (:meth:`Document.where`) instead of at every character: what it finds is the same.
    """

    name: str
    regex: str
    score: float
    needs_context: bool = False
    flags: int = 0
    requires: str | Words = ""
    check: Optional[Check] = None
    cue: Cue = Cue.NONE
    starts: Optional[Words] = None


@cache
def _prefilter(requires: str | Words, flags: int) -> regex.Pattern | Words:
    """One compiled object per distinct prefilter, so patterns (of any recognizer) can share its result."""
    if isinstance(requires, Words):
        return requires
    return regex.compile(requires, flags | regex.V0)


def _matches_at(rx: regex.Pattern, text: str, starts: Sequence[int], budget: float) -> Iterator[regex.Match]:
    """What ``rx.finditer(text)`` finds, for an expression whose every match starts at one of the
    offsets ``starts`` (in order) and is not empty: tried at each of them, after the end of the last
    match, all within one time budget (as one scan is).

    Raises:
        TimeoutError: the tries took longer than ``budget`` seconds together.
        ValueError: E019, an empty match (its start word is not part of it).
    """
    deadline = time.monotonic() + budget
    after = 0
    for start in starts:
        if start < after:
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("regex timed out")
        if (match := rx.match(text, start, timeout=remaining)) is not None:
            if match.end() == start:
                raise ValueError("E019 a pattern with start words matched an empty string")
            yield match
            after = match.end()


class ClinicalPatternRecognizer(LocalRecognizer):
    """Pattern recognizer driven by class constants; see the module docstring."""

    NAME: ClassVar[str] = ""
    ENTITY: ClassVar[str] = ""
    PATTERNS: ClassVar[Sequence[Rx]] = ()
    CONTEXT: ClassVar[Sequence[str]] = ()
    CONTEXT_WINDOW: ClassVar[int] = 40
    CONTEXT_AFTER: ClassVar[int] = 0
    CONTEXT_BOOST: ClassVar[float] = 0.35
    # read by the engine (scrubber/engine.py): a cue (title, credential, label) backs every finding
    # of this recognizer, so the engine's allow-lists do not apply to them
    CUED: ClassVar[bool] = False

    _compiled: ClassVar[tuple[tuple[Rx, regex.Pattern, regex.Pattern | Words | None], ...] | None] = None
    _context_rx: ClassVar[regex.Pattern | None] = None
    # the context words as whole words anywhere in the document, searched once per document before a
    # pattern that needs context: without one, no match of the pattern can stand ("lic" inside
    # "complication" is no licence context; a window that cuts a word is no context either)
    _context_pre: ClassVar[Words | None] = None

    def __init__(self, supported_language: str = "en", name: str | None = None, context: Sequence[str] | None = None) -> None:
        """Build the recognizer; the keyword arguments are the ones Presidio's registry loader passes.

        Args:
            supported_language: Only ``"en"``: the patterns and word lists are English.
            name: The name findings carry (default: the registered ``NAME``).
            context: Replaces the class's ``CONTEXT`` words for this instance (the recognizer
                applies them itself, so Presidio's context enhancer has none to add twice).

        Raises:
            ValueError: for a language other than English.
        """
        if supported_language != "en":
            raise ValueError(f"E016 recognizer {self.NAME!r} supports English ('en') only, not {supported_language!r}")
        super().__init__(supported_entities=[self.ENTITY], name=name or self.NAME, supported_language="en")
        if context is not None:
            self.CONTEXT = tuple(context)
            # the context words as one prefilter, whose expression is also the context test's
            pre = _prefilter(Words(self.CONTEXT), 0) if self.CONTEXT else None
            self._instance_context_pre = pre
            self._instance_context_rx = pre.pattern if pre is not None else None

    @classmethod
    def compiled(cls) -> tuple[tuple[Rx, regex.Pattern, regex.Pattern | Words | None], ...]:
        """Compile the class's patterns (and their ``requires`` prefilters) once per class, on first use."""
        if cls.__dict__.get("_compiled") is None:
            names = [p.name for p in cls.PATTERNS]
            if len(set(names)) != len(names):  # the explanation would not say which rule fired
                raise ValueError(f"E017 recognizer {cls.NAME!r} has two patterns with one name: {names}")
            for p in cls.PATTERNS:
                if p.starts is not None and p.starts.first_tokens is None:
                    raise ValueError(f"E019 {cls.NAME}/{p.name}: start words must be ASCII and begin with a letter or digit")
            cls._compiled = tuple(
                (p, regex.compile(p.regex, p.flags | regex.V0), _prefilter(p.requires, p.flags) if p.requires else None)
                for p in cls.PATTERNS
            )
            if cls.CONTEXT:
                cls._context_pre = _prefilter(Words(cls.CONTEXT), 0)
                cls._context_rx = cls._context_pre.pattern  # the whole-word test, near a match or anywhere
            else:
                cls._context_rx = cls._context_pre = None
        return cls._compiled  # type: ignore[return-value]

    def load(self) -> None:  # noqa: D102 - Presidio hook
        from recognizers.lexicon import preload

        self.compiled()
        preload()  # word lists load with the engine, not inside the first documents

    # -- the hooks --------------------------------------------------------------------
    def validate(self, text: str, start: int, end: int, rx: Rx) -> Verdict:
        """Check a candidate span found by the pattern ``rx``: its own check, else ``default_check``.

        Override it (and call ``super()``) only for a rule that holds for every pattern of the
        recognizer; a rule of one pattern belongs in that pattern's ``check``.

        Returns:
            A :data:`Verdict`: ``None`` keeps the score, ``0`` rejects the span, a number is the new
            score, ``(start, end, score_or_None)`` narrows the span.
        """
        if rx.check is not None:
            return rx.check(text, start, end)
        return self.default_check(text, start, end, rx)

    def default_check(self, text: str, start: int, end: int, rx: Rx) -> Verdict:
        """The recognizer's check for the patterns that declare none (default: keep)."""
        return None

    # -- machinery --------------------------------------------------------------------
    def has_context(self, text: str, start: int, end: int) -> bool:
        """True when one of the CONTEXT words occurs near the span."""
        rx = self.__dict__["_instance_context_rx"] if "_instance_context_rx" in self.__dict__ else type(self)._context_rx
        if rx is None:
            return False
        window = text[max(0, start - self.CONTEXT_WINDOW) : start]
        if rx.search(window, timeout=PATTERN_TIMEOUT_SECONDS):
            return True
        if self.CONTEXT_AFTER:
            return rx.search(text[end : end + self.CONTEXT_AFTER], timeout=PATTERN_TIMEOUT_SECONDS) is not None
        return False

    def spans(self, text: str) -> Iterable[tuple[int, int, float, str]]:
        """Yield ``(start, end, score, pattern_name)`` for every accepted match."""
        for start, end, score, pattern in self.candidates(text):
            yield start, end, score, pattern.name

    def candidates(self, text: str) -> Iterable[tuple[int, int, float, Rx]]:
        """Yield ``(start, end, score, pattern)`` for every accepted match (the pattern itself, not its name)."""
        budget = time_budget(text)
        document = Document.of(text)  # a prefilter shared by several patterns runs once per document
        compiled = self.compiled()
        context_pre = self.__dict__["_instance_context_pre"] if "_instance_context_pre" in self.__dict__ else type(self)._context_pre
        for pattern, rx, required in compiled:
            try:
                if required is not None and not document.has(required, budget):
                    continue  # nothing every match needs: no match
                if pattern.needs_context and (context_pre is None or not document.has(context_pre, budget)):
                    continue  # no context word anywhere in the text: no match of this pattern can stand
                starts = document.where(pattern.starts) if pattern.starts is not None else None
                if starts is not None and not starts:
                    continue  # none of the words every match starts with
                matches = rx.finditer(text, overlapped=False, timeout=budget) if starts is None else _matches_at(rx, text, starts, budget)
                for match in matches:
                    start, end = match.span("value") if "value" in rx.groupindex else match.span()
                    if start < 0 or end <= start:
                        continue
                    score = pattern.score
                    context = self.has_context(text, start, end) if self.CONTEXT else False
                    if pattern.needs_context and not context:
                        continue
                    if context:
                        score = min(1.0, score + self.CONTEXT_BOOST)
                    verdict = self.validate(text, start, end, pattern)
                    if isinstance(verdict, tuple):
                        start, end, new_score = verdict
                        score = score if new_score is None else new_score
                    elif verdict is not None:
                        score = verdict
                    if score > 0:
                        if text[end - 1] == "." and _SENTENCE_STOP.search(text, start, end):
                            end -= 1  # the full stop ends the sentence, not the name: "lives in Oakdale. anna"
                        yield start, end, score, pattern
            except TimeoutError as exc:
                raise RecognizerTimeout(f"{self.NAME}/{pattern.name}") from exc

    def find(self, text: str) -> list[Span]:
        """Every accepted match in ``text`` as a :class:`~recognizers.document.Span` (the project's span type)."""
        return [Span(start, end, self.ENTITY, score, self.name, name) for start, end, score, name in self.spans(text)]

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102 - Presidio hook
        return [to_presidio(span, self.id) for span in self.find(text)]


# -- the Presidio edge: the only place a Span becomes a RecognizerResult, and back ---------------
def to_presidio(span: Span, recognizer_id: str, explanation: str = "") -> RecognizerResult:
    """``span`` as the ``RecognizerResult`` Presidio's analyzer expects from a recognizer.

    Args:
        span: What the recognizer found.
        recognizer_id: The recognizer instance's Presidio ``id``.
        explanation: A textual explanation (for a span that no pattern found).
    """
    return RecognizerResult(
        entity_type=span.entity_type,
        start=span.start,
        end=span.end,
        score=span.score,
        analysis_explanation=AnalysisExplanation(
            recognizer=span.recognizer,
            original_score=span.score,
            pattern_name=span.pattern or None,
            textual_explanation=explanation or None,
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: span.recognizer,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer_id,
        },
    )


def from_presidio(result: RecognizerResult) -> Span:
    """A result of Presidio's analyzer as a :class:`~recognizers.document.Span` (of any recognizer,
    Presidio's own included: a result without a recognizer name is ``"?"``)."""
    explanation = result.analysis_explanation
    return Span(
        result.start, result.end, result.entity_type, result.score,
        result.recognition_metadata.get(RecognizerResult.RECOGNIZER_NAME_KEY, "?"),
        (explanation.pattern_name or "") if explanation is not None else "",
    )


def load_list(name: str) -> frozenset[str]:
    """Load ``recognizers/data/NAME`` as a case-folded set (one item a line, ``#`` comments).

    Example:
        >>> isinstance(load_list("eponyms.txt"), frozenset)
        True
    """
    from importlib import resources

    path = resources.files("recognizers") / "data" / name
    if not path.is_file():
        return frozenset()
    items = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            items.add(" ".join(line.casefold().split()))
    return frozenset(items)
