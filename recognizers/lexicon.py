"""Shared word lists for cue patterns: words that are never part of a name or place.

Built from spaCy's English stop-word list (a plain Python set shipped with
spaCy, no model needed) plus clinical words that follow titles and precede
facility words in notes ("DR SMITH AWARE", "TRANSFER FROM CALVERT HOSPITAL").
"""

from __future__ import annotations

import regex
from spacy.lang.en.stop_words import STOP_WORDS

CLINICAL_WORDS = frozenset(
    """
    aware notified paged called updated informed spoke discussed saw seen visited visiting came left plan plans
    pt pts patient patients md mds rn rns np pa team service attending resident fellow intern covering oncall
    transfer transferred admit admitted admission discharge discharged from via to at in on by for with re
    osh ed er icu micu sicu ccu csru nicu picu pacu or floor unit ward bed room house call today tonight
    yesterday tomorrow am pm hr hrs min mins day days night nights week weeks month months year years
    per protocol orders order report reports note notes labs lab results result family wife husband son
    daughter mother father brother sister friend at bedside phone telephone pager page re regarding about
    following follow consult consulted consulting evaluated evaluation exam examined reviewed review
    med meds medication medications dose doses given gave started stopped continue continued cont
    aware. ok okay yes no not none will would should could may might need needs needed
    general community regional memorial university county city state medical center hospital clinic
    """.split()
)
COMMON_WORDS = frozenset(w.casefold() for w in STOP_WORDS) | CLINICAL_WORDS


def not_common_word() -> str:
    """A negative look-ahead that refuses a common word at this position (any case)."""
    words = "|".join(sorted((regex.escape(w) for w in COMMON_WORDS if w.isalpha()), key=len, reverse=True))
    return rf"(?!(?i:{words})(?![A-Za-z]))"
