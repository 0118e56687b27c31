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
    log.close({"documents": {"read": 4}})
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
