"""Layering (issue 13): typer and rich only under scrubber/cli/, and recognizers/ never imports
scrubber. Every import is read with ``ast`` (also those inside functions, ``importlib.import_module``
and ``__import__`` with a literal name); docstrings and comments do not count."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLI_ONLY = ("typer", "rich", "click")  # click: what typer is built on
CLI = ROOT / "scrubber" / "cli"
# Modules outside scrubber/cli/ allowed to import a CLI library, with the reason. None today:
# progress bars and tables are drawn by scrubber/cli/ (callers get an ``on_document`` callback).
ALLOWED: dict[str, str] = {}


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level module name) of every import in ``path``, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                   or (isinstance(node.func, ast.Name) and node.func.id in ("__import__", "import_module")))):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


def _modules(folder: str) -> list[Path]:
    paths = sorted((ROOT / folder).rglob("*.py"))
    assert len(paths) > 10, f"found too few modules under {folder}/"
    return paths


def _violations(folder: str, banned: tuple[str, ...], exempt=lambda path: False) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line} imports {name}"
            for path in _modules(folder) if not exempt(path)
            for line, name in _imports(path) if name in banned]


def test_typer_and_rich_only_under_scrubber_cli() -> None:
    def exempt(path: Path) -> bool:
        return CLI in path.parents or path.relative_to(ROOT).as_posix() in ALLOWED

    found = _violations("scrubber", CLI_ONLY, exempt) + _violations("recognizers", CLI_ONLY)
    assert not found, "typer/rich belong in scrubber/cli/ only:\n" + "\n".join(found)


def test_the_cli_does_import_typer() -> None:
    """The scan sees the imports it is meant to ban (else the test above could not fail)."""
    names = {name for path in CLI.rglob("*.py") for _, name in _imports(path)}
    assert {"typer", "rich"} <= names


def test_recognizers_never_import_scrubber() -> None:
    found = _violations("recognizers", ("scrubber",))
    assert not found, "recognizers/ is usable without scrubber; it must not import it:\n" + "\n".join(found)


@pytest.mark.parametrize("source, name", [
    ("import rich.progress\n", "rich"),
    ("def f():\n    from typer import Option\n", "typer"),
    ("import importlib\nmod = importlib.import_module('scrubber.errors')\n", "scrubber"),
    ("'''import typer'''\n# import rich\n", None),
])
def test_the_scan_finds_imports_at_any_depth(tmp_path, source, name) -> None:
    path = tmp_path / "module.py"
    path.write_text(source, encoding="utf-8")
    names = {found for _, found in _imports(path)} - {"importlib"}
    assert names == ({name} if name else set())
