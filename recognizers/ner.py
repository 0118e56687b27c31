"""spaCy named entities (PERSON, places) as findings.

Reads the entities the engine's single ``nlp.pipe`` pass already produced
(``nlp_artifacts``); it never runs the model itself. States and countries are
not Safe Harbor identifiers, so a place that is one is dropped.
"""

from __future__ import annotations

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from recognizers import register
from recognizers.locations import STATE_ABBR, STATE_NAME

_LABELS = {"PERSON": ("PERSON", 0.85), "GPE": ("LOCATION", 0.7), "LOC": ("LOCATION", 0.6), "FAC": ("LOCATION", 0.6)}
_NOT_SUB_STATE = frozenset(
    s.casefold()
    for s in (
        *STATE_NAME.split("|"), *STATE_ABBR.split("|"), "US", "U.S.", "USA", "U.S.A.", "United States", "America",
        "Canada", "Mexico", "UK", "England", "China", "India", "Japan", "Germany", "France", "Italy", "Spain", "Russia",
        "Vietnam", "Korea", "Philippines", "Ireland", "Brazil", "Haiti", "Cuba", "Puerto Rico", "Europe", "Africa", "Asia",
        "the United States", "New England", "Midwest", "the Midwest",
    )
)


@register
class SpacyNerRecognizer(LocalRecognizer):
    """PERSON and sub-state places from the spaCy model's NER."""

    NAME = "spacy_ner"
    GROUP = "ner"
    ENTITIES = ("PERSON", "LOCATION")

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name=self.NAME, supported_language="en")

    def load(self) -> None:  # noqa: D102 - Presidio hook
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102 - Presidio hook
        if nlp_artifacts is None:
            return []
        results = []
        for ent in nlp_artifacts.entities:
            mapped = _LABELS.get(ent.label_)
            if mapped is None:
                continue
            entity, score = mapped
            value = ent.text.strip()
            if not value or (entity == "LOCATION" and value.casefold() in _NOT_SUB_STATE):
                continue
            start = ent.start_char
            end = ent.end_char
            # drop a possessive or trailing punctuation that spaCy included
            while end > start and not text[end - 1].isalnum():
                end -= 1
            if end <= start:
                continue
            results.append(
                RecognizerResult(
                    entity_type=entity,
                    start=start,
                    end=end,
                    score=score,
                    analysis_explanation=AnalysisExplanation(
                        recognizer=self.NAME, original_score=score, textual_explanation=f"spaCy {ent.label_}"
                    ),
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.NAME,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
            )
        return results
