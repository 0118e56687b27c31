"""Ages of 90 and over (Safe Harbor). Ages under 90 are not PHI and are never matched."""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx

_AGE = r"(?:9\d|1[01]\d)"  # 90..119


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
            (?:y\.?\s*/?\s*o\b\.?|yo\b|yrs?\b|years?\b|year-old|yr-old|y\.o\.)  # unit
            """,
            0.9,
        ),
        Rx("aged n", rf"(?i)\b(?:aged?|age\s*:)\s*(?P<value>{_AGE})(?!\d|\.\d)", 0.9),
        Rx("in her 90s", r"(?i)\b(?:in\s+(?:his|her|their)\s+(?:early\s+|mid\s+|late\s+)?)(?P<value>(?:9|10)0'?s)\b", 0.85),
        Rx("nonagenarian", r"(?i)\b(?P<value>nonagenarian|centenarian)\b", 0.8),
    )
