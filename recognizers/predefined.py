"""Presidio's own recognizers where they are the right tool, registered under our names.

* ``credit_card``: the patterns and Luhn validator of Presidio's ``CreditCardRecognizer``.
* ``iban``: the patterns and mod-97 validator of Presidio's ``IbanRecognizer``.
  Both run through :class:`~recognizers.base.ClinicalPatternRecognizer`, so a pattern that
  times out quarantines the record (Presidio would log and skip it).
* ``intl_phone``: Presidio's ``PhoneRecognizer`` (Google's ``phonenumbers``) for
  international formats, kept only next to a phone cue: on its own it reads vitals,
  doses and lab values as phone numbers.
"""

from __future__ import annotations

import regex
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer, IbanRecognizer, PhoneRecognizer

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx

_PRESIDIO_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE

_PHONE_CUE = regex.compile(
    r"(?i)\b(?:phone|tel|telephone|call|called|cell|mobile|fax|pager|contact|number|desk|office|whatsapp|reach(?:ed)?|messages?|text)\b"
)

_DIGIT = regex.compile(r"\d")


class _PresidioPatterns(ClinicalPatternRecognizer):
    """Presidio's patterns and ``validate_result`` under our time budget."""

    SOURCE: type = object
    REQUIRES: dict[str, str] = {}  # pattern name -> what every match of it contains (see Rx.requires)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.PATTERNS = tuple(
            Rx(p.name, p.regex, p.score, flags=_PRESIDIO_FLAGS, requires=cls.REQUIRES.get(p.name, ""))
            for p in cls.SOURCE.PATTERNS
        )

    def __init__(self) -> None:
        super().__init__()
        self._source = self.SOURCE()

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        verdict = self._source.validate_result(text[start:end])
        return None if verdict is None else (1.0 if verdict else 0.0)


@register
class CreditCard(_PresidioPatterns):
    NAME = "credit_card"
    ENTITY = "CREDIT_CARD"
    GROUP = "ids"
    SOURCE = CreditCardRecognizer


@register
class Iban(_PresidioPatterns):
    NAME = "iban"
    ENTITY = "ACCOUNT_NUMBER"
    GROUP = "ids"
    SOURCE = IbanRecognizer
    # country letters, check digits and two blocks of four: looked up from each pair of digits
    REQUIRES = {"IBAN Generic": r"(?=\d)(?=[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2})(?<=[A-Z]{2})"}


@register
class InternationalPhone(PhoneRecognizer):
    NAME = "intl_phone"
    GROUP = "contact"
    ENTITIES = ("PHONE_NUMBER",)

    def __init__(self) -> None:
        super().__init__(
            supported_regions=("US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IE",
                               "PT", "PL", "CZ", "HU", "GR", "IL", "IN", "CA", "AU", "NZ", "BR", "MX", "JP"),
            name=self.NAME,
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102 - Presidio hook
        # Only windows around a phone cue are parsed: cheaper on long texts (phonenumbers takes
        # tens of seconds on a megabyte of digits) and the cue is required anyway.
        windows: list[list[int]] = []
        for cue in _PHONE_CUE.finditer(text):
            lo, hi = max(0, cue.start() - 45), min(len(text), cue.end() + 60)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        kept = []
        for lo, hi in windows:
            if _DIGIT.search(text, lo, hi) is None:
                continue  # phonenumbers only matches runs of (Unicode) digits
            for result in super().analyze(text[lo:hi], entities, None):
                result.start += lo
                result.end += lo
                result.score = max(result.score, 0.7)
                result.recognition_metadata["recognizer_name"] = self.NAME
                kept.append(result)
        return kept
