"""What the report and the card say, shared by their renderers: formatting helpers and key figures.

Everything here reads the JSON-ready dictionaries of an assessment (``Assessment.to_dict()``),
never documents.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any


TOP_DOCUMENTS = 20  # riskiest documents listed in the report
MAX_LEAKS_SHOWN = 12  # suspected leaks listed per document before "+N more"


# -- small formatting helpers --------------------------------------------------------------
def _e(value: Any) -> str:
    """HTML-escape anything (ids and reasons come from input data)."""
    return html.escape(str(value), quote=True)


def _md(value: Any) -> str:
    """Escape a value for Markdown text or a table cell: no HTML, links, emphasis or table syntax.

    CommonMark lets any ASCII punctuation be backslash-escaped, so ``<`` becomes ``\\<``
    (a literal character, never a tag) and the raw file stays readable.
    """
    text = " ".join(str(value).split())
    text = re.sub(r"([\\`*\[\]|#~<>&!])", r"\\\1", text)
    return re.sub(r"(?<!\w)_|_(?!\w)", r"\\_", text)


def _count(n: Any) -> str:
    return f"{n:,}" if isinstance(n, int) and not isinstance(n, bool) else ("—" if n is None else str(n))


def _prob(x: Any) -> str:
    return "—" if x is None else f"{float(x):.3f}"


def _pct(x: Any) -> str:
    return "—" if x is None else f"{100 * float(x):.1f}%"


def _plural(n: Any, noun: str, plural: str = "") -> str:
    return f"{_count(n)} {noun if n == 1 else plural or noun + 's'}"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _verdict(checks: list[dict] | None, passed: bool | None) -> tuple[str, str, list[str]]:
    """(css class, headline, failing checks' "name: reason") of the verdict banner."""
    checks = checks or []
    if passed is None and checks:
        passed = all(bool(c.get("passed")) for c in checks)
    if passed is None:
        return "info", "Risk assessment only: no publication checks were run", []
    failing = [f"{c.get('name', '?')}: {c.get('reason', '')}" for c in checks if not c.get("passed")]
    if passed:
        return "pass", f"PASS: {len(checks)} of {_plural(len(checks), 'publication check')} passed" if checks else "PASS", failing
    counted = f"{len(failing)} of {_plural(len(checks), 'publication check')} failed; " if checks else ""
    return "fail", f"FAIL: {counted}do not publish yet", failing


def _has_text(assessment: dict) -> bool:
    return any(leak.get("text") is not None for d in assessment.get("documents") or [] for leak in d.get("leaks", []))


def _where(doc: dict) -> str:
    """Output file, plus the record number in a JSONL or CSV file (1-based)."""
    output = str(doc.get("output", ""))
    if Path(output).suffix.lower() in (".jsonl", ".csv"):
        return f"{output}, record {int(doc.get('index', 0)) + 1}"
    return output


def _top_documents(assessment: dict, n: int) -> list[dict]:
    docs = assessment.get("documents") or []
    return sorted(docs, key=lambda d: (-d.get("score", 0.0), -d.get("likely_leaks", 0), str(d.get("doc"))))[:n]


def _class_size_bins(histogram: dict[str, int], k: int) -> list[tuple[str, int, int, bool]]:
    """(label, records, classes, below k) per class-size bin; k is always a bin edge."""
    sizes = {int(s): n for s, n in histogram.items()}
    if not sizes:
        return []
    top = max(sizes)
    edges = {1, 2, 3, 4, k}
    step = 5
    while step <= top:  # 5, 10, 20, 50, 100, 200, 500, ...
        edges.add(step)
        step = step * 2 if str(step)[0] in "15" else step * 5 // 2
    ordered = sorted(e for e in edges if e <= top) + [top + 1]
    bins = []
    for low, high in zip(ordered, ordered[1:]):
        records = sum(s * n for s, n in sizes.items() if low <= s < high)
        classes = sum(n for s, n in sizes.items() if low <= s < high)
        label = str(low) if high == low + 1 else f"{low}–{high - 1}"
        bins.append((label, records, classes, high - 1 < k))
    return bins


def _k_story(assessment: dict) -> tuple[int, bool, str]:
    """(k, gated, statement): the one k the report speaks of, and what it means.

    A report of ``scrubber check`` (its gate limits are in ``assessment["check"]["limits"]``) shows
    the gate's ``min_k``: classes below it are red only when it is above 1; at 1, k-anonymity is
    not gated and the report says so. A ``scrubber risk`` report gates nothing: its k is the
    reference k given with ``--k``.
    """
    qi = assessment.get("dataset", {}).get("quasi_identifiers", {})
    limits = (assessment.get("check") or {}).get("limits") or {}
    if "min_k" in limits:
        k = max(1, int(limits["min_k"]))
        if k > 1:
            return k, True, f"the check requires k ≥ {k}"
        return 1, False, "k-anonymity is not gated: the check requires k ≥ 1 (set min_k in the policy's [check] or --min-k to gate it)"
    k = max(1, int(qi.get("k", 1) or 1))
    return k, True, f"reference k = {k} (from --k; a risk report gates nothing)"


def _score_bins(scores: list[float]) -> list[tuple[str, int, float]]:
    """Ten bins of width 0.1 over [0, 1] (1.0 falls in the last): (label, documents, midpoint)."""
    counts = Counter(min(int(s * 10), 9) for s in scores)
    return [(f"{i / 10:.1f}–{(i + 1) / 10:.1f}", counts.get(i, 0), (i + 0.5) / 10) for i in range(10)]


# -- the figures, shared by the HTML and Markdown reports ------------------------------------------
def _key_figures(assessment: dict) -> list[tuple[str, str, str]]:
    """(figure, value, what it means) for the summary tables."""
    data = assessment.get("dataset", {})
    leaks = data.get("leaks", {})
    qi = data.get("quasi_identifiers", {})
    residual = data.get("residual")
    k = qi.get("k")
    target, gated, statement = _k_story(assessment)
    rows = [
        ("Documents", _count(data.get("documents")), f"{_count(data.get('records'))} {qi.get('unit', 'record')}s, {_count(data.get('characters'))} characters"),
        ("Dataset risk score" + (" (lower bound)" if data.get("score_is_lower_bound") else ""), _prob(data.get("score")),
         "average chance that a document still holds a direct identifier"
         + ("; without an evaluation result it counts only what the leak scan found, so it is a lower bound" if data.get("score_is_lower_bound") else "")),
        ("Highest document risk score", _prob(data.get("max_document_score")), "the riskiest single document"),
        ("Suspected leaks (lower bound)", _count(leaks.get("suspected")), "places in the output a second scan finds suspicious (false alarms included); "
         "the scan shares the scrubber's blind spots, so this is a lower bound"),
        ("Likely leaks (lower bound)", _count(leaks.get("likely")), f"suspected leaks with confidence at least {leaks.get('likely_threshold', '')}, in {_plural(leaks.get('documents_with_likely_leaks', 0), 'document')}; "
         "a lower bound: 0 does not mean none are left (ALL-CAPS names, names split across lines, spelled-out e-mails are missed by both)"),
    ]
    if residual:
        rows.append(("Expected missed identifiers", f"{residual.get('expected_missed_total', 0):.1f}",
                     f"{residual.get('per_1000_documents', 0):.1f} per 1,000 documents, estimated from measured recall"))
    else:
        rows.append(("Expected missed identifiers", "not estimated", "no evaluation result was given"))
    rows += [
        ("k-anonymity", _count(qi.get("k_anonymity")), f"smallest group of {qi.get('unit', 'record')}s sharing the same quasi-identifiers; {statement}"),
        (f"Share below k = {k}", _pct(qi.get("share_below_k")), f"{qi.get('unit', 'record')}s in groups smaller than {k}"
         + ("" if k == target or not gated else f" (--k {k}; the gate's k is {target})") + ("" if gated else " (for information: not gated)")),
        ("Prosecutor risk", _prob(qi.get("prosecutor_risk")), "highest chance of re-identifying someone known to be in the data, from quasi-identifiers "
         f"(1 / the smallest class size{'' if gated else '; not gated'})"),
        ("Average risk", _prob(qi.get("average_risk")), "average of that chance over all records"),
    ]
    return rows


DEFINITIONS: list[tuple[str, str]] = [
    ("Risk score", "For each document, the estimated chance (0 to 1) that it still contains at least one direct "
     "identifier such as a name, date, address or record number. It combines the suspected leaks found by the "
     "second scan (each with a confidence) and, when an evaluation was given, the number of identifiers the "
     "scrubber is expected to have missed in that document. The dataset score is the average over documents."),
    ("Suspected and likely leaks", "A second, independent scan of the scrubbed output looks for anything that "
     "still resembles an identifier (name lists, name cues such as \"Dr.\", number, date, phone and e-mail shapes, "
     "and the scrubber's own recognizers at low thresholds). Many suspected leaks are false alarms; likely leaks "
     "are the more confident ones and should be reviewed before publication. A clean scan is not proof that "
     "nothing was missed."),
    ("Expected missed identifiers", "An estimate from measured accuracy: if the scrubber finds 95 of every 100 "
     "names in a test corpus, then for every 95 names it hid here about 5 are expected to remain. It is only as "
     "good as the resemblance between the test corpus and this dataset."),
    ("Quasi-identifiers", "Facts that do not identify a person on their own but can in combination: age band, "
     "sex, years, three-digit ZIP code, state, ethnicity, occupation and rare events. They are found in the "
     "free text by simple rules, so the figures built on them are estimates."),
    ("Equivalence class and k-anonymity", "Records (patients where known, else documents) with exactly the same "
     "quasi-identifiers form an equivalence class. k-anonymity is the size of the smallest class: k = 1 means "
     "at least one record is unique on these facts. The share below k counts records in classes smaller than "
     "k: the smallest class size `scrubber check` requires (min_k; at 1, k-anonymity is not gated), or the "
     "reference k given to `scrubber risk` with --k."),
    ("Prosecutor risk", "The highest chance that an attacker who knows a person is in the dataset, and knows "
     "their quasi-identifiers, picks out that person's record: 1 divided by the smallest class size."),
    ("Average risk", "The same chance averaged over all records: the number of classes divided by the number "
     "of records."),
]


def _provenance(assessment: dict) -> list[tuple[str, str]]:
    audit = assessment.get("audit")
    if not audit:
        return [("Audit log", "none found: the run's tool, model, policy and key cannot be confirmed")]
    tool = audit.get("tool") or {}
    versions = audit.get("versions") or {}
    policy = audit.get("policy") or {}
    docs = audit.get("documents") or {}
    rows = [
        ("Tool", f"{tool.get('name', '?')} {tool.get('version', '?')}"),
        *((name, str(v)) for name, v in versions.items()),
        ("Policy", f"{policy.get('name', '?')} ({policy.get('digest', 'no digest')})"),
        ("Key source", str(audit.get("key_source"))),
        ("Scrub run finished", str(audit.get("finished_at"))),
        ("Documents in the run", f"{_count(docs.get('read'))} read, {_count(docs.get('written'))} written, {_count(docs.get('quarantined'))} quarantined"),
        ("Audit log", str(audit.get("path"))),
    ]
    return rows


def _tool_name(assessment: dict) -> str:
    tool = (assessment.get("audit") or {}).get("tool") or {}
    return f"{tool.get('name', 'clinical-scrubber')} {tool.get('version', '')}".strip()


def _accuracy_rows(evaluation: dict) -> tuple[list[str], list[list[str]]]:
    header = ["type", "gold spans", "span recall", "char recall", "span precision", "char precision"]
    blind = evaluation.get("type_blind") or {}
    rows = [["all types", _count(blind.get("gold_spans")), _prob(blind.get("span_recall")), _prob(blind.get("char_recall")),
             _prob(blind.get("span_precision")), _prob(blind.get("char_precision"))]]
    for entity, v in sorted((evaluation.get("per_type") or {}).items()):
        rows.append([entity, _count(v.get("gold_spans")), _prob(v.get("span_recall")), _prob(v.get("char_recall")),
                     _prob(v.get("span_precision")), _prob(v.get("char_precision"))])
    return header, rows
