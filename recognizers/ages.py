"""Ages of 90 and over (Safe Harbor). Ages under 90 are not PHI and are never matched.

Decision rule (AGE): a number from 90 to 119 (or in words) with its unit ("92 yo", "ninety years old"),
after "aged" or "age:", with a sex ("92F", not after a temperature word or "room"), before "birthday", or
where a person's age stands without its unit: after "turned" (not "turned 90 degrees"), or after "who is",
"she was", "pt is", "she will be" when the sentence or clause ends there ("who is 97, is DNR"; not "hr is 92
bpm"), or set off beside the person ("pt, 92, was found down", "Mrs. Hale (91)").
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx

_AGE = r"(?:9\d|1[01]\d)"  # 90..119
# 90..119 in words: "ninety", "ninety-two", "one hundred and one"
_AGE_WORDS = (
    r"(?:ninety(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|(?:one\s+|a\s+)?hundred(?:\s+(?:and\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen))?)"
)
_TEMPERATURE_BEFORE = regex.compile(r"(?i)\b(?:t|temp|temperature|tmax|t\s*max|tm|tc|febrile|afebrile|fever|spiked|max)\b[^\n]{0,12}$")
_ROOM_BEFORE = regex.compile(r"(?i)\b(?:room|rm|bed|bay|unit|floor|apt|suite|ward)\.?\s*#?\s*$")


def not_a_temperature_or_room(text: str, start: int, end: int) -> float | None:
    """"92F" after a temperature word is degrees Fahrenheit, after "room" or "bed" a place, not a
    92-year-old woman.

    Example:
        >>> not_a_temperature_or_room("TMAX 98F", 5, 7), not_a_temperature_or_room("room 92F", 5, 7)
        (0.0, 0.0)
        >>> not_a_temperature_or_room("92F with sepsis", 0, 2) is None
        True
    """
    before = text[max(0, start - 30) : start]
    return 0.0 if _TEMPERATURE_BEFORE.search(before) or _ROOM_BEFORE.search(before) else None


@register
class AgeOver89Recognizer(ClinicalPatternRecognizer):
    """"94 y/o", "92-year-old", "aged 97", "98 YO", "age: 91", "in her 90s"."""

    NAME = "age_over_89"
    ENTITY = "AGE"
    PATTERNS = (
        Rx(
            "n-year-old",
            rf"""(?ix)
            (?<![\d.])(?P<value>{_AGE})           # the age
            (?:\s*-\s*|\s*)                       # optional hyphen
            (?:y\.?\s*/?\s*o\b\.?|yo(?:w?[mf])?\b|yrs?\b|years?\b|year-old|yr-old|y\.o\.   # unit ("92 yoF")
               |y\b(?![\t ]*[/.\d-]))                  # "91y, lives alone", "91 y female"
            """,
            0.9,
        ),
        Rx("aged n", rf"(?i)\b(?:aged?|age\s*:)\s*(?P<value>{_AGE})(?!\d|\.\d)", 0.9),
        Rx(
            "in her 90s",
            r"(?i)\b(?:in\s+(?:his|her|their)\s+(?:early\s+|mid-?\s*|late\s+)?)(?P<value>(?:9|10)0['’]?s|nineties)\b",
            0.85,
        ),
        Rx(
            "n in words",
            rf"(?i)\b(?P<value>{_AGE_WORDS})(?:\s*-\s*|\s+)(?:years?|yrs?)(?:\s*-\s*|\s+)old\b",
            0.85,
            requires=r"(?i)\b(?:ninety|hundred)",
        ),
        # age and sex in shorthand: "92F with sepsis", "a 95 M"; not a temperature ("TMAX 98F")
        Rx("n + sex", rf"(?<![\d.])(?P<value>{_AGE})[ \t]?[MF](?![\w°])", 0.7, check=not_a_temperature_or_room),
        Rx("nonagenarian", r"(?i)\b(?P<value>nonagenarian|centenarian)\b", 0.8),
        # a person's age without its unit: "turned 90 last week", "who is 97, is DNR", "pt is ninety-three and";
        # not "is 97%" or "is 98.6" (what follows the number ends it: a comma, a conjunction, the sentence)
        Rx(
            "turned or is n",
            rf"""(?ix)
            (?:\b(?:turned|turns|turning)[ \t]+(?P<value>{_AGE}|{_AGE_WORDS})(?![ \t]*(?:deg|°|%|\.\d|\d|x\b|times))  # not "turned 90 degrees"
             |\b(?:(?:who|she|he)[ \t]+(?:is|was|will[ \t]+be)|(?:pt|patient)[ \t]+(?:is|will[ \t]+be))[ \t]+
              (?P<value>{_AGE}|{_AGE_WORDS})
              (?=[ \t]*(?:[,;)]|\.(?!\d)|$|\n|(?:and|but|years?)\b)))
            """,
            0.8,
            check=not_a_temperature_or_room,
            requires=r"(?i)\b(?:turn(?:ed|s|ing)|is|was|be)[ \t]+(?:9|1[01]|ninety|hundred|one|a\b)",
        ),
        # the age set off after the person, as an apposition: "pt, 92, was found down", "Mrs. Hale (91) resting"
        Rx(
            "age beside the person",
            rf"""(?ix)
            (?:\b(?:pt|patient|she|he|woman|man|lady|gentleman)[ \t]*,[ \t]*(?P<value>{_AGE})[ \t]*,(?![ \t]*\d)   # not a list of values
             |\b(?:mr|mrs|ms|miss)\.?[ \t]+\p{{L}}[\p{{L}}'’-]*[ \t]*\([ \t]*(?P<value>{_AGE})[ \t]*\))
            """,
            0.8,
            requires=r"(?:,|\()[ \t]*(?:9\d|1[01]\d)[ \t]*(?:,|\))",
        ),
        Rx("nth birthday", rf"(?i)\b(?P<value>{_AGE}(?:st|nd|rd|th))[ \t]+birthday\b", 0.85, requires=r"(?i)birthday"),
    )
