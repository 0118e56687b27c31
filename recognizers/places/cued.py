"""A place after a movement cue (``cued_place``).

Decision rule (LOCATION): "transferred from Calvert", "went to HOLY CROSS", "lives in Towson": the
words after the cue that could be a place name (:func:`place_after_cue`; clinical destinations such
as "to CCU" are none). Each other pattern names its check: a hospital-shaped acronym
(:func:`hospital_acronym`), a saint's place (:func:`saint_place`), in a text without capitals the words
after "treated at", "seen at" up to a function word (:func:`institution_after_care`), a region of a state named by its
compass point ("on the Eastern Shore", "from the North Shore"), in a text without capitals the words after
"lives in", "grew up in", "moved here from" when one of them is no frequent English word and none a clinical
one (:func:`_home_place_words`: "LIVES IN BEACON HILL", not "LIVES IN ELDERLY HOUSING"), and wards, units and campuses
(:mod:`recognizers.places.ward`).
"""

from __future__ import annotations

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, Words, keep
from recognizers.gazetteer import STATE_NAME, STATE_STARTS, US_STATES, places
from recognizers.lexicon import (
    clinical_form,
    document_case,
    english_top,
    english_words,
    first_names,
    is_common,
    is_frequent_name,
    is_known_name_any,
    near_allowed,
    not_common_word,
    plausible_name_word,
    unknown_word,
)
from recognizers.places.common import INNER_SENTENCE_STOP, PLACE_PREFIX
from recognizers.vocab import dictionary_words, in_dictionary
from recognizers.places.ward import named_campus, unit_named_after_place, ward_named_after_person

_PLACE_WORD = r"(?:\p{L}[\p{L}'’.-]*+)"
# the first word of each cue of "moved to/from + place", as the text spells it ("tx'd": "tx"; "d/c'd": "d")
_MOVED_CUE_STARTS = Words(
    """transferred transfered tranferred tranfered transfer tx txd admitted admit adm went sent returned return
    discharged d transported arrived medflight medflighted med life lifeflight lifeflighted ambulanced flighted flown
    recieved received came brought moved lives living resides residing visiting vacation vacationing born raised grew
    work works working employed travelled traveled travelling traveling treated seen evaluated presented visited cared
    coming comes drove driving flew flying originally resident native followed hospitalized operated diagnosed referred
    checked scheduled appointment worked ceo owner president employee vp""".split()
)
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


def place_after_cue(text: str, start: int, end: int, *, cue_end: int | None = None):
    """Keep the leading words that could be a place name; drop clinical destinations ("to CCU").

    A place's prefix ("EAST", "port", "New": :data:`~recognizers.places.common.PLACE_PREFIX`) goes with
    the word after it when that word is a place by the same test: "MOVED TO PORT STEVENMOUTH", not
    "to new floor". ``cue_end`` is where the cue ends (the start, unless a prefix stands between).
    """
    if (stop := INNER_SENTENCE_STOP.search(text, start, end)) is not None:
        verdict = place_after_cue(text, start, stop.end() - 1, cue_end=cue_end)
        return verdict if verdict is not None else (start, stop.end() - 1, None)  # "lives in Towson. Son visits"
    words = text[start:end].split()
    if any(" ".join(words[:n]).strip(".,;:").casefold() in US_STATES for n in (1, 2, 3)):
        return 0.0  # "lives in Georgia", "from NEW HAMPSHIRE": a state, which Safe Harbor keeps
    if len(words) > 1 and words[0].casefold() in PLACE_PREFIX:
        rest = text.index(words[1], start + len(words[0]))
        verdict = place_after_cue(text, rest, end, cue_end=start)
        if verdict == 0.0:
            return 0.0
        return (start, end if verdict is None else verdict[1], None) if verdict is not None else None
    case = document_case(text)
    cue_end = start if cue_end is None else cue_end
    before = text[max(0, cue_end - 40) : cue_end]
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
    if case != "mixed" and _HOME_BEFORE.search(before) and (home_words := _home_place_words(words)):
        # without capitals, where someone lives or came from: words that are not all everyday ones
        position = start
        for word in words[:home_words]:
            position = text.index(word, position) + len(word)
        return None if position == end else (start, position, None)
    if case != "upper" and not words[0][0].isupper():
        # a lower-case word: an employer that is no everyday word ("works for lumora health"), a home
        # town no vocabulary knows ("lives nearby in tollerby"), or in a lower-case note a plausible name
        bare = words[0].strip(".,;:").casefold()
        employer = _EMPLOYER_BEFORE.search(before) and bare not in english_words() and bare not in dictionary_words() and not is_common(bare)
        home = _RESIDENCE_BEFORE.search(before) and unknown_word(bare)
        lower_name = case == "lower" and plausible_name_word(words[0], case, cued=True) and not clinical_form(bare)
        if not (employer or home or lower_name):
            return 0.0
    elif not plausible_name_word(words[0], case, cued=True):
        return 0.0
    first = words[0].strip(".,").casefold()
    if case != "mixed" and not (is_known_name_any(first) or first in places()) and (
        first in english_words() or first.removesuffix("s") in english_words() or clinical_form(first)
        or in_dictionary(first) or near_allowed(first)
    ):
        # "to decrease", "FROM SUPPLEMENTAL", "FROM THE BILE DUCT", "BROUGHT IN CUPCAKES", "SENT TO ANGIOGRAPHY"
        # (a dictionary word), "BACK FROM RADIOLGY" (a misspelt clinical word)
        return 0.0
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


# Where someone lives or comes from, for a place written without capitals ("moved to" is as often a chair).
_HOME_BEFORE = regex.compile(
    r"(?i)\b(?:lives|living|resides|residing|born|raised|grew[ \t]+up|moved(?:[ \t]+(?:here|up|down|over))?[ \t]+from)"
    r"(?:[ \t]+(?:nearby|locally|alone|now|currently))?(?:[ \t]+(?:in|on|from))?[ \t]+$"
)


def _home_place_words(words: list[str]) -> int:
    """Without capitals, how many of the words after "lives in", "moved from" name the place: up to three
    words, none a stop word, a clinical or common word, at least one of them no frequent English word
    ("LIVES IN BEACON HILL", "FROM JAMAICA PLAIN"; not "LIVES IN ELDERLY HOUSING"). 0: none."""
    taken, rare = 0, False
    for word in words[:3]:
        bare = word.strip(".,;:").casefold()
        if not bare.isalpha() or bare in STOP_WORDS or is_common(bare) or clinical_form(bare):
            break
        rare = rare or (len(bare) >= 4 and bare not in english_top())
        taken += 1
        if word[-1:] in ".,;:":
            break
    return taken if rare else 0


_CAUSE_BEFORE = regex.compile(r"(?i)\b(?:due|secondary|related|2/2|d/t|c/w|consistent)\s+(?:to|with)\s+$")

# What follows "seen at", "treated at" and is no institution: a time, a state of the patient, a unit.
_NOT_AN_INSTITUTION = frozenset((
    "bedside", "home", "rest", "onset", "rounds", "length", "time", "times", "discharge", "admission", "baseline",
    "noon", "night", "midnight", "work", "school", "presentation", "visit", "follow", "follow-up", "f/u", "triage",
    "er", "ed", "icu", "ccu", "micu", "sicu", "or", "pacu", "floor", "clinic", "hospital", "hosp", "office", "least",
    "most", "first", "last", "once", "random", "risk", "age", "birth", "intake", "outside", "osh", "nursing", "rehab",
    "urgent", "emergency", "primary", "local", "another", "same", "different", "multiple", "several",
))


def institution_after_care(text: str, start: int, end: int) -> float | tuple[int, int, None] | None:
    """Without capitals, the words after "treated at", "seen at", "presented at" up to the next
    function word or punctuation name where the care happened ("treated at cedar crest on 11/22",
    "seen by dr. smith at cedars-sinai, los angeles"; "at" only: "seen in upper" is anatomy): none of them a stop word, clinical term or
    everyday thing a visit happens at ("seen at bedside", "treated at onset", "seen at the er")."""
    if document_case(text) == "mixed":
        return 0.0  # capitals show the name there (the facility and gazetteer patterns)
    kept = start
    for match in _INSTITUTION_WORD.finditer(text, start, end):
        word = match.group().casefold()
        if word in STOP_WORDS and word not in ("of", "&") or word.isdigit() or _PUNCTUATION.search(text, kept, match.start()):
            break  # a function word, a number or punctuation ends the name (a city after a comma is the gazetteer's)
        if word.endswith(".") and len(word) > 4:
            kept = match.end() - 1
            break  # a full stop after a word ends the sentence: "seen at kessler. increasing"
        kept = match.end()
    words = text[start:kept].casefold().split()
    while words and words[-1] in ("of", "&"):
        kept -= len(words.pop()) + 1
    if not words or words[0] in ("of", "&") or words[0] in _NOT_AN_INSTITUTION or is_common(words[0]) or clinical_form(words[0]):
        return 0.0  # the first word decides: "seen at bedside", "treated at onset"
    if len(words[0]) < 3:
        return 0.0
    return None if kept == end else (start, start + len(text[start:kept].rstrip()), None)


_INSTITUTION_WORD = regex.compile(r"[\p{L}\d][\p{L}\d.'’&-]*")
_PUNCTUATION = regex.compile(r"[,;:()]")


@register
class CuedPlaceRecognizer(ClinicalPatternRecognizer):
    """A place after a movement cue: "transferred from Calvert", "went to HOLY CROSS", "lives in Towson"."""

    NAME = "cued_place"
    # the cue puts a place here ("transferred from Duke"): an allow-listed phrase that starts at it does not undo it
    CUE_PLACED = True
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx(
            "moved to/from + place",
            rf"""(?x)
            (?i:\b(?:transferr?ed|transfered|tranferr?ed|transfer|tx'?d|tx|admitted|admit|adm|went|sent|returned|return   # the cue
                  |discharged|d/c'?d|transported
                  |arrived|medflight(?:ed)?|med\s+flight(?:ed)?|life\s*flight(?:ed)?|ambulanced
                  |flighted|flown|recieved|received|came|brought|moved|lives|living|resides|residing|visiting|vacation(?:ing)?
                  |born|raised|grew\s+up|works?|working|employed|travell?ed|travell?ing|treated|seen|evaluated|presented|visited|cared\s+for
                  |coming|comes|drove|driving|flew|flying|originally|resident\s+of|native\s+of
                  |followed|hospitalized|operated(?:\s+on)?|diagnosed|referred|checked\s+in|scheduled|appointment
                  |works?\s+for|worked\s+for|employed\s+by|(?:ceo|owner|president|employee|vp)\s+of)(?=\s)
               (?:\s+(?:back|here|over|home|earlier|today|yesterday|via\s+ambulance|nearby|locally|alone|now|currently|in|up|down))?
               (?:\s+(?:to|from|in|at|into|by)|(?<=\b(?:for|of|by)))\s+(?:the\s+|our\s+)?)   # the preposition
            (?P<value>{not_common_word()}{_PLACE_WORD}                                       # the place's first word
              (?:[ \t]+(?!(?i:for|with|on|at|in|to|from|and|via|w/|s/p|after|today|tonight|yesterday)\b)
                 {_PLACE_WORD}){{0,2}})                                                     # and up to two more
            """,
            0.55,
            starts=_MOVED_CUE_STARTS,
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
        # a part of a state named by its compass point and a shore, side or end, where a place stands:
        # "on the Eastern Shore", "FROM THE NORTH SHORE", "lives on the south side" (not "on the left side")
        Rx(
            "compass region",
            r"(?i:\b(?:on|in|from|to|near|at|of)[ \t]+the[ \t]+)"
            r"(?P<value>(?i:north|south|east|west|northern|southern|eastern|western)[ \t]+(?i:shore|side|end))\b"
            r"(?![ \t]+(?i:of\b))",  # "the east side of the bed"
            0.6,
            check=keep,
            requires=r"(?i)(?:north|south|east|west)(?:ern)?[ \t]+(?:shore|side|end)\b",
        ),
        # where care happened, in a text without capitals: "treated at cedar crest on november 22nd"
        Rx(
            "institution after care",
            r"(?i:\b(?:treated|seen|presented|evaluated|admitted|diagnosed|visited|examined|operated\s+on|managed|reviewed|followed"
            r"|hospitali[sz]ed|cared\s+for|delivered|performed|carried\s+out)\s+(?:[\w.]+\s+){0,3}?at\s+)"
            r"(?P<value>[\p{L}\d][\p{L}\d.'’&-]*(?:[ \t]+[\p{L}\d][\p{L}\d.'’&-]*){0,4})",
            0.6,
            check=institution_after_care,
            requires=r"(?i)\bat\s",
            starts=Words(
                """treated seen presented evaluated admitted diagnosed visited examined operated managed reviewed followed
                hospitalised hospitalized cared delivered performed carried""".split()
            ),
        ),
        Rx(
            "state + facility",
            # not verbose: state names have blanks ("New York")
            rf"(?<![\w-])(?P<value>(?:{STATE_NAME}|{STATE_NAME.upper()})"  # a state, either case
            r"[ \t]+(?i:rehab(?:ilitation)?|hospital|hosp\.?|medical\s+center|med\s+center|health|general|clinic))\b",
            0.7,
            check=keep,
            starts=STATE_STARTS,
        ),
    )

    def default_check(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """A place after a movement cue ("moved to/from + place", "own business")."""
        return place_after_cue(text, start, end)
