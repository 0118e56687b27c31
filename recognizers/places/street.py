"""Street addresses and ZIP codes (``street_address``, ``zip_code``).

Decision rules:

* STREET_ADDRESS: a house number, a street name and a street type, with an optional unit ("1842
  Willow Creek Rd, Apt 4B"), whose name holds no stop word; a PO box; an international street (a
  type word first, a type suffix or a type word after the name, and a house number after: "Via
  Franscini 71", "Koskikatu 25", "Villacher Strasse 89"); a capitalised street name, its house number
  and a flat or suite, the order of most of Europe ("Dalmatinova 43 Apt. 678"); two capitalised
  streets after "the corner of" ("the corner of Elm and 5th"); a unit designator; a US military
  address; what follows an address cue ("lives at", "send it to"), ended at the end of its sentence
  and kept only when it is shaped like an address.
* Without capitals (a note in capitals; a lower-case text, which the rules read in capitals:
  :func:`recognizers.document.rule_text`) each rule reads the capitals' form of its words, and the
  evidence capitals gave is asked of the words instead: a word with a street suffix is no dictionary
  word ("PURUNTIE 82", not "UNTIE 2"); a street's name before its number and unit holds no stop word;
  a flat or suite ("APT. 5", "SUITE 838") counts only after a street or in a block ("F/U APT. 2 WKS"
  is an appointment, "ENDO SUITE 3" a procedure room) and so does "UNIT" ("UNIT 4" is clinical); VIA,
  AV and RUE are never street types ("O2 VIA NC 2L", "AV PACED", "RUE PICC"); two corner streets need
  a street type or a house number of two digits or more ("THE CORNER OF 3744 RETREAT AVENUE AND ...",
  not "CORNER OF MOUTH AND LIP", "CORNER OF THE JAW AND 2 CM BELOW", "CORNER OF 4TH AND 5TH TOES").
* ZIP_CODE: ZIP and ZIP+4 after a state or a ZIP cue; a lone five-digit number is not enough, a
  ZIP+4 shape is.

The rest of an address block (town, region, postcode and country lines) is
:mod:`recognizers.places.address_block`.
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.gazetteer import STATE_ABBR, STATE_NAME
from recognizers.lexicon import COMMON_WORDS
from recognizers.places.common import _CAP, FLAT_WORD, without_capitals
from recognizers.vocab import in_dictionary

_STREET_TYPE = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter"
    r"|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Pike|Alley|Row|Path|Plaza|Route|Rte|Turnpike)"
)
# In ALL-CAPS text "CT", "DR", "SQ", "PL" are far more often clinical than street types.
_STREET_TYPE_CAPS = (
    r"(?:STREET|ST|AVENUE|AVE|ROAD|RD|BOULEVARD|BLVD|LANE|LN|DRIVE|COURT|PLACE|TERRACE|CIRCLE|HIGHWAY|HWY|PARKWAY|PKWY"
    r"|SQUARE|TRAIL|PIKE|TURNPIKE)"
)
_INTL_STREET_TYPE = (
    r"(?:Via|Viale|Corso|Piazza|Rua|Rúa|Avenida|Av\.?|Calle|C/|Carrer|Rue|rue|Avenue|avenue|Boulevard|Ulica|Ul\.|ul\.|Strada|Praça"
    # in capitals (and in lower case, which the rules read in capitals: recognizers.document.rule_text);
    # not VIA, AV or RUE, clinical words in capitals ("O2 VIA NC 2L", "AV PACED", "RUE PICC 2 LUMENS")
    r"|VIALE|CORSO|PIAZZA|RUA|RÚA|AVENIDA|CALLE|CARRER|AVENUE|BOULEVARD|ULICA|UL\.|STRADA|PRAÇA)"
)
# A street type written as a word of its own after the street's name ("Villacher Strasse 89", "Koepenicker Str. 74").
# The German and Dutch words are no English ones in any case; "Str." and the short ones are capitalised or in capitals.
_INTL_STREET_WORD = r"(?:(?i:strasse|straße|gasse|allee|platz|straat)|Str\.|STR\.|Weg|Laan|Plein|Vej|Gade|Gatan|Veien|WEG|LAAN|PLEIN|VEJ|GADE|GATAN|VEIEN)"
_INTL_STREET_SUFFIX = (
    r"(?:katu|kuja|tie|polku|vej|gade|gatan|vägen|gata|veien|weg|straße|strasse|str\.|gasse|allee|laan|plein|platz|utca|út|tér"
    r"|ulica|sokak|caddesi)"
)

# A flat or suite on its own ("Apt. 595", "Suite 838"), capitalised: in capitals it is as often an
# appointment or a procedure room ("F/U APT. 2 WKS", "TO ENDO SUITE 3"), so there a unit counts only
# after a street or in a block; "Unit" never counts alone ("UNIT 4", "3 UNITS")
_UNIT_DESIGNATOR = r"(?:Apt\.|Apt|Suite|Ste\.)"

# A word of a street's name at a corner: capitalised, or a number ("Elm", "St.", "5th"); the last one
# of the text takes no full stop ("... and Inna Loop St." ends before it).
_CORNER_WORD = r"(?:\p{Lu}[\p{L}'’.-]*|\d{1,6}(?i:st|nd|rd|th)?)"
_CORNER_LAST_WORD = r"(?:\p{Lu}[\p{L}'’-]*|\d{1,6}(?i:st|nd|rd|th)?)"


def no_stop_word_in_street_name(text: str, start: int, end: int) -> float | None:
    """A street's name has no stop word: "63 YO MALE TRANSFERED FROM ST" is no address."""
    name_words = _UNIT_PART.split(text[start:end], maxsplit=1)[0].split()[1:-1]  # between number and type
    stop = any(w.casefold() in COMMON_WORDS and w.casefold() != "the" for w in name_words)
    return 0.0 if stop else None


def street_suffix_no_english_word(text: str, start: int, end: int) -> float | None:
    """Without capitals, a word ending like a street ("-tie", "-gade") is a street only when it is
    no dictionary word: "UNTIE 2 STRAPS", "BRIGADE 3" are none, "PURUNTIE 82" is."""
    value = text[start:end]
    if not without_capitals(value):
        return None
    suffixed = _SUFFIX_WORD.search(value)  # only the street-suffix form ("CALLE MAYOR 5" has none)
    if suffixed is None:
        return None
    return 0.0 if in_dictionary(suffixed.group(1).casefold()) else None


def no_stop_word_before_number(text: str, start: int, end: int) -> float | None:
    """In capitals a street's name before its number holds no stop word ("MOVED TO APT. 12C, SUITE 8" is
    no street); capitalised words are names by their capitals."""
    value = text[start:end]
    if not without_capitals(value):
        return None
    words = regex.findall(r"\p{L}[\p{L}'’.-]*", _UNIT_WORD.split(value, maxsplit=1)[0])
    return 0.0 if any(w.strip(".").casefold() in COMMON_WORDS for w in words) else None


def corner_of_streets(text: str, start: int, end: int) -> float | None:
    """Two names at a corner are streets by their capitals; where the names are in capitals (a note in
    capitals, a lower-case one read in capitals) one of them needs a street type or a house number of two
    digits or more ("THE CORNER OF 3744 RETREAT AVENUE AND ...", "ELM STREET AND 5TH"; not "CORNER OF MOUTH
    AND LIP", "CORNER OF THE JAW AND 2 CM BELOW", "CORNER OF 4TH AND 5TH TOES", "CORNER OF EYE AND 2 SUTURES")."""
    names = regex.sub(r"(?i)^(?:the[ \t]+)?corner[ \t]+of[ \t]+", "", text[start:end])
    if not without_capitals(names):
        return None
    return None if _CORNER_STREET.search(names) else 0.0


def address_after_cue(text: str, start: int, end: int):
    """An address after a cue ends at the end of its sentence, and must look like one."""
    value = text[start:end]
    # the sentence ends at ". " before a lower-case or capitalised word that is no address part
    stop = _ADDRESS_END.search(value)
    if stop:
        value = value[: stop.start()]
    value = value.rstrip(" \t\n.,")
    # it ends at its last number (a postal code, a house or unit number), or at a town right after it
    last = None
    for last in regex.finditer(r"\d+", value):
        pass
    if last is not None and last.start() > 0 and not _TOWN_TAIL.fullmatch(value, last.end()):
        value = value[: last.end()]
    lines = [line.strip(" \t,") for line in value.split("\n") if line.strip(" \t,")]
    if not lines:
        return 0.0
    shaped = (
        _ADDRESS_PART.search(value) is not None
        or len(regex.findall(r"\d+", value)) >= 2
        or (len(lines) >= 2 and all(len(line.split()) <= 4 for line in lines[1:]))
    )
    if not shaped or _NOT_ADDRESS.search(value):
        return 0.0
    return start, start + len(value), None


@register
class StreetAddressRecognizer(ClinicalPatternRecognizer):
    """House number, street name and type, optional unit: "1842 Willow Creek Rd, Apt 4B"."""

    NAME = "street_address"
    ENTITY = "STREET_ADDRESS"
    PATTERNS = (
        Rx(
            "street",
            rf"""(?x)
            (?<![\w/.-])
            (?P<value>
              \d{{1,6}}\s+                                  # house number
              (?:(?:[NSEW]|North|South|East|West|NORTH|SOUTH|EAST|WEST)\.?\s+)?  # direction
              (?:{_CAP}\s+){{0,3}}{_CAP}\s+                  # street name words
              (?-i:{_STREET_TYPE}|{_STREET_TYPE_CAPS})\.?  # street type
              (?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Fl|Floor|APT|APARTMENT|SUITE|STE|UNIT|RM|ROOM|FL|FLOOR|\#)
                 \.?\s*\#?[\w-]+)?                                # unit (capitalised or in capitals)
            )
            (?!\w)
            """,
            0.85,
            check=no_stop_word_in_street_name,
        ),
        Rx("po box", r"(?i)(?P<value>\bP\.?\s?O\.?\s+Box\s+\d{1,6})\b", 0.9),
        Rx(
            "international street",
            rf"""(?x)
            (?<![\w-])
            (?P<value>
              (?:\d{{1,6}}[ \t]+)?                                   # house number before
              (?:
                {_INTL_STREET_TYPE}                                  # type first
                (?:[ \t]+(?i:do|da|de|del|della|di|des|du|la|le|dos|das))?[ \t]+\p{{Lu}}[\p{{L}}'’-]+(?:[ \t]+\p{{Lu}}[\p{{L}}'’-]+)?
              | \p{{Lu}}[\p{{L}}'’-]*(?i:{_INTL_STREET_SUFFIX})          # type as a suffix ("Koskikatu", "KOSKIKATU")
              | \p{{L}}[\p{{L}}'’-]+[ \t]+{_INTL_STREET_WORD}            # type as a word after the name
              )
              [ \t]+\d{{1,5}}[A-Za-z]?\.?                            # house number after
              (?:,?[ \t]+(?:Apt|Suite|Ste|Unit|APT|SUITE|STE|UNIT)\.?[ \t]*\#?\d+[A-Za-z]?)?  # unit
            )
            (?![\w-])
            """,
            0.8,
            # a street type word, or a house number after a street suffix (looked up back from each digit)
            requires=rf"{_INTL_STREET_TYPE}[ \t]|(?=\d)(?<=(?:(?i:{_INTL_STREET_SUFFIX})|[ \t]{_INTL_STREET_WORD})[ \t]+)",
            check=street_suffix_no_english_word,
        ),
        Rx("unit designator", rf"(?<![\w-])(?P<value>{_UNIT_DESIGNATOR}[ \t]*\#?\d{{1,5}}[A-Za-z]?)(?![\w-])", 0.6),
        Rx(
            "street name, number, unit",
            # the order of most of Europe: the street's name, its house number, then a flat or a suite
            # ("Dalmatinova 43 Apt. 678", "9791 Markt 84 Suite 5"); the unit says it is an address
            r"""(?x)
            (?<![\w'’.-])
            (?P<value>
              (?:\d{1,6}[ \t]+)?                                        # a number before (a postal code)
              (?:\p{Lu}[\p{L}'’.-]*[ \t]+){1,3}                          # the street's name, capitalised
              \d{1,5}[A-Za-z]?\.?,?[ \t]+                               # the house number
              (?:Apt\.?|Apartment|Suite|Ste\.?|APT\.?|APARTMENT|SUITE)[ \t]*\#?\d{1,5}[A-Za-z]?   # the flat or suite
            )
            (?![\w-])
            """,
            0.7,
            requires=rf"\d[A-Za-z]?[.,]{{0,2}}[ \t]+{FLAT_WORD}\b",
            check=no_stop_word_before_number,
        ),
        Rx(
            "corner of two streets",
            # "at the corner of Main and 5th", "the corner of Nieuwe Baan 473 and Inna Loop": two names
            # of up to four capitalised words or numbers each
            rf"""(?x)
            (?P<value>
              (?i:\bthe[ \t]+)?(?i:corner[ \t]+of)[ \t]+
              (?:{_CORNER_WORD}[ \t]+){{0,3}}{_CORNER_WORD}
              [ \t]+(?i:and)[ \t]+
              (?:{_CORNER_WORD}[ \t]+){{0,3}}{_CORNER_LAST_WORD}
            )
            (?![\w-])
            """,
            0.7,
            requires=r"(?i)corner[ \t]+of",
            check=corner_of_streets,
        ),
        Rx(
            "military address",
            # US military mail: "PSC 0413, Box 8144\nAPO AA 42323", "Unit 4719 Box 7394 DPO AP 70942"
            r"(?<![\w-])(?P<value>(?:PSC|Unit|UNIT|CMR)[ \t]+\d{3,5},?[ \t]+(?:Box|BOX)[ \t]+\d{3,5},?\s+(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5})(?!\d)",
            0.9,
            requires=r"\b(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)\b",
        ),
        Rx(
            "address after a cue",
            # what follows "address is", "lives at", "send it to": a number and up to four more short
            # lines ("6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677"); checked in validate
            r"""(?x)
            (?i:\b(?:address(?:es)?(?:[ \t]+of(?:[ \t]+\p{L}[^\s,.?]*){1,4})?(?:[ \t]+is)?  # "the address of X is"
                 |address[ \t]+with|lives[ \t]+at|living[ \t]+at|located[ \t]+at|resides[ \t]+at
                 |sen[dt][ \t]+(?:it|this|them|a[ \t]+new[ \t]+one|the[ \t]+\w+)?[ \t]*to    # "send it to"
                 |mail(?:ed)?[ \t]+(?:it[ \t]+)?to|ship(?:ped)?[ \t]+(?:it[ \t]+)?to|return[ \t]+(?:it[ \t]+)?to
                 |office[ \t]+is[ \t]+at|meet[ \t]+(?:me|you)[ \t]+at)
               [ \t]*:?\s*(?:are:?\s*)?)
            (?P<value>\d{1,6}(?:[ \t]+\d{1,6})?[ \t]+\p{L}[^\n?!;]{2,70}   # a number and the first line
                      (?:\n[ \t]*[^\n?!;]{1,40}){0,4})                       # up to four more short lines
            """,
            0.7,
            requires=r"(?i)address|lives|living|located|resides|sen[dt]|mail|ship|return|office|meet",
            check=address_after_cue,
        ),
    )


# At a corner in capitals, what says a name is a street's: a street type, or a house number of two digits or
# more before a word that is no unit (one digit or an ordinal does not: "2 CM", "2 SUTURES", "4TH AND 5TH TOES").
_CORNER_STREET = regex.compile(
    rf"\b\d{{2,6}}[ \t]+(?!(?:CM|MM|M|IN|INCH|INCHES|FT|FEET|X|TIMES|UNITS?|MG|ML|CC)\b)\p{{Lu}}"
    rf"|\b(?:{_STREET_TYPE_CAPS}|ROUTE|WAY|ROW|PLAZA|ALLEY|PATH|PLACE)\b"
)
_SUFFIX_WORD = regex.compile(rf"(\p{{L}}[\p{{L}}'’-]*(?i:{_INTL_STREET_SUFFIX}))[ \t]+\d")
_UNIT_WORD = regex.compile(r"\b(?:APT|APARTMENT|SUITE)\b")
_UNIT_PART = regex.compile(r",|\s(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Fl|Floor|APT|APARTMENT|SUITE|STE|UNIT|RM|ROOM|FL|FLOOR|\#)\b")
_ADDRESS_END = regex.compile(
    r"\.[ \t]+(?=\p{Ll}|(?:I|We|He|She|They|The|This|It|Please|Thanks?)\b)"  # a full stop, then a sentence
    r"|[ \t]+(?:after|before|for|in\s+case|at\s+\d|if|when|and\s+I)\b"  # or a word that starts a clause
)
# Parts only addresses have: a street type or suffix, a unit, a postal box.
_ADDRESS_PART = regex.compile(
    rf"(?i)\b(?:{_STREET_TYPE}|apt|apartment|suite|ste|box|str|u\.|utca|tér|katu|gata|vej|gade|strasse|straße|weg|rue|calle|via)\b"
    r"|(?:katu|gata|vej|gade|vägen|strasse|straße|stræti|veien|vegen|gasse)\b"
)
_TOWN_TAIL = regex.compile(r",?[ \t]*(?:\p{Lu}[\p{L}'’.-]*[ \t]*){1,3}")
_NOT_ADDRESS = regex.compile(r"(?i)\b(?:mg|mcg|ml|cc|units?|tablets?|times|days|weeks|months|years|hours|minutes|mmhg|bpm)\b")


@register
class ZipCodeRecognizer(ClinicalPatternRecognizer):
    """ZIP and ZIP+4, after a state or a ZIP cue (a lone five-digit number is not enough)."""

    NAME = "zip_code"
    ENTITY = "ZIP_CODE"
    PATTERNS = (
        Rx("after state", rf"(?:\b(?:{STATE_ABBR})|(?i:{STATE_NAME})),?\s+(?P<value>\d{{5}}(?:-\d{{4}})?)(?![\w-])", 0.9, requires=r"\d{5}"),
        Rx(
            "after cue",
            r"(?i:\b(?:zip|zip\s*code|postal\s+code|zipcode|postcode)\s*(?:[:#]|is)?)\s*(?P<value>\d{3,5}(?:[- ]\d{2,4})?)(?![\w-])",
            0.95,
            requires=r"(?=\d)(?<=(?i:(?:zip|code)\s*(?:[:#]|is)?)\s*)",  # every cue ends in "zip" or "code"
        ),
        Rx("zip+4", r"(?<![\w-])(?P<value>\d{5}-\d{4})(?![\w-])", 0.5),
    )
