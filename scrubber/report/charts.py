"""The chart kit: inline SVG column and bar charts drawn here (no script, no external reference)."""

from __future__ import annotations

import math

from scrubber.report.figures import _class_size_bins, _count, _e, _k_story, _plural, _prob, _score_bins, _top_documents


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
