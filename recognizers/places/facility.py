"""Named hospitals, clinics and nursing homes (``facility``, ``facility_name``, ``known_institution``, ``extend_facilities``), and landmarks.

Decision rules (HOSPITAL):

* ``facility``: capitalised words before a facility word, "University of X", the words US
  hospital names are made of ("sacred heart hosp"), "Mass General" after a place cue; never a
  generic phrase ("The Hospital", "a general hospital") nor, in a note without capitals, words
  none of which is a place, a census name or a word no vocabulary knows ("PROLONGED HOSPITAL",
  "NEPHROLOGY CLINIC"), unless a place cue of care ("at", "from", "transferred to", "discharged to:")
  stands before a facility's head that is no everyday noun (not "surgery", "group", "health") and no
  word says what kind of hospital or care it is ("AT HARBOR HOSPITAL", "TO: QUIET HARBOR SKILLED
  NURSING"; not "TO PSYCHIATRIC HOSPITAL", "TO PHYSICAL THERAPY CLINIC", "TO THE CARDIOLOGY CLINIC"
  or "TO VISIT THE HOSPITAL").
* ``facility_name``: one to three naming words in any case, then a facility word of
  ``facility_words.txt``; each naming word is a census name that is nothing else, a gazetteer
  place or US postal town ("NORTHGATE"), a saint's title, a street type ("ELM STREET CLINIC") or a
  word no vocabulary knows.
* ``known_institution``: a well-known hospital or health system by the name used for it alone, in
  any case ("Johns Hopkins", "MASS GENERAL"; ``data/hospitals.txt``).
* ``landmark`` (LOCATION): naming words or a proper noun before a landmark noun ("Fenway Park").
* :func:`extend_facilities` (a document step): a found name or place followed by facility words
  is a facility; a facility takes the gazetteer place right after it (a comma, "in" or a blank
  between) in any case, though the place is also an everyday word or a name ("children's
  hospital, boston"), unless it is a stop, common or clinical word ("clinic in normal range").
"""

from __future__ import annotations

from functools import cache

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, Words, load_list
from recognizers.gazetteer import (
    FACILITY_WORD,
    FACILITY_WORD_UPPER,
    INSTITUTION,
    INSTITUTION_SITE_WORDS,
    STATE_NAME,
    facility_tail,
    place_first_words,
    places,
)
from recognizers.lexicon import (
    EPONYM_NOUN,
    allow_list,
    document_case,
    drug_dictionary,
    english_top,
    is_common,
    not_stop_word,
    preload,
    unknown_word,
)
from recognizers.vocab import clinical_form, dictionary_words, medical_term, us_towns
from recognizers.names.common import _WORD, _bare
from recognizers.names.vocabulary import strong
from recognizers.names.widen import _same_case
from recognizers.places.common import _CAP, PLACE_PREFIX

_NAME_WORD = rf"(?:{not_stop_word()}{_CAP})"  # a capitalised word that is not a stop word  # a capitalised (or all-caps) word


_INSTITUTION_SITE = regex.compile(rf"(?i)[ \t](?:{INSTITUTION_SITE_WORDS})$")
_GENERIC_BEFORE = regex.compile(r"(?i)\b(?:a|an|any|another|other|outside|local|nearby|no|not)[ \t]+$")
_PLACE_CUE_BEFORE = regex.compile(
    r"(?i)\b(?:to|from|at|in|into)[ \t]+(?:the[ \t]+)?$"
)


def not_generic_facility(text: str, start: int, end: int) -> float | None:
    """Drop generic phrases: "The Hospital", "Outside Hospital", "University Hospital"."""
    words = text[start:end].split()
    if words and words[0].casefold() in _GENERIC_FACILITY_LEAD and len(words) <= 2:
        return 0.0
    return None


_FACILITY_WORD_START = regex.compile(rf"(?x)(?<![\w'’-])(?:{FACILITY_WORD}|{FACILITY_WORD_UPPER})(?!\w)")
_CONNECTORS = frozenset(("of", "and", "&", "the", "for"))
# Facility words that are also everyday nouns of clinical talk ("knee surgery", "long term health").
_GENERIC_HEAD = regex.compile(r"(?i)(?:mohs\s+)?surgery|health|group|associates|partners|practice|pediatrics|imaging|specialists")


def named_facility(text: str, start: int, end: int) -> float | None:
    """Not generic; in a note without capitals, a naming word before the facility word, as
    ``facility_name`` rules (:func:`_facility_part`; a hyphenated word by any of its parts), and
    only naming words before a facility word that is also an everyday noun ("surgery", "health"):
    "SPRINGFIELD REHAB", "GREAT LAKES TRANSPLANT INSTITUTE", "KOWALSKI-BAPTIST HOSP", not
    "PROLONGED HOSPITAL", "NEPHROLOGY CLINIC", "GON NA NEED SURGERY", "PRIOR KNEE SURGERY"."""
    if not_generic_facility(text, start, end) == 0.0:
        return 0.0
    if document_case(text) != "mixed":
        value = text[start:end]
        head = _FACILITY_WORD_START.search(value, 1)  # the facility word after at least one naming word
        words = [w for w in value[: head.start() if head else len(value)].split() if w.casefold() not in _CONNECTORS]
        generic = head is not None and _GENERIC_HEAD.fullmatch(head.group()) is not None
        # a hospital's initials name it before a specific head ("UCLA MEDICAL CENTER"), not before "surgery" ("abd surgery")
        naming = [any(_facility_part(part, uncased=not generic) for part in w.split("-") if part) for w in words]
        if generic:
            # a generic head ("SURGERY", "HEALTH"): every word names, none is an everyday word ("DAY SURGERY")
            named = all(naming) and not any(_bare(w) in english_top() for w in words)
        else:
            named = any(naming)  # another head ("REHAB", "INSTITUTE"): one naming word ("GREAT LAKES ... INSTITUTE")
        if words and not named and head is not None and not generic:
            # where care happens, after a place cue: everyday words that describe no kind of hospital
            # or care name one ("AT HARBOR HOSPITAL", "FROM CAPE COD HOSPITAL", "TO: QUIET HARBOR SKILLED
            # NURSING"; not "AT OUTSIDE HOSPITAL", "TO PSYCHIATRIC HOSPITAL", "TO SLEEP CLINIC", "IN HOSPITAL")
            inner = text[start : start + head.start()].casefold().split()
            named = (
                _CARE_PLACE_CUE.search(text, max(0, start - 40), start) is not None
                and "the" not in inner  # "TO VISIT THE HOSPITAL"
                and all(_describing_word(w) for w in words)
            )
        if words and not named:
            return 0.0
    return None


# Where care happened or a patient went: "at", "from", "in", or "to" after a verb of going or sending
# ("TRANSFERRED TO", not "TO VISIT"); an article may follow.
_CARE_PLACE_CUE = regex.compile(
    r"(?i)(?:\b(?:at|from|in|into)|\b(?:transferr?ed|sent|admitted|readmitted|discharged|d/c'?d?|went|taken|brought"
    r"|returned|back|transported|flown|med\s*flighted|going|go|transfer|tx'?d?)[ \t]+to:?)[ \t]+(?:the[ \t]+)?$"
)


# What kind of care a clinic gives ("PHYSICAL THERAPY CLINIC", "WOUND CARE CENTER", "SLEEP CLINIC"): words
# that say what a facility does, not which one it is; and the endings of specialties ("cardiology",
# "pediatrics", "psychiatry", "pulmonary", "podiatrist").
_KIND_OF_CARE = frozenset((
    "physical", "therapy", "occupational", "speech", "respiratory", "wound", "dialysis", "infusion", "urgent",
    "sleep", "pain", "family", "primary", "care", "dental", "vein", "allergy", "fertility", "diabetes", "memory",
    "outpatient", "inpatient", "walk", "express", "sports", "spine", "ear", "skin", "foot", "hand", "bone", "joint",
    "kidney", "liver", "lung", "brain", "breast", "stroke", "burn", "renal", "hearing", "vision", "weight", "lab",
    "radiation", "chemo", "methadone", "detox", "addiction", "substance", "recovery", "health", "rehab", "senior",
    "student", "employee", "travel", "vaccine", "subacute", "term", "transitional", "extended", "residential",
    "intermediate", "respite", "skilled", "assisted", "inpt", "outpt",
))  # not "children's", "women's": hospitals' names ("CHILDREN'S HOSPITAL LOS ANGELES")
_CARE_ENDING = regex.compile(r"(?:olog(?:y|ic|ical)|ics|iatry|iatric|ists?|ary)$")


def _describing_word(word: str) -> bool:
    """A word that may name a hospital though it is an everyday one ("HARBOR", "CAPE"): no stop, clinical,
    allow-listed or drug word and no word for a kind of hospital ("OUTSIDE", "COMMUNITY", "PSYCHIATRIC";
    "CITY", "CHILDREN'S" stay: hospitals' names)."""
    folded = _bare(word)
    return (
        folded.isalpha()
        and len(folded) >= 3
        and folded not in STOP_WORDS
        and folded not in _GENERIC_FACILITY_LEAD
        and folded not in _NOT_A_NAME_BEFORE_FACILITY
        and folded not in _KIND_OF_HOSPITAL
        and folded not in _KIND_OF_CARE
        and not _CARE_ENDING.search(folded)
        and not medical_term(folded)
        and not is_common(folded)
        and folded not in drug_dictionary()
    )


# Words that say what kind of hospital it is, not which one.
_KIND_OF_HOSPITAL = frozenset((
    # beside _GENERIC_FACILITY_LEAD ("outside", "community", "rehab", "general", "home", ...)
    "psych", "psychiatric", "mental", "behavioral", "rehabilitation", "acute", "chronic", "day", "field", "military",
    "army", "veterans", "veteran", "va", "public", "major", "small", "big", "large", "nearest", "closest", "current",
    "receiving", "referring", "sending", "accepting", "tertiary", "quaternary", "specialty", "specialist", "trauma",
    "cancer", "heart", "eye", "pediatric", "maternity", "hospice", "prison", "jail", "medical", "surgical",
    "orthopedic", "orthopaedic", "geriatric", "oncology", "cardiac", "neurological", "animal",
))


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


# the first word of every "University of ..." match: a note without one skips those patterns
_UNIVERSITY = Words(("university", "univ", "u"))


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
            requires=_UNIVERSITY,
        ),
        Rx(
            "university of a state",
            # any case: "university of maryland hospital", "U Maryland ER", "UNIV OF MARYLAND"
            rf"(?<![\w-])(?P<value>(?:(?i:university|univ\.?)[ \t]+(?i:of)|U\.?(?:[ \t]+(?i:of))?)[ \t]+(?i:{STATE_NAME})"
            r"(?:[ \t]+(?i:medical[ \t]+center|med\.?[ \t]+center|hospital|hosp\.?|medical|health|ER|ED))?)(?![\w-])",
            0.75,
            check=not_generic_facility,
            requires=_UNIVERSITY,
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


# -- facilities in any case: a name or place followed by a facility word ----------------------
_NOT_A_NAME_BEFORE_FACILITY = frozenset(("prior", "previous", "local", "outside", "nearby", "same", "new", "old", "his", "her", "their"))


_STREET_TYPES = frozenset(("street", "avenue", "ave", "road", "boulevard", "blvd", "lane", "drive", "square", "plaza"))


def _facility_part(word: str, *, uncased: bool = False) -> bool:
    """A word that may name a facility: a plain census name, a gazetteer place word or US postal town
    ("northgate", :func:`recognizers.vocab.us_towns`), a saint's title, or a word no vocabulary knows
    ("oakdale", "keeling"); in a text without capitals also a short
    word of two to four letters that no dictionary lists and no allow-list knows, the way a
    hospital's initials read there ("ucla", "NYU", "UCSF"; not "gi", "vein", "wound")."""
    folded = _bare(word)
    if folded in ("st", "st.", "saint", "mt", "mt.", "mount") or folded in _STREET_TYPES:
        return True  # a saint's title, or a street the site stands on ("ELM STREET CLINIC")
    if folded in STOP_WORDS or folded in _NOT_A_NAME_BEFORE_FACILITY:
        return False  # "the hospital", "prior medical center", "THE NURSING HOME"
    if uncased and 2 <= len(folded) <= 4 and folded.isalpha():
        return (
            folded not in english_top() and folded not in dictionary_words() and not is_common(folded)
            and folded.upper() not in allow_list().exact and folded not in allow_list().folded and folded not in drug_dictionary()
        )
    return strong(word) or folded in places() or folded in place_first_words() or folded in us_towns() or unknown_word(folded)


@register
class FacilityNameRecognizer(ClinicalPatternRecognizer):
    """A facility in any case: one to three naming words, then a facility word.

    Decision rule (HOSPITAL): "SPRINGFIELD REHAB", "oakdale regional", "St Jude Rehab" — each
    naming word is a census name that is nothing else, a gazetteer place, a saint's title or a
    word no vocabulary knows (:func:`_facility_part`), and facility words from
    ``facility_words.txt`` follow. Everyday words before a facility word ("the rehab", "cardiac
    rehab", "her home") never name one.
    """

    NAME = "facility_name"
    ENTITY = "HOSPITAL"
    PATTERNS = (Rx("naming words + facility word", _WORD.pattern, 0.7),)

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        facility_tail()

    def spans(self, text: str):
        tail = facility_tail()
        uncased = document_case(text) != "mixed"
        for match in tail.finditer(text):
            # walk back over naming words: at most three, same line
            start = match.start()
            taken = 0
            while taken < 3:
                before = _WORD_BEFORE_BLANK.search(text, max(0, start - 40), start)
                if before is None or not _facility_part(before.group(1), uncased=uncased):
                    break
                start, taken = before.start(1), taken + 1
            if taken:
                # a place's prefix before the naming words joins them: "LAKE LEAHSTAD REHAB", "new brian rehab"
                before = _WORD_BEFORE_BLANK.search(text, max(0, start - 40), start)
                if before is not None and _bare(before.group(1)) in PLACE_PREFIX and _same_case(before.group(1), text[start:match.end()]):
                    start = before.start(1)
                yield start, match.end(), 0.7, self.PATTERNS[0].name


_WORD_BEFORE_BLANK = regex.compile(r"(?<![\p{L}\p{N}_'’-])(\p{L}(?:[\p{L}'’.-]*\p{L})?\.?)[ \t]*$")


@cache
def _known_institution() -> regex.Pattern:
    """The names of ``data/hospitals.txt`` in any case, as whole words (blanks inside: any run)."""
    from recognizers.lexicon import word_trie

    names = word_trie(" ".join(name.casefold().split()) for name in load_list("hospitals.txt")).replace(regex.escape(" "), r"[ \t]+")
    return regex.compile(rf"(?i)(?<![\p{{L}}\p{{N}}'’.-]){names}(?:['’]s)?(?![\p{{L}}\p{{N}}-])")


@register
class KnownInstitutionRecognizer(ClinicalPatternRecognizer):
    """A well-known hospital or health system by the name used for it alone, in any case.

    Decision rule (HOSPITAL): a name of ``data/hospitals.txt`` ("Johns Hopkins", "MASS GENERAL",
    "cedars-sinai"), written from public knowledge: general knowledge of the world, as the gazetteer
    is, not a list of any corpus's hospitals. A facility word after it joins it (:func:`extend_facilities`).
    """

    NAME = "known_institution"
    ENTITY = "HOSPITAL"
    PATTERNS = (Rx("known hospital name", _known_institution().pattern, 0.8),)

    def spans(self, text: str):
        for match in _known_institution().finditer(text):
            yield match.start(), match.end(), 0.8, self.PATTERNS[0].name


# Nouns that, after a name or a place, make a landmark: "Fenway Park", "HARVARD SQUARE", "walden pond".
_LANDMARK = regex.compile(
    r"(?i)(?<=\p{L}[ \t]+)(?:park|square|beach|pond|lake|island|mall|plaza|stadium|bridge|harbou?r|common)(?![\w-])"
)


def _proper_noun(word: str) -> bool:
    """A word of four letters or more that no dictionary lists in lower case and no allow-list, drug list
    or common-word list knows: a proper noun, even when frequent ("harvard", "fenway", "copley")."""
    folded = _bare(word)
    return (
        len(folded) >= 4 and folded.isalpha() and folded not in dictionary_words() and not is_common(folded)
        and folded not in allow_list().folded and folded not in drug_dictionary()
    )


@register
class LandmarkRecognizer(ClinicalPatternRecognizer):
    """A landmark in any case: one or two naming words, then a landmark noun.

    Decision rule (LOCATION): "Fenway Park", "HARVARD SQUARE", "walden pond" — each naming word is
    what names a facility (:func:`_facility_part`: a census name that is nothing else, a gazetteer
    place, a saint's title or a word no vocabulary knows) or a proper noun no dictionary lists in lower
    case ("harvard", "fenway"), capitalised in a note with mixed case.
    Everyday words before the noun ("the park", "trailer park", "state beach") never name one.
    """

    NAME = "landmark"
    ENTITY = "LOCATION"
    PATTERNS = (Rx("naming words + landmark noun", _LANDMARK.pattern, 0.6),)

    def spans(self, text: str):
        mixed = document_case(text) == "mixed"
        for match in _LANDMARK.finditer(text):
            start = match.start()
            taken = 0
            while taken < 2:
                before = _WORD_BEFORE_BLANK.search(text, max(0, start - 40), start)
                if before is None:
                    break
                word = before.group(1)
                if (mixed and not word[0].isupper()) or not (_facility_part(word, uncased=not mixed) or _proper_noun(word)):
                    break
                start, taken = before.start(1), taken + 1
            if taken:
                yield start, match.end(), 0.6, self.PATTERNS[0].name


def extend_facilities(text: str, spans: list) -> list:
    """A found name or place followed by facility words is a facility: "[Springfield] VA",
    "[St Jude] REHAB", "the [Keeling] House". The span takes the facility words and the type
    HOSPITAL. A facility then takes the gazetteer place right after it, in any case: the town it
    stands in ("children's hospital, boston", "mercy clinic in mobile"; :func:`town_after`).
    ``spans`` are :class:`scrubber.resolve.Candidate`-like (``_replace`` support)."""
    from dataclasses import replace

    tail = facility_tail()
    out = []
    for c in spans:
        if c.entity_type in ("PERSON", "LOCATION", "HOSPITAL"):
            m = tail.match(text, c.end)
            if m is not None:
                c = replace(c, end=m.end(), entity_type="HOSPITAL")
        if c.entity_type == "HOSPITAL" and (end := town_after(text, c.end)) is not None:
            c = replace(c, end=end)
        out.append(c)
    return out


# After a facility: a comma, "in" or a blank, then up to three words (on the same line).
_TOWN_AFTER = regex.compile(r"(?:,[ \t]*|[ \t]+(?i:in)[ \t]+|[ \t]+)(\p{L}[\p{L}'’.-]*(?:[ \t]+\p{L}[\p{L}'’.-]*){0,2})")


def town_after(text: str, end: int) -> int | None:
    """Where the gazetteer place right after a facility ending at ``end`` ends, or ``None``.

    A hospital's town names it as much as its name does, so the place counts in any case, though it
    is also an everyday word or a person's name ("boston", "mobile"); not a stop, common or clinical
    word ("hospital, then home", "clinic in normal range"), nor a place read as an eponym.

    Example:
        >>> text = "seen at children's hospital, boston, on 12-12-2022"
        >>> text[: town_after(text, text.index(",")) or 0]
        "seen at children's hospital, boston"
        >>> town_after("seen at mercy clinic in normal range", 20) is None
        True
    """
    match = _TOWN_AFTER.match(text, end)
    if match is None:
        return None
    words = list(regex.finditer(r"[^ \t]+", match.group(1)))
    for count in range(len(words), 0, -1):
        candidate = match.group(1)[: words[count - 1].end()].rstrip(".,'’")
        folded = " ".join(candidate.casefold().split())
        if folded in places():
            if count == 1 and (folded in STOP_WORDS or is_common(folded) or clinical_form(folded)):
                return None
            end = match.start(1) + len(candidate)
            if EPONYM_NOUN.match(text[end : end + 30]):
                return None  # "Wilson disease": the eponym in its medical sense
            return end
    return None
