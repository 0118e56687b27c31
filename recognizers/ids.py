"""Numbers that identify a person: SSN, MRN, accounts, plan and Medicare numbers,
licences (NPI, DEA), vehicles (VIN), devices, accessions and any other labelled ID.

Checksums are small pure functions so they can be tested on their own.
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, luhn_valid
from recognizers.lexicon import word_trie

# -- checksums ---------------------------------------------------------------------------


def npi_valid(npi: str) -> bool:
    """NPI check digit: Luhn over the number prefixed with 80840 (CMS NPI standard).

    Example:
        >>> npi_valid("1234567893"), npi_valid("1234567890")
        (True, False)
    """
    return len(npi) == 10 and npi.isdigit() and npi[0] in "12" and luhn_valid("80840" + npi)


def dea_valid(dea: str) -> bool:
    """DEA registration number: 2 letters, 7 digits; (d1+d3+d5) + 2(d2+d4+d6) ends in d7.

    Example:
        >>> dea_valid("AB1234563"), dea_valid("AB1234567")
        (True, False)
    """
    if not regex.fullmatch(r"[A-Za-z][A-Za-z9]\d{7}", dea):
        return False
    d = [int(c) for c in dea[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_MBI_ALPHA = "ACDEFGHJKMNPQRTUVWXY"  # letters allowed in an MBI (no S, L, O, I, B, Z)


def mbi_valid(mbi: str) -> bool:
    """Medicare Beneficiary Identifier format (CMS): C A AN N A AN N A A N N.

    Example:
        >>> mbi_valid("1EG4-TE5-MK73"), mbi_valid("1EG4-TE5-MK7S")
        (True, False)
    """
    s = mbi.replace("-", "").upper()
    if len(s) != 11:
        return False
    alpha = set(_MBI_ALPHA)
    alnum = alpha | set("0123456789")
    shape = ("C", "A", "X", "N", "A", "X", "N", "A", "A", "N", "N")
    for char, kind in zip(s, shape):
        ok = {
            "C": char in "123456789",
            "A": char in alpha,
            "N": char.isdigit(),
            "X": char in alnum,
        }[kind]
        if not ok:
            return False
    return True


_VIN_MAP = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
            **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_valid(vin: str) -> bool:
    """North-American VIN check digit (position 9).

    Example:
        >>> vin_valid("1M8GDM9AXKP042788"), vin_valid("1M8GDM9A1KP042788")
        (True, False)
    """
    vin = vin.upper()
    if len(vin) != 17 or any(c not in _VIN_MAP for c in vin):
        return False
    total = sum(_VIN_MAP[c] * w for c, w in zip(vin, _VIN_WEIGHTS))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


_NOT_DIGITS = regex.compile(r"\D")


def ssn_valid(ssn: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000.

    Example:
        >>> ssn_valid("123-45-6789"), ssn_valid("000-12-3456")
        (True, False)
    """
    digits = _NOT_DIGITS.sub("", ssn)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


# -- labelled identifiers ------------------------------------------------------------------

# "MRN: 123", "Acct # A-77", "member ID XJH22817", "NPI 1234567893".
_NUMBER_WORD = r"(?:\s*(?:number|num|no\.?|nbr|id|identifier|code))?"
_SEPARATOR = r"\s*(?:\#?\s*[:=]|is|was|\#(?=\s))?\s*"
# The value may keep a "#" written against it ("#SC987654"); it must contain a digit.
_VALUE = r"(?P<value>\#?(?=[A-Z0-9-]*\d)[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){3,24})(?![\w-])"


def labelled(labels: str) -> str:
    """A pattern for ``LABEL [number|no|#|id] [:|#] VALUE`` with the value as the finding."""
    return rf"(?i:\b(?:{labels})\.?{_NUMBER_WORD}{_SEPARATOR}){_VALUE}"


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


class LabelledIdRecognizer(ClinicalPatternRecognizer):
    """Base for "label then value" identifiers; subclasses set NAME, ENTITY, LABELS."""

    LABELS = ""
    SCORE = 0.9
    GROUP = "ids"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.LABELS:
            shared = _ANY_BUILT_IN_LABEL if cls.LABELS in _BUILT_IN_LABELS else ""  # another class's labels: no prefilter
            cls.PATTERNS = (Rx("labelled", labelled(cls.LABELS), cls.SCORE, requires=shared), *cls.PATTERNS)

    def validate(self, text: str, start: int, end: int, pattern: str):
        """A short number or a numeric range after a label word is a value, not an identifier ("lab 7-20")."""
        if pattern == "labelled" and _NOT_AN_ID.fullmatch(text[start:end]):
            return 0.0
        return None


_NOT_AN_ID = regex.compile(r"#?\d{1,3}(?:-\d{1,3})?|#?\d{1,2}[/.]\d{1,2}")

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

    def validate(self, text: str, start: int, end: int, pattern: str):
        """An MRN label followed by a year-only value ("record 2019") is not an MRN."""
        value = text[start:end]
        if value.isdigit() and len(value) == 4:
            return 0.0
        return super().validate(text, start, end, pattern)


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
        Rx("mbi", r"(?<![\w-])(?P<value>[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2})(?![\w-])", 0.6),
        Rx("plan-prefixed", r"(?<![\w-])(?P<value>(?:HMO|PPO|EPO|POS|HIC|MCD|MCR)-?\d{4,12})(?![\w-])", 0.8),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        """An unlabelled MBI-shaped value must pass the MBI format rules."""
        if pattern == "mbi":
            return 0.95 if mbi_valid(text[start:end]) else 0.0
        return None


@register
class LicenseRecognizer(LabelledIdRecognizer):
    """Certificate and licence numbers, NPI (Luhn with 80840) and DEA (checksum)."""

    NAME = "license"
    ENTITY = "LICENSE_NUMBER"
    LABELS = LICENSE_LABELS
    CONTEXT = ("npi", "dea", "license", "licence", "provider")
    PATTERNS = (
        Rx("npi", r"(?<![\w-])(?P<value>[12]\d{9})(?![\w-])", 0.3, needs_context=True),
        Rx("dea", r"(?<![\w-])(?P<value>[A-Z][A-Z9]\d{7})(?![\w-])", 0.4),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        """A valid NPI or DEA checksum is certain; an unlabelled number that fails it is not an identifier."""
        value = text[start:end]
        if regex.fullmatch(r"[A-Za-z][A-Za-z9]\d{7}", value) and dea_valid(value):
            return 1.0
        if regex.fullmatch(r"[12]\d{9}", value) and npi_valid(value):
            return 1.0
        return None if pattern == "labelled" else 0.0


@register
class SsnRecognizer(ClinicalPatternRecognizer):
    NAME = "ssn"
    ENTITY = "US_SSN"
    GROUP = "ids"
    CONTEXT = ("ssn", "social security", "soc sec", "ss#", "ss #", "social")
    PATTERNS = (
        Rx("labelled", r"(?i:\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?|soc\.?\s*sec\.?|ss\s?\#)\s*[:#]?\s*)(?P<value>\d{3}[- .]?\d{2}[- .]?\d{4})(?![\w-])", 0.95),
        Rx("dashed", r"(?<![\w-])(?P<value>\d{3}-\d{2}-\d{4})(?![\w-])", 0.85),
        Rx("spaced", r"(?<![\w-])(?P<value>\d{3}[ .]\d{2}[ .]\d{4})(?![\w-])", 0.4, needs_context=True),
        Rx("plain", r"(?<![\w-])(?P<value>\d{9})(?![\w-])", 0.4, needs_context=True),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        """Unlabelled numbers must follow SSA rules; a labelled one is hidden even if it breaks them."""
        if pattern == "labelled":
            return None
        return None if ssn_valid(text[start:end]) else 0.0


@register
class VehicleRecognizer(LabelledIdRecognizer):
    """VINs (check digit) and licence plates near a cue."""

    NAME = "vehicle"
    ENTITY = "VEHICLE_ID"
    LABELS = VEHICLE_LABELS
    PATTERNS = (
        Rx("vin", r"(?<![\w-])(?P<value>[A-HJ-NPR-Z0-9]{17})(?![\w-])", 0.3),
        Rx("plate", r"(?i:\bplates?\s*(?:number|no\.?|\#)?\s*[:#]?\s*)(?P<value>[A-Z0-9]{1,4}[ -][A-Z0-9]{2,5})(?![\w-])", 0.85),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        """A 17-character run is a VIN only if its check digit is right (or a label says so)."""
        if pattern == "vin":
            return 0.95 if vin_valid(text[start:end]) else 0.0
        return None


@register
class CardNumberRecognizer(LabelledIdRecognizer):
    """Payment card numbers after a card label, whether or not their Luhn digit is right."""

    NAME = "card_number"
    ENTITY = "CREDIT_CARD"
    LABELS = CARD_LABELS

    def validate(self, text: str, start: int, end: int, pattern: str):
        digits = _NOT_DIGITS.sub("", text[start:end])
        return None if 12 <= len(digits) <= 19 and len(digits) == len(text[start:end].lstrip("#")) else 0.0


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
