"""The opt-in crosswalk: encrypted, round-trips, refuses wrong keys and edited outputs; keys never leak."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scrubber.cli.app import app
from tests.conftest import SAMPLES

runner = CliRunner()
KEY = "crosswalk-test-surrogate-key-0123456789"


def _scrub(tmp_path, *extra):
    keyfile = tmp_path / "cw.key"
    keyfile.write_text(runner.invoke(app, ["keygen"]).stdout)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["scrub", str(SAMPLES / "batch.jsonl"), "--id-field", "id", "--patient-field", "patient", "--policy", "surrogate",
         "--out", str(out), "--quiet", *extra, "--crosswalk", str(tmp_path / "crosswalk.enc"), "--crosswalk-key-file", str(keyfile)],
        env={"SCRUBBER_KEY": KEY},
    )
    return out, keyfile, result


def test_round_trip_restores_the_original_exactly(tmp_path) -> None:
    out, keyfile, result = _scrub(tmp_path)
    assert result.exit_code == 0, result.stderr
    restored = tmp_path / "restored"
    back = runner.invoke(app, ["reidentify", str(out / "batch.jsonl"), "--id-field", "id", "--crosswalk", str(tmp_path / "crosswalk.enc"),
                               "--crosswalk-key-file", str(keyfile), "--out", str(restored)])
    assert back.exit_code == 0, back.stderr
    assert (restored / "batch.jsonl").read_text() == "".join(
        json.dumps(json.loads(line), ensure_ascii=False) + "\n" for line in (SAMPLES / "batch.jsonl").read_text().splitlines() if line
    )


def test_crosswalk_is_encrypted_and_keys_never_leak(tmp_path, gold_samples) -> None:
    out, keyfile, result = _scrub(tmp_path)
    blob = (tmp_path / "crosswalk.enc").read_bytes()
    batch_gold = [d for d in gold_samples if d["id"].startswith("batch.jsonl#")]
    assert not any(span["text"].encode() in blob for d in batch_gold for span in d["spans"] if len(span["text"]) >= 4)
    everything = b"".join(p.read_bytes() for p in out.iterdir() if p.name != "crosswalk.enc") + result.stderr.encode()
    assert KEY.encode() not in everything and keyfile.read_bytes().strip() not in everything + blob


def test_wrong_key_and_edited_output_fail_cleanly(tmp_path) -> None:
    out, keyfile, _ = _scrub(tmp_path)
    wrong = tmp_path / "wrong.key"
    wrong.write_text(runner.invoke(app, ["keygen"]).stdout)
    bad_key = runner.invoke(app, ["reidentify", str(out / "batch.jsonl"), "--id-field", "id", "--crosswalk", str(tmp_path / "crosswalk.enc"),
                                  "--crosswalk-key-file", str(wrong), "--out", str(tmp_path / "r1")])
    assert bad_key.exit_code == 2 and "E224" in bad_key.stderr and not (tmp_path / "r1" / "batch.jsonl").exists()
    edited = out / "batch.jsonl"
    lines = edited.read_text().splitlines()
    first = json.loads(lines[0])
    first["text"] = "X" + first["text"]
    edited.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n")
    bad_text = runner.invoke(app, ["reidentify", str(edited), "--id-field", "id", "--crosswalk", str(tmp_path / "crosswalk.enc"),
                                   "--crosswalk-key-file", str(keyfile), "--out", str(tmp_path / "r2")])
    assert bad_text.exit_code == 2 and "E225" in bad_text.stderr and not (tmp_path / "r2" / "batch.jsonl").exists()


def test_without_the_option_nothing_reversible_is_written(tmp_path, scrubber) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["scrub", str(SAMPLES / "batch.jsonl"), "--out", str(out), "--quiet"], env={"SCRUBBER_KEY": KEY})
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["audit.jsonl", "batch.jsonl"]
    assert scrubber.scrub("Seen by Dr. Patel.").reversal == ()


def test_crosswalk_without_a_key_is_a_usage_error(tmp_path) -> None:
    result = runner.invoke(app, ["scrub", str(SAMPLES / "batch.jsonl"), "--out", str(tmp_path / "o"), "--crosswalk", str(tmp_path / "c.enc")],
                           env={"SCRUBBER_KEY": KEY, "SCRUBBER_CROSSWALK_KEY": ""})
    assert result.exit_code == 2 and "E222" in result.stderr


def _tags_run(tmp_path, files: dict[str, list[dict]], *extra: str, name: str = "out"):
    """Scrub invented JSONL files with the tags policy and a crosswalk kept outside the output folder."""
    keyfile = tmp_path / "cw.key"
    if not keyfile.exists():
        keyfile.write_text(runner.invoke(app, ["keygen"]).stdout)
    paths = []
    for file_name, records in files.items():
        path = tmp_path / name / "in" / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        paths.append(str(path))
    out = tmp_path / name / "out"
    result = runner.invoke(app, ["scrub", *paths, "--id-field", "id", "--out", str(out), "--quiet", *extra,
                                 "--crosswalk-key-file", str(keyfile)], env={"SCRUBBER_KEY": KEY})
    return out, keyfile, result


CANARY_A = {"id": "7", "text": "Patient Zebulon Quackenbush was seen today."}
CANARY_B = {"id": "7", "text": "Patient Ignatius Fairweather was seen yesterday."}


def test_duplicate_ids_in_one_file_are_refused_when_a_crosswalk_is_written(tmp_path) -> None:
    crosswalk = tmp_path / "crosswalk.enc"
    out, _, result = _tags_run(tmp_path, {"a.jsonl": [CANARY_A, CANARY_B]}, "--crosswalk", str(crosswalk))
    assert result.exit_code == 2 and "E228" in result.stderr, result.stderr
    assert not crosswalk.exists()
    assert "Zebulon" not in result.stderr + result.stdout and "Ignatius" not in result.stderr + result.stdout


def test_duplicate_ids_across_two_files_are_refused_when_a_crosswalk_is_written(tmp_path) -> None:
    crosswalk = tmp_path / "crosswalk.enc"
    _, _, result = _tags_run(tmp_path, {"a.jsonl": [CANARY_A], "b.jsonl": [CANARY_B]}, "--crosswalk", str(crosswalk))
    assert result.exit_code == 2 and "E228" in result.stderr, result.stderr
    assert not crosswalk.exists()


def test_duplicate_ids_without_a_crosswalk_still_scrub(tmp_path) -> None:
    out, _, result = _tags_run(tmp_path, {"a.jsonl": [CANARY_A, CANARY_B]})
    assert result.exit_code == 0, result.stderr
    assert "Zebulon" not in (out / "a.jsonl").read_text()


def test_reidentify_refuses_a_record_the_entry_was_not_made_for(tmp_path) -> None:
    """Same id, same replacement offsets, different record: the other patient's name must not go in."""
    crosswalk = tmp_path / "crosswalk.enc"
    out_a, keyfile, first = _tags_run(tmp_path, {"a.jsonl": [CANARY_A]}, "--crosswalk", str(crosswalk), name="run1")
    assert first.exit_code == 0, first.stderr
    out_b, _, second = _tags_run(tmp_path, {"a.jsonl": [CANARY_B]}, name="run2")
    assert second.exit_code == 0, second.stderr
    restored = tmp_path / "restored"
    back = runner.invoke(app, ["reidentify", str(out_b / "a.jsonl"), "--id-field", "id", "--crosswalk", str(crosswalk),
                               "--crosswalk-key-file", str(keyfile), "--out", str(restored)])
    assert back.exit_code == 2 and "E229" in back.stderr, back.stderr
    assert not (restored / "a.jsonl").exists()
    assert "Zebulon" not in back.stderr + back.stdout
    # the record it was made for is restored
    ok = runner.invoke(app, ["reidentify", str(out_a / "a.jsonl"), "--id-field", "id", "--crosswalk", str(crosswalk),
                             "--crosswalk-key-file", str(keyfile), "--out", str(restored)])
    assert ok.exit_code == 0 and "Zebulon Quackenbush" in (restored / "a.jsonl").read_text()


def test_reidentify_refuses_a_repeated_id(tmp_path) -> None:
    crosswalk = tmp_path / "crosswalk.enc"
    out, keyfile, result = _tags_run(tmp_path, {"a.jsonl": [CANARY_A]}, "--crosswalk", str(crosswalk))
    assert result.exit_code == 0, result.stderr
    line = (out / "a.jsonl").read_text()
    doubled = tmp_path / "doubled.jsonl"
    doubled.write_text(line + line)
    back = runner.invoke(app, ["reidentify", str(doubled), "--id-field", "id", "--crosswalk", str(crosswalk),
                               "--crosswalk-key-file", str(keyfile), "--out", str(tmp_path / "r")])
    assert back.exit_code == 2 and "E228" in back.stderr and not (tmp_path / "r" / "doubled.jsonl").exists()
