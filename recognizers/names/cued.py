"""Names next to clinical cues (``cued_name``).

Decision rule (PERSON): "seen by", "d/w", "per", hand-offs and messages ("report given to X",
"msg left for X", "covering for X"), roles ("case manager X"), "MAROTTA AWARE", "E. WELSH", "bill
called", "Witold from social work", signatures, an introduction, a home's owner, a quoted address,
"the Smith family". Each pattern
names its check: two letters before "aware" are a service ("EP aware"); before a verb (a weak
cue) only census names or words no vocabulary knows ("bill called" yes, "pain called" no); after
a lower-case initial a census surname that is no English, common or drug word ("k. delaney", not
"e. coli"); the owner of a home and a quoted first name must be census first names; without capitals, an
everyday English word before "family" is an adjective ("STRONG FAMILY SUPPORT"); "per" after a
quantity is a rate ("MILLIGRAMS PER DECILITER").
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import Cue, Rx, Words
from recognizers.lexicon import (
    document_case,
    drug_dictionary,
    english_top,
    first_names,
    is_common,
    is_frequent_name,
    is_known_name_any,
    is_ordinary_word,
    plausible_name_word,
    surnames,
)
from recognizers.vocab import dictionary_words, unknown_word, world_first_name
from recognizers.names.common import _AN_INITIAL, _ANY, _FULL, _INITIAL, _NAME, _NAME_VERB, _NAME_VERB_STARTS, _TOKEN, _NameCue, _capital_after, trim_to_name

# Cues that follow a name: "MAROTTA AWARE", "bill called".
_AWARE = (
    r"(?:aware|made\s+aware|notified|paged|updated|ordered|in\s+to\s+(?:see|eval)|at\s+bedside|called\s+(?:back|to\s+bedside)"
    r"|contacted|consulted)\b"
)
_AWARE_STARTS = Words("aware made notified paged updated ordered in at called contacted consulted".split())

# Cues before a name (matched in any case).
_SEEN_BY = (
    r"\b(?:seen\s+by|evaluated\s+by|examined\s+by|d/w|discussed\s+with|(?:spoke|spoken|talk(?:ed|ing)?|speak(?:ing)?)\s+(?:\w+ly\s+)?(?:with|to)"
    r"|met\s+with|reach(?:ed)?"
    r"|paged|called|notified|informed|per|covering(?:\s+for)?|consult(?:ed)?\s+with|signed(?:\s+by)?|electronically\s+signed\s+by|dictated\s+by"
    r"|pronounced\s+by|consulted|attending|resident|fellow|intern|grossed\s+by|reviewed\s+by|performed\s+by"
    r"|verified\s+by|read\s+by|reported\s+(?:by|to)|ordered\s+by|referred\s+by"
    # hand-offs and messages: "report given to X", "signed out to X", "msg left for X"
    r"|(?:report|rpt)\s+(?:given\s+)?to|gave\s+(?:report|rpt)\s+to|signed\s+out\s+to|hand(?:ed)?\s+(?:off|over)\s+to"
    r"|(?:left\s+)?(?:a\s+)?(?:msg|message|vm|voicemail|voice\s+mail)\s+(?:left\s+)?(?:for|with)"
    # roles before a name: "case manager X", "social worker X"
    r"|case\s+manager|social\s+worker|chaplain|interpreter|dietitian|nutritionist|pharmacist)\s*:?[ \t]+"
)
# the first word of each cue of _SEEN_BY, as the text spells it ("d/w": "d")
_SEEN_BY_STARTS = Words(
    """seen evaluated examined d discussed spoke spoken talk talked talking speak speaking met reach reached paged called
    notified informed per covering consult consulted signed electronically dictated pronounced attending resident fellow
    intern grossed reviewed performed verified read reported ordered referred report rpt gave hand handed left a msg
    message vm voicemail voice case social chaplain interpreter dietitian nutritionist pharmacist""".split()
)
# Services a staff member comes from ("X from social work").
_SERVICE = (
    r"social\s+work|sw|case\s+management|cm|physical\s+therapy|occupational\s+therapy|speech(?:\s+therapy)?|pt|ot|slp"
    r"|nutrition|dietary|pastoral\s+care|chaplaincy|spiritual\s+care|pharmacy|psych(?:iatry)?|palliative(?:\s+care)?|hospice"
    r"|ethics|interpreter\s+services|patient\s+relations|admitting|transport|radiology|cardiology|renal|nephrology|neurology"
    r"|surgery|ortho(?:pedics)?|the\s+\w+\s+(?:team|service)"
)
_INTRODUCED = r"\b(?:my\s+name\s+is|name\s+is|named|i\s+am|i'm|this\s+is|goes\s+by|known\s+as|called\s+me|patient\s+is)[ \t]+"


def not_an_acronym_then_name_words(text: str, start: int, end: int):
    """"EP aware", "HO aware": two letters are a service; else the name words before the cue.

    The name is what stands right before the cue, so a leading word that is no name is dropped
    ("HO GIRADELLO NOTIFIED" -> "GIRADELLO"), where a name after a cue would be refused.
    """
    tokens = list(_TOKEN.finditer(text, start, end))
    head, dash, rest = tokens[0].group().partition("-") if tokens else ("", "", "")
    if dash and rest and not (plausible_name_word(head, document_case(text), cued=True) or unknown_word(head)):
        # a role or service glued to the name with a dash: "CM-JANICE AWARE", "HO-GIRADELLO NOTIFIED"
        verdict = trim_to_name(text, start + len(head) + 1, end, cued=True)
        return (start + len(head) + 1, end, None) if verdict is None else verdict
    if len(tokens) > 1 and not _AN_INITIAL.fullmatch(tokens[0].group()) and not (
        plausible_name_word(tokens[0].group(), document_case(text), cued=True) or unknown_word(tokens[0].group())
    ):
        start = tokens[1].start()  # "HO", "RN", "PT" before the name
    if len(text[start:end].strip(". ")) <= 2:
        return 0.0
    verdict = trim_to_name(text, start, end, cued=True)
    return (start, end, None) if verdict is None and start != tokens[0].start() else verdict


# "1.2 MILLIGRAMS PER DECILITER", "20 BREATHS PER MINUTE": "per" after a quantity is a rate, not a cue
_RATE_PER = regex.compile(r"(?i)(?:\d[\d.,]*[ \t]*[a-z/%]*|\b[a-z]*(?:grams?|liters?|litres?|units?|breaths?|beats?|doses?))[ \t]+per[ \t]+$")


def not_a_rate_then_name_words(text: str, start: int, end: int):
    """After a cue, the name words; "per" after a quantity is a rate ("MILLIGRAMS PER DECILITER")."""
    if _RATE_PER.search(text, max(0, start - 40), start):
        return 0.0
    return trim_to_name(text, start, end, cued=False)


def not_an_everyday_word_introduced(text: str, start: int, end: int):
    """"I'M KOWALSKI" yes; without capitals "I'M GOOD", "THIS IS GREAT", "I AM WORRIED" no: an everyday
    English word after an introduction is how the speaker is, not who."""
    first = text[start:end].split()[0]
    if document_case(text) != "mixed" and (first.casefold() in english_top() or is_ordinary_word(first)):
        return 0.0
    return trim_to_name(text, start, end, cued=False)


def census_name_then_name_words(text: str, start: int, end: int):
    """"bill called" yes, "pain called" no: census names, world first names that are no English word, or words
    no vocabulary knows, before a verb (a weak cue)."""
    word = text[start:end]
    if not is_known_name_any(word) and not unknown_word(word) and not world_first_name(word):
        return 0.0
    return trim_to_name(text, start, end, cued=False)


_SENTENCE_START = regex.compile(r"(?:^|[.!?:;]\s+|\n\s*)$")


def not_an_everyday_word_before_family(text: str, start: int, end: int):
    """"KOVACS FAMILY", "MARTIN FAMILY" yes, "STRONG FAMILY SUPPORT", "GOOD FAMILY" no: without capitals,
    the word before "family" is far more often an adjective than a name, so an everyday English word
    is not taken unless it is a first name too, or a frequent surname that no dictionary lists as a word
    ("JONES FAMILY"; wordfreq counts the name)."""
    folded = text[start:end].casefold()
    everyday = (
        folded in english_top()
        and first_names().get(folded, 10**6) > 1000
        and (folded in dictionary_words() or not is_frequent_name(folded))
    )
    if everyday and (document_case(text) != "mixed" or _SENTENCE_START.search(text, max(0, start - 4), start)):
        return 0.0  # "MARTIN FAMILY", not "YOUNG FAMILY"; at a sentence's start a capital says nothing ("Strong family support")
    return trim_to_name(text, start, end, cued=False)


def census_home_owner(text: str, start: int, end: int):
    """A census first name (and a census surname after it), not "her daughter's" or "the patient's"."""
    words = text[start:end].split()
    first = words[0].casefold()
    if first not in first_names() or is_common(first) or (first in english_top() and not is_frequent_name(first)):
        return 0.0
    if len(words) == 2 and words[1].casefold() not in surnames():
        return start, start + len(words[0]), None
    return None


def census_first_name(text: str, start: int, end: int):
    """A census first name that is no common or frequent English word, or a world first name that is no English word."""
    word = text[start:end].casefold()
    census = word in first_names() and not is_common(word) and word not in english_top()
    return None if census or world_first_name(word) else 0.0


def census_surname_after_initial(text: str, start: int, end: int):
    """A census surname that is no English, common or drug word: "k. delaney", not "e. coli", "s. aureus"."""
    surname = text[start:end].split(".", 1)[1].strip()
    folded = surname.replace("’", "'").casefold()
    known = folded in surnames() or folded.replace("'", "") in surnames()
    if not known or is_ordinary_word(folded) or is_common(folded) or folded in drug_dictionary():
        return 0.0  # "e. coli", "s. aureus", "c. diff", "p. o."
    return None


@register
class CuedNameRecognizer(_NameCue):
    """Names next to clinical cues: "seen by", "d/w", "per", "MAROTTA AWARE", "E. WELSH", "bill called", signatures."""

    NAME = "cued_name"
    # the cue puts a name here ("seen by Stevens"): an allow-listed phrase that starts at it does not undo it
    CUE_PLACED = True
    PATTERNS = (
        Rx(
            "cue + name",
            rf"(?i:{_SEEN_BY})(?P<value>(?:\p{{Lu}}[ \t]+(?=\p{{Lu}}))?{_FULL})",  # a first initial: "per J Hale"
            0.6,
            starts=_SEEN_BY_STARTS,
            check=not_a_rate_then_name_words,
        ),
        Rx(
            "name + aware",
            # the cue (after a blank) first as a look-ahead: most positions fail on it before the costly look-behind
            rf"""(?x)
            (?=(?<=[ \t])(?i:{_AWARE}))                                  # the cue, after a blank
            (?<=(?<![\w.])(?P<value>(?:{_INITIAL}\.?[ \t]?)?{_NAME}      # an initial and a name
                (?:[ \t]+{_NAME})?)\)?[ \t]+)                             # and a second name word ("(X Y) aware")
            (?i:{_AWARE})                                                # "aware", "notified", ...
            """,
            0.6,
            check=not_an_acronym_then_name_words,
            cue=Cue.STRONG,
            starts=_AWARE_STARTS,
        ),
        Rx("initial + surname", rf"(?<![^\s(\[\"])(?P<value>\p{{Lu}}\.[ \t]?{_NAME})", 0.6),
        # lower case: "counted by (k. delaney and t. o'neill)" (a census surname, no English word)
        Rx(
            "lower initial + surname",
            r"(?<![^\s(\[\"])(?P<value>\p{Ll}\.[ \t]?\p{Ll}(?:['’]?\p{Ll}){2,})(?![\w'’-]|\.\w)",
            0.6,
            check=census_surname_after_initial,
        ),
        Rx(
            "first name + verb",
            rf"(?=(?<=[ \t])(?i:{_NAME_VERB}))(?<=(?<![\w.])(?P<value>{_ANY})[ \t]+)(?i:{_NAME_VERB})",
            0.6,
            check=census_name_then_name_words,
            starts=_NAME_VERB_STARTS,
        ),
        Rx(
            "name in commas + verb",
            # an apposition: "nurse from vna, patrice, called for report"
            rf"(?=(?<=,[ \t]+)(?i:{_NAME_VERB}))(?<=,[ \t]*(?P<value>{_ANY}(?:[ \t]+{_ANY})?),[ \t]+)(?i:{_NAME_VERB})",
            0.6,
            check=census_name_then_name_words,
            starts=_NAME_VERB_STARTS,
        ),
        Rx("signature line", rf"(?m)^[ \t]*(?:--+|—|_+|/s/)[ \t]*(?P<value>{_FULL})", 0.7),
        Rx(
            "owner of a home",
            # "at harold grant's house": the people whose home it is, in any case
            r"(?i:\b(?:at|to|from|in)[ \t]+)(?P<value>\p{L}+(?:[ \t]+\p{L}+)?)['’]s[ \t]+(?i:house|home|place|apartment|apt|farm)\b",
            0.6,
            requires=r"(?i)['’]s[ \t]+(?:house|home|place|apartment|apt|farm)\b",
            check=census_home_owner,
        ),
        Rx(
            "quoted address",
            # a first name the patient calls out at the start of a quotation: "Marjorie, I want to go home"
            r"(?<=[\"“][ \t]?)(?P<value>\p{Lu}(?:\p{Ll}+|\p{Lu}+))(?=,[ \t])",  # "ELAINE, I KNOW" in capitals too
            0.6,
            requires=r"(?=\p{Lu})(?<=[\"“][ \t]?)",  # a capital right after a quotation mark
            check=census_first_name,
        ),
        Rx(
            "name + from a service",
            # "Witold from social work in to see pt", "LAURA FROM CASE MANAGEMENT": a staff member
            rf"(?=(?<=[ \t])(?i:from)\b)(?<=(?<![\w.'’])(?P<value>{_ANY}(?:[ \t]+{_ANY})?)[ \t]+)(?i:from)[ \t]+(?i:{_SERVICE})\b",
            0.6,
            requires=r"(?i)\bfrom\b",
            check=census_name_then_name_words,
        ),
        Rx(
            "name + family",
            # "UPDATE KOVACS FAMILY ON PLAN", "the Smith family at bedside"
            rf"(?=(?<=[ \t])(?i:family)\b)(?<=(?<![\w.'’])(?P<value>{_NAME})[ \t]+)(?i:family)\b",
            0.6,
            check=not_an_everyday_word_before_family,
        ),
        Rx(
            "introduced name",
            rf"(?i:{_INTRODUCED})(?P<value>{_FULL})",
            0.6,
            requires=_capital_after(_INTRODUCED),
            check=not_an_everyday_word_introduced,
        ),
    )
