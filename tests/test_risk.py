"""Residual risk and the pre-publication check: leak scan, quasi-identifiers, provenance, gate."""

from __future__ import annotations

import json
import math
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scrubber.cli.app import app
from scrubber.evaluate import evaluate_leak_scan, load_gold
from scrubber.risk import DocumentRisk, assess, quasi_identifiers, residual_estimate
from tests.conftest import SAMPLES, corpus

runner = CliRunner()
KEY_ENV = {"SCRUBBER_KEY": "risk-test-key-0123456789abcdef"}
FIELDS = ["--id-field", "id", "--patient-field", "patient", "--text-column", "note_text", "--id-column", "note_id"]
INPUTS = [str(SAMPLES / "notes"), str(SAMPLES / "batch.jsonl"), str(SAMPLES / "batch.csv")]
ALL_BUT_NAMES = [
    "DATE", "AGE", "LOCATION", "HOSPITAL", "STREET_ADDRESS", "ZIP_CODE", "PHONE_NUMBER", "EMAIL_ADDRESS", "URL",
    "IP_ADDRESS", "US_SSN", "MEDICAL_RECORD_NUMBER", "ACCOUNT_NUMBER", "HEALTH_PLAN_ID", "LICENSE_NUMBER",
    "VEHICLE_ID", "DEVICE_ID", "ID", "CREDIT_CARD",
]


def cli(*args: str):
    return runner.invoke(app, list(args), env=KEY_ENV, catch_exceptions=False)


def weak_policy(folder: Path, dropped: str = "PERSON") -> Path:
    """A deliberately weakened policy: one entity type is no longer scrubbed."""
    entities = [e for e in ["PERSON", *ALL_BUT_NAMES] if e != dropped]
    path = folder / f"no-{dropped.lower()}.toml"
    path.write_text(f'name = "weakened-no-{dropped.lower()}"\npreset = "tags"\nentities = {json.dumps(entities)}\nallow_weakened = ["{dropped}"]\n')
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The samples scrubbed once with the full policy and once without names."""
    base = tmp_path_factory.mktemp("risk")
    full, weak = base / "full", base / "weak"
    policy = weak_policy(base)
    assert cli("scrub", *INPUTS, "--out", str(full), "--quiet", *FIELDS).exit_code == 0
    assert cli("scrub", *INPUTS, "--out", str(weak), "--quiet", "--policy", str(policy), *FIELDS).exit_code == 0
    return {"full": full, "weak": weak, "policy": policy, "base": base}


def copy_run(runs, name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(runs[name], target)
    return target


# -- the gate on real runs ---------------------------------------------------------------------
def test_check_passes_the_full_policy_run(runs) -> None:
    result = cli("check", str(runs["full"]), "--quiet", *FIELDS)
    assert result.exit_code == 0, result.stdout
    assert "PASS" in result.stdout and "FAIL" not in result.stdout


def test_check_fails_the_weakened_run_on_leaks(runs) -> None:
    result = cli("check", str(runs["weak"]), "--policy", str(runs["policy"]), "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL leaks: \d+ likely leaks .*PERSON", result.stdout, re.M)
    assert re.search(r"^ok +policy:", result.stdout, re.M)  # provenance is fine: the policy was just weak


def test_check_without_the_policy_file_cannot_verify_a_custom_policy(runs) -> None:
    result = cli("check", str(runs["weak"]), "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL policy: .*not a preset: pass --policy", result.stdout, re.M)


def test_tampered_output_fails_with_its_reason(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    note = out / "progress_note.txt"
    note.write_text(note.read_text() + "\nadded later\n")
    result = cli("check", str(out), "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL output-digests: progress_note.txt differs", result.stdout, re.M)


def test_removed_audit_line_fails_the_chain(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    lines = (out / "audit.jsonl").read_text().splitlines(keepends=True)
    victim = next(i for i, line in enumerate(lines) if '"kind":"finding"' in line)
    (out / "audit.jsonl").write_text("".join(lines[:victim] + lines[victim + 1:]))
    result = cli("check", str(out), "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL audit-chain: .*hash chain broken", result.stdout, re.M)


def test_changed_policy_fails(runs) -> None:
    result = cli("check", str(runs["full"]), "--policy", "safe-harbor", "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL policy: the run's policy digest differs", result.stdout, re.M)


def test_unaudited_file_fails(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    (out / "extra_note.txt").write_text("Seen by the team.\n")
    result = cli("check", str(out), "--quiet", *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL unaudited-files: .*extra_note.txt", result.stdout, re.M)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("original_notes.tsv", "id\tnote\n1\tZebulon Quackenbush seen.\n"),
        ("raw.parquet", "PAR1 not really parquet"),
        (".extra.txt", "Zebulon Quackenbush seen.\n"),
        ("progress_note.txt.bak", "Zebulon Quackenbush seen.\n"),
        ("notes.md", "Zebulon Quackenbush seen.\n"),
        ("review/report.md", "Suspected leaks: Zebulon Quackenbush\n"),
        ("risk.json", '{"dataset": {}}\n'),
        (".scrubber-partial/state.json", "{}\n"),
        ("deep/er/.hidden/copy.txt", "Zebulon Quackenbush seen.\n"),
    ],
)
def test_every_unaudited_file_or_folder_fails_the_gate(runs, tmp_path, name: str, content: str) -> None:
    out = copy_run(runs, "full", tmp_path)
    (out / name).parent.mkdir(parents=True, exist_ok=True)
    (out / name).write_text(content)
    result = cli("check", str(out), "--quiet", *FIELDS)
    assert result.exit_code == 1, result.stdout
    shown = name.split("/")[0] + "/" if "/" in name else name
    assert re.search(rf"^FAIL unaudited-files: .*{re.escape(shown)}", result.stdout, re.M), result.stdout
    assert "Zebulon" not in result.stdout + result.stderr


def test_crosswalk_and_key_in_the_dataset_are_their_own_failure(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    key = cli("keygen").stdout
    (out / "crosswalk.enc").write_text("gAAAAABinvented-token-not-real\n")
    (out / "crosswalk.key").write_text(key)
    (out / "k").write_text("zebulon-quackenbush-secret-0123456789\n")  # a key file by content, not by name
    result = cli("check", str(out), "--quiet", *FIELDS)
    assert result.exit_code == 1
    line = re.search(r"^FAIL crosswalk-or-key: (.*)$", result.stdout, re.M)
    assert line, result.stdout
    assert "crosswalk.enc (crosswalk)" in line.group(1) and "crosswalk.key (crosswalk)" in line.group(1) and "k (key)" in line.group(1)
    assert key.strip() not in result.stdout + result.stderr


def test_the_card_states_the_runs_verdict(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    card = tmp_path / "card.md"
    result = cli("check", str(out), "--quiet", "--card", str(card), *FIELDS)
    assert result.exit_code == 1 and re.search(r"^FAIL dataset-card:", result.stdout, re.M)
    text = card.read_text()
    assert "PASS" not in text and "FAIL" in text and "dataset-card" in text


def test_a_card_inside_the_dataset_is_expected(runs, tmp_path) -> None:
    out = copy_run(runs, "full", tmp_path)
    result = cli("check", str(out), "--quiet", "--card", str(out / "README.md"), *FIELDS)
    assert re.search(r"^ok +unaudited-files:", result.stdout, re.M), result.stdout


def test_thresholds_come_from_flags_then_the_policy_check_section(runs, tmp_path) -> None:
    lenient = tmp_path / "lenient.toml"
    lenient.write_text(runs["policy"].read_text() + "\n[check]\nmax_leaks = 100000\nmax_risk = 1.0\n")
    # same digest? No: a [check] section is part of the policy, so declaring it must fail provenance
    result = cli("check", str(runs["weak"]), "--policy", str(lenient), "--quiet", *FIELDS)
    assert re.search(r"^FAIL policy:", result.stdout, re.M)
    assert re.search(r"^ok +leaks: .*allowed 100000", result.stdout, re.M)
    # flags override the policy's thresholds
    result = cli("check", str(runs["weak"]), "--policy", str(lenient), "--max-leaks", "0", "--quiet", *FIELDS)
    assert re.search(r"^FAIL leaks: .*allowed 0$", result.stdout, re.M)
    result = cli("check", str(runs["full"]), "--min-k", "3", "--quiet", *FIELDS)
    assert result.exit_code == 1 and re.search(r"^FAIL k-anonymity: k-anonymity 1 ", result.stdout, re.M)


# -- the leak scan ----------------------------------------------------------------------------------
def _gold_positions(runs, name: str) -> dict[str, list[tuple[int, int, str]]]:
    """Known leaks of a run: gold spans left in its output, per output record (via the evaluator)."""
    from scrubber.audit import read_audit
    from scrubber.evaluate import residual_gold
    from scrubber.values import Finding

    findings: dict[str, list[Finding]] = {}
    for line in read_audit(runs[name] / "audit.jsonl"):
        if line["kind"] == "document":
            findings.setdefault(line["doc"], [])
        if line["kind"] == "finding":
            findings.setdefault(line["doc"], []).append(
                Finding(line["start"], line["end"], line["entity_type"], line["score"], line["recognizer"],
                        out_start=line["out_start"], out_end=line["out_end"])
            )
    gold = {d.id: d for d in load_gold(SAMPLES / "gold.jsonl")}

    def gold_id(doc: str) -> str:
        if doc.endswith(".txt"):
            return f"notes/{doc}"
        return f"batch.jsonl#{doc}" if doc.startswith("enc-") else f"batch.csv#{doc}"

    return {doc: residual_gold(gold[gold_id(doc)], found) for doc, found in findings.items()}


def test_leak_scan_points_at_the_documents_and_spans_the_weak_policy_left(runs) -> None:
    result = assess([runs["weak"]], options=_options())
    known = _gold_positions(runs, "weak")
    leaky_docs = {doc for doc, spans in known.items() if spans}
    flagged = {d.doc for d in result.documents if any(l.confidence >= 0.5 for l in d.leaks)}
    assert leaky_docs, "the weakened policy must leave gold PHI"
    assert len(leaky_docs & flagged) / len(leaky_docs) >= 0.95
    spans = [(doc, s, e) for doc, left in known.items() for s, e, _ in left]
    leaks = {d.doc: d.leaks for d in result.documents}
    hit = sum(1 for doc, s, e in spans if any(l.start < e and s < l.end for l in leaks.get(doc, [])))
    assert hit / len(spans) >= 0.9


def test_leak_scan_measured_by_evaluate_on_the_samples(scrubber, tmp_path) -> None:
    from scrubber.engine import Scrubber
    from scrubber.policy import load_policy
    from scrubber.risk import default_scanner

    docs = list(load_gold(SAMPLES / "gold.jsonl"))
    full = evaluate_leak_scan(scrubber, default_scanner(), docs)
    assert full["false_alarms"] <= 2
    weak = evaluate_leak_scan(Scrubber(load_policy(weak_policy(tmp_path)), key=b"test-key-0123456789abcdef"), default_scanner(), docs)
    assert weak["known_leaks"] > 100
    assert weak["recall"] >= 0.93 and weak["per_type_recall"]["PERSON"] >= 0.98


@pytest.mark.slow
@pytest.mark.corpus
def test_leak_scan_on_physionet_weakened_outputs() -> None:
    """Measured figures (docs/publishing.md, "How good is the leak scan?"): floors, like the accuracy floors."""
    from scrubber.engine import Scrubber
    from scrubber.policy import policy_from_dict
    from scrubber.risk import default_scanner

    path = corpus("physionet-deid-nursing/dev.jsonl")
    docs = list(load_gold(path, limit=300))
    key = b"test-key-0123456789abcdef"
    no_names = Scrubber(policy_from_dict({"preset": "tags", "entities": ALL_BUT_NAMES, "allow_weakened": ["PERSON"]}, source="no-names"), key=key)
    figures = evaluate_leak_scan(no_names, default_scanner(), docs)
    assert figures["per_type_recall"]["PERSON"] >= 0.94  # measured 0.956
    assert figures["document_recall"] >= 0.75  # measured 0.784 (documents whose only leak is a LOCATION go unflagged)
    no_dates = Scrubber(policy_from_dict({"preset": "tags", "entities": ["PERSON", *(e for e in ALL_BUT_NAMES if e != "DATE")], "allow_weakened": ["DATE"]}, source="no-dates"), key=key)
    figures = evaluate_leak_scan(no_dates, default_scanner(), docs)
    assert figures["per_type_recall"]["DATE"] >= 0.97  # measured 0.987


def test_no_leak_text_in_the_json_unless_asked(runs, tmp_path) -> None:
    gold_texts = {s["text"] for line in (SAMPLES / "gold.jsonl").read_text().splitlines() if line
                  for s in json.loads(line)["spans"] if s["label"] in ("PERSON", "NAME", "PATIENT", "DOCTOR") or len(s["text"]) > 5}
    hidden = tmp_path / "risk.json"
    assert cli("risk", str(runs["weak"]), "--json", str(hidden), "--quiet", *FIELDS).exit_code == 0
    shown = tmp_path / "risk-text.json"
    assert cli("risk", str(runs["weak"]), "--json", str(shown), "--show-text", "--quiet", *FIELDS).exit_code == 0
    hidden_data = json.loads(hidden.read_text())
    assert hidden_data["dataset"]["leaks"]["likely"] > 0
    assert all("text" not in l for d in hidden_data["documents"] for l in d["leaks"])
    blob = hidden.read_text()
    assert not [t for t in gold_texts if len(t) > 3 and re.search(rf"(?<!\w){re.escape(t)}(?!\w)", blob)]
    texts = [l["text"] for d in json.loads(shown.read_text())["documents"] for l in d["leaks"]]
    assert any(t in gold_texts for t in texts)


def _options():
    from scrubber.io.readers import ReadOptions

    return ReadOptions(id_field="id", patient_field="patient", text_column="note_text", id_column="note_id")


# -- quasi-identifiers and k-anonymity ------------------------------------------------------------------
def test_quasi_identifiers_are_generalised() -> None:
    qi = quasi_identifiers("72-year-old white male, retired firefighter from Dayton, OH 454. Seen in 2019 and 2021.")
    assert qi["age"] == "70-79" and qi["sex"] == "M" and qi["state"] == "OH" and qi["zip3"] == "454"
    assert qi["ethnicity"] == "white" and qi["occupation"] == "firefighter" and qi["year"] == 2019 and qi["years"] == [2019, 2021]
    assert quasi_identifiers("[AGE] yo F, 90+")["age"] == "90+"
    assert "state" not in quasi_identifiers("Give 2 mg IN the morning OR at night.")
    assert "ethnicity" not in quasi_identifiers("White count 12, black stools.")
    assert quasi_identifiers("Hit by lightning while fishing.")["rare"] == "lightning"


def test_k_anonymity_prosecutor_and_average_risk_as_arx_defines_them(tmp_path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    # 3 documents share (70-79, M); 2 share (40-49, F): classes of 3 and 2 over 5 records.
    for i, text in enumerate(["71 yo male.", "75 year old man.", "He is 78 y/o.", "44 yo female.", "She is 41 years old."]):
        (notes / f"n{i}.txt").write_text(text)
    result = assess([notes], qi_fields=("age", "sex"), k=3)
    assert sorted(result.classes.values()) == [2, 3]
    assert result.k_anonymity == 2
    assert result.share_below_k == pytest.approx(2 / 5)
    assert result.prosecutor_risk == pytest.approx(1 / 2)
    assert result.average_risk == pytest.approx(2 / 5)
    assert {d.doc: d.class_size for d in result.documents}["n0.txt"] == 3


def test_residual_estimate_is_the_ratio_estimator() -> None:
    docs = [DocumentRisk("a", "x", 0, 10, findings=Counter({"PERSON": 9, "DATE": 4})), DocumentRisk("b", "x", 1, 10, findings=Counter({"PERSON": 9}))]
    estimate = residual_estimate(docs, {"PERSON": 0.9, "DATE": 0.8, "_all": 0.9})
    # PERSON: 18 found at recall 0.9 -> 20 expected, 2 missed; DATE: 4 at 0.8 -> 5 expected, 1 missed
    assert estimate["per_type"]["PERSON"]["expected_missed"] == pytest.approx(2.0)
    assert estimate["per_type"]["DATE"]["expected_missed"] == pytest.approx(1.0)
    assert estimate["per_1000_documents"] == pytest.approx(1500.0)
    assert docs[0].expected_missed == pytest.approx(1.0 + 1.0)
    assert docs[0].score == pytest.approx(1 - math.exp(-2.0))  # no suspected leaks: the residual alone


def test_library_and_cli_agree(runs, tmp_path) -> None:
    target = tmp_path / "risk.json"
    assert cli("risk", str(runs["full"]), "--json", str(target), "--quiet", *FIELDS).exit_code == 0
    from_cli = json.loads(target.read_text())
    from_library = assess([runs["full"]], options=_options()).to_dict()
    assert from_cli["dataset"] == from_library["dataset"]
    assert [d["leaks"] for d in from_cli["documents"]] == [d["leaks"] for d in from_library["documents"]]


def test_check_reports_usage_errors_with_exit_2(tmp_path) -> None:
    assert cli("check", str(tmp_path / "missing")).exit_code == 2
    (tmp_path / "empty").mkdir()
    result = cli("check", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "E503" in result.stderr


def test_report_and_card_from_the_cli_and_the_card_gate(runs, tmp_path) -> None:
    card = tmp_path / "card.md"
    result = cli("check", str(runs["full"]), "--quiet", "--report", str(tmp_path / "report"), "--card", str(card), *FIELDS)
    assert result.exit_code == 1
    assert re.search(r"^FAIL dataset-card: publisher fields still blank .*license.*contact", result.stdout, re.M)
    html = (tmp_path / "report" / "report.html").read_text()
    assert "FAIL" in html and "dataset-card" in html and (tmp_path / "report" / "report.md").is_file()
    # the publisher fills in every field: the same check passes, and the card keeps the text
    text = card.read_text()
    text = re.sub(r"^license: TODO.*$", "license: cc-by-nc-4.0", text, flags=re.M)
    text = re.sub(r"(<!-- PUBLISHER:(\w+)[^\n]*-->\n)TODO[^\n]*", lambda m: f"{m.group(1)}Filled in for {m.group(2)}.", text)
    card.write_text(text)
    result = cli("check", str(runs["full"]), "--quiet", "--card", str(card), *FIELDS)
    assert result.exit_code == 0, result.stdout
    assert "Filled in for contact." in card.read_text()


def test_leak_figures_say_they_are_a_lower_bound(runs, tmp_path) -> None:
    card, report, as_json = tmp_path / "card.md", tmp_path / "report", tmp_path / "check.json"
    result = cli("check", str(runs["full"]), "--quiet", "--card", str(card), "--report", str(report), "--json", str(as_json), *FIELDS)
    assert re.search(r"^ok +leaks: .*lower bound", result.stdout, re.M) and re.search(r"^ok +risk: .*lower bound without --evaluation", result.stdout, re.M)
    assert "leak counts are a lower bound" in result.stdout
    data = json.loads(as_json.read_text())["dataset"]
    assert data["leaks"]["lower_bound"] is True and "lower bound" in data["leaks"]["note"] and data["score_is_lower_bound"] is True
    for path in (card, report / "report.md", report / "report.html"):
        assert "Likely leaks (lower bound)" in path.read_text() and "Dataset risk score (lower bound)" in path.read_text(), path


# -- the run record's read options (issue 14): check and risk need no field options again ------------------
@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    """The JSONL and CSV samples with non-default field and column names, scrubbed with those names."""
    import csv

    base = tmp_path_factory.mktemp("renamed")
    rows = [json.loads(line) for line in (SAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines() if line]
    jsonl = base / "in" / "notes.jsonl"
    jsonl.parent.mkdir()
    jsonl.write_text("".join(json.dumps({"doc": r["id"], "pt": r["patient"], "note": r["text"]}) + "\n" for r in rows), encoding="utf-8")
    with (SAMPLES / "batch.csv").open(newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))[:6]
    csv_in = base / "in" / "notes.csv"
    with csv_in.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["body", "key"])
        writer.writerows([r["note_text"], r["note_id"]] for r in table)
    out = {"jsonl": base / "jsonl", "csv": base / "csv"}
    assert cli("scrub", str(jsonl), "--out", str(out["jsonl"]), "--quiet", "--text-field", "note", "--id-field", "doc", "--patient-field", "pt").exit_code == 0
    assert cli("scrub", str(csv_in), "--out", str(out["csv"]), "--quiet", "--text-column", "body", "--id-column", "key").exit_code == 0
    return out


def _run_record(folder: Path) -> dict:
    return json.loads((folder / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])


def test_the_run_record_names_the_read_options(renamed) -> None:
    run = _run_record(renamed["jsonl"])
    assert run["schema"] == 3
    assert run["read_options"] == {"text_field": "note", "id_field": "doc", "patient_field": "pt",
                                   "text_column": "text", "id_column": None, "patient_column": None}
    assert _run_record(renamed["csv"])["read_options"]["text_column"] == "body"


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_check_reads_the_field_options_from_the_run_record(renamed, kind: str, tmp_path) -> None:
    as_json = tmp_path / "check.json"
    result = cli("check", str(renamed[kind]), "--quiet", "--json", str(as_json))
    assert result.exit_code == 0, result.stdout
    assert "PASS" in result.stdout and "note:" not in result.stderr
    data, run = json.loads(as_json.read_text()), _run_record(renamed[kind])
    # every written record was read as text (an unreadable one would be an UNREADABLE leak and fail the gate)
    assert data["dataset"]["documents"] == run["documents"]["written"] >= 5
    assert "UNREADABLE" not in data["dataset"]["leaks"]["by_type"] and data["dataset"]["characters"] > 1000
    assert data["read_options"] == run["read_options"]


def test_risk_groups_per_patient_with_the_run_records_patient_field(renamed, tmp_path) -> None:
    as_json = tmp_path / "risk.json"
    assert cli("risk", str(renamed["jsonl"]), "--quiet", "--json", str(as_json)).exit_code == 0
    data = json.loads(as_json.read_text())
    assert data["dataset"]["quasi_identifiers"]["unit"] == "patient"
    assert all(d["patient_scoped"] for d in data["documents"])


def test_an_option_that_differs_from_the_run_record_wins_with_a_note(renamed) -> None:
    # explicit options win (documented): the outputs have no "body" field, so no record can be read
    result = cli("check", str(renamed["jsonl"]), "--quiet", "--text-field", "body")
    assert "note: --text-field 'body' differs from the run record's 'note'" in result.stderr
    assert result.exit_code == 1
    assert re.search(r"^FAIL leaks: .*UNREADABLE 6", result.stdout, re.M)
    # the same value as the run record's is no conflict
    same = cli("check", str(renamed["jsonl"]), "--quiet", "--text-field", "note", "--id-field", "doc")
    assert same.exit_code == 0 and "note:" not in same.stderr


def _without_read_options(folder: Path, target: Path) -> Path:
    """A copy of a run whose audit log is re-chained without ``read_options``, as schema 2 wrote it."""
    from scrubber.audit import GENESIS, chain_hash

    shutil.copytree(folder, target)
    previous, lines = GENESIS, []
    for line in (folder / "audit.jsonl").read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        obj.pop("chain")
        if obj["kind"] == "run":
            obj.pop("read_options")
            obj["schema"] = 2
        previous = chain_hash(previous, obj)
        lines.append(json.dumps({**obj, "chain": previous}, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    (target / "audit.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def test_an_older_audit_log_keeps_todays_defaults(renamed, tmp_path) -> None:
    old = _without_read_options(renamed["jsonl"], tmp_path / "old")
    assert "read_options" not in _run_record(old)
    # without the options the outputs are read with the defaults ("text"), which they lack: the gate fails
    result = cli("check", str(old), "--quiet")
    assert result.exit_code == 1 and re.search(r"^FAIL leaks: .*UNREADABLE 6", result.stdout, re.M)
    # given again, as before, the old log passes: its chain still verifies
    result = cli("check", str(old), "--quiet", "--text-field", "note", "--id-field", "doc", "--patient-field", "pt")
    assert result.exit_code == 0, result.stdout
    assert "note:" not in result.stderr


# -- the library check() ---------------------------------------------------------------------------------
def test_library_check_passes_the_full_run_and_writes_report_and_card(runs, tmp_path) -> None:
    from scrubber.risk import CheckResult, check

    result = check(runs["full"], report=tmp_path / "report", card=tmp_path / "card.md")
    assert isinstance(result, CheckResult)
    # everything passes but the card, whose publisher fields are still blank
    assert not result.passed
    assert [c.name for c in result.checks if not c.passed] == ["dataset-card"]
    assert result.reasons[0].startswith("dataset-card: publisher fields still blank")
    assert result.report == (tmp_path / "report" / "report.html", tmp_path / "report" / "report.md")
    assert all(p.is_file() for p in result.report) and result.card == tmp_path / "card.md" and result.card.is_file()
    assert result.data["check"]["passed"] is False and len(result.data["check"]["checks"]) == len(result.checks)
    assert result.assessment is not None and result.assessment.to_dict()["dataset"] == result.data["dataset"]


def test_library_check_fails_the_weakened_run_with_its_reasons(runs) -> None:
    import scrubber

    result = scrubber.check(runs["weak"], policy=runs["policy"])  # the package re-exports scrubber.risk.check
    assert not result.passed
    assert any(r.startswith("leaks: ") and "PERSON" in r for r in result.reasons)
    assert "policy" not in [c.name for c in result.checks if not c.passed]  # the declared policy is the run's


def test_library_and_cli_check_agree(runs, tmp_path) -> None:
    from scrubber.risk import check

    as_json = tmp_path / "check.json"
    assert cli("check", str(runs["full"]), "--quiet", "--json", str(as_json), "--min-k", "1").exit_code == 0
    from_cli = json.loads(as_json.read_text())
    result = check(runs["full"], min_k=1)
    assert result.passed
    assert from_cli["check"] == result.data["check"] and from_cli["dataset"] == result.data["dataset"]


def test_library_check_reports_a_broken_chain_as_a_failed_check(runs, tmp_path) -> None:
    from scrubber.errors import ScrubberError
    from scrubber.risk import check

    dataset = copy_run(runs, "full", tmp_path)
    lines = (dataset / "audit.jsonl").read_text().splitlines(keepends=True)
    (dataset / "audit.jsonl").write_text("".join(lines[:2] + lines[3:]))
    result = check(dataset)
    assert not result.passed and result.assessment is None
    assert [c.name for c in result.checks] == ["audit-chain"] and "E501" in result.reasons[0]
    with pytest.raises(ScrubberError) as raised:
        check(tmp_path / "missing")
    assert raised.value.code == "E201"


def test_review_reads_the_field_options_from_the_run_record(renamed, tmp_path) -> None:
    from scrubber import review as rv
    from scrubber.io.readers import ReadOptions

    sample = rv.create_sample(renamed["jsonl"], tmp_path / "review", 3, seed=1)  # no options: the run record's
    assert sample.options["text_field"] == "note" and sample.options["id_field"] == "doc"
    rows = rv.dataset_documents(renamed["jsonl"], renamed["jsonl"] / "audit.jsonl", ReadOptions(**sample.options))
    assert len(rows) >= 5 and all(row[4] for row in rows)  # every record read with its text
    assert {d.doc for d in sample.documents} <= {row[0] for row in rows}


def test_review_names_an_option_that_differs_from_the_run_record(renamed, capsys) -> None:
    from scrubber.cli.review import _read_options

    options = _read_options(renamed["jsonl"], {"text_field": "body", "id_field": None})
    assert options.text_field == "body" and options.id_field == "doc"  # given wins; the rest from the run record
    assert "differs from the run record's 'note'" in capsys.readouterr().err
