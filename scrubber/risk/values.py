"""The value types of a residual-risk assessment: a suspected leak, a document's risk, the dataset's.

The risk score of a document is the probability that it still holds at least one direct
identifier, ``1 - (1 - p_leak) * exp(-lambda)``, where ``p_leak = 1 - prod(1 - c_i)`` over
the suspected leaks' confidences and ``lambda`` the document's expected misses from the
calibrated estimate (0 without an evaluation file). Re-identification through
quasi-identifiers is reported beside it (``reidentification`` = 1 / class size) and gated
separately by k, because class sizes depend on the dataset's size, not on what the scrubber
missed. The dataset figures (k-anonymity, share below k, prosecutor and average risk) are
those ARX defines.

Machine-readable results carry document ids, offsets, types, confidences and detector
names; the suspected text only when the assessment was made with ``show_text=True``.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from scrubber.audit import READ_OPTIONS
from scrubber.io.readers import ReadOptions


LIKELY = 0.5  # suspected leaks at or above this confidence count as "likely leaks"
LOWER_BOUND_NOTE = (
    "a lower bound: the leak scan shares the scrubber's blind spots (ALL-CAPS names, names split across lines, "
    "spelled-out e-mails ...), so 0 leaks does not mean none are left"
)
DEFAULT_K = 5
QI_FIELDS = ("age", "sex", "year", "zip3", "state", "ethnicity", "occupation", "rare")


@dataclass(frozen=True)
class Leak:
    """A suspected identifier in the output (offsets index the output text)."""

    doc: str
    start: int
    end: int
    entity_type: str
    confidence: float
    detector: str
    text: str | None = None  # only with show_text=True
    before: str | None = None  # only with show_text=True: a few words of the output before the leak
    after: str | None = None  # ... and after it

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k not in ("text", "before", "after") or v is not None}
        d["confidence"] = round(self.confidence, 3)
        return d


@dataclass
class DocumentRisk:
    """One output document's risk and its components."""

    doc: str
    output: str
    index: int
    chars: int
    leaks: list[Leak] = field(default_factory=list)
    quasi: dict[str, Any] = field(default_factory=dict)
    findings: Counter = field(default_factory=Counter)  # from the audit log, per type
    expected_missed: float = 0.0
    class_size: int = 0
    patient: str | None = None

    @property
    def p_leak(self) -> float:
        p = 1.0
        for leak in self.leaks:
            p *= 1.0 - leak.confidence
        return 1.0 - p

    @property
    def score(self) -> float:
        return 1.0 - (1.0 - self.p_leak) * math.exp(-self.expected_missed)

    @property
    def reidentification(self) -> float:
        return 1.0 / self.class_size if self.class_size else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "output": self.output,
            "index": self.index,
            "patient_scoped": self.patient is not None,
            "chars": self.chars,
            "score": round(self.score, 4),
            "components": {
                "leak": round(self.p_leak, 4),
                "residual_expected_missed": round(self.expected_missed, 4),
                "reidentification": round(self.reidentification, 4),
            },
            "likely_leaks": sum(1 for l in self.leaks if l.confidence >= LIKELY),
            "leaks": [l.to_dict() for l in self.leaks],
            "quasi_identifiers": self.quasi,
            "class_size": self.class_size,
        }


@dataclass
class Assessment:
    """The result of :func:`assess` (``to_dict()`` is the JSON report)."""

    documents: list[DocumentRisk]
    k: int
    qi_fields: tuple[str, ...]
    classes: dict[tuple, int]
    residual: dict[str, Any] | None
    audit: dict[str, Any] | None
    sources: list[str]
    assessed_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    read_options: ReadOptions | None = None  # what the outputs were read with
    notes: list[str] = field(default_factory=list)  # read options given that differ from the run record's

    # -- dataset figures ---------------------------------------------------------------
    @property
    def records(self) -> int:
        return len({self._unit(d) for d in self.documents})

    def _unit(self, d: DocumentRisk) -> str:
        return d.patient if d.patient is not None else f"doc:{d.doc}"

    @property
    def k_anonymity(self) -> int:
        return min(self.classes.values()) if self.classes else 0

    @property
    def share_below_k(self) -> float:
        small = sum(size for size in self.classes.values() if size < self.k)
        total = sum(self.classes.values())
        return small / total if total else 0.0

    @property
    def prosecutor_risk(self) -> float:
        return 1.0 / self.k_anonymity if self.k_anonymity else 0.0

    @property
    def average_risk(self) -> float:
        total = sum(self.classes.values())
        return len(self.classes) / total if total else 0.0

    @property
    def score(self) -> float:
        return sum(d.score for d in self.documents) / len(self.documents) if self.documents else 0.0

    @property
    def leaks(self) -> list[Leak]:
        return [l for d in self.documents for l in d.leaks]

    @property
    def likely_leaks(self) -> list[Leak]:
        return [l for l in self.leaks if l.confidence >= LIKELY]

    def to_dict(self, *, documents: bool = True) -> dict[str, Any]:
        by_type = Counter(l.entity_type for l in self.leaks)
        likely_by_type = Counter(l.entity_type for l in self.likely_leaks)
        sizes = Counter(self.classes.values())
        out: dict[str, Any] = {
            "schema": 1,
            "assessed_at": self.assessed_at,
            "sources": self.sources,
            "dataset": {
                "documents": len(self.documents),
                "records": self.records,
                "characters": sum(d.chars for d in self.documents),
                "score": round(self.score, 4),
                "score_definition": "mean over documents of P(document still holds a direct identifier) = 1 - (1 - p_leak) * exp(-expected_missed)",
                "max_document_score": round(max((d.score for d in self.documents), default=0.0), 4),
                "leaks": {"suspected": len(self.leaks), "likely": len(self.likely_leaks), "likely_threshold": LIKELY,
                          "by_type": dict(sorted(by_type.items())), "likely_by_type": dict(sorted(likely_by_type.items())),
                          "documents_with_likely_leaks": sum(1 for d in self.documents if any(l.confidence >= LIKELY for l in d.leaks)),
                          "lower_bound": True, "note": LOWER_BOUND_NOTE},
                # without --evaluation the score counts only what the scan found: a lower bound too
                "score_is_lower_bound": self.residual is None,
                "quasi_identifiers": {
                    "fields": list(self.qi_fields),
                    "unit": "patient" if any(d.patient is not None for d in self.documents) else "document",
                    "k": self.k,
                    "k_anonymity": self.k_anonymity,
                    "share_below_k": round(self.share_below_k, 4),
                    "prosecutor_risk": round(self.prosecutor_risk, 4),
                    "average_risk": round(self.average_risk, 4),
                    "classes": len(self.classes),
                    "class_size_histogram": {str(s): n for s, n in sorted(sizes.items())},
                    "coverage": {f: sum(1 for d in self.documents if d.quasi.get(f)) for f in self.qi_fields},
                },
                "residual": self.residual,
                "findings_by_type": dict(sorted(sum((d.findings for d in self.documents), Counter()).items())),
            },
            "audit": self.audit,
        }
        if self.read_options is not None:
            out["read_options"] = {name: getattr(self.read_options, name) for name in READ_OPTIONS}
        if documents:
            out["documents"] = [d.to_dict() for d in self.documents]
        return out
