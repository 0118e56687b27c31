"""Presidio's own recognizers where they are the right tool, registered under our names.

* ``credit_card``: the patterns and Luhn validator of Presidio's ``CreditCardRecognizer``.
* ``iban``: the patterns and mod-97 validator of Presidio's ``IbanRecognizer``.
  Both run through :class:`~recognizers.base.ClinicalPatternRecognizer`, so a pattern that
  times out quarantines the record (Presidio would log and skip it).
* ``intl_phone``: Presidio's ``PhoneRecognizer`` (Google's ``phonenumbers``) for
  international formats, kept next to a phone cue (on its own it reads vitals, doses and lab
  values as phone numbers) or when the number is written with its ``+`` country code.
* The **Presidio floor** (``presidio_date``, ``presidio_ip``, ``presidio_ssn``,
  ``presidio_license``, ``presidio_passport``, ``presidio_itin``, ``presidio_medical_license``):
  every pattern of Presidio's predefined recognizer for the format, with its own validator, so
  the scrubber never finds less than Presidio. Decision rule: a pattern Presidio scores at 0.5
  or more is kept as it is (ISO 8601 date-times, dd.mm.yyyy, IPv6, SSNs with dots or spaces);
  a weaker one ("very weak" bare digits, a licence's letter and digits) only with one of
  Presidio's context words in the window before or after it, as Presidio's context
  enhancer would. Context words that are everyday English ("us", "states") are left out.
"""

from __future__ import annotations

from typing import Sequence

import regex
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    DateRecognizer,
    IbanRecognizer,
    IpRecognizer,
    MedicalLicenseRecognizer,
    PhoneRecognizer,
    UsItinRecognizer,
    UsLicenseRecognizer,
    UsPassportRecognizer,
    UsSsnRecognizer,
)

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx

_PRESIDIO_FLAGS = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE

_PHONE_CUE = regex.compile(
    r"(?i)\b(?:phone|tel|telephone|call|called|cell|mobile|fax|pager|contact|number|desk|office|whatsapp|reach(?:ed)?|messages?|text)\b"
)

_DIGIT = regex.compile(r"\d")
# A number written with its country code: "+", then digits, blanks, dots, dashes and brackets.
_PLUS_NUMBER = regex.compile(r"(?<![\w+])\+\d[\d \t().-]{6,22}\d")


class _PresidioPatterns(ClinicalPatternRecognizer):
    """Presidio's patterns and ``validate_result`` under our time budget."""

    SOURCE: type = object
    REQUIRES: dict[str, str] = {}  # pattern name -> what every match of it contains (see Rx.requires)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.SOURCE is object:
            return
        cls.PATTERNS = tuple(
            Rx(p.name, p.regex, p.score, flags=_PRESIDIO_FLAGS, requires=cls.REQUIRES.get(p.name, ""))
            for p in cls.SOURCE.PATTERNS
        )

    def __init__(self, supported_language: str = "en", name: str | None = None, context: Sequence[str] | None = None) -> None:
        super().__init__(supported_language=supported_language, name=name, context=context)
        self._source = self.SOURCE()

    def validate(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern: Presidio's own ``invalidate_result`` and ``validate_result`` for the format."""
        value = text[start:end]
        if self._source.invalidate_result(value):
            return 0.0
        verdict = self._source.validate_result(value)
        return None if verdict is None else (1.0 if verdict else 0.0)


class _PresidioFloor(_PresidioPatterns):
    """A Presidio predefined recognizer as a floor: strong patterns as they are, weak ones with context.

    Scores: a pattern Presidio scores at 0.5 or more keeps its score (at least 0.6, above the
    default threshold); a weaker one needs a context word (``needs_context``) and then scores
    0.6 (Presidio's enhancer adds 0.35 and its ``min_score_with_context_similarity`` is 0.4).
    """

    # Presidio context words that are everyday English, which would make any number a match
    EVERYDAY_CONTEXT = frozenset(
        ("us", "united", "states", "tax", "travel", "document", "identification", "social", "security", "medical", "certificate")
    )
    CONTEXT_AFTER = 25
    CONTEXT_BOOST = 0.0

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.SOURCE is object:
            return
        cls.PATTERNS = tuple(
            Rx(p.name, p.regex, max(p.score, 0.6), flags=_PRESIDIO_FLAGS, needs_context=p.score < 0.5, requires=cls.REQUIRES.get(p.name, ""))
            for p in cls.SOURCE.PATTERNS
        )
        source = cls.SOURCE()
        cls.CONTEXT = tuple(w for w in (source.context or ()) if w.casefold() not in cls.EVERYDAY_CONTEXT) + cls.EXTRA_CONTEXT

    EXTRA_CONTEXT: tuple[str, ...] = ()


@register
class PresidioDate(_PresidioFloor):
    NAME = "presidio_date"
    ENTITY = "DATE"
    SOURCE = DateRecognizer
    EXTRA_CONTEXT = ("dob", "born", "on", "since", "dated", "seen", "admitted", "discharged")

    # the clinical control on top of Presidio's patterns: a number inside a longer run of numbers
    # ("AC/400/12/5/60%", "ABG 7.44/46/73") or before a per cent sign is a setting or a lab value
    _IN_A_RUN_BEFORE = regex.compile(r"[\d)][/.:-]$")
    _IN_A_RUN_AFTER = regex.compile(r"^(?:[/%]|[.:-]\d)")

    def validate(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern: no number inside a run of numbers, no measurement, then Presidio's validation."""
        if self._IN_A_RUN_BEFORE.search(text[max(0, start - 2) : start]) or self._IN_A_RUN_AFTER.match(text[end : end + 2]):
            return 0.0
        if regex.fullmatch(r"\d{1,2}/\d{1,2}(?:/\d{2})?", text[start:end]):
            # number pairs and short triples get the measurement checks of the clinical date recognizer
            from recognizers.dates import not_a_measurement

            if not_a_measurement(text, start, end) == 0.0:
                return 0.0
        return super().validate(text, start, end, rx)


@register
class PresidioIp(_PresidioFloor):
    NAME = "presidio_ip"
    ENTITY = "IP_ADDRESS"
    SOURCE = IpRecognizer
    # every IPv6 form has two colons with only hex digits between them ("::", "db8:0:"), every IPv4 form
    # a digit, a dot, one to three digits, a dot and a digit: most notes have neither, and are not scanned
    _COLONS = r":[0-9A-Fa-f]{0,4}:"
    REQUIRES = {"IPv6": _COLONS, "IPv4_embedded": _COLONS, "IPv4_mapped": _COLONS, "IPv4": r"\d\.\d{1,3}\.\d"}


@register
class PresidioSsn(_PresidioFloor):
    NAME = "presidio_ssn"
    ENTITY = "US_SSN"
    SOURCE = UsSsnRecognizer
    EXTRA_CONTEXT = ("social security",)


@register
class PresidioLicense(_PresidioFloor):
    NAME = "presidio_license"
    ENTITY = "LICENSE_NUMBER"
    SOURCE = UsLicenseRecognizer
    EXTRA_CONTEXT = ("licence", "driver's license", "drivers license")


@register
class PresidioPassport(_PresidioFloor):
    NAME = "presidio_passport"
    ENTITY = "ID"
    SOURCE = UsPassportRecognizer


@register
class PresidioItin(_PresidioFloor):
    NAME = "presidio_itin"
    ENTITY = "ID"
    SOURCE = UsItinRecognizer
    EXTRA_CONTEXT = ("itin", "taxpayer", "tax id")


@register
class PresidioMedicalLicense(_PresidioFloor):
    NAME = "presidio_medical_license"
    ENTITY = "LICENSE_NUMBER"
    SOURCE = MedicalLicenseRecognizer
    EXTRA_CONTEXT = ("dea", "dea#", "dea number", "license")


@register
class CreditCard(_PresidioPatterns):
    NAME = "credit_card"
    ENTITY = "CREDIT_CARD"
    SOURCE = CreditCardRecognizer


@register
class Iban(_PresidioPatterns):
    NAME = "iban"
    ENTITY = "ACCOUNT_NUMBER"
    SOURCE = IbanRecognizer
    # country letters, check digits and two blocks of four: looked up from each pair of digits
    REQUIRES = {"IBAN Generic": r"(?=\d)(?=[0-9]{2}(?:[ -]?[A-Z0-9]{4}){2})(?<=[A-Z]{2})"}


@register
class InternationalPhone(PhoneRecognizer):
    NAME = "intl_phone"
    ENTITIES = ("PHONE_NUMBER",)

    def __init__(self, supported_language: str = "en", name: str | None = None) -> None:
        if supported_language != "en":
            raise ValueError(f"E016 recognizer {self.NAME!r} supports English ('en') only, not {supported_language!r}")
        super().__init__(
            supported_regions=("US", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "IE",
                               "PT", "PL", "CZ", "HU", "GR", "IL", "IN", "CA", "AU", "NZ", "BR", "MX", "JP"),
            name=name or self.NAME,
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
        for plus in _PLUS_NUMBER.finditer(text):  # "+44 20 7946 0958": the country code is cue enough
            lo, hi = max(0, plus.start() - 1), min(len(text), plus.end() + 1)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = max(windows[-1][1], hi)
            else:
                windows.append([lo, hi])
        windows.sort()
        kept = []
        for lo, hi in windows:
            if _DIGIT.search(text, lo, hi) is None:
                continue  # phonenumbers only matches runs of (Unicode) digits
            for result in super().analyze(text[lo:hi], entities, None):
                result.start += lo
                result.end += lo
                result.score = max(result.score, 0.7)
                result.recognition_metadata["recognizer_name"] = self.name
                kept.append(result)
        return kept
