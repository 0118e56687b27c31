"""Surrogates: consistent per key and patient, shape-preserving, never the original, checksums kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recognizers.base import luhn_valid
from recognizers.ids import dea_valid, mbi_valid, npi_valid, ssn_valid, vin_valid
from scrubber.keys import Key
from scrubber.surrogates import surrogate

KEY = Key(b"surrogate-test-key-0123456789abc", "argument")
OTHER = Key(b"surrogate-other-key-0123456789ab", "argument")


def test_same_key_and_patient_give_the_same_surrogate_other_key_does_not() -> None:
    assert surrogate("Anna Kowalski", "PERSON", KEY, "P1") == surrogate("Anna Kowalski", "PERSON", KEY, "P1")
    assert surrogate("Anna Kowalski", "PERSON", KEY, "P1") != surrogate("Anna Kowalski", "PERSON", OTHER, "P1")


def test_a_surname_keeps_its_surrogate_in_every_form() -> None:
    full = surrogate("KOWALSKI, ANNA M", "PERSON", KEY, "P1")
    alone = surrogate("Kowalski", "PERSON", KEY, "P1")
    assert full.split(",")[0] == alone.upper()


@pytest.mark.parametrize(
    ("value", "check"),
    [
        ("KOWALSKI, ANNA M", lambda s: s.isupper() and s.count(",") == 1 and len(s.split()) == 3),
        ("anna kowalski", lambda s: s.islower() and len(s.split()) == 2),
        ("J.S.", lambda s: re.fullmatch(r"[A-Z]\.[A-Z]\.", s) is not None),
        ("Dr. Patel", lambda s: len(s.split()) == 2),
    ],
)
def test_names_keep_their_shape_and_case(value: str, check) -> None:
    out = surrogate(value, "PERSON", KEY, "P1")
    assert out and out != value and check(out), out


@given(st.from_regex(r"\A\(?\d{3}\)?[ -]\d{3}-\d{4}\Z"))
def test_numbers_keep_their_format(value: str) -> None:
    out = surrogate(value, "PHONE_NUMBER", KEY, "P1")
    assert len(out) == len(value) and out != value
    assert [c.isdigit() for c in out] == [c.isdigit() for c in value]
    assert [c for c in out if not c.isdigit()] == [c for c in value if not c.isdigit()]


@pytest.mark.parametrize(
    ("value", "entity", "valid"),
    [
        ("4111 1111 1111 1111", "CREDIT_CARD", lambda s: luhn_valid(re.sub(r"\D", "", s))),
        ("1234567893", "LICENSE_NUMBER", npi_valid),
        ("123-45-6789", "US_SSN", ssn_valid),
        ("1M8GDM9AXKP042788", "VEHICLE_ID", lambda s: vin_valid(s.upper())),
        ("AB1234563", "LICENSE_NUMBER", dea_valid),
        ("1EG4-TE5-MK73", "HEALTH_PLAN_ID", mbi_valid),
    ],
)
def test_valid_checksums_stay_valid(value: str, entity: str, valid) -> None:
    for patient in ("P1", "P2", "P3", "P4", "P5"):
        out = surrogate(value, entity, KEY, patient)
        assert out != value and valid(out), out


def test_unknown_shape_falls_back_to_none_never_the_original() -> None:
    assert surrogate("no digits here", "US_SSN", KEY, "P1") is None


def test_engine_surrogate_preset_is_consistent_and_never_reintroduces_an_original() -> None:
    from scrubber import Record, Scrubber

    text = "Patient: KOWALSKI, ANNA M  MRN 4432189. Seen by Dr. Patel on 03/14/2024. Call 617-555-0199."
    first = Scrubber("surrogate", key=KEY)
    second = Scrubber("surrogate", key=KEY)  # another engine: same key, same patient, same output
    a = list(first.scrub_stream([Record("a", text, patient="P1")]))[0]
    b = list(second.scrub_stream([Record("b", text, patient="P1")]))[0]
    assert a.text == b.text
    originals = [text[f.start : f.end] for f in a.findings]
    assert originals and not any(o in a.text for o in originals if len(o) >= 4)
    assert "[" not in a.text  # every type here has a surrogate


def test_two_originals_in_a_document_never_share_a_surrogate() -> None:
    taken: dict[str, str] = {}
    names = ["Smith", "Patel", "Nguyen", "Garcia", "Kowalski", "Okafor", "Brown", "Lee", "Cohen", "Rossi"] * 3
    outputs = {name: surrogate(name, "PERSON", KEY, "P1", taken) for name in names}
    assert len(set(outputs.values())) == len(set(names))
    full = surrogate("John Smith", "PERSON", KEY, "P1", taken)
    assert full.split()[-1] == outputs["Smith"]  # the same surname keeps its surrogate inside a full name


def test_a_patients_documents_share_surrogates_and_date_offsets_other_patients_do_not(tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from scrubber.cli.app import app

    src = tmp_path / "notes.jsonl"
    rows = [
        {"id": "1", "patient": "P1", "text": "Mrs. Kowalski admitted 03/14/2024."},
        {"id": "2", "patient": "P1", "text": "Mrs. Kowalski discharged 03/18/2024."},
        {"id": "3", "patient": "P2", "text": "Mrs. Kowalski admitted 03/14/2024."},
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = CliRunner().invoke(
        app, ["scrub", str(src), "--id-field", "id", "--patient-field", "patient", "--policy", "surrogate", "--out", str(tmp_path / "o"), "-q"],
        env={"SCRUBBER_KEY": "patient-scope-key-0123456789abcdef"},
    )
    assert result.exit_code == 0
    out = [json.loads(line)["text"] for line in (tmp_path / "o" / "notes.jsonl").read_text().splitlines()]
    name = lambda text: text.split()[1]  # noqa: E731
    assert name(out[0]) == name(out[1]) != "Kowalski"
    import datetime as dt

    day = lambda text: dt.datetime.strptime(text.split()[-1].rstrip("."), "%m/%d/%Y").date()  # noqa: E731
    assert (day(out[1]) - day(out[0])).days == 4  # the patient's interval survives across documents
    assert out[2] != out[0]  # another patient: other surrogate and/or offset


def test_street_addresses_keep_their_form() -> None:
    out = surrogate("1842 Willow Creek Rd, Apt 4B", "STREET_ADDRESS", KEY, "P1")
    assert re.fullmatch(r"\d{4} \w+ \w+ Rd, Apt \d[A-Z]", out), out
    assert out != "1842 Willow Creek Rd, Apt 4B"


def test_a_patients_documents_in_one_run_never_share_a_surrogate_between_originals() -> None:
    from scrubber import Record, Scrubber

    scrubber = Scrubber("surrogate", key=KEY)
    surnames = ["Smith", "Patel", "Nguyen", "Garcia", "Kowalski", "Okafor", "Brown", "Cohen", "Rossi", "Lindqvist", "Haddad", "Mensah"]
    records = [Record(str(i), f"Seen by Dr. {name} today.", patient="P1") for i, name in enumerate(surnames)]
    outs = [r.text.split()[3] for r in scrubber.scrub_stream(records)]
    assert len(set(outs)) == len(surnames)
