"""The audit log's hash chain detects edits, removals and reordering."""

from __future__ import annotations

import json

import pytest

from scrubber.audit import AuditLog, read_audit
from scrubber.values import Finding, Record, ScrubResult


def write_log(path):
    log = AuditLog(path)
    for i in range(3):
        record = Record(f"d{i}", "x" * 20)
        log.result(record, ScrubResult(f"d{i}", "[PERSON]", (Finding(0, 5, "PERSON", 0.9, "titled_name", "tag", "ab" * 16),)))
    log.result(Record("bad", None, error="E101", source="f.jsonl", line=4), ScrubResult("bad", "", error="E101", detail="not utf-8"))
    log.run({"documents": {"read": 4}})
    log.commit()
    return path.read_text().splitlines()


def test_intact_log_verifies(tmp_path) -> None:
    write_log(tmp_path / "audit.jsonl")
    kinds = [line["kind"] for line in read_audit(tmp_path / "audit.jsonl")]
    assert kinds == ["finding", "finding", "finding", "quarantine", "run"]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda lines: lines[:1] + lines[2:],  # a line removed
        lambda lines: [lines[1], lines[0], *lines[2:]],  # reordered
        lambda lines: [lines[0].replace('"end":5', '"end":4'), *lines[1:]],  # edited
        lambda lines: lines[:-1],  # run record removed: chain intact, but then no run record
    ],
)
def test_tampering_is_detected(tmp_path, tamper) -> None:
    lines = write_log(tmp_path / "audit.jsonl")
    (tmp_path / "audit.jsonl").write_text("\n".join(tamper(lines)) + "\n")
    try:
        parsed = list(read_audit(tmp_path / "audit.jsonl"))
    except ValueError as exc:
        assert "E501" in str(exc)
        return
    assert parsed[-1]["kind"] != "run"


def test_unfinished_log_is_not_left_under_its_name(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.result(Record("a", "x"), ScrubResult("a", "x"))
    log.abort()
    assert list(tmp_path.iterdir()) == []


# -- in-memory results through the gate: scrubber.run.write_results ---------------------------------

MEMORY_NOTES = [
    ("m-1", "P1", "Seen by Dr. Hallgrimsdottir on 03/14/2024. MRN 4432189. Plan: continue metoprolol."),
    ("m-2", "P2", "Mrs. Okonkwo-Baptiste called from 617-555-0142 about her refill on 04/02/2024."),
    ("m-3", "P3", "Follow-up with Dr. Vasquez-Ferreira in two weeks; lisinopril 10 mg daily."),
]
MEMORY_KEY = b"memory-audit-key-0123456789abcdef"


def _check(out, *extra):
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    return CliRunner().invoke(app, ["check", str(out), "--id-field", "id", "--patient-field", "patient", "-q", *extra])


def _write(policy, out, **kwargs):
    from scrubber import Scrubber
    from scrubber.run import write_results

    engine = Scrubber(policy, key=MEMORY_KEY)
    records = [Record(i, t, patient=p) for i, p, t in MEMORY_NOTES]
    return write_results(engine.iter_records(records), out, scrubber=engine, **kwargs)


def test_in_memory_results_written_with_their_audit_log_pass_check(tmp_path) -> None:
    out = tmp_path / "out"
    summary = _write("tags", out)
    assert summary.written == 3 and set(summary.outputs) == {"scrubbed.jsonl"}
    lines = list(read_audit(out / "audit.jsonl"))
    assert [line["kind"] for line in lines].count("document") == 3 and lines[-1]["kind"] == "run"
    assert all("out_start" in line for line in lines if line["kind"] == "finding")
    assert lines[-1]["policy"]["name"] == "tags" and lines[-1]["key_source"] == "argument"
    written = [json.loads(line) for line in (out / "scrubbed.jsonl").read_text().splitlines()]
    assert [w["id"] for w in written] == ["m-1", "m-2", "m-3"] and "Hallgrimsdottir" not in json.dumps(written)
    result = _check(out, "--policy", "tags")
    assert result.exit_code == 0, result.output
    # changed after it was written: the digest in the run record no longer matches
    (out / "scrubbed.jsonl").write_text((out / "scrubbed.jsonl").read_text().replace("[DATE]", "03/14/2024", 1))
    tampered = _check(out)
    assert tampered.exit_code == 1 and "output-digests" in tampered.output


def test_in_memory_results_of_a_weakened_policy_fail_check(tmp_path) -> None:
    from scrubber.policy import PRESETS, Policy

    weak = Policy(name="no-person", entities=tuple(e for e in PRESETS["tags"].entities if e != "PERSON"), allow_weakened=("PERSON",))
    out = tmp_path / "weak"
    _write(weak, out)
    result = _check(out)
    assert result.exit_code == 1 and "FAIL leaks" in result.output


def test_in_memory_writer_refuses_to_replace_and_quarantines(tmp_path) -> None:
    from scrubber import Scrubber
    from scrubber.errors import ScrubberError
    from scrubber.run import write_results

    out = tmp_path / "out"
    _write("tags", out)
    with pytest.raises(ScrubberError, match="E265"):
        _write("tags", out)
    engine = Scrubber(key=MEMORY_KEY)
    records = [Record("ok", "Seen by Dr. Vasquez-Ferreira."), Record("bad", None, error="E104")]
    summary = write_results(engine.iter_records(records), out, scrubber=engine, overwrite=True)
    assert summary.written == 1 and summary.quarantined == 1
    assert json.loads((out / "quarantine.jsonl").read_text())["id"] == "bad"
    assert _check(out).exit_code == 0


def test_docs_in_memory_example_writes_a_dataset_that_passes_check(tmp_path, monkeypatch) -> None:
    import re

    from tests.conftest import ROOT

    page = (ROOT / "docs/audit.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python in-memory\n(.*?)```", page, flags=re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "docs/audit.md", "exec"), {"key": MEMORY_KEY, "notes": MEMORY_NOTES})
    result = _check(tmp_path / "deid", "--policy", "safe-harbor")
    assert result.exit_code == 0, result.output
