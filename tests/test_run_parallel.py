"""Parallel, resumable runs: any number of workers and any interruption give the same outputs.

The reference is one uninterrupted in-process run (``workers=1``). Every other run here (two
workers; a run killed with SIGKILL and resumed; a run stopped with SIGINT and resumed; runs
whose workers die) must write byte-identical outputs and the same audit lines, apart from the
timing fields of the run record and the records a dying worker takes down (quarantined, E303).

The synthetic notes are generated here (no corpus text). Patient ``PX`` has two documents, the
first and the last of ``notes.jsonl``, naming two surnames whose first-choice surrogates collide
under the test key: only the engine's per-patient registry tells them apart, so the outputs
match only if both documents go through one engine in order (routing by patient) and a resumed
run gets the registry back.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scrubber.audit import read_audit
from scrubber.errors import ScrubberError
from scrubber.io.readers import ReadOptions, discover
from scrubber.keys import make_key
from scrubber.policy import resolve_policy
from scrubber.resume import PARTIAL_DIR, Partial
from scrubber.run import run
from scrubber.workers import DIE_ON_ENV, EngineSpec, route
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.slow

KEY = "parallel-test-key-0123456789abcdef"
OPTIONS = ReadOptions(id_field="id", patient_field="patient", text_column="note_text", id_column="note_id", patient_column="patient_id")
CLI_OPTIONS = ["--id-field", "id", "--patient-field", "patient", "--text-column", "note_text", "--id-column", "note_id",
               "--patient-column", "patient_id", "--policy", "surrogate", "--batch-size", "8"]
N_NOTES = 240
POISON = "r150"  # its own patient, so losing it changes no other document


def _colliding_surnames() -> tuple[str, str]:
    """Two surnames whose first-choice surrogates for patient PX are the same under KEY."""
    from scrubber.surrogates import surrogate

    surnames = (ROOT / "recognizers" / "data" / "surnames.txt").read_text(encoding="utf-8").splitlines()[1000:3000]
    seen: dict[str, str] = {}
    for name in surnames:
        fake = surrogate(name, "PERSON", make_key(KEY), "PX")
        if fake in seen:
            return seen[fake], name
        seen[fake] = name
    raise AssertionError("no colliding pair among 2,000 surnames")


def _write_notes(path: Path, first: str, second: str) -> None:
    names = ["Smith", "Patel", "Nguyen", "Garcia", "Okafor", "Cohen", "Brown", "Rossi"]
    lines = [{"id": "r0", "patient": "PX", "text": f"Seen by Dr. {first} today."}]
    for i in range(1, N_NOTES - 1):
        patient = "P-solo" if f"r{i}" == POISON else f"P{i % 37}"
        text = (f"Pt {names[i % 8]} seen {1 + i % 12}/{1 + i % 28}/2023 by Dr. {names[(i * 3) % 8]}. "
                f"MRN {4400000 + i * 37}. Call 617-555-{1000 + i}.")
        lines.append({"id": f"r{i}", "patient": patient, "text": text})
    lines.append({"id": f"r{N_NOTES - 1}", "patient": "PX", "text": f"Seen by Dr. {second} today."})
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    first, second = _colliding_surnames()
    _write_notes(folder / "notes.jsonl", first, second)
    return [str(folder / "notes.jsonl"), str(SAMPLES / "notes"), str(SAMPLES / "batch.jsonl"), str(SAMPLES / "batch.csv")]


def _spec() -> EngineSpec:
    return EngineSpec(resolve_policy("surrogate"), make_key(KEY, "env"), batch_size=8)


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    summary = run(discover(inputs), scrubber=_spec(), out_dir=out, options=OPTIONS, workers=1)
    assert summary.read == summary.written == N_NOTES + 22  # the samples hold 22 documents
    return out


def _outputs(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != "audit.jsonl"}


def _audit(out: Path) -> list[dict]:
    """Audit lines (the chain verified), without the run record's timing fields."""
    lines = list(read_audit(out / "audit.jsonl"))
    for line in lines:
        if line["kind"] == "run":
            del line["timing"], line["finished_at"]
    return lines


def _same_as_reference(out: Path, reference: Path) -> None:
    assert not (out / PARTIAL_DIR).exists()
    assert _outputs(out) == _outputs(reference)
    assert _audit(out) == _audit(reference)


def _texts(out: Path) -> dict[str, str]:
    return {o["id"]: o["text"] for o in map(json.loads, (out / "notes.jsonl").read_text(encoding="utf-8").splitlines())}


def test_the_reference_tells_colliding_originals_of_a_patient_apart(reference) -> None:
    texts = _texts(reference)
    assert texts["r0"] != texts[f"r{N_NOTES - 1}"]  # without the registry both would read the same


def test_two_workers_write_byte_identical_outputs_and_audit(inputs, reference, tmp_path) -> None:
    summary = run(discover(inputs), scrubber=_spec(), out_dir=tmp_path / "out", options=OPTIONS, workers=2)
    assert summary.workers == 2 and summary.worker_restarts == 0
    _same_as_reference(tmp_path / "out", reference)


def test_dead_workers_are_replaced_their_records_retried_once_then_quarantined(inputs, reference, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(DIE_ON_ENV, POISON)  # a worker given this record kills itself, every time
    killed = []
    slot = route("PX", 2)  # the worker holding PX's registry: its replacement needs it for the last note

    def kill_a_worker_once(record, result) -> None:
        if not killed and record.id == "r10":
            worker = next(p for p in multiprocessing.active_children() if p.name == f"scrubber-worker-{slot}")
            os.kill(worker.pid, signal.SIGKILL)
            killed.append(worker.pid)

    out = tmp_path / "out"
    summary = run(discover(inputs), scrubber=_spec(), out_dir=out, options=OPTIONS, workers=2, on_record=kill_a_worker_once)
    assert killed and summary.worker_restarts == 3  # the one killed from outside, and twice on the poison record
    assert summary.quarantined == 1 and summary.written == summary.read - 1
    assert [(q["id"], q["code"]) for q in map(json.loads, (out / "quarantine.jsonl").read_text().splitlines())] == [(POISON, "E303")]
    expected = {k: v for k, v in _texts(reference).items() if k != POISON}
    assert _texts(out) == expected  # nothing lost, nothing twice, the retried records as in the reference
    assert {k: v for k, v in _outputs(out).items() if k not in ("notes.jsonl", "quarantine.jsonl")} == {
        k: v for k, v in _outputs(reference).items() if k != "notes.jsonl"
    }
    audit = [line for line in _audit(out) if line["kind"] != "run"]
    poisoned = [line for line in audit if line["doc"] == POISON]
    assert [(line["kind"], line["code"], line["line"]) for line in poisoned] == [("quarantine", "E303", 151)]
    # the same lines, except that records after the quarantined one sit one place earlier in notes.jsonl
    def position_free(lines: list[dict]) -> list[dict]:
        return [{k: v for k, v in line.items() if k != "index"} for line in lines if line["doc"] != POISON]

    assert position_free(audit) == position_free(_audit(reference)[:-1])
    indexes = [line["index"] for line in audit if line["kind"] == "document" and line["output"] == "notes.jsonl"]
    assert indexes == list(range(len(indexes)))  # positions in the output as written


# -- killed and interrupted runs (the installed command, in a subprocess) --------------------------
def _start(inputs: list[str], out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "scrubber", "scrub", *inputs, "--out", str(out), *CLI_OPTIONS, "--workers", "2", "--quiet", *extra],
        env={**os.environ, "SCRUBBER_KEY": KEY},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as in a terminal, even under a runner that ignores it
    )


def _wait_for_checkpoint(process: subprocess.Popen, out: Path, done: int) -> None:
    """Poll the partial state until at least ``done`` records are checkpointed."""
    state = out / PARTIAL_DIR / "state.json"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run finished before it could be interrupted"
        try:
            if json.loads(state.read_text())["done"] >= done:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    raise AssertionError("no checkpoint within 300 s")


def _finals_are_complete(out: Path, reference: Path) -> None:
    """Whatever sits under a final name after an interruption is the complete file."""
    expected = _outputs(reference)
    for name, content in _outputs(out).items():
        if not name.startswith(PARTIAL_DIR):
            assert content == expected[name], name
    assert not (out / "audit.jsonl").exists()


def _scrub(inputs: list[str], out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scrubber", "scrub", *inputs, "--out", str(out), *CLI_OPTIONS, "--workers", "2", *extra],
        env={**os.environ, "SCRUBBER_KEY": KEY}, capture_output=True, text=True, timeout=600,
    )


def test_a_run_stopped_by_ctrl_c_then_killed_while_resuming_ends_identical(inputs, reference, tmp_path) -> None:
    """Ctrl-C: exit 130, resumable; SIGKILL of the resumed run; the second resume finishes it."""
    from scrubber.crosswalk import new_key

    out = tmp_path / "out"
    (tmp_path / "crosswalk.key").write_text(new_key())
    crosswalk = ["--crosswalk", str(tmp_path / "crosswalk.enc"), "--crosswalk-key-file", str(tmp_path / "crosswalk.key")]

    process = _start(inputs, out, *crosswalk)
    _wait_for_checkpoint(process, out, done=16)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "--resume" in stderr and "Traceback" not in stderr
    assert (out / PARTIAL_DIR / "state.json").exists() and not (tmp_path / "crosswalk.enc").exists()
    _finals_are_complete(out, reference)

    again = _scrub(inputs, out, "--quiet", *crosswalk)
    assert again.returncode == 2 and "E260" in again.stderr and "--resume" in again.stderr  # never mixes silently
    (tmp_path / "other.key").write_text(new_key())
    wrong = _scrub(inputs, out, "--quiet", "--resume", "--crosswalk", str(tmp_path / "crosswalk.enc"), "--crosswalk-key-file", str(tmp_path / "other.key"))
    assert wrong.returncode == 2 and "E264" in wrong.stderr and (out / PARTIAL_DIR / "state.json").exists()

    done = json.loads((out / PARTIAL_DIR / "state.json").read_text())["done"]
    process = _start(inputs, out, "--resume", *crosswalk)
    _wait_for_checkpoint(process, out, done=done + 16)
    process.kill()
    process.wait(timeout=60)
    _finals_are_complete(out, reference)
    for saved in (out / PARTIAL_DIR).rglob("*"):  # the key is never written down
        assert saved.is_dir() or KEY.encode() not in saved.read_bytes()

    resumed = _scrub(inputs, out, "--resume", *crosswalk)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed after" in resumed.stderr
    assert not (out / PARTIAL_DIR).exists()
    assert _outputs(out) == _outputs(reference)
    audit = _audit(out)
    assert audit[:-1] == _audit(reference)[:-1] and audit[-1]["crosswalk"] is True
    assert list(read_audit(out / "audit.jsonl"))[-1]["timing"]["resumes"] == 2
    restored = subprocess.run(
        [sys.executable, "-m", "scrubber", "reidentify", str(out / "notes.jsonl"), "--id-field", "id", "--out", str(tmp_path / "restored"), *crosswalk],
        capture_output=True, text=True, timeout=600,
    )
    assert restored.returncode == 0, restored.stderr
    assert (tmp_path / "restored" / "notes.jsonl").read_text() == Path(inputs[0]).read_text()  # every record once, all reversible


# -- refusing partial state that cannot be used as asked (no model needed) -------------------------------
def _config(**changes) -> dict:
    config = {"format": 1, "inputs": [["a.jsonl", "a.jsonl", "jsonl", 10, 1]], "policy": "sha256:1", "key": "k1", "resumable": True, "why_not": None}
    return {**config, **changes}


def test_partial_state_is_refused_without_resume_and_with_other_options_or_key(tmp_path) -> None:
    Partial.open(tmp_path, _config(), resume=False).keep()  # as a killed run leaves it
    with pytest.raises(ScrubberError) as without:
        Partial.open(tmp_path, _config(), resume=False)
    assert without.value.code == "E260" and "--resume" in without.value.fix and PARTIAL_DIR in without.value.fix
    for change, named in ((dict(key="k2"), "key"), (dict(policy="sha256:2"), "policy"), (dict(inputs=[["a.jsonl", "a.jsonl", "jsonl", 11, 2]]), "inputs")):
        with pytest.raises(ScrubberError) as other:
            Partial.open(tmp_path, _config(**change), resume=True)
        assert other.value.code == "E262" and named in other.value.message
    Partial.open(tmp_path, _config(), resume=True).discard()
    assert not (tmp_path / PARTIAL_DIR).exists()


def test_a_run_with_a_random_key_cannot_be_resumed(tmp_path) -> None:
    why = "it used a random per-run key (no --key-file or SCRUBBER_KEY), which is never saved"
    Partial.open(tmp_path, _config(key=None, resumable=False, why_not=why), resume=False).keep()
    with pytest.raises(ScrubberError) as plain:
        Partial.open(tmp_path, _config(key=None, resumable=False, why_not=why), resume=False)
    assert plain.value.code == "E260" and "random" in plain.value.fix
    with pytest.raises(ScrubberError) as resumed:
        Partial.open(tmp_path, _config(), resume=True)
    assert resumed.value.code == "E261" and "random" in resumed.value.message


def test_a_second_run_on_the_same_output_folder_is_refused(tmp_path) -> None:
    first = Partial.open(tmp_path, _config(), resume=False)
    with pytest.raises(ScrubberError) as second:
        Partial.open(tmp_path, _config(), resume=True)
    assert second.value.code == "E403"
    first.discard()


def test_the_default_is_one_worker_per_core_except_for_stdin_and_small_inputs() -> None:
    from scrubber.workers import SMALL_INPUT_BYTES, available_cores, default_workers

    assert default_workers(None) == 1  # stdin: size unknown
    assert default_workers(SMALL_INPUT_BYTES - 1) == 1
    assert default_workers(SMALL_INPUT_BYTES) == available_cores()


def test_a_burst_of_worker_deaths_keeps_the_checkpoints_of_a_keyed_run(tmp_path, monkeypatch) -> None:
    """E231 (workers keep dying) is the machine's fault, not the run's: a resumable run keeps its
    partial state, and --resume finishes it with the outputs an uninterrupted run writes."""
    from scrubber.errors import ScrubberError
    from scrubber.io.readers import discover
    from scrubber.resume import PARTIAL_DIR
    from scrubber.run import run
    from tests.test_memory import _EchoEngine

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"r{i}", "text": f"note {i}"}) + "\n" for i in range(100)))
    calls = {"n": 0}

    def burst(record, result) -> None:
        calls["n"] += 1
        if calls["n"] == 70:  # after two checkpoints (every 32 records)
            raise ScrubberError("E231", "worker processes keep exiting before they finish a batch (3 in a row)", "check free memory")

    out = tmp_path / "out"
    with pytest.raises(ScrubberError) as stopped:
        run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=out, options=ReadOptions(id_field="id"), on_record=burst)
    assert stopped.value.code == "E231"
    assert (out / PARTIAL_DIR / "state.json").exists() and not (out / "audit.jsonl").exists()
    resumed = run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=out, options=ReadOptions(id_field="id"), resume=True)
    assert resumed.resumed_at == 64 and resumed.written == 100
    fresh = tmp_path / "fresh"
    run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=fresh, options=ReadOptions(id_field="id"))
    assert (out / "in.jsonl").read_bytes() == (fresh / "in.jsonl").read_bytes()
    assert not (out / PARTIAL_DIR).exists()
