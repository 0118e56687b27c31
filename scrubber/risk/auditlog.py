"""Reading a scrub run for the risk assessment: its audit log, its output files and its read options."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping

from scrubber.audit import READ_OPTIONS, read_audit
from scrubber.errors import InvalidValue, ScrubberError
from scrubber.io.readers import SUFFIXES, InputFile, ReadOptions, discover


def _audit_path(paths: list[Path]) -> Path | None:
    """The ``audit.jsonl`` in the first given folder (or beside the first given file) that has one."""
    for path in paths:
        candidate = path / "audit.jsonl" if path.is_dir() else path.parent / "audit.jsonl"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class AuditIndex:
    """What the leak scan and the provenance check need from an audit log."""

    path: Path
    run: dict[str, Any]
    documents: dict[tuple[str, int], str]  # (output, index) -> doc id
    replacements: dict[str, list[tuple[int, int]]]  # doc -> output spans of replacements
    findings: dict[str, Counter]  # doc -> findings per type
    quarantined: int
    lines: int


def load_audit(path: Path) -> AuditIndex:
    """Read and verify an audit log (hash chain, one closing run record).

    Raises:
        ScrubberError: E501 broken chain or not JSON, E502 no run record.
    """
    documents: dict[tuple[str, int], str] = {}
    replacements: dict[str, list[tuple[int, int]]] = defaultdict(list)
    findings: dict[str, Counter] = defaultdict(Counter)
    run: dict[str, Any] | None = None
    quarantined = lines = 0
    try:
        for line in read_audit(path):
            lines += 1
            kind = line.get("kind")
            if run is not None:
                raise ScrubberError("E502", f"{path}: lines after the run record", "use the audit log exactly as the scrub run wrote it")
            if kind == "document":
                documents[(line["output"], int(line["index"]))] = line["doc"]
            elif kind == "finding":
                findings[line["doc"]][line["entity_type"]] += 1
                if line.get("out_start") is not None:
                    replacements[line["doc"]].append((int(line["out_start"]), int(line["out_end"])))
            elif kind == "quarantine":
                quarantined += 1
            elif kind == "run":
                run = line
    except ValueError as exc:
        code, detail = (exc.code, exc.message) if isinstance(exc, InvalidValue) else ("E501", f"{path}: a damaged audit line")
        raise ScrubberError(code, detail, "the audit log was edited, truncated or reordered: re-run the scrub, or restore the original log") from None
    except OSError as exc:
        raise ScrubberError("E503", f"cannot read audit log {path} ({exc.strerror})", "pass --audit PATH") from None
    if run is None:
        raise ScrubberError("E502", f"{path}: no run record (the run did not finish, or lines were removed)", "re-run the scrub to completion")
    return AuditIndex(path, run, documents, dict(replacements), dict(findings), quarantined, lines)


def dataset_files(paths: list[Path], audit: AuditIndex | None) -> list[InputFile]:
    """The output files to score: a scrub output folder's audited outputs, or the given files.

    A folder with an audit log contributes the outputs its run record lists (any format);
    other folders contribute their ``.txt`` files, like ``scrub``.
    """
    files: list[InputFile] = []
    for path in paths:
        if path.is_dir() and audit is not None and audit.path.parent.resolve() == path.resolve():
            for relative in sorted(audit.run.get("outputs", {})):
                fmt = SUFFIXES.get(Path(relative).suffix.lower(), "txt")
                files.append(InputFile(path / relative, Path(relative), fmt))
        else:
            found = discover([str(path)])
            if audit is not None and path.is_file() and path.parent.resolve() == audit.path.parent.resolve():
                found = [InputFile(f.path, f.path.relative_to(path.parent), f.format) for f in found]  # type: ignore[union-attr]
            files.extend(found)
    return files


def resolve_read_options(run: dict[str, Any] | None, given: Mapping[str, str | None] | None = None) -> tuple[ReadOptions, list[str]]:
    """The read options to read a run's outputs with, and a note per conflict.

    Precedence, per option: a value in ``given`` (the command line; ``None`` means not
    given), else the run record's ``read_options`` (audit schema 3), else the
    :class:`~scrubber.io.readers.ReadOptions` default. A given value that differs from the
    run record's wins, and is named in the notes: the outputs were written with the run
    record's names, so reading them with another is rarely what was meant.

    Args:
        run: The audit log's run record (``None`` without an audit log).
        given: Options named explicitly, by :data:`scrubber.audit.READ_OPTIONS` name.

    Returns:
        The options, and the conflicts as one-line notes (option names and values only).

    Example:
        >>> run = {"read_options": {"text_field": "note", "id_field": "doc"}}
        >>> options, notes = resolve_read_options(run, {"id_field": "doc", "patient_field": "pt"})
        >>> options.text_field, options.id_field, options.patient_field, options.text_column, notes
        ('note', 'doc', 'pt', 'text', [])
        >>> resolve_read_options(run, {"text_field": "body"})[1]
        ["--text-field 'body' differs from the run record's 'note' (the outputs were written with 'note'); using 'body'"]
        >>> resolve_read_options({}, {})[0] == ReadOptions()  # a log written before schema 3
        True
    """
    stored = (run or {}).get("read_options")
    stored = {k: v for k, v in stored.items() if k in READ_OPTIONS and (v is None or isinstance(v, str))} if isinstance(stored, dict) else {}
    given = {k: v for k, v in (given or {}).items() if v is not None}
    unknown = sorted(set(given) - set(READ_OPTIONS))
    if unknown:
        raise ScrubberError("E219", f"unknown read option {unknown[0]!r}", f"use any of {', '.join(READ_OPTIONS)}")
    notes = [
        f"--{name.replace('_', '-')} {value!r} differs from the run record's {stored[name]!r} "
        f"(the outputs were written with {stored[name]!r}); using {value!r}"
        for name, value in given.items()
        if name in stored and stored[name] != value
    ]
    return replace(ReadOptions(), **{**stored, **given}), notes
