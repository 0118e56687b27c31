"""The Markdown report (``report.md``): the key figures, checks and verdict of the HTML report as tables."""

from __future__ import annotations

from typing import Iterable
from scrubber.report.figures import (
    DEFINITIONS, MAX_LEAKS_SHOWN, _accuracy_rows, _class_size_bins, _count, _has_text, _k_story, _key_figures, _md,
    _prob, _provenance, _tool_name, _top_documents, _verdict, _where,
)


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
            _md_table(["class size", f"{qi.get('unit', 'record')}s", "classes"] + ([f"below k = {k_target}"] if k_gated else []),
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
