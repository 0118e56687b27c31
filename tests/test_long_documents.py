"""Long documents: analysed in overlapping chunks, offsets mapped back, entities found whole.

The chunking unit tests need no model. The engine tests use a small chunk size
(2,000 characters, 400 overlap) so that a few kilobytes of text span several
chunks, and compare with the session engine, whose chunks (50,000) are larger
than any document here, i.e. with the same documents scrubbed unchunked.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrubber.chunking import Chunk, chunk_bounds, combine, segments
from scrubber.resolve import Candidate

SIZE, OVERLAP = 2_000, 400

SENTENCES = (
    "Patient resting comfortably in bed, no acute distress noted.",
    "Vital signs stable overnight, afebrile, tolerating oral intake.",
    "Lungs clear to auscultation bilaterally, heart regular rate and rhythm.",
    "Continue current medications and monitor blood glucose before meals.",
    "Abdomen soft, nontender, bowel sounds present in all quadrants.",
    "Wound dressing clean, dry and intact, no signs of infection.",
    "Plan to advance diet as tolerated and encourage ambulation.",
    "Pain controlled with acetaminophen, rated three out of ten.",
)


def filler(chars: int, *, start: int = 0) -> str:
    """About ``chars`` characters of PHI-free clinical sentences in one paragraph (no line breaks,
    so chunk cuts fall at spaces, possibly inside a multi-word entity)."""
    out: list[str] = []
    size, i = 0, start
    while size < chars:
        sentence = SENTENCES[i % len(SENTENCES)]
        out.append(sentence)
        size += len(sentence) + 1
        i += 1
    return " ".join(out)


def cuts(text: str) -> set[int]:
    """Every offset where a chunk starts or ends inside the document."""
    chunks = chunk_bounds(text, SIZE, OVERLAP)
    return {c.end for c in chunks[:-1]} | {c.start for c in chunks[1:]}


# -- chunking, no model ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="ab \n.", min_size=0, max_size=12_000),
    size=st.integers(800, 3_000),
    overlap=st.integers(200, 500),
)
def test_chunks_cover_the_text_overlap_and_respect_the_size(text: str, size: int, overlap: int) -> None:
    if size < 4 * overlap:
        size = 4 * overlap
    chunks = chunk_bounds(text, size, overlap)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for chunk in chunks:
        assert chunk.end - chunk.start <= size
    margin = overlap // 4
    for left, right in zip(chunks, chunks[1:]):
        assert left.start < right.start < left.end
        assert left.end - right.start >= overlap
        # interiors overlap by at least half the overlap: an entity that long fits in one
        assert left.inner_end - right.inner_start >= overlap // 2
        assert left.inner_end == left.end - margin and right.inner_start == right.start + margin
    assert chunks[0].inner_start == 0 and chunks[-1].inner_end == len(text)


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.text(alphabet="abc", min_size=1, max_size=30), min_size=1, max_size=800), newline_every=st.integers(3, 400))
def test_chunks_are_cut_after_whitespace_and_prefer_line_breaks(words: list[str], newline_every: int) -> None:
    text = "".join(w + ("\n" if i % newline_every == newline_every - 1 else " ") for i, w in enumerate(words))
    chunks = chunk_bounds(text, SIZE, OVERLAP)
    for chunk in chunks[1:]:
        assert text[chunk.start - 1].isspace()
    for chunk in chunks[:-1]:
        assert text[chunk.end - 1].isspace()
        window = text[chunk.end - OVERLAP : chunk.end]
        if "\n" in window:
            assert text[chunk.end - 1] == "\n"


def test_text_without_whitespace_is_cut_hard_at_the_chunk_size() -> None:
    chunks = chunk_bounds("x" * 5_000, SIZE, OVERLAP)
    assert [(c.start, c.end) for c in chunks] == [(0, 2_000), (1_600, 3_600), (3_200, 5_000)]


def test_a_text_no_longer_than_a_chunk_is_one_chunk() -> None:
    assert chunk_bounds("a b " * 500, SIZE, OVERLAP) == [Chunk(0, 2_000, 0, 2_000)]


@pytest.mark.parametrize(("size", "overlap"), [(1_000, 400), (10_000, 100)])
def test_unworkable_chunk_settings_are_refused(size: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_bounds("text", size, overlap)


def test_unworkable_chunk_settings_stop_the_engine_before_the_model_loads() -> None:
    from scrubber import Scrubber
    from scrubber.errors import ScrubberError

    with pytest.raises(ScrubberError, match="E232"):
        Scrubber(chunk_chars=1_000, chunk_overlap=400)


CHUNKS = [Chunk(0, 1_000, 0, 900), Chunk(600, 2_000, 700, 2_000)]


def test_a_fragment_at_a_cut_gives_way_to_the_neighbour_that_saw_it_whole() -> None:
    fragment = Candidate(960, 1_000, "PERSON", 0.85, "spacy_ner")  # cut off at the end of chunk 1
    whole = Candidate(360, 410, "PERSON", 0.9, "titled_name")  # 960..1010 in chunk 2
    assert combine(CHUNKS, [[fragment], [whole]]) == [Candidate(960, 1_010, "PERSON", 0.9, "titled_name")]


def test_a_span_no_chunk_saw_whole_is_kept() -> None:
    long_span = Candidate(650, 1_000, "STREET_ADDRESS", 0.6, "street_address")  # reaches both cut margins
    assert combine(CHUNKS, [[long_span], []]) == [long_span]


def test_the_same_candidate_from_two_chunks_is_kept_once() -> None:
    date = Candidate(750, 760, "DATE", 0.9, "date")
    assert combine(CHUNKS, [[date], [Candidate(150, 160, "DATE", 0.9, "date")]]) == [date]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 30)), max_size=40), st.integers(10, 200))
def test_segments_cover_the_text_and_never_cut_a_span(gaps: list[tuple[int, int]], size: int) -> None:
    spans, position = [], 0
    for gap, length in gaps:
        spans.append((position + gap, position + gap + length))
        position += gap + length
    length = position + 5
    pieces = segments(length, spans, size)
    assert pieces[0][0] == 0 and pieces[-1][1] == length
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))
    for lo, hi in pieces:
        assert not any(start < lo < end or start < hi < end for start, end in spans)


# -- the engine over long documents (spaCy model) ---------------------------------------------


@pytest.fixture(scope="module")
def chunked():
    from scrubber import Scrubber

    # the session engine's key, so fingerprints and replacements can be compared with it
    return Scrubber(key=b"test-key-0123456789abcdef", chunk_chars=SIZE, chunk_overlap=OVERLAP, crosswalk=True)


def assert_offsets_index_the_original(text: str, result) -> None:
    """Rebuild the input from the output with the crosswalk reversal: every finding's offsets
    point at what was replaced, and everything between findings is unchanged."""
    assert len(result.reversal) == len(result.findings)
    rebuilt, out_position, in_position = [], 0, 0
    for finding, (out_start, out_end, original) in zip(result.findings, result.reversal):
        assert text[finding.start : finding.end] == original
        assert result.text[out_position:out_start] == text[in_position : finding.start]
        rebuilt += [text[in_position : finding.start], original]
        out_position, in_position = out_end, finding.end
    assert result.text[out_position:] == text[in_position:]
    assert "".join(rebuilt) + text[in_position:] == text


def assert_same_as_unchunked(text: str, chunked_result, unchunked) -> None:
    reference = unchunked.scrub(text)
    assert chunked_result.findings == reference.findings
    assert chunked_result.text == reference.text


# (phrase, value, entity type, the part a cut must fall inside): a multi-word value is cut
# inside itself; a one-word value cannot be (cuts fall at spaces), so it is cut off from its cue.
ACROSS = [
    ("Seen today by Dr. John Smith for follow up.", "John Smith", "PERSON", "John Smith"),
    ("Seen today by Dr. John Smith for follow up.", "John Smith", "PERSON", "Dr. John"),
    ("Discussed with Mr. Peter Whitcombe at bedside.", "Peter Whitcombe", "PERSON", "Peter Whitcombe"),
    ("Admitted on March 14, 2024 with chest pain.", "March 14, 2024", "DATE", "March 14, 2024"),
    ("Last seen 03/14/2024 in clinic.", "03/14/2024", "DATE", "seen 03/14/2024"),
    ("Chart MRN: 4432189 reviewed.", "4432189", "MEDICAL_RECORD_NUMBER", "MRN: 4432189"),
]


def _place_across_a_cut(phrase: str, value: str, cut_inside: str) -> tuple[str, int, int]:
    """A document holding ``phrase`` where a chunk starts or ends strictly inside ``cut_inside``;
    returns it with the value's start and the cut."""
    for lead in range(SIZE - 2 * OVERLAP - len(phrase), SIZE + 50):
        head = filler(lead)[:lead]
        text = head + " " + phrase + " " + filler(3_000, start=3)
        lo = len(head) + 1 + phrase.index(cut_inside)
        inside = [cut for cut in cuts(text) if lo < cut < lo + len(cut_inside)]
        if inside:
            return text, len(head) + 1 + phrase.index(value), inside[0]
    raise AssertionError(f"could not place a cut inside {cut_inside!r}")  # the test setup is wrong


@pytest.mark.slow
@pytest.mark.parametrize(("phrase", "value", "entity", "cut_inside"), ACROSS, ids=[f"{a[2]}:{a[3]}" for a in ACROSS])
def test_entity_across_a_chunk_cut_is_found_whole(chunked, scrubber, phrase: str, value: str, entity: str, cut_inside: str) -> None:
    text, start, _cut = _place_across_a_cut(phrase, value, cut_inside)
    result = chunked.scrub(text)
    covering = [f for f in result.findings if f.start <= start and start + len(value) <= f.end]
    assert len(covering) == 1 and covering[0].entity_type == entity, "not found as one whole span"
    for word in value.replace(",", " ").split():
        if len(word) > 2:
            assert word not in result.text
    assert_offsets_index_the_original(text, result)
    assert_same_as_unchunked(text, result, scrubber)


HEADER = (
    "Patient: Marcus T. Whitfield MRN: SA-7731046 DOB: 1956-11-02 Date of service: 2024-04-03 "
    "Provider: Alan Graves, MD Referring: Priya Raman, NP. Call (614) 555-0123 or e-mail m.whitfield@example.org."
)


@pytest.mark.slow
@pytest.mark.parametrize("shift", range(0, 1_200, 150))
def test_chunked_result_equals_unchunked_wherever_the_cuts_fall(chunked, scrubber, shift: int) -> None:
    text = filler(1_000 + shift) + " " + HEADER + " " + filler(2_500, start=5) + "\n" + HEADER + "\n" + filler(1_500, start=2)
    result = chunked.scrub(text)
    assert len(chunk_bounds(text, SIZE, OVERLAP)) >= 3
    assert "Whitfield" not in result.text and "7731046" not in result.text and "555-0123" not in result.text
    assert_offsets_index_the_original(text, result)
    assert_same_as_unchunked(text, result, scrubber)


@pytest.mark.slow
def test_offsets_map_back_through_normalization_in_later_chunks(chunked, scrubber) -> None:
    # zero-width and full-width characters change lengths between the original and the
    # detection view; the chunk offsets are view offsets, the findings original ones
    tricky = "Temp 37.2\u00b0C. Seen by Dr. Jo\u200bhn Sm\u00adith, MRN: \uff14\uff14\uff13\uff12\uff11\uff18\uff19. "
    text = filler(2_500) + " " + tricky + filler(1_800, start=4) + " " + tricky + filler(600, start=1)
    result = chunked.scrub(text)
    assert "Jo\u200bhn" not in result.text and "\uff14\uff14\uff13\uff12" not in result.text
    assert_offsets_index_the_original(text, result)
    assert_same_as_unchunked(text, result, scrubber)


@pytest.mark.slow
def test_a_name_found_in_the_first_chunk_is_hidden_in_a_later_one(chunked, scrubber) -> None:
    later = " The plan went over well and haverbrook agrees with it. "  # no cue: "msg left for X" is one now
    alone = filler(800) + later + filler(800, start=2)
    assert "haverbrook" in scrubber.scrub(alone).text, "precondition: the bare later mention is not found on its own"

    text = "Seen with Dr. Haverbrook this morning. " + filler(5_000) + later + filler(800, start=2)
    chunks = chunk_bounds(text, SIZE, OVERLAP)
    at = text.index("haverbrook")
    assert not any(c.start <= 14 and at < c.end for c in chunks), "precondition: no chunk holds both mentions"
    result = chunked.scrub(text)
    assert "Haverbrook" not in result.text and "haverbrook" not in result.text
    assert any(f.start == at and f.recognizer == "propagation" for f in result.findings)
    assert_same_as_unchunked(text, result, scrubber)


@pytest.mark.slow
def test_the_model_never_sees_more_than_a_chunk(chunked, monkeypatch) -> None:
    seen: list[list[int]] = []  # text lengths per model minibatch
    pipe = chunked.nlp.pipe

    def recording(texts, *, batch_size, **kwargs):
        texts = list(texts)
        seen.extend([len(t) for t in texts[i : i + batch_size]] for i in range(0, len(texts), batch_size))
        return pipe(texts, batch_size=batch_size, **kwargs)

    monkeypatch.setattr(chunked.nlp, "pipe", recording)
    records = [("long", filler(9_000)), *((f"short-{i}", filler(300 + 40 * i, start=i)) for i in range(20))]
    results = list(chunked.scrub_stream(records))
    assert not any(r.quarantined for r in results)
    assert len(seen) > 2
    for lengths in seen:
        assert len(lengths) == 1 or sum(lengths) <= SIZE, lengths
        assert max(lengths) <= SIZE


@pytest.mark.slow
def test_a_model_failure_in_one_chunk_quarantines_the_document(chunked, monkeypatch) -> None:
    pipe = chunked.nlp.pipe
    read = [0]  # chunks read so far, over every call (the engine may read chunk by chunk)

    def failing_on_the_third(texts, *args, **kwargs):
        for doc in pipe(texts, *args, **kwargs):
            read[0] += 1
            if read[0] == 3:
                raise RuntimeError("Dr. John Smith")  # the message must not leak
            yield doc

    monkeypatch.setattr(chunked.nlp, "pipe", failing_on_the_third)
    (result,) = chunked.scrub_stream([("long", "Dr. John Smith. " + filler(8_000))])
    assert result.quarantined and result.error == "E301" and result.text == ""
    assert "Smith" not in result.detail


@pytest.mark.slow
def test_a_pattern_timeout_in_one_chunk_quarantines_the_document(chunked, monkeypatch) -> None:
    from recognizers.base import RecognizerTimeout

    analyze = chunked._analyzer.analyze
    calls = []

    def timing_out_later(text, *args, **kwargs):
        calls.append(len(text))
        if len(calls) == 3:
            raise RecognizerTimeout("date/m/d")
        return analyze(text, *args, **kwargs)

    monkeypatch.setattr(chunked._analyzer, "analyze", timing_out_later)
    (result,) = chunked.scrub_stream([("long", filler(8_000))])
    assert result.quarantined and result.error == "E302" and result.text == ""


def test_the_default_limit_lets_a_10_mb_document_through() -> None:
    from scrubber.engine import DEFAULT_MAX_CHARS

    assert DEFAULT_MAX_CHARS >= 10_000_000


@pytest.mark.slow
def test_a_multi_megabyte_document_is_scrubbed_not_quarantined(scrubber) -> None:
    # 3 MB: notes separated by long runs of blank lines. The model's and the patterns' cost is
    # per word, so this keeps the test quick (about 250 KB of words) while every stage sees a
    # 3 MB document; benchmarks/memory.py --long-document times a dense 10 MB one.
    page = HEADER + "\n" + filler(2_000) + "\n" * 25_000
    copies = 3_000_000 // len(page) + 1
    text = "Seen by Dr. Haverbrook. " + page * copies + "End of record, Dr. Haverbrook."
    assert len(text) >= 3_000_000 and len(text) > 50 * scrubber.chunk_chars
    result = scrubber.scrub(text)
    assert not result.quarantined
    for secret in ("Whitfield", "7731046", "555-0123", "Haverbrook", "whitfield@example.org"):
        assert secret not in result.text


@pytest.mark.slow
def test_surrogates_and_date_shifts_do_not_depend_on_chunking() -> None:
    from scrubber import Record, Scrubber

    key = b"surrogate-key-0123456789"
    unchunked = Scrubber("surrogate", key=key)
    small = Scrubber("surrogate", key=key, chunk_chars=SIZE, chunk_overlap=OVERLAP, crosswalk=True)
    text = filler(900) + " " + HEADER + " " + filler(2_300, start=5) + "\n" + HEADER + "\n" + filler(1_900, start=2) + " " + HEADER
    (reference,) = unchunked.scrub_stream([Record("doc", text, patient="p1")])
    (result,) = small.scrub_stream([Record("doc", text, patient="p1")])
    assert "Whitfield" not in result.text and "1956-11-02" not in result.text
    assert result.text == reference.text and result.findings == reference.findings
    assert_offsets_index_the_original(text, result)


# -- the command line -------------------------------------------------------------------------


def test_cli_refuses_a_chunk_size_below_four_overlaps(tmp_path) -> None:
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    (tmp_path / "a.txt").write_text("Dr. Patel")
    result = CliRunner().invoke(app, ["scrub", "--quiet", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--chunk-chars", "5000"])
    assert result.exit_code == 2 and "E232" in result.stderr and "--chunk-chars" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_cli_scrubs_long_documents_in_chunks_and_quarantines_beyond_max_chars(tmp_path) -> None:
    from typer.testing import CliRunner

    from scrubber.cli.app import app

    notes = tmp_path / "notes"
    notes.mkdir()
    long_note = "Seen by Dr. Haverbrook. " + filler(20_000) + " " + HEADER + " " + filler(5_000, start=3)
    (notes / "long.txt").write_text(long_note, encoding="utf-8")
    (notes / "too_long.txt").write_text(filler(40_001), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["scrub", "--quiet", str(notes), "--out", str(out), "--chunk-chars", "8000", "--max-chars", "40000"],
        env={"SCRUBBER_KEY": "cli-test-key-0123456789abcdef"},
    )
    assert result.exit_code == 3, result.stderr
    written = (out / "long.txt").read_text(encoding="utf-8")
    assert "Haverbrook" not in written and "Whitfield" not in written and "[PERSON]" in written
    assert not (out / "too_long.txt").exists()
    (quarantined,) = [json.loads(line) for line in (out / "quarantine.jsonl").read_text().splitlines()]
    assert quarantined["code"] == "E107" and quarantined["id"] == "too_long.txt"
