"""Names from the world's first-name lists, in mixed-case text (``world_name``).

Decision rule (PERSON, mixed-case text only, where capitals carry information): the first word is
in the world's first-name lists (:func:`world_first_names`: nothing else in English), the next
word (after an optional middle initial) is capitalised and no stop, clinical, allow-listed, drug
or frequent English word. A first name alone is left to the other layers.
"""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import EPONYM_NOUN, english_top, preload
from recognizers.names.common import _bare
from recognizers.vocab import world_first_names  # noqa: F401 - re-exported

# A capitalised word (letters of any script, inner apostrophes and hyphens).
_TITLE_WORD = r"\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)*"


@register
class WorldNameRecognizer(ClinicalPatternRecognizer):
    """A first name of any country and the capitalised word after it: "Szabina Gelencsér", "Tomomi Nishiyama".

    Decision rule (PERSON, mixed-case text only, where capitals carry information): the first word is
    in the world's first-name lists (:func:`world_first_names`: nothing else in English), the next
    word (after an optional middle initial) is capitalised and no stop, clinical, allow-listed, drug
    or frequent English word. A first name alone is left to the other layers.
    """

    NAME = "world_name"
    ENTITY = "PERSON"
    PATTERNS = (
        Rx(
            "first name + capitalised word",
            rf"""(?x)
            (?<![\p{{L}}\p{{N}}_'’.-])
            (?P<value>(?P<first>{_TITLE_WORD})                     # a first name of any country
              [ \t]+(?:\p{{Lu}}\.?[ \t]+)?                         # an optional middle initial
              (?P<last>{_TITLE_WORD}))                             # a capitalised word
            (?![\p{{L}}\p{{N}}_])
            """,
            0.7,
        ),
    )

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        world_first_names()

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: mixed-case text, a world first name, then no common, frequent or drug word."""
        from recognizers.lexicon import document_case, drug_dictionary, is_common

        if document_case(text) != "mixed":
            return 0.0
        words = text[start:end].split()
        first, last = words[0], words[-1]
        if _bare(first) not in world_first_names():
            return 0.0
        folded = _bare(last)
        if is_common(last) or folded in english_top() or folded in drug_dictionary() or EPONYM_NOUN.match(text[end : end + 30]):
            return 0.0
        return None
