"""The per-record Document and the one span type (recognizers/document.py).

The engine builds one Document per record; every recognizer and check that asks about the
record's case or prefilters gets that one Document (through the engine's ``analysing``
context), so each fact is computed once per record. Spans are one frozen type from the
recognizers through the document steps; Presidio's RecognizerResult exists only at the edge.
"""

from __future__ import annotations

import dataclasses

import pytest
import regex

import recognizers.document as document_module
from recognizers.base import from_presidio, to_presidio
from recognizers.document import Document, Span, analysing, rule_text, text_case
from recognizers.lexicon import document_case
from scrubber.normalize import normalize
from scrubber.resolve import Candidate

NOTES = [
    "PT RESTING. WIFE AT BEDSIDE. DR. ZORBLATT AWARE, MRN 4432189.",
    "pt seen by dr. lindquist on 03/14/2024, zip 02139.",
    "Mr. Okonkwo was seen at Mercy Hospital, Springfield, on 3/14/2024. Call 617-555-0199.",
]


def test_document_of_is_the_active_document_for_its_text_only() -> None:
    text = "Pt resting."
    doc = Document(text)
    assert Document.of(text) is not doc  # nothing active: a new document
    with analysing(doc):
        assert Document.of(text) is doc
        assert Document.of("".join(["Pt ", "resting."])) is doc  # an equal text, not the same object
        assert Document.of("Another text.") is not doc
        inner = Document("Another text.")
        with analysing(inner):  # blocks nest
            assert Document.of("Another text.") is inner
            assert Document.of(text) is not doc
        assert Document.of(text) is doc  # the outer document is back
    assert Document.of(text) is not doc


def test_facts_are_computed_once_and_match_the_pure_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = document_module.text_case
    monkeypatch.setattr(document_module, "text_case", lambda text: calls.append(text) or original(text))
    doc = Document(NOTES[0])
    assert (doc.case, doc.case) == ("upper", "upper")
    assert len(calls) == 1
    with analysing(doc):
        assert document_case(NOTES[0]) == "upper"  # the rules' accessor reads the active document
    assert len(calls) == 1
    assert [Document(n).case for n in NOTES] == [text_case(n) for n in NOTES] == ["upper", "lower", "mixed"]


class _CountingPrefilter:
    """Stands in for a compiled prefilter and counts its searches."""

    def __init__(self, expression: str) -> None:
        self.rx = regex.compile(expression)
        self.searches = 0

    def search(self, text: str, timeout: float):
        self.searches += 1
        return self.rx.search(text, timeout=timeout)


def test_a_prefilter_is_searched_once_per_document() -> None:
    digits = _CountingPrefilter(r"\d{5}")
    doc = Document(NOTES[1])
    assert [doc.has(digits, 1.0) for _ in range(3)] == [True, True, True]  # type: ignore[arg-type]
    assert digits.searches == 1
    assert Document(NOTES[0]).has(digits, 1.0) is True  # type: ignore[arg-type]  # MRN 4432189
    assert Document("no digits").has(digits, 1.0) is False  # type: ignore[arg-type]
    assert digits.searches == 3


def test_the_engine_hands_every_recognizer_one_document_per_record(scrubber, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every prefilter lookup and case fact of a record comes from one Document, built for that record."""
    seen: dict[str, set[int]] = {}
    cases: list[str] = []
    has, case = Document.has, Document.case.fget  # type: ignore[attr-defined]

    def spying_has(self, prefilter, timeout):
        seen.setdefault(self.text, set()).add(id(self))
        return has(self, prefilter, timeout)

    def spying_case(self):
        if self._case is None:
            cases.append(self.text)
        return case(self)

    monkeypatch.setattr(Document, "has", spying_has)
    monkeypatch.setattr(Document, "case", property(spying_case))
    results = list(scrubber.scrub_stream((str(i), note) for i, note in enumerate(NOTES)))
    assert all(r.error is None and r.findings for r in results)
    read = [rule_text(note) for note in NOTES]  # a note without capitals is read in capitals
    assert read[1] == NOTES[1].upper() and read[0] == NOTES[0] and read[2] == NOTES[2]
    assert set(seen) == set(read)  # the recognizers asked about each record (prefilters ran)...
    assert all(len(ids) == 1 for ids in seen.values()), "a record's prefilters were looked up on several Documents"
    assert sorted(cases) == sorted(read)  # ...and its case was computed once, for the record


def test_the_document_never_shows_its_text() -> None:
    doc = Document("Mr. Okonkwo, MRN 4432189")
    assert "Okonkwo" not in repr(doc) and "4432189" not in repr(doc)


def test_span_is_frozen_and_its_pattern_is_not_part_of_its_identity() -> None:
    span = Span(0, 4, "PERSON", 0.9, "titled_name", "title")
    with pytest.raises(dataclasses.FrozenInstanceError):
        span.start = 1  # type: ignore[misc]
    assert span == Span(0, 4, "PERSON", 0.9, "titled_name")
    assert hash(span) == hash(Span(0, 4, "PERSON", 0.9, "titled_name", "other"))
    assert span != Span(0, 4, "PERSON", 0.8, "titled_name", "title")
    assert "title'" not in repr(span)
    assert Candidate is Span  # the steps' former name is the same type


def test_presidio_edge_round_trip() -> None:
    span = Span(3, 11, "MEDICAL_RECORD_NUMBER", 0.85, "mrn", "labelled")
    result = to_presidio(span, "mrn-id")
    assert (result.entity_type, result.start, result.end, result.score) == ("MEDICAL_RECORD_NUMBER", 3, 11, 0.85)
    assert result.recognition_metadata == {"recognizer_name": "mrn", "recognizer_identifier": "mrn-id"}
    assert result.analysis_explanation.pattern_name == "labelled"
    back = from_presidio(result)
    assert (back, back.pattern) == (span, "labelled")


def test_recognizers_and_steps_speak_spans(scrubber) -> None:
    from recognizers.ids import MrnRecognizer

    found = MrnRecognizer().find("MRN: 4432189")
    assert found and all(type(s) is Span for s in found)
    assert {(s.start, s.end, s.entity_type, s.recognizer) for s in found} == {(5, 12, "MEDICAL_RECORD_NUMBER", "mrn")}
    assert {s.pattern for s in found} <= {p.name for p in MrnRecognizer.PATTERNS}
    view = normalize(NOTES[2])
    spans = scrubber.detect(view, scrubber.nlp(view.text))
    assert spans and all(type(s) is Span for s in spans)


def test_a_note_without_capitals_is_read_like_one_in_capitals() -> None:
    """Lower-case and ALL-CAPS notes are one kind of text to the rules: the same findings at the same
    offsets (the model, which reads each note as written, is left out)."""
    import recognizers
    from scrubber import Scrubber
    from scrubber.policy import Policy

    rules = Scrubber(Policy(recognizers=tuple(r for r in recognizers.available() if r != "spacy_ner")), key=b"0123456789abcdef0123")
    note = "lytes repleted by tamara wiles, rn. k adams ordered dobutamine. came from memorial hospital 4/22."
    lower, upper = rules.scrub(note), rules.scrub(note.upper())
    assert [(f.start, f.end, f.entity_type) for f in lower.findings] == [(f.start, f.end, f.entity_type) for f in upper.findings]
    assert not {"wiles", "adams", "memorial", "4/22"} & set(lower.text.replace(".", " ").split()), lower.text
    assert rule_text("Mixed Case stays.") == "Mixed Case stays."
    assert rule_text("lives on hauptstraße") == "lives on hauptstraße"  # "ß" -> "SS" would move offsets: kept
