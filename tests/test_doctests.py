"""The examples in the docstrings of the recognizers and the library are run, so they stay true.

(A doctest of ``near_allowed`` had silently gone false: the fuzzy misspelling index had lost
the curated drug names. Running them here would have caught it.)
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import recognizers
import scrubber

_SKIP = {"scrubber.spark", "scrubber.__main__"}  # pyspark is optional; __main__ runs the CLI


def _modules() -> list[str]:
    names = []
    for package in (recognizers, scrubber):
        names.append(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if info.name not in _SKIP:
                names.append(info.name)
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) of {name} failed (run pytest --doctest-modules {name})"
