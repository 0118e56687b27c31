"""The writing side of a run: outputs in input order, quarantine list, audit log and crosswalk.

Every file the sink writes follows one life cycle (:class:`~scrubber.io.atomic.Lifecycle`):
written to a temporary file (in a resumable run, in the partial folder, see :mod:`scrubber.resume`),
synced at each checkpoint, and at the end committed (moved into place) or, after a failure,
detached (kept for ``--resume``) or aborted (deleted). Nothing incomplete ever sits under a final
name, and an output is never left without the audit log that accounts for it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from scrubber.audit import GENESIS, AuditLog
from scrubber.crosswalk import CrosswalkWriter
from scrubber.io.atomic import Lifecycle
from scrubber.io.readers import InputFile, ReadOptions
from scrubber.io.writers import OutputFile, QuarantineList
from scrubber.resume import JournalFile, Partial
from scrubber.values import Record, ScrubResult

QUARANTINE_NAME = "quarantine.jsonl"


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


class Sink:
    """Writes a run's results (records arrive in input order) and checkpoints every file it writes.

    Args:
        files: The inputs; each gets an output of the same relative name under ``out_dir``.
        out_dir: The output folder (``None``: the text goes to stdout).
        options: Field and column names of the outputs.
        audit_path: The audit log (``None``: none is written).
        crosswalk: The opt-in crosswalk writer (not yet opened).
        partial: The run's partial state: files are written in its folder and, when it is
            resumable, checkpointed; a resumed run continues them from the last checkpoint.
        checkpoint_every: Records between checkpoints.

    Raises:
        ScrubberError: E401/E404 when a file cannot be created; E263/E264 when a resumed run's
            files do not match its checkpoint.
    """

    def __init__(
        self,
        files: list[InputFile],
        out_dir: Path | None,
        options: ReadOptions,
        audit_path: Path | None,
        crosswalk: CrosswalkWriter | None,
        partial: Partial | None,
        *,
        checkpoint_every: int,
    ) -> None:
        self.files = files
        self.out_dir = out_dir
        self.options = options
        self.partial = partial
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
        self.quarantine: QuarantineList | None = None
        self.crosswalk: CrosswalkWriter | None = None
        self.outputs_log: JournalFile | None = None
        self.committed: list[Path] = []  # outputs this run moved into place (removed if it fails for good)
        state = partial.state if partial is not None else None
        sizes: dict[str, int | None] = state["sizes"] if state else {}
        if state:
            self._restore(state)
        if audit_path is not None:
            temp = partial.temp("audit.jsonl") if partial else None
            keep = sizes.get("audit")
            if partial and temp is not None and keep is not None:
                partial.reclaim(temp, audit_path, keep)
            self.audit = AuditLog(audit_path, temp=temp, keep=keep, chain=state["chain"] if state else GENESIS)
        if partial is not None:
            assert out_dir is not None, "a run with partial state writes to a folder"
            final = out_dir / QUARANTINE_NAME
            temp = partial.temp("quarantine.jsonl")
            keep = sizes.get("quarantine")
            if keep is not None:
                partial.reclaim(temp, final, keep)
            self.quarantine = QuarantineList(final)
            self.quarantine.open(temp=temp, keep=keep)
            if keep:
                self.summary.quarantine = JournalFile.read(temp, keep)
            if partial.resumable:
                self.outputs_log = JournalFile(partial.temp("outputs.jsonl"), keep=sizes.get("outputs"))
                if state:
                    for line in JournalFile.read(partial.temp("outputs.jsonl"), sizes.get("outputs")):
                        self.summary.outputs[line["file"]] = line["digest"]
        if crosswalk is not None:
            temp = partial.temp("crosswalk") if partial else None
            keep = sizes.get("crosswalk")
            if partial and temp is not None and keep is not None:
                partial.reclaim(temp, crosswalk.path, keep)
            self.crosswalk = crosswalk  # from here on, the sink commits, detaches or aborts it
            crosswalk.open(temp=temp, keep=keep)
        if state and state.get("current") is not None:
            assert partial is not None and out_dir is not None
            current = state["current"]
            index = current["index"]
            temp = partial.output_temp(files[index].relative)
            partial.reclaim(temp, out_dir / files[index].relative, current["size"])
            self.current = OutputFile(files[index], out_dir, options, temp=temp, keep=current["size"])
            self.current.records = current["records"]
            self.current.quarantined = current["quarantined"]
            self.current_index = index
            self.next_index = index + 1

    def _restore(self, state: dict[str, Any]) -> None:
        s = state["summary"]
        self.summary.read, self.summary.written, self.summary.quarantined = s["read"], s["written"], s["quarantined"]
        self.summary.characters = s["characters"]
        self.summary.entities = Counter(s["entities"])
        self.summary.resumes = state["resumes"] + 1
        self.summary.resumed_at = state["done"]
        self.previous_seconds = state["seconds"]
        self.done = state["done"]
        self.next_index = state["next"]

    # -- outputs -----------------------------------------------------------------------------------
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
        output.commit()
        self.summary.outputs[name] = output.digest
        if output.final is not None:
            self.committed.append(output.final)
        if self.outputs_log is not None:
            self.outputs_log.append({"file": name, "digest": output.digest})

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
        position = None
        if result.quarantined:
            current.quarantined += 1
            summary.quarantined += 1
            entry = {"id": record.id, "source": record.source, "line": record.line, "code": result.error, "detail": result.detail}
            summary.quarantine.append(entry)
            if self.quarantine is not None:
                self.quarantine.add(entry)
        else:
            position = current.records
            current.write(record, result)
            if self.crosswalk is not None:
                self.crosswalk.write(record.id, result.text, result.reversal)
            summary.written += 1
            summary.characters += len(record.text or "")
            summary.entities.update(f.entity_type for f in result.findings)
        if self.audit is not None:
            if position is None or current.final is None:
                self.audit.result(record, result)
            else:  # where the record sits in the outputs, for `scrubber risk`
                self.audit.result(record, result, current.input_file.relative.as_posix(), position)
        self.done += 1
        self.since_checkpoint += 1
        if self.since_checkpoint >= self.every and self.partial is not None and self.partial.resumable:
            self.checkpoint(record.id)

    # -- checkpoints and the end ---------------------------------------------------------------------
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
                "last": self.partial.check_value(last_id),
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

    def finish(self, make_run_record: Callable[[RunSummary], dict[str, Any]]) -> RunSummary:
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
                self.quarantine.path.unlink(missing_ok=True)  # a stale list of an earlier run (--overwrite)
            self.quarantine = None
        if self.crosswalk is not None:
            self.crosswalk.commit()
            self.crosswalk = None
        if self.audit is not None:
            self.audit.run(make_run_record(summary), options=self.options)  # the run record names the read options
            self.audit.commit()
            self.audit = None
        if self.outputs_log is not None:
            self.outputs_log.close()
            self.outputs_log = None
        return summary

    def _open_files(self) -> list[Lifecycle]:
        """The files being written (not yet committed)."""
        return [f for f in (self.current, self.audit, self.crosswalk, self.quarantine) if f is not None]

    def stop(self, *, keep: bool) -> None:
        """After a failure: keep the unfinished files for ``--resume``, or delete them together with
        the outputs this run finished (without their audit log they are unaccounted for).

        Never raises: closing a file on a full disk fails again, and must not stop the clean-up.
        """
        for item in self._open_files():
            try:
                item.detach() if keep else item.abort()
            except Exception:  # noqa: BLE001
                pass
        if self.outputs_log is not None:
            try:
                self.outputs_log.close()
            except Exception:  # noqa: BLE001
                pass
        if not keep:
            for path in self.committed:
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass
        self.current = self.audit = self.crosswalk = self.quarantine = self.outputs_log = None
