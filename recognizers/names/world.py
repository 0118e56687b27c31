"""Names of any country in mixed-case text, read from their capitals (``world_name``).

Decision rule (PERSON, mixed-case text only, where capitals carry information):

* The first word is in the world's first-name lists (:func:`world_first_names`: nothing else in
  English), the next word (after an optional middle initial) is capitalised and no stop,
  clinical, allow-listed, drug or frequent English word ("Attila Nagy").
* Two capitalised words (with an optional middle initial between) of which no vocabulary knows
  either (:func:`recognizers.vocab.unfamiliar_word`: rare, no English, clinical, drug or
  allow-listed word, nor one typing slip from one) are a name, whatever country it is from
  ("Irenke Sorosvary", "Tomomi Nishiyama"); not "Klebsiella Pneumoniae" (a clinical word), nor an
  eponym in its medical sense ("Kikuchi Fujimoto disease").

A first name alone is left to the other layers.
"""

from __future__ import annotations

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import EPONYM_NOUN, english_top, preload
from recognizers.names.common import _bare
from recognizers.vocab import world_first_names  # noqa: F401 - re-exported

# A capitalised word (letters of any script, inner apostrophes and hyphens).
_TITLE_WORD = r"\p{Lu}\p{Ll}+(?:['’-]\p{Lu}?\p{Ll}+)*"
# Two capitalised words, with an optional middle initial between.
_PAIR = rf"""(?x)
    (?<![\p{{L}}\p{{N}}_'’.-])
    (?P<value>{_TITLE_WORD}                                 # a capitalised word
      [ \t]+(?:\p{{Lu}}\.?[ \t]+)?                         # an optional middle initial
      {_TITLE_WORD})                                        # a capitalised word
    (?![\p{{L}}\p{{N}}_])
    """


def _unfamiliar_pair(text: str, start: int, end: int) -> float | None:
    """Both words of a pair are words no vocabulary knows, and no eponym in its medical sense follows."""
    from recognizers.vocab import unfamiliar_word

    words = text[start:end].split()
    if not (unfamiliar_word(_bare(words[0])) and unfamiliar_word(_bare(words[-1]))) or EPONYM_NOUN.match(text[end : end + 30]):
        return 0.0
    return None


@register
class WorldNameRecognizer(ClinicalPatternRecognizer):
    """A first name of any country and the capitalised word after it ("Szabina Gelencsér"), or two
    capitalised words no vocabulary knows ("Tomomi Nishiyama"): see the module's decision rule."""

    NAME = "world_name"
    ENTITY = "PERSON"
    PATTERNS = (
        Rx("first name + capitalised word", _PAIR, 0.7),
        Rx("two unfamiliar capitalised words", _PAIR, 0.6, check=_unfamiliar_pair),
    )

    def load(self) -> None:  # noqa: D102 - Presidio hook
        preload()
        world_first_names()

    def validate(self, text: str, start: int, end: int, rx: Rx):
        """Every pattern: mixed-case text; then a world first name and no common, frequent or drug
        word after it, or two words no vocabulary knows."""
        from recognizers.lexicon import document_case, drug_dictionary, is_common

        if document_case(text) != "mixed":
            return 0.0
        if rx.check is not None:
            return rx.check(text, start, end)
        words = text[start:end].split()
        first, last = words[0], words[-1]
        if _bare(first) not in world_first_names():
            return 0.0
        folded = _bare(last)
        if is_common(last) or folded in english_top() or folded in drug_dictionary() or EPONYM_NOUN.match(text[end : end + 30]):
            return 0.0
        return None
