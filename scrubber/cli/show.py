"""``scrubber show``: look at what the scrubber finds in one note (prints PHI to the terminal)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err

NEAR = 80  # characters: a dropped candidate this close to a finding is "nearby"


def show(
    note: Annotated[str, typer.Argument(help="One note: a `.txt` file, or `-` for stdin.", show_default=False)],
    policy: Annotated[str, typer.Option(help="Preset or TOML policy file, as for `scrub`.")] = "tags",
    key_file: Annotated[Optional[Path], typer.Option(help="Fingerprint key [default: $SCRUBBER_KEY, else a random per-run key].")] = None,
    findings_only: Annotated[bool, typer.Option("--findings-only", help="Print JSON for tooling instead: findings (offsets, type, score, recognizer, operator, fingerprint) and dropped candidates with their reason; never any text.")] = False,
    pipe: Annotated[bool, typer.Option("--pipe", help="Print the note even though stdout is not a terminal (a file or a pipe then receives PHI). Not needed with --findings-only.")] = False,
) -> None:
    """**Prints PHI to the terminal.** Show one note with every finding highlighted.

    Each finding is marked in the note with its type, score and recognizer, and listed
    below it with its offsets. Candidates the scrubber dropped are listed too, with the
    reason (the policy does not hide the type, a score below the threshold, or an
    allow-listed term). Nothing is written to a file: the note goes to the terminal only,
    and when stdout is not a terminal the command refuses (E283) unless `--pipe` is given.
    `--findings-only` prints JSON without any text, which may go anywhere.

    Examples:

        scrubber show samples/notes/progress_note.txt

        scrubber show samples/notes/progress_note.txt --policy safe-harbor

        scrubber show samples/notes/progress_note.txt --findings-only > findings.json
    """
    from scrubber.errors import ScrubberError
    from scrubber.io.readers import discover, read

    try:
        files = discover([note], stdin_format="txt")
        if len(files) != 1 or files[0].format != "txt":
            raise ScrubberError("E202", f"{note}: show reads one note (a .txt file or -)", "pass one .txt file, or pipe the note to `-`")
        if not findings_only and not pipe and not sys.stdout.isatty():
            raise ScrubberError("E283", "stdout is not a terminal: show prints the note, which holds PHI",
                                "run it in a terminal, use --findings-only for JSON without text, or add --pipe")
        from scrubber.keys import load_key
        from scrubber.policy import PolicyError, resolve_policy

        try:
            chosen = resolve_policy(policy)
        except PolicyError as exc:
            raise ScrubberError(exc.code, exc.message, exc.fix) from None
        key = load_key(key_file)
        (record,) = list(read(files[0]))
        from scrubber.engine import Scrubber

        engine = Scrubber(chosen, key=key)
    except ScrubberError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    if record.error is not None:
        result, dropped = None, []
        code, detail = record.error, ""
    else:
        result, dropped = engine.explain(record.text, doc_id=record.id)
        code, detail = result.error, result.detail
    if code is not None:  # nothing is shown of a note that could not be scrubbed
        from scrubber.errors import DESCRIPTIONS

        if findings_only:
            typer.echo(json.dumps({"id": record.id, "policy": chosen.name, "error": code, "detail": detail or DESCRIPTIONS.get(code, "")}))
        err.print(f"{record.where}: {code} {detail or DESCRIPTIONS.get(code, '')} (would be quarantined)")
        raise typer.Exit(Exit.QUARANTINED)
    findings = list(result.findings)
    shown_dropped = [d for d in dropped if not any(f.start <= d.start and d.end <= f.end for f in findings)]
    if findings_only:
        typer.echo(json.dumps({
            "id": record.id,
            "policy": chosen.name,
            "characters": len(record.text),
            "findings": [f.to_dict() for f in findings],
            "dropped": [d.to_dict() for d in shown_dropped],
        }, indent=2))
        return
    _render(record.text, findings, shown_dropped, chosen.name)


def _render(text: str, findings, dropped, policy_name: str) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = Console(highlight=False, markup=False, soft_wrap=True)
    err.print(f"showing the note with its findings (policy {policy_name}): this output holds PHI")
    body = Text()
    position = 0
    for i, f in enumerate(findings, start=1):
        body.append(text[position : f.start])
        body.append(text[f.start : f.end], style="bold black on yellow")
        body.append(f"[{i}:{f.entity_type} {f.score:.2f} {f.recognizer}]", style="cyan")
        position = f.end
    body.append(text[position:])
    for d in dropped:  # underline what was dropped (offsets are in the original text, before the labels)
        shift = sum(len(f"[{i}:{f.entity_type} {f.score:.2f} {f.recognizer}]") for i, f in enumerate(findings, start=1) if f.end <= d.start)
        inside = any(f.start < d.end and d.start < f.end for f in findings)
        if not inside:
            body.stylize("underline", d.start + shift, d.end + shift)
    out.print(body)
    table = Table(title=f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", show_lines=False)
    for column in ("#", "start-end", "type", "score", "recognizer", "operator", "text"):
        table.add_column(column)
    for i, f in enumerate(findings, start=1):
        table.add_row(str(i), f"{f.start}-{f.end}", f.entity_type, f"{f.score:.2f}", f.recognizer, f.operator, _one_line(text[f.start : f.end]))
    out.print(table)
    if dropped:
        near = Table(title="dropped candidates (underlined in the note) and why")
        for column in ("start-end", "type", "score", "recognizer", "why dropped", "near finding", "text"):
            near.add_column(column)
        for d in dropped:
            why = {"threshold": f"score below the threshold {d.threshold:.2f}" if d.threshold is not None else "score below the threshold",
                   "allow-list": "allow-listed term (no cue backs it)",
                   "entity": "the policy does not hide this type"}[d.reason]
            close = [i for i, f in enumerate(findings, start=1) if f.start - NEAR <= d.end and d.start <= f.end + NEAR]
            near.add_row(f"{d.start}-{d.end}", d.entity_type, f"{d.score:.2f}", d.recognizer, why,
                         ", ".join(f"#{i}" for i in close) or "-", _one_line(text[d.start : d.end]))
        out.print(near)


def _one_line(value: str) -> str:
    return " ".join(value.split())
