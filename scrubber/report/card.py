"""The dataset card: Markdown in the spirit of "Datasheets for Datasets" and Hugging Face dataset cards.

Fields only the publisher can answer (licence, access rules, intended and out-of-scope use,
geography, population, contact) are left as marked ``TODO`` blocks. Regenerating a card over
an existing one rewrites the generated sections and keeps what the publisher wrote inside the
blocks and in the front matter. :func:`verify_card` names the publisher fields still blank.
The card never shows document ids or text.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from scrubber.errors import ScrubberError
from scrubber.io.writers import atomic_write_text
from scrubber.report.figures import _accuracy_rows, _count, _key_figures, _md, _now, _plural, _verdict
from scrubber.report.markdown import _md_table


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
