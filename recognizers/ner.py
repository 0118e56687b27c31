"""spaCy named entities (PERSON, places) as findings, filtered for clinical text.

Reads the entities the engine's single ``nlp.pipe`` pass already produced
(``nlp_artifacts``); it never runs the model itself. A general-domain model
tags clinical shorthand as people ("cont", "abd soft", "Wean", "UROSEPSIS,
SEPTIC"), so each entity is trimmed to its name-like words and kept only if
one of them can be a name:

* in mixed-case text: a capitalised word that is not a stop word, clinical word
  or allow-listed term, and that the same document does not also use in lower
  case ("Wean ... wean") unless it is a census name;
* in ALL-CAPS or all-lower-case text, where capitals say nothing: a census first name or
  surname that is not a common or clinical word; or, for a person, where the caseless NER
  (:mod:`recognizers.caseless`, trained to find people without capitals) read the text
  (``Document.caseless_ner``), a first name of another country, even alone ("giulia"), and a word
  no vocabulary knows (:func:`recognizers.vocab.unfamiliar_word`: "okonkwo") only beside another
  name word of the same entity ("hamid okonkwo", "adeyemi nwachukwu"): the model's reading is the
  cue such a word needs. Alone (counted after the entity is trimmed to its name-like words, so "dr
  okonkwo" is one word here), such a word is left to the rules whose cues put a name there ("dr
  okonkwo", "son okonkwo"): shorthand and misspellings ("lscta", "overnoc", "stimlui") outnumber
  unknown names, and the model's reading of a single word does not tell them apart. Two such words
  together still count (a shorthand pair is a known gap). A place needs a preposition before it.

States and countries are not Safe Harbor identifiers, so a place that is one is dropped.
"""

from __future__ import annotations

import regex
from presidio_analyzer import LocalRecognizer

from recognizers import register
from recognizers.base import to_presidio
from recognizers.document import Document, Span
from recognizers.lexicon import (
    EPONYM_NOUN,
    RELATION_WORD,
    document_case,
    english_top,
    english_words,
    first_names,
    is_allowed,
    is_common,
    is_frequent_name,
    is_known_name,
    is_known_name_any,
    is_ordinary_word,
    allow_list,
    near_allowed,
    near_common_word,
    near_drug,
    preload,
    starts_allowed_phrase,
    surnames,
    zipf,
)
from recognizers.gazetteer import ORG_FACILITY_WORDS, STATE_ABBR, STATE_NAME
from recognizers.vocab import medical_term, unfamiliar_word, world_first_name

_LABELS = {
    "PERSON": ("PERSON", 0.85), "GPE": ("LOCATION", 0.7), "LOC": ("LOCATION", 0.6), "FAC": ("LOCATION", 0.6),
    "ORG": ("HOSPITAL", 0.6),
}
# An ORG is a facility only when the text says the patient was there ("treated at UCSF").
_AT_PLACE = regex.compile(
    r"(?i)\b(?:treated|seen|admitted|transferr?ed|transfered|sent|went|presented|visited|evaluated|followed|referred"
    r"|discharged|hospitali[sz]ed|works?|worked|employed|lives|lived|living|resides|grew|raised|born|returned|came"
    r"|flown|flighted|operated\s+on|cared\s+for)"
    r"\s+(?:\w+\s+)?(?:at|to|from|in|into|by|with)\s+(?:the\s+)?$"
)
_AT_IN_FROM = regex.compile(r"(?i)\b(?:at|in|from)\s+(?:the\s+)?$")
_AT_ONLY = regex.compile(r"(?i)\b(?:at|from)\s+(?:the\s+)?$")
_PREPOSITION = regex.compile(r"(?i)\b(?:at|to|from|in|into|near|of)\s+(?:the\s+)?$")
_FACILITY_WORD = regex.compile(rf"(?i)\b(?:{ORG_FACILITY_WORDS})\b")
_TRAILING_INITIAL = regex.compile(r"^\s[A-Z]\.")
_SENTENCE_START = regex.compile(r"(?:^|[\n.:;!?]\s*|\n\s*)$")
_LIST_MARKER = regex.compile(r"(?:^|\n)[ \t]*[A-Z]\.[ \t]+$")
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


_VOWEL = regex.compile(r"[aeiouyàáâãäåèéêëìíîïòóôõöùúûüý]")
_DERIVED = regex.compile(r"(?i)(?:ed|ing|tion|sion|ly|ous|ive|itis|osis|emia|ectomy|otomy|scopy|ment|ness|ism|ize|ise)$")


def _plausible_single(word: str, entity: str, case: str) -> bool:
    """A one-word entity: not an acronym in mixed text, not a derived English word ("Suctioned", "Sinusitis"),
    not a misspelt drug ("Integrellin")."""
    bare = word.strip(".").removesuffix("'s").removesuffix("’s")
    if near_allowed(bare) or near_drug(bare):
        return False  # "Integrellin", "Noesynephrine": a misspelt drug
    if entity == "HOSPITAL":
        return True  # "treated at UCSF" was checked by the ORG rule
    if case == "mixed" and bare.isupper() and len(bare) <= 4:
        return False
    if (_DERIVED.search(bare) or medical_term(bare)) and not is_known_name_any(bare):
        return False  # "Suctioned", "Tachycardic", "Tachycardia"
    if entity == "LOCATION" and case != "mixed" and bare.casefold() in english_words():
        return False  # "IN GROIN", "TO GAUZE"
    if entity == "PERSON" and case == "mixed" and not bare.isupper() and bare.upper() in allow_list().exact:
        return False  # "Peg intact", "Ra spo2", "Gu: foley", "moves Lue": an abbreviation written in title case
    if entity == "PERSON" and case != "mixed" and not is_known_name(bare) and not world_first_name(bare):
        return False  # without capitals, one word no vocabulary knows ("lscta", "overnoc"): a name needs a neighbour
    if entity == "PERSON":
        # Measured on the dev corpora's single-word spaCy PERSON spans (46 false, 1 true):
        folded = bare.casefold()
        first = folded in first_names()
        census = first or folded in surnames()
        if "." not in bare and not _VOWEL.search(folded):
            return False  # "Dsgs", "Bp", "Sxnd": shorthand, never a name
        if len(bare) <= 3 and not census:
            return False  # "Dox", "Neg", "Rec"
        if folded in english_words() and (not census or (case != "mixed" and not first and not is_frequent_name(bare))):
            return False  # "Awake", "Mussels"; without capitals "tan", "kidney", "lung" (census surnames, not first names)
    return True


def name_like(word: str, case: str, lower_words: frozenset[str], *, person: bool = True, caseless_ner: bool = False) -> bool:
    """Could ``word`` be (part of) a person's (or, with ``person=False``, a place's) name here?

    Everyday English words are not taken as people's names without a cue;
    place names often are everyday words ("Boston", "Chicago"), so they are.
    A relation is no name ("Niece Tamsin" is "Tamsin").

    Example:
        >>> name_like("Tamsin", "mixed", frozenset()), name_like("Niece", "mixed", frozenset())
        (True, False)
    """
    bare = word.removesuffix("'s").removesuffix("’s").strip(".")
    if len(bare) < 2 or is_common(bare) or any(ch.isdigit() for ch in bare):
        return False
    ordinary = person and bare.casefold() in english_top()
    if case != "mixed":
        # no capitals to go by: only census names that are not also everyday words
        if caseless_ner and person and not is_known_name(bare) and (world_first_name(bare) or unfamiliar_word(bare)):
            return True  # the caseless NER read a person here ("OKONKWO"), a word no vocabulary knows
        return (is_known_name(bare) or not person) and not ordinary and bare.casefold() not in english_top()
    if not bare[0].isupper():
        return False
    if (ordinary or bare.casefold() in lower_words) and not is_frequent_name(bare):
        return False
    if person and (is_ordinary_word(bare) or (bare.isupper() and len(bare) <= 4) or RELATION_WORD.fullmatch(bare)):
        return False  # "Electronically", "Caller", "Niece"; acronyms such as "MVC" in mixed-case text
    return True


@register
class SpacyNerRecognizer(LocalRecognizer):
    """PERSON and sub-state places from the spaCy model's NER, trimmed to name-like words."""

    NAME = "spacy_ner"
    ENTITIES = ("PERSON", "LOCATION", "HOSPITAL")

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        if supported_language != "en":
            raise ValueError(f"E016 recognizer {self.NAME!r} supports English ('en') only, not {supported_language!r}")
        super().__init__(supported_entities=list(self.ENTITIES), name=name or self.NAME, supported_language="en")

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102 - Presidio hook
        if nlp_artifacts is None or not nlp_artifacts.entities:
            return []
        case = document_case(text)
        caseless_ner = Document.of(text).caseless_ner  # the entities are the caseless NER's reading
        # the words are ASCII lower case already: no casefold() needed
        lower_words = frozenset(_LOWER_WORD.findall(text)) if case == "mixed" else frozenset()
        results = []
        for ent in nlp_artifacts.entities:
            mapped = _LABELS.get(ent.label_)
            if mapped is None:
                continue
            entity, score = mapped
            if entity == "LOCATION" and ent.text.strip().casefold() in _NOT_SUB_STATE:
                continue
            if ent.label_ == "ORG" and not _FACILITY_WORD.search(ent.text):
                # an organisation is a facility only where the text says the patient was there
                # ("treated at UCSF"), and only where capitals can be trusted
                before = text[max(0, ent.start_char - 30) : ent.start_char]
                short = ent.text.strip()
                clinical = short.isupper() and (len(short) <= 2 or is_common(short))
                # an acronym needs "at" or "from": "at UCLA", "from CBS"; "in DIC", "in NBP" are clinical
                weak = _AT_ONLY if short.isupper() and len(short) <= 4 else _AT_IN_FROM
                cue = _AT_PLACE.search(before) or (not clinical and weak.search(before))
                if case != "mixed" or not cue:
                    continue  # "in DIC", "at MN" are not places
            if entity == "LOCATION" and case != "mixed" and not _PREPOSITION.search(text[max(0, ent.start_char - 12) : ent.start_char]):
                continue  # without capitals, a place needs a preposition before it
            ent_text = ent.text.split("\n", 1)[0]  # an entity never runs across a line break
            words = [
                m for m in _WORD.finditer(ent_text)
                if name_like(m.group(), case, lower_words, person=entity == "PERSON", caseless_ner=caseless_ner)
            ]
            if not words:
                continue
            start = ent.start_char + words[0].start()
            end = ent.start_char + words[-1].end()
            if is_allowed(text[start:end]) or starts_allowed_phrase(text, start):
                continue  # "Motrin" in "Motrin 600", "Glasgow" in "Glasgow Coma Scale"
            if len(words) == 1 and not _plausible_single(words[0].group(), entity, case):
                continue
            if _LIST_MARKER.search(text[max(0, start - 4) : start]):
                continue  # "B. Ascending colon": an enumerated item, not an initial
            if (
                len(words) == 1
                and _SENTENCE_START.search(text[max(0, start - 3) : start])
                and (
                    (entity == "PERSON" and not is_known_name(words[0].group().strip(".")) and zipf(words[0].group().strip(".")) >= 2.0)
                    or near_common_word(words[0].group().strip("."))  # census names never count
                )
            ):
                continue  # "Suctioned ...", "Contiue on lasix": a capital that only marks a sentence start
            if EPONYM_NOUN.match(text[end : end + 30]):
                continue
            if entity == "PERSON" and (initial := _TRAILING_INITIAL.match(text[end : end + 3])):
                end += initial.end()  # "Richard B."
            results.append(to_presidio(Span(start, end, entity, score, self.name), self.id, f"spaCy {ent.label_}"))
        return results
