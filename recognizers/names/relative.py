"""Relatives and contacts named after the relation (``relative_name``).

Decision rule (PERSON): after a relation word ("her husband Tom", "son, bill,", "daughters sarah
and margie"), a trusted cue, the name words are kept (:func:`recognizers.names.common.trim_to_name`);
a first name that is an everyday word counts when the relative's phone number follows it:
"SON ROB 555-201-3344".
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import Cue, Rx
from recognizers.lexicon import first_names
from recognizers.names.common import _ANY, _NameCue, _TOKEN, trim_to_name

_PHONE_NEXT = regex.compile(r"[ \t]*(?:\(\d{3}\)|\d{3}[-. ]\d{3,4})")


def relative_name_words(text: str, start: int, end: int):
    """The name words after a relation (a trusted cue); a first name that is an everyday word
    counts when the relative's phone number follows it: "SON ROB 555-201-3344"."""
    verdict = trim_to_name(text, start, end, cued=True, trust_cue=True)
    if verdict == 0.0:
        first = _TOKEN.match(text, start)
        if first and first.group().casefold() in first_names() and _PHONE_NEXT.match(text, first.end()):
            return start, first.end(), None
    return verdict


@register
class RelativeNameRecognizer(_NameCue):
    """Relatives and contacts named after the relation: "her husband Tom", "son, bill,", "daughters sarah and margie"."""

    NAME = "relative_name"
    PATTERNS = (
        Rx(
            "relation + name",
            rf"(?i:\b(?:husband|wife|son|daughter|dtr|mother|mom|father|dad|brother|sister|spouse|partner|friend|niece|neice"
            rf"|nephew|grandson|granddaughter|grandmother|grandfather|aunt|uncle|cousin|boyfriend|girlfriend|fianc[eé]e?"
            rf"|sibling|child|children|grandchild|grandchildren|kid|grandkid|stepson|stepdaughter|stepmother|stepfather"
            rf"|grandma|grandpa|mum|caregiver|roommate|neighbor|neighbour|guardian|proxy|hcp|nok|in-law|contact\s+person)s?(?![A-Za-z])"
            rf"(?:\s*-\s*in\s*-\s*law)?[ \t]*[,(:-]?[ \t]*(?:named[ \t]+|is[ \t]+)?[\"“']?)"
            rf"(?P<value>{_ANY}(?:[ \t]+{_ANY})?(?:[ \t]+(?i:and|&)[ \t]+{_ANY})?)",
            0.75,
            check=relative_name_words,
            cue=Cue.TRUSTED,
        ),
    )
