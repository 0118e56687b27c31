"""``scrubber evaluate``: accuracy against a gold corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err


def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold corpus: span-JSONL, presidio-research JSON, or JSONL without spans (redaction rate only).", show_default=False)],
    json_output: Annotated[bool, typer.Option("--json", help="Print the figures as JSON on stdout.")] = False,
    text_field: Annotated[str, typer.Option(help="Field holding the text (e.g. `transcription` for MTSamples).")] = "text",
    limit: Annotated[Optional[int], typer.Option(help="Evaluate only the first N documents.")] = None,
    distinct: Annotated[bool, typer.Option("--distinct", help="Skip documents whose text was already seen (MTSamples repeats texts).")] = False,
    errors: Annotated[Optional[Path], typer.Option(help="Write missed gold spans and false positives WITH THEIR TEXT to this JSONL file, for local error analysis of gold corpora only.")] = None,
    policy: Annotated[str, typer.Option(help="Preset or TOML policy file to scrub with (e.g. a deliberately weakened one for --leak-scan).")] = "tags",
    leak_scan: Annotated[bool, typer.Option("--leak-scan", help="Measure the leak scan of `scrubber risk` instead: scrub with --policy, scan the output, and report which gold PHI left in the output (known leaks) the scan points at, and its false alarms.")] = False,
    name_leak: Annotated[bool, typer.Option("--name-leak", help="Measure name leaks instead, on a JSONL corpus whose records name their patient (ACI-Bench: patient_firstname, patient_familyname): scrub the `dialogue` and `note` of each encounter and count encounters whose patient name is still in either.")] = False,
    case: Annotated[str, typer.Option("--case", help="Put every text in `lower` case or in capitals (`upper`) before scrubbing, offsets kept: the same notes without the information capitals carry. One of as-is, lower, upper.")] = "as-is",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress messages.")] = False,
) -> None:
    """Measure recall and precision against gold PHI spans.

    Prints type-blind and per-type character and whole-span recall and precision,
    and the redaction rate (share of non-space characters hidden). Corpus labels
    are mapped to the project's types by `scrubber.evaluate.LABEL_MAP`.

    Examples:

        scrubber evaluate samples/gold.jsonl

        scrubber evaluate ../shared/corpora/physionet-deid-nursing/dev.jsonl --json

        scrubber evaluate ../shared/corpora/mtsamples/mtsamples.jsonl --text-field transcription --distinct --limit 500

        scrubber evaluate samples/gold.jsonl --leak-scan --policy no-names.toml

        scrubber evaluate ../shared/corpora/aci-bench/dev.jsonl --name-leak

        scrubber evaluate ../shared/corpora/presidio-research-synth/synth_dataset_v2.json --case lower
    """
    from scrubber.engine import Scrubber
    from scrubber.errors import ScrubberError
    from scrubber.evaluate import evaluate as run_evaluation
    from scrubber.evaluate import load_gold

    if not gold.is_file():
        err.print(str(ScrubberError("E201", f"{gold}: no such file", "check the path")))
        raise typer.Exit(Exit.USAGE)
    from scrubber.evaluate import CASES, in_case

    if case not in CASES:
        err.print(str(ScrubberError("E243", f"--case {case!r} is not a case", f"use one of {', '.join(CASES)}")))
        raise typer.Exit(Exit.USAGE)
    if case != "as-is" and (name_leak or leak_scan):
        err.print(str(ScrubberError("E243", "--case applies to the recall and precision figures only", "leave out --name-leak and --leak-scan, or --case")))
        raise typer.Exit(Exit.USAGE)
    if not quiet:
        err.print("loading model and recognizers...")
    from scrubber.policy import PolicyError, resolve_policy

    try:
        chosen = resolve_policy(policy)
    except PolicyError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    scrubber = Scrubber(chosen)
    if name_leak:
        from scrubber.evaluate import evaluate_name_leak, load_encounters

        try:
            figures = evaluate_name_leak(scrubber, load_encounters(gold, limit=limit), keep_errors=errors is not None)
        except (ValueError, KeyError) as exc:
            err.print(f"{exc}")
            raise typer.Exit(Exit.USAGE) from None
        if errors is not None:
            with errors.open("w", encoding="utf-8") as handle:
                for leak in figures.pop("leaks"):
                    handle.write(json.dumps({"kind": "name_leak", **leak}, ensure_ascii=False) + "\n")
        typer.echo(json.dumps({"corpus": str(gold), "policy": chosen.name, **figures}, indent=2))
        return
    if leak_scan:
        from scrubber.evaluate import evaluate_leak_scan
        from scrubber.risk import LeakScanner

        try:
            figures = evaluate_leak_scan(scrubber, LeakScanner(), load_gold(gold, text_field=text_field, limit=limit, distinct=distinct))
        except (ValueError, KeyError) as exc:
            err.print(f"{exc}")
            raise typer.Exit(Exit.USAGE) from None
        figures = {"corpus": str(gold), "policy": chosen.name, **figures}
        typer.echo(json.dumps(figures, indent=2))
        return
    try:
        report = run_evaluation(
            scrubber, in_case(load_gold(gold, text_field=text_field, limit=limit, distinct=distinct), case),
            corpus=str(gold), keep_errors=errors is not None,
        )
    except (ValueError, KeyError) as exc:
        err.print(f"{exc}")
        raise typer.Exit(Exit.USAGE) from None
    data = report.to_dict()
    if errors is not None:
        with errors.open("w", encoding="utf-8") as handle:
            for miss in report.misses:
                handle.write(json.dumps({"kind": "miss", **miss}, ensure_ascii=False) + "\n")
            for fp in report.false_positives:
                handle.write(json.dumps({"kind": "false_positive", **fp}, ensure_ascii=False) + "\n")
    if json_output:
        typer.echo(json.dumps(data, indent=2))
        return
    _print_table(data)


def _print_table(data: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    from rich.markup import escape

    out = Console()
    out.print(f"[bold]{escape(str(data['corpus']))}[/bold]: {data['documents']} documents, {data['quarantined']} quarantined, "
              f"redaction rate {data['redaction_rate']}")
    if "type_blind" not in data:
        return
    tb = data["type_blind"]
    table = Table("type", "gold spans", "char recall", "span recall", "predicted", "char precision", "span precision")
    fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
    table.add_row("[bold]all (type-blind)", str(tb["gold_spans"]), fmt(tb["char_recall"]), fmt(tb["span_recall"]),
                  str(tb["predicted_spans"]), fmt(tb["char_precision"]), fmt(tb["span_precision"]))
    for name, row in data["per_type"].items():
        table.add_row(name, str(row["gold_spans"]), fmt(row["char_recall"]), fmt(row["span_recall"]),
                      str(row["predicted_spans"]), fmt(row["char_precision"]), fmt(row["span_precision"]))
    out.print(table)
