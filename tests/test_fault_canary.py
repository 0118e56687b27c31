"""Fault-and-canary suite: the real CLI (a subprocess, through the console entry point) driven
through every documented error and quarantine path it can reach, each with its own canary PHI
string in the input. For every path:

* the canary is in no file the run wrote (outputs, audit log, quarantine list), nor on stdout or stderr;
* the exit code is the documented one, with the documented error code named;
* nothing sits under a final name that was not completely written: a failed run (exit 2) leaves
  no new file at all; a finished run's outputs match the digests in its (intact) audit log, and no
  temp file or partial folder is left;
* every file that existed before the run (inputs, an earlier run's outputs) is unchanged.

Usage and configuration errors fail before the model loads (fast). The record-level quarantine
paths share one run over one input per path (one model load); the few that need the engine on
their own (stdin, a full disk, an input deleted mid-run, a worker that dies) are marked slow.
Canaries are invented ("Zebulon Quackenbush" plus a per-case MRN); no corpus text.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from scrubber.audit import read_audit

KEY = "fault-canary-key-5e1d09c7b2a4f638"
NAME = "Quackenbush"


def canary(case: str) -> str:
    """A per-case canary: an invented name and an MRN derived from the case name."""
    digits = int(hashlib.sha256(case.encode()).hexdigest()[:8], 16) % 90_000_000 + 10_000_000
    return f"Zebulon {NAME} MRN {digits}"


# -- running and checking ---------------------------------------------------------------------------
DRIVER = r"""
import errno, os, sys
mode = sys.argv[1]
if mode == "full-disk":  # every file opened for writing through os.fdopen fills the "disk" after a few bytes
    real_fdopen = os.fdopen
    budget = {"left": int(os.environ.get("FAULT_DISK_BYTES", "300"))}

    class Full:
        def __init__(self, raw):
            self.raw = raw
        def write(self, data):
            budget["left"] -= len(data)
            if budget["left"] < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return self.raw.write(data)
        def __getattr__(self, name):
            return getattr(self.raw, name)

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Full(handle) if "w" in mode or "a" in mode else handle
    os.fdopen = fdopen
elif mode == "delete-second":  # the second input file disappears just before it is read
    import scrubber.run.source as source_module
    real_read = source_module.read
    seen = []
    def read(input_file, options):
        seen.append(input_file)
        if len(seen) == 2 and input_file.path is not None:
            input_file.path.unlink()
        return real_read(input_file, options)
    source_module.read = read
from scrubber.cli.app import main
sys.argv = ["scrubber", *sys.argv[2:]]
main()
"""


@dataclass
class Case:
    name: str
    make: Callable[[Path, str], list[str]]  # (tmp folder, canary) -> CLI arguments; writes inputs under tmp
    exit: int
    code: str
    stdin: Callable[[str], bytes] | None = None
    driver: str | None = None  # a DRIVER mode (fault injection in the CLI process)
    env: dict = field(default_factory=dict)
    slow: bool = False


def _snapshot(root: Path) -> dict[Path, str]:
    """SHA-256 of every file under ``root``; folders as ``"dir"``."""
    return {p: "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_dir() or (p.is_file() and not p.is_fifo())}


def _run(case: Case, tmp: Path) -> tuple[subprocess.CompletedProcess, dict[Path, str], str]:
    secret = canary(case.name)
    args = case.make(tmp, secret)
    before = _snapshot(tmp)
    env = {**os.environ, "SCRUBBER_KEY": KEY, **case.env}
    if case.driver is None:
        command = [sys.executable, "-m", "scrubber", *args]
    else:
        command = [sys.executable, "-c", DRIVER, case.driver, *args]
    proc = subprocess.run(command, input=case.stdin(secret) if case.stdin else b"", capture_output=True, env=env, cwd=tmp, timeout=600)
    return proc, before, secret


def assert_fail_closed(proc: subprocess.CompletedProcess, before: dict[Path, str], tmp: Path, secret: str, *, exit_code: int, code: str) -> None:
    stdout, stderr = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == exit_code, f"exit {proc.returncode}, expected {exit_code}: {stderr[-2000:]}"
    assert "E999" not in stderr and "Traceback" not in stderr
    if code:
        assert code in stderr or code in _read_quarantine(tmp), f"{code} not reported: {stderr[-2000:]}"
    # every file that existed before is unchanged (inputs, an earlier run's outputs)
    after = _snapshot(tmp)
    changed = [p for p, digest in before.items() if after.get(p) != digest]
    assert not changed, f"changed or removed: {changed}"
    leftovers = [p for p in after if p not in before and (p.name.endswith((".partial", ".probe")) or p.name == ".scrubber-partial")]
    assert not leftovers, f"temp files left: {leftovers}"
    new = sorted(p for p, digest in after.items() if p not in before and digest != "dir")
    # the canary is nowhere the run wrote, nor on stdout/stderr
    mrn = secret.rsplit(" ", 1)[1].encode()
    for blob, where in [(proc.stdout, "stdout"), (proc.stderr, "stderr"), *((p.read_bytes(), str(p)) for p in new)]:
        assert NAME.encode() not in blob and mrn not in blob, f"canary in {where}"
    if exit_code == 2:
        assert not new, f"a failed run left files: {new}"
        return
    _assert_complete(tmp, new)


def _read_quarantine(tmp: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in tmp.rglob("quarantine.jsonl") if p.parent.name == "out")


def _assert_complete(tmp: Path, new: list[Path]) -> None:
    """Every new file is the audit log (chain intact, closed by its run record), the quarantine
    list (JSON lines), or an output whose SHA-256 is the one the run record lists."""
    out = tmp / "out"
    lines = list(read_audit(out / "audit.jsonl"))
    run = lines[-1]
    assert run["kind"] == "run"
    for p in new:
        if p == out / "audit.jsonl":
            continue
        if p == out / "quarantine.jsonl":
            assert all(json.loads(line)["code"] for line in p.read_text().splitlines())
            continue
        relative = p.relative_to(out).as_posix()
        assert run["outputs"].get(relative) == "sha256:" + hashlib.sha256(p.read_bytes()).hexdigest(), relative


# -- cases that stop before the model loads (exit 2) ----------------------------------------------------
def _note(tmp: Path, secret: str, name: str = "note.txt") -> Path:
    path = tmp / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"Patient {secret} seen today.\n")
    return path


def _scrub(*args: str) -> list[str]:
    return ["scrub", "--quiet", *args]


def _headerless(tmp: Path, secret: str) -> list[str]:
    path = tmp / "in" / "n.csv"
    path.parent.mkdir(parents=True)
    path.write_text(f'1,"Patient {secret}"\n')
    return _scrub(str(path), "--out", "out")


def _fifo(tmp: Path, secret: str) -> list[str]:
    _note(tmp, secret)
    os.mkfifo(tmp / "in" / "pipe.txt")
    return _scrub(str(tmp / "in" / "pipe.txt"), "--out", "out")


def _duplicate_names(tmp: Path, secret: str) -> list[str]:
    _note(tmp, secret, "a/x.txt")
    _note(tmp, secret, "b/x.txt")
    return _scrub(str(tmp / "in" / "a"), str(tmp / "in" / "b"), "--out", "out")


def _audit_is_input(tmp: Path, secret: str) -> list[str]:
    note = _note(tmp, secret)
    return _scrub(str(note), "--out", "out", "--audit", str(note))


def _audit_is_output(tmp: Path, secret: str) -> list[str]:
    note = _note(tmp, secret)
    return _scrub(str(note), "--out", "out", "--audit", "out/note.txt")


def _input_named(name: str) -> Callable[[Path, str], list[str]]:
    def make(tmp: Path, secret: str) -> list[str]:
        path = tmp / "in" / name
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps({"text": f"Patient {secret}"}) + "\n")
        return _scrub(str(path), "--out", "out")
    return make


def _earlier_run(what: str) -> Callable[[Path, str], list[str]]:
    def make(tmp: Path, secret: str) -> list[str]:
        note = _note(tmp, secret)
        (tmp / "out").mkdir()
        (tmp / "out" / what).write_text("written by an earlier run\n")
        return _scrub(str(note), "--out", "out")
    return make


def _partial_state(tmp: Path, secret: str) -> list[str]:
    note = _note(tmp, secret)
    (tmp / "out" / ".scrubber-partial").mkdir(parents=True)
    (tmp / "out" / ".scrubber-partial" / "config.json").write_text(json.dumps({"format": 1, "resumable": True}))
    (tmp / "out" / ".scrubber-partial" / "lock").write_text("")  # as an interrupted run leaves it
    return _scrub(str(note), "--out", "out")


def _policy_file(text: str) -> Callable[[Path, str], list[str]]:
    def make(tmp: Path, secret: str) -> list[str]:
        note = _note(tmp, secret)
        (tmp / "p.toml").write_text(text)
        return _scrub(str(note), "--out", "out", "--policy", str(tmp / "p.toml"))
    return make


def _with(*extra: str, name: str = "note.txt") -> Callable[[Path, str], list[str]]:
    def make(tmp: Path, secret: str) -> list[str]:
        note = _note(tmp, secret, name)
        return _scrub(str(note), *extra)
    return make


def _key_file(content: str) -> Callable[[Path, str], list[str]]:
    def make(tmp: Path, secret: str) -> list[str]:
        note = _note(tmp, secret)
        (tmp / "k").write_text(content)
        return _scrub(str(note), "--out", "out", "--key-file", str(tmp / "k"))
    return make


def _unwritable_audit(tmp: Path, secret: str) -> list[str]:
    note = _note(tmp, secret)
    (tmp / "blocker").write_text("a file, not a folder\n")
    return _scrub(str(note), "--out", "out", "--audit", str(tmp / "blocker" / "audit.jsonl"))


def _markup_path(tmp: Path, secret: str) -> list[str]:
    _note(tmp, secret)
    return _scrub(str(tmp / "in" / "[bold]gone[/].txt"), "--out", "out")


FAST = [
    Case("missing input", lambda t, s: (_note(t, s), _scrub(str(t / "in" / "nope.txt"), "--out", "out"))[1], 2, "E201"),
    Case("markup in a path", _markup_path, 2, "[bold]gone[/].txt"),
    Case("unsupported type", lambda t, s: ((t / "x.pdf").write_text(s), _scrub(str(t / "x.pdf"), "--out", "out"))[1], 2, "E202"),
    Case("fifo input", _fifo, 2, "E202"),
    Case("empty folder", lambda t, s: ((t / "in").mkdir(), (t / "in" / "n.md").write_text(s), _scrub(str(t / "in"), "--out", "out"))[2], 2, "E203"),
    Case("two inputs one output name", _duplicate_names, 2, "E204"),
    Case("headerless csv", _headerless, 2, "E205"),
    Case("csv header with an open quote", lambda t, s: ((t / "h.csv").write_text(f'"id,text\n1,{s}\n'), _scrub("h.csv", "--out", "out"))[1], 2, "E205"),
    Case("audit names the input", _audit_is_input, 2, "E206"),
    Case("audit names an output", _audit_is_output, 2, "E206"),
    Case("input named audit.jsonl", _input_named("audit.jsonl"), 2, "E206"),
    Case("input named quarantine.jsonl", _input_named("quarantine.jsonl"), 2, "E206"),
    Case("out is the input folder", lambda t, s: (_note(t, s), _scrub(str(t / "in" / "note.txt"), "--out", str(t / "in")))[1], 2, "E207"),
    Case("bad stdin format", lambda t, s: _scrub("-", "--stdin-format", "xml"), 2, "E208", stdin=lambda s: s.encode()),
    Case("no --out", _with(), 2, "E209"),
    Case("unknown entity in policy", _policy_file('entities = ["PERSN"]\n'), 2, "E210"),
    Case("policy toml syntax", _policy_file("entities = [\n"), 2, "E215"),
    Case("missing policy file", _with("--out", "out", "--policy", "missing.toml"), 2, "E214"),
    Case("short key", _key_file("short"), 2, "E220"),
    Case("weak key", _key_file("aaaaaaaaaaaaaaaa"), 2, "E227"),
    Case("missing key file", _with("--out", "out", "--key-file", "nokey"), 2, "E221"),
    Case("crosswalk without its key", _with("--out", "out", "--crosswalk", "cw.enc"), 2, "E222"),
    Case("chunk size too small", _with("--out", "out", "--chunk-chars", "100"), 2, "E232"),
    Case("partial state of another run", _partial_state, 2, "E260"),
    Case("earlier output", _earlier_run("note.txt"), 2, "E265"),
    Case("earlier audit log", _earlier_run("audit.jsonl"), 2, "E265"),
    Case("earlier quarantine list", _earlier_run("quarantine.jsonl"), 2, "E265"),
    Case("out is a file", lambda t, s: ((t / "o").write_text("x"), _note(t, s), _scrub(str(t / "in" / "note.txt"), "--out", "o"))[2], 2, "E402"),
    Case("unwritable audit", _unwritable_audit, 2, "E404"),
]


@pytest.mark.parametrize("case", FAST, ids=[c.name for c in FAST])
def test_usage_error_paths_fail_closed(case: Case, tmp_path: Path) -> None:
    proc, before, secret = _run(case, tmp_path)
    assert_fail_closed(proc, before, tmp_path, secret, exit_code=case.exit, code=case.code)


# -- record-level paths: one run, one input per path (one model load) -----------------------------------
def _bytes(name: str, build: Callable[[str], bytes]) -> tuple[str, Callable[[str], bytes]]:
    return name, build


QUARANTINE = {
    # case name: (input file name, content from canary, expected code)
    "not utf-8": ("latin1.txt", lambda s: f"Patient {s} M".encode() + b"\xfc\xfcller\n", "E101"),
    "binary": ("binary.txt", lambda s: f"Patient {s}".encode() + b"\x00\x01\x02", "E105"),
    "not json": ("notjson.jsonl", lambda s: f'{{"text": "Patient {s}"\n'.encode(), "E102"),
    "no text field": ("nofield.jsonl", lambda s: json.dumps({"note": f"Patient {s}"}).encode() + b"\n", "E103"),
    "text not a string": ("notstring.jsonl", lambda s: json.dumps({"text": [f"Patient {s}"]}).encode() + b"\n", "E104"),
    "csv row does not match header": ("ragged.csv", lambda s: f"id,text\n1,Patient {s},extra\n".encode(), "E106"),
    "csv row not utf-8": ("badbytes.csv", lambda s: f"id,text\n1,Patient {s} M".encode() + b"\xfcller\n", "E101"),
    "document too large": ("large.txt", lambda s: f"Patient {s} ".encode() + b"x" * 3000, "E107"),
    "jsonl line too large (read bounded)": ("hugeline.jsonl", lambda s: json.dumps({"text": f"Patient {s} " + "y" * (1 << 21)}).encode() + b"\n", "E107"),
    "4,300-digit integer": ("bigint.jsonl", lambda s: b'{"text": "Patient ' + s.encode() + b'", "n": ' + b"7" * 4400 + b"}\n", "E108"),
    "deep nesting": ("deep.jsonl", lambda s: b'{"text": "Patient ' + s.encode() + b'", "n": ' + b"[" * 200_000 + b"]" * 200_000 + b"}\n", "E108"),
    "unclosed csv quote": ("open.csv", lambda s: f'id,text\n1,"Patient {s}\n2,next row\n'.encode(), "E109"),
}


@pytest.fixture(scope="module")
def quarantine_run(tmp_path_factory):
    """One run over one input per quarantine path, in a folder whose name is rich markup."""
    tmp = tmp_path_factory.mktemp("quarantine")
    folder = tmp / "in[" / "]put[bold]"  # its path holds "[/]", a rich closing tag
    folder.mkdir(parents=True)
    for case, (name, build, _) in QUARANTINE.items():
        (folder / name).write_bytes(build(canary(case)))
    (folder / "good.jsonl").write_text(json.dumps({"text": "Seen today, no identifiers."}) + "\n")
    args = _scrub(*(str(folder / name) for name, _, _ in QUARANTINE.values()), str(folder / "good.jsonl"),
                  "--out", "out", "--max-chars", "2000", "--workers", "1")
    args.remove("--quiet")  # the progress lines name each quarantined record: they must not leak
    before = _snapshot(tmp)
    proc = subprocess.run([sys.executable, "-m", "scrubber", *args], capture_output=True, cwd=tmp, timeout=600,
                          env={**os.environ, "SCRUBBER_KEY": KEY})
    return tmp, proc, before


@pytest.mark.slow
@pytest.mark.parametrize("case", list(QUARANTINE), ids=list(QUARANTINE))
def test_quarantine_paths_fail_closed(case: str, quarantine_run) -> None:
    tmp, proc, before = quarantine_run
    name, _, code = QUARANTINE[case]
    assert_fail_closed(proc, before, tmp, canary(case), exit_code=3, code=code)
    entries = [json.loads(line) for line in (tmp / "out" / "quarantine.jsonl").read_text().splitlines()]
    assert code in {e["code"] for e in entries if Path(e["source"]).name == name}
    assert "in[/]put[bold]" in proc.stderr.decode()  # the path is printed as it is, not as markup
    assert (tmp / "out" / "good.jsonl").exists()


# -- paths that need the engine on their own ---------------------------------------------------------------
def _two_notes(tmp: Path, secret: str) -> list[str]:
    (tmp / "in").mkdir()
    (tmp / "in" / "a.txt").write_text("Seen today, no identifiers.\n")
    (tmp / "in" / "b.txt").write_text(f"Patient {secret} seen today.\n")
    return ["scrub", "--quiet", "in/a.txt", "in/b.txt", "--out", "out", "--workers", "1"]


def _deleted(tmp: Path, secret: str) -> list[str]:
    return _two_notes(tmp, secret)


def _worker_dies(tmp: Path, secret: str) -> list[str]:
    path = tmp / "in.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": f"Patient {secret}" if i == 1 else "No identifiers."}) + "\n" for i in range(3)))
    return _scrub(str(path), "--out", "out", "--id-field", "id", "--workers", "2")


SLOW = [
    Case("risk on a headerless csv", lambda t, s: (_headerless(t, s), ["risk", "-q", "in/n.csv"])[1], 2, "E205", slow=True),
    Case("headerless csv on stdin", lambda t, s: _scrub("-", "--stdin-format", "csv"), 2, "E205", stdin=lambda s: f'1,"Patient {s}"\n'.encode(), slow=True),
    Case("full disk", lambda t, s: [*_two_notes(t, s), "--policy", "tags"], 2, "E404", driver="full-disk", env={"SCRUBBER_KEY": ""}, slow=True),
    Case("input deleted mid-run", _deleted, 3, "E110", driver="delete-second", slow=True),
    Case("worker dies twice on a record", _worker_dies, 3, "E303", env={"SCRUBBER_TEST_WORKER_DIE_ON": "r1"}, slow=True),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW, ids=[c.name for c in SLOW])
def test_engine_fault_paths_fail_closed(case: Case, tmp_path: Path) -> None:
    proc, before, secret = _run(case, tmp_path)
    if case.name == "input deleted mid-run":  # the deletion is the fault, not the run's doing
        before.pop(tmp_path / "in" / "b.txt")
    assert_fail_closed(proc, before, tmp_path, secret, exit_code=case.exit, code=case.code)


@pytest.mark.slow
def test_full_disk_in_a_keyed_run_keeps_the_checkpoint_and_resumes(tmp_path: Path) -> None:
    """A resumable run that hits a full disk stops with E404, keeps its partial state (finished
    outputs stay complete under their names), and --resume then finishes it: complete, audited,
    canary-free."""
    case = Case("full disk, keyed run", _two_notes, 2, "E404", driver="full-disk", slow=True)
    proc, before, secret = _run(case, tmp_path)
    assert proc.returncode == 2 and b"E404" in proc.stderr and b"E999" not in proc.stderr
    assert b"--resume" in proc.stderr
    assert NAME.encode() not in proc.stderr + proc.stdout
    assert (tmp_path / "out" / ".scrubber-partial" / "config.json").exists()
    assert not (tmp_path / "out" / "audit.jsonl").exists() and not (tmp_path / "out" / "b.txt").exists()
    resumed = subprocess.run([sys.executable, "-m", "scrubber", "scrub", "--quiet", "in/a.txt", "in/b.txt", "--out", "out", "--workers", "1", "--resume"],
                             capture_output=True, cwd=tmp_path, env={**os.environ, "SCRUBBER_KEY": KEY}, timeout=600)
    assert_fail_closed(resumed, before, tmp_path, secret, exit_code=0, code="")
    assert not (tmp_path / "out" / ".scrubber-partial").exists()
