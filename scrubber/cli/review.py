"""``scrubber review``: a person reviews a random sample of the output; the sample size plan; the feedback exports."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Optional

import typer

from scrubber.cli.common import Exit, err
from scrubber.cli.risk import RunIdColumn, RunIdField, RunPatientColumn, RunPatientField, RunTextColumn, RunTextField, _given


def review(
    dataset: Annotated[Optional[Path], typer.Argument(help="A `scrub --out` folder: outputs plus audit.jsonl.", show_default=False)] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Review folder (sample.json, review.jsonl); outside the dataset. The same folder resumes a review.")] = None,
    sample: Annotated[Optional[int], typer.Option(help="Documents to draw for a new review (all when the dataset has fewer); see --plan.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed of the sample [default: drawn at random and recorded].")] = None,
    stratify: Annotated[str, typer.Option(help="none: uniform over records; file: proportional within each output file; patient: within each patient.")] = "none",
    reviewer: Annotated[Optional[str], typer.Option(help="Name recorded with every decision [default: the login name].")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 [default: a free one].")] = 0,
    plan: Annotated[bool, typer.Option("--plan", help="Only say how many documents to review for the bound to be able to pass --max-risk.")] = False,
    max_risk: Annotated[float, typer.Option(help="With --plan: the highest share of leaky documents to be bounded (as `check --max-risk`).")] = 0.05,
    export_allow: Annotated[Optional[Path], typer.Option(help="Write the dismissed false alarms as an `allow = [...]` block for a policy file (`-` for stdout), and stop.")] = None,
    export_deny: Annotated[Optional[Path], typer.Option(help="Write confirmed leaks as a keyed-fingerprint deny-list (for `scrub --deny-list`), and stop; needs the run's key.")] = None,
    key_file: Annotated[Optional[Path], typer.Option(help="With --export-deny: the key the dataset was scrubbed with [default: $SCRUBBER_KEY].")] = None,
    text_field: RunTextField = None,
    id_field: RunIdField = None,
    patient_field: RunPatientField = None,
    text_column: RunTextColumn = None,
    id_column: RunIdColumn = None,
    patient_column: RunPatientColumn = None,
) -> None:
    """Review a random sample of scrubbed documents on a local page; the result feeds `scrubber check --review`.

    Draws a seeded random sample of output records (REVIEW_DIR/sample.json: seed, strata,
    the leak scan's suspicions by offset), then serves a review page on 127.0.0.1 behind a
    random token and prints its URL. Open it in a browser on this machine: decide each
    suspected leak ("Leak" / "Not a leak"), select anything else that identifies a person and
    mark it as a missed identifier with its type, and mark each document reviewed. Every
    decision is saved at once to REVIEW_DIR/review.jsonl (offsets and types, never text).
    Ctrl-C stops; the same command resumes. The page shows the scrubbed output, which is
    what is to be published. Field and column names default to the ones the scrub run used
    (its audit log's run record), as for `check`.

    Examples:

        scrubber review --plan --max-risk 0.05

        scrubber review out/ --sample 59 --out review/ --reviewer "A. Officer"

        scrubber check out/ --review review/

        scrubber review out/ --out review/ --export-allow allow.toml

        SCRUBBER_KEY=... scrubber review out/ --out review/ --export-deny ../deny.json
    """
    from scrubber import review as rv
    from scrubber.errors import ScrubberError

    try:
        if plan:
            rows = rv.plan(max_risk)
            typer.echo(f"To bound the share of documents with a leak below {max_risk} with {rv.CONFIDENCE:.0%} confidence "
                       f"(exact one-sided Clopper-Pearson), review a random sample of at least:")
            for row in rows:
                typer.echo(f"  {row['documents']:>6} documents if {row['documents_with_leaks']} of them hold a leak (bound {row['upper_bound']:.4f})")
            n0 = rows[0]["documents"]
            typer.echo(f"With none found: n = ceil(ln(1 - {rv.CONFIDENCE}) / ln(1 - {max_risk})) = {n0}. "
                       f"Then: scrubber review DATASET --sample {n0} --out REVIEW_DIR")
            return
        if dataset is None or out is None:
            raise ScrubberError("E275", "review needs DATASET and --out REVIEW_DIR", "e.g. scrubber review out/ --sample 59 --out review/ (or --plan)")
        if not dataset.is_dir():
            raise ScrubberError("E201", f"{dataset}: not a folder", "pass the --out folder of a scrub run")
        rv.check_review_dir(out, dataset)
        options = _read_options(dataset, _given(text_field, id_field, patient_field, text_column, id_column, patient_column))
        if export_allow is not None or export_deny is not None:
            _export(dataset, out, export_allow, export_deny, key_file)
            return
        if not (out / rv.SAMPLE_FILE).is_file():
            if sample is None:
                raise ScrubberError("E275", f"{out} holds no review yet, and --sample was not given", "pass --sample N (see `scrubber review --plan`)")
            err.print("drawing the sample and scanning it for suspected leaks (loads the model)...")
        drawn = rv.create_sample(dataset, out, sample or 1, seed=seed, stratify=stratify, options=options)
        from scrubber.review_server import ReviewServer

        server = ReviewServer(dataset, out, reviewer=reviewer or getpass.getuser(), port=port)
    except ScrubberError as exc:
        err.print(str(exc))
        raise typer.Exit(Exit.USAGE) from None
    except OSError as exc:
        err.print(str(ScrubberError("E275", f"cannot start the review ({exc.strerror})", f"choose another --port, or check that {out} is writable")))
        raise typer.Exit(Exit.USAGE) from None
    state = server.state()
    typer.echo(f"sample: {len(drawn.documents)} of {drawn.population} documents (seed {drawn.seed}, stratify {drawn.stratify}); "
               f"{state['reviewed']} reviewed so far")
    typer.echo(f"open this page in a browser on this machine (Ctrl-C stops; the same command resumes):\n  {server.url}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    state = server.state()
    done = state["reviewed"] == len(state["documents"])
    typer.echo(f"stopped: {state['reviewed']} of {len(state['documents'])} documents reviewed"
               + (f"; next: scrubber check {dataset} --review {out}" if done else f"; resume with: scrubber review {dataset} --out {out}"))


def _read_options(dataset: Path, given: dict[str, str | None]):
    """The options given here over the run record's (a note on stderr for each that differs); the
    audit log itself is checked by the review (E503 without one)."""
    from scrubber.risk import _audit_path, load_audit, resolve_read_options

    audit_path = _audit_path([dataset])
    options, notes = resolve_read_options(load_audit(audit_path).run if audit_path is not None else None, given)
    for note in notes:
        err.print(f"note: {note}")
    return options


def _export(dataset: Path, out: Path, allow: Path | None, deny: Path | None, key_file: Path | None) -> None:
    from scrubber import review as rv
    from scrubber.io.writers import atomic_write_text

    for target in (allow, deny):
        if target is not None and str(target) != "-":
            rv.check_review_dir(target, dataset)  # never written into the dataset (E270)
    if allow is not None:
        words = rv.export_allow(out, dataset)
        text = rv.allow_toml(words, out)
        if str(allow) == "-":
            typer.echo(text, nl=False)
        else:
            atomic_write_text(allow, text)
            err.print(f"allow-list: {len(words)} dismissed words in {allow}; add its `allow` list to your policy file")
    if deny is not None:
        import json

        from scrubber.keys import load_key

        data = rv.export_deny(out, dataset, load_key(key_file))
        if str(deny) == "-":
            raise rv.ScrubberError("E275", "the deny-list is written to a file only", "pass --export-deny FILE outside the dataset")
        atomic_write_text(deny, json.dumps(data, indent=1) + "\n")
        err.print(f"deny-list: {len(data['fingerprints'])} keyed fingerprints in {deny}; re-scrub with --deny-list {deny} and the same key")
