"""Numbers that identify a person: SSN, MRN, accounts, plan and Medicare numbers,
licences (NPI, DEA), vehicles (VIN), devices, accessions and any other labelled ID.

The checksums are pure functions in :mod:`recognizers.checks` (re-exported here).
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.checks import _MBI_ALPHA, _NOT_DIGITS, dea_valid, luhn_valid, mbi_valid, npi_valid, ssn_valid, vin_valid
from recognizers.lexicon import word_trie

__all__ = ["dea_valid", "luhn_valid", "mbi_valid", "npi_valid", "ssn_valid", "vin_valid", "_MBI_ALPHA"]

# -- labelled identifiers ------------------------------------------------------------------

# "MRN: 123", "Acct # A-77", "member ID XJH22817", "NPI 1234567893".
_NUMBER_WORD = r"(?:\s*(?:number|num|no\.?|nbr|id|identifier|code))?"
_SEPARATOR = r"\s*(?:\#?\s*[:=]|(?:\#\s*)?(?:is|was)|\#(?=\s))?\s*"  # "#: ", " is ", "# is "
# The value may keep a "#" written against it ("#SC987654"); it must contain a digit.
_VALUE = r"(?P<value>\#?(?=[A-Z0-9-]*\d)[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){3,24})(?![\w-])"


def labelled(labels: str) -> str:
    """A pattern for ``LABEL [number|no|#|id] [:|#] VALUE`` with the value as the finding."""
    return rf"(?i:\b(?:{labels})(?![a-z])\.?{_NUMBER_WORD}{_SEPARATOR}){_VALUE}"


# The labels of the built-in labelled recognizers. Their union is every one's prefilter: a note in which no
# label of any of them is followed by a value (most notes) is scanned once instead of once per recognizer.
MRN_LABELS = r"mrn|mr|medical\s+record|med\s*rec|record|chart|unit|hospital|patient|pt|hosp|emr|ehr"
ACCOUNT_LABELS = r"account|acct|acc|billing|invoice|encounter|enc|visit|fin|csn|har|claim"
HEALTH_PLAN_LABELS = (
    r"member|subscriber|policy|group|plan|insurance|insurer|ins\.?|medicare|medicaid|mbi|hicn|hbn|beneficiary"
    r"|health\s+plan|health|coverage|payer|bcbs|aetna|cigna|humana|united\s?healthcare|hmo|ppo"
)
LICENSE_LABELS = r"licen[cs]e|lic|npi|dea|certificate|cert|registration|reg|board|state\s+license|upin|tin|ein"
VEHICLE_LABELS = r"vin|vehicle\s+identification|license\s+plate|licence\s+plate|plate|tag"
CARD_LABELS = r"card|cc|credit\s+card|debit\s+card|visa|mastercard|amex|discover"
DEVICE_LABELS = r"serial|s/n|sn|device|model\s+serial|udi|lot|implant|pacemaker|icd|generator|pump"
OTHER_ID_LABELS = (
    r"accession|acc|specimen|spec|case|order|requisition|req|sample|lab|study|exam|report|ticket"
    r"|badge|employee|emp|passport|driver'?s\s+license|dl|id|identifier|reference|ref|confirmation"
)
_BUILT_IN_LABELS = (
    MRN_LABELS, ACCOUNT_LABELS, HEALTH_PLAN_LABELS, LICENSE_LABELS, VEHICLE_LABELS, CARD_LABELS, DEVICE_LABELS, OTHER_ID_LABELS
)


def label_starts(labels: str) -> list[str]:
    """The literal text every alternative of a label alternation starts with (lower case).

    Example:
        >>> label_starts(r"mrn|medical\\s+record|licen[cs]e|ins\\.?|driver'?s\\s+license|s/n")
        ['mrn', 'medical', 'licen', 'ins', 'driver', 's/n']
    """
    starts = []
    for alternative in labels.split("|"):
        start = ""
        for index, char in enumerate(alternative):
            if not (char.isalnum() or char in "/'&") or alternative[index + 1 : index + 2] in ("?", "*", "{"):
                break  # a metacharacter, or a character that may be absent
            start += char
        if not start:
            raise ValueError(f"E013 label {alternative!r} starts with no literal text")
        starts.append(start.lower())
    return starts


# One prefilter for every built-in labelled recognizer: a word that starts a label (a trie, found fast),
# then the union of their patterns. Most notes have no label followed by a value, and are scanned once.
_ANY_BUILT_IN_LABEL = (
    rf"\b(?=(?i:{word_trie(set(label_starts('|'.join(_BUILT_IN_LABELS))))}))" + labelled("|".join(_BUILT_IN_LABELS))
)


# a short number or range (with a plural: "60-70S", "90'S"), a short date, a quantity and its unit ("800CC",
# "20MG"), a word and one digit ("AXOX3")
_NOT_AN_ID = regex.compile(
    r"#?\d{1,3}(?:-\d{1,3})?(?:['’]?[sS])?|#?\d{1,2}[/.]\d{1,2}|[A-Za-z]+\d"
    r"|\d{1,5}(?i:cc|ml|mg|mcg|kg|g|l|u|units?|meq|mmol|hrs?|min|x|cm|mm|in|ft|lbs?|oz|bpm|mmhg)"
)


def not_a_lab_value(text: str, start: int, end: int) -> float | None:
    """A short number or range, a quantity with its unit, or a word with one digit after a label
    word is a value, not an identifier ("lab 7-20", "PT 800CC", "PT AXOX3", "PT 60-70S NSR").

    Example:
        >>> not_a_lab_value("lab 7-20", 4, 8), not_a_lab_value("PT 800CC", 3, 8), not_a_lab_value("MRN 4432189", 4, 11)
        (0.0, 0.0, None)
    """
    return 0.0 if _NOT_AN_ID.fullmatch(text[start:end]) else None


class LabelledIdRecognizer(ClinicalPatternRecognizer):
    """Base for "label then value" identifiers; subclasses set NAME, ENTITY, LABELS.

    The "labelled" pattern is built from ``LABELS`` and checked by ``LABELLED_CHECK``.
    """

    LABELS = ""
    SCORE = 0.9
    LABELLED_CHECK = staticmethod(not_a_lab_value)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.LABELS:
            shared = _ANY_BUILT_IN_LABEL if cls.LABELS in _BUILT_IN_LABELS else ""  # another class's labels: no prefilter
            labelled_rx = Rx("labelled", labelled(cls.LABELS), cls.SCORE, requires=shared, check=cls.LABELLED_CHECK)
            cls.PATTERNS = (labelled_rx, *cls.PATTERNS)

@register
class MrnRecognizer(LabelledIdRecognizer):
    """Medical record numbers: labelled, or hospital formats near a cue."""

    NAME = "mrn"
    ENTITY = "MEDICAL_RECORD_NUMBER"
    LABELS = MRN_LABELS
    SCORE = 0.9
    # a bare 6-10 digit number in a header line beside the date of birth is the record number
    CONTEXT = ("mrn", "medical record", "record number", "chart", "unit no", "dob", "date of birth", "d.o.b")
    CONTEXT_AFTER = 12  # "DELACROIX, MARIE   8812047   DOB ..."
    PATTERNS = (
        Rx("mrn-like", r"(?<![\w.-])(?P<value>(?:[A-Z]{1,3}-?)?\d{6,10})(?![\w.-])", 0.2, needs_context=True, requires=r"\d{6}"),
    )

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: an MRN label followed by a year-only value ("record 2019") is not an MRN."""
        value = text[start:end]
        if value.isdigit() and len(value) == 4:
            return 0.0
        return super().validate(text, start, end, rx)


@register
class AccountRecognizer(LabelledIdRecognizer):
    NAME = "account"
    ENTITY = "ACCOUNT_NUMBER"
    LABELS = ACCOUNT_LABELS


@register
class HealthPlanRecognizer(LabelledIdRecognizer):
    """Health plan, member, policy, group and Medicare/Medicaid numbers; MBI by format."""

    NAME = "health_plan"
    ENTITY = "HEALTH_PLAN_ID"
    LABELS = HEALTH_PLAN_LABELS
    PATTERNS = (
        Rx(
            "mbi",
            r"(?<![\w-])(?P<value>[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2})(?![\w-])",
            0.6,
            check=lambda text, start, end: 0.95 if mbi_valid(text[start:end]) else 0.0,  # an unlabelled MBI: CMS format
        ),
        Rx("plan-prefixed", r"(?<![\w-])(?P<value>(?:HMO|PPO|EPO|POS|HIC|MCD|MCR)-?\d{4,12})(?![\w-])", 0.8),
    )


def _licence_checksum(value: str) -> bool:
    """A valid DEA or NPI number."""
    return (regex.fullmatch(r"[A-Za-z][A-Za-z9]\d{7}", value) is not None and dea_valid(value)) or (
        regex.fullmatch(r"[12]\d{9}", value) is not None and npi_valid(value)
    )


def labelled_licence(text: str, start: int, end: int) -> float | None:
    """A labelled licence: certain with a valid NPI or DEA checksum, kept at its score without one."""
    return 1.0 if _licence_checksum(text[start:end]) else None


def unlabelled_licence(text: str, start: int, end: int) -> float:
    """An unlabelled NPI- or DEA-shaped number: certain with a valid checksum, dropped without one."""
    return 1.0 if _licence_checksum(text[start:end]) else 0.0


@register
class LicenseRecognizer(LabelledIdRecognizer):
    """Certificate and licence numbers, NPI (Luhn with 80840) and DEA (checksum)."""

    NAME = "license"
    ENTITY = "LICENSE_NUMBER"
    LABELS = LICENSE_LABELS
    LABELLED_CHECK = staticmethod(labelled_licence)  # a licence label: no short-value rule
    CONTEXT = ("npi", "dea", "license", "licence", "provider")
    PATTERNS = (
        Rx("npi", r"(?<![\w-])(?P<value>[12]\d{9})(?![\w-])", 0.3, needs_context=True, check=unlabelled_licence),
        Rx("dea", r"(?<![\w-])(?P<value>[A-Z][A-Z9]\d{7})(?![\w-])", 0.4, check=unlabelled_licence),
    )


def ssa_rules(text: str, start: int, end: int) -> float | None:
    """An unlabelled SSN must follow the SSA rules (a labelled one is hidden even if it breaks them)."""
    return None if ssn_valid(text[start:end]) else 0.0


@register
class SsnRecognizer(ClinicalPatternRecognizer):
    NAME = "ssn"
    ENTITY = "US_SSN"
    CONTEXT = ("ssn", "social security", "soc sec", "ss#", "ss #", "social")
    PATTERNS = (
        Rx(
            "labelled",
            r"""(?x)
            (?i:\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|\#))?|soc\.?\s*sec\.?|ss\s?\#)  # the label
                \s*[:\#]?\s*)
            (?P<value>\d{3}[-\ .]?\d{2}[-\ .]?\d{4})(?![\w-])                                # the number
            """,
            0.95,
        ),
        Rx("dashed", r"(?<![\w-])(?P<value>\d{3}-\d{2}-\d{4})(?![\w-])", 0.85, check=ssa_rules),
        Rx("spaced", r"(?<![\w-])(?P<value>\d{3}[ .]\d{2}[ .]\d{4})(?![\w-])", 0.4, needs_context=True, check=ssa_rules),
        Rx("plain", r"(?<![\w-])(?P<value>\d{9})(?![\w-])", 0.4, needs_context=True, check=ssa_rules),
    )


@register
class VehicleRecognizer(LabelledIdRecognizer):
    """VINs (check digit) and licence plates near a cue."""

    NAME = "vehicle"
    ENTITY = "VEHICLE_ID"
    LABELS = VEHICLE_LABELS
    PATTERNS = (
        Rx(
            "vin",
            r"(?<![\w-])(?P<value>[A-HJ-NPR-Z0-9]{17})(?![\w-])",
            0.3,
            check=lambda text, start, end: 0.95 if vin_valid(text[start:end]) else 0.0,  # unlabelled: the check digit decides
        ),
        # a plate holds a digit ("plate ABC 123"; not "PLATE WAS LOOSE", "PLATEAU 26")
        Rx("plate", r"(?i:\bplates?\b\s*(?:number|no\.?|\#)?\s*[:#]?\s*)(?P<value>(?=[A-Z0-9 -]{0,9}\d)[A-Z0-9]{1,4}[ -][A-Z0-9]{2,5})(?![\w-])", 0.85),
    )


def card_digits(text: str, start: int, end: int) -> float | None:
    """A card number is 12 to 19 digits and nothing else."""
    digits = _NOT_DIGITS.sub("", text[start:end])
    return None if 12 <= len(digits) <= 19 and len(digits) == len(text[start:end].lstrip("#")) else 0.0


@register
class CardNumberRecognizer(LabelledIdRecognizer):
    """Payment card numbers after a card label, whether or not their Luhn digit is right."""

    NAME = "card_number"
    ENTITY = "CREDIT_CARD"
    LABELS = CARD_LABELS
    LABELLED_CHECK = staticmethod(card_digits)


@register
class DeviceRecognizer(LabelledIdRecognizer):
    NAME = "device"
    ENTITY = "DEVICE_ID"
    LABELS = DEVICE_LABELS


@register
class OtherIdRecognizer(LabelledIdRecognizer):
    """Any other labelled identifier: accession, specimen, case, order, requisition..."""

    NAME = "other_id"
    ENTITY = "ID"
    LABELS = OTHER_ID_LABELS
    SCORE = 0.85
    PATTERNS = (
        Rx("accession", r"(?<![\w-])(?P<value>[A-Z]{1,3}\d{2}-\d{3,8})(?![\w-])", 0.6),
        Rx("hash id", r"(?<![\w#])\#\s?(?P<value>[A-Z]{1,5}-?\d[\dA-Z-]{3,20})(?![\w-])", 0.7),
    )
