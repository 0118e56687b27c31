"""The self-contained HTML report (inline CSS and SVG charts) and :func:`write_report`, which writes it
with its Markdown companion."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from scrubber.errors import ScrubberError
from scrubber.io.writers import atomic_write_text
from scrubber.report.charts import (
    AT_K_COLOUR, BELOW_K_COLOUR, FINDING_COLOUR, LIKELY_COLOUR, SUSPECTED_COLOUR, _charts, _risk_colour,
)
from scrubber.report.figures import (
    DEFINITIONS, MAX_LEAKS_SHOWN, TOP_DOCUMENTS, _accuracy_rows, _count, _e, _has_text, _k_story, _key_figures, _now,
    _prob, _provenance, _tool_name, _top_documents, _verdict, _where,
)
from scrubber.report.markdown import _render_markdown


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


def _accuracy_html(evaluation: dict) -> str:
    header, rows = _accuracy_rows(evaluation)
    intro = (f'<p>Measured with <code>scrubber evaluate</code> on <strong>{_e(evaluation.get("corpus", "an unnamed corpus"))}</strong> '
             f'({_count(evaluation.get("documents"))} documents with gold identifiers). Recall: share of true identifiers hidden; '
             "precision: share of hidden spans that were true identifiers.</p>")
    return intro + _table(header, [[_e(c) for c in r] for r in rows], numeric=(1, 2, 3, 4, 5))


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
