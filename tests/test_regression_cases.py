"""Regression cases as data (tests/cases/regression.jsonl), with an explicit list of known failures.

Each case lists strings that must not survive scrubbing ("hide") and strings that must survive
unchanged ("keep"). A case listed in tests/cases/known_failures.txt is expected to fail
(strict: when it starts passing, the test fails until it is removed from the list).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CASES_DIR = Path(__file__).parent / "cases"
CASES = [json.loads(line) for line in (CASES_DIR / "regression.jsonl").read_text(encoding="utf-8").splitlines() if line]
KNOWN_FAILURES = {
    line.split("#")[0].strip()
    for line in (CASES_DIR / "known_failures.txt").read_text(encoding="utf-8").splitlines()
    if line.split("#")[0].strip()
}


def test_known_failures_name_existing_cases() -> None:
    assert KNOWN_FAILURES <= {c["id"] for c in CASES}


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, id=c["id"], marks=pytest.mark.xfail(strict=True, reason="known failure")) if c["id"] in KNOWN_FAILURES else pytest.param(c, id=c["id"]) for c in CASES],
)
def test_regression_case(scrubber, case) -> None:
    out = scrubber.scrub(case["text"]).text
    leaked = [h for h in case["hide"] if h in out]
    lost = [k for k in case["keep"] if k not in out]
    assert not leaked and not lost, f"leaked={leaked} lost={lost} output={out!r}"
