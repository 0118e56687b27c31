"""``scrubber risk`` and ``scrubber check``: residual risk of scrubbed output, and the publication gate."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err

# Field and column options of `risk`, `check` and `review`: read from the scrub run's audit log (its
# run record) unless given; None means "not given", resolved late (scrubber.risk.auditlog.resolve_read_options).
_FROM_RUN = " [default: the scrub run's, from its audit log; else {}]"
RunTextField = Annotated[Optional[str], typer.Option(help="JSONL: field holding the note text." + _FROM_RUN.format("text"), show_default=False)]
RunIdField = Annotated[Optional[str], typer.Option(help="JSONL: field holding the record id." + _FROM_RUN.format("none"), show_default=False)]
RunPatientField = Annotated[Optional[str], typer.Option(help="JSONL: field holding the patient key (quasi-identifiers are then grouped per patient)." + _FROM_RUN.format("none"), show_default=False)]
RunTextColumn = Annotated[Optional[str], typer.Option(help="CSV and Parquet: column holding the note text." + _FROM_RUN.format("text"), show_default=False)]
RunIdColumn = Annotated[Optional[str], typer.Option(help="CSV and Parquet: column holding the record id." + _FROM_RUN.format("none"), show_default=False)]
RunPatientColumn = Annotated[Optional[str], typer.Option(help="CSV and Parquet: column holding the patient key." + _FROM_RUN.format("none"), show_default=False)]
AuditOption = Annotated[Optional[Path], typer.Option(help="The run's audit log [default: audit.jsonl beside the outputs].")]
EvaluationOption = Annotated[Optional[Path], typer.Option(help="A `scrubber evaluate --json` result: per-type recall for the calibrated residual estimate (and the card's accuracy section).")]
JsonOption = Annotated[Optional[Path], typer.Option("--json", help="Write the full JSON result here (`-` for stdout).")]
ReportOption = Annotated[Optional[Path], typer.Option(help="Write report.html (self-contained) and report.md into this folder.")]
KOption = Annotated[int, typer.Option("--k", help="k for the share of records in classes smaller than k.")]
QiOption = Annotated[Optional[str], typer.Option("--qi", help="Comma-separated quasi-identifiers forming the equivalence classes [default: age,sex,year,zip3,state,ethnicity,occupation,rare].")]
ShowText = Annotated[bool, typer.Option("--show-text", help="Put the suspected text in the JSON and report, for a LOCAL review only: the files then contain PHI.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")]


def _given(text_field, id_field, patient_field, text_column, id_column, patient_column) -> dict[str, str | None]:
    """The read options named on the command line (``None``: not given, the run record's or the default)."""
    return {"text_field": text_field, "id_field": id_field, "patient_field": patient_field,
            "text_column": text_column, "id_column": id_column, "patient_column": patient_column}


def _qi_fields(qi: str | None) -> tuple[str, ...]:
    from scrubber.risk import QI_FIELDS

    return tuple(f.strip() for f in qi.split(",") if f.strip()) if qi else QI_FIELDS


@contextmanager
def _scanning(quiet: bool):
    """A progress bar on stderr; yields the per-document callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not quiet:
        err.print("loading model and recognizers for the leak scan...")
    progress = Progress(TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, disable=quiet)
    with progress:
        task = progress.add_task("scan", total=None)
        yield lambda d: progress.advance(task)


def _notes(notes: list[str]) -> None:
    for note in notes:  # option names and values only
        err.print(f"note: {note}")


def _write_json(data: dict, target: Path | None) -> None:
    if target is None:
        return
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if str(target) == "-":
        typer.echo(text)
        return
    from scrubber.io.writers import atomic_write_text

    atomic_write_text(target, text + "\n")


def _evaluation_dict(path: Path | None) -> dict | None:
    if path is None:
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _summary(data: dict, checks: list | None = None) -> None:
    from rich.console import Console

    from scrubber.risk import LOWER_BOUND_NOTE
    from rich.table import Table

    out = Console(highlight=False, markup=False)  # figures and names as they are, never markup
    ds = data["dataset"]
    qi = ds["quasi_identifiers"]
    table = Table("figure", "value", title="residual risk", title_justify="left")
    table.add_row("documents / records", f"{ds['documents']} / {ds['records']}")
    bound = " (lower bound: no --evaluation)" if ds.get("score_is_lower_bound") else ""
    table.add_row("risk score (mean P(direct identifier left))", f"{ds['score']:.4f}{bound} (max {ds['max_document_score']:.4f})")
    table.add_row(f"likely leaks (confidence >= {ds['leaks']['likely_threshold']}), a lower bound", f"{ds['leaks']['likely']} in {ds['leaks']['documents_with_likely_leaks']} documents")
    table.add_row("suspected leaks (any confidence), a lower bound", str(ds["leaks"]["suspected"]))
    for entity, n in ds["leaks"]["likely_by_type"].items():
        table.add_row(f"  likely {entity}", str(n))
    table.add_row("k-anonymity (smallest class)", f"{qi['k_anonymity']} over {', '.join(qi['fields'])}")
    table.add_row(f"share of {qi['unit']}s in classes < {qi['k']}", f"{qi['share_below_k']:.1%}")
    table.add_row("prosecutor risk / average risk", f"{qi['prosecutor_risk']:.3f} / {qi['average_risk']:.3f}")
    if ds.get("residual"):
        table.add_row("expected missed identifiers per 1,000 documents", f"{ds['residual']['per_1000_documents']}")
    out.print(table)
    out.print(f"leak counts are {ds['leaks'].get('note', LOWER_BOUND_NOTE)}", markup=False)
    if checks is not None:  # one unwrapped line per check: grep-able in CI logs
        for check in checks:
            typer.echo(f"{'ok  ' if check.passed else 'FAIL'} {check.name}: {check.reason}")


def _outputs(data: dict, report: Path | None, card: Path | None, evaluation: Path | None) -> None:
    """The report and card of ``scrubber risk`` (``scrubber check`` has the library write them)."""
    if report is None and card is None:
        return
    from scrubber import report as render

    evaluation_data = _evaluation_dict(evaluation)
    if report is not None:
        html, md = render.write_report(data, report, evaluation=evaluation_data)
        err.print(f"report: {html} and {md}")
    if card is not None:
        render.write_card(data, card, evaluation=evaluation_data)
        err.print(f"dataset card: {card}")


def risk(
    outputs: Annotated[list[Path], typer.Argument(help="Scrubbed outputs: a `scrub --out` folder (read through its audit log), files or folders.", show_default=False)],
    audit: AuditOption = None,
    evaluation: EvaluationOption = None,
    json_path: JsonOption = None,
    report: ReportOption = None,
    card: Annotated[Optional[Path], typer.Option(help="Write a Markdown dataset card here (publisher fields left to fill in).")] = None,
    k: KOption = 5,
    qi: QiOption = None,
    text_field: RunTextField = None,
    id_field: RunIdField = None,
    patient_field: RunPatientField = None,
    text_column: RunTextColumn = None,
    id_column: RunIdColumn = None,
    patient_column: RunPatientColumn = None,
    show_text: ShowText = False,
    quiet: Quiet = False,
) -> None:
    """Score already-scrubbed data for residual risk, without the original text.

    An independent leak scan (the recognizers at low thresholds plus detectors the scrub
    does not use: a Faker name lexicon, person cues, digit-run and date-shape sweeps; the
    run's own replacements from its audit log are excluded), quasi-identifiers with
    k-anonymity and ARX's prosecutor/average risk, and, with `--evaluation`, the expected
    number of missed identifiers. Suspected leaks are reported by document id, offsets,
    type and confidence, never their text (unless `--show-text`). Field and column names
    default to the ones the scrub run used (its audit log's run record); an option given
    here wins, with a note on stderr when it differs from the run's.

    Examples:

        scrubber risk out/ --json risk.json

        scrubber evaluate samples/gold.jsonl --json > eval.json && scrubber risk out/ --evaluation eval.json --report report/
    """
    from scrubber.errors import ScrubberError

    try:
        from scrubber.risk import assess

        with _scanning(quiet) as advance:
            result = assess(outputs, audit=audit, evaluation=evaluation, k=k, qi_fields=_qi_fields(qi), show_text=show_text,
                            options=_given(text_field, id_field, patient_field, text_column, id_column, patient_column),
                            on_document=advance)
        _notes(result.notes)
        data = result.to_dict()
        _write_json(data, json_path)
        _outputs(data, report, card, evaluation)
    except ScrubberError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    if json_path is None or str(json_path) != "-":
        _summary(data)


def check(
    dataset: Annotated[Path, typer.Argument(help="A `scrub --out` folder: outputs plus audit.jsonl.", show_default=False)],
    policy: Annotated[Optional[str], typer.Option(help="The policy the data was declared to be scrubbed with (preset or TOML file); its digest must match the run's, and its [check] section sets the thresholds [default: the run's preset].")] = None,
    max_leaks: Annotated[Optional[int], typer.Option(help="Most likely leaks allowed [default: policy [check], else 0].")] = None,
    max_risk: Annotated[Optional[float], typer.Option(help="Highest dataset risk score allowed, and with --review the highest 95% upper bound on the share of documents with a leak [default: policy [check], else 0.05].")] = None,
    min_k: Annotated[Optional[int], typer.Option(help="Smallest k-anonymity required [default: policy [check], else 1, i.e. not gated].")] = None,
    card: Annotated[Optional[Path], typer.Option(help="Dataset card to write or refresh; the check fails while its publisher fields are blank.")] = None,
    review: Annotated[Optional[Path], typer.Option(help="A finished `scrubber review` of this dataset: gates the 95% upper bound on the share of documents with a leak on --max-risk.")] = None,
    audit: AuditOption = None,
    evaluation: EvaluationOption = None,
    json_path: JsonOption = None,
    report: ReportOption = None,
    k: Annotated[Optional[int], typer.Option("--k", help="k for the share of records in classes smaller than k [default: the gate's min-k].")] = None,
    qi: QiOption = None,
    text_field: RunTextField = None,
    id_field: RunIdField = None,
    patient_field: RunPatientField = None,
    text_column: RunTextColumn = None,
    id_column: RunIdColumn = None,
    patient_column: RunPatientColumn = None,
    quiet: Quiet = False,
) -> None:
    """The pre-publication gate: exit 0 only when the dataset is safe to share by every check.

    Verifies provenance (the audit log's hash chain; every output file's SHA-256 equals
    the run record's; no unaudited data files; every output record audited; the policy
    digest matches the declared policy), runs `scrubber risk`, and applies the thresholds
    (flags, else the policy's `[check]` section, else max-leaks 0, max-risk 0.05, min-k 1).
    Prints one line per check; exits 1 when any fails, 2 on a usage error. Field and column
    names default to the ones the scrub run used (its audit log's run record); --text-field and
    the like are needed only for an older log that does not record them (audit schema < 3).
    An option given here wins, with a note on stderr when it differs from the run's. The
    library call is `scrubber.risk.check`.

    Examples:

        scrubber check out/ --policy safe-harbor

        scrubber check out/ --min-k 5 --evaluation eval.json --report report/ --card out/README.md

        scrubber check out/ --review review/ --report report/
    """
    from scrubber.errors import ScrubberError
    from scrubber.risk import check as check_dataset

    try:
        with _scanning(quiet) as advance:
            result = check_dataset(dataset, policy=policy, max_leaks=max_leaks, max_risk=max_risk, min_k=min_k, card=card,
                                   review=review, audit=audit, evaluation=evaluation, report=report, k=k, qi_fields=_qi_fields(qi),
                                   options=_given(text_field, id_field, patient_field, text_column, id_column, patient_column),
                                   on_document=advance)
        _notes(result.notes)
        if result.assessment is None:  # the audit log's chain is broken: nothing else can be checked
            _fail(result.checks, json_path)
        if result.card is not None:
            err.print(f"dataset card: {result.card}")
        _write_json(result.data, json_path)
        if result.report is not None:
            err.print(f"report: {result.report[0]} and {result.report[1]}")
    except ScrubberError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    if json_path is None or str(json_path) != "-":
        _summary(result.data, result.checks)
        typer.echo("PASS: safe to share by every check" if result.passed else f"FAIL: {sum(not c.passed for c in result.checks)} check(s) failed")
    if not result.passed:
        raise typer.Exit(Exit.CHECK_FAILED)


def _fail(checks, json_path) -> None:
    """A check that cannot even start (broken audit log): report it and exit 1."""
    for c in checks:
        typer.echo(f"FAIL {c.name}: {c.reason}")
    _write_json({"check": {"passed": False, "checks": [c.to_dict() for c in checks]}}, json_path)
    raise typer.Exit(Exit.CHECK_FAILED)
