"""Every Python example in the README runs, and the two set-up commands are the ones CI uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_examples_run(capsys) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Pt [PERSON], MRN [MEDICAL_RECORD_NUMBER], seen [DATE]." in out


def test_ci_runs_the_readme_test_command() -> None:
    commands = re.findall(r"```bash\n(python3 -m venv .*?)\n```", README)
    assert len(commands) == 2, "the README has exactly two set-up commands"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci


def _readme_commands() -> list[str]:
    """The README's `scrubber` commands over the samples (and the `mkdir` they need), in the order the README gives them."""
    commands = []
    for kind, block in re.findall(r"```(bash|console)\n(.*?)```", README, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.strip()
            if kind == "console":
                if not line.startswith("$ scrubber check out/") or "--review" in line:
                    continue  # a check of a human review needs the review done in a browser first
                line = line[2:]
            elif "&& .venv/bin/scrubber " in line:
                line = "scrubber " + line.split("&& .venv/bin/scrubber ", 1)[1]
            elif not re.match(r"(scrubber |echo .*\| scrubber |mkdir )", line):
                continue
            line = re.sub(r"\s+#.*$", "", line)
            if "..." in line or re.search(r"(?<![\w/])(notes|big)\.jsonl", line):
                continue  # placeholders, or inputs the README does not ship
            commands.append(line)
    return commands


@pytest.mark.slow
def test_readme_cli_examples_run_in_order(tmp_path) -> None:
    """Run one after the other in one folder, no example replaces another's files (they would be
    refused, E265) and the gate example passes on the folder the first example wrote."""
    import os
    import subprocess
    import sys

    commands = _readme_commands()
    assert any(c.startswith("scrubber check out/") for c in commands) and len(commands) >= 8, commands
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    env = {**os.environ, "SCRUBBER_KEY": "readme-example-key-7c41e9a0b2d3", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for command in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-2000:]}"
