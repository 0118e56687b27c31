"""Values that travel through the pipeline: frozen, validated on construction.

One result type end to end: readers produce :class:`Record`, the engine produces
:class:`ScrubResult` holding :class:`Finding` values, and writers, the audit log,
the evaluator and Spark see nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from scrubber.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Finding:
    """One span of the input that was detected as PHI and hidden in the output.

    Offsets index the *original* input text (not the normalized detection view),
    end exclusive. A finding never carries the matched text: only its keyed
    ``fingerprint`` (HMAC-SHA256 of the normalized value), so findings can be
    logged and audited without leaking PHI. ``out_start``/``out_end`` locate the
    replacement in the *output* text (set by the engine), so a later leak scan of
    the output can tell a surrogate it wrote from an identifier it missed.

    Example:
        >>> Finding(4, 14, "PERSON", 0.85, "spacy_ner")
        Finding(start=4, end=14, entity_type='PERSON', score=0.85, recognizer='spacy_ner', operator='replace', fingerprint='', out_start=None, out_end=None)
    """

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    operator: str = "replace"
    fingerprint: str = ""
    out_start: int | None = None
    out_end: int | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end):
            raise InvalidValue("E001", f"Finding offsets must satisfy 0 <= start < end, got {self.start}..{self.end}")
        if not 0.0 <= self.score <= 1.0:
            raise InvalidValue("E002", f"Finding score must be within [0, 1], got {self.score}")
        if not self.entity_type or not self.entity_type.isupper():
            raise InvalidValue("E003", f"Finding entity_type must be an upper-case name, got {self.entity_type!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict (no matched text, by construction)."""
        return {
            "entity_type": self.entity_type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "recognizer": self.recognizer,
            "operator": self.operator,
            "fingerprint": self.fingerprint,
            **({"out_start": self.out_start, "out_end": self.out_end} if self.out_start is not None else {}),
        }


@dataclass(frozen=True, slots=True)
class Record:
    """One input document.

    Attributes:
        id: Stable identifier (file path, JSONL/CSV id field, or ``source:line``).
        text: The document text; ``None`` when the reader could not produce text
            (then ``error`` says why and the record is quarantined; ``None`` without an
            error is a null text field and gets ``E104``, text not a string).
        patient: Optional patient key; scopes consistent surrogates and date shifts.
        fields: Pass-through fields (JSONL keys, CSV columns) written back unchanged;
            never inspected.
        source: Input file this record came from (``"-"`` for stdin).
        line: 1-based line or row number within ``source`` where that makes sense.
        error: Error code (``E1xx``) when the record could not be read.
    """

    id: str
    text: str | None
    patient: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    line: int | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        if self.text is None and self.error is None:
            # no text and no reason: a null text field (None, SQL NULL), quarantined like NaN
            object.__setattr__(self, "error", "E104")
        elif self.text is not None and self.error is not None:
            raise InvalidValue("E004", "A Record has either text or an error code, not both")

    @property
    def where(self) -> str:
        """``source:line`` (or ``source``) for one-line error messages; never text."""
        return f"{self.source}:{self.line}" if self.line is not None else (self.source or self.id)


@dataclass(frozen=True, slots=True)
class ScrubResult:
    """The scrubbed form of one record.

    Attributes:
        id: The record id.
        text: Anonymized text; empty when the record was quarantined (fail closed:
            the original text is never returned).
        findings: Non-overlapping findings in offset order, offsets into the input.
        error: ``None`` on success, otherwise the quarantine error code.
        detail: A PHI-free description of the error (never the input text).
        reversal: Only with ``Scrubber(crosswalk=True)``: ``(start, end, original)`` per replacement,
            offsets into the *output* text. Holds original PHI: it goes only into the encrypted
            crosswalk, never into the audit log (and is left out of ``repr``).
    """

    id: str
    text: str
    findings: tuple[Finding, ...] = ()
    error: str | None = None
    detail: str = ""
    reversal: tuple[tuple[int, int, str], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.error is not None and (self.text or self.findings or self.reversal):
            raise InvalidValue("E005", "A quarantined ScrubResult carries no text and no findings")

    @property
    def quarantined(self) -> bool:
        """True when the record could not be scrubbed and must not be published."""
        return self.error is not None
