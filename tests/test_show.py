"""`scrubber show`: one note in the terminal with its findings marked; `--findings-only` JSON without text;
the dropped candidates and why (the resolve step's filter, which does not change what is scrubbed)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scrubber.engine as engine_module
from scrubber.cli.app import app
from scrubber.normalize import normalize
from scrubber.resolve import Candidate, filter_candidates
from tests.conftest import SAMPLES

runner = CliRunner()
KEY = "show-test-key-0123456789abcdef"
SAMPLE_NOTES = sorted((SAMPLES / "notes").glob("*.txt"))
_ENGINES: dict = {}
_REAL = engine_module.Scrubber


@pytest.fixture(autouse=True)
def one_engine_per_policy(monkeypatch):
    """`show` builds a Scrubber per call; reuse one per policy and key (the model loads once)."""

    def cached(policy, *, key):
        ident = (policy.digest, key.fingerprint("show-test"))
        if ident not in _ENGINES:
            _ENGINES[ident] = _REAL(policy, key=key)
        return _ENGINES[ident]

    monkeypatch.setattr(engine_module, "Scrubber", cached)


def show(*args: str, input: str | None = None):
    return runner.invoke(app, ["show", *args], env={"SCRUBBER_KEY": KEY}, input=input, catch_exceptions=False)


def engine(policy: str = "tags"):
    from scrubber.keys import make_key
    from scrubber.policy import resolve_policy

    return engine_module.Scrubber(resolve_policy(policy), key=make_key(KEY, "env"))


def label(i: int, f) -> str:
    return f"[{i}:{f.entity_type} {f.score:.2f} {f.recognizer}]"


@pytest.mark.parametrize("path", SAMPLE_NOTES, ids=lambda p: p.name)
def test_show_marks_every_finding_of_each_sample(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expected = engine().scrub(text).findings
    assert expected
    result = show(str(path), "--pipe")
    assert result.exit_code == 0, result.stderr
    assert "holds PHI" in result.stderr
    out = result.stdout
    position = 0
    for i, f in enumerate(expected, start=1):  # each finding, in order, right before its label
        marked = text[f.start : f.end] + label(i, f)
        found = out.find(marked, position)
        assert found >= 0, marked
        position = found + len(marked)
    assert re.search(rf"^\s*{len(expected)} findings?\s*$", out, re.M)


@pytest.mark.parametrize("path", SAMPLE_NOTES, ids=lambda p: p.name)
def test_findings_only_is_json_without_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    result = show(str(path), "--findings-only")  # no --pipe needed: no text in it
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == path.name and data["policy"] == "tags"
    assert data["findings"] == [f.to_dict() for f in engine().scrub(text).findings]  # same key: same fingerprints
    named = ("entity_type", "recognizer", "operator", "reason", "fingerprint")  # names and hex digests, never text
    rest = json.dumps([{k: v for k, v in item.items() if k not in named} for item in data["findings"] + data["dropped"]])
    assert set(data) == {"id", "policy", "characters", "findings", "dropped"}
    for item in data["findings"] + data["dropped"]:
        value = text[item["start"] : item["end"]]
        assert len(value) < 6 or value not in result.stdout
        for word in re.findall(r"\w*[^\W\d_]\w*", value):  # words with a letter (offsets are numbers)
            if len(word) < 3:
                continue
            assert word not in rest, f"{word!r} of a {item['entity_type']} is in the JSON"


def test_show_refuses_to_print_the_note_to_a_file_or_pipe() -> None:
    path = SAMPLES / "notes" / "progress_note.txt"
    result = show(str(path))  # CliRunner's stdout is not a terminal
    assert result.exit_code == 2
    assert "E283" in result.stderr
    assert "Whitfield" not in result.stdout + result.stderr


def test_help_says_it_prints_phi() -> None:
    result = runner.invoke(app, ["show", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Prints PHI to the terminal" in result.stdout
    assert "Nothing is written to a file" in result.stdout


def test_show_reads_stdin() -> None:
    result = show("-", "--pipe", input="Seen by Dr. Hollis Brandvold on 03/14/2024.\n")
    assert result.exit_code == 0, result.stderr
    assert "Brandvold[1:PERSON" in result.stdout and "03/14/2024[2:DATE" in result.stdout


def test_show_tells_why_candidates_were_dropped(tmp_path) -> None:
    text = (SAMPLES / "notes" / "progress_note.txt").read_text(encoding="utf-8")
    no_names = tmp_path / "no-person.toml"
    no_names.write_text('name = "no-person"\npreset = "tags"\nentities = ["DATE", "PHONE_NUMBER"]\nallow_weakened = ["ALL"]\n')
    data = json.loads(show("samples/notes/progress_note.txt", "--findings-only", "--policy", str(no_names)).stdout)
    entity = [d for d in data["dropped"] if d["reason"] == "entity"]
    assert any(d["entity_type"] == "PERSON" for d in entity)
    assert not any(f["entity_type"] == "PERSON" for f in data["findings"])
    whitfield = text.index("Whitfield")
    assert any(d["start"] <= whitfield < d["end"] for d in entity)  # the name the policy leaves in

    strict = tmp_path / "strict.toml"
    strict.write_text('name = "strict-dates"\npreset = "tags"\nallow_weakened = ["DATE"]\n[thresholds]\nDATE = 0.95\n')
    data = json.loads(show("samples/notes/progress_note.txt", "--findings-only", "--policy", str(strict)).stdout)
    below = [d for d in data["dropped"] if d["reason"] == "threshold"]
    assert below and all(d["entity_type"] == "DATE" and d["score"] < 0.95 and d["threshold"] == 0.95 for d in below)
    shown = runner.invoke(app, ["show", str(SAMPLES / "notes" / "progress_note.txt"), "--pipe", "--policy", str(strict)],
                          env={"SCRUBBER_KEY": KEY, "COLUMNS": "250"}, catch_exceptions=False)
    assert "score below the threshold 0.95" in shown.stdout


def test_allow_listed_candidate_is_explained() -> None:
    data = json.loads(show("samples/notes/operative_note.txt", "--findings-only").stdout)
    assert [d["reason"] for d in data["dropped"]] == ["allow-list"]


def test_explain_does_not_change_what_is_scrubbed() -> None:
    e = engine()
    for path in SAMPLE_NOTES:
        text = path.read_text(encoding="utf-8")
        explained, _ = e.explain(text)
        assert explained == e.scrub(text)


def test_filter_keeps_the_same_candidates_with_or_without_the_dropped_list() -> None:
    view = normalize("Dr. Parkinson saw J\u200bohn on 3/4")
    candidates = [
        Candidate(4, 13, "PERSON", 0.9, "spacy_ner"),  # allow-listed, not cued
        Candidate(18, 22, "PERSON", 0.4, "spacy_ner"),  # below the threshold
        Candidate(26, 29, "DATE", 0.9, "date"),  # kept
        Candidate(26, 29, "AGE", 0.9, "age"),  # not in the policy
    ]
    args = dict(entities=frozenset({"PERSON", "DATE"}), thresholds={"PERSON": 0.5}, default_threshold=0.5,
                allowed=lambda v: v == "Parkinson", cued=frozenset())
    dropped: list = []
    assert filter_candidates(view, candidates, **args) == filter_candidates(view, candidates, **args, dropped=dropped) == [candidates[2]]
    assert [(d.reason, d.entity_type, d.threshold) for d in dropped] == [
        ("allow-list", "PERSON", None), ("threshold", "PERSON", 0.5), ("entity", "AGE", None)]
    assert (dropped[1].start, dropped[1].end) == (18, 23)  # original offsets (the zero-width space is inside)
