"""Names of patients, relatives and staff found by clinical cues.

spaCy's PERSON entities come from :mod:`recognizers.ner`; these patterns add the
cues clinical text has and a general-domain model misses: titles, credentials,
"LAST, FIRST" headers, relatives, "seen by"/"d/w", signatures and initials.
"""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import not_common_word

_NOT_COMMON = not_common_word()
# Smith, O'Neil, Smith-Jones, SMITH, MCDONALD-ROSS; never a common word ("AWARE", "FROM").
_NAME = rf"(?:{_NOT_COMMON}(?:[A-Z]['’])?(?:[A-Z]{{2,}}(?:-[A-Z]{{2,}})?|[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?![A-Za-z]))"
_INITIAL = r"(?:[A-Z]\.?)"
_FULL = rf"(?:{_NAME}(?:\s+{_INITIAL}(?=\s))?(?:\s+{_NAME}){{0,2}})"
_CREDENTIAL = (
    r"(?:M\.?D|D\.?O|R\.?N|B\.?S\.?N|N\.?P|P\.?A(?:-C)?|Ph\.?D|PharmD|R\.?Ph|LPN|LVN|CNA|MSW|LCSW|LICSW|RRT|CRNA"
    r"|FNP(?:-BC|-C)?|ANP|ACNP|APRN|DNP|DDS|DMD|OTR(?:/L)?|DPT|PT|SLP|CCC-SLP|RD|LD|MPH|FACS|FACP|FACC)"
)


@register
class TitledNameRecognizer(ClinicalPatternRecognizer):
    """A name after a title: Dr. Patel, Mrs. Anna Kowalski, DR SMITH."""

    NAME = "titled_name"
    CUED = True
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (
        Rx(
            "title + name",
            rf"\b(?i:Dr|Drs|Doctor|Mr|Mrs|Ms|Mss|Miss|Mx|Prof|Professor|Sr|Sister|Father|Rev|Nurse)\.?\s+(?P<value>{_FULL})",
            0.9,
        ),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        first = text[start:end].split()[0].casefold()
        if first in _NOT_NAMES:
            return 0.0
        return None


@register
class CredentialNameRecognizer(ClinicalPatternRecognizer):
    """A name before a credential: "John Miller, RN", "Ana Ruiz MD", "B. Chen, NP"."""

    NAME = "credential_name"
    CUED = True
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (
        Rx(
            "name + credential",
            rf"(?<![\w-])(?P<value>(?:{_INITIAL}\s*)?{_NAME}(?:\s+{_INITIAL})?(?:\s+{_NAME})?),?\s+{_CREDENTIAL}(?![\w-])",
            0.85,
        ),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        words = text[start:end].split()
        if all(w.casefold().strip(".,") in _NOT_NAMES for w in words):
            return 0.0
        return None


@register
class HeaderNameRecognizer(ClinicalPatternRecognizer):
    """Header names: "Patient: KOWALSKI, ANNA M", "Name: Smith, John"."""

    NAME = "header_name"
    CUED = True
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (
        Rx(
            "label: LAST, FIRST",
            rf"(?i:\b(?:patient(?:\s+name)?|pt(?:\s+name)?|name|patient|attending|resident|pcp|physician|provider|surgeon"
            rf"|referring(?:\s+(?:physician|provider|md))?|cc|signed|dictated\s+by|transcribed\s+by|author|nurse|rn|md|guardian"
            rf"|emergency\s+contact|next\s+of\s+kin|nok|contact|proxy|hcp|mother|father|spouse)\s*:\s*)"
            rf"(?P<value>{_NAME},\s*{_NAME}(?:\s+{_INITIAL})?|{_FULL})",
            0.9,
        ),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        words = [w.strip(",.").casefold() for w in text[start:end].split()]
        if any(w in _NOT_NAMES for w in words):
            return 0.0
        return None


@register
class RelativeNameRecognizer(ClinicalPatternRecognizer):
    """Relatives and contacts named after the relation: "her husband Tom", "daughter, Lisa"."""

    NAME = "relative_name"
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (
        Rx(
            "relation + name",
            rf"(?i:\b(?:husband|wife|son|daughter|dtr|mother|mom|father|dad|brother|sister|spouse|partner|friend|niece|neice"
            rf"|nephew|grandson|granddaughter|grandmother|grandfather|aunt|uncle|cousin|boyfriend|girlfriend|fianc[eé]e?"
            rf"|sibling|child|caregiver|roommate|neighbor|neighbour|guardian|proxy|hcp|nok|in-law)s?,?\s+(?:named\s+|is\s+)?)"
            rf"(?P<value>{_NAME}(?:\s+{_NAME})?)",
            0.75,
        ),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        words = text[start:end].split()
        if words[0].casefold() in _NOT_NAMES:
            return 0.0
        return None


@register
class CuedNameRecognizer(ClinicalPatternRecognizer):
    """Names after clinical cues: "seen by", "d/w", "discussed with", "paged", "per", signatures."""

    NAME = "cued_name"
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (
        Rx(
            "cue + name",
            rf"(?i:\b(?:seen\s+by|evaluated\s+by|examined\s+by|d/w|discussed\s+with|spoke\s+(?:with|to)|talked\s+(?:with|to)"
            rf"|paged|called|notified|informed|per|covering|signed(?:\s+by)?|electronically\s+signed\s+by|dictated\s+by"
            rf"|attending|resident|fellow|intern|by)\s*:?\s+)(?P<value>{_FULL})",
            0.55,
        ),
        Rx("signature line", rf"(?m)^\s*(?:--+|—|_+|/s/)\s*(?P<value>{_FULL})", 0.7),
    )

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        words = text[start:end].split()
        if words[0].casefold().strip(".,") in _NOT_NAMES:
            return 0.0
        if all(w.isupper() for w in words) and len(words) == 1 and len(words[0]) <= 3:
            return 0.0  # "paged MD", "per ICU"
        return None


@register
class InitialsRecognizer(ClinicalPatternRecognizer):
    """Initials such as "J.S." or "A. S." standing for a person."""

    NAME = "initials"
    ENTITY = "PERSON"
    GROUP = "names"
    PATTERNS = (Rx("J.S.", r"(?<![\w.])(?P<value>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?![\w.])", 0.6),)

    def validate(self, text: str, start: int, end: int, pattern: str) -> float | None:
        if text[start:end].replace(" ", "").upper() in _NOT_INITIALS:
            return 0.0
        return None


_NOT_INITIALS = frozenset(
    ("U.S.", "D.C.", "A.M.", "P.M.", "M.D.", "R.N.", "D.O.", "N.P.", "P.A.", "B.S.", "M.S.", "B.A.", "M.A.", "U.K.",
     "E.R.", "O.R.", "I.V.", "P.O.", "Q.D.", "B.I.D.", "T.I.D.", "Q.I.D.", "H.S.", "N.G.", "G.I.", "E.D.", "S.P.",
     "O.D.", "O.S.", "O.U.", "A.D.", "A.S.", "A.U.", "C.C.", "I.M.", "S.C.", "S.Q.", "D.N.R.", "D.N.I.", "V.S.", "N.S.")
)

# Words that follow a title or cue but are not names ("Dr. on call", "per protocol").
_NOT_NAMES = frozenset(
    w.casefold()
    for w in (
        "the", "a", "an", "and", "or", "to", "on", "in", "at", "of", "for", "with", "by", "from", "his", "her", "their",
        "patient", "pt", "pts", "team", "service", "md", "mds", "rn", "rns", "np", "pa", "doctor", "dr", "nurse", "nursing",
        "staff", "attending", "resident", "fellow", "intern", "primary", "covering", "on-call", "call", "oncall", "protocol",
        "orders", "order", "report", "family", "today", "tonight", "yesterday", "tomorrow", "am", "pm", "icu", "micu",
        "sicu", "ccu", "er", "ed", "or", "pacu", "floor", "unit", "house", "officer", "ho", "cardiology", "neurology",
        "surgery", "medicine", "renal", "gi", "id", "pulmonary", "pulm", "ortho", "psych", "social", "sw", "case",
        "manager", "pharmacy", "pharmacist", "rt", "pt/ot", "ot", "slp", "dietician", "dietitian", "nutrition", "chaplain",
        "no", "not", "none", "all", "any", "this", "that", "these", "those", "who", "which", "will", "would", "was",
        "is", "are", "be", "been", "has", "had", "have", "him", "she", "he", "they", "them", "we", "us", "me", "it",
        "phone", "telephone", "pager", "page", "note", "notes", "plan", "lab", "labs", "bedside", "unknown", "same",
        "also", "again", "aware", "about", "re", "regarding", "pcp", "hcp", "ccu", "nf", "ns", "micu/sicu",
        "continue", "cont", "iv", "po", "prn", "np/pa", "dr.", "mr", "mrs", "ms", "sister", "brother", "mother", "father",
        "at", "up", "out", "over", "still", "yet", "here", "there", "now", "then", "just", "well", "very",
        "visited", "visiting", "called", "came", "left", "present", "updated", "update", "in", "into", "via",
    )
)
