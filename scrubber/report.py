"""The pre-publication report and dataset card, rendered from a residual-risk assessment.

Three entry points, all plain functions over the JSON-ready dictionaries the rest of
the project already produces (``Assessment.to_dict()``, ``scrubber evaluate --json``,
``Policy.to_dict()`` and the gate results of ``scrubber check``):

* :func:`write_report` writes ``report.html`` (one self-contained file: inline CSS,
  inline SVG charts drawn here, no script, no external reference) and ``report.md``
  (the same key figures and verdict as Markdown tables).
* :func:`write_card` writes a Markdown dataset card in the spirit of "Datasheets for
  Datasets" and Hugging Face dataset cards. Fields only the publisher can answer
  (licence, access rules, intended and out-of-scope use, geography, population,
  contact) are left as marked ``TODO`` blocks. Regenerating a card over an existing
  one rewrites the generated sections and keeps what the publisher wrote inside the
  blocks and in the front matter.
* :func:`verify_card` names the publisher fields still blank.

Nothing here reads documents. The report shows document ids, offsets, types,
confidences and detector names; suspected text appears only when the assessment was
made with ``show_text=True`` (the leaks then carry ``text``), and the report is then
marked "contains text: local review only". The card never shows document ids or text.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from scrubber.errors import ScrubberError
from scrubber.io.writers import atomic_write_text

__all__ = ["PUBLISHER_FIELDS", "write_report", "write_card", "verify_card"]

TOP_DOCUMENTS = 20  # riskiest documents listed in the report
MAX_LEAKS_SHOWN = 12  # suspected leaks listed per document before "+N more"

# Fields of the card only the publisher can fill in: name -> (heading, what to write).
# "license" lives in the front matter (Hugging Face reads it there); the others are
# blocks between <!-- PUBLISHER:name --> and <!-- /PUBLISHER:name --> in the body.
PUBLISHER_FIELDS: dict[str, tuple[str, str]] = {
    "license": ("Licence", "an SPDX identifier such as cc-by-nc-4.0, or other (then describe the terms under Access rules)"),
    "access": ("Access rules", "who may obtain the data, under which agreement (data use agreement, credentialed access, ethics approval) and how to request it"),
    "intended_use": ("Intended use", "the research or development uses the data is released for"),
    "out_of_scope_use": ("Out-of-scope use", "uses that are not allowed or not supported, e.g. any attempt to re-identify patients or to link the data with other sources"),
    "geography": ("Geography", "countries, regions and care sites where the notes were written"),
    "population": ("Population", "who the patients are: care setting, age range, time period, inclusion and exclusion criteria"),
    "contact": ("Contact", "who answers questions and receives reports of residual identifiers (a role address, not a person's private e-mail)"),
}
PLACEHOLDER = "TODO"
_CARD_MARK = "<!-- clinical-scrubber dataset card"
_BLOCK = re.compile(r"<!-- PUBLISHER:(\w+)(?:[^>]*)-->\n?(.*?)<!-- /PUBLISHER:\1 -->", re.S)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*):(.*)$")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_DATA_KEYS = ("size_categories", "configs")  # front-matter keys recomputed on every regeneration


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


# -- inline SVG charts ---------------------------------------------------------------------------
def _nice_step(maximum: float, ticks: int = 4) -> float:
    if maximum <= 0:
        return 1.0
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * magnitude:
            return max(m * magnitude, 1.0)
    return 10 * magnitude


def _short(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _risk_colour(x: float) -> str:
    """Blue (low) to red (high) for a risk in [0, 1]."""
    low, high = (74, 127, 181), (192, 57, 43)
    r, g, b = (round(a + (c - a) * max(0.0, min(1.0, x))) for a, c in zip(low, high))
    return f"#{r:02x}{g:02x}{b:02x}"


def _column_chart(chart_id: str, title: str, columns: list[tuple[str, float, str, str]], *, x_title: str, y_title: str) -> str:
    """Vertical columns: (label, value, fill colour, tooltip). Values are drawn above the columns."""
    width, height, left, right, top, bottom = 560, 260, 48, 12, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum = max((v for _, v, _, _ in columns), default=0)
    step = _nice_step(maximum)
    y_max = step * max(1, math.ceil(maximum / step))
    slot = plot_w / max(len(columns), 1)
    bar_w = slot * 0.72
    parts = [f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f'<title id="{chart_id}-t">{_e(title)}</title>']
    tick = 0.0
    while tick <= y_max + 1e-9:
        y = top + plot_h - plot_h * tick / y_max
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += step
    for i, (label, value, colour, tip) in enumerate(columns):
        x = left + i * slot + (slot - bar_w) / 2
        h = plot_h * value / y_max if y_max else 0
        y = top + plot_h - h
        parts.append(f'<g><title>{_e(tip)}</title><rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{colour}"/>')
        parts.append(f'<text class="val" x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{_e(_count(value) if isinstance(value, int) else value)}</text></g>')
        parts.append(f'<text class="tick" x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}"/>')
    parts.append(f'<text class="axis-title" x="{left + plot_w / 2:.1f}" y="{height - 10}" text-anchor="middle">{_e(x_title)}</text>')
    parts.append(f'<text class="axis-title" x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" transform="rotate(-90 12 {top + plot_h / 2:.1f})">{_e(y_title)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _bar_chart(chart_id: str, title: str, rows: list[tuple[str, list[tuple[float, str]], str]], *, width: int = 520, label_width: int = 170) -> str:
    """Horizontal bars: (label, [(value, fill colour), ...] stacked, annotation)."""
    row_h, top, value_w = 24, 8, 96
    height = top * 2 + row_h * max(len(rows), 1)
    plot_w = width - label_width - value_w
    maximum = max((sum(v for v, _ in segs) for _, segs, _ in rows), default=0) or 1
    parts = [f'<svg class="chart" role="img" aria-labelledby="{chart_id}-t" viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
             f'<title id="{chart_id}-t">{_e(title)}</title>']
    if not rows:
        parts.append(f'<text class="tick" x="{width / 2}" y="{top + 16}" text-anchor="middle">none</text>')
    for i, (label, segments, note) in enumerate(rows):
        y = top + i * row_h
        parts.append(f'<g><title>{_e(label)}: {_e(note)}</title>')
        parts.append(f'<text class="label" x="{label_width - 8}" y="{y + 16}" text-anchor="end">{_e(_short(label))}</text>')
        x = float(label_width)
        for value, colour in segments:
            w = plot_w * value / maximum
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{max(w, 1.5):.1f}" height="{row_h - 8}" fill="{colour}"/>')
            x += w
        parts.append(f'<text class="val" x="{x + 6:.1f}" y="{y + 16}">{_e(note)}</text></g>')
    parts.append(f'<line class="axis" x1="{label_width}" x2="{label_width}" y1="{top}" y2="{height - top}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


FINDING_COLOUR, SUSPECTED_COLOUR, LIKELY_COLOUR, MISSED_COLOUR = "#3b6ea8", "#e3a03a", "#b3261e", "#7d5ba6"
BELOW_K_COLOUR, AT_K_COLOUR = "#c0392b", "#3b6ea8"


def _charts(assessment: dict) -> dict[str, str]:
    data = assessment.get("dataset", {})
    leaks = data.get("leaks", {})
    qi = data.get("quasi_identifiers", {})
    charts: dict[str, str] = {}
    docs = assessment.get("documents")
    if docs is not None:
        bins = _score_bins([d.get("score", 0.0) for d in docs])
        charts["scores"] = _column_chart(
            "c-scores", "Documents by risk score",
            [(label, n, _risk_colour(mid), f"{_plural(n, 'document')} with a score in {label}") for label, n, mid in bins],
            x_title="risk score (chance the document still holds a direct identifier)", y_title="documents")
    findings = data.get("findings_by_type", {})
    suspected, likely = leaks.get("by_type", {}), leaks.get("likely_by_type", {})
    types = sorted(set(findings) | set(suspected), key=lambda t: (-findings.get(t, 0), -suspected.get(t, 0), t))
    charts["findings"] = _bar_chart(
        "c-findings", "Identifiers found and hidden by the scrubber, by type (from the audit log)",
        [(t, [(findings.get(t, 0), FINDING_COLOUR)], _count(findings.get(t, 0))) for t in types])
    charts["leaks"] = _bar_chart(
        "c-leaks", "Suspected leaks in the output, by type (likely ones in red)",
        [(t, [(likely.get(t, 0), LIKELY_COLOUR), (suspected.get(t, 0) - likely.get(t, 0), SUSPECTED_COLOUR)],
          f"{suspected.get(t, 0)} ({likely.get(t, 0)} likely)" if suspected.get(t, 0) else "0") for t in types])
    k, gated, _ = _k_story(assessment)
    class_bins = _class_size_bins(qi.get("class_size_histogram", {}), k)
    charts["classes"] = _column_chart(
        "c-classes", f"Records by the size of their equivalence class ({f'red: below k = {k}' if gated else 'k-anonymity not gated'})",
        [(label, records, BELOW_K_COLOUR if below and gated else AT_K_COLOUR, f"{_plural(records, qi.get('unit', 'record'))} in {_plural(classes, 'class', 'classes')} of size {label}")
         for label, records, classes, below in class_bins],
        x_title="equivalence class size (records sharing the same quasi-identifiers)", y_title=f"{qi.get('unit', 'record')}s")
    residual = data.get("residual")
    if residual:
        per_type = sorted(((t, v.get("expected_missed", 0.0)) for t, v in residual.get("per_type", {}).items()), key=lambda x: (-x[1], x[0]))
        charts["residual"] = _bar_chart(
            "c-residual", "Expected missed identifiers, by type (calibrated estimate)",
            [(t, [(m, MISSED_COLOUR)], f"{m:.1f}") for t, m in per_type if m > 0])
    if docs:
        top = _top_documents(assessment, 10)
        charts["top"] = _bar_chart(
            "c-top", "The ten riskiest documents",
            [(str(d.get("doc")), [(d.get("score", 0.0), _risk_colour(d.get("score", 0.0)))], _prob(d.get("score"))) for d in top],
            width=560, label_width=210)
    return charts


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


# -- HTML report ------------------------------------------------------------------------------------
_CSS = """
:root { --ink:#1d2430; --muted:#5b6473; --line:#d9dee6; --bg:#f6f7f9; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.meta { color: var(--muted); margin: 0 0 16px; font-size: 13px; }
.banner { border-radius: 8px; padding: 14px 18px; margin: 12px 0; color: #fff; }
.banner strong { font-size: 20px; display:block; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
.pass { background:#1e7b34; } .fail { background:#b3261e; } .info { background:#44556b; }
.text-warning { background:#fff4d6; border:2px solid #d08b00; color:#5a3d00; border-radius: 8px; padding: 10px 16px; margin: 12px 0; font-weight: 600; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 10px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.card .v { font-size: 22px; font-weight: 650; } .card .k { font-size: 13px; font-weight: 600; } .card .d { font-size: 12px; color: var(--muted); }
.panel { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.grid2 { display:grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 12px; align-items: start; }
.chart { max-width: 100%; height: auto; display:block; }
.chart text { font-size: 11px; fill: var(--ink); font-family: inherit; }
.chart .val { fill: var(--muted); } .chart .axis-title { fill: var(--muted); font-size: 11px; }
.chart .grid { stroke: #edf0f4; } .chart .axis { stroke: #9aa3b0; }
.legend { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
.swatch { display:inline-block; width:10px; height:10px; border-radius:2px; margin: 0 4px 0 10px; vertical-align: baseline; }
table { border-collapse: collapse; width: 100%; background:#fff; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
.tablewrap { overflow-x: auto; }
table.compact { width: auto; min-width: 460px; }
td.id { word-break: break-all; max-width: 240px; }
.scorebar { display:inline-block; height: 8px; border-radius: 2px; vertical-align: middle; margin-left: 6px; }
.leak { display:inline-block; background:#f3f4f7; border:1px solid var(--line); border-radius:4px; padding: 0 5px; margin: 1px 2px; font-size: 12px; white-space: nowrap; }
.leak.likely { background:#fbe4e2; border-color:#e8a39c; }
.leak code { background:#fff4d6; white-space: pre-wrap; word-break: break-all; }
.ok { color:#1e7b34; font-weight:600; } .bad { color:#b3261e; font-weight:600; }
dl.defs dt { font-weight: 650; margin-top: 10px; } dl.defs dd { margin: 2px 0 0 0; color: #333c48; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 12px; }
.muted { color: var(--muted); }
@media print { body { background:#fff; } .panel, .card { break-inside: avoid; } }
"""


def _legend(*items: tuple[str, str]) -> str:
    return '<p class="legend">' + "".join(f'<span class="swatch" style="background:{c}"></span>{_e(t)}' for c, t in items) + "</p>"


def _table(header: list[str] | None, rows: Iterable[list[str]], numeric: Iterable[int] = (), *, compact: bool = False) -> str:
    """An HTML table; cells are already-escaped HTML. ``header=None`` for a key/value table."""
    numeric = set(numeric)
    head = "" if header is None else (
        "<thead><tr>" + "".join(f'<th{" class=n" if i in numeric else ""}>{_e(h)}</th>' for i, h in enumerate(header)) + "</tr></thead>")
    body = "".join("<tr>" + "".join(f'<td{" class=n" if i in numeric else ""}>{c}</td>' for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="tablewrap"><table{" class=compact" if compact else ""}>{head}<tbody>{body}</tbody></table></div>'


def _leak_chips(doc: dict, threshold: float) -> str:
    leaks = doc.get("leaks", [])
    chips = []
    for leak in leaks[:MAX_LEAKS_SHOWN]:
        likely = leak.get("confidence", 0) >= threshold
        text = (f' <code class="context">{_e(leak.get("before") or "")}<mark>{_e(leak["text"])}</mark>{_e(leak.get("after") or "")}</code>'
                if leak.get("text") is not None else "")
        chips.append(f'<span class="leak{" likely" if likely else ""}" title="{_e(leak.get("detector", ""))}">'
                     f'{_e(leak.get("entity_type"))} {_e(leak.get("start"))}–{_e(leak.get("end"))} '
                     f'({_prob(leak.get("confidence"))}){text}</span>')
    if len(leaks) > MAX_LEAKS_SHOWN:
        chips.append(f'<span class="muted">+{len(leaks) - MAX_LEAKS_SHOWN} more</span>')
    return "".join(chips) or '<span class="muted">none</span>'


def _render_html(assessment: dict, *, checks, passed, evaluation, generated_at: str, top: int) -> str:
    data = assessment.get("dataset", {})
    leaks = data.get("leaks", {})
    qi = data.get("quasi_identifiers", {})
    residual = data.get("residual")
    css_class, headline, failing = _verdict(checks, passed)
    charts = _charts(assessment)
    has_text = _has_text(assessment)
    threshold = float(leaks.get("likely_threshold", 0.5))
    k_target, k_gated, k_statement = _k_story(assessment)
    out: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>Pre-publication risk report{' (contains text: local review only)' if has_text else ''}</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
        "<h1>Pre-publication risk report</h1>",
        f'<p class="meta">Made {_e(generated_at)} by {_e(_tool_name(assessment))} from '
        f"{_e(', '.join(map(str, assessment.get('sources', []))) or 'unknown sources')}. "
        "It shows identifiers, offsets, types and scores only, never document text"
        f"{' (except the suspected text below, requested for local review)' if has_text else ''}.</p>",
    ]
    if has_text:
        out.append('<div class="text-warning" id="contains-text">Contains text: local review only. This report shows the text of '
                   "suspected leaks, which may be identifiers. Do not share or publish it; delete it after the review.</div>")
    out.append(f'<div class="banner {css_class}" id="verdict"><strong>{_e(headline)}</strong>')
    if failing:
        out.append("<ul>" + "".join(f"<li>{_e(r)}</li>" for r in failing) + "</ul>")
    elif css_class == "info":
        out.append("<span>The figures below describe the residual risk; run <code>scrubber check</code> to test them against the publication gates.</span>")
    out.append("</div>")

    out.append('<h2 id="figures">Key figures</h2><div class="cards">')
    for name, value, meaning in _key_figures(assessment):
        out.append(f'<div class="card"><div class="k">{_e(name)}</div><div class="v">{_e(value)}</div><div class="d">{_e(meaning)}</div></div>')
    out.append("</div>")

    if checks:
        out.append('<h2 id="checks">Publication checks</h2>')
        out.append(_table(["check", "result", "reason"],
                          [[_e(c.get("name")), '<span class="ok">pass</span>' if c.get("passed") else '<span class="bad">FAIL</span>', _e(c.get("reason", ""))] for c in checks]))

    out.append('<h2 id="charts">Charts</h2><div class="grid2">')
    if "scores" in charts:
        out.append(f'<div class="panel"><h3>Documents by risk score</h3>{charts["scores"]}</div>')
    out.append(f'<div class="panel"><h3>Equivalence class sizes</h3>{charts["classes"]}'
               + (_legend((BELOW_K_COLOUR, f"below k = {k_target}"), (AT_K_COLOUR, f"k = {k_target} or more")) if k_gated
                  else _legend((AT_K_COLOUR, "class sizes, for information")) + f'<p class="legend" id="k-not-gated">{_e(k_statement)}.</p>') + "</div>")
    out.append(f'<div class="panel"><h3>Found and hidden, by type</h3>{charts["findings"]}'
               + _legend((FINDING_COLOUR, "findings in the audit log")) + "</div>")
    out.append(f'<div class="panel"><h3>Suspected leaks, by type</h3>{charts["leaks"]}'
               + _legend((LIKELY_COLOUR, f"likely (confidence ≥ {threshold})"), (SUSPECTED_COLOUR, "other suspected")) + "</div>")
    if "residual" in charts:
        out.append(f'<div class="panel"><h3>Expected missed identifiers, by type</h3>{charts["residual"]}'
                   f'<p class="legend">Method: {_e(residual.get("method", ""))}. Recall from {_e(residual.get("source", ""))}.</p></div>')
    if "top" in charts:
        out.append(f'<div class="panel"><h3>The ten riskiest documents</h3>{charts["top"]}</div>')
    out.append("</div>")

    docs = _top_documents(assessment, top)
    out.append(f'<h2 id="documents">The {len(docs)} riskiest documents</h2>')
    if assessment.get("documents") is None:
        out.append('<p class="muted">The assessment was made without per-document figures.</p>')
    else:
        out.append('<p class="muted">Offsets index the scrubbed output. Leak chips: type, offsets, confidence; red ones are likely leaks. '
                   "Re-identification is 1 / class size.</p>")
        rows = []
        for rank, d in enumerate(docs, 1):
            c = d.get("components", {})
            score = d.get("score", 0.0)
            rows.append([str(rank), _e(d.get("doc")), _e(_where(d)),
                         f'{_prob(score)}<span class="scorebar" style="width:{round(60 * score)}px;background:{_risk_colour(score)}"></span>',
                         _prob(c.get("leak")), f'{float(c.get("residual_expected_missed", 0)):.2f}', _prob(c.get("reidentification")),
                         _count(d.get("class_size")), _count(d.get("likely_leaks")), _leak_chips(d, threshold)])
        out.append(_table(["#", "document", "output file", "risk score", "leak", "expected missed", "re-identification",
                           "class size", "likely leaks", "suspected leaks"], rows, numeric=(0, 3, 4, 5, 6, 7, 8)))

    out.append('<h2 id="quasi">Quasi-identifiers</h2>')
    coverage = qi.get("coverage", {})
    out.append(f'<p>Equivalence classes are formed per <strong>{_e(qi.get("unit", "record"))}</strong> over: '
               f'{_e(", ".join(qi.get("fields", [])))}. {_count(qi.get("classes"))} classes.</p>')
    out.append(_table(["quasi-identifier", "documents where it survives"], [[_e(f), _count(n)] for f, n in coverage.items()], numeric=(1,), compact=True))

    if assessment.get("review"):  # `check --review`: a person's review of a random sample
        from scrubber.review import review_html

        out.append(review_html(assessment["review"]))
    if evaluation:
        out.append('<h2 id="accuracy">Measured accuracy</h2>')
        out.append(_accuracy_html(evaluation))

    out.append('<h2 id="provenance">Provenance</h2>')
    out.append(_table(None, [[_e(k), _e(v)] for k, v in _provenance(assessment)], compact=True))

    out.append('<h2 id="definitions">What the figures mean</h2><dl class="defs">')
    for term, meaning in DEFINITIONS:
        out.append(f"<dt>{_e(term)}</dt><dd>{_e(meaning)}</dd>")
    out.append(f"<dt>Risk score formula</dt><dd><code>{_e(data.get('score_definition', ''))}</code></dd>")
    if residual:
        out.append(f"<dt>Residual estimate method</dt><dd>{_e(residual.get('method', ''))}</dd>")
    out.append("</dl>")
    out.append(f'<p class="meta">Report made {_e(generated_at)}.</p>')
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


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


def _accuracy_html(evaluation: dict) -> str:
    header, rows = _accuracy_rows(evaluation)
    intro = (f'<p>Measured with <code>scrubber evaluate</code> on <strong>{_e(evaluation.get("corpus", "an unnamed corpus"))}</strong> '
             f'({_count(evaluation.get("documents"))} documents with gold identifiers). Recall: share of true identifiers hidden; '
             "precision: share of hidden spans that were true identifiers.</p>")
    return intro + _table(header, [[_e(c) for c in r] for r in rows], numeric=(1, 2, 3, 4, 5))


# -- Markdown summary -------------------------------------------------------------------------------
def _md_table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(_md(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _md_context(leak: dict) -> str:
    """The suspected text between « and » with its context words (``show_text`` only); the table escapes it."""
    return f"{leak.get('before') or ''}«{leak['text']}»{leak.get('after') or ''}"


def _render_markdown(assessment: dict, *, checks, passed, evaluation, generated_at: str, top: int) -> str:
    data = assessment.get("dataset", {})
    _, headline, failing = _verdict(checks, passed)
    has_text = _has_text(assessment)
    out = ["# Pre-publication risk report", "",
           f"Made {generated_at} by {_md(_tool_name(assessment))}. The HTML report beside this file has the charts and definitions.", ""]
    if has_text:
        out += ["> **Contains text: local review only.** Suspected leaks below show their text. Do not share or publish this file.", ""]
    out += [f"**Verdict:** {_md(headline)}", ""]
    out += [f"- {_md(r)}" for r in failing] + ([""] if failing else [])
    out += ["## Key figures", "", _md_table(["figure", "value", "meaning"], [list(r) for r in _key_figures(assessment)]), ""]
    if checks:
        out += ["## Publication checks", "", _md_table(["check", "result", "reason"],
                                                       [[c.get("name", ""), "pass" if c.get("passed") else "FAIL", c.get("reason", "")] for c in checks]), ""]
    leaks = data.get("leaks", {})
    findings = data.get("findings_by_type", {})
    types = sorted(set(findings) | set(leaks.get("by_type", {})), key=lambda t: (-findings.get(t, 0), t))
    out += ["## By type", "", _md_table(["type", "found and hidden", "suspected leaks", "likely leaks"],
                                        [[t, _count(findings.get(t, 0)), _count(leaks.get("by_type", {}).get(t, 0)), _count(leaks.get("likely_by_type", {}).get(t, 0))] for t in types]), ""]
    qi = data.get("quasi_identifiers", {})
    k_target, k_gated, k_statement = _k_story(assessment)
    out += ["## Equivalence class sizes", "", f"{_md(k_statement[0].upper() + k_statement[1:])}.", "",
            _md_table([f"class size", f"{qi.get('unit', 'record')}s", "classes"] + ([f"below k = {k_target}"] if k_gated else []),
                      [[label, _count(records), _count(classes)] + (["yes" if below else "no"] if k_gated else [])
                       for label, records, classes, below in _class_size_bins(qi.get("class_size_histogram", {}), k_target)]), ""]
    docs = _top_documents(assessment, top)
    if docs:
        threshold = float(leaks.get("likely_threshold", 0.5))
        rows = []
        for d in docs:
            listed = []
            for l in d.get("leaks", [])[:MAX_LEAKS_SHOWN]:
                text = f' "{_md_context(l)}"' if l.get("text") is not None else ""
                listed.append(f'{l.get("entity_type")} {l.get("start")}-{l.get("end")} ({_prob(l.get("confidence"))}{", likely" if l.get("confidence", 0) >= threshold else ""}){text}')
            rows.append([d.get("doc", ""), _where(d), _prob(d.get("score")), _count(d.get("likely_leaks")), "; ".join(listed) or "none"])
        out += [f"## The {len(docs)} riskiest documents", "", _md_table(["document", "output file", "risk score", "likely leaks", "suspected leaks (type offsets (confidence))"], rows), ""]
    if assessment.get("review"):
        from scrubber.review import review_markdown

        out += review_markdown(assessment["review"])
    if evaluation:
        header, rows = _accuracy_rows(evaluation)
        out += ["## Measured accuracy", "", f"On {_md(evaluation.get('corpus', 'an unnamed corpus'))} ({_count(evaluation.get('documents'))} documents).", "", _md_table(header, rows), ""]
    out += ["## Provenance", "", _md_table(["", ""], [list(r) for r in _provenance(assessment)]), ""]
    out += ["## What the figures mean", ""] + [f"- **{term}**: {meaning}" for term, meaning in DEFINITIONS] + [""]
    return "\n".join(out)


def write_report(
    assessment: dict,
    out_dir: Path,
    *,
    checks: list[dict] | None = None,
    passed: bool | None = None,
    evaluation: dict | None = None,
    top: int = TOP_DOCUMENTS,
    generated_at: str | None = None,
) -> tuple[Path, Path]:
    """Write ``out_dir/report.html`` (self-contained) and ``out_dir/report.md``, atomically.

    Args:
        assessment: ``Assessment.to_dict()`` (the JSON report of ``scrubber risk``).
        out_dir: Folder for the two files (created).
        checks: Gate results of ``scrubber check``: ``{"name", "passed", "reason"}`` each;
            ``None`` when only the risk assessment ran.
        passed: The overall verdict (derived from ``checks`` when not given).
        evaluation: A ``scrubber evaluate --json`` result, shown as measured accuracy.
        top: How many of the riskiest documents to list.
        generated_at: The report date [default: now, UTC].

    Returns:
        The paths of the HTML and Markdown files.

    Raises:
        ScrubberError: E401 when the folder cannot be written.

    Example:
        >>> import tempfile, pathlib
        >>> a = {"dataset": {"documents": 0, "leaks": {}, "quasi_identifiers": {"k": 5}}, "documents": []}
        >>> html_path, md_path = write_report(a, pathlib.Path(tempfile.mkdtemp()))
        >>> "risk assessment only" in html_path.read_text().lower()
        True
    """
    out_dir = Path(out_dir)
    stamp = generated_at or _now()
    html_text = _render_html(assessment, checks=checks, passed=passed, evaluation=evaluation, generated_at=stamp, top=top)
    md_text = _render_markdown(assessment, checks=checks, passed=passed, evaluation=evaluation, generated_at=stamp, top=top)
    paths = out_dir / "report.html", out_dir / "report.md"
    try:
        for path, text in zip(paths, (html_text, md_text)):
            atomic_write_text(path, text)
    except OSError as exc:
        raise ScrubberError("E401", f"cannot write the report under {out_dir} ({exc.strerror})", "choose a writable --report folder") from None
    return paths


# -- dataset card -------------------------------------------------------------------------------------
def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "n>10M"


def _publisher_block(name: str) -> str:
    heading, hint = PUBLISHER_FIELDS[name]
    return (f"<!-- PUBLISHER:{name} fill in: replace the TODO line below; keep this line and the closing marker -->\n"
            f"{PLACEHOLDER}: {hint}.\n<!-- /PUBLISHER:{name} -->")


def _front_matter(text: str) -> list[tuple[str, str]]:
    """Top-level (key, raw lines) of a card's YAML front matter, in order (continuation lines kept)."""
    m = _FRONT.match(text)
    if not m:
        return []
    entries: list[tuple[str, str]] = []
    for line in m.group(1).split("\n"):
        km = _FRONT_KEY.match(line)
        if km:
            entries.append((km.group(1), line))
        elif entries:
            entries[-1] = (entries[-1][0], entries[-1][1] + "\n" + line)
        elif line.strip():
            entries.append(("", line))  # a leading comment
    return entries


def _front_value(raw: str) -> str:
    """The scalar value of a one-line ``key: value  # comment`` entry (quotes removed)."""
    value = raw.split(":", 1)[1] if ":" in raw else ""
    value = re.sub(r"\s+#.*$", "", value.split("\n", 1)[0]).strip()
    return value.strip("'\"").strip()


def _operators_section(policy: dict) -> list[str]:
    default = policy.get("default_operator", {})
    thresholds = policy.get("thresholds", {})
    rows = []
    for entity in policy.get("entities", []):
        spec = policy.get("operators", {}).get(entity, default)
        params = ", ".join(f"{k} = {v}" for k, v in spec.items() if k != "name") or "—"
        rows.append([entity, spec.get("name", "?"), params, f"{thresholds.get(entity, policy.get('default_threshold', ''))}"])
    lines = ["Operators per entity type (what replaces each identifier) and minimum detection score:", "",
             _md_table(["entity type", "operator", "parameters", "threshold"], rows), ""]
    shifts = [(entity, spec) for entity in policy.get("entities", [])
              if (spec := policy.get("operators", {}).get(entity, default)).get("name") == "shift"]
    if shifts:
        for entity, spec in shifts:
            days = spec.get("max_days", 365)
            weekday = " in whole weeks (weekdays kept)" if spec.get("keep_weekday") else ""
            lines.append(f"- **Date shift ({_md(entity)})**: every date of a patient is moved by the same keyed, secret number of days, "
                         f"never 0, within ±{days} days{weekday}. Intervals within a patient are kept; calendar dates, seasons and "
                         "weekdays are not reliable.")
        lines.append("")
    return lines


OPERATOR_MEANING = {
    "tag": "the identifier is replaced by its type in brackets, e.g. [PERSON]",
    "redact": "the identifier is removed",
    "mask": "the identifier's characters are masked",
    "hash": "the identifier is replaced by a keyed hash token",
    "year": "a date keeps only its year",
    "age90": "ages of 90 and over become 90+",
    "zip3": "a ZIP code keeps its first three digits (restricted prefixes become 000)",
    "shift": "dates are shifted per patient",
    "surrogate": "the identifier is replaced by a realistic fake of the same shape",
}


_HUB_BUILDERS = {"jsonl": "json", "csv": "csv", "txt": "text"}


def _configs_block(documents: list[dict] | None) -> str:
    """The front matter's ``configs`` block: the Hugging Face Hub loads the scrubbed output files
    (paths relative to the dataset folder, where the card is), never the audit log or the quarantine list.
    One config per file format (the Hub reads one format per config); a text file is one example.
    Text files are named by a pattern per folder (a text file's name is its document id, which the card
    never shows; the check allows no other ``.txt`` file in the dataset); JSONL and CSV files by name
    (``*.jsonl`` would take the audit log too)."""
    by_format: dict[str, set[str]] = {}
    for d in documents or []:
        output = str(d.get("output", ""))
        fmt = Path(output).suffix.lstrip(".").lower() or "txt"
        if output and fmt in _HUB_BUILDERS:
            if fmt == "txt":
                parent = Path(output).parent.as_posix()
                output = "*.txt" if parent == "." else f"{parent}/*.txt"
            by_format.setdefault(fmt, set()).add(output)
    if not by_format:
        return ""
    lines = ["configs:"]
    for i, (fmt, paths) in enumerate(sorted(by_format.items(), key=lambda item: (-len(item[1]), item[0]))):
        lines.append(f"- config_name: {'default' if i == 0 else fmt}")
        lines += ["  data_files:", "  - split: train", "    path:"] + [f"    - {json.dumps(path)}" for path in sorted(paths)]
        if fmt == "txt":
            lines.append("  sample_by: document")
    return "\n".join(lines)


def _render_card(assessment: dict, *, evaluation, checks, passed, policy, generated_at: str, kept_front: list[tuple[str, str]], kept_blocks: dict[str, str]) -> str:
    data = assessment.get("dataset", {})
    audit = assessment.get("audit") or {}
    versions = audit.get("versions") or {}
    tool = audit.get("tool") or {}
    audit_policy = audit.get("policy") or {}
    leaks = data.get("leaks", {})
    qi = data.get("quasi_identifiers", {})
    residual = data.get("residual")
    assessed = assessment.get("assessed_at") or generated_at
    documents = assessment.get("documents")

    generated = [
        ("license", f"license: {PLACEHOLDER}  # PUBLISHER: {PUBLISHER_FIELDS['license'][1]}"),
        ("pretty_name", "pretty_name: De-identified clinical notes"),
        ("language", "language: [en]"),
        ("multilinguality", "multilinguality: monolingual"),
        ("size_categories", f"size_categories: [{_size_category(int(data.get('documents', 0) or 0))}]"),
        ("source_datasets", "source_datasets: [original]"),
        ("task_categories", "task_categories: [text-generation]  # PUBLISHER: the Hub's task categories the data is for"),
        ("tags", "tags: [clinical, medical, de-identified]"),
        *([("configs", configs)] if (configs := _configs_block(documents)) else []),
    ]
    kept = {k: raw for k, raw in kept_front if k and k not in _DATA_KEYS}
    front = [kept.pop(k, raw) for k, raw in generated] + [raw for k, raw in kept_front if k in kept]
    front = [raw for k, raw in kept_front if not k] + front  # leading comments stay first
    title = _front_value(next((raw for raw in front if raw.startswith("pretty_name:")), "pretty_name: De-identified clinical notes"))

    def block(name: str) -> str:
        if name in kept_blocks:
            return f"<!-- PUBLISHER:{name} fill in: replace the TODO line below; keep this line and the closing marker -->\n{kept_blocks[name]}<!-- /PUBLISHER:{name} -->"
        return _publisher_block(name)

    out = ["---", *front, "---", "",
           f"{_CARD_MARK}, generated {generated_at} by {tool.get('name', 'clinical-scrubber')} {tool.get('version', '')}. "
           "Regenerating it rewrites every section except the text between PUBLISHER markers and the front-matter keys "
           "other than size_categories and configs. -->", "",
           f"# Dataset card: {_md(title)}", "",
           "> **Publisher:** the fields marked TODO (licence in the front matter, access rules, intended use, out-of-scope use, "
           "geography, population, contact) must be filled in before publication; `scrubber check --card` fails while any is blank.", ""]

    # summary
    chars = [d.get("chars", 0) for d in documents] if documents else []
    out += ["## Dataset summary", "",
            "- **Modality:** clinical free text (English), de-identified.",
            f"- **Documents:** {_count(data.get('documents'))}"
            + (f" ({_plural(data.get('records'), 'patient')})." if qi.get("unit") == "patient" else "."),
            f"- **Size:** {_count(data.get('characters'))} characters"
            + (f"; per document {_count(min(chars))} to {_count(max(chars))}, median {_count(sorted(chars)[len(chars) // 2])}." if chars else "."),
            ]
    if documents:
        formats = Counter(Path(str(d.get("output", ""))).suffix.lstrip(".").lower() or "txt" for d in documents)
        out.append("- **Files:** " + ", ".join(f"{_count(n)} documents in {fmt.upper()}" for fmt, n in sorted(formats.items())) + ".")
    out.append("")

    # de-identification
    out += ["## De-identification", "",
            f"- **Tool:** {_md(tool.get('name', 'clinical-scrubber'))} {_md(tool.get('version', '(version unknown: no audit log)'))}, an offline scrubber built on Microsoft Presidio and spaCy.",
            ]
    if versions:
        out.append("- **Versions:** " + ", ".join(f"{_md(k)} {_md(v)}" for k, v in versions.items()) + ".")
    else:
        out.append("- **Versions:** unknown (no audit log was found beside the output).")
    out.append(f"- **Policy:** {_md(audit_policy.get('name', (policy or {}).get('name', 'unknown')))}"
               + (f", digest `{_md(audit_policy['digest'])}`" if audit_policy.get("digest") else "") + ".")
    if audit.get("key_source"):
        out.append(f"- **Key:** from {_md(audit['key_source'])} (surrogates, hashes and date shifts depend on it; it is not published).")
    if audit.get("documents"):
        d = audit["documents"]
        out.append(f"- **Run:** finished {_md(audit.get('finished_at'))}; {_count(d.get('read'))} documents read, "
                   f"{_count(d.get('written'))} written, {_count(d.get('quarantined'))} quarantined (quarantined documents are not in the output).")
    out.append("")
    if policy:
        if audit_policy.get("name") and policy.get("name") != audit_policy.get("name"):
            out += [f"> **Warning:** the policy described below ({_md(policy.get('name'))}) is not the one the audit log names "
                    f"({_md(audit_policy.get('name'))}).", ""]
        used = sorted({(policy.get("operators", {}).get(e) or policy.get("default_operator", {})).get("name", "") for e in policy.get("entities", [])})
        out += ["Operators used: " + "; ".join(f"`{_md(n)}`: {OPERATOR_MEANING.get(n, n)}" for n in used if n) + ".", ""]
        out += _operators_section(policy)
    else:
        out += ["The policy's operators are not listed (no policy was given when this card was written); the digest above identifies it.", ""]

    # accuracy
    out += ["## Measured accuracy", ""]
    if evaluation:
        header, rows = _accuracy_rows(evaluation)
        out += [f"Measured with `scrubber evaluate` on **{_md(evaluation.get('corpus', 'an unnamed corpus'))}** "
                f"({_count(evaluation.get('documents'))} documents with gold identifiers). Recall is the share of true identifiers hidden; "
                "precision the share of hidden spans that were true identifiers. These figures hold for that corpus; "
                "on this dataset they are an estimate.", "", _md_table(header, rows), ""]
    else:
        out += ["**Not measured.** No evaluation result was given when this card was written, so the scrubber's accuracy on data "
                "like this dataset is not stated here. Run `scrubber evaluate GOLD --json` on annotated notes resembling this dataset "
                "and regenerate the card.", ""]

    # residual risk
    out += [f"## Residual risk (assessed {_md(assessed)})", "",
            _md_table(["figure", "value", "meaning"], [list(r) for r in _key_figures(assessment)]), ""]
    if residual:
        out += [f"Expected missed identifiers: method: {_md(residual.get('method', ''))}.", ""]
    out += [f"Risk score: {_md(data.get('score_definition', ''))}.", ""]
    if checks is not None or passed is not None:
        _, headline, _ = _verdict(checks, passed)
        out += [f"**Publication checks:** {_md(headline)}", ""]
        if checks:
            out += [_md_table(["check", "result", "reason"], [[c.get("name", ""), "pass" if c.get("passed") else "FAIL", c.get("reason", "")] for c in checks]), ""]

    # limitations
    if assessment.get("review"):
        from scrubber.review import review_markdown

        out += review_markdown(assessment["review"])
    out += ["## Known limitations", "",
            "- Automatic de-identification misses some identifiers (recall is below 1; see Measured accuracy). Suspected leaks "
            "were found by a second, heuristic scan; a clean scan is not proof that none remain.",
            "- Quasi-identifiers (age band, sex, years, three-digit ZIP, state, ethnicity, occupation, rare events) are extracted "
            "from free text by simple rules; k-anonymity and the re-identification risks are estimates over those fields only. "
            "Rare diagnoses, unusual events and other details written in the notes are not counted.",
            "- The expected number of missed identifiers assumes the evaluated corpus resembles this dataset.",
            "- Record ids, file names and fields other than the note text were passed through unchanged.",
            "- Only English text is supported.",
            ""]

    # publisher fields
    out += ["## Publisher information", "",
            "To be completed by the publisher. Replace each TODO line, keeping the marker lines so that a regenerated card keeps the text.", "",
            "### Licence", "", "The licence is the `license` key of the front matter at the top of this card.", ""]
    for name in PUBLISHER_FIELDS:
        if name == "license":
            continue
        out += [f"### {PUBLISHER_FIELDS[name][0]}", "", block(name), ""]
    return "\n".join(out)


def _blocks(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in _BLOCK.finditer(text)}


def _blank(value: str | None) -> bool:
    if value is None:
        return True
    text = _COMMENT.sub("", value).strip()
    return not text or text.upper().startswith(PLACEHOLDER)


def write_card(
    assessment: dict,
    path: Path,
    *,
    evaluation: dict | None = None,
    checks: list[dict] | None = None,
    passed: bool | None = None,
    policy: dict | None = None,
    generated_at: str | None = None,
) -> Path:
    """Write a Markdown dataset card for the assessed output (atomically).

    The card never contains document text or ids. When ``path`` already holds a card
    this function wrote, the generated sections are rewritten and the publisher's text
    is kept: every ``<!-- PUBLISHER:name -->`` block and every front-matter key except
    ``size_categories``.

    Args:
        assessment: ``Assessment.to_dict()``.
        path: The card file.
        evaluation: A ``scrubber evaluate --json`` result (measured accuracy).
        checks: Gate results of ``scrubber check`` (shown with the residual risk).
        passed: The overall verdict.
        policy: ``Policy.to_dict()`` of the run, to list operators and the date-shift range.
        generated_at: The card date [default: now, UTC]; also the assessment date unless
            the assessment carries ``assessed_at``.

    Returns:
        ``path``.

    Raises:
        ScrubberError: E520 when ``path`` exists and is not a card written by this
            function (it is never overwritten), E521 when a publisher block's markers
            were removed (regenerating would lose its text), E401 when it cannot be written.

    Example:
        >>> import tempfile, pathlib
        >>> a = {"dataset": {"documents": 0, "leaks": {}, "quasi_identifiers": {"k": 5}}}
        >>> card = write_card(a, pathlib.Path(tempfile.mkdtemp()) / "README.md")
        >>> verify_card(card)[:2]
        ['license', 'access']
    """
    path = Path(path)
    kept_front: list[tuple[str, str]] = []
    kept_blocks: dict[str, str] = {}
    if path.exists():
        try:
            old = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            old = ""
        if _CARD_MARK not in old:
            raise ScrubberError("E520", f"{path} exists and is not a dataset card written by scrubber; it was not overwritten",
                                "choose another --card path, or move the file away")
        kept_blocks = _blocks(old)
        missing = [n for n in PUBLISHER_FIELDS if n != "license" and n not in kept_blocks]
        if missing:
            raise ScrubberError("E521", f"{path}: the PUBLISHER markers of {', '.join(missing)} were removed, so regenerating would lose that text",
                                f"put the text back between <!-- PUBLISHER:{missing[0]} --> and <!-- /PUBLISHER:{missing[0]} --> lines, or move the card away")
        kept_front = _front_matter(old)
    text = _render_card(assessment, evaluation=evaluation, checks=checks, passed=passed, policy=policy,
                        generated_at=generated_at or _now(), kept_front=kept_front, kept_blocks=kept_blocks)
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise ScrubberError("E401", f"cannot write the dataset card {path} ({exc.strerror})", "choose a writable --card path") from None
    return path


def verify_card(path: Path) -> list[str]:
    """Names of the publisher fields still blank (``TODO``, empty, or their markers removed).

    An empty list means every field of :data:`PUBLISHER_FIELDS` is filled in.

    Raises:
        ScrubberError: E522 when the card cannot be read.

    Example:
        >>> verify_card(pathlib.Path("dataset/README.md"))  # doctest: +SKIP
        ['license', 'contact']
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScrubberError("E522", f"cannot read the dataset card {path} ({getattr(exc, 'strerror', None) or 'not UTF-8'})",
                            "pass the card written by --card") from None
    front = dict(_front_matter(text))
    blocks = _blocks(text)
    blank = []
    for name in PUBLISHER_FIELDS:
        if name == "license":
            raw = front.get("license")
            value = _front_value(raw) if raw is not None else None
            if not value or value.upper() == PLACEHOLDER or value.lower() in ("null", "~"):
                blank.append(name)
        elif _blank(blocks.get(name)):
            blank.append(name)
    return blank
