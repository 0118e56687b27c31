"""Shared fixtures. The spaCy-backed engine is built once per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPORA = ROOT.parent / "shared" / "corpora"


@pytest.fixture(scope="session")
def scrubber():
    from scrubber import Scrubber

    return Scrubber(key=b"test-key-0123456789abcdef")


@pytest.fixture(scope="session")
def gold_samples() -> list[dict]:
    return [json.loads(line) for line in (SAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line]


def corpus(relative: str) -> Path:
    """Path to a shared corpus file, skipping the test cleanly when it is absent."""
    path = CORPORA / relative
    if not path.exists():
        pytest.skip(f"shared corpus {relative} not present")
    return path
