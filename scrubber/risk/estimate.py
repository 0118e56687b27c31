"""The calibrated residual estimate: expected identifiers the scrubber missed, from measured recall.

With per-type recall from ``scrubber evaluate --json``: for a type with ``n`` findings in
the audit log and measured recall ``r``, the expected total is ``n / r`` and the expected
misses ``n (1 - r) / r`` (a ratio estimator: it assumes the evaluated corpus is
representative of this dataset).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from scrubber.errors import ScrubberError
from scrubber.risk.values import DocumentRisk


def load_evaluation(path: Path) -> dict[str, float]:
    """Per-type recall from a ``scrubber evaluate --json`` file.

    Raises:
        ScrubberError: E504 unreadable or without per-type recall.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        recall = {t: float(v["span_recall"]) for t, v in data["per_type"].items() if v.get("gold_spans")}
        recall["_all"] = float(data["type_blind"]["span_recall"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ScrubberError("E504", f"{path} is not a `scrubber evaluate --json` result with per-type recall", "write one with: scrubber evaluate GOLD.jsonl --json > eval.json") from None
    return recall


def residual_estimate(documents: list[DocumentRisk], recall: dict[str, float], *, source: str = "") -> dict[str, Any]:
    """Expected missed identifiers per type (in all, and per 1,000 documents); sets each document's share."""
    floor = 0.05  # a type measured at recall ~0 would make n / r explode; said in the output
    per_type: dict[str, Any] = {}
    totals: Counter = Counter()
    for d in documents:
        expected = 0.0
        for entity, n in d.findings.items():
            r = max(recall.get(entity, recall.get("_all", 1.0)), floor)
            miss = n * (1.0 - r) / r
            expected += miss
            totals[entity] += miss
        d.expected_missed = expected
    count = max(len(documents), 1)
    for entity in sorted(set(recall) | set(totals)):
        if entity == "_all":
            continue
        per_type[entity] = {
            "recall": recall.get(entity),
            "expected_missed": round(totals.get(entity, 0.0), 3),
            "per_1000_documents": round(1000 * totals.get(entity, 0.0) / count, 2),
        }
    return {
        "source": source,
        "method": "ratio estimator: a type with n findings and measured recall r has n/r identifiers expected, "
        "so n(1-r)/r missed; recall floored at 0.05; assumes the evaluated corpus resembles this dataset",
        "expected_missed_total": round(sum(totals.values()), 3),
        "per_1000_documents": round(1000 * sum(totals.values()) / count, 2),
        "per_type": per_type,
    }
