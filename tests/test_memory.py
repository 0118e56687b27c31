"""Bounded memory: readers, writers and the batch run stream; nothing loads a whole input file.

Memory is measured with tracemalloc (Python allocations, peak while the input is
consumed), never with timings. The spaCy model is not needed: the run test uses a
stand-in engine, so what is measured is the I/O path alone.
"""

from __future__ import annotations

import csv
import json
import tracemalloc
from dataclasses import dataclass

from scrubber.keys import make_key
from pathlib import Path
from types import SimpleNamespace

import pytest

from scrubber.io.readers import InputFile, ReadOptions, read
from scrubber.values import Finding, ScrubResult

MB = 1024 * 1024
FILE_BYTES = 50 * MB
PEAK_LIMIT = 5 * MB  # a tenth of the file: far above what streaming needs, far below loading it


def _note(i: int) -> str:
    """A note of about 3 KB, the mean length of an MTSamples transcription."""
    return f"Day {i % 30}, note {i}: " + "patient resting, vitals stable, plan unchanged; labs pending review. " * 42


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("big") / "notes.jsonl"
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        while handle.tell() < FILE_BYTES:
            handle.write(json.dumps({"id": f"n{count}", "patient": f"p{count % 97}", "text": _note(count)}) + "\n")
            count += 1
    return path, count


def _peak(consume) -> tuple[object, int]:
    tracemalloc.start()
    try:
        value = consume()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, peak


def test_jsonl_reader_streams_a_50_mb_file_in_bounded_memory(big_jsonl) -> None:
    path, count = big_jsonl
    assert path.stat().st_size >= FILE_BYTES
    source = InputFile(path, Path(path.name), "jsonl")
    seen, peak = _peak(lambda: sum(1 for _ in read(source, ReadOptions(id_field="id", patient_field="patient"))))
    assert seen == count
    assert peak < PEAK_LIMIT, f"peak {peak / MB:.1f} MB while reading a {FILE_BYTES / MB:.0f} MB file"


def test_csv_reader_streams_in_bounded_memory(tmp_path) -> None:
    path = tmp_path / "notes.csv"
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["note_id", "note_text"])
        while handle.tell() < 20 * MB:
            writer.writerow([f"n{count}", _note(count) + "\nsecond line, with a comma"])
            count += 1
    source = InputFile(path, Path(path.name), "csv")
    seen, peak = _peak(lambda: sum(1 for _ in read(source, ReadOptions(text_column="note_text", id_column="note_id"))))
    assert seen == count
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB while reading a 20 MB file"


@dataclass
class _EchoEngine:
    """Stands in for :class:`scrubber.Scrubber` in :func:`scrubber.run.run`: upper-cases the text
    and reports one finding per record, so writers and the audit log do real work."""

    batch_size: int = 32
    policy = SimpleNamespace(name="echo", digest="sha256:0")
    key = make_key(b"memory-test-key-0123456789abcdef")
    model_name = "none"
    recognizer_names = ("echo",)
    crosswalk = False
    model = "none"
    max_chars = 10**9
    chunk_chars = 50_000

    def load_surrogate_registries(self, registries) -> None:
        pass

    def surrogate_registry(self, scope: str) -> dict:
        return {}

    def iter_records(self, records):
        for record in records:
            finding = Finding(0, 3, "DATE", 1.0, "echo", "tag", "0" * 32)
            yield record, ScrubResult(record.id, record.text.upper(), (finding,))


def test_a_50_mb_jsonl_run_streams_through_reader_writer_and_audit(big_jsonl, tmp_path) -> None:
    from scrubber.run import RunSummary, run, run_record

    from scrubber.workers import EngineSpec, engine_info

    engine = _EchoEngine()
    run_record(EngineSpec.of(engine), engine_info(engine), RunSummary())  # import what the closing record needs before measuring
    path, count = big_jsonl
    out = tmp_path / "out"
    source = InputFile(path, Path(path.name), "jsonl")
    summary, peak = _peak(lambda: run([source], scrubber=_EchoEngine(), out_dir=out, options=ReadOptions(id_field="id")))
    assert summary.read == summary.written == count
    assert (out / "notes.jsonl").stat().st_size >= FILE_BYTES
    assert peak < PEAK_LIMIT, f"peak {peak / MB:.1f} MB while scrubbing a {FILE_BYTES / MB:.0f} MB file"
    with (out / "notes.jsonl").open(encoding="utf-8") as handle:
        last = None
        for last in handle:
            pass
    assert json.loads(last)["text"] == _note(count - 1).upper()


def test_a_text_file_too_long_to_scrub_is_quarantined_without_being_read(tmp_path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        for _ in range(20):
            handle.write(b"Dr. Patel saw the patient. " * 40_000)  # about 21 MB in all
    source = InputFile(path, Path(path.name), "txt")
    records, peak = _peak(lambda: list(read(source, ReadOptions(max_chars=100_000))))
    (record,) = records
    assert record.error == "E107" and record.text is None
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB for a file that is never scrubbed"


@pytest.mark.parametrize(("size", "max_chars", "error"), [(1_000, 250, None), (1_000, 249, "E107"), (1_001, 250, "E107"), (4, 1, None)])
def test_a_text_file_is_read_whole_up_to_four_bytes_a_character(tmp_path, size: int, max_chars: int, error: str | None) -> None:
    # one record per document; whether it is too long in characters is the engine's call
    path = tmp_path / "note.txt"
    path.write_bytes(b"a" * size)
    (record,) = read(InputFile(path, Path(path.name), "txt"), ReadOptions(max_chars=max_chars))
    assert record.error == error
    if error is None:
        assert record.text == "a" * size


def test_an_over_long_jsonl_line_is_quarantined_without_being_held_whole(tmp_path) -> None:
    from scrubber.io.readers import line_limit

    path = tmp_path / "lines.jsonl"
    with path.open("wb") as handle:
        handle.write(b'{"id": "a", "text": "short note"}\n')
        handle.write(b'{"id": "b", "text": "' + b"Dr. Patel saw the patient. " * 800_000 + b'"}\n')  # about 21 MB on one line
        handle.write(b'{"id": "c", "text": "another short note"}\n')
    source = InputFile(path, Path(path.name), "jsonl")
    options = ReadOptions(id_field="id", max_chars=100_000)
    records, peak = _peak(lambda: list(read(source, options)))
    assert [(r.id, r.error) for r in records] == [("a", None), ("lines.jsonl:2", "E107"), ("c", None)]
    assert records[1].text is None and records[1].line == 2
    assert peak < line_limit(100_000) + 2 * MB, f"peak {peak / MB:.1f} MB for a line that is never scrubbed"
    assert peak < 5 * MB
