"""Quasi-identifiers that survive in scrubbed text, generalised (age band, sex, years, ZIP3, state, ...).

What survives per document (age band, sex, years, three-digit ZIP, state, race/ethnicity
terms, occupation, rare events); :func:`_merge_quasi` groups them per patient. The
equivalence classes over the dataset are formed in :func:`scrubber.risk.assessment.assess`.
"""

from __future__ import annotations

import re
from typing import Any

from recognizers.gazetteer import US_STATES  # state name -> USPS code: the project's one list


_AGE = re.compile(
    r"\b(\d{1,3})\s*(?:-|\s)?\s*(?:year|yr)s?(?:\s*|-)old\b|\b(\d{1,3})\s*(?:y/?o|yo|y\.o\.)\b"
    r"|\bage[d:]?\s+(\d{1,3})\b|\b(\d{1,3})\s*(?:M|F)\b(?=[\s,.])|(\b90\+)",
    re.IGNORECASE,
)
_MALE = re.compile(r"\b(?:he|him|his|male|man|gentleman|boy|mr\.?)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|female|woman|lady|girl|mrs\.?|ms\.?)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/\-.])(19\d{2}|20\d{2})(?![\d/\-]|\.\d)")
_STATE_NAME = re.compile(r"\b(" + "|".join(sorted((s.title() for s in US_STATES), key=len, reverse=True)) + r")\b")
# An abbreviation only where addresses put it (", MA 021" / ", MA."), never "IN" or "OR" in prose.
_STATE_ABBR = re.compile(r",\s*(" + "|".join(sorted(set(US_STATES.values()))) + r")\b(?:\s+(\d{3})(?:\d{2})?\b)?")
_ZIP = re.compile(r"\b(?:zip(?:\s*code)?|postal code)[:\s]+(\d{3})(?:\d{2})?\b", re.IGNORECASE)
_ETHNICITY = re.compile(
    r"\b(caucasian|african[\s-]american|hispanic|latino|latina|latinx|asian(?:[\s-]american)?|native american|"
    r"american indian|alaska native|pacific islander|native hawaiian|middle eastern|arab|jewish|ashkenazi|"
    r"chinese|vietnamese|korean|japanese|filipino|haitian|somali|ethiopian|puerto rican|mexican|cuban|dominican)\b"
    r"|\b(white|black)\s+(?:male|female|man|woman|gentleman|lady|patient|pt)\b"
    r"|\b(?:race|ethnicity)\s*[:\-]\s*([A-Za-z][A-Za-z \-]{2,30}?)(?=[,.;\n]|$)",
    re.IGNORECASE,
)
_OCCUPATIONS = (
    "nurse|teacher|professor|firefighter|police officer|officer|engineer|farmer|physician|doctor|lawyer|attorney|"
    "carpenter|electrician|plumber|truck driver|driver|mechanic|pilot|construction worker|accountant|secretary|"
    "chef|cook|waiter|waitress|cashier|janitor|custodian|soldier|marine|veteran|miner|fisherman|pharmacist|"
    "dentist|student|musician|artist|writer|journalist|banker|salesman|manager|clerk|librarian|priest|pastor|"
    "minister|rabbi|judge|politician|athlete|coach|hairdresser|barber|welder|painter|roofer|landscaper|"
    "bartender|homemaker|housewife|retiree|programmer|scientist|architect|dancer|actor|actress|model|"
    "machinist|longshoreman|logger|rancher|social worker|paramedic|emt|dispatcher|contractor"
)
_OCCUPATION = re.compile(
    rf"\b(?:works?|worked|working|employed|employment|occupation|job)\s+(?:as\s+)?(?:an?\s+)?(?:[:\-]\s*)?(?:\w+\s+)?({_OCCUPATIONS})\b"
    rf"|\b(?:retired|former|is an?|was an?)\s+(?:\w+\s+)?({_OCCUPATIONS})\b"
    rf"|\boccupation\s*[:\-]\s*([A-Za-z][A-Za-z \-]{{2,30}}?)(?=[,.;\n]|$)",
    re.IGNORECASE,
)
_RARE = re.compile(
    r"\b(gunshot wound|gsw|stab wound|lightning|shark|bear attack|dog attack|plane crash|helicopter crash|"
    r"motorcycle accident|house fire|explosion|drowning|triplets|quadruplets|quintuplets|conjoined|"
    r"incarcerated|inmate|prison|homeless|famous|celebrity|olympic|professional athlete|"
    r"heart transplant|lung transplant|liver transplant|face transplant|hand transplant|"
    r"progeria|rabies|plague|anthrax|ebola|leprosy)\b",
    re.IGNORECASE,
)


def _age_band(age: int) -> str:
    if age >= 90:
        return "90+"
    return f"{age // 10 * 10}-{age // 10 * 10 + 9}"


def quasi_identifiers(text: str) -> dict[str, Any]:
    """Quasi-identifiers that survive in one output text (generalised: bands, ZIP3, state)."""
    qi: dict[str, Any] = {}
    for m in _AGE.finditer(text):
        if m.group(5):
            qi["age"] = "90+"
            break
        value = next(int(g) for g in m.groups()[:4] if g)
        if 0 < value < 130:
            qi["age"] = _age_band(value)
            break
    male, female = len(_MALE.findall(text)), len(_FEMALE.findall(text))
    if male or female:
        qi["sex"] = "M" if male > female else "F" if female > male else None
        if qi["sex"] is None:
            del qi["sex"]
    years = sorted({int(y) for y in _YEAR.findall(text)})
    if years:
        qi["year"] = years[0]
        qi["years"] = years
    states = {US_STATES[m.group(1).casefold()] for m in _STATE_NAME.finditer(text)}
    zips: set[str] = {m.group(1) for m in _ZIP.finditer(text)}
    for m in _STATE_ABBR.finditer(text):
        states.add(m.group(1))
        if m.group(2):
            zips.add(m.group(2))
    if states:
        qi["state"] = ",".join(sorted(states))
    if zips:
        qi["zip3"] = ",".join(sorted(zips))
    ethnic = sorted({" ".join((m.group(1) or m.group(2) or m.group(3) or "").lower().split()) for m in _ETHNICITY.finditer(text)} - {""})
    if ethnic:
        qi["ethnicity"] = ",".join(ethnic)
    jobs = sorted({" ".join((m.group(1) or m.group(2) or m.group(3) or "").lower().split()) for m in _OCCUPATION.finditer(text)} - {""})
    if jobs:
        qi["occupation"] = ",".join(jobs)
    rare = sorted({m.group(1).lower() for m in _RARE.finditer(text)})
    if rare:
        qi["rare"] = ",".join(rare)
    return qi


def _merge_quasi(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A patient's quasi-identifiers over all their documents (first value wins, sets union)."""
    merged: dict[str, Any] = {}
    for qi in items:
        for key, value in qi.items():
            if key in ("years",):
                merged[key] = sorted(set(merged.get(key, [])) | set(value))
            elif key in ("state", "zip3", "ethnicity", "occupation", "rare") and key in merged:
                merged[key] = ",".join(sorted(set(merged[key].split(",")) | set(str(value).split(","))))
            elif key == "year":
                merged[key] = min(merged.get(key, value), value)
            else:
                merged.setdefault(key, value)
    return merged
