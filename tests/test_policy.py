"""Policies: presets, strict policy files, Safe Harbor transforms, keyed hashing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from scrubber.cli.app import app
from scrubber.keys import Key
from scrubber.operators import RESTRICTED_ZIP3, keyed_hash, year_of, zip3
from scrubber.policy import PRESETS, OperatorSpec, Policy, PolicyError, load_policy, policy_from_dict, resolve_policy

NOTE = "Pt John Smith, MRN 4432189, seen 03/14/2024 and 7/22. A 94 y/o woman, aged 89 sister. Boston, MA 02118."
KEY = b"policy-test-key-0123456789abcdef"


# -- Safe Harbor transforms (pure functions) ----------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(RESTRICTED_ZIP3))
def test_every_restricted_zip3_becomes_000(prefix: str) -> None:
    assert zip3(prefix + "17") == "000"
    assert zip3(prefix + "17-1234") == "000"


@given(st.integers(min_value=0, max_value=99999).map(lambda n: f"{n:05d}"))
def test_zip3_keeps_three_digits_or_000(zip_code: str) -> None:
    out = zip3(zip_code)
    assert out == ("000" if zip_code[:3] in RESTRICTED_ZIP3 else zip_code[:3])


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2099, 12, 31)))
def test_year_of_every_numeric_date_is_its_year(day) -> None:
    assert year_of(day.strftime("%m/%d/%Y")) == str(day.year)
    assert year_of(day.isoformat()) == str(day.year)
    assert year_of(day.strftime("%d-%b-%Y")) == str(day.year)
    assert year_of(day.strftime("%B %d, %Y")) == str(day.year)


@pytest.mark.parametrize(("value", "year"), [("7/22/19", "2019"), ("12/5/84", "1984"), ("Jul '19", "2019"), ("7/22", None), ("July 22nd", None)])
def test_year_of_two_digit_and_missing_years(value: str, year: str | None) -> None:
    assert year_of(value) == year


def test_keyed_hash_is_consistent_per_key_and_unlinkable_across_keys() -> None:
    a, b = Key(KEY, "argument"), Key(b"another-key-0123456789abcdef", "argument")
    assert keyed_hash("John Smith", "PERSON", a, 16) == keyed_hash("john  smith", "PERSON", a, 16)
    assert keyed_hash("John Smith", "PERSON", a, 16) != keyed_hash("John Smith", "PERSON", b, 16)
    assert keyed_hash("John Smith", "PERSON", a, 16).startswith("PERSON_")


# -- presets through the engine ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def engines():
    from scrubber import Scrubber

    return {name: Scrubber(name, key=KEY) for name in PRESETS}


def test_safe_harbor_preset(engines) -> None:
    out = engines["safe-harbor"].scrub(NOTE).text
    assert "2024" in out and "03/14" not in out  # a date becomes its year
    assert "[DATE]" in out  # a date without a year is removed
    assert "90+" in out and "94" not in out  # ages of 90 and over
    assert "aged 89" in out  # under 90 is not PHI
    assert "021" in out and "02118" not in out  # ZIP to three digits
    assert "John" not in out and "4432189" not in out and "Boston" not in out


def test_redact_mask_hash_presets(engines) -> None:
    redact = engines["redact"].scrub(NOTE).text
    assert "John" not in redact and "[" not in redact
    masked = engines["mask"].scrub("Seen by Dr. Patel.")
    assert masked.text == "Seen by Dr. *****."
    hashed = engines["hash"].scrub("Seen by Dr. Patel. Dr. Patel agreed.").text
    tokens = [t for t in hashed.split() if t.startswith("PERSON_")]
    assert len(tokens) == 2 and tokens[0].rstrip(".") == tokens[1].rstrip(".")


def test_findings_record_the_operator(engines) -> None:
    findings = engines["safe-harbor"].scrub(NOTE).findings
    ops = {f.entity_type: f.operator for f in findings}
    assert ops["DATE"] == "year" and ops["AGE"] == "age90" and ops["PERSON"] == "tag"


# -- policy files -----------------------------------------------------------------------------------


def test_preset_round_trips_through_toml(tmp_path) -> None:
    for name, preset in PRESETS.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(preset.to_toml())
        assert load_policy(path).digest == preset.digest


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("bogus = 1\n", "E216"),
        ("[operators]\nFOO = 'tag'\n", "E210"),
        ("entities = [['PERSON']]\n", "E210"),  # not a name (was a TypeError)
        ("[operators]\nPERSON = 'shuffle'\n", "E211"),
        ("[operators]\nPERSON = { name = 'mask', char = '**' }\n", "E217"),
        ("[operators]\nPERSON = { name = 'hash', salt = 'x' }\n", "E217"),
        ("[thresholds]\nPERSON = 1.5\n", "E212"),
        ("preset = 'nope'\n", "E213"),
        ("name = \n", "E215"),
        ("disable_recognizers = ['nope']\n", "E218"),
    ],
)
def test_bad_policy_files_fail_with_their_code(tmp_path, text: str, code: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=code):
        load_policy(path)


def test_missing_policy_file_is_an_error_not_a_default(tmp_path) -> None:
    with pytest.raises(PolicyError, match="E214"):
        resolve_policy(tmp_path / "absent.toml")


def test_policy_file_can_extend_a_preset_and_disable_recognizers(tmp_path) -> None:
    policy = policy_from_dict({"preset": "safe-harbor", "operators": {"PERSON": {"name": "mask", "char": "#"}}, "disable_recognizers": ["year"]})
    assert policy.operator_for("DATE") == OperatorSpec("year")
    assert policy.operator_for("PERSON") == OperatorSpec("mask", {"char": "#"})
    assert "year" not in policy.recognizers and "date" in policy.recognizers


def test_digest_changes_with_behaviour() -> None:
    assert Policy(name="a").digest != Policy(name="a", default_threshold=0.6).digest


def test_policy_cli_show_and_check(tmp_path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["policy", "show", "safe-harbor"])
    assert shown.exit_code == 0 and 'DATE = "year"' in shown.stdout
    path = tmp_path / "p.toml"
    path.write_text(shown.stdout)
    checked = runner.invoke(app, ["policy", "check", str(path)])
    assert checked.exit_code == 0 and PRESETS["safe-harbor"].digest in checked.stdout
    path.write_text("[operators]\nNOPE = 'tag'\n")
    bad = runner.invoke(app, ["policy", "check", str(path)])
    assert bad.exit_code == 2 and "E210" in bad.stderr
    assert runner.invoke(app, ["policy", "show", "nope"]).exit_code == 2


@pytest.mark.parametrize(
    ("text", "weakened"),
    [
        ("entities = []\n", "PERSON"),
        ("default_threshold = 1.0\n", "DATE"),
        ("[thresholds]\nPERSON = 0.95\n", "PERSON"),
        ('entities = ["PERSON"]\n', "MEDICAL_RECORD_NUMBER"),
        ('disable_recognizers = ["date", "year", "presidio_date"]\n', "DATE"),
    ],
)
def test_policy_that_leaves_identifiers_in_needs_a_named_opt_in(tmp_path, text: str, weakened: str) -> None:
    path = tmp_path / "weak.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match="E239") as caught:
        load_policy(path)
    assert weakened in str(caught.value) and "allow_weakened" in str(caught.value)
    # naming every weakened type (here: all of them) makes it a deliberate, visible choice
    path.write_text('allow_weakened = ["ALL"]\n' + text)  # top-level keys go before any table
    policy = load_policy(path)
    assert weakened in policy.weakened()
    # naming only another type is not enough
    path.write_text('allow_weakened = ["AGE"]\n' + text)
    with pytest.raises(PolicyError, match="E239"):
        load_policy(path)


def test_presets_and_ordinary_tuning_are_not_weakened(tmp_path) -> None:
    for preset in PRESETS.values():
        assert preset.weakened() == {}
    assert policy_from_dict({"thresholds": {"PERSON": 0.7}, "disable_recognizers": ["year"]}).weakened() == {}


def test_opt_in_is_part_of_the_digest_and_round_trips(tmp_path) -> None:
    policy = policy_from_dict({"entities": [e for e in PRESETS["tags"].entities if e != "AGE"], "allow_weakened": ["AGE"]})
    assert policy.digest != policy_from_dict({"entities": list(policy.entities), "allow_weakened": ["ALL"]}).digest
    path = tmp_path / "p.toml"
    path.write_text(policy.to_toml())
    assert load_policy(path).digest == policy.digest


def test_policy_check_cli_reports_weakened_policies(tmp_path) -> None:
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    path = tmp_path / "p.toml"
    path.write_text("entities = []\n")
    result = CliRunner().invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 2 and "E239" in result.output
    path.write_text('entities = []\nallow_weakened = ["ALL"]\n')
    result = CliRunner().invoke(app, ["policy", "check", str(path)])
    assert result.exit_code == 0 and "weakened (allowed by allow_weakened): PERSON: not in entities" in result.output


# -- Presidio's vocabulary: entity names and operator configs --------------------------------------

# The presets' digests before Presidio's names were accepted: aliases must not change them.
PRESET_DIGESTS = {
    "tags": "sha256:f79366841d66ced8dc5b2705427170cdafd4e5aa8c686e78ae54e22d3f879a96",
    "safe-harbor": "sha256:7909618beff51e626d5315748ee28076d8026d0e6d44ae37aee728b09e069e11",
    "redact": "sha256:2aee5d1c7ab7ea5d706e5d25a43510066a1ec2af9690f7e4077bd533d8f41001",
    "mask": "sha256:135288dc4a5af35b12a386fa28dd77f7e711102c2e1ed4aaa8718381cb79b3c3",
    "hash": "sha256:64638d858d19fb8f47a8cdf9722561c08d09079c30f887eff366a2bf67f3d296",
    "surrogate": "sha256:65087ed6b30b91c3c38791d618855fa0334e6efb587263834cfc732b7d5c2922",
}


def test_preset_digests_are_unchanged() -> None:
    assert {name: p.digest for name, p in PRESETS.items()} == PRESET_DIGESTS


@pytest.mark.parametrize(
    ("alias", "entity"),
    [("DATE_TIME", "DATE"), ("US_DRIVER_LICENSE", "LICENSE_NUMBER"), ("MEDICAL_LICENSE", "LICENSE_NUMBER"),
     ("US_PASSPORT", "ID"), ("US_ITIN", "ID"), ("US_BANK_NUMBER", "ACCOUNT_NUMBER"), ("IBAN_CODE", "ACCOUNT_NUMBER")],
)
def test_presidio_entity_names_are_aliases_with_the_project_digest(alias: str, entity: str) -> None:
    others = [e for e in PRESETS["tags"].entities if e != entity]
    written = policy_from_dict({"name": "p", "entities": [*others, alias], "thresholds": {alias: 0.7},
                                "operators": {alias: "redact"}})
    canonical = policy_from_dict({"name": "p", "entities": [*others, entity], "thresholds": {entity: 0.7},
                                  "operators": {entity: "redact"}})
    assert written.digest == canonical.digest
    assert written.threshold_for(entity) == 0.7 and written.operator_for(entity) == OperatorSpec("redact")
    assert alias not in written.to_toml() and written.weakened() == {}


def test_presidio_alias_in_allow_weakened_and_a_preset_override() -> None:
    policy = policy_from_dict({"preset": "safe-harbor", "operators": {"DATE_TIME": {"name": "shift"}}})
    assert policy.operator_for("DATE") == OperatorSpec("shift")  # overrides the preset's DATE = "year"
    weak = policy_from_dict({"entities": [e for e in PRESETS["tags"].entities if e != "DATE"], "allow_weakened": ["DATE_TIME"]})
    assert weak.allow_weakened == ("DATE",) and "DATE" in weak.weakened()


@pytest.mark.parametrize("name", ["NRP", "ORGANIZATION", "CRYPTO"])
def test_presidio_entity_without_a_project_type_is_refused_with_the_reason(name: str) -> None:
    with pytest.raises(PolicyError, match="E210") as caught:
        policy_from_dict({"thresholds": {name: 0.5}})
    assert "no scrubber type (" in str(caught.value)


def test_two_names_of_one_type_must_agree() -> None:
    with pytest.raises(PolicyError, match="E210") as caught:
        policy_from_dict({"operators": {"DATE": "year", "DATE_TIME": "redact"}})
    assert "DATE_TIME" in str(caught.value)
    assert policy_from_dict({"operators": {"DATE": "redact", "DATE_TIME": "redact"}}).operator_for("DATE").name == "redact"


@pytest.mark.parametrize(
    ("presidio", "project"),
    [
        ({"type": "replace", "new_value": "<PATIENT>"}, OperatorSpec("tag", {"format": "<PATIENT>"})),
        ({"name": "replace"}, OperatorSpec("tag", {"format": "<{type}>"})),  # Presidio's default new_value
        ({"name": "replace", "new_value": "{x}"}, OperatorSpec("tag", {"format": "{{x}}"})),  # fixed text: braces literal
        ("redact", OperatorSpec("redact")),
        ({"type": "mask", "masking_char": "#", "chars_to_mask": 100, "from_end": False}, OperatorSpec("mask", {"char": "#"})),
        ({"type": "hash", "hash_type": "sha256"}, OperatorSpec("hash")),
    ],
)
def test_presidio_operator_configs_map_onto_project_operators(presidio, project) -> None:
    written = policy_from_dict({"name": "p", "operators": {"PERSON": presidio}})
    assert written.operator_for("PERSON") == project
    assert written.digest == policy_from_dict({"name": "p", "operators": {"PERSON": project.to_dict()}}).digest


@pytest.mark.parametrize(
    ("presidio", "code", "reason"),
    [
        ({"type": "keep"}, "E211", "allow_weakened"),
        ({"type": "encrypt", "key": "WmZq4t7w!z%C&F)J"}, "E211", "reversible key"),
        ({"type": "custom"}, "E211", "cannot hold code"),
        ({"type": "mask", "masking_char": "*", "chars_to_mask": 4, "from_end": True}, "E217", "part of the value"),
        ({"type": "hash", "hash_type": "md5"}, "E217", "keyed"),
        ({"type": "hash", "salt": "abc"}, "E217", "run key"),
        ({"type": "replace", "new_value": "x", "extra": 1}, "E217", "new_value"),
        ({"name": "mask", "type": "mask"}, "E211", "'type'"),
    ],
)
def test_presidio_operators_that_do_not_map_are_refused_with_the_reason(presidio, code: str, reason: str) -> None:
    with pytest.raises(PolicyError, match=code) as caught:
        policy_from_dict({"operators": {"PERSON": presidio}})
    assert reason in str(caught.value)


def test_presidio_default_key_and_operator_config_objects() -> None:
    from presidio_anonymizer.entities import OperatorConfig

    policy = policy_from_dict({"operators": {"DEFAULT": {"type": "redact"}, "PERSON": {"type": "replace", "new_value": "<P>"}}})
    assert policy.default_operator == OperatorSpec("redact") and policy.operator_for("PERSON").params["format"] == "<P>"
    with pytest.raises(PolicyError, match="E216"):
        policy_from_dict({"default_operator": "tag", "operators": {"DEFAULT": "redact"}})
    built = Policy(operators={"DATE_TIME": OperatorConfig("mask", {"masking_char": "#", "chars_to_mask": 1000, "from_end": False})})
    assert built.operator_for("DATE") == OperatorSpec("mask", {"char": "#"})


@pytest.mark.parametrize("fmt", ["", "   ", "{type} {x}", "{0}", "{"])
def test_tag_format_is_checked_when_the_policy_is_built(fmt: str) -> None:
    with pytest.raises(PolicyError, match="E217"):
        OperatorSpec("tag", {"format": fmt})


def test_presidio_operator_configs_scrub_through_the_engine(tmp_path) -> None:
    from scrubber import Scrubber

    path = tmp_path / "presidio.toml"
    path.write_text(
        "[operators]\n"
        'DEFAULT = { type = "replace" }\n'
        'PERSON = { type = "replace", new_value = "<NAME>" }\n'
        'DATE_TIME = { type = "mask", masking_char = "#", chars_to_mask = 100, from_end = false }\n'
    )
    out = Scrubber(policy=path, key=KEY).scrub("Seen by Dr. Patel on 03/14/2024, MRN 4432189.").text
    assert out == "Seen by Dr. <NAME> on ##########, MRN <MEDICAL_RECORD_NUMBER>."


def test_docs_presidio_policy_example_loads(tmp_path) -> None:
    import re

    from tests.conftest import ROOT

    page = (ROOT / "docs/policies.md").read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```toml\n(.*?)```", page, flags=re.S) if "a Presidio anonymizer config" in b]
    path = tmp_path / "presidio.toml"
    path.write_text(block)
    policy = load_policy(path)
    assert policy.default_operator == OperatorSpec("tag", {"format": "<{type}>"})
    assert policy.operator_for("PERSON") == OperatorSpec("tag", {"format": "<NAME>"})
    assert policy.operator_for("DATE") == OperatorSpec("mask", {"char": "#"})
    assert policy.operator_for("LICENSE_NUMBER") == OperatorSpec("hash")


def test_an_alias_beside_its_type_in_entities_adds_nothing() -> None:
    others = [e for e in PRESETS["tags"].entities if e != "DATE"]
    both = policy_from_dict({"name": "p", "entities": [*others, "DATE_TIME", "DATE"]})
    assert both.entities.count("DATE") == 1
    assert both.digest == policy_from_dict({"name": "p", "entities": [*others, "DATE"]}).digest
