"""Parquet through `scrub`, `risk` and `check`; the pandas helper `scrubber.pandas.scrub_frame`.

All data is invented (the samples, and made-up rows).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from decimal import Decimal
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")

from scrubber.io import readers  # noqa: E402
from scrubber.io.readers import InputFile, ReadOptions, read  # noqa: E402
from tests.conftest import SAMPLES  # noqa: E402
from tests.test_risk import cli, weak_policy  # noqa: E402

COLUMNS = ["--text-column", "note_text", "--id-column", "note_id", "--patient-column", "patient_id"]
NULL_ID = "N-9001"


def _rows() -> list[dict]:
    with (SAMPLES / "batch.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for i, row in enumerate(rows):
        out.append({
            "note_id": row["note_id"], "patient_id": row["patient_id"], "specialty": row["specialty"], "note_text": row["note_text"],
            "visit": dt.date(2021, 3, i + 1), "charge": Decimal(f"{100 + i}.25"), "codes": [f"C{i}", "Z99"], "seq": i,
        })
    # a row without text: it must be quarantined, never written
    out.append({"note_id": NULL_ID, "patient_id": "P-90", "specialty": "none", "note_text": None,
                "visit": None, "charge": None, "codes": [], "seq": 99})
    return out


SCHEMA = pa.schema([
    ("note_id", pa.string()), ("patient_id", pa.string()), ("specialty", pa.string()), ("note_text", pa.large_string()),
    ("visit", pa.date32()), ("charge", pa.decimal128(9, 2)), ("codes", pa.list_(pa.string())), ("seq", pa.int32()),
])


def write_notes(path: Path) -> list[dict]:
    rows = _rows()
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path, row_group_size=2)  # several row groups
    return rows


@pytest.fixture(scope="module")
def parquet_runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("parquet")
    source = base / "in" / "notes.parquet"
    source.parent.mkdir()
    rows = write_notes(source)
    policy = weak_policy(base)
    full, weak = base / "full", base / "weak"
    first = cli("scrub", str(source), "--out", str(full), "--quiet", *COLUMNS)
    second = cli("scrub", str(source), "--out", str(weak), "--quiet", "--policy", str(policy), *COLUMNS)
    return {"rows": rows, "source": source, "full": full, "weak": weak, "policy": policy, "results": (first, second)}


def test_scrub_writes_parquet_with_other_columns_untouched(parquet_runs, scrubber) -> None:
    first, _ = parquet_runs["results"]
    assert first.exit_code == 3  # the null-text row was quarantined
    out = parquet_runs["full"] / "notes.parquet"
    table = pq.read_table(out)
    assert table.schema.equals(SCHEMA)  # the input's own schema, types included
    written = table.to_pylist()
    expected = [r for r in parquet_runs["rows"] if r["note_text"] is not None]
    assert len(written) == len(expected)
    for got, row in zip(written, expected):
        for column in ("note_id", "patient_id", "specialty", "visit", "charge", "codes", "seq"):
            assert got[column] == row[column], column
        # the same scrubbing as the library gives (tags policy: no key in the text)
        assert got["note_text"] == scrubber.scrub(row["note_text"]).text
        assert got["note_text"] != row["note_text"]
    assert not list(parquet_runs["full"].glob(".*.partial"))  # written atomically, nothing left over


def test_null_text_row_is_quarantined_not_written(parquet_runs) -> None:
    full = parquet_runs["full"]
    entries = [json.loads(line) for line in (full / "quarantine.jsonl").read_text().splitlines()]
    assert [(e["id"], e["code"], e["line"]) for e in entries] == [(NULL_ID, "E104", len(parquet_runs["rows"]))]
    assert NULL_ID not in pq.read_table(full / "notes.parquet").column("note_id").to_pylist()


def test_audit_document_lines_locate_parquet_rows(parquet_runs) -> None:
    lines = [json.loads(line) for line in (parquet_runs["full"] / "audit.jsonl").read_text().splitlines()]
    documents = [(d["doc"], d["output"], d["index"]) for d in lines if d["kind"] == "document"]
    ids = pq.read_table(parquet_runs["full"] / "notes.parquet").column("note_id").to_pylist()
    assert documents == [(doc, "notes.parquet", i) for i, doc in enumerate(ids)]
    run = lines[-1]
    assert list(run["outputs"]) == ["notes.parquet"] and run["outputs"]["notes.parquet"].startswith("sha256:")


def test_check_passes_the_full_parquet_run(parquet_runs) -> None:
    result = cli("check", str(parquet_runs["full"]), "--quiet", *COLUMNS)
    assert result.exit_code == 0, result.stdout
    assert re.search(r"^ok +records-audited: all 5 output records", result.stdout, re.M), result.stdout
    assert "PASS" in result.stdout and "FAIL" not in result.stdout


def test_check_fails_the_weakened_parquet_run(parquet_runs) -> None:
    _, second = parquet_runs["results"]
    assert second.exit_code == 3
    result = cli("check", str(parquet_runs["weak"]), "--policy", str(parquet_runs["policy"]), "--quiet", *COLUMNS)
    assert result.exit_code == 1, result.stdout
    assert re.search(r"^FAIL leaks: \d+ likely leaks .*PERSON", result.stdout, re.M), result.stdout


def test_check_fails_a_changed_parquet_output(parquet_runs, tmp_path) -> None:
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(parquet_runs["full"], out)
    table = pq.read_table(out / "notes.parquet")
    pq.write_table(table.slice(0, 4), out / "notes.parquet")  # a row dropped
    result = cli("check", str(out), "--quiet", *COLUMNS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL output-digests: notes.parquet differs", result.stdout, re.M), result.stdout


def test_non_string_text_column_is_quarantined(tmp_path) -> None:
    source = tmp_path / "codes.parquet"
    pq.write_table(pa.table({"id": ["a", "b"], "text": pa.array([12345, None], pa.int64())}), source)
    result = cli("scrub", str(source), "--out", str(tmp_path / "out"), "--quiet", "--id-column", "id")
    assert result.exit_code == 3
    entries = [json.loads(line) for line in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    assert [(e["id"], e["code"]) for e in entries] == [("a", "E104"), ("b", "E104")]
    out = pq.read_table(tmp_path / "out" / "codes.parquet")
    assert out.num_rows == 0 and out.schema.names == ["id", "text"]  # a valid, empty file


def test_missing_column_and_broken_file_fail_before_scrubbing(tmp_path) -> None:
    source = tmp_path / "notes.parquet"
    pq.write_table(pa.table({"body": ["Seen by Dr. Quill."]}), source)
    result = cli("scrub", str(source), "--out", str(tmp_path / "a"), "--quiet")
    assert result.exit_code == 2 and "E205" in result.stderr and "'text'" in result.stderr
    assert "Quill" not in result.stderr
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 Zebulon Quackenbush, not really parquet")
    result = cli("scrub", str(broken), "--out", str(tmp_path / "b"), "--quiet")
    assert result.exit_code == 2 and "E281" in result.stderr and "Zebulon" not in result.stderr
    assert not (tmp_path / "a" / "notes.parquet").exists() and not (tmp_path / "b" / "broken.parquet").exists()


def test_reader_streams_record_batches(tmp_path, monkeypatch) -> None:
    source = tmp_path / "many.parquet"
    pq.write_table(pa.table({"text": [f"note {i}" for i in range(23)], "n": list(range(23))}), source, row_group_size=5)
    seen_batches: list[int] = []
    real = pq.ParquetFile.iter_batches

    def spy(self, *args, **kwargs):
        for batch in real(self, *args, **kwargs):
            seen_batches.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(readers, "PARQUET_BATCH_ROWS", 4)
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    records = read(InputFile(source, Path("many.parquet"), "parquet"), ReadOptions())
    first = next(records)
    assert first.text == "note 0" and first.id == "many.parquet:1" and seen_batches == [4]  # not the whole file
    rest = list(records)
    assert [r.fields["n"] for r in [first, *rest]] == list(range(23))
    assert max(seen_batches) <= 4 and sum(seen_batches) == 23


def test_parquet_runs_are_not_resumable(tmp_path) -> None:
    source = tmp_path / "notes.parquet"
    pq.write_table(pa.table({"text": ["Seen on 03/14/2024."]}), source)
    from scrubber.run import _config
    from scrubber.workers import EngineSpec

    from scrubber.keys import make_key
    from scrubber.policy import resolve_policy

    spec = EngineSpec(resolve_policy("tags"), make_key(b"parquet-test-key-0123456789abcdef"))
    config = _config([InputFile(source, Path("notes.parquet"), "parquet")], spec, ReadOptions(), None, None)
    assert config["resumable"] is False and "Parquet" in config["why_not"]


# -- pandas ------------------------------------------------------------------------------------------
def test_scrub_frame_scrubs_text_and_returns_findings_without_text(scrubber) -> None:
    from scrubber.pandas import FINDING_COLUMNS, scrub_frame

    notes = [
        "Seen by Dr. Hollis Brandvold on 03/14/2024, MRN 4432189.",
        "Call back at 617-555-0199 re: refill.",
        "No identifiers in this note.",
    ]
    df = pd.DataFrame({"nid": ["a1", "a2", "a3"], "pt": ["P1", "P1", "P2"], "body": notes, "age": [71, 68, 40]},
                      index=[10, 20, 30])
    before = df.copy()
    scrubbed, findings = scrub_frame(df, text="body", id="nid", patient="pt", scrubber=scrubber)
    pd.testing.assert_frame_equal(df, before)  # the input frame is not modified
    assert list(scrubbed.index) == [10, 20, 30]
    assert list(scrubbed.columns) == ["nid", "pt", "body", "age", "scrub_error"]
    assert scrubbed["age"].tolist() == [71, 68, 40] and scrubbed["nid"].tolist() == ["a1", "a2", "a3"]
    assert scrubbed["body"].tolist() == [scrubber.scrub(t, patient=p).text for t, p in zip(notes, ["P1", "P1", "P2"])]
    assert "Brandvold" not in scrubbed.loc[10, "body"] and "617-555-0199" not in scrubbed.loc[20, "body"]
    assert scrubbed["scrub_error"].isna().all()
    assert list(findings.columns) == list(FINDING_COLUMNS)
    assert set(findings["row"]) == {10, 20} and set(findings["id"]) == {"a1", "a2"}
    assert {"PERSON", "DATE", "PHONE_NUMBER"} <= set(findings["entity_type"])
    for _, f in findings.iterrows():
        original = df.loc[f["row"], "body"][f["start"]:f["end"]]
        cells = [str(v) for v in f.tolist()]
        assert not any(original in c for c in cells), "a finding carries matched text"
        out = scrubbed.loc[f["row"], "body"][f["out_start"]:f["out_end"]]
        assert out.startswith("[") and out.endswith("]")  # where the tag sits in the output


def test_scrub_frame_quarantines_rows_without_string_text(scrubber) -> None:
    from scrubber.pandas import scrub_frame

    df = pd.DataFrame({"text": ["Seen by Dr. Hollis Brandvold.", None, math.nan, 4432189, b"Dr. Brandvold"]})
    scrubbed, findings = scrub_frame(df, scrubber=scrubber)
    assert scrubbed["scrub_error"].tolist() == [None, "E104", "E104", "E104", "E104"]
    assert scrubbed["text"].iloc[1:].isna().all()  # never the original value
    assert 4432189 not in scrubbed["text"].tolist() and b"Dr. Brandvold" not in scrubbed["text"].tolist()
    assert "Brandvold" not in scrubbed["text"].iloc[0]
    assert set(findings["row"]) == {0} and set(findings["id"]) == {"0"}  # id defaults to the index label


def test_scrub_frame_never_returns_text_it_could_not_scrub(scrubber) -> None:
    from scrubber.pandas import scrub_frame

    df = pd.DataFrame({"text": ["Pt Hollis Brandvold \u202eseen\u202c today."]})  # bidi override: E111
    scrubbed, findings = scrub_frame(df, scrubber=scrubber)
    assert scrubbed["scrub_error"].tolist() == ["E111"]
    assert scrubbed["text"].isna().all() and findings.empty


def test_scrub_frame_refuses_unknown_columns(scrubber) -> None:
    from scrubber.errors import ScrubberError
    from scrubber.pandas import scrub_frame

    df = pd.DataFrame({"note": ["x"], "scrub_error": [None]})
    with pytest.raises(ScrubberError, match="E282.*'text'"):
        scrub_frame(df, scrubber=scrubber)
    with pytest.raises(ScrubberError, match="E282.*scrub_error"):
        scrub_frame(df, text="note", scrubber=scrubber)


def test_interrupted_parquet_run_leaves_nothing_under_a_final_name(tmp_path, scrubber, recwarn) -> None:
    import gc

    from scrubber.run import run

    source = tmp_path / "notes.parquet"
    write_notes(source)
    out = tmp_path / "out"
    seen = []

    def stop_after_two(record, result) -> None:
        seen.append(record.id)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run([InputFile(source, Path("notes.parquet"), "parquet")], scrubber=scrubber, out_dir=out,
            options=ReadOptions(text_column="note_text", id_column="note_id"), on_record=stop_after_two)
    gc.collect()
    assert not (out / "notes.parquet").exists() and not (out / "audit.jsonl").exists()
    assert [p for p in out.rglob("*") if p.is_file()] == []
    assert not [w for w in recwarn if "nraisable" in type(w.message).__name__]


def test_parquet_output_is_the_same_with_two_workers(parquet_runs, tmp_path) -> None:
    out = tmp_path / "two"
    result = cli("scrub", str(parquet_runs["source"]), "--out", str(out), "--quiet", "--workers", "2", *COLUMNS)
    assert result.exit_code == 3
    assert (out / "notes.parquet").read_bytes() == (parquet_runs["full"] / "notes.parquet").read_bytes()


# -- Parquet and stdin: refused with the fix (E284), never misread ---------------------------------
def _scrub_stdin(data: bytes, out: Path, *args: str):
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    return CliRunner().invoke(app, ["scrub", "-", "--out", str(out), "--quiet", *args], input=data, catch_exceptions=False)


def test_stdin_format_parquet_is_refused_with_the_fix(tmp_path) -> None:
    source = tmp_path / "notes.parquet"
    write_notes(source)
    result = _scrub_stdin(source.read_bytes(), tmp_path / "out", "--stdin-format", "parquet", *COLUMNS)
    assert result.exit_code == 2
    assert "E284" in result.output and "pass the .parquet file's path instead of `-`" in result.output, result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("stdin_format", ["txt", "jsonl", "csv"])
def test_parquet_bytes_on_stdin_are_never_read_as_another_format(stdin_format, tmp_path) -> None:
    source = tmp_path / "notes.parquet"
    rows = write_notes(source)
    result = _scrub_stdin(source.read_bytes(), tmp_path / "out", "--stdin-format", stdin_format, "--text-column", "note_text")
    assert result.exit_code == 2 and "E284" in result.output, result.output
    assert rows[0]["note_id"] not in result.output  # the message quotes nothing of the stream
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())  # no output, no audit log


def test_read_refuses_parquet_from_stdin_in_the_library() -> None:
    from scrubber.errors import ScrubberError

    with pytest.raises(ScrubberError) as caught:
        list(read(InputFile(None, Path("stdin.parquet"), "parquet"), ReadOptions()))
    assert caught.value.code == "E284"


def test_parquet_piped_to_the_cli_is_refused(tmp_path) -> None:
    import subprocess
    import sys

    source = tmp_path / "notes.parquet"
    write_notes(source)
    with source.open("rb") as stream:  # a real pipe (the reader peeks, cannot seek)
        cat = subprocess.Popen(["cat"], stdin=stream, stdout=subprocess.PIPE)
        done = subprocess.run([sys.executable, "-m", "scrubber", "scrub", "-", "--out", str(tmp_path / "out"), "--quiet"],
                              stdin=cat.stdout, capture_output=True, text=True, timeout=300)
        cat.stdout.close()
        cat.wait()
    assert done.returncode == 2 and done.stderr.startswith("E284"), done.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# -- in-memory results as Parquet: scrubber.run.write_results(..., schema=) -------------------------
def test_in_memory_results_written_as_parquet_pass_check(scrubber, tmp_path) -> None:
    from scrubber.errors import ScrubberError
    from scrubber.run import write_results
    from scrubber.values import Record

    rows = [r for r in _rows() if r["note_text"] is not None]
    records = [Record(r["note_id"], r["note_text"], patient=r["patient_id"], fields=r) for r in rows]
    options = ReadOptions(text_column="note_text", id_column="note_id", patient_column="patient_id")
    with pytest.raises(ScrubberError, match="E209"):  # Parquet needs the rows' schema
        write_results(iter(()), tmp_path / "none", scrubber=scrubber, name="notes.parquet", options=options)
    out = tmp_path / "out"
    summary = write_results(scrubber.iter_records(records), out, scrubber=scrubber, name="notes.parquet", options=options, schema=SCHEMA)
    assert summary.written == len(rows) and set(summary.outputs) == {"notes.parquet"}
    table = pq.read_table(out / "notes.parquet")
    assert table.schema.equals(SCHEMA)
    assert [r["note_text"] for r in table.to_pylist()] == [scrubber.scrub(r["note_text"]).text for r in rows]
    assert [r["charge"] for r in table.to_pylist()] == [r["charge"] for r in rows]  # other columns as given
    result = cli("check", str(out), "--quiet")  # column names from the run record
    assert result.exit_code == 0, result.stdout
    assert re.search(rf"^ok +records-audited: all {len(rows)} output records", result.stdout, re.M), result.stdout
