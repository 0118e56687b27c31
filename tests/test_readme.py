"""The README stays a short front page, and its two set-up commands are the ones CI uses.

Its examples run in tests/test_docs.py, with those of docs/.
"""

from __future__ import annotations

import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, flags=re.S | re.M)
    assert match, f"the README has a '## {title}' section"
    return match.group(1)


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```bash\n(python3 -m venv .*?)\n```", README)
    assert len(commands) == 2, "the README has exactly two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def test_readme_is_short_and_has_the_front_page_sections() -> None:
    """Issue 13: at most about 150 lines; the rest lives in docs/."""
    assert len(README.splitlines()) <= 150
    for title in ("Library", "CLI", "Exit codes", "Threat model", "Accuracy and speed", "Documentation"):
        _section(title)
    assert len(re.findall(r"```python\n(.*?)```", _section("Library"), flags=re.S)[0].splitlines()) <= 10
    (cli,) = re.findall(r"```bash\n(.*?)```", _section("CLI"), flags=re.S)
    assert len(cli.splitlines()) == 3


def test_architecture_is_the_first_documentation_link() -> None:
    links = re.findall(r"\]\((docs/[^)#]+)", _section("Documentation"))
    assert links[0] == "docs/architecture.md"


def test_readme_figures_are_those_of_the_docs() -> None:
    """The short accuracy and speed table copies its figures and commands from docs/accuracy.md,
    docs/performance.md and the workers' speed in docs/cli.md: a figure updated there and not here
    (or the other way) fails."""
    section = _section("Accuracy and speed")
    docs = "".join((ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("accuracy.md", "performance.md", "cli.md"))
    figures = re.findall(r"(?<![\w.])\d+\.\d+x?(?![\w.])", section.split("\n\n")[0])
    assert len(figures) >= 10, figures
    for figure in figures:
        assert figure in docs, f"{figure} is not in docs/accuracy.md, performance.md or cli.md"
    commands = re.findall(r"`((?:scrubber|python) [^`]+)`", section)
    assert len(commands) >= 4, commands  # one per row of the table
    for command in commands:
        assert command in docs, f"{command!r} is not in docs/accuracy.md, performance.md or cli.md"
