"""Shared pieces of the place rules.
"""

import regex

_CAP = r"(?:\p{Lu}[\p{L}'’.-]*+)"  # possessive: a word is never re-split

# The words for a flat or suite, capitalised or in capitals (a lower-case text is read in capitals:
# recognizers.document.rule_text); "Unit" is left out, a clinical word ("UNIT 4", "3 UNITS").
FLAT_WORD = r"(?:Apt|Apartment|Suite|Ste|APT|APARTMENT|SUITE)"


def without_capitals(value: str) -> bool:
    """Whether ``value`` has no lower-case letter: capitals say nothing about its words (a note in
    capitals, or a lower-case one read in capitals), so a rule asks the words for that evidence."""
    return not any(ch.islower() for ch in value)

# The words that begin a place's name before its own word ("East Jasonton", "PORT STEVENMOUTH",
# "new alexis"): a compass point, a settlement or landscape word, a saint.
PLACE_PREFIX = frozenset(
    (
        "north", "south", "east", "west", "new", "port", "lake", "mount", "mt", "mt.", "fort", "ft", "ft.",
        "glen", "point", "cape", "san", "santa", "los", "las", "el", "st", "st.", "saint", "upper", "lower",
    )
)

# A word of four letters or more and a full stop inside a run, another word after it: the sentence
# ends there ("lives in Towson. Son visits"); "St. Mary", "Mt. Sinai" and initials are shorter.
INNER_SENTENCE_STOP = regex.compile(r"(?<![.\p{L}])\p{L}{4,}\.(?=\s+\S)")
