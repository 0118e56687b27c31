"""Telephone, fax and pager numbers; e-mail addresses; URLs; IP addresses."""

from __future__ import annotations

import ipaddress

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, glued_to_word

_EXT = r"(?:\s*(?i:x|ext\.?|extension)\s*\d{1,6})?"  # any case: notes in capitals write "X23"
_PHONE_LABEL = (
    r"\b(?:phone|tel|telephone|mobile|cell|desk|fax|pager|call\s+me\s+(?:on|at)|answering\s+at|reach\s+me\s+at"
    r"|contact\s+number|phone\s+number)\s*[:#]?\s*"
)
_PAGER_LABEL = r"\b(?:pager|beeper|pgr|bpr|pg|page)\s*(?:[:#@-]|no\.?|number|at\b|\s)*"


# A word glued to a number by a dash, a full stop or a slash: "SON-555-0142", "DTR.555-0142", "PAGER-41235".
_AFTER_WORD = glued_to_word("[-./]")
_AFTER_WORD_DASH = glued_to_word("-")
_DATE_INSIDE = regex.compile(r"\d[/.]\d{1,2}[/.]\d")
_UNIT_AFTER = regex.compile(r"[ \t]*(?i:mg|mcg|mEq|ml|cc|units?|u|g|gm|kg|mmHg|mm|cm|ml/hr?|%|x)\b")


def no_unit_after(text: str, start: int, end: int) -> float | None:
    """A number followed by a unit is a measurement, not a phone ("son gave 500 1000 mg").

    Example:
        >>> no_unit_after("gave 500 1000 mg", 5, 13), no_unit_after("call 555 1234 now", 5, 13)
        (0.0, None)
    """
    return 0.0 if _UNIT_AFTER.match(text, end) else None


def misgrouped_phone(text: str, start: int, end: int) -> float | None:
    """Digit groups near a phone cue that a phone number mistyped would make: 9 to 12 digits
    ("410-55-12345", "61-7555-1234"), 10 to 12 when blanks part them ("410 5551 2345": "80 90 100"
    is a list of values); no date inside and no unit after."""
    value = text[start:end]
    digits = sum(ch.isdigit() for ch in value)
    low = 10 if " " in value else 9
    if not low <= digits <= 12 or _DATE_INSIDE.search(value) or _UNIT_AFTER.match(text, end):
        return 0.0
    return None


def phone_digit_count(text: str, start: int, end: int) -> float | None:
    """A labelled phone has 7 to 15 digits and no date in it (a dose or a date after "call" does not).

    Example:
        >>> phone_digit_count("call 12/14/2024", 5, 15), phone_digit_count("tel 617 555 0199", 4, 16)
        (0.0, None)
    """
    digits = sum(ch.isdigit() for ch in text[start:end])
    if not 7 <= digits <= 15 or _DATE_INSIDE.search(text[start:end]):
        return 0.0
    return None


@register
class ClinicalPhoneRecognizer(ClinicalPatternRecognizer):
    """North-American numbers with optional extension; short forms only near a phone cue."""

    NAME = "phone"
    ENTITY = "PHONE_NUMBER"
    CONTEXT = ("phone", "tel", "telephone", "call", "called", "cell", "mobile", "fax", "pager", "page",
               "beeper", "beep", "bpr", "contact", "contacted", "paged", "reach", "reached", "callback", "number", "ph", "ext",
               "reached at", "home", "work",
               # a number written after a relative is how notes record the family's phone
               "son", "daughter", "wife", "husband", "family", "sister", "brother", "mother", "father",
               "friend", "niece", "nephew", "hcp", "proxy", "spouse", "partner",
               "dtr", "dau", "hsb", "mom", "dad", "bro", "sis")  # and how nurses abbreviate them
    PATTERNS = (
        Rx(
            "nanp",
            rf"""(?x)
            (?:(?<![\w/.-])|(?<=\p{{L}}-)|(?=\())   # after a word and a dash ("SON-617-..."), or its bracket after a word
            (?P<value>
              (?:\+?1[\s.-]?)?                    # country code
              (?:\([ \t]?\d{{3}}[ \t]?\)\s?|\d{{3}}[\s.-])    # area code, "( 617 )" too
              \d{{3}}[\s.-]\d{{4}}                # exchange and line
              (?:/\d{{4}}(?![\w/-]))?           # a second line of the same exchange: "555-0188/0199"
              {_EXT}
            )
            (?![\w/-]|\.\d)
            """,
            0.75,
        ),
        Rx("10 digits", rf"(?<![\w.-])(?P<value>\d{{10}}{_EXT})(?![\w.-])", 0.3, needs_context=True),
        # a local number near a phone cue, whatever separates its groups: "555-1234", "555 1234", "5551234"
        Rx("7 digits", rf"(?:(?<![\w./-])|{_AFTER_WORD})(?P<value>\d{{3}}[ .-]?\d{{4}}{_EXT})(?![\w/-]|\.\d)", 0.5, needs_context=True,
           check=no_unit_after),
        # local numbers listed with a slash near a phone cue: "555-1234/555-9876" (no ratio or date has this shape)
        Rx("slashed local numbers",
           r"""(?x)
           (?:(?<![\w./-])(?=\d{3}-\d{4}/\d{3}-\d{4}(?![\w-]|\.\d))   # the first of the pair
             |(?<=(?<![\w./-])\d{3}-\d{4}/))                           # or the one after the slash
           (?P<value>\d{3}-\d{4})(?![\w-]|\.\d)
           """,
           0.5, needs_context=True, requires=r"\d{3}-\d{4}"),
        Rx(
            "extension",
            r"(?i)\b(?:ext\.?|extension|x)\s*(?P<value>\d{2,6})\b",
            0.4,
            needs_context=True,
            requires=r"(?=\d)(?<=(?i:ext\.?|extension|x)\s*)",  # from each digit back to the cue
        ),
        Rx(
            "labelled",
            rf"(?i:{_PHONE_LABEL})(?P<value>\+?\(?\d[\d ().-]{{5,20}}\d)(?![\d])",
            0.75,
            requires=rf"(?=\d)(?<=(?i:{_PHONE_LABEL})\+?\(?)",  # the label, looked up back from each digit
            check=phone_digit_count,
        ),
        # a hospital extension near a phone cue: "call 5-1234", "dtr 4-1234", "call x5-4432"
        Rx("short extension", r"(?:(?<![\w./-])|(?<=(?<![\w./-])[xX]))(?P<value>\d-\d{4})(?![\w/-]|\.\d)", 0.5,
           needs_context=True, check=no_unit_after, requires=r"\d-\d{4}"),
        # a five-digit hospital extension or pager near a phone cue: "call 83554", "reached at 45166"
        Rx("5 digits", rf"(?:(?<![\w./:-])|{_AFTER_WORD_DASH})(?P<value>\d{{5}})(?![\w/:-]|[.,]\d)", 0.5, needs_context=True, check=no_unit_after,
           requires=r"(?<!\d)\d{5}(?!\d)"),
        Rx(
            "labelled extension",  # a hospital extension after a phone label: "phone number 5-5555", "tel: 4-1234"
            rf"(?i:{_PHONE_LABEL})(?P<value>\d-\d{{4}})(?![\w/]|[.-]\d)",
            0.7,
            requires=rf"(?=\d)(?<=(?i:{_PHONE_LABEL}))",
        ),
        Rx(
            "pager",
            rf"(?i){_PAGER_LABEL}(?P<value>\d{{4,6}}|\d-\d{{4}})(?!\w|[.-]\d)",
            0.7,
            requires=rf"(?=\d)(?<=(?i:{_PAGER_LABEL}))",
        ),
        Rx(
            "spaced groups",
            # every US grouping, whatever separates the groups: "508/555/0137", "413- 555- 0190", "617 555 0188"
            r"""(?x)
            (?<![\w/.-])
            (?P<value>\(?\d{3}\)?(?:[ \t]*[/.-][ \t]*|[ \t]+)                 # area code, then a separator
                      \d{3}(?:[ \t]*[/.-][ \t]*|[ \t]+)\d{4})                    # exchange, separator, line
            (?![\w/-]|\.\d)
            """,
            0.6,
            requires=r"\d{3}(?:[ \t]*[/.-][ \t]*|[ \t]+)\d{4}",
        ),
        # a number mistyped near a phone cue: groups of 2 to 5 digits, one separator throughout
        Rx(
            "misgrouped",
            r"""(?x)
            (?<![\w./-])
            (?P<value>\d{2,5}(?:-\d{2,5}){1,3}|\d{2,5}(?:\.\d{2,5}){2,3}|\d{3}(?:[ ]\d{3,5}){2})
            (?![\w/-]|[.,]\d)
            """,
            0.45,
            needs_context=True,
            check=misgrouped_phone,
        ),
        Rx(
            "irregular",
            r"""(?x)
            (?<![\w./-])
            (?P<value>\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4,5}     # 617.555.01999, (617)5550199
                     |\(?\d{3}\)?\s?\d{6}-\d{4}\)?              # (617) 555019-1234
                     |\d{3}\s\d{7})                             # 617 5550199
            (?![\w/-]|\.\d)
            """,
            0.45,
            needs_context=True,
        ),
    )


@register
class ClinicalEmailRecognizer(ClinicalPatternRecognizer):
    """E-mail addresses (no public-suffix download: the domain shape is enough)."""

    NAME = "email"
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        Rx(
            "email",
            r"(?i)(?<![\w.+-])(?P<value>[a-z0-9._%+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])",
            0.95,
        ),
    )


@register
class ClinicalUrlRecognizer(ClinicalPatternRecognizer):
    """URLs with a scheme or www., and bare domains with a common top-level domain."""

    NAME = "url"
    ENTITY = "URL"
    PATTERNS = (
        Rx("scheme", r"(?i)(?P<value>\b(?:https?|ftp)://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])", 0.95),
        Rx("www", r"(?i)(?P<value>\bwww\.[^\s<>\"']+[^\s<>\"'.,;:!?)\]])", 0.9),
        Rx(
            "domain",
            r"""(?ix)
            (?<![@\w.-])
            (?P<value>(?:[a-z0-9-]{2,63}\.)+                                # labels
                      (?:com|org|net|edu|gov|io|info|health|us|co\.uk)      # a common top-level domain
                      (?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?)                 # a path, without final punctuation
            (?![\w@-])
            """,
            0.7,
            requires=r"(?i)[a-z0-9-]\.(?:com|org|net|edu|gov|io|info|health|us|co\.uk)",
        ),
    )


@register
class ClinicalIpRecognizer(ClinicalPatternRecognizer):
    """IPv4 and IPv6 addresses, validated with :mod:`ipaddress`."""

    NAME = "ip"
    ENTITY = "IP_ADDRESS"
    PATTERNS = (
        Rx("ipv4", r"(?<![\w.])(?P<value>(?:\d{1,3}\.){3}\d{1,3})(?!\w|\.\d)", 0.7),
        Rx(
            "ipv6",
            r"(?i)(?<![\w:])(?P<value>(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4})(?![\w:])",
            0.6,
            requires=r"(?i)[0-9a-f]:(?:[0-9a-f]{1,4})?:",  # two colons, at most four hex digits apart
        ),
    )

    def validate(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern: keep only addresses the standard library accepts."""
        try:
            ipaddress.ip_address(text[start:end])
        except ValueError:
            return 0.0
        return None
