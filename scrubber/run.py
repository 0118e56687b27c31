"""A batch run: inputs -> scrubbed outputs, quarantine list and audit log.

This is what ``scrubber scrub`` does, as a plain function for ETL jobs. The CLI
adds argument parsing and a progress bar; nothing else.
"""

from __future__ import annotations

import json
import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from scrubber import __version__
from scrubber.audit import AuditLog
from scrubber.errors import ScrubberError
from scrubber.io.readers import InputFile, ReadOptions, read
from scrubber.io.writers import OutputFile, atomic_write_text
from scrubber.values import Record, ScrubResult


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


def _check_paths(files: list[InputFile], out_dir: Path | None) -> None:
    if out_dir is None:
        return
    out = out_dir.resolve()
    for f in files:
        if f.path is not None and (out / f.relative).resolve() == f.path.resolve():
            raise ScrubberError("E207", f"output for {f.label} would overwrite the input", "choose an --out folder different from the input folder")
    if out.exists() and not out.is_dir():
        raise ScrubberError("E402", f"--out {out_dir} exists and is not a folder", "choose a folder path")


def run(
    files: list[InputFile],
    *,
    scrubber,
    out_dir: Path | None,
    options: ReadOptions = ReadOptions(),
    audit_path: Path | None = None,
    on_record: Callable[[Record, ScrubResult], None] | None = None,
    crosswalk=None,
) -> RunSummary:
    """Scrub ``files`` with ``scrubber`` and write outputs under ``out_dir``.

    With ``out_dir=None`` (stdin to stdout) the scrubbed text goes to stdout.
    The audit log goes to ``audit_path`` (default ``out_dir/audit.jsonl``), the
    quarantine list to ``out_dir/quarantine.jsonl`` when anything was quarantined.
    ``crosswalk`` (a :class:`~scrubber.crosswalk.CrosswalkWriter`, opt-in) receives each
    document's replacements; the scrubber must be built with ``crosswalk=True``.

    Raises:
        ScrubberError: usage and output errors (nothing is half-written).
    """
    _check_paths(files, out_dir)
    if audit_path is None and out_dir is not None:
        audit_path = out_dir / "audit.jsonl"
    if out_dir is not None:
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScrubberError("E401", f"cannot create --out folder {out_dir} ({exc.strerror})", "choose a writable folder") from None
    summary = RunSummary()
    started = time.perf_counter()
    audit = AuditLog(audit_path) if audit_path is not None else None
    by_label = {f.label: f for f in files}
    current: OutputFile | None = None

    def records() -> Iterator[Record]:
        for f in files:
            yield from read(f, options)

    def finish(output: OutputFile) -> None:
        if output.input_file.format == "txt" and output.records == 0 and output.quarantined:
            output.abort()  # a quarantined document gets no output file, not an empty one
            return
        summary.outputs[output.input_file.relative.as_posix()] = output.commit()

    try:
        pending = list(files)  # files whose output has not been committed yet, in order
        for record, result in scrubber.iter_records(records()):
            source = by_label[record.source] if record.source in by_label else pending[0]
            # records arrive in file order: commit every earlier file (empty ones included)
            while current is None or current.input_file is not source:
                if current is not None:
                    finish(current)
                current = OutputFile(pending.pop(0), out_dir, options)
            summary.read += 1
            if result.quarantined:
                current.quarantined += 1
                summary.quarantined += 1
                summary.quarantine.append(
                    {"id": record.id, "source": record.source, "line": record.line, "code": result.error, "detail": result.detail}
                )
            else:
                index = current.records
                current.write(record, result)
                if crosswalk is not None:
                    crosswalk.write(record.id, result.text, result.reversal)
                summary.written += 1
                summary.characters += len(record.text or "")
                summary.entities.update(f.entity_type for f in result.findings)
            if audit is not None:
                if result.quarantined or out_dir is None:
                    audit.result(record, result)
                else:
                    audit.result(record, result, current.input_file.relative.as_posix(), index)
            if on_record is not None:
                on_record(record, result)
        if current is not None:
            finish(current)
        for f in pending:  # inputs with no records at all still get an (empty) output
            output = OutputFile(f, out_dir, options)
            finish(output)
        current = None
        summary.seconds = time.perf_counter() - started
        if out_dir is not None:
            quarantine_path = out_dir / "quarantine.jsonl"
            if summary.quarantine:
                atomic_write_text(quarantine_path, "".join(json.dumps(q) + "\n" for q in summary.quarantine))
            elif quarantine_path.exists():
                quarantine_path.unlink()
        if crosswalk is not None:
            crosswalk.close()
            crosswalk = None
        if audit is not None:
            audit.close(run_record(scrubber, summary))
            audit = None
        return summary
    finally:
        if current is not None:
            current.abort()
        if audit is not None:
            audit.abort()
        if crosswalk is not None:
            crosswalk.abort()


def run_record(scrubber, summary: RunSummary) -> dict:
    """The audit log's closing record: versions, policy, key source, counts, digests, timings."""
    import presidio_analyzer  # noqa: F401 - version lookup below
    from importlib.metadata import version

    return {
        "tool": {"name": "clinical-scrubber", "version": __version__},
        "versions": {
            "presidio-analyzer": version("presidio-analyzer"),
            "presidio-anonymizer": version("presidio-anonymizer"),
            "spacy": version("spacy"),
            "model": scrubber.model_name,
            "python": platform.python_version(),
        },
        "policy": {"name": scrubber.policy.name, "digest": scrubber.policy.digest},
        "recognizers": list(scrubber.recognizer_names),
        "key_source": scrubber.key.source,
        "crosswalk": bool(getattr(scrubber, "crosswalk", False)),
        "key_note": (
            "random per-run key: fingerprints cannot be linked to any other run"
            if scrubber.key.source == "random"
            else "keyed fingerprints are linkable across runs that use the same key"
        ),
        "documents": {"read": summary.read, "written": summary.written, "quarantined": summary.quarantined},
        "entities": dict(sorted(summary.entities.items())),
        "outputs": summary.outputs,
        "timing": {
            "seconds": round(summary.seconds, 3),
            "documents_per_second": round(summary.read / summary.seconds, 2) if summary.seconds else None,
        },
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
