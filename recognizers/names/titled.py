"""Names beside a title, a credential or a header label (``titled_name``, ``credential_name``, ``header_name``).

Decision rules (PERSON):

* a name after a title: Dr. Patel, Mrs. Anna Kowalski, DR SMITH, dr. lindquist, NP CAROL; "MS." in
  mixed-case notes is mental status, not the title Ms.; the word right after "Dr" is a surname even when
  it is an everyday or clinical word ("Dr. Page", "DR. GOLD", "dr salt"; capitalised in mixed case: every
  one of the 119 words after "Dr" in PhysioNet dev is a name), and so is a capitalised one after another
  personal title in mixed case ("Mrs. Gold"), unless it is a stop word or says what the clinician did or
  where ("Dr. on call", "Dr. aware", "dr office");
* a name before a credential: "John Miller, RN", "Ana Ruiz MD", "B. Chen, NP", a signature line
  "irene snell, rn"; the word that touches the credential is a surname on less evidence after a first
  name or an initial (:func:`recognizers.names.common.trim_before_cue`: "ROSA T. BELL, RRT", "marta
  drover crt"; not a drug, a stop word, or an everyday word after a first name alone);
* header names: "Patient: KOWALSKI, ANNA M", "Name: Smith, John".

Each keeps the leading plausible name words (:func:`recognizers.names.common.trim_to_name`).
"""

from __future__ import annotations

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from recognizers import register
from recognizers.base import Cue, Rx, Words
from recognizers.lexicon import document_case, english_words
from recognizers.vocab import dictionary_words
from recognizers.names.common import (
    _ANY,
    _CREDENTIAL,
    _FULL,
    _FULL_ANY,
    _INITIAL,
    _NAME,
    _NameCue,
    _capital_after,
    rarer_word,
    trim_before_cue,
    trim_to_name,
)

# Header labels before a name (matched in any case).
_HEADER_LABEL = (
    r"\b(?:patient(?:\s+name)?|pt(?:\s+name)?|name|attending|resident|pcp|physician|provider|surgeon"
    r"|referring(?:\s+(?:physician|provider|md))?|cc|signed|dictated\s+by|transcribed\s+by|author|nurse|rn|md|guardian"
    r"|emergency\s+contact|next\s+of\s+kin|nok|contact(?:\s+person)?|proxy|hcp|mother|father|spouse)\s*:\s*"
)


def initial_before_word(text: str, start: int, end: int):
    """The bare initial of "mr I remained": in mixed-case text the word after it is in lower case; without
    capitals any word is. "A" after "MR" in capitals is the article ("MR A FEW": mitral regurgitation)."""
    mixed = document_case(text) == "mixed"
    if text[start:end] == "A" and (not mixed or text[max(0, start - 4) : start].strip().rstrip(".").isupper()):
        return 0.0
    after = text[end : end + 3].lstrip(" \t")
    return None if not mixed or after[:1].islower() else 0.0


# What a clinician named after a title does next in a note: evidence that the word between is the name.
_TITLED_PERSON_NEXT = regex.compile(
    r"(?i)[ \t]*,?[ \t]*(?:aware|notified|informed|paged|called|in[ \t]+to[ \t]+see|at[ \t]+(?:the[ \t]+)?bedside"
    r"|saw|examined|evaluated|ordered|spoke|states|said|recommend(?:s|ed)|agree[sd]|updated|wants)\b"
)


def titled_name_words(text: str, start: int, end: int):
    """The name words after a title (:func:`~recognizers.names.common.trim_to_name`, the title a trusted
    cue); failing that, the word right after "Dr" whatever else it is (:func:`_everyday_surname`:
    "DR. GOLD", "Dr. Page"; capitalised in mixed case), a capitalised one after another title in mixed
    case ("Mrs. Gold"), and without capitals a rarer word that no vocabulary takes for an everyday one
    when what follows shows a person ("MR. GRAS NOTIFIED"; not "DR AWARE", "dr appt")."""
    first = _TOKEN_WORD.match(text, start)
    after_doctor = _DOCTOR_BEFORE.search(text, max(0, start - 12), start) is not None
    if first is not None and after_doctor and first.group().casefold() in _NOT_A_SURNAME:
        return 0.0  # "dr appt", "dr office": what the doctor has, not who
    verdict = trim_to_name(text, start, end, cued=True, trust_cue=True)
    if verdict != 0.0 or first is None:
        return verdict
    word, mixed = first.group(), document_case(text) == "mixed"
    capitalised = word[0].isupper() and not word.isupper()
    if after_doctor and _everyday_surname(word) and (not mixed or capitalised):
        return start, first.end(), None  # "DR. PAGE", "Dr. Gold": what follows "Dr" is a name in notes
    if not mixed:
        if _TITLED_PERSON_NEXT.match(text, first.end()) and rarer_word(word):
            return start, first.end(), None
    elif capitalised and _everyday_surname(word) and _PERSONAL_TITLE_BEFORE.search(text, max(0, start - 12), start):
        return start, first.end(), None  # "Mrs. Gold": a capitalised word right after the title
    return verdict


_TOKEN_WORD = regex.compile(r"\p{L}[\p{L}'’-]*\p{L}")
_DOCTOR_BEFORE = regex.compile(r"\b(?i:dr)(?:[ \t]?\.[ \t]*|[ \t]+)$")  # not "doctor": "the doctor thinks"
_PERSONAL_TITLE_BEFORE = regex.compile(r"\b(?:Dr|DR|Doctor|Mr|Mrs|Ms|Miss|Prof)(?:[ \t]?\.[ \t]*|[ \t]+)$")
# Words that follow a title in notes without naming anyone: "Dr. on call", "Dr. aware", "Dr. covering".
_NOT_A_SURNAME = frozenset(
    ("aware", "notified", "paged", "called", "covering", "office", "team", "note", "notes", "service", "orders", "order",
     "ordered", "said", "states", "updated", "informed", "here", "there", "today", "tonight", "came", "saw", "wants",
     "spoke", "examined", "evaluated", "recommends", "recommended", "agrees", "agreed", "visit", "visited", "consult",
     "consulted", "appt", "appointment", "ok", "okay", "following")
)


def _everyday_surname(word: str) -> bool:
    """A word that can stand as a surname right after a title though it is an everyday or clinical word
    ("Page", "Gold", "Salt"): no stop word ("Dr. May" stays: "may"), no word that says what the clinician
    did or has ("Dr. aware", "dr appt")."""
    folded = word.casefold()
    return len(folded) >= 3 and folded.isalpha() and folded not in STOP_WORDS and folded not in _NOT_A_SURNAME


def name_after_role(text: str, start: int, end: int):
    """The name words after a role word; in brackets after it, not a specialty or a dictionary word
    ("MD (Electrophysiology)", "RN (PRN)"), which a name in brackets never is ("RN (Amelie)")."""
    if text[max(0, start - 3) : start].rstrip(" \t").endswith("("):
        first = text[start:end].split()[0].casefold()
        if first.endswith(("ology", "iatry", "ics")) or first in english_words() or first in dictionary_words():
            return 0.0
    return trim_to_name(text, start, end, cued=False)


@register
class TitledNameRecognizer(_NameCue):
    """A name after a title: Dr. Patel, Mrs. Anna Kowalski, DR SMITH, dr. lindquist, NP CAROL."""

    NAME = "titled_name"
    CUED = True
    PATTERNS = (
        Rx(
            "title + name",
            rf"""(?x)
            \b(?:Dr|DR|dr|Drs|DRS|drs|Doctor|DOCTOR|Mr|MR|mr|Mrs|MRS|mrs|Ms|MS|Miss|MISS|Mx    # the title, in
               |Prof|PROF|Professor|Sister|SISTER|Father|Rev|REV|Reverend|REVEREND|Nurse|NURSE  # the cases it is written in
               |Pastor|PASTOR|Rabbi|RABBI|Imam|IMAM|(?<!\d[ \t]?)Fr(?=\.))              # clergy; "Fr." not "14 Fr." (French)
            (?:[ \t]?\.[ \t]*|[ \t]+)                                                    # "Dr.", "Dr ", "mrs ." (a transcript)
            (?P<value>{_FULL_ANY})                                                         # the name, any case
            """,
            0.9,
            cue=Cue.TRUSTED,
            check=titled_name_words,
            starts=Words(
                "dr drs doctor mr mrs ms miss mx prof professor sister father rev reverend nurse pastor rabbi imam fr".split()
            ),
        ),
        Rx("drs + names", rf"\b(?:Drs|DRS|drs)\.?[ \t]+(?P<value>{_ANY}[ \t]+(?i:and|&)[ \t]+{_ANY})", 0.9, cue=Cue.TRUSTED),
        Rx(
            "title + initial",
            r"\b(?:Dr|DR|Drs|Mr|MR|Mrs|MRS|Ms|MS|Miss|MISS)\.?[ \t]+(?P<value>\p{Lu}\.)(?![\w.])",
            0.7,
            cue=Cue.TRUSTED,
        ),
        # "mr I remained on pressors": a bare capital after a title, before a word (a lower-case one
        # where capitals carry information); "MR J STAYED" in capitals, not "MR A FEW"
        Rx(
            "title + bare initial",
            r"\b(?:Mr|mr|MR|Mrs|mrs|MRS|Ms)\.?[ \t]+(?P<value>\p{Lu})(?=[ \t]+\p{L}\p{L})",
            0.7,
            cue=Cue.TRUSTED,
            check=initial_before_word,
        ),
        Rx(
            "clinician role + name",
            # a role word is a weak cue: "md aware", "resident called", "RN (Amelie) has followed"
            rf"\b(?i:np|rn|rrt|crt|md|pcp|attending|resident|fellow|intern)(?:[ \t]+|[ \t]*\([ \t]*)(?P<value>{_ANY}(?:[ \t]+{_ANY})?)",
            0.6,
            check=name_after_role,
            starts=Words("np rn rrt crt md pcp attending resident fellow intern".split()),
        ),
    )

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: "MS." in mixed-case notes is mental status, not the title Ms."""
        title = text[max(0, start - 4) : start].strip().rstrip(".")
        if title.endswith("MS") and document_case(text) == "mixed":
            return 0.0
        return super().validate(text, start, end, rx)


_VERB_DO = regex.compile(r"(?i)[ \t]*,?[ \t]*do[ \t]+\p{L}")  # "DO" then a word, no full stop or comma


def not_a_verb_credential(text: str, start: int, end: int):
    """Without capitals, "DO" followed by a word is the verb ("UM, DO YOU", "WAN NA DO SURGERY"), not
    Doctor of Osteopathy; else the name words before the credential."""
    if document_case(text) != "mixed" and _VERB_DO.match(text, end, min(len(text), end + 12)):
        return 0.0
    return trim_before_cue(text, start, end, cued=False)


def signature_name(text: str, start: int, end: int):
    """A line that ends in a credential: the name words right before it (:func:`trim_before_cue`)."""
    return trim_before_cue(text, start, end, cued=True, trust_cue=True)


# The second letter of a nursing shorthand written with a slash ("d/w" discussed with, "s/p" status post,
# "c/o", "h/o", "f/u", "r/o", "n/v", "a/o", "y/o", "t/o", "w/u", "c/w", "p/w"): never an initial
# ("w/J Smith RN" is one).
_SLASH_SHORTHAND = (
    r"(?<=(?<!\p{L})\p{L}/)(?i:(?<=d/)w|(?<=s/)p|(?<=c/)o|(?<=h/)o|(?<=f/)u|(?<=r/)o|(?<=n/)v|(?<=a/)o|(?<=y/)o"
    r"|(?<=t/)o|(?<=w/)u|(?<=c/)w|(?<=p/)w)"
)


@register
class CredentialNameRecognizer(_NameCue):
    """A name before a credential: "John Miller, RN", "Ana Ruiz MD", "B. Chen, NP", a signature line "irene snell, rn"."""

    NAME = "credential_name"
    CUED = True
    PATTERNS = (
        Rx(
            "name + credential",
            # anchored on the credential, the name in a look-behind: scans about twice as fast
            # and the credential first as a look-ahead, so most positions fail before the look-behind runs
            rf"""(?x)
            (?={_CREDENTIAL}(?![\w-]))                         # the credential, looked at first
            (?<=
              (?<![\w-])
              (?!{_SLASH_SHORTHAND}[ \t])                        # "D/W TOM GRACE MD": the W of a shorthand, no initial
              (?P<value>(?:{_INITIAL}\s*)?{_NAME}              # initial and name
                (?:\s+\p{{Lu}}(?:\.|(?=\s)))?                    # middle initial
                (?:[ \t]+{_NAME})?)                           # surname
              (?:[ \t]*,[ \t]*|[ \t]+)                          # comma or blank
            )
            {_CREDENTIAL}(?![\w-])(?![ \t]*\d)                 # the credential, not a measure ("PA 56/34")
            (?![ \t]+(?i:line|cath(?:eter)?|port|pressures?|systolic|diastolic|mean|sats?|tracing|waveform|numbers)\b)
                                                               # nor a pulmonary artery ("subclavian PA line")
            """,
            0.85,
            check=not_a_verb_credential,
        ),
        Rx(
            "signature line",
            rf"(?im)^[ \t]*(?P<value>(?:\p{{L}}\.[ \t]*)?{_ANY}(?:[ \t]+\p{{L}}\.)?(?:[ \t]+{_ANY}){{0,2}})[ \t]*,?[ \t]*"
            rf"(?:(?:bsn|msn|ms|ma|ba|bs)[ \t]*/[ \t]*)?(?i:{_CREDENTIAL})[ \t]*$",
            0.85,
            # a line that ends in a credential, checked back from each line end (fast: few positions)
            requires=rf"(?m)$(?<=(?<!\p{{L}})(?i:{_CREDENTIAL})[ \t]*)",
            cue=Cue.TRUSTED,
            check=signature_name,
        ),
    )


@register
class HeaderNameRecognizer(_NameCue):
    """Header names: "Patient: KOWALSKI, ANNA M", "Name: Smith, John"."""

    NAME = "header_name"
    CUED = True
    PATTERNS = (
        Rx(
            "label: LAST, FIRST",
            # the middle initial is a letter on its own: "SMITH, JOHN    MRN" keeps MRN
            rf"(?i:{_HEADER_LABEL})(?P<value>{_NAME},\s*{_NAME}(?:[ \t]+{_INITIAL}(?![\p{{L}}\p{{N}}]))?|{_FULL})",
            0.9,
            requires=_capital_after(_HEADER_LABEL),
            cue=Cue.TRUSTED,
        ),
    )
