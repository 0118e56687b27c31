"""Names from the world's first-name lists, in mixed-case text (``world_name``).

Decision rule (PERSON, mixed-case text only, where capitals carry information): the first word is
in the world's first-name lists (:func:`world_first_names`: nothing else in English), the next
word (after an optional middle initial) is capitalised and no stop, clinical, allow-listed, drug
or frequent English word. A first name alone is left to the other layers.
"""

from __future__ import annotations

from functools import cache

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx
from recognizers.lexicon import COMMON_WORDS, EPONYM_NOUN, allow_list, english_top, first_names, preload
from recognizers.names.common import _bare

@cache
def world_first_names() -> frozenset[str]:
    """First names of Faker's person locales (MIT; already the surrogate generator) and the US Census,
    case-folded, without stop, clinical, allow-listed and drug words, frequent English words that
    are no first name, and names shorter than three letters.

    Example:
        >>> "attila" in world_first_names(), "johannes" in world_first_names(), "the" in world_first_names()
        (True, True, False)
    """
    import importlib
    import pkgutil

    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None)
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = provider.__dict__.get(attr) if provider is not None else None
            if isinstance(value, (list, tuple, set, frozenset, dict)):
                names.update(n.casefold() for n in value if isinstance(n, str))
    # dictionary words stay: this rule needs a capitalised pair in mixed-case text ("Maria Hernandez")
    blocked = COMMON_WORDS | {w for w in english_top() if w not in first_names()} | allow_list().folded
    from recognizers.lexicon import drug_dictionary

    drugs = drug_dictionary()
    return frozenset(n for n in names | first_names().keys() if len(n) >= 3 and n.isalpha() and n not in blocked and n not in drugs)


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
