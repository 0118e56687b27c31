"""spaCy named entities (PERSON, places) as findings, filtered for clinical text.

Reads the entities the engine's single ``nlp.pipe`` pass already produced
(``nlp_artifacts``); it never runs the model itself. A general-domain model
tags clinical shorthand as people ("cont", "abd soft", "Wean", "UROSEPSIS,
SEPTIC"), so each entity is trimmed to its name-like words and kept only if
one of them can be a name:

* in mixed-case text: a capitalised word that is not a stop word, clinical word
  or allow-listed term, and that the same document does not also use in lower
  case ("Wean ... wean") unless it is a census name;
* in ALL-CAPS or all-lower-case text, where the model cannot see capitals: a
  census first name or surname that is not a common or clinical word.

States and countries are not Safe Harbor identifiers, so a place that is one is dropped.
"""

from __future__ import annotations

import regex
from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult

from recognizers import register
from recognizers.lexicon import is_allowed, is_common, is_known_name
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
_WORD = regex.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?")
_LOWER_WORD = regex.compile(r"(?<![\w'])[a-z][a-z'’]+(?![\w'])")


def document_case(text: str) -> str:
    """``"upper"``, ``"lower"`` or ``"mixed"``: whether capitals carry information here."""
    letters = [c for c in text[:20000] if c.isalpha()]
    if not letters:
        return "mixed"
    upper = sum(c.isupper() for c in letters) / len(letters)
    if upper > 0.7:
        return "upper"
    if upper < 0.02:
        return "lower"
    return "mixed"


def name_like(word: str, case: str, lower_words: frozenset[str]) -> bool:
    """Could ``word`` be (part of) a person's or place's name in a document of this case?"""
    bare = word.removesuffix("'s").removesuffix("’s").strip(".")
    if len(bare) < 2 or is_common(bare):
        return False
    if case != "mixed":
        return is_known_name(bare)
    if not bare[0].isupper():
        return False
    if bare.casefold() in lower_words and not is_known_name(bare):
        return False
    return True


@register
class SpacyNerRecognizer(LocalRecognizer):
    """PERSON and sub-state places from the spaCy model's NER, trimmed to name-like words."""

    NAME = "spacy_ner"
    GROUP = "ner"
    ENTITIES = ("PERSON", "LOCATION")

    def __init__(self) -> None:
        super().__init__(supported_entities=list(self.ENTITIES), name=self.NAME, supported_language="en")

    def load(self) -> None:  # noqa: D102 - Presidio hook
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102 - Presidio hook
        if nlp_artifacts is None or not nlp_artifacts.entities:
            return []
        case = document_case(text)
        lower_words = frozenset(m.group().casefold() for m in _LOWER_WORD.finditer(text)) if case == "mixed" else frozenset()
        results = []
        for ent in nlp_artifacts.entities:
            mapped = _LABELS.get(ent.label_)
            if mapped is None:
                continue
            entity, score = mapped
            if entity == "LOCATION" and ent.text.strip().casefold() in _NOT_SUB_STATE:
                continue
            words = [m for m in _WORD.finditer(ent.text) if name_like(m.group(), case, lower_words)]
            if not words or is_allowed(ent.text):
                continue
            start = ent.start_char + words[0].start()
            end = ent.start_char + words[-1].end()
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
