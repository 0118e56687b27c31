"""Readers turn inputs into :class:`~scrubber.values.Record` streams.

A reader never drops a record: a line or file it cannot decode becomes a record
with an error code (quarantined downstream). Problems that concern a whole
input (a missing CSV column, a folder without files) raise
:class:`~scrubber.errors.ScrubberError` before anything is processed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator, Literal

from scrubber import errors
from scrubber.errors import ScrubberError
from scrubber.values import Record

Format = Literal["txt", "jsonl", "csv", "parquet"]
SUFFIXES: dict[str, Format] = {
    ".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet",
}
PARQUET_BATCH_ROWS = 256  # rows read (and held) at a time from a Parquet file

csv.field_size_limit(2**31 - 1)
_SURROGATE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class ReadOptions:
    """Field and column names for structured inputs."""

    text_field: str = "text"
    id_field: str | None = None
    patient_field: str | None = None
    text_column: str = "text"
    id_column: str | None = None
    patient_column: str | None = None
    max_chars: int | None = None  # a .txt file certainly longer is quarantined (E107) unread


@dataclass(frozen=True)
class InputFile:
    """One input file and the relative name its output gets under the output folder."""

    path: Path | None  # None for stdin
    relative: Path
    format: Format

    @property
    def label(self) -> str:
        return "-" if self.path is None else str(self.path)

    @property
    def size(self) -> int:
        """Bytes on disk (0 for stdin, or a file gone since it was found: reading it says so, E110)."""
        try:
            return 0 if self.path is None else self.path.stat().st_size
        except OSError:
            return 0


def discover(inputs: list[str], *, stdin_format: Format = "txt", skipped: list[tuple[str, str]] | None = None) -> list[InputFile]:
    """Expand the command-line inputs into files with their output names.

    A folder contributes its ``.txt`` files recursively, named relative to the folder. What a
    folder holds that is not read (other file types, symlinked folders, broken links, FIFOs and
    other special files) is appended to ``skipped`` as ``(path, reason)``: names only.

    Raises:
        ScrubberError: E201 missing path, E202 unsupported file type, E203 empty folder,
            E204 two inputs that would write the same output name.
    """
    found: list[InputFile] = []
    for item in inputs:
        if item == "-":
            found.append(InputFile(None, Path(f"stdin.{stdin_format}"), stdin_format))
            continue
        path = Path(item)
        if path.is_dir():
            files, passed_over = _walk(path)
            if skipped is not None:
                skipped.extend(passed_over)
            if not files:
                raise ScrubberError("E203", f"no .txt files found under {path}", "pass the folder that holds the notes, or list .jsonl/.csv files directly")
            found.extend(InputFile(p, p.relative_to(path), "txt") for p in files)
        elif path.is_file():
            fmt = SUFFIXES.get(path.suffix.lower())
            if fmt is None:
                raise ScrubberError("E202", f"{path}: unsupported file type {path.suffix or '(none)'}", "use .txt, .jsonl, .csv or .parquet (or - for stdin)")
            found.append(InputFile(path, Path(path.name), fmt))
        elif path.exists():
            raise ScrubberError("E202", f"{path}: not a regular file (a FIFO, socket or device)", "copy the data into a .txt, .jsonl or .csv file, or pipe it to `-`")
        elif path.is_symlink():
            raise ScrubberError("E201", f"{path}: broken link (its target does not exist)", "fix the link or pass the target")
        else:
            raise ScrubberError("E201", f"{path}: no such file or folder", "check the path")
    seen: dict[Path, str] = {}
    for f in found:
        if f.relative in seen:
            raise ScrubberError("E204", f"{f.label} and {seen[f.relative]} would both write {f.relative}", "scrub them in separate runs or rename one")
        seen[f.relative] = f.label
    return found


def _walk(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The ``.txt`` files under ``folder`` (symlinked files followed, symlinked folders not),
    and every other entry with the reason it is not read."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    def unreadable(exc: OSError) -> None:
        skipped.append((str(exc.filename), f"unreadable folder ({exc.strerror})"))

    for root, dirs, names in os.walk(folder, onerror=unreadable, followlinks=False):
        base = Path(root)
        for name in list(dirs):
            if (base / name).is_symlink():
                skipped.append((str(base / name), "symlinked folder (not followed)"))
        for name in names:
            p = base / name
            if p.is_symlink() and not p.exists():
                skipped.append((str(p), "broken link"))
            elif not p.is_file():
                skipped.append((str(p), "not a regular file (FIFO, socket or device)"))
            elif p.suffix.lower() not in (".txt", ".text"):
                skipped.append((str(p), f"not a .txt file ({p.suffix or 'no suffix'})"))
            else:
                files.append(p)
    return sorted(files), sorted(skipped)


def read(input_file: InputFile, options: ReadOptions = ReadOptions()) -> Iterator[Record]:
    """Stream the records of one input file.

    A file that cannot be opened or read any further (deleted, moved or unreadable during the
    run) ends with one record with error ``E110``, quarantined: the run goes on with the next file.
    """
    read_so_far = 0
    try:
        if input_file.format == "txt":
            records: Iterator[Record] = iter([_read_txt(input_file, options.max_chars)])
        elif input_file.format == "jsonl":
            records = _read_jsonl(input_file, options)
        elif input_file.format == "parquet":
            records = _read_parquet(input_file, options)
        else:
            records = _read_csv(input_file, options)
        for record in records:
            read_so_far += 1
            yield record
    except OSError:
        name = input_file.relative.as_posix()
        yield Record(name if input_file.format == "txt" else f"{name}:unread-after-{read_so_far}", None,
                     source=input_file.label, error=errors.INPUT_UNREADABLE)


def check_header(input_file: InputFile, options: ReadOptions = ReadOptions()) -> None:
    """Raise E205 now, before any model is loaded, when a CSV or Parquet file lacks a named column
    (and E280/E281 when a Parquet file cannot be read at all, E284 when stdin is Parquet)."""
    if input_file.path is None:
        if input_file.format == "parquet":
            raise parquet_stdin_error()
        _stdin()  # E284 now, before the model loads, when the stream is Parquet
        return
    if input_file.format == "parquet":
        parquet_schema(input_file, options)
        return
    if input_file.format != "csv":
        return
    records = _read_csv(input_file, options)
    try:
        next(records, None)
    except OSError:
        pass  # read() quarantines an unreadable file (E110)
    finally:
        records.close()


def line_limit(max_chars: int | None) -> int | None:
    """The most bytes a JSONL line may have before it is quarantined as too large (E107) unread.

    JSON may spell a character as a ``\\uXXXX`` escape (6 bytes), so the limit is 6 bytes a
    character plus 1 MiB for the other fields. A character outside the Basic Multilingual Plane
    escaped as a surrogate pair takes 12 bytes: a line made of those can be quarantined at half
    ``max_chars``. Longer lines are skipped in 1 MiB pieces, never held whole.
    """
    return None if max_chars is None else 6 * max_chars + (1 << 20)


def _bounded_lines(handle: IO[bytes], limit: int | None) -> Iterator[bytes | None]:
    """The lines of ``handle``; ``None`` for a line longer than ``limit`` bytes (not kept)."""
    while True:
        line = handle.readline() if limit is None else handle.readline(limit + 1)
        if not line:
            return
        if limit is None or len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        del line
        while piece := handle.readline(1 << 20):
            if piece.endswith(b"\n"):
                break
        yield None


def _open_binary(input_file: InputFile) -> IO[bytes]:
    if input_file.path is None:
        return _stdin()
    return input_file.path.open("rb")


PARQUET_MAGIC = b"PAR1"


def parquet_stdin_error() -> ScrubberError:
    """E284: Parquet on stdin, with the fix (pass the file's path)."""
    return ScrubberError(
        "E284", "Parquet cannot be read from stdin (its index is at the end of the file, so it must be a file that can be seeked)",
        "pass the .parquet file's path instead of `-` (copy a remote file to a folder you control first, and delete it after the run)",
    )


def _stdin() -> IO[bytes]:
    """stdin's bytes, refused (E284) when they are a Parquet file: never misread as text, JSONL or CSV."""
    handle = sys.stdin.buffer
    if hasattr(handle, "peek"):  # a pipe or terminal: look without consuming
        head = handle.peek(len(PARQUET_MAGIC))[: len(PARQUET_MAGIC)]
    elif handle.seekable():  # an in-memory stream (tests) or a redirected file
        at = handle.tell()
        head = handle.read(len(PARQUET_MAGIC))
        handle.seek(at)
    else:
        head = b""
    if head == PARQUET_MAGIC:
        raise parquet_stdin_error()
    return handle


def _decode(raw: bytes) -> tuple[str | None, str | None]:
    if b"\x00" in raw:
        return None, errors.INPUT_BINARY
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None, errors.INPUT_NOT_UTF8
    return text.removeprefix("\ufeff"), None


def _read_txt(input_file: InputFile, max_chars: int | None = None) -> Record:
    record_id = str(input_file.relative.as_posix())
    # A document is one record and is read whole, but never more than could be scrubbed:
    # UTF-8 takes at most 4 bytes a character, so more bytes than that are too many characters.
    limit = -1 if max_chars is None else 4 * max_chars + 1
    with _open_binary(input_file) as handle:
        raw = handle.read(limit)
        too_large = max_chars is not None and len(raw) == limit
    if too_large:
        del raw
        return Record(record_id, None, source=input_file.label, error=errors.INPUT_TOO_LARGE)
    text, error = _decode(raw)
    return Record(record_id, text, source=input_file.label, error=error)


def _read_jsonl(input_file: InputFile, options: ReadOptions) -> Iterator[Record]:
    handle = _open_binary(input_file)
    try:
        for number, raw in enumerate(_bounded_lines(handle, line_limit(options.max_chars)), start=1):
            where = dict(source=input_file.label, line=number)
            fallback_id = f"{input_file.relative.as_posix()}:{number}"
            if raw is None:
                yield Record(fallback_id, None, error=errors.INPUT_TOO_LARGE, **where)
                continue
            if not raw.strip():
                continue  # blank lines are not records
            line, error = _decode(raw)
            if error:
                yield Record(fallback_id, None, error=error, **where)
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                yield Record(fallback_id, None, error=errors.INPUT_NOT_JSON, **where)
                continue
            except (ValueError, RecursionError):  # an integer over 4,300 digits; nesting too deep
                yield Record(fallback_id, None, error=errors.INPUT_JSON_TOO_DEEP, **where)
                continue
            if not isinstance(obj, dict):
                yield Record(fallback_id, None, error=errors.INPUT_NOT_JSON, **where)
                continue
            record_id = str(obj.get(options.id_field)) if options.id_field and obj.get(options.id_field) is not None else fallback_id
            patient = obj.get(options.patient_field) if options.patient_field else None
            if options.text_field not in obj:
                yield Record(record_id, None, fields=obj, error=errors.INPUT_NO_TEXT_FIELD, **where)
            elif not isinstance(obj[options.text_field], str):
                yield Record(record_id, None, fields=obj, error=errors.INPUT_TEXT_NOT_STRING, **where)
            else:
                yield Record(record_id, obj[options.text_field], patient=None if patient is None else str(patient), fields=obj, **where)
    finally:
        if input_file.path is not None:
            handle.close()


def _has_undecodable(values: list[str]) -> bool:
    return any(_SURROGATE.search(v) for v in values)


def _read_csv(input_file: InputFile, options: ReadOptions) -> Iterator[Record]:
    # surrogateescape keeps going past bad bytes; rows holding them are quarantined (E101).
    binary = _open_binary(input_file)
    stream = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        # strict: a quote that is never closed raises at the end of the file instead of silently
        # merging every later row into one field (E109); other malformed quoting is E106
        reader = csv.reader(stream, strict=True)
        try:
            header = next(reader, None)
        except csv.Error:
            raise ScrubberError("E205", f"{input_file.label}: the first row is not a valid CSV header (its quoting is broken)",
                                "the first row must be a header naming the columns; fix its quotes") from None
        if header is None:
            return
        missing = [c for c in (options.text_column, options.id_column, options.patient_column) if c and c not in header]
        if missing:
            # The first row is not quoted: when it is not a header it is a record (note text).
            raise ScrubberError(
                "E205",
                f"{input_file.label}: no column named {missing[0]!r} in the first row ({len(header)} cells)",
                "the first row must be a header naming the columns (look at it with `head -1 FILE`); "
                "set --text-column/--id-column/--patient-column to its names, or add a header row",
            )
        text_index = header.index(options.text_column)
        row_number = 1
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_number += 1
                code = errors.INPUT_CSV_UNCLOSED_QUOTE if "unexpected end of data" in str(exc) else errors.INPUT_BAD_CSV_ROW
                yield Record(f"{input_file.relative.as_posix()}:{line}", None, error=code, source=input_file.label, line=line)
                continue
            row_number += 1
            if not row:
                continue  # blank line, not a record
            fields = dict(zip(header, row))
            record_id = (fields.get(options.id_column) if options.id_column else None) or f"{input_file.relative.as_posix()}:{line}"
            patient = fields.get(options.patient_column) if options.patient_column else None
            where = dict(source=input_file.label, line=line)
            if _has_undecodable(row):
                yield Record(record_id, None, error=errors.INPUT_NOT_UTF8, **where)
            elif len(row) != len(header):
                yield Record(record_id, None, fields=fields, error=errors.INPUT_BAD_CSV_ROW, **where)
            else:
                yield Record(record_id, row[text_index], patient=patient, fields=fields, **where)
    finally:
        if input_file.path is None:
            stream.detach()
        else:
            stream.close()


# -- Parquet ------------------------------------------------------------------------------------
def pyarrow_parquet():
    """``pyarrow.parquet``, or E280 saying how to install it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ScrubberError("E280", "reading or writing .parquet needs pyarrow, which is not installed",
                            "install the extra: pip install -e '.[parquet]'") from None
    return pq


def parquet_schema(input_file: InputFile, options: ReadOptions):
    """The Arrow schema of a Parquet input, after checking that the named columns are there.

    Raises:
        ScrubberError: E280 pyarrow missing, E281 not a readable Parquet file, E205 a named
            column missing (the message names the columns, never a value).
    """
    pq = pyarrow_parquet()
    import pyarrow as pa

    try:
        schema = pq.read_schema(input_file.path)
    except OSError:
        raise
    except (pa.ArrowException, ValueError):
        raise ScrubberError("E281", f"{input_file.label}: not a readable Parquet file (no valid footer or schema)",
                            "pass a complete .parquet file (written to the end), or export the notes again") from None
    names = schema.names
    missing = [c for c in (options.text_column, options.id_column, options.patient_column) if c and c not in names]
    if missing:
        raise ScrubberError(
            "E205", f"{input_file.label}: no column named {missing[0]!r} (columns: {', '.join(names[:20])}{' ...' if len(names) > 20 else ''})",
            "set --text-column/--id-column/--patient-column to the Parquet column names",
        )
    return schema


def _read_parquet(input_file: InputFile, options: ReadOptions) -> Iterator[Record]:
    """One record a row, a record batch at a time; every column is kept in ``fields`` (as Python
    values, written back with the file's own schema). A row whose text is null or not a string is
    quarantined (E104); a file that breaks part-way ends with one E110 record."""
    pq = pyarrow_parquet()
    import pyarrow as pa

    if input_file.path is None:
        raise parquet_stdin_error()
    parquet_schema(input_file, options)
    name = input_file.relative.as_posix()
    row = 0
    try:
        handle = pq.ParquetFile(input_file.path)
        for batch in handle.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for fields in batch.to_pylist():
                row += 1
                where = dict(source=input_file.label, line=row)
                raw_id = fields.get(options.id_column) if options.id_column else None
                record_id = f"{name}:{row}" if raw_id is None else str(raw_id)
                raw_patient = fields.get(options.patient_column) if options.patient_column else None
                patient = None if raw_patient is None else str(raw_patient)
                text = fields.get(options.text_column)
                if isinstance(text, str):
                    yield Record(record_id, text, patient=patient, fields=fields, **where)
                else:
                    yield Record(record_id, None, patient=patient, fields=fields, error=errors.INPUT_TEXT_NOT_STRING, **where)
    except (pa.ArrowException, ValueError) as exc:  # a damaged row group or page: the rest is not read
        raise OSError(f"Parquet read failed ({type(exc).__name__})") from None
