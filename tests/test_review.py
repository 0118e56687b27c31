"""`scrubber review`: sampling, the decision store, the bounds, the page (in a real browser), the gate, the feedback.

All notes here are invented. The bounds are checked against their defining properties
(binomial and Poisson tail probabilities from scipy), not against hard-coded numbers.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import socket
from pathlib import Path

import pytest
from scipy.stats import beta, binom, chi2, poisson
from typer.testing import CliRunner

from scrubber import review as rv
from scrubber.errors import ScrubberError

NOTES = [
    {"id": "R-1", "patient": "p1", "text": "Seen today with her husband Tobias Quenneville, nicknamed zubbo at home. Follow-up with Dr. Ottoline Brask in two weeks."},
    {"id": "R-2", "patient": "p2", "text": "Pt walked 200 ft with walker. Daughter Philippa called; plan discussed with Ines Margolyes."},
    {"id": "R-3", "patient": "p1", "text": "Mild cough, afebrile. Continue albuterol PRN. Quenneville family updated by phone."},
]
KEY = b"review-test-key-0123456789abcdef"
READ = ["--id-field", "id", "--patient-field", "patient"]


# -- statistics ------------------------------------------------------------------------------------
@pytest.mark.parametrize("x,n", [(0, 1), (0, 30), (0, 59), (1, 30), (3, 40), (7, 200)])
def test_clopper_pearson_upper_bound_is_where_the_binomial_tail_is_five_percent(x: int, n: int) -> None:
    upper = rv.clopper_pearson_upper(x, n)
    assert binom.cdf(x, n, upper) == pytest.approx(0.05, abs=1e-9)
    assert binom.cdf(x, n, upper * 0.99) > 0.05  # any lower p is not excluded
    if x == 0:
        assert upper == pytest.approx(1 - 0.05 ** (1 / n), rel=1e-9)


def test_clopper_pearson_edges() -> None:
    assert rv.clopper_pearson_upper(5, 5) == 1.0
    assert rv.clopper_pearson_upper(0, 0) == 1.0
    with pytest.raises(ValueError):
        rv.clopper_pearson_upper(4, 3)


@pytest.mark.parametrize("k", [0, 1, 4, 25])
def test_poisson_upper_bound_is_where_the_poisson_tail_is_five_percent(k: int) -> None:
    upper = rv.poisson_upper(k)
    assert poisson.cdf(k, upper) == pytest.approx(0.05, abs=1e-9)


@pytest.mark.parametrize("max_risk", [0.01, 0.05, 0.1, 0.2])
def test_plan_gives_the_smallest_sample_whose_bound_can_pass(max_risk: float) -> None:
    rows = rv.plan(max_risk)
    assert rows[0]["documents"] == math.ceil(math.log(0.05) / math.log(1 - max_risk))
    for row in rows:
        x, n = row["documents_with_leaks"], row["documents"]
        assert beta.ppf(0.95, x + 1, n - x) <= max_risk < beta.ppf(0.95, x + 1, n - 1 - x)


def test_plan_refuses_a_risk_outside_0_1() -> None:
    with pytest.raises(ScrubberError) as exc:
        rv.plan(0.0)
    assert exc.value.code == "E275"


def test_plan_cli_prints_the_arithmetic() -> None:
    from scrubber.cli.app import app

    result = CliRunner().invoke(app, ["review", "--plan", "--max-risk", "0.05"])
    assert result.exit_code == 0, result.output
    n = math.ceil(math.log(0.05) / math.log(0.95))
    assert f"= {n}" in result.output and f"--sample {n}" in result.output


# -- sampling ------------------------------------------------------------------------------------------
def _rows(n_a: int, n_b: int) -> list[tuple]:
    rows = [(f"a{i}", "a.jsonl", i, f"p{i % 3}", None) for i in range(n_a)]
    return rows + [(f"b{i}", "b.jsonl", i, f"p{i % 3}", None) for i in range(n_b)]


def test_sample_is_seeded_and_uniform_without_replacement() -> None:
    rows = _rows(40, 60)
    first, strata = rv.draw_sample(rows, 20, seed=11)
    assert first == rv.draw_sample(rows, 20, seed=11)[0]
    assert first != rv.draw_sample(rows, 20, seed=12)[0]
    assert len({p[0] for p in first}) == 20 and strata == {"all": {"population": 100, "sampled": 20}}
    # uniform: over many seeds every record is drawn about n/N of the time
    counts: dict[str, int] = {}
    for seed in range(400):
        for p in rv.draw_sample(rows, 20, seed=seed)[0]:
            counts[p[0]] = counts.get(p[0], 0) + 1
    assert len(counts) == 100 and max(counts.values()) < 2 * 400 * 20 / 100


def test_sample_stratified_by_file_and_patient_is_proportional_and_recorded() -> None:
    rows = _rows(30, 10)
    picked, strata = rv.draw_sample(rows, 8, seed=3, stratify="file")
    assert strata == {"a.jsonl": {"population": 30, "sampled": 6}, "b.jsonl": {"population": 10, "sampled": 2}}
    assert sum(p[1] == "a.jsonl" for p in picked) == 6
    _, by_patient = rv.draw_sample(rows, 40, seed=3, stratify="patient")
    assert sum(s["sampled"] for s in by_patient.values()) == 40 and set(by_patient) == {"p0", "p1", "p2"}
    everything, _ = rv.draw_sample(rows, 500, seed=3)
    assert len(everything) == 40  # a sample larger than the dataset is the whole dataset


def test_sample_refuses_bad_arguments() -> None:
    for call in (lambda: rv.draw_sample(_rows(3, 3), 0, seed=1), lambda: rv.draw_sample(_rows(3, 3), 2, seed=1, stratify="ward")):
        with pytest.raises(ScrubberError) as exc:
            call()
        assert exc.value.code == "E275"


# -- a scrubbed dataset with leaks: names are not hidden by this policy ----------------------------------------
@pytest.fixture(scope="module")
def scanner():
    from scrubber.risk import LeakScanner

    return LeakScanner()


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, scanner) -> dict:
    from recognizers import ENTITY_TYPES
    from scrubber import Scrubber
    from scrubber.io.readers import ReadOptions, discover
    from scrubber.policy import Policy
    from scrubber.run import run

    root = tmp_path_factory.mktemp("review")
    notes = root / "in" / "notes.jsonl"
    notes.parent.mkdir()
    notes.write_text("".join(json.dumps(n) + "\n" for n in NOTES), encoding="utf-8")
    weak = Policy(name="no-person", entities=tuple(e for e in ENTITY_TYPES if e != "PERSON"), allow_weakened=("PERSON",))
    policy_file = root / "no-person.toml"
    policy_file.write_text(weak.to_toml(), encoding="utf-8")
    options = ReadOptions(id_field="id", patient_field="patient")
    out = root / "out"
    run(discover([str(notes)]), scrubber=Scrubber(weak, key=KEY), out_dir=out, options=options)
    return {"root": root, "notes": notes, "out": out, "policy": weak, "policy_file": policy_file, "options": options}


def _new_review(dataset: dict, name: str, scanner, n: int = 10, **kw) -> Path:
    review_dir = dataset["root"] / name
    rv.create_sample(dataset["out"], review_dir, n, seed=5, options=dataset["options"], scanner=scanner, **kw)
    return review_dir


def _decide_all(review_dir: Path, leak_first_in: int | None = None) -> tuple[int, int]:
    """Dismiss every suspicion (or confirm the first in one document) and finish each document; (leaky documents, leaks)."""
    sample = rv.load_sample(review_dir)
    store = rv.ReviewStore(review_dir, sample)
    leaky = leaks = 0
    for i, d in enumerate(sample.documents):
        for j, l in enumerate(d.leaks):
            decision = "leak" if (i == leak_first_in and j == 0) else "not_leak"
            leaks += decision == "leak"
            store.append(position=i, decision=decision, reviewer="t", start=l["start"], end=l["end"], entity_type=l["entity_type"], source="scan")
        leaky += i == leak_first_in and bool(d.leaks)
        store.append(position=i, decision="reviewed", reviewer="t")
    return leaky, leaks


def test_sample_file_records_seed_strata_digest_and_suspicions_without_text(dataset, scanner) -> None:
    review_dir = _new_review(dataset, "r-sample", scanner, stratify="patient")
    data = json.loads((review_dir / rv.SAMPLE_FILE).read_text(encoding="utf-8"))
    assert data["seed"] == 5 and data["stratify"] == "patient" and set(data["strata"]) == {"p1", "p2"}
    assert data["audit_digest"] == rv.audit_digest(dataset["out"] / "audit.jsonl")
    assert sum(len(d["leaks"]) for d in data["documents"]) >= 4  # the names this policy left
    raw = (review_dir / rv.SAMPLE_FILE).read_text(encoding="utf-8")
    assert "Quenneville" not in raw and "Philippa" not in raw


def test_review_folder_inside_the_dataset_is_refused(dataset, scanner) -> None:
    with pytest.raises(ScrubberError) as exc:
        rv.create_sample(dataset["out"], dataset["out"] / "review", 3, seed=1, options=dataset["options"], scanner=scanner)
    assert exc.value.code == "E270"
    assert not (dataset["out"] / "review").exists()


def test_decisions_are_chained_last_one_wins_and_hold_no_text(dataset, scanner) -> None:
    review_dir = _new_review(dataset, "r-store", scanner)
    sample = rv.load_sample(review_dir)
    store = rv.ReviewStore(review_dir, sample)
    leak = sample.documents[0].leaks[0]
    store.append(position=0, decision="leak", reviewer="a", start=leak["start"], end=leak["end"], entity_type="PERSON", source="scan")
    store.append(position=0, decision="not_leak", reviewer="a", start=leak["start"], end=leak["end"], entity_type="PERSON", source="scan")
    resumed = rv.ReviewStore(review_dir, sample)  # stopped and resumed
    assert resumed.state()[0]["spans"][(leak["start"], leak["end"])]["decision"] == "not_leak"
    raw = (review_dir / rv.DECISIONS_FILE).read_text(encoding="utf-8")
    assert "Quenneville" not in raw and "Brask" not in raw
    lines = raw.splitlines()
    edited = json.loads(lines[0])
    edited["decision"] = "not_leak"
    (review_dir / rv.DECISIONS_FILE).write_text(json.dumps(edited) + "\n" + lines[1] + "\n", encoding="utf-8")
    with pytest.raises(ScrubberError) as exc:
        rv.ReviewStore(review_dir, sample)
    assert exc.value.code == "E274"


def test_summary_refuses_an_incomplete_review_or_another_runs(dataset, scanner) -> None:
    review_dir = _new_review(dataset, "r-incomplete", scanner)
    with pytest.raises(ScrubberError) as exc:
        rv.summarize(review_dir)
    assert exc.value.code == "E273"
    _decide_all(review_dir)
    assert rv.summarize(review_dir)["complete"]
    with pytest.raises(ScrubberError) as exc:
        rv.summarize(review_dir, digest="sha256:" + "0" * 64)
    assert exc.value.code == "E272"


def test_gate_passes_only_when_the_upper_bound_is_within_max_risk() -> None:
    for x, n in ((0, 59), (0, 58), (1, 93), (1, 60)):
        summary = {"sample": {"documents": n}, "documents_with_leaks": x, "leaks": x, "share": x / n,
                   "share_upper": rv.clopper_pearson_upper(x, n), "per_1000": 1000 * x / n, "per_1000_upper": 0.0, "confidence": 0.95}
        assert rv.gate_review(summary, 0.05).passed == (beta.ppf(0.95, x + 1, n - x) <= 0.05)


def test_check_review_refuses_incomplete_and_foreign_reviews_with_codes(dataset, scanner, tmp_path) -> None:
    from scrubber.cli.app import app

    incomplete = _new_review(dataset, "r-check-incomplete", scanner)
    args = ["check", str(dataset["out"]), "--policy", str(dataset["policy_file"]), *READ, "-q"]
    result = CliRunner().invoke(app, [*args, "--review", str(incomplete)])
    assert result.exit_code == 2 and "E273" in result.output
    foreign = tmp_path / "foreign"
    shutil.copytree(incomplete, foreign)
    data = json.loads((foreign / rv.SAMPLE_FILE).read_text())
    data["audit_digest"] = "sha256:" + "1" * 64
    (foreign / rv.SAMPLE_FILE).write_text(json.dumps(data))
    result = CliRunner().invoke(app, [*args, "--review", str(foreign)])
    assert result.exit_code == 2 and "E272" in result.output
    result = CliRunner().invoke(app, [*args, "--review", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "E271" in result.output


def test_check_review_gates_the_bound_and_reports_it(dataset, scanner, tmp_path) -> None:
    from scrubber.cli.app import app

    review_dir = _new_review(dataset, "r-report", scanner)
    leaky, leaks = _decide_all(review_dir, leak_first_in=0)
    n = len(rv.load_sample(review_dir).documents)
    out_json = tmp_path / "check.json"
    card = dataset["root"] / "card.md"
    result = CliRunner().invoke(app, ["check", str(dataset["out"]), "--policy", str(dataset["policy_file"]), *READ, "-q",
                                      "--review", str(review_dir), "--max-risk", "0.99", "--json", str(out_json),
                                      "--report", str(tmp_path / "report"), "--card", str(card)])
    data = json.loads(out_json.read_text())
    review = data["review"]
    assert review["documents_with_leaks"] == leaky == 1 and review["leaks"] == leaks == 1
    assert review["share_upper"] == pytest.approx(beta.ppf(0.95, leaky + 1, n - leaky), rel=1e-9)
    assert review["per_1000_upper"] == pytest.approx(1000 * chi2.ppf(0.95, 2 * leaks + 2) / 2 / n, rel=1e-9)
    check = next(c for c in data["check"]["checks"] if c["name"] == "review")
    assert check["passed"] == (review["share_upper"] <= 0.99)
    assert f"ok   review: {leaky} of {n} reviewed documents" in result.output
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    md = card.read_text(encoding="utf-8")
    for text in (html, md):
        assert "Human review of a random sample" in text and "Clopper-Pearson" in text and "t (" in text
        assert f"{review['share_upper']:.1%}" in text
    assert "R-1" not in md  # the card names no documents


def test_allow_and_deny_exports_feed_back_into_a_rescrub(dataset, scanner, tmp_path) -> None:
    from scrubber import Scrubber
    from scrubber.cli.app import app
    from scrubber.io.readers import discover
    from scrubber.policy import load_policy
    from scrubber.run import run

    review_dir = _new_review(dataset, "r-export", scanner)
    sample = rv.load_sample(review_dir)
    store = rv.ReviewStore(review_dir, sample)
    outputs = {r["id"]: r["text"] for r in map(json.loads, (dataset["out"] / "notes.jsonl").read_text().splitlines())}
    first = sample.documents[0]
    text = outputs[first.doc]
    for l in first.leaks:  # confirm the husband's name, dismiss the doctor's as if it were not a name
        decision = "leak" if "Quenneville" in text[l["start"]:l["end"]] else "not_leak"
        store.append(position=0, decision=decision, reviewer="t", start=l["start"], end=l["end"], entity_type="PERSON", source="scan")
    start = text.index("zubbo ")
    store.append(position=0, decision="missed", reviewer="t", start=start, end=start + 5, entity_type="PERSON")

    env = {"SCRUBBER_KEY": KEY.decode()}
    deny = tmp_path / "deny.json"
    allow = tmp_path / "allow.toml"
    result = CliRunner().invoke(app, ["review", str(dataset["out"]), "--out", str(review_dir), "--export-deny", str(deny), "--export-allow", str(allow)], env=env)
    assert result.exit_code == 0, result.output
    raw = deny.read_text()
    assert "Quenneville" not in raw and "zubbo" not in raw
    assert "Ottoline" in allow.read_text()  # the dismissed words, in plain text by the reviewer's decision
    # never into the dataset
    result = CliRunner().invoke(app, ["review", str(dataset["out"]), "--out", str(review_dir), "--export-deny", str(dataset["out"] / "deny.json")], env=env)
    assert result.exit_code == 2 and "E270" in result.output and not (dataset["out"] / "deny.json").exists()
    # a random key cannot make one
    result = CliRunner().invoke(app, ["review", str(dataset["out"]), "--out", str(review_dir), "--export-deny", str(tmp_path / "d2.json")], env={"SCRUBBER_KEY": ""})
    assert result.exit_code == 2 and "E276" in result.output

    # the re-run with the same key hides the caught name everywhere, also in the document nobody reviewed it in
    from scrubber.keys import make_key

    deny_list = rv.load_deny_list(deny, make_key(KEY))
    again = tmp_path / "again"
    run(discover([str(dataset["notes"])]), scrubber=Scrubber(dataset["policy"], key=KEY, deny_list=deny_list), out_dir=again, options=dataset["options"])
    rescrubbed = (again / "notes.jsonl").read_text()
    assert "Quenneville" not in rescrubbed and " zubbo " not in rescrubbed
    assert "Quenneville" in (dataset["out"] / "notes.jsonl").read_text()  # control: the first run left it in both notes
    with pytest.raises(ScrubberError) as exc:
        rv.load_deny_list(deny, make_key(b"another-key-0123456789abcdef"))
    assert exc.value.code == "E277"

    # the allow-list added to a policy leaves the dismissed words alone
    policy_file = tmp_path / "allowing.toml"
    policy_file.write_text('preset = "tags"\n' + allow.read_text(), encoding="utf-8")
    allowing = load_policy(policy_file)
    assert "Ottoline" in " ".join(allowing.allow)
    text = "Plan reviewed with Quenneville team."
    assert "Quenneville" not in Scrubber(key=KEY).scrub(text).text
    assert "Quenneville" in Scrubber(load_policy_with(tmp_path, ["Quenneville"]), key=KEY).scrub(text).text


def load_policy_with(tmp_path: Path, words: list[str]):
    from scrubber.policy import load_policy

    path = tmp_path / "allow-words.toml"
    path.write_text('preset = "tags"\nallow = ' + json.dumps(words) + "\n", encoding="utf-8")
    return load_policy(path)


# -- the page ------------------------------------------------------------------------------------------
def _get(port: int, path: str, host: str | None = None, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    hdrs = dict(headers or {})
    if host is not None:
        hdrs["Host"] = host
    conn.request(method, path, body=body, headers=hdrs)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: picks the outgoing interface's address
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_server_refuses_requests_without_the_token_and_listens_on_loopback_only(dataset, scanner) -> None:
    from scrubber.review_server import ReviewServer

    review_dir = _new_review(dataset, "r-server", scanner)
    server = ReviewServer(dataset["out"], review_dir, reviewer="t", options=dataset["options"])
    server.start()
    try:
        port, token = server.port, server.token
        assert server.httpd.server_address[0] == "127.0.0.1"
        status, headers, page = _get(port, f"/{token}/")
        assert status == 200 and "default-src 'none'" in headers["Content-Security-Policy"]
        assert headers["Referrer-Policy"] == "no-referrer"
        assert b"<script src=\"app.js\"" in page and b"<script>" not in page and b"http" not in page.replace(b"http-equiv", b"")
        assert not any(f" on{e}=".encode() in page for e in ("click", "load", "change", "submit"))
        assert _get(port, f"/{token}/api/state")[0] == 200
        for path in ("/", "/api/state", f"/{token[:-1]}/api/state", f"/x{token}/api/doc/0", "/app.js", f"/api/doc/0?token={token}"):
            status, _, body = _get(port, path)
            assert status == 403 and b"Quenneville" not in body, path
        assert _get(port, f"/{token}/api/state", host=f"evil.example:{port}")[0] == 403  # DNS rebinding
        post = json.dumps({"position": 0, "decision": "reviewed"}).encode()
        assert _get(port, f"/{token}/api/decision", method="POST", body=post, headers={"Content-Type": "application/json", "Origin": "http://evil.example"})[0] == 403
        assert _get(port, f"/{token}/api/decision", method="POST", body=post, headers={"Content-Type": "text/plain"})[0] == 415
        assert _get(port, "/api/decision", method="POST", body=post, headers={"Content-Type": "application/json"})[0] == 403
        assert not (review_dir / rv.DECISIONS_FILE).exists()  # none of the refused requests recorded anything
        # another address of this machine does not answer: 127.0.0.2 (loopback, but not the bound address) and the LAN address
        for address in filter(None, ("127.0.0.2", _non_loopback_address())):
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=3).close()
    finally:
        server.stop()


def _browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        if os.environ.get("CI"):
            pytest.fail("CI must run the review page in a headless browser, but chromium/chromium-driver are not installed (.ci/run installs them)")
        pytest.skip("chromium and chromium-driver not installed; install them with: apt-get install -y chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # console errors (CSP violations) are read back
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def _select(browser, word: str) -> None:
    """Select ``word`` in the document as a reader does with the mouse (a DOM selection over the text)."""
    browser.execute_script(
        """
        const pre = document.getElementById('text'), word = arguments[0];
        const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf(word);
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + word.length);
            const s = window.getSelection(); s.removeAllRanges(); s.addRange(range); return;
          }
        }
        throw new Error('word not shown');
        """, word)


def test_review_page_in_a_real_browser_then_check(dataset, scanner, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    from scrubber.cli.app import app
    from scrubber.review_server import ReviewServer

    review_dir = _new_review(dataset, "r-browser", scanner)
    server = ReviewServer(dataset["out"], review_dir, reviewer="Reviewer One", options=dataset["options"])
    server.start()
    browser = _browser()
    wait = WebDriverWait(browser, 20)
    try:
        browser.get(server.url)
        wait.until(ec.text_to_be_present_in_element((By.ID, "title"), "R-1"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#suspect-1 .decide-leak")))
        browser.find_element(By.CSS_SELECTOR, "#suspect-0 .decide-leak").click()
        wait.until(ec.text_to_be_present_in_element_attribute((By.CSS_SELECTOR, "#suspect-0 .decide-leak"), "aria-pressed", "true"))
        browser.find_element(By.CSS_SELECTOR, "#suspect-1 .decide-not_leak").click()
        wait.until(ec.text_to_be_present_in_element_attribute((By.CSS_SELECTOR, "#suspect-1 .decide-not_leak"), "aria-pressed", "true"))
        _select(browser, "zubbo")
        wait.until(ec.text_to_be_present_in_element((By.ID, "selection-note"), "zubbo"))
        browser.find_element(By.ID, "mark-missed").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "missed"), "zubbo"))
        assert browser.find_elements(By.CSS_SELECTOR, "#text mark.missed")
        browser.find_element(By.ID, "done").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "progress"), "1 of 3"))
        # the other documents: dismiss their suspicions and finish them
        for expected in ("R-2", "R-3"):
            browser.find_element(By.ID, "next").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "title"), expected))
            for button_id in [li.get_attribute("id") for li in browser.find_elements(By.CSS_SELECTOR, "#suspects li[id]")]:
                browser.find_element(By.CSS_SELECTOR, f"#{button_id} .decide-not_leak").click()
                wait.until(ec.text_to_be_present_in_element_attribute((By.CSS_SELECTOR, f"#{button_id} .decide-not_leak"), "aria-pressed", "true"))
            browser.find_element(By.ID, "done").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "title"), "reviewed"))
        wait.until(ec.text_to_be_present_in_element((By.ID, "progress"), "3 of 3"))
        # reload: the decisions were kept
        browser.refresh()
        wait.until(ec.text_to_be_present_in_element((By.ID, "progress"), "3 of 3"))
        browser.find_element(By.CSS_SELECTOR, "#docs button[data-position='0']").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "title"), "R-1"))
        wait.until(ec.text_to_be_present_in_element((By.ID, "missed"), "zubbo"))
        assert browser.find_element(By.CSS_SELECTOR, "#suspect-0 .decide-leak").get_attribute("aria-pressed") == "true"
        assert browser.find_element(By.CSS_SELECTOR, "#suspect-1 .decide-not_leak").get_attribute("aria-pressed") == "true"
        errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
        assert not errors, errors  # a CSP violation or script error would show here
    finally:
        browser.quit()
        server.stop()

    raw = (review_dir / rv.DECISIONS_FILE).read_text(encoding="utf-8")
    assert "Quenneville" not in raw and "zubbo" not in raw and "Reviewer One" in raw
    out_json = tmp_path / "check.json"
    result = CliRunner().invoke(app, ["check", str(dataset["out"]), "--policy", str(dataset["policy_file"]), *READ, "-q",
                                      "--review", str(review_dir), "--json", str(out_json)])
    data = json.loads(out_json.read_text())
    review = data["review"]
    n, leaky, leaks = 3, 1, 2  # what was marked above: one document with a confirmed leak and a missed name
    assert (review["sample"]["documents"], review["documents_with_leaks"], review["leaks"]) == (n, leaky, leaks)
    assert review["share_upper"] == pytest.approx(beta.ppf(0.95, leaky + 1, n - leaky), rel=1e-9)
    assert review["per_1000_upper"] == pytest.approx(1000 * chi2.ppf(0.95, 2 * leaks + 2) / 2 / n, rel=1e-9)
    gate = next(c for c in data["check"]["checks"] if c["name"] == "review")
    assert gate["passed"] is False and "FAIL review" in result.output and result.exit_code == 1  # bound > 0.05
