"""A batch run: inputs -> scrubbed outputs, quarantine list and audit log.

This is what ``scrubber scrub`` does, as a plain function for ETL jobs. The CLI
adds argument parsing and a progress bar; nothing else. With ``workers > 1`` the
records are scrubbed by worker processes (:mod:`scrubber.workers`) and written here,
in input order, exactly as one engine would write them. With an output folder, the
run keeps its partial state in ``OUT/.scrubber-partial/`` (:mod:`scrubber.resume`)
and checkpoints it, so that a killed or interrupted run can be continued with
``resume=True``.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from scrubber import __version__
from scrubber.audit import GENESIS, AuditLog
from scrubber.errors import ScrubberError
from scrubber.io.atomic import AtomicFile
from scrubber.io.readers import InputFile, ReadOptions, check_header, read
from scrubber.io.writers import OutputFile
from scrubber.resume import PARTIAL_DIR, JournalFile, Partial
from scrubber.values import Record, ScrubResult
from scrubber.workers import EngineSpec, WorkerPool, engine_info, iter_serial

QUARANTINE_NAME = "quarantine.jsonl"
# Errors after which a resumable run keeps its checkpoints: the run was sound, the machine was
# not (workers killed in a burst, the disk full or unwritable).
_KEEP_ON = ("E231", "E401", "E404")


@dataclass
class RunSummary:
    """Counts and paths of one run (also the body of the audit run record)."""

    read: int = 0
    written: int = 0
    quarantined: int = 0
    entities: Counter = field(default_factory=Counter)
    outputs: dict[str, str] = field(default_factory=dict)
    quarantine: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    characters: int = 0
    workers: int = 1
    worker_restarts: int = 0  # worker processes replaced after dying
    resumed_at: int | None = None  # records already done when this run resumed; None if it started afresh
    resumes: int = 0  # how often the run was resumed
    skipped: list = field(default_factory=list)  # (path, reason) of folder entries not read: names only


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
            if _same(path, out_dir / f.relative):
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
    scrubber,
    out_dir: Path | None,
    options: ReadOptions = ReadOptions(),
    audit_path: Path | None = None,
    on_record: Callable[[Record, ScrubResult], None] | None = None,
    crosswalk=None,
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
    for f in files:
        check_header(f, options)  # E205 before the model loads
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
    writer: _Writer | None = None
    pool: WorkerPool | None = None
    try:
        writer = _Writer(files, out_dir, options, audit_path, crosswalk, partial, checkpoint_every=spec.batch_size)
        writer.summary.workers = workers
        writer.summary.skipped = list(skipped or [])
        registries = partial.registries() if partial is not None else {}
        on_registry = partial.add_registries if partial is not None and partial.resumable else None
        if workers == 1:
            engine = spec.build() if isinstance(scrubber, EngineSpec) else scrubber
            engine.load_surrogate_registries(registries)
            info = engine_info(engine)
            source = iter_serial(engine, writer.records(), on_registry)
        else:
            pool = WorkerPool(spec, workers, registries=registries, on_registry=on_registry)
            info = pool.start()
            source = pool.iter_records(writer.records())
        for record, result in source:
            writer.handle(record, result)
            if on_record is not None:
                on_record(record, result)
        if pool is not None:
            writer.summary.worker_restarts = pool.restarts
            pool.close()
            pool = None
        summary = writer.finish(lambda s: run_record(spec, info, s))
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
        if pool is not None:
            try:
                pool.close(kill=True)
            except Exception:  # noqa: BLE001 - the first failure is the one to report
                pass
        # Interrupted (Ctrl-C, a crash, workers killed, a full disk): keep what a resumed run needs.
        # A new run that stops on a usage error, or a run that cannot be resumed, leaves nothing
        # behind: no partial state and no output under a final name without its audit log.
        keep = partial is not None and partial.resumable and (
            partial.resumed or not isinstance(failure, ScrubberError) or failure.code in _KEEP_ON
        )
        try:
            if writer is not None:
                writer.stop(keep=keep)
        finally:
            if partial is not None:
                partial.keep() if keep else partial.discard()
        if failure is not exc:
            raise failure from None
        raise


def _config(files: list[InputFile], spec: EngineSpec, options: ReadOptions, audit_path: Path | None, crosswalk) -> dict:
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
        "max_chars": spec.max_chars,
        "chunk_chars": spec.chunk_chars,
        "audit": None if audit_path is None else str(audit_path),
        "crosswalk": None if crosswalk is None else str(crosswalk.path),
        # a keyed check value: tells whether the resumed run has the same key, reveals nothing of it
        "key": None if spec.key.source == "random" else spec.key.derive("resume").fingerprint("check"),
        "resumable": why_not is None,
        "why_not": why_not,
    }


class _Writer:
    """The writing side of a run: outputs in input order, audit log, crosswalk, quarantine list
    and, for a resumable run, checkpoints of all of them."""

    def __init__(self, files, out_dir, options, audit_path, crosswalk, partial: Partial | None, *, checkpoint_every: int) -> None:
        self.files = files
        self.out_dir = out_dir
        self.options = options
        self.partial = partial
        self.crosswalk = crosswalk
        self.every = max(1, checkpoint_every)
        self.by_label = {f.label: i for i, f in enumerate(files)}
        self.summary = RunSummary()
        self.started = time.perf_counter()
        self.previous_seconds = 0.0
        self.done = 0  # records handled (written or quarantined), in input order
        self.since_checkpoint = 0
        self.current: OutputFile | None = None
        self.current_index = -1
        self.next_index = 0  # the next file to open
        self.audit: AuditLog | None = None
        self.quarantine: AtomicFile | None = None
        self.outputs_log: JournalFile | None = None
        self.committed: list[Path] = []  # outputs this run moved into place (removed if it fails for good)
        state = partial.state if partial is not None else None
        sizes = state["sizes"] if state else {}
        resumable = partial is not None and partial.resumable
        if state:
            self._restore(state)
        if audit_path is not None:
            temp = partial.temp("audit.jsonl") if partial else None
            keep = sizes.get("audit")
            if partial and keep is not None:
                partial.reclaim(temp, audit_path, keep)
            self.audit = AuditLog(audit_path, temp=temp, keep=keep, chain=state["chain"] if state else GENESIS)
        if partial is not None:
            final = out_dir / QUARANTINE_NAME
            keep = sizes.get("quarantine")
            if keep is not None:
                partial.reclaim(partial.temp("quarantine.jsonl"), final, keep)
            self.quarantine = AtomicFile(final, temp=partial.temp("quarantine.jsonl"), keep=keep)
            if keep:
                self.summary.quarantine = JournalFile.read(partial.temp("quarantine.jsonl"), keep)
            if resumable:
                self.outputs_log = JournalFile(partial.temp("outputs.jsonl"), keep=sizes.get("outputs"))
                if state:
                    for line in JournalFile.read(partial.temp("outputs.jsonl"), sizes.get("outputs")):
                        self.summary.outputs[line["file"]] = line["digest"]
        if crosswalk is not None:
            temp = partial.temp("crosswalk") if partial else None
            keep = sizes.get("crosswalk")
            if partial and keep is not None:
                partial.reclaim(temp, crosswalk.path, keep)
            crosswalk.open(temp=temp, keep=keep)
        if state and state.get("current") is not None:
            current = state["current"]
            index = current["index"]
            temp = partial.output_temp(files[index].relative)  # type: ignore[union-attr]
            partial.reclaim(temp, out_dir / files[index].relative, current["size"])  # type: ignore[union-attr]
            self.current = OutputFile(files[index], out_dir, options, temp=temp, keep=current["size"])
            self.current.records = current["records"]
            self.current.quarantined = current["quarantined"]
            self.current_index = index
            self.next_index = index + 1

    def _restore(self, state: dict) -> None:
        s = state["summary"]
        self.summary.read, self.summary.written, self.summary.quarantined = s["read"], s["written"], s["quarantined"]
        self.summary.characters = s["characters"]
        self.summary.entities = Counter(s["entities"])
        self.summary.resumes = state["resumes"] + 1
        self.summary.resumed_at = state["done"]
        self.previous_seconds = state["seconds"]
        self.done = state["done"]
        self.next_index = state["next"]
        self._last_id = state["last"]

    # -- reading ----------------------------------------------------------------------------------
    def records(self) -> Iterator[Record]:
        """The input records not yet done (a resumed run skips the checkpointed ones)."""
        skip = self.current.records + self.current.quarantined if self.current is not None else 0
        start = self.current_index if self.current is not None else self.next_index
        for f in self.files[start:]:
            for record in read(f, self.options):
                if skip:
                    skip -= 1
                    if skip == 0 and self._fingerprint(record.id) != self._last_id:
                        raise ScrubberError("E262", f"cannot resume: {f.label} changed since the interrupted run", "remove the partial folder and run again")
                    continue
                yield record
            if skip:
                raise ScrubberError("E262", f"cannot resume: {f.label} has fewer records than when the run was interrupted", "remove the partial folder and run again")

    def _fingerprint(self, record_id: str) -> str:
        return self.partial.config["key"] and _check_value(self.partial.config["key"], record_id)  # type: ignore[union-attr]

    # -- writing -----------------------------------------------------------------------------------
    def _open(self, index: int) -> None:
        f = self.files[index]
        temp = self.partial.output_temp(f.relative) if self.partial is not None else None
        self.current = OutputFile(f, self.out_dir, self.options, temp=temp)
        self.current_index = index
        self.next_index = index + 1

    def _finish_current(self) -> None:
        output = self.current
        assert output is not None
        self.current = None
        if output.input_file.format == "txt" and output.records == 0 and output.quarantined:
            output.abort()  # a quarantined document gets no output file, not an empty one
            return
        name = output.input_file.relative.as_posix()
        self.summary.outputs[name] = output.commit()
        if output.final is not None:
            self.committed.append(output.final)
        if self.outputs_log is not None:
            self.outputs_log.append({"file": name, "digest": self.summary.outputs[name]})

    def handle(self, record: Record, result: ScrubResult) -> None:
        """Write one record's result (records arrive in input order)."""
        index = self.by_label.get(record.source, self.next_index)
        # records arrive in file order: commit every earlier file (empty ones included)
        while self.current is None or self.current_index != index:
            if self.current is not None:
                self._finish_current()
            self._open(self.next_index)
        current = self.current
        summary = self.summary
        summary.read += 1
        if result.quarantined:
            current.quarantined += 1
            summary.quarantined += 1
            entry = {"id": record.id, "source": record.source, "line": record.line, "code": result.error, "detail": result.detail}
            summary.quarantine.append(entry)
            if self.quarantine is not None:
                self.quarantine.handle.write((json.dumps(entry) + "\n").encode("utf-8"))
        else:
            index = current.records
            current.write(record, result)
            if self.crosswalk is not None:
                self.crosswalk.write(record.id, result.text, result.reversal)
            summary.written += 1
            summary.characters += len(record.text or "")
            summary.entities.update(f.entity_type for f in result.findings)
        if self.audit is not None:
            if result.quarantined or current.final is None:
                self.audit.result(record, result)
            else:  # where the record sits in the outputs, for `scrubber risk`
                self.audit.result(record, result, current.input_file.relative.as_posix(), index)
        self.done += 1
        self.since_checkpoint += 1
        if self.since_checkpoint >= self.every and self.partial is not None and self.partial.resumable:
            self.checkpoint(record.id)

    def checkpoint(self, last_id: str) -> None:
        """Sync every file, then record where each one stands (see :mod:`scrubber.resume`)."""
        assert self.partial is not None
        current = self.current
        sizes = {
            "audit": self.audit.sync() if self.audit is not None else None,
            "quarantine": self.quarantine.sync() if self.quarantine is not None else None,
            "outputs": self.outputs_log.sync() if self.outputs_log is not None else None,
            "crosswalk": self.crosswalk.sync() if self.crosswalk is not None else None,
        }
        s = self.summary
        self.partial.checkpoint(
            {
                "done": self.done,
                "last": self._fingerprint(last_id),
                "next": self.next_index,
                "current": None
                if current is None
                else {"index": self.current_index, "size": current.sync(), "records": current.records, "quarantined": current.quarantined},
                "sizes": sizes,
                "chain": self.audit.chain if self.audit is not None else GENESIS,
                "summary": {"read": s.read, "written": s.written, "quarantined": s.quarantined, "characters": s.characters, "entities": dict(s.entities)},
                "seconds": self.previous_seconds + time.perf_counter() - self.started,
                "resumes": s.resumes,
            }
        )
        self.since_checkpoint = 0

    def finish(self, make_run_record: Callable[[RunSummary], dict]) -> RunSummary:
        """Commit the last outputs, the quarantine list, the crosswalk and the audit log."""
        if self.current is not None:
            self._finish_current()
        while self.next_index < len(self.files):  # inputs with no records at all still get an (empty) output
            self._open(self.next_index)
            self._finish_current()
        summary = self.summary
        summary.seconds = self.previous_seconds + time.perf_counter() - self.started
        if self.quarantine is not None:
            if summary.quarantined:
                self.quarantine.commit()
            else:
                self.quarantine.abort()
                (self.out_dir / QUARANTINE_NAME).unlink(missing_ok=True)  # a stale list of an earlier run (--overwrite)
            self.quarantine = None
        if self.crosswalk is not None:
            self.crosswalk.close()
            self.crosswalk = None
        if self.audit is not None:
            self.audit.close(make_run_record(summary), options=self.options)  # the run record names the read options
            self.audit = None
        if self.outputs_log is not None:
            self.outputs_log.close()
            self.outputs_log = None
        return summary

    def stop(self, *, keep: bool) -> None:
        """After a failure: keep the unfinished files for ``--resume``, or delete them together with
        the outputs this run finished (without their audit log they are unaccounted for).

        Never raises: closing a file on a full disk fails again, and must not stop the clean-up.
        """
        for item in (self.current, self.audit, self.crosswalk, self.quarantine):
            if item is not None:
                try:
                    item.detach() if keep else item.abort()
                except Exception:  # noqa: BLE001
                    pass
        if self.outputs_log is not None:
            try:
                self.outputs_log.close()
            except Exception:  # noqa: BLE001
                pass
        if not keep and self.partial is not None:
            for path in self.committed:
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass
        self.current = self.audit = self.crosswalk = self.quarantine = self.outputs_log = None


def _check_value(key_check: str, record_id: str) -> str:
    """A short digest of a record id, bound to the run (so the state holds no raw id)."""
    import hashlib

    return hashlib.sha256(f"{key_check}:{record_id}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def run_record(spec: EngineSpec, info: dict, summary: RunSummary) -> dict:
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
    scrubber,
    name: str = "scrubbed.jsonl",
    options: ReadOptions = ReadOptions(id_field="id", patient_field="patient"),
    overwrite: bool = False,
    info: dict | None = None,
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
        name: The output file's name under ``out_dir`` (``.jsonl``).
        options: Field names of the output records.
        overwrite: Replace an earlier dataset in ``out_dir`` (else E265).
        info: ``{"model_name", "recognizer_names"}`` when ``scrubber`` is an ``EngineSpec``
            (default: read from the built engine).

    Raises:
        ScrubberError: E265 files of an earlier run are there, E401/E404 cannot write.

    Example:
        >>> from scrubber import Record, Scrubber                                   # doctest: +SKIP
        >>> engine = Scrubber("safe-harbor", key=key)                               # doctest: +SKIP
        >>> pairs = engine.iter_records(Record(i, t) for i, t in notes)           # doctest: +SKIP
        >>> write_results(pairs, "out/", scrubber=engine)                          # doctest: +SKIP
    """
    from dataclasses import replace as _replace

    from scrubber.io.writers import atomic_write_text

    out_dir = Path(out_dir)
    if Path(name).suffix != ".jsonl" or Path(name).name != name:
        raise ScrubberError("E209", f"output name {name!r} must be a .jsonl file name", 'use e.g. name="scrubbed.jsonl"')
    files = [InputFile(None, Path(name), "jsonl")]
    audit_path = out_dir / "audit.jsonl"
    _check_paths(files, out_dir, audit_path, None)
    if not overwrite:
        _check_earlier(files, out_dir, audit_path, None)
    spec = scrubber if isinstance(scrubber, EngineSpec) else EngineSpec.of(scrubber)
    if info is None:
        info = engine_info(scrubber)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScrubberError("E401", f"cannot create the output folder {out_dir} ({exc.strerror})", "choose a writable folder") from None
    writer = _Writer(files, out_dir, options, audit_path, None, None, checkpoint_every=1)
    quarantine = out_dir / QUARANTINE_NAME
    try:
        label = files[0].label
        for record, result in results:
            fields = record.fields or {
                options.id_field or "id": record.id,
                **({options.patient_field or "patient": record.patient} if record.patient is not None else {}),
            }
            writer.handle(_replace(record, source=label, fields=fields), result)
        if writer.summary.quarantine:
            atomic_write_text(quarantine, "".join(json.dumps(entry) + "\n" for entry in writer.summary.quarantine))
        else:
            quarantine.unlink(missing_ok=True)  # a stale list of an earlier run (overwrite)
        summary = writer.finish(lambda s: run_record(spec, info, s))
    except BaseException:
        writer.stop(keep=False)
        for path in writer.committed:  # never an output without its audit log
            path.unlink(missing_ok=True)
        raise
    return summary
