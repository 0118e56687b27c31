"""A place name right before a state (``city_state``).

Decision rule (LOCATION): "Springfield, IL", "Lake Placid, New York", and a capitalised run after
"lives in": the place must start with a plausible name word that is no sentence word ("Patient,
NY"); in a capitals-only note it must be a gazetteer place, and so before "MD", "PA" or "DO" (else
a credential: "Alan Graves, MD"). Without a comma ("the glenmora texas site"), in any case, the
town must be no English, common, drug or allow-listed word.
"""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, Words
from recognizers.gazetteer import STATE_ABBR, STATE_NAME, STATE_STARTS, US_STATES, places
from recognizers.lexicon import (
    document_case,
    drug_dictionary,
    english_words,
    is_common,
    near_allowed,
    plausible_name_word,
    word_trie,
)
from recognizers.places.common import _CAP, INNER_SENTENCE_STOP

_STATE_TRIE = word_trie(name.casefold() for name in STATE_NAME.split("|"))


def town_no_english_word(text: str, start: int, end: int) -> float | None:
    """A town before a state, in any case, must be no English, common, drug or allow-listed word."""
    word = text[start:end].casefold()
    if word in english_words() or is_common(word) or word in drug_dictionary() or near_allowed(word):
        return 0.0  # "in Maryland", "the Maryland", "Western Maryland", "Lasix Texas"
    return None


@register
class CityStateRecognizer(ClinicalPatternRecognizer):
    """A place name right before a state: "Springfield, IL", "Lake Placid, New York"."""

    NAME = "city_state"
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx(
            "city, ST",
            rf"(?<![\w'’.-])(?P<value>(?:{_CAP}\s+){{0,2}}{_CAP},\s+(?:(?-i:{STATE_ABBR})\b|(?:{STATE_NAME})\b))",
            0.75,
            requires=rf",\s+(?:(?:{STATE_ABBR})\b|(?:{STATE_NAME})\b)",  # a comma and a state
        ),
        Rx(
            "lives in",
            rf"(?i:\b(?:lives|living|resides|residing|moved|from|born|visiting)\s+(?:in|at|to|from)\s+)(?P<value>{_CAP}(?:\s+{_CAP}){{0,2}})",
            0.5,
            starts=Words("lives living resides residing moved from born visiting".split()),
        ),
        Rx(
            "town state",
            # any case, no comma: "the glenmora texas site"; the town must be no English word
            # anchored on the state, the town in a look-behind: most positions fail on the first letter
            rf"(?=(?i:{_STATE_TRIE}))(?<=(?<![\w'’.-])(?P<value>\p{{L}}{{4,}})[ \t]+)(?i:{_STATE_TRIE})(?:['’]s)?\b",
            0.6,
            starts=STATE_STARTS,  # the match starts at the state
            check=town_no_english_word,
        ),
    )

    def default_check(self, text: str, start: int, end: int, rx: Rx):
        """A capitalised word before a state could be a sentence word ("Patient, NY"); a capitalised
        run after "lives in" ends with its sentence ("lives in Towson. Son visits": "Towson")."""
        if (stop := INNER_SENTENCE_STOP.search(text, start, end)) is not None:
            verdict = self.default_check(text, start, stop.end() - 1, rx)
            return verdict if verdict is not None else (start, stop.end() - 1, None)
        value = text[start:end].split(",")[0]
        case = document_case(text)
        if value.casefold() in _NOT_PLACES or not plausible_name_word(value.split()[0], case, cued=True):
            return 0.0
        if " ".join(value.casefold().split()).strip(".") in US_STATES:
            return 0.0  # "lives in Georgia": a state, which Safe Harbor keeps
        if case != "mixed" and " ".join(value.casefold().split()) not in places():
            return 0.0  # ALL-CAPS notes: "WEAN NEO AS TOLERATED, CT" is not a city and a state
        state = text[start:end].split(",")[-1].strip()
        if state in ("MD", "PA", "DO") and " ".join(value.casefold().split()) not in places():
            return 0.0  # "Alan Graves, MD" is a credential, not Maryland
        return None


_NOT_PLACES = frozenset(
    w.casefold()
    for w in (
        "Patient", "Pt", "Home", "Hospital", "Clinic", "Address", "City", "Town", "He", "She", "They", "The",
        "History", "Transfer", "Transferred", "Admitted", "Outside", "Rehab", "Work", "Here", "There",
    )
)
