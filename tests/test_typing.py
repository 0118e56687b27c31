"""The engine/run boundary type-checks: mypy, configured in pyproject.toml ([tool.mypy]), reports no
error in scrubber/run/ and scrubber/engine.py, and does report calls across the boundary that pass
the wrong types (so a clean result means something). Offline: mypy is a declared test dependency.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy is in the [test] extra")

ROOT = Path(__file__).resolve().parent.parent

# Each line marked `# error: CODE` must get exactly that mypy error; no other line may get one.
MISUSE = '''\
from pathlib import Path

from scrubber.io.readers import InputFile, ReadOptions
from scrubber.run import run
from scrubber.run.executor import executor
from scrubber.run.sink import Sink
from scrubber.workers import EngineSpec


def misuse(spec: EngineSpec, files: list[InputFile]) -> None:
    run(files, scrubber=spec, out_dir=None, workers="2")  # error: arg-type
    run(files, scrubber="safe-harbor", out_dir=Path("out"))  # error: arg-type
    for record, result in executor(spec, 2).results(["a note"]):  # error: list-item
        print(record.id, result.text)
    Sink(files, Path("out"), ReadOptions(), None, Path("crosswalk.enc"), None, checkpoint_every=32)  # error: arg-type
    summary = run(files, scrubber=spec, out_dir=None)
    summary.written += "1"  # error: operator
'''


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory) -> tuple[list[str], str, int]:
    """One mypy run (it takes seconds) over the configured files and the misuse snippet."""
    import os
    import tomllib

    configured = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    snippet = tmp_path_factory.mktemp("typing") / "misuse.py"
    snippet.write_text(MISUSE)
    here = os.getcwd()
    os.chdir(ROOT)  # the configured paths are relative to the project
    try:
        stdout, stderr, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), *configured, str(snippet)])
    finally:
        os.chdir(here)
    return configured, stdout + stderr, status


def test_run_and_engine_type_check(mypy_report) -> None:
    configured, report, _ = mypy_report
    assert {"scrubber/run", "scrubber/engine.py"} <= set(configured)
    assert "misuse.py" in report, report  # mypy ran (and checked the snippet alongside)
    others = [line for line in report.splitlines() if ": error:" in line and "misuse.py:" not in line]
    assert not others, "mypy reports errors at the engine/run boundary:\n" + "\n".join(others)


def test_mypy_reports_misuse_of_the_run_interfaces(mypy_report) -> None:
    _, report, status = mypy_report
    expected = {(number, code) for number, line in enumerate(MISUSE.splitlines(), start=1)
                for code in re.findall(r"# error: ([a-z-]+)", line)}
    found = {(int(m[1]), m[2]) for m in re.finditer(r"misuse\.py:(\d+): error: .*\[([a-z-]+)\]", report)}
    assert status == 1
    assert found == expected, report
