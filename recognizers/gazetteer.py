"""Geography and facility vocabulary, in one place: US states, facility words, place lists.

Everything here is data (or loads data from ``recognizers/data``); the rules that use it
live in :mod:`recognizers.places` and :mod:`recognizers.names`.

* :data:`US_STATES`: the fifty states, lower-case name to postal abbreviation;
  :data:`STATE_ABBR` and :data:`STATE_NAME` are the regex alternations built from it
  (the abbreviations add DC and PR).
* :func:`facility_words` / :func:`facility_tail`: the facility words of
  ``data/facility_words.txt`` ("Medical Center", "Rehab", "VA Medical Center").
* :data:`FACILITY_WORD`: the capitalised facility words the "name + facility word" rule
  ends on, with the guards the rule needs ("Health", not "Health Plan").
* :func:`places`, :func:`place_first_words`, :func:`ambiguous_places`: the gazetteer
  (US cities and counties, large world cities) and the place names that are also
  everyday words or names.

Example:
    >>> US_STATES["new york"], "MD" in STATE_ABBR.split("|"), "Ohio" in STATE_NAME.split("|")
    ('NY', True, True)
"""

from __future__ import annotations

from functools import cache

import regex

from recognizers.base import Words, load_list

US_STATES: dict[str, str] = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY",
}
# Postal abbreviations, DC and Puerto Rico included (in the order addresses are listed).
STATE_ABBRS: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR",
)
STATE_ABBR = "|".join(STATE_ABBRS)  # regex alternation: "AL|AK|..."
STATE_NAME = "|".join(name.title() for name in US_STATES)  # regex alternation: "Alabama|...|New York|..."
# the first word of each state's name: where a pattern that starts with a state may match (Rx.starts)
STATE_STARTS = Words(name.split()[0] for name in US_STATES)


# -- facility words ---------------------------------------------------------------------------
@cache
def facility_words() -> frozenset[str]:
    """The facility words of ``recognizers/data/facility_words.txt``, case-folded ("rehab", "va medical center")."""
    return load_list("facility_words.txt")


@cache
def facility_tail() -> regex.Pattern:
    """One or more facility words right after a word: " REHAB", " Regional Medical Center", " house"."""
    from recognizers.lexicon import word_trie

    # a trie of the words (about five times faster than their alternation); blanks inside a word: any run
    words = word_trie(" ".join(word.casefold().split()) for word in facility_words()).replace(regex.escape(" "), r"[ \t]+")
    # the run of blanks is taken whole (possessive), from its start only: a search from every blank of
    # a long run of blanks was quadratic ("a" + 10,000 spaces took 10 s)
    return regex.compile(rf"(?i)(?<![ \t])(?:[ \t]++{words}(?![\p{{L}}\p{{N}}]))+")


# The capitalised words a named facility ends on ("St. Agnes Medical Center", "Lakeside Family Practice").
# Narrower than facility_words.txt, and guarded ("Health" but not "Health Plan"): the
# "name + facility word" rule finds any capitalised words before them, so each word here
# is one that a run of capitalised words ending on it is a facility.
FACILITY_WORD = r"""(?:
    (?:Hospital|Oncology|Heart|Cardiac|Eye|Kidney|Spine|Trauma|Women's|Children's)\s+Center  # before "Hospital"
  | Hospital | Hosp\.?(?!\w) | Medical\s+Center | Med\.?\s+(?:Ctr|Center)\.? | Medical\s+Centre
  | Health\s+Center | Health\s+System | Healthcare | Clinic | Infirmary | Nursing\s+Home
  | Nursing\s+(?:and|&)\s+Rehab(?:ilitation)?(?:\s+Center)? | Rehab(?:ilitation)?\s+(?:Center|Hospital)
  | Skilled\s+Nursing(?:\s+Facility)? | Hospice | Care\s+Center | Cancer\s+Center | Surgery\s+Center
  | Surgical\s+Center | Urgent\s+Care | Family\s+(?:Practice|Medicine) | Medical\s+Group | Medical\s+Associates
  | Pediatrics | Dialysis\s+Center | Convalescent\s+(?:Home|Center) | Assisted\s+Living | Manor | Memorial
  | Children'?s\s+Hospital | Health(?!\s+(?:Plan|Insurance)) | Group | Associates | Partners | Practice
  | Institute | Laborator(?:y|ies) | Imaging | (?:Mohs\s+)?Surgery | Specialists
)"""
# The same words in capitals, escapes kept: str.upper() would turn \s into \S and \w into \W.
FACILITY_WORD_UPPER = regex.sub(r"(\\.)|([a-z]+)", lambda m: m.group(1) or m.group(2).upper(), FACILITY_WORD)

# Words US hospital names are made of, in any case ("sacred heart", "holy cross", "memorial").
INSTITUTION = (
    r"sacred[ \t]+heart|holy[ \t]+(?:cross|family|name|spirit|redeemer|trinity)|good[ \t]+samaritan|mercy|providence"
    r"|presbyterian|methodist|baptist|lutheran|adventist|shriners|memorial|veterans|general"
)
# The site words that may follow such a name, in any case ("sacred heart hosp", "MERCY MED CTR").
INSTITUTION_SITE_WORDS = (
    r"hospital|hosp\.?|medical[ \t]+cent(?:er|re)|med[ \t]+cent(?:er|re)|med[ \t]+ctr|health[ \t]+center|clinic|infirmary"
    r"|rehab(?:ilitation)?[ \t]+(?:center|hospital)|nursing[ \t]+home"
)


# The words that make a spaCy ORG a facility ("Johns Hopkins Hospital", "UCSF Medical Center").
ORG_FACILITY_WORDS = r"hospital|medical|clinic|health|healthcare|center|centre|institute|infirmary|memorial|university|rehab|hosp"


# -- place lists ------------------------------------------------------------------------------
# One copy in memory: the place lists belong to the one vocabulary (recognizers/vocab.py).
from recognizers.vocab import ambiguous_places, place_first_words, places  # noqa: E402,F401 - re-exported
