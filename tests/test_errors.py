"""The error table and hierarchy of scrubber/errors.py (issue 13): every code written anywhere is
in the table, every code of the table is raised somewhere, the exceptions carry the code as an
attribute, and docs/errors.md lists exactly what the table generates."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest

from scrubber import errors
from scrubber.errors import CODES, KINDS, CodedError, InvalidValue, PolicyError, RecordError, RecordQuarantined, ScrubberError
from tests.conftest import ROOT

ERRORS_PY = ROOT / "scrubber" / "errors.py"
QUOTED_CODE = re.compile(r"[\"'](E\d{3})\b")  # "E104", f"E240 ...": a code in a string, not a mention in a comment


def _sources(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py")) if path != ERRORS_PY]


def _quoted_codes(paths: list[Path]) -> dict[str, list[str]]:
    """Code -> files that write it as a string."""
    found: dict[str, list[str]] = {}
    for path in paths:
        for code in QUOTED_CODE.findall(path.read_text(encoding="utf-8")):
            found.setdefault(code, []).append(path.relative_to(ROOT).as_posix())
    return found


# -- the table -------------------------------------------------------------------------------
def test_the_table_is_well_formed() -> None:
    assert len(CODES) >= 90  # 95 codes when the table was made
    for code, entry in CODES.items():
        assert re.fullmatch(r"E\d{3}", code) and entry.code == code
        assert entry.kind in KINDS, code
        assert entry.meaning and entry.fix, f"{code}: every code says what failed and how to fix it"
    assert {c.kind for c in CODES.values()} == set(KINDS)
    # the hundreds digit names the kind of the record- and output-level codes
    assert all(CODES[c].kind == "record" for c in CODES if c[1] in "13")
    assert all(CODES[c].kind == "output" for c in CODES if c[1] == "4")
    assert all(CODES[c].kind == "internal" for c in CODES if c[1] == "0")


def test_every_code_written_in_the_packages_is_in_the_table() -> None:
    written = _quoted_codes(_sources("scrubber", "recognizers"))
    assert {"E012", "E016", "E104", "E205", "E501"} <= set(written)  # the scan sees codes of both packages
    unknown = {code: files for code, files in written.items() if code not in CODES}
    assert not unknown, f"codes not in scrubber/errors.py CODES: {unknown}"


def test_every_code_in_the_table_is_raised_somewhere() -> None:
    """A code is used when a module writes it, or names its constant in scrubber/errors.py."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in _sources("scrubber", "recognizers"))
    used = set(QUOTED_CODE.findall(text))
    constants = {name: value for name, value in vars(errors).items() if name.isupper() and isinstance(value, str) and value in CODES}
    used |= {value for name, value in constants.items() if re.search(rf"\b{name}\b", text)}
    unused = sorted(code for code, entry in CODES.items() if code not in used and not entry.reserved)
    assert not unused, f"codes in the table that nothing raises (remove them, or mark them reserved=True): {unused}"


def test_a_code_outside_the_table_cannot_be_raised() -> None:
    assert "E998" not in CODES
    for cls in (CodedError, ScrubberError, PolicyError, InvalidValue):
        with pytest.raises(LookupError, match="E998"):
            cls("E998", "a message")
    with pytest.raises(LookupError):
        RecordError("E998")
    with pytest.raises(LookupError):
        RecordQuarantined("E998", "detail")


def test_record_descriptions_are_record_codes() -> None:
    record_codes = {code for code, entry in CODES.items() if entry.kind == "record"}
    assert set(errors.DESCRIPTIONS) == record_codes


def test_recognizer_codes_are_in_the_table() -> None:
    """recognizers/ keeps its codes as literals (it never imports scrubber); the table has them."""
    from recognizers.base import RecognizerTimeout

    in_recognizers = _quoted_codes(_sources("recognizers"))
    assert {"E010", "E011", "E012", "E013", "E015", "E016", "E017", "E302"} <= set(in_recognizers)
    assert RecognizerTimeout.code == errors.PROCESS_TIMEOUT
    assert all(CODES[code].kind in ("internal", "record") for code in in_recognizers)


# -- the hierarchy ---------------------------------------------------------------------------
@pytest.mark.parametrize("exc", [
    ScrubberError("E201", "notes/: no such file or folder", "check the path"),
    PolicyError("E213", "unknown policy 'x'", "name a preset"),
    InvalidValue("E002", "Finding score must be within [0, 1], got 2"),
    RecordError("E301", "ValueError while analyzing"),
    RecordQuarantined("E107", "document is larger than --max-chars"),
], ids=lambda exc: type(exc).__name__)
def test_every_error_carries_its_code(exc: CodedError) -> None:
    assert isinstance(exc, CodedError)
    assert str(exc).startswith(exc.code + " ")
    assert exc.message in str(exc) and (not exc.fix or str(exc).endswith(f". Fix: {exc.fix}"))
    assert exc.kind == CODES[exc.code].kind
    again = pickle.loads(pickle.dumps(exc))  # workers and Spark executors send errors back
    assert (type(again), again.code, again.message, again.fix, str(again)) == (type(exc), exc.code, exc.message, exc.fix, str(exc))


def test_the_kinds_stay_catchable_as_before() -> None:
    assert issubclass(PolicyError, ValueError) and issubclass(InvalidValue, ValueError)
    assert not issubclass(PolicyError, ScrubberError)  # `except ScrubberError` keeps its meaning
    assert not issubclass(RecordError, ScrubberError) and not issubclass(RecordQuarantined, ScrubberError)
    from scrubber.policy import PolicyError as FromPolicy

    assert FromPolicy is PolicyError
    assert RecordError("E103").detail == errors.DESCRIPTIONS["E103"]


def test_library_value_errors_carry_the_code() -> None:
    from scrubber.policy import resolve_policy
    from scrubber.values import Finding

    with pytest.raises(ValueError, match=r"^E002 ") as caught:
        Finding(0, 1, "PERSON", 2.0, "x")
    assert caught.value.code == "E002"
    with pytest.raises(PolicyError) as caught:
        resolve_policy("no-such-preset")
    assert caught.value.code == "E213" and caught.value.fix


def _raises_with_code(path: Path) -> list[str]:
    """``raise ValueError("E...")``/``KeyError`` sites: a code that is not on a CodedError."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and isinstance(node.exc.func, ast.Name) \
                and node.exc.func.id in ("ValueError", "KeyError", "Exception", "RuntimeError") and node.exc.args:
            first = node.exc.args[0]
            head = first.values[0] if isinstance(first, ast.JoinedStr) and first.values else first
            if isinstance(head, ast.Constant) and isinstance(head.value, str) and re.match(r"E\d{3}\b", head.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_scrubber_raises_codes_only_on_coded_errors() -> None:
    found = [site for path in _sources("scrubber") for site in _raises_with_code(path)]
    assert not found, f"raise a scrubber.errors class (code as an attribute), not a bare ValueError: {found}"
    # the check sees such a site: recognizers/ (which cannot import scrubber) has some
    assert [site for path in _sources("recognizers") for site in _raises_with_code(path)]


def test_no_caller_parses_the_code_out_of_a_message() -> None:
    parse = re.compile(r"str\(exc\)(\.split|\.partition|\[:)|exc\.args\[0\]\[:4\]")
    found = [f"{path.relative_to(ROOT)}:{n}" for path in _sources("scrubber")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if parse.search(line)
             and "Fix:" not in line]  # dropping the fix part for a check's detail is not reading the code
    assert not found, f"read exc.code / exc.message instead: {found}"


# -- docs/errors.md ----------------------------------------------------------------------------
def test_docs_list_is_the_generated_table() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert text.count("<!-- errors:begin -->\n") == 1 and text.count("<!-- errors:end -->") == 1
    listed = text.split("<!-- errors:begin -->\n", 1)[1].split("<!-- errors:end -->", 1)[0]
    assert listed == errors.markdown(), "docs/errors.md is out of date: paste `python -m scrubber.errors --markdown` between the markers"
    for code in CODES:
        assert f"| `{code}` |" in listed


def test_markdown_command(capsys) -> None:
    assert errors.main(["--markdown"]) == 0
    assert capsys.readouterr().out == errors.markdown()
    assert errors.main([]) == 2
