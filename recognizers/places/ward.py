"""Wards, units and campuses named after a person or a place (checks of ``cued_place``).

Decision rules (LOCATION): a ward or building known by a word no vocabulary knows ("to pelmarsh 3",
"PELMARSH7") is a place, never a misspelt drug or clinical word; a unit or campus named after a
place ("to Farr 10", "the Zentara campus"), not "plan: decrease 2" or "to ICU 7"; "North Campus"
in mixed case, and a campus named by a compass point in any case ("EAST CAMPUS"), is a named site. The patterns are in :mod:`recognizers.places.cued`.
"""

from __future__ import annotations

import regex

from recognizers.gazetteer import places
from recognizers.lexicon import (
    clinical_form,
    document_case,
    english_top,
    english_words,
    is_common,
    is_known_name_any,
    unknown_word,
)

def ward_named_after_person(text: str, start: int, end: int):
    """A ward or building known by a word no vocabulary knows ("pelmarsh"), never a misspelt drug
    or clinical word; the number stays visible unless it is glued to the word ("PELMARSH7")."""
    words = text[start:end].split()
    unit = regex.sub(r"\d+$", "", words[-1] if words[0].isdigit() else words[0])
    if not unknown_word(unit):
        return 0.0
    unit_start = text.index(unit, start)
    glued = text[unit_start + len(unit) : end].isdigit()
    if glued and unit[-1] in "xX":
        return 0.0  # "to commodex3": a count, "x3"
    return unit_start, end if glued else unit_start + len(unit), 0.7


def _unit_named_after_place(text: str, start: int, end: int, *, campus: bool):
    """A unit or campus named after a place: "to Farr 10", "the Zentara campus"; not "plan: decrease 2",
    "to ICU 7". A word no vocabulary knows narrows to the word and scores 0.7."""
    words = text[start:end].split()
    case = document_case(text)
    unit = regex.sub(r"\d+$", "", words[0])
    folded = unit.casefold()
    if is_common(unit) or folded in english_top() or (folded in english_words() and folded not in places()):
        return 0.0  # "plan: decrease 2", "to ICU 7"
    named = folded in places() or is_known_name_any(folded)
    if not campus and not named and (clinical_form(folded) or (case != "mixed" and not unknown_word(folded))):
        return 0.0  # "changed to Apaced 88"; ALL-CAPS "TO RECIEVE 500" (capitals say nothing there)
    return (start, start + len(unit), 0.7) if unknown_word(unit) else None


def unit_named_after_place(text: str, start: int, end: int):
    """See :func:`_unit_named_after_place` (a unit and its number)."""
    return _unit_named_after_place(text, start, end, campus=False)


_COMPASS = frozenset(("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"))


def named_campus(text: str, start: int, end: int):
    """"North Campus" in mixed case, and a campus named by a compass point in any case ("EAST CAMPUS",
    "west campus"), is a named site of the hospital; else :func:`_unit_named_after_place`."""
    words = text[start:end].split()
    if document_case(text) == "mixed" and words[0].istitle() and text[end:].lstrip(" \t").startswith("Campus"):
        return None  # "North Campus", "East Campus": a named site of the hospital
    if words[0].casefold() in _COMPASS:
        return None  # the same site without capitals: "NORTH CAMPUS", "east campus"
    return _unit_named_after_place(text, start, end, campus=True)
