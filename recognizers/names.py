"""Names of patients, relatives and staff found by clinical cues.

spaCy's PERSON entities come from :mod:`recognizers.ner`; these patterns add the
cues clinical text has and a general-domain model misses: titles, credentials,
"LAST, FIRST" headers, relatives, "seen by"/"d/w", "SMITH AWARE", initials
before a surname, signatures and bare initials. Names after a strong cue are
found in any case ("dr. lindquist", "son bill", "DR VOSOLO"); every candidate
word is checked by :func:`recognizers.lexicon.plausible_name_word`, so "Dr. on
call", "son called" or "SEE PT" are not names. A word that no vocabulary knows
(:func:`recognizers.vocab.unknown_word`: no English, clinical, drug or misspelt word)
is a name next to any of these cues, in any case: the cue and the unknown word are two
pieces of evidence ("PER K. DUDZIAK", "md dudziak aware", "agnieszka called").
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Cue, Rx
from recognizers.lexicon import (
    drug_dictionary,
    document_case,
    english_top,
    english_words,
    first_names,
    is_common,
    is_frequent_name,
    is_known_name_any,
    is_ordinary_word,
    not_common_word,
    plausible_name_word,
    surnames,
)
from recognizers.vocab import unknown_word

_NOT_COMMON = not_common_word()
# A capitalised or ALL-CAPS name word: Smith, O'Neil, Smith-Jones, SMITH, MCDONALD-ROSS.
_NAME = (
    rf"(?:{_NOT_COMMON}(?:"
    r"\p{Lu}['’](?:\p{Lu}{2,}|\p{L}\p{Ll}+)"  # O'Connell, O'connell, O'NEIL
    r"|\p{Lu}\p{Ll}{1,2}\p{Lu}\p{Ll}+"  # McDonald, MacLean, DeVito
    r"|\p{Lu}{2,}(?:-\p{Lu}{2,})?"  # SMITH, FORMAN-LYONS
    r"|\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"  # Smith, Smith-Jones
    r")(?!\p{L}))"
)
# A name word in any case, for use after a strong cue only: lindquist, o'connell.
_ANY = rf"(?:{_NOT_COMMON}(?:\p{{L}}['’])?\p{{L}}\p{{Ll}}+(?:-\p{{L}}\p{{Ll}}+)?(?!\p{{L}})|{_NAME})"
_INITIAL = r"(?:\p{Lu}\.?)"
_FULL = rf"(?:{_NAME}(?:\s+{_INITIAL}(?=\s))?(?:\s+{_NAME}){{0,2}})"
_FULL_ANY = rf"(?:(?:{_INITIAL}\s?)?{_ANY}(?:\s+{_INITIAL}(?=\s))?(?:[ \t]+{_ANY}){{0,2}})"
_CREDENTIAL = (
    r"(?:M\.?D|D\.?O|R\.?N|B\.?S\.?N|N\.?P|P\.?A(?:-C)?|Ph\.?D|PharmD|R\.?Ph|LPN|LVN|CNA|MSW|LCSW|LICSW|RRT|CRT|CRNA"
    r"|FNP(?:-BC|-C)?|ANP|ACNP|APRN|DNP|DDS|DMD|OTR(?:/L)?|DPT|CCC-SLP|MPH|FACS|FACP|FACC|MLS(?:\(ASCP\))?)"
)


# Cues that follow a name: "MAROTTA AWARE", "bill called".
_AWARE = (
    r"(?:aware|made\s+aware|notified|paged|updated|ordered|in\s+to\s+(?:see|eval)|at\s+bedside|called\s+(?:back|to\s+bedside)"
    r"|contacted|consulted)\b"
)
_NAME_VERB = (
    r"(?:called|phoned|visited|was\s+updated|updated|in\s+to\s+visit|came\s+in|spoke|states|reports|verbalized|is\s+speaking"
    r"|does\s+not|is\s+(?:the\s+)?(?:hcp|proxy))\b"
)

# Cues before a name (matched in any case).
_SEEN_BY = (
    r"\b(?:seen\s+by|evaluated\s+by|examined\s+by|d/w|discussed\s+with|spoke\s+(?:with|to)|(?:talk|speak)(?:ed|ing)?\s+(?:with|to)|met\s+with"
    r"|paged|called|notified|informed|per|covering|consult(?:ed)?\s+with|signed(?:\s+by)?|electronically\s+signed\s+by|dictated\s+by"
    r"|pronounced\s+by|consulted|attending|resident|fellow|intern|grossed\s+by|reviewed\s+by|performed\s+by"
    r"|verified\s+by|read\s+by|reported\s+(?:by|to)|ordered\s+by|referred\s+by)\s*:?[ \t]+"
)
_INTRODUCED = r"\b(?:my\s+name\s+is|name\s+is|named|i\s+am|i'm|this\s+is|goes\s+by|known\s+as|called\s+me|patient\s+is)[ \t]+"
_HEADER_LABEL = (
    r"\b(?:patient(?:\s+name)?|pt(?:\s+name)?|name|attending|resident|pcp|physician|provider|surgeon"
    r"|referring(?:\s+(?:physician|provider|md))?|cc|signed|dictated\s+by|transcribed\s+by|author|nurse|rn|md|guardian"
    r"|emergency\s+contact|next\s+of\s+kin|nok|contact(?:\s+person)?|proxy|hcp|mother|father|spouse)\s*:\s*"
)


def _capital_after(cue: str) -> str:
    """A prefilter for "cue, then a capitalised name": the cue looked up back from each capital letter."""
    return rf"(?=\p{{Lu}})(?<=(?i:{cue}))"


_TOKEN = regex.compile(r"[^\s,]+")
_DERIVED_WORD = regex.compile(r"(?:tion|sion|ous|ive|ing|ment|ness|ity|ally|itis|osis|emia|ectomy|otomy)$")
_PHONE_NEXT = regex.compile(r"[ \t]*(?:\(\d{3}\)|\d{3}[-. ]\d{3,4})")
_AN_INITIAL = regex.compile(r"\p{Lu}\.?")  # fullmatch: "J" or "J."
_JOINERS = frozenset(("and", "&"))


def trim_to_name(text: str, start: int, end: int, *, cued: bool, trust_cue: bool = False) -> tuple[int, int, None] | float | None:
    """Keep the leading run of plausible name words (and initials) of a candidate span.

    "nkechi helps" -> "nkechi"; a span whose first word is not plausible is rejected.
    """
    case = document_case(text)
    kept_end = None
    saw_name = False
    tokens = list(_TOKEN.finditer(text, start, end))
    for index, token in enumerate(tokens):
        word = token.group()
        if _AN_INITIAL.fullmatch(word):  # an initial
            kept_end = token.end() if saw_name or kept_end is None else kept_end
            continue
        if word.casefold() in _JOINERS and saw_name:
            continue
        if saw_name and word.casefold() in drug_dictionary():
            break  # "Dr. Jones Lasix given": a drug after the name (eponyms stay: "Dr. John Foley")
        if not plausible_name_word(word, case, cued=cued, trust_cue=trust_cue) and not (
            trust_cue and not saw_name and _word_first_name(word, tokens[index + 1 : index + 2], case)
        ) and not unknown_word(word.strip(".,;:\"'()")):  # the pattern's cue and a word no vocabulary knows
            break
        saw_name = True
        kept_end = token.end()
    if not saw_name:
        # a lone initial after a strong cue ("Dr. L.") is still a name
        only = text[start:end].strip()
        return None if cued and _AN_INITIAL.fullmatch(only) else 0.0
    if kept_end == end:
        return None
    return start, kept_end, None


def _word_first_name(word: str, following: list, case: str) -> bool:
    """After a title, an everyday word that is a first name and is followed by a surname: "Dr Will Hartley"."""
    if case != "mixed" or not following or not word[0].isupper() or not word.isalpha():
        return False
    surname = following[0].group()
    return word.casefold() in first_names() and surname[0].isupper() and plausible_name_word(surname, case)


class _NameCue(ClinicalPatternRecognizer):
    """Names next to a cue. A pattern without its own check keeps the leading run of plausible name
    words (:func:`trim_to_name`), as strictly as its ``cue`` says (:class:`~recognizers.base.Cue`)."""

    ENTITY = "PERSON"

    def default_check(self, text: str, start: int, end: int, rx: Rx):
        return trim_to_name(text, start, end, cued=rx.cue >= Cue.STRONG, trust_cue=rx.cue is Cue.TRUSTED)


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
               |Prof|PROF|Professor|Sister|SISTER|Father|Rev|Nurse|NURSE)                  # the cases it is written in
            (?:\.[ \t]*|[ \t]+)
            (?P<value>{_FULL_ANY})                                                         # the name, any case
            """,
            0.9,
            cue=Cue.TRUSTED,
        ),
        Rx("drs + names", rf"\b(?:Drs|DRS|drs)\.?[ \t]+(?P<value>{_ANY}[ \t]+(?i:and|&)[ \t]+{_ANY})", 0.9, cue=Cue.TRUSTED),
        Rx(
            "title + initial",
            r"\b(?:Dr|DR|Drs|Mr|MR|Mrs|MRS|Ms|MS|Miss|MISS)\.?[ \t]+(?P<value>\p{Lu}\.)(?![\w.])",
            0.7,
            cue=Cue.TRUSTED,
        ),
        # "mr I remained on pressors": a bare capital after a title, before a lower-case word
        Rx("title + bare initial", r"\b(?:Mr|mr|MR|Mrs|mrs|Ms)\.?[ \t]+(?P<value>\p{Lu})(?=[ \t]+\p{Ll})", 0.7, cue=Cue.TRUSTED),
        Rx(
            "clinician role + name",
            # a role word is a weak cue: "md aware", "resident called"
            rf"\b(?i:np|rn|rrt|crt|md|pcp|attending|resident|fellow|intern)[ \t]+(?P<value>{_ANY}(?:[ \t]+{_ANY})?)",
            0.6,
        ),
    )

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: "MS." in mixed-case notes is mental status, not the title Ms."""
        title = text[max(0, start - 4) : start].strip().rstrip(".")
        if title.endswith("MS") and document_case(text) == "mixed":
            return 0.0
        return super().validate(text, start, end, rx)


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
              (?P<value>(?:{_INITIAL}\s*)?{_NAME}              # initial and name
                (?:\s+\p{{Lu}}(?:\.|(?=\s)))?                    # middle initial
                (?:[ \t]+{_NAME})?)                           # surname
              (?:[ \t]*,[ \t]*|[ \t]+)                          # comma or blank
            )
            {_CREDENTIAL}(?![\w-])                             # the credential
            """,
            0.85,
        ),
        Rx(
            "signature line",
            rf"(?im)^[ \t]*(?P<value>(?:\p{{L}}\.[ \t]*)?{_ANY}(?:[ \t]+\p{{L}}\.)?(?:[ \t]+{_ANY}){{0,2}})[ \t]*,?[ \t]*"
            rf"(?:(?:bsn|msn|ms|ma|ba|bs)[ \t]*/[ \t]*)?(?i:{_CREDENTIAL})[ \t]*$",
            0.85,
            # a line that ends in a credential, checked back from each line end (fast: few positions)
            requires=rf"(?m)$(?<=(?<!\p{{L}})(?i:{_CREDENTIAL})[ \t]*)",
            cue=Cue.TRUSTED,
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
            rf"|sibling|child|caregiver|roommate|neighbor|neighbour|guardian|proxy|hcp|nok|in-law|contact\s+person)s?(?![A-Za-z])"
            rf"(?:\s*-\s*in\s*-\s*law)?[ \t]*[,(:-]?[ \t]*(?:named[ \t]+|is[ \t]+)?[\"“']?)"
            rf"(?P<value>{_ANY}(?:[ \t]+{_ANY})?(?:[ \t]+(?i:and|&)[ \t]+{_ANY})?)",
            0.75,
            check=relative_name_words,
            cue=Cue.TRUSTED,
        ),
    )


def not_an_acronym_then_name_words(text: str, start: int, end: int):
    """"EP aware", "HO aware": two letters are a service; else the name words after a strong cue."""
    if len(text[start:end].strip(". ")) <= 2:
        return 0.0
    return trim_to_name(text, start, end, cued=True)


def census_name_then_name_words(text: str, start: int, end: int):
    """"bill called" yes, "pain called" no: census names, or words no vocabulary knows, before a verb (a weak cue)."""
    if not is_known_name_any(text[start:end]) and not unknown_word(text[start:end]):
        return 0.0
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
    """A census first name that is no common or frequent English word."""
    word = text[start:end].casefold()
    return None if word in first_names() and not is_common(word) and word not in english_top() else 0.0


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
    PATTERNS = (
        Rx(
            "cue + name",
            rf"(?i:{_SEEN_BY})(?P<value>{_FULL})",
            0.6,
            requires=_capital_after(_SEEN_BY),
        ),
        Rx(
            "name + aware",
            # the cue (after a blank) first as a look-ahead: most positions fail on it before the costly look-behind
            rf"""(?x)
            (?=(?<=[ \t])(?i:{_AWARE}))                                  # the cue, after a blank
            (?<=(?<![\w.])(?P<value>(?:{_INITIAL}\.?[ \t]?)?{_NAME}      # an initial and a name
                (?:[ \t]+{_NAME})?)[ \t]+)                                # and a second name word
            (?i:{_AWARE})                                                # "aware", "notified", ...
            """,
            0.6,
            check=not_an_acronym_then_name_words,
            cue=Cue.STRONG,
        ),
        Rx("initial + surname", rf"(?<![^\s(\[\"])(?P<value>[A-Z]\.[ \t]?{_NAME})", 0.6),
        # lower case: "counted by (k. delaney and t. o'neill)" (a census surname, no English word)
        Rx(
            "lower initial + surname",
            r"(?<![^\s(\[\"])(?P<value>[a-z]\.[ \t]?[a-z](?:['’]?[a-z]){2,})(?![\w'’-]|\.\w)",
            0.6,
            check=census_surname_after_initial,
        ),
        Rx(
            "first name + verb",
            rf"(?=(?<=[ \t])(?i:{_NAME_VERB}))(?<=(?<![\w.])(?P<value>{_ANY})[ \t]+)(?i:{_NAME_VERB})",
            0.6,
            check=census_name_then_name_words,
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
            r"(?<=[\"“][ \t]?)(?P<value>\p{Lu}\p{Ll}+)(?=,[ \t])",
            0.6,
            requires=r"(?=\p{Lu})(?<=[\"“][ \t]?)",  # a capital right after a quotation mark
            check=census_first_name,
        ),
        Rx(
            "name + family",
            # "UPDATE KOVACS FAMILY ON PLAN", "the Smith family at bedside"
            rf"(?=(?<=[ \t])(?i:family)\b)(?<=(?<![\w.'’])(?P<value>{_NAME})[ \t]+)(?i:family)\b",
            0.6,
        ),
        Rx(
            "introduced name",
            rf"(?i:{_INTRODUCED})(?P<value>{_FULL})",
            0.6,
            requires=_capital_after(_INTRODUCED),
        ),
    )


@register
class InitialsRecognizer(ClinicalPatternRecognizer):
    """Initials such as "J.S." or "A. S." standing for a person."""

    NAME = "initials"
    ENTITY = "PERSON"
    PATTERNS = (Rx("J.S.", r"(?<![\w.])(?P<value>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?![\w.])", 0.6),)

    def validate(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern: no abbreviation ("U.S.", "P.O.") and no common word."""
        letters = text[start:end].replace(" ", "").replace(".", "")
        if text[start:end].replace(" ", "").upper() in _NOT_INITIALS or is_common(letters) or is_common(letters.lower()):
            return 0.0
        return None


_NOT_INITIALS = frozenset(
    ("U.S.", "D.C.", "A.M.", "P.M.", "M.D.", "R.N.", "D.O.", "N.P.", "P.A.", "B.S.", "M.S.", "B.A.", "M.A.", "U.K.",
     "E.R.", "O.R.", "I.V.", "P.O.", "Q.D.", "B.I.D.", "T.I.D.", "Q.I.D.", "H.S.", "N.G.", "G.I.", "E.D.", "S.P.",
     "O.D.", "O.S.", "O.U.", "A.D.", "A.S.", "A.U.", "C.C.", "I.M.", "S.C.", "S.Q.", "D.N.R.", "D.N.I.", "V.S.", "N.S.",
     "G.U.", "H.O.", "U.O.", "R.T.", "C.O.", "N.C.", "O.T.", "P.T.", "S.W.", "B.M.", "B.S.", "I.S.", "L.S.", "H.R.",
     "R.R.", "B.P.", "O.B.", "E.T.", "N.T.", "C.T.", "A.C.", "P.C.", "S.L.", "S.Q.", "T.F.", "V.S.S.", "N.P.O.", "O.O.B.",
     "Y.O.", "H.L.", "T.D.", "C.I.", "P.A.", "L.E.", "U.E.", "A.O.", "D.T.", "R.A.", "L.A.", "M.S.")
)


@register
class FullNameRecognizer(_NameCue):
    """A census first name followed by a surname-like word: "AGNES MUNROE", "Florence Garvey".

    No cue is needed: a known first name is evidence enough when the next word
    is a census surname or not an everyday word ("LINDSEY CARDARELLI", not "GRACE PERIOD").
    """

    NAME = "full_name"
    PATTERNS = (Rx("first + last", rf"(?<![\w.])(?P<value>{_NAME}[ \t]+(?:{_INITIAL}\.?[ \t]+)?{_NAME})", 0.6),)

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: a census first name and a surname-like word (see the class docstring)."""
        words = [w for w in text[start:end].split() if not _AN_INITIAL.fullmatch(w)]
        if len(words) != 2:
            return 0.0
        first, last = (w.casefold() for w in words)
        if first not in first_names() or is_common(first) or is_common(last):
            return 0.0
        if first in english_top() and not is_frequent_name(first):
            return 0.0
        if (last in english_top() and not is_frequent_name(last)) or (is_ordinary_word(last) and last not in surnames()):
            return 0.0
        if first in english_words() and not is_frequent_name(first) and last not in surnames():
            return 0.0  # "GINGER ALE": a word-like first name needs a real surname
        if first in english_words() and last not in surnames() and (_DERIVED_WORD.search(last) or last in english_words()):
            return 0.0  # "AMBER SEDIMENTOUS", "GINGER ALE": a word-like first name before a word that is no surname
        return None
