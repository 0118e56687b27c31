"""Every example in README.md and docs/*.md runs, every relative link resolves, and docs/errors.md
names every error code the code raises (issue 13)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# README first, then docs/ in name order: the CLI examples run in this order in one folder, and the
# gate example of docs/publishing.md checks the `out/` that the README's first command wrote.
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", flags=re.S | re.M)

# A tagged ```python TAG block needs a context the page does not give (a Spark session, a key and
# notes of the caller); the test named here runs it, with that context.
TAGGED = {"spark-submit": "tests/test_spark.py", "databricks": "tests/test_spark.py", "in-memory": "tests/test_audit.py"}


def _text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _name(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _blocks(page: Path) -> list[tuple[str, str]]:
    """(info string, body) of every fenced block of a page."""
    return FENCE.findall(_text(page))


def _python_blocks() -> list[tuple[str, int, str]]:
    return [(_name(page), n, body) for page in PAGES for n, (info, body) in enumerate(_blocks(page)) if info == "python"]


def test_the_pages_are_the_documented_set() -> None:
    names = {_name(page) for page in PAGES}
    assert names == {"README.md"} | {f"docs/{n}.md" for n in (
        "accuracy", "architecture", "audit", "cli", "errors", "library", "performance", "policies", "publishing", "recognizers", "spark",
        "threat-model")}


# -- Python examples ----------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(("page", "index", "code"), _python_blocks(), ids=lambda v: v if isinstance(v, str) and v.endswith(".md") else None)
def test_python_example_runs(page, index, code, monkeypatch) -> None:
    """Each ```python block runs on its own (fresh namespace, from the repository root), and what
    a `print(...)  # -> OUTPUT` line promises is in what the block printed."""
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"{page} block {index}", "exec"), {"__name__": "__doc_example__"})
    printed = out.getvalue()
    for line in code.splitlines():
        if line.lstrip().startswith("print(") and "  # -> " in line:
            promised = line.split("  # -> ", 1)[1].strip()
            assert promised in printed, f"{page}: `{line.strip()}` printed {printed!r}"


def test_every_python_block_is_run_somewhere() -> None:
    """Untagged blocks run above; a tagged one (```python TAG) is run by the test that gives it its
    context, which must exist and read the page the block is on."""
    assert len(_python_blocks()) >= 4
    promises = [line for _, _, code in _python_blocks() for line in code.splitlines() if "print(" in line and "  # -> " in line]
    assert len(promises) >= 3, "the examples' printed results are checked (`print(...)  # -> OUTPUT`)"
    for page in PAGES:
        for info, _ in _blocks(page):
            if not info.startswith("python "):
                continue
            tag = info.split(" ", 1)[1]
            assert tag in TAGGED, f"{_name(page)}: ```{info} is run by no test (add it to TAGGED)"
            runner = (ROOT / TAGGED[tag]).read_text(encoding="utf-8")
            assert tag in runner and _name(page) in runner, f"{TAGGED[tag]} does not run the `{tag}` block of {_name(page)}"


# -- CLI examples ---------------------------------------------------------------------------
def _cli_commands(text: str) -> list[tuple[str, list[str]]]:
    """A page's `scrubber` commands over the samples (and the `mkdir` they need), in page order,
    with the output lines the page shows for each: what a `# -> OUTPUT` comment says, and in a
    console block the lines after the command up to the next prompt, except abridged ones ("...")."""
    commands = []
    for kind, block in re.findall(r"```(bash|console)\n(.*?)```", text, flags=re.S):
        lines = block.replace("\\\n", " ").splitlines()
        for index, line in enumerate(lines):
            line = line.strip()
            shown = []
            if kind == "console":
                if not line.startswith(("$ scrubber check out/", "$ scrubber review --plan")) or "--review" in line:
                    continue  # other scrubber review lines and a check of a review need a review done in a browser first
                line = line[2:]
                for after in lines[index + 1 :]:
                    if after.startswith("$ "):
                        break
                    if after.strip() and "..." not in after:
                        shown.append(after.strip())
            elif "&& .venv/bin/scrubber " in line:
                line = "scrubber " + line.split("&& .venv/bin/scrubber ", 1)[1]
            elif not re.match(r"(scrubber |echo .*\| scrubber |mkdir )", line):
                continue
            if "# -> " in line:
                shown.append(line.split("# -> ", 1)[1].strip())
            line = re.sub(r"\s+#.*$", "", line)
            if "..." in line or re.search(r"(?<![\w/])(notes|big)\.jsonl", line):
                continue  # placeholders, or inputs the docs do not ship
            commands.append((line, shown))
    return commands


def _all_cli_commands() -> list[tuple[str, str, str]]:
    return [(_name(page), command, shown) for page in PAGES for command, shown in _cli_commands(_text(page))]


def test_cli_examples_are_found_on_every_page_that_has_them() -> None:
    pages = {page for page, _, _ in _all_cli_commands()}
    assert {"README.md", "docs/cli.md", "docs/publishing.md"} <= pages, pages


@pytest.mark.slow
def test_cli_examples_run_in_order(tmp_path) -> None:
    """Run one after the other in one folder, no example replaces another's files (they would be
    refused, E265) and the gate example passes on the folder the README's first example wrote."""
    commands = _all_cli_commands()
    assert any(c.startswith("scrubber check out/") for _, c, _ in commands) and len(commands) >= 10, commands
    (tmp_path / "samples").symlink_to(ROOT / "samples")
    env = {**os.environ, "SCRUBBER_KEY": "readme-example-key-7c41e9a0b2d3", "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for page, command, shown in commands:
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{page}: {command}\n{done.stderr[-2000:]}"
        printed = [line.strip() for line in done.stdout.splitlines()]
        for line in shown:
            assert line in printed, f"{page}: {command}\nprinted {done.stdout!r}\nthe page shows {line!r}"


# -- policy examples --------------------------------------------------------------------------
def test_policy_file_examples_load(tmp_path) -> None:
    """Every ```toml block of docs/policies.md is a policy the scrubber accepts."""
    from scrubber.policy import load_policy

    blocks = [body for info, body in _blocks(ROOT / "docs" / "policies.md") if info == "toml"]
    assert len(blocks) >= 3
    for n, body in enumerate(blocks):
        path = tmp_path / f"example-{n}.toml"
        path.write_text(body, encoding="utf-8")
        load_policy(path)


# -- links ------------------------------------------------------------------------------------
def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = FENCE.sub("", _text(page))
    seen: dict[str, int] = {}
    anchors = set()
    for heading in re.findall(r"^#{1,6} (.+)$", text, flags=re.M):
        slug = _slug(heading)
        anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


def _links(page: Path) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", FENCE.sub("", _text(page)))  # links in code are not links
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_relative_links_resolve() -> None:
    checked = 0
    for page in PAGES:
        for link in _links(page):
            if re.match(r"[a-z]+:", link):
                continue  # https:, mailto:
            target, _, anchor = link.partition("#")
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{_name(page)}: link {link} points to no file"
            if anchor and path.suffix == ".md":
                assert anchor in _anchors(path), f"{_name(page)}: link {link}: no heading with that anchor"
            checked += 1
    assert checked >= 20


def test_slug_follows_github() -> None:
    assert _slug("Set up and run (fresh machine, Python >= 3.11)") == "set-up-and-run-fresh-machine-python--311"
    assert _slug("Large runs: `--workers N`, `--resume`") == "large-runs---workers-n---resume"


def test_every_doc_page_is_linked_from_the_readme() -> None:
    linked = {(ROOT / link.partition("#")[0]).resolve() for link in _links(ROOT / "README.md") if link.startswith("docs/")}
    assert set(PAGES[1:]) <= linked, sorted(_name(p) for p in set(PAGES[1:]) - linked)


# -- error codes ------------------------------------------------------------------------------
def _codes_in_source() -> set[str]:
    """Every quoted code in the package ("E104", f"E240 ...", constants of scrubber/errors.py)."""
    codes = set()
    for folder in ("scrubber", "recognizers"):
        for path in (ROOT / folder).rglob("*.py"):
            codes |= set(re.findall(r"[\"'](E\d{3})\b", path.read_text(encoding="utf-8")))
    return codes


def _codes_documented() -> set[str]:
    """Codes in docs/errors.md between the markers; "E210-E218" names the range."""
    text = _text(ROOT / "docs" / "errors.md")
    assert text.count("<!-- errors:begin -->") == 1 and text.count("<!-- errors:end -->") == 1
    listed = text.split("<!-- errors:begin -->", 1)[1].split("<!-- errors:end -->", 1)[0]
    codes = set()
    for first, last in re.findall(r"E(\d{3})(?:`?-`?E(\d{3}))?", listed):
        codes |= {f"E{n:03d}" for n in range(int(first), int(last or first) + 1)}
    return codes


def test_every_raised_error_code_is_documented() -> None:
    source = _codes_in_source()
    assert {"E101", "E201", "E240", "E999"} <= source  # the scan finds codes of every kind
    missing = sorted(source - _codes_documented())
    assert not missing, f"codes raised in scrubber/ or recognizers/ but not in docs/errors.md: {missing}"
