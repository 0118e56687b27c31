"""Every file a run writes follows one life cycle (scrubber.io.atomic.Lifecycle): commit puts it in
place complete; abort leaves nothing; detach keeps the temporary file for --resume, which continues
it after its checkpointed size. Exercised through each of the run's writers, not only the base."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from scrubber.audit import GENESIS, AuditLog, read_audit
from scrubber.crosswalk import CrosswalkWriter, new_key, read_crosswalk
from scrubber.io.atomic import AtomicFile, Lifecycle
from scrubber.io.readers import InputFile, ReadOptions
from scrubber.io.writers import OutputFile, QuarantineList
from scrubber.values import Finding, Record, ScrubResult


def _fernet():
    from cryptography.fernet import Fernet

    return Fernet(new_key().encode("ascii"))


FERNET = _fernet()


def _atomic(final: Path, temp: Path | None, keep: int | None):
    f = AtomicFile(final, temp=temp, keep=keep)
    return f, lambda i: f.write(f"line {i}\n".encode())


def _output(final: Path, temp: Path | None, keep: int | None):
    f = OutputFile(InputFile(None, Path(final.name), "jsonl"), final.parent, ReadOptions(), temp=temp, keep=keep)
    return f, lambda i: f.write(Record(f"r{i}", "x", fields={"id": f"r{i}"}), ScrubResult(f"r{i}", f"[PERSON] {i}"))


def _quarantine(final: Path, temp: Path | None, keep: int | None):
    f = QuarantineList(final)
    f.open(temp=temp, keep=keep)
    return f, lambda i: f.add({"id": f"r{i}", "code": "E104"})


def _audit(final: Path, temp: Path | None, keep: int | None, chain: str = GENESIS):
    f = AuditLog(final, temp=temp, keep=keep, chain=chain)

    def write(i: int) -> None:
        f.result(Record(f"r{i}", "x"), ScrubResult(f"r{i}", "[PERSON]", (Finding(0, 5, "PERSON", 0.9, "titled_name", "tag", "ab" * 16),)))

    original_commit = f.commit

    def commit() -> None:
        f.run({"documents": {"read": 0}})
        original_commit()

    f.commit = commit  # type: ignore[method-assign]  # the run record always precedes the commit
    return f, write


def _crosswalk(final: Path, temp: Path | None, keep: int | None):
    f = CrosswalkWriter(final, FERNET)
    f.open(temp=temp, keep=keep)
    return f, lambda i: f.write(f"r{i}", f"[PERSON] {i}", ((0, 8, "Patel"),))


WRITERS: dict[str, Callable] = {"atomic": _atomic, "output": _output, "quarantine": _quarantine, "audit": _audit, "crosswalk": _crosswalk}


def _lines(name: str, path: Path) -> int:
    if name == "audit":
        return sum(1 for line in read_audit(path) if line["kind"] == "finding")  # verifies the chain too
    if name == "crosswalk":
        return len(read_crosswalk(path, FERNET))  # decrypts every line
    return len(path.read_bytes().splitlines())


@pytest.mark.parametrize("name", WRITERS)
def test_commit_puts_the_file_in_place_and_abort_leaves_nothing(tmp_path, name) -> None:
    make = WRITERS[name]
    kept, write = make(tmp_path / "kept.jsonl", None, None)
    assert isinstance(kept, Lifecycle)
    for i in range(3):
        write(i)
    assert not (tmp_path / "kept.jsonl").exists()  # nothing under the final name before the commit
    kept.commit()
    assert _lines(name, tmp_path / "kept.jsonl") == 3
    dropped, write = make(tmp_path / "dropped.jsonl", None, None)
    write(0)
    dropped.sync()
    dropped.abort()
    dropped.abort()  # idempotent, never raises
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.jsonl"]  # no temp file left either


@pytest.mark.parametrize("name", WRITERS)
def test_detach_keeps_the_temp_file_and_a_resume_continues_after_the_checkpoint(tmp_path, name) -> None:
    make = WRITERS[name]
    final, temp = tmp_path / "out.jsonl", tmp_path / "partial" / "out.jsonl"
    first, write = make(final, temp, None)
    write(0)
    write(1)
    size = first.sync()  # the checkpoint (an audit log's also holds its chain hash)
    checkpoint = {"chain": first.chain} if isinstance(first, AuditLog) else {}
    write(2)  # after the checkpoint: written again by the resumed run
    first.detach()
    assert temp.exists() and not final.exists()
    second, write = make(final, temp, size, **checkpoint)
    for i in (2, 3):
        write(i)
    second.commit()
    assert _lines(name, final) == 4
    assert not temp.exists()


def test_an_audit_log_without_its_run_record_is_never_committed(tmp_path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.result(Record("a", "x"), ScrubResult("a", "x"))
    with pytest.raises(ValueError):
        log.commit()
    log.abort()
    assert list(tmp_path.iterdir()) == []
