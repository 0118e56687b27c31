"""Address blocks: a found street line takes the lines of its address that follow it.

An address is written as a block: the street line, then a unit, the town, a region code, a
postal code and a country, on the following lines or after commas on the same line::

    5533 Countess Close          <- found by the street recognizers
    Suite 868                    <- a unit designator
    Seatoun                      <- a town: one to four capitalised words
    New Zealand 6022             <- a country, with or without a postal code

Safe Harbor counts every geographic subdivision smaller than a state as an identifier, and the
shape of the block gives the parts away even where no vocabulary knows the town. So:

Decision rule (:func:`extend_addresses`): a ``STREET_ADDRESS`` span takes, one part at a time,
what follows it while each part is an address part: a unit designator; a postal code; a region
code with or without a postal code ("ON", "RS 24893"); a country, with or without a postal
code; or a town line. A part follows a comma, or a line break (once, a blank line). A town is
one to four words that each start with a capital letter (lower-case particles such as "de",
"u", "nad" between them), with no digit, no colon and no sentence after it, that is not a
line of everyday words: at least one of its words is no common English word, and its first word
is no stop word other than "the" ("AND PREFERS THURSDAY"). The block ends
at the first part that is none of these. A house number written before the street ("5533 119
Countess Close", the building before the street number) joins it.

A block never takes a line that carries a label ("Phone: ...", "Mobile: ..."), a sentence, or
a line of common words ("Thanks", "Best regards"), so a letterhead's next line stays; a town with its
postal code is held to the same test ("2003 SHOWED NO INFILTRATE"). A line that ends on a day and a
month's name before a line that starts with a year is a date wrapped over a line ("CXR 3 MAR" /
"2003 SHOWED ..."), never a street line.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.dates import MONTH
from recognizers.document import Span
from recognizers.places.common import FLAT_WORD

# What may sit between two parts: a comma, or a line break with the quoting some mail adds
# ("> ", "??? ") and at most one blank line. Runs of blanks are taken whole (possessive ``*+``):
# giving them back one at a time was quadratic on a line padded with blanks (10,000 spaces timed out).
_SEPARATOR = r"""
    (?: [ \t]*+,[ \t]*+                            # a comma on the same line
      | [ \t]*+,?[ \t]*+\n(?:[ \t>?]*+\n)?[ \t>?]*+  # a line break, at most one blank line
        ,?[ \t]*+                                  # a comma that starts the next line
    )
"""

# capitalised or in capitals (lower-case text is read in capitals: recognizers.document.rule_text)
_UNIT = r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|APT|APARTMENT|SUITE|STE|UNIT|FLAT|FL|FLOOR|ROOM|RM)\.?[ \t]*\#?\d{1,5}[A-Za-z]?"
_POSTCODE = r"(?:\d{4,6}(?:-\d{3,4})?|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2})"
_REGION = r"(?:[A-Z]{2,3})"
# A town word: capitalised (or all capitals), letters of any script, inner apostrophes, dots, dashes.
_TOWN_WORD = r"(?:\p{Lu}[\p{L}'’.-]*)"
_PARTICLE = r"(?i:de|del|della|di|do|da|dos|das|du|des|la|le|les|el|u|nad|pod|v|an|am|im|bei|sur|en|y|i|e)"
_TOWN = rf"(?:{_TOWN_WORD}(?:[ \t]++(?:{_PARTICLE}[ \t]++)?{_TOWN_WORD}){{0,3}})"
# After a part: the end of the line, a comma, or the end of the text (never more words).
_PART_END = r"(?=[ \t]*+(?:,|\n|$|[?!.](?:\s|$)))"


@cache
def _countries(capitals: bool = False) -> regex.Pattern:
    """Country names (Faker's English list, already the surrogate generator's data), as written; with
    ``capitals`` in capitals too: a block's country line after a found street ("FINLAND"), never the
    evidence that a line is a street (a line of capitals ending "JORDAN" or "GEORGIA" is a name or a
    state as often)."""
    from faker.providers.address.en_US import Provider

    written = {n for n in Provider.countries if "(" not in n} | {"USA", "U.S.A.", "UK", "United States"}
    names = sorted(written | {n.upper() for n in written} if capitals else written, key=len, reverse=True)
    return regex.compile("|".join(regex.escape(n) for n in names))


@cache
def _part() -> regex.Pattern:
    """One address part after a separator; the named group says which kind."""
    return regex.compile(
        rf"""(?x)
        {_SEPARATOR}
        (?P<body>
            (?P<unit>{_UNIT})                                         # Suite 868
          | (?P<country>(?:{_countries(capitals=True).pattern})(?:[ \t]+{_POSTCODE})?) # New Zealand, NORWAY 66455
          | (?P<region>{_REGION}(?:[ \t]+{_POSTCODE})?)                # ON, RS 24893
          | (?P<postcode>{_POSTCODE})                                  # 59050
          | (?P<townpost>(?P<town_before>{_TOWN})[ \t]+{_POSTCODE}|{_POSTCODE}[ \t]+(?P<town_after>{_TOWN})) # Oslo 0150, 75008 Paris
          | (?P<town>{_TOWN})                                          # Seatoun, Velká Bukovina u Decína
        )
        {_PART_END}
        """
    )


_LEADING_NUMBER = regex.compile(r"(?<![\w.,-])\d{1,6}[ \t]+$")


def _everyday_line(words: str) -> bool:
    """A town line made only of common English words ("Best Regards", "Thanks"), or one that starts
    with a stop word other than "the" (", AND PREFERS THURSDAY" in a note in capitals), is no town."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from recognizers.lexicon import is_common

    parts = [w.strip(".'’-") for w in words.split()]
    if parts and parts[0].casefold() in STOP_WORDS and parts[0].casefold() != "the":
        return True
    return all(is_common(w) or len(w) < 2 for w in parts if w)


def _everyday_town(part: regex.Match, *, stop_word_start: bool = True) -> bool:
    """A town part that is a line of everyday words: a town alone by :func:`_everyday_line`; a town with
    its postal code, or any town the street-line check reads, only when it is two words or more and every
    one is a common word ("2040 THANKS AGAIN"): towns start with a stop word too ("15001 A Coruña", "Much
    Wenlock TF13 6AA"), and one common word is a town as often ("7323 Give")."""
    from recognizers.lexicon import is_common

    if part.group("town") is not None and stop_word_start:
        return _everyday_line(part.group("town"))
    town = part.group("town") or part.group("town_before") or part.group("town_after")
    if town is None:
        return False
    words = [w.strip(".'’-") for w in town.split() if w.strip(".'’-")]
    # one word is a town as often as not ("7323 Give", "10060 None"): only a line of several common words is none
    return len(words) >= 2 and all(is_common(w) or len(w) < 2 for w in words)


# A street line that ends on a day and a month's name, before a line that starts with a year: a date
# wrapped over a line ("CXR 3 MAR\n2003 SHOWED ..."), not "5533 Countess Close\n2040 Oslo".
_DAY_MONTH_END = regex.compile(rf"(?i)(?<![\p{{L}}\d])\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{MONTH}\.?$")
_YEAR_START = regex.compile(r"[ \t]*,?[ \t]*\r?\n[ \t]*(?:19|20)\d{2}(?!\d)")


def _no_street_line(text: str, start: int, end: int) -> float | None:
    """The street line's check: the block after it must not start with a town of everyday words, and
    the line must not be a date wrapped over a line."""
    first = _part().match(text, end)
    if first is not None and _everyday_town(first, stop_word_start=False):
        return 0
    if _DAY_MONTH_END.search(text, start, end) and _YEAR_START.match(text, end):
        return 0
    return None


def extend_addresses(text: str, spans: list[Span]) -> list[Span]:
    """Carry each ``STREET_ADDRESS`` span over the address block around it (see the module docstring).

    ``spans`` are :class:`~recognizers.document.Span` values in the detection view's offsets. Each
    further part of the block is a span of its own (line breaks and commas stay, so the block keeps
    its layout); the result is unordered and may overlap other spans (the caller merges).

    Example:
        >>> text = "Send to:\\n12 Countess Close\\n Suite 8\\n Seatoun\\n New Zealand 6022\\nPhone: 555"
        >>> [text[c.start:c.end] for c in extend_addresses(text, [Span(9, 26, "STREET_ADDRESS", 0.85, "street_address")])]
        ['Suite 8', 'Seatoun', 'New Zealand 6022', '12 Countess Close']
    """
    part = _part()
    zips = sorted(c.start for c in spans if c.entity_type == "ZIP_CODE")
    out = []
    for c in spans:
        if c.entity_type == "STREET_ADDRESS":
            lead = _LEADING_NUMBER.search(text, max(0, c.start - 8), c.start)
            if lead is not None:
                c = replace(c, start=lead.start())
            end = c.end
            for _ in range(6):
                m = part.match(text, end)
                if m is None or _everyday_town(m):
                    break
                start, end = m.span("body")
                zip_start = next((z for z in zips if start <= z < end), None)
                if zip_start is not None:  # a ZIP code keeps its own finding (and operator): stop before it
                    end = len(text[:zip_start].rstrip(" \t,\n"))
                if end > start:  # one span per line or comma part: the block keeps its layout
                    out.append(replace(c, start=start, end=end))
                if zip_start is not None:
                    break
        out.append(c)
    return out


@cache
def _not_stop_word() -> str:
    """A negative look-ahead refusing an English stop word ("TO 5 WEST WHEN OFF PRESSORS" is no street)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from recognizers.lexicon import word_trie

    words = {w for w in STOP_WORDS if w.isalpha()} - {"via"}
    return rf"(?!(?i:{word_trie(words)})(?![\p{{L}}\d]))"


# A street line: "Aqqusinersuaq 111", "9791 Markt 84", "5533 119 Countess Close", "Storgarden 52 Trajanka Forks".
_FLAT = rf"{FLAT_WORD}\.?[ \t]*\#?\d{{1,5}}[A-Za-z]?"  # "Apt. 8", "SUITE 212"
_STREET_LINE = r"""
    (?: \d{1,6}[ \t]++ )?                                 # a house or building number
    (?: NOT_STOP[\p{L}\d][\p{L}\d'’.-]*[ \t]++ ){0,5}    # street words (and numbers), no stop word
    (?: \d{1,5}[A-Za-z]?\.? | NOT_STOP\p{L}[\p{L}'’.-]* )  # a number or one more word
    (?: ,?[ \t]++FLAT )?                                   # a unit on the same line
"""
# ... and what must follow it for the line to be a street: a unit designator, a town with its postal
# code, or a town line and then a country, a region code with a postal code, or a postal code.
_BLOCK_AFTER = rf"""
    (?= {_SEPARATOR}
        (?: {_FLAT}
          | {_POSTCODE}[ \t]+{_TOWN} | {_TOWN}[ \t]+{_POSTCODE}                 # 75008 Paris, Oldbury 4410
          | {_TOWN} {_SEPARATOR} (?: {_REGION}[ \t]+{_POSTCODE} | {_POSTCODE} | (?&country) | {_TOWN}[ \t]+{_POSTCODE} )
        )
        {_PART_END}
    )
"""


@register
class AddressBlockRecognizer(ClinicalPatternRecognizer):
    """A line with a number that an address block follows: the street line of a postal address.

    The street line of an address in any country ("Aqqusinersuaq 111", "9791 Markt 84") has no
    street type that a pattern could key on; what makes it a street is what follows it: a unit
    designator on the next line or after a comma, or a town and then a country, a region code or
    a postal code. The line must hold a number and start a line (after any "> " quoting).
    :func:`extend_addresses` then takes the rest of the block.
    """

    NAME = "address_block"
    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Rx(
            "street line before an address block",
            rf"""(?xm)
            (?(DEFINE)(?P<country>{_countries().pattern}))
            # the look-behind is bounded as the view bounds a run of blanks (64): unbounded, it was quadratic
            (?: ^[ \t>?]*+ | (?<=\b(?i:at|to|is|in|on|address):?[ \t]{{1,64}}) )
            (?P<value>(?=[^\n,]*\d){_STREET_LINE.replace("FLAT", _FLAT).replace("NOT_STOP", _not_stop_word())})
            {_BLOCK_AFTER}
            """,
            0.7,
            requires=r"\d",  # the street line holds a number (before its first comma)
            check=_no_street_line,
        ),
    )
