"""Geography smaller than a state: street addresses, cities, ZIP codes, facilities.

Each pattern names its check (``check=``): a function below, named for the rule it decides
(``ward_named_after_person``, ``saint_place``, ``place_after_cue``). The vocabulary (states,
facility words, place lists) is in :mod:`recognizers.gazetteer`.
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Cue, Rx, keep
from recognizers.gazetteer import (
    FACILITY_WORD,
    FACILITY_WORD_UPPER,
    INSTITUTION,
    INSTITUTION_SITE_WORDS,
    STATE_ABBR,
    STATE_NAME,
    ambiguous_places,
    place_first_words,
    places,
)
from recognizers.lexicon import (
    COMMON_WORDS,
    EPONYM_NOUN,
    clinical_form,
    document_case,
    drug_dictionary,
    english_top,
    english_words,
    first_names,
    is_common,
    is_frequent_name,
    is_known_name_any,
    near_allowed,
    not_common_word,
    not_stop_word,
    plausible_name_word,
    starts_allowed_phrase,
    unknown_word,
    word_trie,
)

# Kept for the importers of the old names (recognizers.lexicon, recognizers.ner, recognizers.evidence).
_places, _place_first_words, _ambiguous_places = places, place_first_words, ambiguous_places

_STREET_TYPE = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter"
    r"|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Square|Sq|Trail|Trl|Pike|Alley|Row|Path|Plaza|Route|Rte|Turnpike)"
)
# In ALL-CAPS text "CT", "DR", "SQ", "PL" are far more often clinical than street types.
_STREET_TYPE_CAPS = (
    r"(?:STREET|ST|AVENUE|AVE|ROAD|RD|BOULEVARD|BLVD|LANE|LN|DRIVE|COURT|PLACE|TERRACE|CIRCLE|HIGHWAY|HWY|PARKWAY|PKWY"
    r"|SQUARE|TRAIL|PIKE|TURNPIKE)"
)
_INTL_STREET_TYPE = r"(?:Via|Viale|Corso|Piazza|Rua|Avenida|Calle|Carrer|Rue|Avenue|Boulevard|Ulica|Ul\.|Strada|Praça)"
_INTL_STREET_SUFFIX = (
    r"(?:katu|kuja|tie|polku|vej|gade|gatan|vägen|gata|veien|weg|straße|strasse|str\.|gasse|allee|laan|plein|platz|utca|út|tér"
    r"|ulica|sokak|caddesi)"
)
_CAP = r"(?:[A-Z][A-Za-z'’.-]*+)"  # possessive: a word is never re-split
_NAME_WORD = rf"(?:{not_stop_word()}{_CAP})"  # a capitalised word that is not a stop word  # a capitalised (or all-caps) word
def no_stop_word_in_street_name(text: str, start: int, end: int) -> float | None:
    """A street's name has no stop word: "63 YO MALE TRANSFERED FROM ST" is no address."""
    name_words = _UNIT_PART.split(text[start:end], maxsplit=1)[0].split()[1:-1]  # between number and type
    stop = any(w.casefold() in COMMON_WORDS and w.casefold() != "the" for w in name_words)
    return 0.0 if stop else None


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
              (?:(?:[NSEW]|North|South|East|West)\.?\s+)?    # direction
              (?:{_CAP}\s+){{0,3}}{_CAP}\s+                  # street name words
              (?-i:{_STREET_TYPE}|{_STREET_TYPE_CAPS})\.?  # street type
              (?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Fl|Floor|\#)\.?\s*\#?[\w-]+)?  # unit
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
                (?:[ \t]+(?:do|da|de|del|della|di|des|du|la|le|dos|das))?[ \t]+\p{{Lu}}[\p{{L}}'’-]+(?:[ \t]+\p{{Lu}}[\p{{L}}'’-]+)?
              | \p{{Lu}}[\p{{L}}'’-]*{_INTL_STREET_SUFFIX}              # type as a suffix
              )
              [ \t]+\d{{1,5}}[A-Za-z]?\.?                            # house number after
              (?:,?[ \t]+(?:Apt|Suite|Ste|Unit)\.?[ \t]*\#?\d+[A-Za-z]?)?  # unit
            )
            (?![\w-])
            """,
            0.8,
            # a street type word, or a house number after a street suffix (looked up back from each digit)
            requires=rf"{_INTL_STREET_TYPE}[ \t]|(?=\d)(?<={_INTL_STREET_SUFFIX}[ \t]+)",
        ),
        Rx("unit designator", r"(?<![\w-])(?P<value>(?:Apt\.|Apt|Suite|Ste\.)[ \t]*\#?\d{1,5}[A-Za-z]?)(?![\w-])", 0.6),
        Rx(
            "military address",
            # US military mail: "PSC 0413, Box 8144\nAPO AA 42323", "Unit 4719 Box 7394 DPO AP 70942"
            r"(?<![\w-])(?P<value>(?:PSC|Unit|CMR)[ \t]+\d{3,5},?[ \t]+Box[ \t]+\d{3,5},?\s+(?:APO|FPO|DPO)[ \t]+(?:AA|AE|AP)[ \t]+\d{5})(?!\d)",
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


_UNIT_PART = regex.compile(r",|\s(?:Apt|Apartment|Suite|Ste|Unit|Rm|Room|Fl|Floor|\#)\b")
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
            r"(?i:\b(?:zip|zip\s*code|postal\s+code|zipcode|postcode))\s*(?:[:#]|is)?\s*(?P<value>\d{3,5}(?:[- ]\d{2,4})?)(?![\w-])",
            0.95,
            requires=r"(?=\d)(?<=(?i:zip|code)\s*(?:[:#]|is)?\s*)",  # every cue ends in "zip" or "code"
        ),
        Rx("zip+4", r"(?<![\w-])(?P<value>\d{5}-\d{4})(?![\w-])", 0.5),
    )


_STATE_TRIE = word_trie(name.casefold() for name in STATE_NAME.split("|"))


def town_no_english_word(text: str, start: int, end: int) -> float | None:
    """A town before a state, in any case, must be no English, common, drug or allow-listed word."""
    word = text[start:end].casefold()
    if word in english_words() or is_common(word) or word in drug_dictionary() or near_allowed(word):
        return 0.0  # "in Maryland", "the Maryland", "Western Maryland", "Lasix Texas"
    return None


@register
class CityStateRecognizer(ClinicalPatternRecognizer):
    """A place name right before a state: "Springfield, IL", "Lake Placid, New York"."""

    NAME = "city_state"
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx(
            "city, ST",
            rf"(?<![\w'’.-])(?P<value>(?:{_CAP}\s+){{0,2}}{_CAP},\s+(?:(?-i:{STATE_ABBR})\b|(?:{STATE_NAME})\b))",
            0.75,
            requires=rf",\s+(?:(?:{STATE_ABBR})\b|(?:{STATE_NAME})\b)",  # a comma and a state
        ),
        Rx(
            "lives in",
            rf"(?i:\b(?:lives|living|resides|residing|moved|from|born|visiting)\s+(?:in|at|to|from)\s+)(?P<value>{_CAP}(?:\s+{_CAP}){{0,2}})",
            0.5,
        ),
        Rx(
            "town state",
            # any case, no comma: "the glenmora texas site"; the town must be no English word
            # anchored on the state, the town in a look-behind: most positions fail on the first letter
            rf"(?=(?i:{_STATE_TRIE}))(?<=(?<![\w'’.-])(?P<value>\p{{L}}{{4,}})[ \t]+)(?i:{_STATE_TRIE})(?:['’]s)?\b",
            0.6,
            requires=rf"(?i:{_STATE_TRIE})",
            check=town_no_english_word,
        ),
    )

    def default_check(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """A capitalised word before a state could be a sentence word ("Patient, NY")."""
        value = text[start:end].split(",")[0]
        case = document_case(text)
        if value.casefold() in _NOT_PLACES or not plausible_name_word(value.split()[0], case, cued=True):
            return 0.0
        if case != "mixed" and " ".join(value.casefold().split()) not in places():
            return 0.0  # ALL-CAPS notes: "WEAN NEO AS TOLERATED, CT" is not a city and a state
        state = text[start:end].split(",")[-1].strip()
        if state in ("MD", "PA", "DO") and " ".join(value.casefold().split()) not in places():
            return 0.0  # "Alan Graves, MD" is a credential, not Maryland
        return None


_INSTITUTION_SITE = regex.compile(rf"(?i)[ \t](?:{INSTITUTION_SITE_WORDS})$")
_GENERIC_BEFORE = regex.compile(r"(?i)\b(?:a|an|any|another|other|outside|local|nearby|no|not)[ \t]+$")
_PLACE_CUE_BEFORE = regex.compile(
    r"(?i)\b(?:to|from|at|in|into)[ \t]+(?:the[ \t]+)?$"
)
_NOT_PLACES = frozenset(
    w.casefold()
    for w in (
        "Patient", "Pt", "Home", "Hospital", "Clinic", "Address", "City", "Town", "He", "She", "They", "The",
        "History", "Transfer", "Transferred", "Admitted", "Outside", "Rehab", "Work", "Here", "There",
    )
)


def not_generic_facility(text: str, start: int, end: int) -> float | None:
    """Drop generic phrases: "The Hospital", "Outside Hospital", "University Hospital"."""
    words = text[start:end].split()
    if words and words[0].casefold() in _GENERIC_FACILITY_LEAD and len(words) <= 2:
        return 0.0
    return None


def named_facility(text: str, start: int, end: int) -> float | None:
    """Not generic, and in a capitals-only note not only English words ("PROLONGED HOSPITAL")."""
    if not_generic_facility(text, start, end) == 0.0:
        return 0.0
    words = text[start:end].split()
    if document_case(text) != "mixed":
        names = [w.strip(".,'’").removesuffix("'S").casefold() for w in words[:-1]]
        if names and all(n in english_words() and n not in places() and not is_known_name_any(n) for n in names):
            return 0.0
    return None


def general_hospital_name(text: str, start: int, end: int) -> float | None:
    """"Mass General" is a hospital; "Dr General" is a person and "Common General" no name."""
    name = text[start:end].split()[0].strip(".").casefold()
    titled = name in ("dr", "drs", "mr", "mrs", "ms", "surgeon", "attorney", "inspector", "consul")
    return 0.0 if is_common(name) or titled else None


def institution_named(text: str, start: int, end: int) -> float | None:
    """An institution word names a hospital unless generic ("a general hospital"); without a site
    word only a two-word name after a place cue does ("send back to holy cross")."""
    words = text[start:end].split()
    before = text[max(0, start - 25) : start]
    if _GENERIC_BEFORE.search(before):
        return 0.0  # "a general hospital", "another Methodist hospital"
    site = _INSTITUTION_SITE.search(text[start:end]) is not None
    if not site:
        return 0.7 if len(words) >= 2 and _PLACE_CUE_BEFORE.search(before) else 0.0
    if words[0].casefold() in ("general", "memorial", "veterans") and not (
        words[0][0].isupper() or before.rstrip().casefold().endswith("the")
    ):
        return 0.0  # lower case "general hospital" is a kind of hospital, "the general hospital" is one
    return None


@register
class FacilityRecognizer(ClinicalPatternRecognizer):
    """Named hospitals, clinics and nursing homes: capitalised words before a facility word."""

    NAME = "facility"
    ENTITY = "HOSPITAL"
    PATTERNS = (
        Rx(
            "university of",
            r"""(?x)
            (?<![\w-])
            (?P<value>(?:(?i:university|univ\.?)|U)\s+(?i:of)\s+\p{Lu}[\p{L}.-]*                       # "University of X"
              (?:\s+(?i:medical\s+center|med\.?\s+center|hospital|hosp\.?|medical|health))?)          # its site
            (?![\w-])
            """,
            0.75,
            check=not_generic_facility,
        ),
        Rx(
            "university of a state",
            # any case: "university of maryland hospital", "U Maryland ER", "UNIV OF MARYLAND"
            rf"(?<![\w-])(?P<value>(?:(?i:university|univ\.?)[ \t]+(?i:of)|U\.?(?:[ \t]+(?i:of))?)[ \t]+(?i:{STATE_NAME})"
            r"(?:[ \t]+(?i:medical[ \t]+center|med\.?[ \t]+center|hospital|hosp\.?|medical|health|ER|ED))?)(?![\w-])",
            0.75,
            check=not_generic_facility,
        ),
        Rx(
            "institution name",
            # the words US hospital names are made of, in any case ("sacred heart hosp", "MEMORIAL HOSPITAL",
            # "send back to holy cross"): general knowledge, not a list of this corpus's hospitals
            rf"(?<![\w-])(?P<value>(?i:{INSTITUTION})(?:[ \t]+(?i:{INSTITUTION_SITE_WORDS}))?)(?![\w-])",
            0.75,
            check=institution_named,
        ),
        Rx(
            "named general hospital",
            # "admitted to Mass General", "at San Francisco General": a name and "General" after a place cue
            r"""(?x)
            (?i:\b(?:at|to|from|in|into)[ \t]+(?:the[ \t]+)?)                          # a place cue
            (?P<value>(?-i:\p{Lu}[\p{L}.'’-]*(?:[ \t]+\p{Lu}[\p{L}.'’-]*)?[ \t]+General))\b  # "Mass General"
            (?![ \t]+(?i:surgery|medicine|anesthesia|pediatrics|practice|practitioner      # not a specialty
                      |counsel|assembly|electric|motors|mills|store|hospital|hosp))          # or a company
            """,
            0.7,
            requires=r"[ \t]General\b",
            check=general_hospital_name,
        ),
        Rx(
            "name + facility word",
            rf"""(?x)
            (?=[A-Z])                                     # a capital first (lets the scan skip the rest)
            (?<![\w'’.-])
            (?P<value>
              (?:(?:St|Saint|Mt|Mount)\.?\s+)?             # saint or mount
              (?:{_NAME_WORD}(?:\s+(?i:of|and|&|the|for)\s+|\s+)){{1,4}}  # name words
              (?-i:{FACILITY_WORD}|{FACILITY_WORD_UPPER})         # facility word, either case
              (?:\s+(?:of|at)\s+{_CAP}(?:\s+{_CAP})?)?      # "of Boston"
            )
            (?!\w)
            """,
            0.8,
            requires=rf"(?x)(?-i:{FACILITY_WORD}|{FACILITY_WORD_UPPER})",  # most notes name no facility
            check=named_facility,
        ),
    )


_GENERIC_FACILITY_LEAD = frozenset(
    ("the", "outside", "osh", "this", "that", "local", "a", "an", "same", "other", "another", "community", "our",
     "transfer", "rehab", "home", "nursing", "general", "private", "state", "county", "university", "teaching")
)


_PLACE_WORD = r"(?:[A-Za-z][A-Za-z'’.-]*+)"
_TRANSFER_CUE = r"\b(?:transfer(?:red)?|tx'?d?|moved|c/o|called\s+out)\s+(?:to\s+)?"
_ACRONYM = regex.compile(r"[A-Z]{2,4}")
_SITE_NOUNS = frozenset(
    ("clinic", "office", "branch", "hospital", "hosp", "campus", "center", "centre", "med", "general", "health", "inc")
)
_SERVICE_AFTER = regex.compile(r"(?i)[ \t]+(?:team|service|consult|fellow|resident|attending)\b")
_DOTTED = regex.compile(r"(?:\p{Lu}\.){2,4}")  # "P.T.", "O.R."
_EMPLOYER_BEFORE = regex.compile(
    r"(?i)\b(?:works?|worked|working|employed|employee|ceo|owner|president|vp)[ \t]+(?:for|at|by|of)[ \t]+(?:the[ \t]+)?$"
)
_RESIDENCE_BEFORE = regex.compile(
    r"(?i)\b(?:lives|living|resides|residing|born|raised|moved)(?:[ \t]+(?:nearby|locally|alone|now|currently))?[ \t]+(?:in|to|from)[ \t]+$"
)


def hospital_acronym(text: str, start: int, end: int) -> float | None:
    """"transferred to GH", "at MGH": an acronym shaped like a hospital's ("-H", "-MC"),
    not a clinical term ("ICH", "BPH") and not a cause ("due to SAH")."""
    words = text[start:end].split()
    folded = words[0].casefold()
    everyday = folded in english_top() if len(folded) <= 3 else folded in english_words()
    if words[0].islower() and folded in english_words() and len(folded) > 2:
        everyday = True  # lower case: "at gh" yes, "to ach" no
    if is_common(words[0]) or everyday or _CAUSE_BEFORE.search(text[max(0, start - 20) : start]):
        return 0.0
    return None


def saint_place(text: str, start: int, end: int) -> float | None:
    """"St. Mary's", not "ST ELEVATION" (an ECG finding) or "St. John's wort"."""
    words = text[start:end].split()
    name = words[1].removesuffix("'s").removesuffix("’s").casefold() if len(words) > 1 else ""
    everyday = name in english_top() and not is_frequent_name(name)  # "St Mary's" yes, "ST ELEVATION" no
    if regex.search(r"(?i)\bwort\b", text[end : end + 8]) or is_common(name) or everyday:
        return 0.0
    return None if name in first_names() or (document_case(text) == "mixed" and words[0] in ("St", "St.", "Saint")) else 0.0


def ward_named_after_person(text: str, start: int, end: int):
    """A ward or building known by a word no vocabulary knows ("pelmarsh"), never a misspelt drug
    or clinical word; the number stays visible unless it is glued to the word ("PELMARSH7")."""
    words = text[start:end].split()
    unit = regex.sub(r"\d+$", "", words[-1] if words[0].isdigit() else words[0])
    if not unknown_word(unit):
        return 0.0
    unit_start = text.index(unit, start)
    glued = text[unit_start + len(unit) : end].isdigit()
    if glued and unit[-1] in "xX":
        return 0.0  # "to commodex3": a count, "x3"
    return unit_start, end if glued else unit_start + len(unit), 0.7


def _unit_named_after_place(text: str, start: int, end: int, *, campus: bool):
    """A unit or campus named after a place: "to Farr 10", "the Zentara campus"; not "plan: decrease 2",
    "to ICU 7". A word no vocabulary knows narrows to the word and scores 0.7."""
    words = text[start:end].split()
    case = document_case(text)
    unit = regex.sub(r"\d+$", "", words[0])
    folded = unit.casefold()
    if is_common(unit) or folded in english_top() or (folded in english_words() and folded not in places()):
        return 0.0  # "plan: decrease 2", "to ICU 7"
    named = folded in places() or is_known_name_any(folded)
    if not campus and not named and (clinical_form(folded) or (case != "mixed" and not unknown_word(folded))):
        return 0.0  # "changed to Apaced 88"; ALL-CAPS "TO RECIEVE 500" (capitals say nothing there)
    return (start, start + len(unit), 0.7) if unknown_word(unit) else None


def unit_named_after_place(text: str, start: int, end: int):
    """See :func:`_unit_named_after_place` (a unit and its number)."""
    return _unit_named_after_place(text, start, end, campus=False)


def named_campus(text: str, start: int, end: int):
    """"North Campus" in mixed case is a named site; else :func:`_unit_named_after_place`."""
    words = text[start:end].split()
    if document_case(text) == "mixed" and words[0].istitle() and text[end:].lstrip(" \t").startswith("Campus"):
        return None  # "North Campus", "East Campus": a named site of the hospital
    return _unit_named_after_place(text, start, end, campus=True)


def place_after_cue(text: str, start: int, end: int):
    """Keep the leading words that could be a place name; drop clinical destinations ("to CCU")."""
    words = text[start:end].split()
    case = document_case(text)
    before = text[max(0, start - 40) : start]
    if regex.search(r"\p{L}\.\p{L}{2,}", words[0]) or _SERVICE_AFTER.match(text, start + len(words[0])):
        return 0.0  # "back to cpap.discussed" (a missing space), "seen by Liver team" (a service)
    if _ACRONYM.fullmatch(acronym := words[0].replace(".", "") if _DOTTED.fullmatch(words[0]) else words[0].rstrip(".,;:")) and (
        case == "mixed" or len(acronym) <= 2 or acronym.casefold() not in english_words() or _EMPLOYER_BEFORE.search(before)
    ):  # in ALL-CAPS notes every short word looks like an acronym: "FROM NEW TLC" is not one
        # an acronym after "transferred to": a hospital unless it is a clinical unit or test ("to CCU", "to CT");
        # a full stop right after it ends the name ("CEO OF IBM.  NONSMOKER")
        if is_common(acronym) or acronym in ("DR", "DRS", "MR", "MRS", "MS"):
            return 0.0  # "SEEN BY DR. YOUT": a title, not a place
        return None if acronym == words[0] else (start, start + len(acronym), None)
    if case != "upper" and not words[0][0].isupper():
        # a lower-case word: an employer that is no everyday word ("works for lumora health"), a home
        # town no vocabulary knows ("lives nearby in tollerby"), or in a lower-case note a plausible name
        bare = words[0].strip(".,;:").casefold()
        employer = _EMPLOYER_BEFORE.search(before) and bare not in english_top() and not is_common(bare)
        home = _RESIDENCE_BEFORE.search(before) and unknown_word(bare)
        lower_name = case == "lower" and plausible_name_word(words[0], case, cued=True) and not clinical_form(bare)
        if not (employer or home or lower_name):
            return 0.0
    elif not plausible_name_word(words[0], case, cued=True):
        return 0.0
    first = words[0].strip(".,").casefold()
    if case != "mixed" and not (is_known_name_any(first) or first in places()) and (
        first in english_words() or first.removesuffix("s") in english_words() or clinical_form(first)
    ):
        return 0.0  # "to decrease", "FROM SUPPLEMENTAL", "FROM THE BILE DUCT", "BROUGHT IN CUPCAKES"
    if len(words[0].strip(".")) <= 2 and not words[0].isupper():
        return 0.0
    # keep the leading words that can belong to a name: "Corvantix now" -> "Corvantix"
    end_kept = start + len(words[0])
    position = end_kept
    for word in words[1:]:
        position = text.index(word, position)
        if word.casefold().strip(".,") in _SITE_NOUNS:
            pass  # "lumora health", "HOLY CROSS HOSPITAL"
        elif case == "mixed":
            if not word[0].isupper() and word.casefold().strip(".,") not in _SITE_NOUNS:
                break  # "Corvantix now"; capitalised words and sites go on: "Valley Clinic", "New York clinic"
        elif word.casefold() in english_top() or not plausible_name_word(word, case, cued=True):
            break
        position += len(word)
        end_kept = position
    return None if end_kept == end else (start, end_kept, None)


_CAUSE_BEFORE = regex.compile(r"(?i)\b(?:due|secondary|related|2/2|d/t|c/w|consistent)\s+(?:to|with)\s+$")


@register
class CuedPlaceRecognizer(ClinicalPatternRecognizer):
    """A place after a movement cue: "transferred from Calvert", "went to HOLY CROSS", "lives in Towson"."""

    NAME = "cued_place"
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx(
            "moved to/from + place",
            rf"""(?x)
            (?i:\b(?:transferr?ed|transfered|tranferr?ed|transfer|tx'?d|tx|admitted|admit|adm|went|sent|returned|return   # the cue
                  |discharged|d/c'?d|transported
                  |arrived|medflight(?:ed)?|med\s+flight(?:ed)?|life\s*flight(?:ed)?|ambulanced
                  |flighted|flown|recieved|received|came|brought|moved|lives|living|resides|residing|visiting|vacation(?:ing)?
                  |born|raised|works?|working|employed|travell?ed|treated|seen|evaluated|presented|visited|cared\s+for
                  |followed|hospitalized|operated(?:\s+on)?|diagnosed|referred|checked\s+in|scheduled|appointment
                  |works?\s+for|worked\s+for|employed\s+by|(?:ceo|owner|president|employee|vp)\s+of)(?=\s)
               (?:\s+(?:back|here|over|home|earlier|today|yesterday|via\s+ambulance|nearby|locally|alone|now|currently))?
               (?:\s+(?:to|from|in|at|into|by)|(?<=\b(?:for|of|by)))\s+(?:the\s+|our\s+)?)   # the preposition
            (?P<value>{not_common_word()}{_PLACE_WORD}                                       # the place's first word
              (?:[ \t]+(?!(?i:for|with|on|at|in|to|from|and|via|w/|s/p|after|today|tonight|yesterday)\b)
                 {_PLACE_WORD}){{0,2}})                                                     # and up to two more
            """,
            0.55,
        ),
        Rx(
            "own business",
            # "worried about her business Corvantix", "her company Acme": checked like a place after a cue
            r"(?i:\b(?:his|her|their|own|family)[ \t]+(?:business|company|firm|employer)[ \t]*,?[ \t]+)(?P<value>(?-i:\p{Lu}\p{L}+))",
            0.55,
            requires=r"(?i)business|company|firm|employer",
        ),
        Rx(
            "unit named after a place",
            r"(?i:\b(?:to|on|from|in|plan:?)\s+)(?P<value>(?-i:\p{Lu}\p{L}{3,}))\s?\d{1,3}(?![\d/:%]|\.\d|-\d)",
            0.55,
            requires=r"(?=\d)(?<=\p{Lu}\p{L}{3,}\s?)",  # a capitalised word right before a number
            check=unit_named_after_place,
        ),
        Rx(
            "transfer to unit",
            rf"(?i:{_TRANSFER_CUE})(?P<value>\p{{L}}{{4,}})\s?\d{{1,3}}(?![\d/:%]|\.\d)",
            0.55,
            requires=rf"(?=\d)(?<=(?i:{_TRANSFER_CUE})\p{{L}}{{4,}}\s?)",
            check=unit_named_after_place,
        ),
        Rx(
            "unit named after a person",
            # a ward or building known by a (usually surname-like) word and a number, in any case:
            # "to pelmarsh 3", "sent up to PELMARSH7", "moved to 114 Varnholt"
            r"""(?x)
            (?i:\b(?:to|on|from|in|at|into)[ \t]+)              # a place cue
            (?:(?P<lead>\d{1,3})[ \t]+)?                        # a number before the word ("114 Varnholt")
            (?P<value>\p{L}{5,}                                  # the word
              (?(lead)                                          # with a number before: nothing more
              |(?:\d{1,3}(?![\d/:%]|\.\d|-\d)                    # else a number glued to it ("PELMARSH7")
                 |[ \t]\d{1,3}(?![\d/:%]|\.\d|-\d))))              # or after a blank ("pelmarsh 3")
            """,
            0.55,
            requires=r"\d",
            check=ward_named_after_person,
        ),
        Rx(
            "transfer to a named unit",
            # "c/o to varnholt", checked as above ("c/o" without "to" is "complains of")
            r"(?i:\b(?:transfer(?:red)?|tx'?d?|moved|c/o|called\s+out)\s+to\s+)(?P<value>\p{L}{5,})(?![\w'’-])",
            0.55,
            check=ward_named_after_person,
        ),
        Rx(
            "hospital acronym",
            r"(?i:\b(?:at|to|from|in)\s+(?:the\s+)?)(?P<value>(?-i:[A-Z]{1,3}H|[A-Z]{1,3}(?:MC|HC)|[a-z]{1,2}h))(?![\w/-])"
            r"|(?i:\bby\s+)(?P<value>(?-i:[A-Z]{1,3}(?:MC|HC)))(?![\w/-])",  # "SEEN BY HCMC"
            0.6,
            requires=r"(?i:[A-Z](?:H|MC|HC))(?![\w/-])",
            check=hospital_acronym,
        ),
        Rx("campus", r"(?<![\w-])(?P<value>\p{L}[\p{L}'’-]{2,})[ \t]+(?i:campus)\b", 0.6, check=named_campus),
        Rx(
            "saint place",
            r"(?<![\w-])(?P<value>(?:St\.?|ST\.?|Saint|SAINT)[ \t]+\p{Lu}\p{L}+(?:['’]s)?)(?![\w-])",
            0.6,
            check=saint_place,
        ),
        Rx(
            "state + facility",
            # not verbose: state names have blanks ("New York")
            rf"(?<![\w-])(?P<value>(?:{STATE_NAME}|{STATE_NAME.upper()})"  # a state, either case
            r"[ \t]+(?i:rehab(?:ilitation)?|hospital|hosp\.?|medical\s+center|med\s+center|health|general|clinic))\b",
            0.7,
            check=keep,
        ),
    )

    def default_check(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """A place after a movement cue ("moved to/from + place", "own business")."""
        return place_after_cue(text, start, end)


@register
class GazetteerRecognizer(ClinicalPatternRecognizer):
    """Known place names: US cities and towns (15,000+ inhabitants), counties, large world cities.

    A place that is also an everyday word or a common name ("Mobile", "Normal",
    "Jackson") needs a place cue before it ("in", "from", "lives in"); in lower-case
    text every place needs one.
    """

    NAME = "gazetteer"
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx("capitalised run", r"(?<![\p{L}'’.-])\p{Lu}[\p{L}'’.-]*+(?:[ \t]+\p{Lu}[\p{L}'’.-]*+)*+", 0.6),
        Rx(
            "after a place cue",
            r"(?i:\b(?:in|from|at|to|of|near|outside|lives|live|living|moved|resides|visiting|born)\s+)"  # the cue
            r"(?P<value>[a-z][a-z'’.-]*(?:[ \t]+[a-z][a-z'’.-]*){0,2})",  # up to three lower-case words
            0.6,
            cue=Cue.STRONG,
        ),
    )
    _CUE_BEFORE = regex.compile(
        r"(?i)\b(?:in|from|at|to|of|near|outside|lives|live|living|moved|resides|visiting|born|raised|city|town|county)\s+(?:the\s+)?$"
    )

    def candidates(self, text: str):
        """Each place name inside a match; a lower-case one (the pattern with a cue) needs a place cue."""
        known, first_words = places(), place_first_words()
        for start, end, score, rx in super().candidates(text):
            # every sub-run of words, longest first: "HOME IN MILFORD MILL" -> "MILFORD MILL"
            words = [m.span() for m in _WORDS.finditer(text, start, end)]
            i = 0
            while i < len(words):
                word = text[words[i][0] : words[i][1]]
                if word.casefold() not in first_words and word.rstrip(".,'’").casefold() not in known:
                    i += 1  # no place starts with this word (most words of a capitalised run)
                    continue
                found = None
                for j in range(min(len(words), i + 4), i, -1):
                    candidate = text[words[i][0] : words[j - 1][1]].rstrip(".,'’")
                    folded = " ".join(candidate.casefold().split())
                    if folded in known:
                        found = (words[i][0], words[i][0] + len(candidate), folded, j)
                        break
                if found is None:
                    i += 1
                    continue
                s0, e0, folded, j = found
                cue_match = self._CUE_BEFORE.search(text[max(0, s0 - 25) : s0])
                cue = cue_match is not None
                if cue and _ambiguous(folded) and _INFINITIVE_TO.search(text[max(0, s0 - 25) : s0]):
                    cue = False  # "ABLE TO BEAR WT", "ATTEMPT TO PACE": an infinitive's "to" is no place cue
                if EPONYM_NOUN.match(text[e0 : e0 + 30]) or starts_allowed_phrase(text, s0):
                    i = j  # "Framingham risk score"
                    continue
                lowercase = rx.cue is not Cue.NONE  # found in any case after a cue word
                if _ambiguous(folded) and (not cue or (lowercase and folded in english_top())):
                    i = j  # "Mobile phone", "in normal range", "BEAR HUGGER"
                    continue
                if cue or not lowercase:
                    # take the state or the site that belongs to the place: "Atlanta, GA", "Seattle clinic"
                    tail = _PLACE_TAIL.match(text, e0)
                    yield s0, tail.end() if tail else e0, score + (0.1 if cue else 0.0), rx
                i = j


_WORDS = regex.compile(r"[^\s]+")
_INFINITIVE_TO = regex.compile(
    r"(?i)\b(?:able|unable|attempt|attempts|attempting|attempted|trying|tried|try|need|needs|needed|want|wants|wanted"
    r"|going|plan|plans|planning|planned|ok|okay|continue|continues|began|begin|started|decided|refused|failed|allowed)"
    r"[ \t]+to[ \t]+$"
)
_PLACE_TAIL = regex.compile(
    rf"(?:,?[ \t]+(?:(?-i:{STATE_ABBR})\b|(?:{STATE_NAME})\b))?"
    r"(?:[ \t]+(?:downtown[ \t]+|main[ \t]+)?(?i:clinic|office|branch|hospital|medical[ \t]+center|med[ \t]+center|campus"
    r"|general|memorial|health|cancer[ \t]+center|med)\b)?"
)


def _ambiguous(place: str) -> bool:
    """A place name that is also an everyday word or a person's name ("Mobile", "Normal", "Jackson")."""
    from recognizers.lexicon import surnames

    return place in ambiguous_places() or place in first_names() or place in surnames() or is_common(place)
