"""Relatives and contacts named after the relation (``relative_name``).

Decision rule (PERSON): after a relation word ("her husband Tom", "son, bill,", "daughters sarah
and margie"), a trusted cue, the name words are kept (:func:`recognizers.names.common.trim_to_name`);
a first name that is an everyday word ("Rob", "Will") counts when evidence after it shows a person:
the relative's phone number ("SON ROB 555-201-3344"), a relative pronoun or what a person does
("son rob who states", "SON ROB-WHO STATES", "SON ROB CALLED"), so
"son will call" and "daughter may visit" stay. Without capitals, a rarer word (Zipf below 4, no clinical,
drug or ordinary word: :func:`~recognizers.names.common.rarer_word`) right after the relation is the
name when a name ends after it ("SON ZEB, WIFE", "daughter elva at bedside"; not "wife is
spokesperson", "FATHER DRANK SHE SAID"). A name right before a bracketed relation is one too
("KAZIMIERZ WOK (NIECE)"), when its words are census names, world first names or words no
vocabulary knows.
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import Cue, Rx, Words
from recognizers.lexicon import RELATION as _RELATION, RELATION_WORD as _RELATION_WORD, document_case, first_names
from recognizers.names.common import _ANY, _NAME_VERB, _NameCue, rarer_word, trim_to_name
from recognizers.names.cued import census_name_then_name_words

_FIRST_WORD = regex.compile(r"\p{L}+")
# Evidence after a first name that it names a person: the relative's phone number, a relative
# pronoun (also run together with a dash: "ROB-WHO"), or what a person does ("called", "states").
_PERSON_NEXT = regex.compile(
    rf"[ \t]*(?:\(\d{{3}}\)|\d{{3}}[-. ]\d{{3,4}})"
    rf"|(?i:(?:[ \t]+|[ \t]*[-,][ \t]*)(?:who|whose|will|{_NAME_VERB})\b)"  # "son rob who", "DAUGHTER-JEAN-CALLED", "BROTHER MAX WILL BE IN"
)


def relative_name_words(text: str, start: int, end: int):
    """The name words after a relation (a trusted cue); a first name that is an everyday word
    counts when what follows it shows a person: "SON ROB 555-201-3344", "son rob who", "SON ROB CALLED"."""
    first = _FIRST_WORD.match(text, start)
    if first is not None and _RELATION_WORD.fullmatch(first.group()):
        return 0.0  # another relation, not a name: "pt's hcp (niece)"
    verdict = trim_to_name(text, start, end, cued=True, trust_cue=True)
    if verdict == 0.0:
        if first and first.group().casefold() in first_names() and _PERSON_NEXT.match(text, first.end()):
            return start, first.end(), None
        if first and document_case(text) != "mixed" and _rarer_name_word(text, start, first.end()):
            return start, first.end(), None
    return verdict


# Where a relative's name ends in a note: punctuation, a conjunction, or what the relative does there.
_IS_BEFORE = regex.compile(r"(?i)\bis[ \t]+$")  # "wife is spokesperson": a predicate, not a name
_NAME_ENDS = regex.compile(r"(?i)[ \t]*(?:[,.;:()&/]|$|\n|(?:and|in|at|here|visiting|visited|aware|present|updated)\b)")


def _rarer_name_word(text: str, start: int, end: int) -> bool:
    """Without capitals, a word after a relation that mixed case would show capitalised: rarer than the
    everyday words (wordfreq Zipf below 4), none of the clinical, drug or ordinary words, and where a name
    ends ("SON ZEB, WIFE", "DAUGHTER ELVA AT BEDSIDE"); not a predicate ("wife is spokesperson") or a verb
    that goes on ("FATHER DRANK SHE SAID")."""
    word = text[start:end]
    if _IS_BEFORE.search(text[max(0, start - 4) : start]) or not _NAME_ENDS.match(text, end):
        return False
    return rarer_word(word)


def name_before_relation(text: str, start: int, end: int):
    """The name words before a bracketed relation: census names, world first names or words no
    vocabulary knows ("KAZIMIERZ WOK (NIECE)"), not "SPOKE WITH (SON)" or "PT'S HCP (DAUGHTER)"."""
    words = text[start:end].split()
    if len(words) > 1 and census_name_then_name_words(text, start, start + len(words[0])) == 0.0:
        start = text.index(words[-1], start + len(words[0]))  # "SPOKE WITH WOK (NIECE)": the name is the last word
        return (start, end, None) if census_name_then_name_words(text, start, end) is None else 0.0
    return census_name_then_name_words(text, start, start + len(words[0]))


# the first word of each relation of lexicon.RELATION, with its plural ("in-law": "in"; "contact person": "contact")
_RELATION_STARTS = Words(
    word + plural
    for word in """husband wife son daughter dtr mother mom father dad brother sister spouse partner friend niece neice nephew
    grandson granddaughter grandmother grandfather aunt uncle cousin boyfriend girlfriend fiance fiancee sibling child
    children grandchild grandchildren kid grandkid stepson stepdaughter stepmother stepfather grandma grandpa mum caregiver
    roommate neighbor neighbour guardian proxy hcp nok in contact""".split()
    for plural in ("", "s")
)


@register
class RelativeNameRecognizer(_NameCue):
    """Relatives and contacts named after the relation: "her husband Tom", "son, bill,", "daughters sarah and margie"."""

    NAME = "relative_name"
    CUED = True
    PATTERNS = (
        Rx(
            "relation + name",
            rf"(?i:\b{_RELATION}(?!\p{{L}})"
            rf"(?:\s*-\s*in\s*-\s*law)?[ \t]*[,(:=-]?[ \t]*(?:named[ \t]+|is[ \t]+)?[\"“']?)"
            # "and" then a second name, not a second relation ("son Marco and dtr-in-law Priya": two matches)
            rf"(?P<value>{_ANY}(?:[ \t]+{_ANY})?(?:[ \t]+(?i:and|&)[ \t]+(?!(?i:{_RELATION})(?!\p{{L}})){_ANY})?)",
            0.75,
            check=relative_name_words,
            cue=Cue.TRUSTED,
            starts=_RELATION_STARTS,
        ),
        Rx(
            "name + (relation)",
            # "KAZIMIERZ WOK (NIECE) CALLED", "Frankie (fiance)": the relation in brackets after the name
            rf"(?=\()(?<=(?<![\w.'’])(?P<value>{_ANY}(?:[ \t]+{_ANY})?)[ \t]*)\((?=(?i:{_RELATION})(?:\s*-\s*in\s*-\s*law)?\))",
            0.7,
            requires=r"\(",
            check=name_before_relation,
        ),
    )
