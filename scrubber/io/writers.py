"""Writers: output in the input's format, written atomically (temp file + rename).

An interrupted run never leaves a half-written file under its final name; each
finished file's SHA-256 is returned for the audit run record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import IO

from scrubber.errors import ScrubberError
from scrubber.io.atomic import AtomicFile, AtomicWriter
from scrubber.io.readers import InputFile, ReadOptions
from scrubber.values import Record, ScrubResult


class _HashingText(io.TextIOBase):
    """Text sink that hashes what it writes and forwards it to a binary handle."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.sha = hashlib.sha256()

    def write(self, s: str) -> int:
        data = s.encode("utf-8")
        self.sha.update(data)
        self.handle.write(data)
        return len(s)


class _HashingBinary:
    """Binary sink for pyarrow's Parquet writer: hashes what it writes and forwards it.

    ``close`` does nothing: the output file is committed (fsync and rename) by :class:`OutputFile`.
    """

    closed = False

    def __init__(self, handle: IO[bytes], sha) -> None:
        self.handle = handle
        self.sha = sha

    def write(self, data) -> int:
        data = bytes(data)
        self.sha.update(data)
        self.handle.write(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()

    def tell(self) -> int:
        return self.handle.tell()

    def close(self) -> None:
        pass


class _ParquetOutput:
    """Rows of one Parquet output, written with the input file's own schema, a row group at a time.

    Only the text column changes; every other column's values go back as they were read.
    """

    ROWS = 1024  # rows buffered before they are written as one row group
    CHARS = 32 << 20  # ... or fewer rows when their text is this long

    def __init__(self, input_file: InputFile, options: ReadOptions, sink: _HashingBinary) -> None:
        self.input_file = input_file
        self.options = options
        self.sink = sink
        self.rows: list[dict] = []
        self.chars = 0
        self.writer = None

    def _open(self) -> None:
        import pyarrow as pa

        from scrubber.io.readers import parquet_schema, pyarrow_parquet

        pq = pyarrow_parquet()
        try:
            schema = parquet_schema(self.input_file, self.options)
        except (OSError, ScrubberError):  # the input went unreadable (its rows are quarantined, E110)
            schema = pa.schema([(self.options.text_column, pa.string())])
        self.schema = schema
        self.writer = pq.ParquetWriter(pa.PythonFile(self.sink, mode="w"), schema)

    def add(self, fields: dict, text: str) -> None:
        row = dict(fields)
        row[self.options.text_column] = text
        self.rows.append(row)
        self.chars += len(text)
        if len(self.rows) >= self.ROWS or self.chars >= self.CHARS:
            self.flush()

    def flush(self) -> None:
        if self.writer is None:
            self._open()
        if self.rows:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []
            self.chars = 0

    def close(self) -> None:
        self.flush()
        self.writer.close()

    def drop(self) -> None:
        """Close the Parquet writer without writing rows (the file is being aborted); never raises."""
        self.rows = []
        if self.writer is not None:
            try:
                self.writer.close()
            except Exception:  # noqa: BLE001 - a full disk; the temp file goes anyway
                pass
            self.writer = None


class OutputFile(AtomicWriter):
    """Writes the scrubbed records of one input file (to stdout when there is no output folder).

    The life cycle (sync, commit, detach, abort) is :class:`~scrubber.io.atomic.AtomicWriter`'s;
    after :meth:`commit`, :attr:`digest` is the SHA-256 of the content. ``temp`` and ``keep``
    are those of :class:`~scrubber.io.atomic.AtomicFile`: a resumed run continues a file after
    its checkpointed bytes (which are hashed again, so the digest covers the whole file).

    Raises:
        ScrubberError: E401 when the output cannot be created; E263 when a Parquet output would
            be continued.
    """

    def __init__(
        self, input_file: InputFile, out_dir: Path | None, options: ReadOptions, *, temp: Path | None = None, keep: int | None = None
    ) -> None:
        self.input_file = input_file
        self.options = options
        self.final: Path | None = None if out_dir is None else out_dir / input_file.relative
        super().__init__(self.final if self.final is not None else Path("-"))
        if self.final is None:
            handle: IO[bytes] = sys.stdout.buffer
        else:
            try:
                self.open(temp=temp, keep=keep)
            except OSError as exc:
                raise ScrubberError("E401", f"cannot write under {self.final.parent} ({exc.strerror})", "choose a writable --out folder") from None
            handle = self.file.handle
        self._handle = handle
        self._sink = _HashingText(handle)
        self._csv: csv.writer | None = None
        self._parquet: _ParquetOutput | None = None
        if input_file.format == "parquet":
            if keep:
                raise ScrubberError("E263", "a Parquet output cannot be continued after a checkpoint", "remove the partial folder and run again")
            self._parquet = _ParquetOutput(input_file, options, _HashingBinary(handle, self._sink.sha))
        self.records = 0
        self.quarantined = 0
        if keep and self.temp is not None:
            with self.temp.open("rb") as written:
                for block in iter(lambda: written.read(1 << 20), b""):
                    self._sink.sha.update(block)
            if input_file.format == "csv":  # the header went out with the first row
                self._csv = csv.writer(self._sink, lineterminator="\n")

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of what was written (of the whole file once committed)."""
        return "sha256:" + self._sink.sha.hexdigest()

    def write(self, record: Record, result: ScrubResult) -> None:
        """Write one successfully scrubbed record (quarantined ones are never passed here)."""
        assert not result.quarantined, "quarantined records are never written"
        fmt = self.input_file.format
        if fmt == "txt":
            self._sink.write(result.text)
        elif fmt == "parquet":
            assert self._parquet is not None
            self._parquet.add(dict(record.fields), result.text)
        elif fmt == "jsonl":
            obj = dict(record.fields) if record.fields else {}
            obj[self.options.text_field] = result.text
            self._sink.write(json.dumps(obj, ensure_ascii=False) + "\n")
        else:
            if self._csv is None:
                self._csv = csv.writer(self._sink, lineterminator="\n")
                self._csv.writerow(list(record.fields))
            row = dict(record.fields)
            row[self.options.text_column] = result.text
            self._csv.writerow(list(row.values()))
        self.records += 1

    def write_header(self, header: list[str]) -> None:
        """For CSV: write the header even when every row was quarantined."""
        if self.input_file.format == "csv" and self._csv is None:
            self._csv = csv.writer(self._sink, lineterminator="\n")
            self._csv.writerow(header)

    def sync(self) -> int:
        """Flush (and fsync) what was written; return its size in bytes (0 on stdout)."""
        if self.final is None:
            self._handle.flush()
            return 0
        return super().sync()

    def commit(self) -> None:
        """Write a Parquet footer, then flush, fsync and rename into place (flush stdout)."""
        if self.final is None:
            self._finish()
            self._handle.flush()
            return
        super().commit()

    def _finish(self) -> None:
        if self._parquet is not None:  # the footer (and an empty file's schema) goes out now
            self._parquet.close()
            self._parquet = None

    def _drop(self) -> None:
        if self._parquet is not None:
            self._parquet.drop()
            self._parquet = None


class QuarantineList(AtomicWriter):
    """The quarantine list: one JSON line per quarantined record (ids, places and codes, never text)."""

    def add(self, entry: dict) -> None:
        """Append one quarantine entry."""
        self.file.write((json.dumps(entry) + "\n").encode("utf-8"))


def atomic_write_text(path: Path, text: str) -> None:
    """Write a small text file atomically (E404 naming it when it cannot be written; no temp file left)."""
    target = AtomicFile(path)
    try:
        target.handle.write(text.encode("utf-8"))
        target.commit()
    except BaseException:
        target.abort()
        raise
