"""A batch run: inputs -> scrubbed outputs, quarantine list and audit log.

This is what ``scrubber scrub`` does, as a plain function for ETL jobs. The CLI
adds argument parsing and a progress bar; nothing else. :func:`run` checks the paths,
takes the output folder's partial state, and ties the three sides of a run together:
the :class:`~scrubber.run.source.Source` reads the records (skipping those a resumed run
already did), an :class:`~scrubber.run.executor.Executor` scrubs them (in process, or with
``workers > 1`` in worker processes, results in input order either way), and the
:class:`~scrubber.run.sink.Sink` writes them exactly as one engine would. With an output
folder, the run keeps its partial state in ``OUT/.scrubber-partial/`` (:mod:`scrubber.resume`)
and checkpoints it, so that a killed or interrupted run can be continued with ``resume=True``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from scrubber import __version__
from scrubber.errors import ScrubberError
from scrubber.io.readers import InputFile, ReadOptions
from scrubber.resume import PARTIAL_DIR, Partial
from scrubber.run.executor import Executor, executor
from scrubber.run.sink import QUARANTINE_NAME, RunSummary, Sink
from scrubber.run.source import Source
from scrubber.values import Record, ScrubResult
from scrubber.workers import EngineInfo, EngineSpec, engine_info

if TYPE_CHECKING:
    from scrubber.crosswalk import CrosswalkWriter
    from scrubber.engine import Scrubber

# Errors after which a resumable run keeps its checkpoints: the run was sound, the machine was
# not (workers killed in a burst, the disk full or unwritable).
_KEEP_ON = ("E231", "E401", "E404")


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name the same file (through links and ``..``; existing or not)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _check_paths(files: list[InputFile], out_dir: Path | None, audit_path: Path | None, crosswalk_path: Path | None) -> None:
    """Refuse a run in which one file would be written twice, or an input written at all (always,
    whatever ``overwrite`` says)."""
    inputs = [f.path for f in files if f.path is not None]
    if out_dir is not None:
        out = out_dir.resolve()
        if out.exists() and not out.is_dir():
            raise ScrubberError("E402", f"--out {out_dir} exists and is not a folder", "choose a folder path")
        for f in files:
            if f.path is not None and _same(out / f.relative, f.path):
                raise ScrubberError("E207", f"output for {f.label} would overwrite the input", "choose an --out folder different from the input folder")
    # the run's own files, by role; none may be an input, an output or another of them
    own: list[tuple[str, Path, str]] = []
    if audit_path is not None:
        own.append(("the audit log", audit_path, "pass another --audit path"))
    if out_dir is not None:
        own.append(("the quarantine list", out_dir / QUARANTINE_NAME, ""))
    if crosswalk_path is not None:
        own.append(("the crosswalk", crosswalk_path, "pass another --crosswalk path"))
    for i, (role, path, fix) in enumerate(own):
        for source in inputs:
            if _same(path, source):
                raise ScrubberError("E206", f"{role} ({path}) would overwrite the input {source}", fix or "rename the input")
        for f in files if out_dir is not None else []:
            if out_dir is not None and _same(path, out_dir / f.relative):
                raise ScrubberError(
                    "E206", f"{role} ({path}) and the output for {f.label} would be the same file",
                    fix or f"rename the input (an output named {QUARANTINE_NAME} is reserved for the quarantine list)")
        for other_role, other, _ in own[:i]:
            if _same(path, other):
                raise ScrubberError("E206", f"{role} and {other_role} would be the same file ({path})", fix or "choose other paths")
    if out_dir is not None:
        for f in files:
            if f.relative.parts and f.relative.parts[0] == PARTIAL_DIR:
                raise ScrubberError("E206", f"the output for {f.label} would be inside {PARTIAL_DIR}, the run's own folder", "rename the input folder")


def _check_earlier(files: list[InputFile], out_dir: Path | None, audit_path: Path | None, crosswalk_path: Path | None) -> None:
    """Refuse to replace (or delete) what an earlier run wrote, unless ``overwrite`` was asked for."""
    targets = [out_dir / f.relative for f in files] if out_dir is not None else []
    targets += [p for p in (audit_path, crosswalk_path) if p is not None]
    if out_dir is not None:
        targets.append(out_dir / QUARANTINE_NAME)  # replaced, or deleted as stale
    there = [p for p in targets if os.path.lexists(p)]
    if there:
        more = f" and {len(there) - 1} more" if len(there) > 1 else ""
        raise ScrubberError(
            "E265",
            f"{there[0]}{more} already exist(s): this run would replace what an earlier run wrote",
            "choose a new --out folder (and --audit path), or add --overwrite to replace them",
        )


def _check_writable(path: Path | None, role: str) -> None:
    """Fail before any record is scrubbed when ``path``'s folder cannot take a file (E404)."""
    if path is None:
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ScrubberError("E404", f"cannot write {role} {path} ({exc.strerror})", "choose a writable path, or make the folder writable") from None


def run(
    files: list[InputFile],
    *,
    scrubber: "Scrubber | EngineSpec",
    out_dir: Path | None,
    options: ReadOptions = ReadOptions(),
    audit_path: Path | None = None,
    on_record: Callable[[Record, ScrubResult], None] | None = None,
    crosswalk: "CrosswalkWriter | None" = None,
    workers: int = 1,
    resume: bool = False,
    overwrite: bool = False,
    skipped: list[tuple[str, str]] | None = None,
) -> RunSummary:
    """Scrub ``files`` with ``scrubber`` and write outputs under ``out_dir``.

    With ``out_dir=None`` (stdin to stdout) the scrubbed text goes to stdout.
    The audit log goes to ``audit_path`` (default ``out_dir/audit.jsonl``), the
    quarantine list to ``out_dir/quarantine.jsonl`` when anything was quarantined.
    ``crosswalk`` (a :class:`~scrubber.crosswalk.CrosswalkWriter`, opt-in) receives each
    document's replacements; the scrubber must be built with ``crosswalk=True``.

    Args:
        scrubber: A built :class:`~scrubber.engine.Scrubber`, or an
            :class:`~scrubber.workers.EngineSpec` (then the engine is built here, or only in
            the worker processes when ``workers > 1``).
        workers: Processes that scrub in parallel; ``1`` scrubs in this process. Outputs,
            their order and the audit findings are the same for any number of workers.
        resume: Continue the interrupted run whose partial state is in
            ``out_dir/.scrubber-partial/`` (it needs the same inputs, options and key). Without
            partial state the run starts afresh.
        overwrite: Replace the outputs, audit log, quarantine list and crosswalk of an earlier
            run (without it, a run that would replace or delete any of them is refused, E265). An
            input is never written, with or without it (E206, E207).
        skipped: What the input folders held that was not read (see
            :func:`~scrubber.io.readers.discover`); reported in the summary and the run record.

    Raises:
        ScrubberError: usage and output errors (nothing is half-written); E260-E265 and E403
            when ``out_dir`` holds partial state or earlier outputs that cannot be used as asked;
            E404 when a file cannot be written (full disk, unwritable folder), naming it.
    """
    if audit_path is None and out_dir is not None:
        audit_path = out_dir / "audit.jsonl"
    crosswalk_path = None if crosswalk is None else Path(crosswalk.path)
    _check_paths(files, out_dir, audit_path, crosswalk_path)
    # with partial state in OUT, Partial.open resumes it or refuses (E260, which says how to go on)
    interrupted = out_dir is not None and (out_dir / PARTIAL_DIR / "config.json").exists()
    if not overwrite and not interrupted:
        _check_earlier(files, out_dir, audit_path, crosswalk_path)
    _check_writable(audit_path, "the audit log")
    Source(files, options).check_headers()  # E205 before the model loads
    _check_writable(crosswalk_path, "the crosswalk")
    spec = scrubber if isinstance(scrubber, EngineSpec) else EngineSpec.of(scrubber)
    workers = max(1, int(workers))
    partial: Partial | None = None
    if out_dir is None:
        if resume:
            raise ScrubberError("E261", "cannot resume a run that writes to stdout", "write to a folder with --out")
    else:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScrubberError("E401", f"cannot create --out folder {out_dir} ({exc.strerror})", "choose a writable folder") from None
        try:
            partial = Partial.open(out_dir, _config(files, spec, options, audit_path, crosswalk), resume=resume)
        except OSError as exc:
            if not interrupted:  # a new run's own folder: nothing in it to keep
                shutil.rmtree(out_dir / PARTIAL_DIR, ignore_errors=True)
            raise ScrubberError("E404", f"cannot write {exc.filename or out_dir / PARTIAL_DIR} ({exc.strerror})",
                                "free disk space or choose a writable --out folder") from None
    sink: Sink | None = None
    scrubbing: Executor | None = None
    try:
        sink = Sink(files, out_dir, options, audit_path, crosswalk, partial, checkpoint_every=spec.batch_size)
        sink.summary.workers = workers
        sink.summary.skipped = list(skipped or [])
        source = Source(files, options, partial)
        scrubbing = executor(
            scrubber, workers,
            registries=partial.registries() if partial is not None else {},
            on_registry=partial.add_registries if partial is not None and partial.resumable else None,
        )
        info = scrubbing.start()
        for record, result in scrubbing.results(source.records()):
            sink.handle(record, result)
            if on_record is not None:
                on_record(record, result)
        scrubbing.close()
        sink.summary.worker_restarts = scrubbing.restarts
        scrubbing = None
        summary = sink.finish(lambda s: run_record(spec, info, s))
        if partial is not None:
            partial.discard()  # complete: the partial state goes
        return summary
    except BaseException as exc:
        if isinstance(exc, OSError):  # a write the guarded files did not catch (state, journals)
            where = exc.filename or out_dir or audit_path
            failure: BaseException = ScrubberError("E404", f"cannot write {where} ({exc.strerror or type(exc).__name__})",
                                                   "free disk space or choose a writable --out folder")
        else:
            failure = exc
        if scrubbing is not None:
            try:
                scrubbing.close(kill=True)
            except Exception:  # noqa: BLE001 - the first failure is the one to report
                pass
        # Interrupted (Ctrl-C, a crash, workers killed, a full disk): keep what a resumed run needs.
        # A new run that stops on a usage error, or a run that cannot be resumed, leaves nothing
        # behind: no partial state and no output under a final name without its audit log.
        keep = partial is not None and partial.resumable and (
            partial.resumed or not isinstance(failure, ScrubberError) or failure.code in _KEEP_ON
        )
        try:
            if sink is not None:
                sink.stop(keep=keep)
        finally:
            if partial is not None:
                partial.keep() if keep else partial.discard()
        if failure is not exc:
            raise failure from None
        raise


def _caseless_ner(model: str) -> str | None:
    """The digest of the caseless NER the engine of ``model`` loads (``None``: it loads none), so that
    a run resumed after the weights changed is refused like one after a model change."""
    from scrubber.engine import DEFAULT_MODEL

    if model != DEFAULT_MODEL:
        return None
    from recognizers.caseless import WEIGHTS, digest

    return digest() if WEIGHTS.is_dir() else None


def _config(
    files: list[InputFile], spec: EngineSpec, options: ReadOptions, audit_path: Path | None, crosswalk: "CrosswalkWriter | None"
) -> dict[str, Any]:
    """What a resumed run must match (see :mod:`scrubber.resume`); holds no secret."""
    from importlib.metadata import version

    why_not = None
    if spec.key.source == "random":
        why_not = "it used a random per-run key (no --key-file or SCRUBBER_KEY), which is never saved"
    elif any(f.path is None for f in files):
        why_not = "it read stdin, which cannot be read again"
    elif any(f.format == "parquet" for f in files):
        why_not = "it writes Parquet, whose unfinished output cannot be continued (no footer until it is complete)"
    inputs = []
    for f in files:
        try:
            stat = f.path.stat() if f.path is not None else None
        except OSError as exc:
            raise ScrubberError("E201", f"{f.label}: cannot read the input ({exc.strerror})", "check the path") from None
        inputs.append([f.label, f.relative.as_posix(), f.format, stat and stat.st_size, stat and stat.st_mtime_ns])
    return {
        "format": 1,
        "tool": __version__,
        "versions": {name: version(name) for name in ("presidio-analyzer", "presidio-anonymizer", "spacy", "faker")},
        "inputs": inputs,
        "options": asdict(options),
        "policy": spec.policy.digest,
        "model": spec.model,
        "caseless_ner": _caseless_ner(spec.model),  # its weights read the documents without capitals
        "max_chars": spec.max_chars,
        "chunk_chars": spec.chunk_chars,
        "audit": None if audit_path is None else str(audit_path),
        "crosswalk": None if crosswalk is None else str(crosswalk.path),
        # a keyed check value: tells whether the resumed run has the same key, reveals nothing of it
        "key": None if spec.key.source == "random" else spec.key.derive("resume").fingerprint("check"),
        "resumable": why_not is None,
        "why_not": why_not,
        **({"skipped_steps": list(spec.skip_steps)} if spec.skip_steps else {}),
    }


def run_record(spec: EngineSpec, info: EngineInfo, summary: RunSummary) -> dict[str, Any]:
    """The audit log's closing record: versions, policy, key source, counts, digests, timings."""
    from importlib.metadata import version

    return {
        "tool": {"name": "clinical-scrubber", "version": __version__},
        "versions": {
            "presidio-analyzer": version("presidio-analyzer"),
            "presidio-anonymizer": version("presidio-anonymizer"),
            "spacy": version("spacy"),
            "model": info["model_name"],
            "python": platform.python_version(),
        },
        "policy": {"name": spec.policy.name, "digest": spec.policy.digest},
        "recognizers": list(info["recognizer_names"]),
        **({"skipped_steps": list(spec.skip_steps)} if spec.skip_steps else {}),  # a weaker engine says so
        "key_source": spec.key.source,
        "crosswalk": spec.crosswalk,
        "key_note": (
            "random per-run key: fingerprints cannot be linked to any other run"
            if spec.key.source == "random"
            else "keyed fingerprints are linkable across runs that use the same key"
        ),
        "documents": {"read": summary.read, "written": summary.written, "quarantined": summary.quarantined},
        "entities": dict(sorted(summary.entities.items())),
        "outputs": summary.outputs,
        # folder entries not read (names and reasons, no content); absent when there were none
        **({"skipped": [{"path": p, "reason": r} for p, r in summary.skipped]} if summary.skipped else {}),
        # how the run was executed; not part of what it produced
        "timing": {
            "seconds": round(summary.seconds, 3),
            "documents_per_second": round(summary.read / summary.seconds, 2) if summary.seconds else None,
            "workers": summary.workers,
            "worker_restarts": summary.worker_restarts,
            "resumes": summary.resumes,
        },
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def write_results(
    results: Iterable[tuple[Record, ScrubResult]],
    out_dir: Path | str,
    *,
    scrubber: "Scrubber | EngineSpec",
    name: str = "scrubbed.jsonl",
    options: ReadOptions = ReadOptions(id_field="id", patient_field="patient"),
    overwrite: bool = False,
    info: EngineInfo | None = None,
    schema: Any = None,
) -> RunSummary:
    """Write results scrubbed in memory as a dataset that ``scrubber check`` reads like a CLI run's.

    ``out_dir/name`` gets one JSON line per scrubbed record: the record's ``fields`` (or, when it
    has none, its id and patient under ``options.id_field``/``options.patient_field``) with the
    scrubbed text under ``options.text_field``. ``out_dir/audit.jsonl`` gets the CLI's audit log
    (same schema and hash chain: a document line and the findings, with output offsets, per
    record; a quarantine line per quarantined record; the run record with the policy digest,
    key source, versions, counts and the output's SHA-256), and ``out_dir/quarantine.jsonl`` the
    quarantined records (ids and codes, no text) when there are any. Quarantined records are
    never written. Files appear under their final names only when everything was written.

    Args:
        results: ``(record, result)`` pairs as :meth:`Scrubber.iter_records` yields them, in order.
        scrubber: The :class:`~scrubber.engine.Scrubber` that produced them (or its
            :class:`~scrubber.workers.EngineSpec`): the run record names its policy, key source
            and model. Results of another policy would make ``check``'s policy check meaningless.
        name: The output file's name under ``out_dir``: ``.jsonl``, or ``.parquet`` (with ``schema``).
        options: Field names of the output records (column names for Parquet).
        overwrite: Replace an earlier dataset in ``out_dir`` (else E265).
        info: ``{"model_name", "recognizer_names"}`` when ``scrubber`` is an ``EngineSpec``
            (default: read from the built engine).
        schema: For a ``.parquet`` name: the ``pyarrow.Schema`` of the output rows (each record's
            ``fields`` are written with it, the text under ``options.text_column``).

    Raises:
        ScrubberError: E209 a bad name (or ``.parquet`` without ``schema``), E265 files of an
            earlier run are there, E401/E404 cannot write.

    Example:
        >>> from scrubber import Record, Scrubber                                   # doctest: +SKIP
        >>> engine = Scrubber("safe-harbor", key=key)                               # doctest: +SKIP
        >>> pairs = engine.iter_records(Record(i, t) for i, t in notes)           # doctest: +SKIP
        >>> write_results(pairs, "out/", scrubber=engine)                          # doctest: +SKIP
    """
    from dataclasses import replace as _replace

    from scrubber.io.writers import atomic_write_text

    out_dir = Path(out_dir)
    if Path(name).suffix not in (".jsonl", ".parquet") or Path(name).name != name:
        raise ScrubberError("E209", f"output name {name!r} must be a .jsonl or .parquet file name", 'use e.g. name="scrubbed.jsonl"')
    if Path(name).suffix == ".parquet" and schema is None:
        raise ScrubberError("E209", f"output name {name!r}: a Parquet output needs the rows' schema", "pass schema= (a pyarrow.Schema)")
    files = [InputFile(None, Path(name), "jsonl")]
    audit_path = out_dir / "audit.jsonl"
    _check_paths(files, out_dir, audit_path, None)
    if not overwrite:
        _check_earlier(files, out_dir, audit_path, None)
    spec = scrubber if isinstance(scrubber, EngineSpec) else EngineSpec.of(scrubber)
    if info is not None:
        about = info
    elif isinstance(scrubber, EngineSpec):
        raise TypeError("write_results: an EngineSpec needs info= (its engine is not built here)")
    else:
        about = engine_info(scrubber)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScrubberError("E401", f"cannot create the output folder {out_dir} ({exc.strerror})", "choose a writable folder") from None
    spool = tempfile.TemporaryDirectory(prefix="scrubber-schema-") if Path(name).suffix == ".parquet" else None
    try:
        if spool is not None:
            files = [_SchemaOnly(_schema_file(schema, spool.name), Path(name), "parquet")]
        sink = Sink(files, out_dir, options, audit_path, None, None, checkpoint_every=1)
    except BaseException:
        if spool is not None:
            spool.cleanup()
        raise
    quarantine = out_dir / QUARANTINE_NAME
    try:
        label = files[0].label
        for record, result in results:
            fields = record.fields or {
                options.id_field or "id": record.id,
                **({options.patient_field or "patient": record.patient} if record.patient is not None else {}),
            }
            sink.handle(_replace(record, source=label, fields=fields), result)
        if sink.summary.quarantine:
            atomic_write_text(quarantine, "".join(json.dumps(entry) + "\n" for entry in sink.summary.quarantine))
        else:
            quarantine.unlink(missing_ok=True)  # a stale list of an earlier run (overwrite)
        summary = sink.finish(lambda s: run_record(spec, about, s))
    except BaseException:
        sink.stop(keep=False)  # never an output without its audit log
        raise
    finally:
        if spool is not None:
            spool.cleanup()
    return summary


class _SchemaOnly(InputFile):
    """The "input" of a Parquet :func:`write_results`: an empty Parquet file that holds only the
    output's schema (the Parquet writer takes the schema of its input file); shown as ``-``."""

    @property
    def label(self) -> str:
        return "-"


def _schema_file(schema: Any, folder: str) -> Path:
    from scrubber.io.readers import pyarrow_parquet

    path = Path(folder) / "schema.parquet"
    pyarrow_parquet().write_table(schema.empty_table(), path)
    return path
