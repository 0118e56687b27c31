"""Initials standing for a person (``initials``).

Decision rule (PERSON): initials such as "J.S." or "A. S.", unless they are an abbreviation
("U.S.", "P.O.", :data:`_NOT_INITIALS`; in a text without capitals' information also a Latin one,
"E.G.", "I.E.") or a common word.
"""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import document_case, is_common

@register
class InitialsRecognizer(ClinicalPatternRecognizer):
    """Initials such as "J.S." or "A. S." standing for a person."""

    NAME = "initials"
    ENTITY = "PERSON"
    PATTERNS = (Rx("J.S.", r"(?<![\w.])(?P<value>[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?)(?![\w.])", 0.6),)

    def validate(self, text: str, start: int, end: int, rx: Rx) -> float | None:
        """Every pattern: no abbreviation ("U.S.", "P.O.") and no common word."""
        letters = text[start:end].replace(" ", "").replace(".", "")
        dotted = text[start:end].replace(" ", "").upper()
        if dotted in _NOT_INITIALS or is_common(letters) or is_common(letters.lower()):
            return 0.0
        if dotted in _LATIN and document_case(text) != "mixed":
            return 0.0  # "(E.G. LYMPHOMA)" in capitals; in mixed case "E.G." is someone's initials
        return None


_NOT_INITIALS = frozenset(
    ("U.S.", "D.C.", "A.M.", "P.M.", "M.D.", "R.N.", "D.O.", "N.P.", "P.A.", "B.S.", "M.S.", "B.A.", "M.A.", "U.K.",
     "E.R.", "O.R.", "I.V.", "P.O.", "Q.D.", "B.I.D.", "T.I.D.", "Q.I.D.", "H.S.", "N.G.", "G.I.", "E.D.", "S.P.",
     "O.D.", "O.S.", "O.U.", "A.D.", "A.S.", "A.U.", "C.C.", "I.M.", "S.C.", "S.Q.", "D.N.R.", "D.N.I.", "V.S.", "N.S.",
     "G.U.", "H.O.", "U.O.", "R.T.", "C.O.", "N.C.", "O.T.", "P.T.", "S.W.", "B.M.", "B.S.", "I.S.", "L.S.", "H.R.",
     "R.R.", "B.P.", "O.B.", "E.T.", "N.T.", "C.T.", "A.C.", "P.C.", "S.L.", "S.Q.", "T.F.", "V.S.S.", "N.P.O.", "O.O.B.",
     "Y.O.", "H.L.", "T.D.", "C.I.", "P.A.", "L.E.", "U.E.", "A.O.", "D.T.", "R.A.", "L.A.", "M.S.")
)
# Latin abbreviations, which a note in capitals (or a lower-case one, read in capitals) writes like initials;
# in mixed-case text, where "e.g." keeps its lower case, "E.G." is someone's initials
_LATIN = frozenset(("E.G.", "I.E.", "N.B.", "P.S.", "C.F.", "A.K.A."))
