"""Names where speech or a dictation puts them, in any case (``addressed_name``).

Decision rule (PERSON): a census name (:func:`name_word`, everyday-word names such as "anna" or
"brown" included) or a word no English vocabulary holds (:func:`_foreign_word`: rare, no stop,
clinical, allow-listed or drug word, no clinical shape; a name of another country, "zorvena",
"kaltvedt", "gisle") is a name when a cue of address or introduction
stands before it (a greeting, a vocative set off by commas, an introduction, a lower-case title,
"mrs . x" as transcripts write it, a name's own label: "her maiden name is x", "last name? x",
"a son named x") or when the sentence introduces the patient after it (the age
sentence, a date of birth). After a discourse word at a turn's start ("so zamvelo i know") only a
frequent first name or such a word counts. A second name word after the first joins it when it
is a census surname or such a word.
"""

from __future__ import annotations

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Rx, Words
from recognizers.lexicon import (
    COMMON_WORDS,
    EPONYM_NOUN,
    allow_list,
    english_top,
    first_names,
    is_frequent_name,
    surnames,
)
from recognizers.names.common import _WORD, _bare
from recognizers.vocab import (
    clinical_form,
    dictionary_words,
    drug_dictionary,
    english_words,
    is_common,
    near_drug,
    unfamiliar_word,
    world_first_name,
    zipf,
)

def name_word(word: str, *, any_shape: bool = False, over_allow: bool = False) -> bool:
    """A census first name or surname that is no stop, clinical or allow-listed word, and no frequent
    English word unless it is a frequent name, or a word no vocabulary knows well (a name of another
    country): what may stand where a cue puts a name. With ``over_allow`` (a cue that only a name
    fills, and nothing after the word that could make it a term: the age sentence, a greeting set
    off by punctuation) an allow-listed word of four letters or more that is no frequent English word
    counts too ("hi , perla .": not pupils equal and reactive; "senna is a 58-year-old").

    Example:
        >>> name_word("anna"), name_word("brown"), name_word("will"), name_word("doctor")
        (True, True, False, False)
    """
    folded = _bare(word)
    if len(folded) < 2 or folded in COMMON_WORDS:
        return False
    if folded in allow_list().folded or word in allow_list():
        # a cue that only a name fills outweighs the allow-lists, as a title does: an abbreviation or a
        # drug that is also a name ("hi , perla", "senna is a 58-year-old"); a short or everyday one stays
        return over_allow and len(folded) >= 4 and folded.isalpha() and folded not in english_top()
    if folded not in first_names() and folded not in surnames():
        return _foreign_word(folded, any_shape=any_shape)  # a name of another country: the cue and a word no vocabulary knows
    return folded not in english_top() or is_frequent_name(folded)


def _foreign_word(folded: str, *, any_shape: bool = False) -> bool:
    """A word no English vocabulary holds, rare (Zipf < 3), no stop, clinical, allow-listed or drug
    word: a name of another country where someone is greeted or introduced ("gude", "antoni",
    "cristian"). Looser than :func:`~recognizers.vocab.unfamiliar_word` (a typing slip of a frequent
    word counts): transcribed speech has few typing slips, and these cues are strong.

    A word shaped like a clinical one ("patient is paraplegic") is not, unless ``any_shape`` (a cue
    that only a name fills: a greeting, an introduction, the age sentence) and no dictionary lists it:
    "hi , postawa", "russell soding is a 45-year-old"."""
    return (
        len(folded) >= 3
        and folded.isalpha()
        and folded not in english_words()
        and not is_common(folded)
        and folded not in drug_dictionary()
        and zipf(folded) < 3.0
        and (not clinical_form(folded) or (any_shape and folded not in dictionary_words() and not near_drug(folded)))
    ) or unfamiliar_word(folded) or world_first_name(folded)  # "sezal", shaped like "sacral"


# Punctuation or the end of the text right after a word: "hi , perla ." sets the word off.
_SET_OFF = regex.compile(r"[ \t]*(?:[.,!?;]|$)")
# One name word in any case (validated by :func:`name_word`).
_W = r"\p{L}(?:[\p{L}'’-]*\p{L})?"
_TITLE_ANY = r"(?:mr|mrs|ms|miss|mister|missus|dr|doctor)\.?"


def addressed_name(
    text: str, start: int, end: int, *, skip_leading: bool = False, frequent_only: bool = False, any_shape: bool = False,
    first_name_over_allow: bool = False,
):
    """Keep the leading name words; the first must be a :func:`name_word`, a second a census surname.

    Args:
        text: The document.
        start: Start of the candidate.
        end: End of the candidate.
        skip_leading: Drop leading words that are no name first ("so alan is a 57-year-old").
        frequent_only: Only the frequent first names people are called by (rank 1000 or better) and
            words no vocabulary knows well.
        any_shape: A word no dictionary lists counts even when shaped like a clinical word (a cue
            that only a name fills: a greeting, the age sentence; not "the patient is tachycardic").
        first_name_over_allow: A census first name counts even when an allow-list holds it (a vocative
            set off by commas: "so , perla ,"; a drug or term there stays: "okay , lasix ,").
    """
    words = list(_WORD.finditer(text, start, end))

    def first(word) -> bool:  # the first name word: over the allow-lists where only a name fits
        over = any_shape and (skip_leading or _SET_OFF.match(text, word.end()) is not None)
        if first_name_over_allow and _bare(word.group()) in first_names():
            over = True  # a census first name set off by commas: "so , perla , it's been"
        return name_word(word.group(), any_shape=any_shape, over_allow=over)

    if skip_leading:
        while words and not first(words[0]):
            words = words[1:]  # "so alan is a 57-year-old": the name is what is left
        if words:
            start = words[0].start()
    if not words or not first(words[0]):
        return 0.0
    if frequent_only and first_names().get(_bare(words[0].group()), 10**6) > 1000 and not _foreign_word(_bare(words[0].group())):
        return 0.0  # an everyday first name or a word no vocabulary knows: "so zamengo i know", not "so will you"
    if EPONYM_NOUN.match(text[words[0].end() : words[0].end() + 30]):
        return 0.0
    kept = words[0].end()
    if len(words) > 1:
        second = _bare(words[1].group())
        if name_word(second, any_shape=any_shape) and (
            second in surnames() or unfamiliar_word(second) or (any_shape and _foreign_word(second, any_shape=True))
        ):
            kept = words[1].end()  # "russell soding is a 45-year-old"
    return (start, kept, None)


def _addressed_after_leading_words(text: str, start: int, end: int):
    """:func:`addressed_name` once the leading words that are no name are dropped (the age sentence and
    the date of birth, which only a name precedes: any shape, "russell soding is a 45-year-old")."""
    return addressed_name(text, start, end, skip_leading=True, any_shape=True)


def _addressed_frequent_first_name(text: str, start: int, end: int):
    """:func:`addressed_name` for a frequent first name only."""
    return addressed_name(text, start, end, frequent_only=True)


def _vocative(text: str, start: int, end: int):
    """:func:`addressed_name` for a word set off by commas after a discourse word: a census first name
    counts over the allow-lists ("so , perla , it's been"), a term does not ("okay , lasix , we")."""
    return addressed_name(text, start, end, first_name_over_allow=True)


def _greeted(text: str, start: int, end: int):
    """:func:`addressed_name` after a greeting, which only a name follows: any shape ("hi , postawa")."""
    return addressed_name(text, start, end, any_shape=True)


@register
class AddressedNameRecognizer(ClinicalPatternRecognizer):
    """Names where speech or a dictation puts them, in any case.

    Decision rule: a census name (:func:`name_word`, everyday-word names such as "anna" or
    "brown" included) is a name when a cue of address or introduction stands before it or
    when the sentence introduces the patient after it. The cues are the ways people are
    addressed and introduced, not words of any one corpus:

    * a greeting or thanks: "hi , anna", "good morning mr. brown", "thanks , roger";
    * a vocative set off by commas: "so , james , what happened";
    * an introduction: "next patient is X Y", "this is X", "dictating on X Y", "my name is X", "her maiden
      name is X", "last name? X", "a son named X";
    * the patient's age sentence: "X is a 57-year-old", "X Y is a pleasant 60 year old".

    A second name word after the first joins it when it is a census surname.
    """

    NAME = "addressed_name"
    ENTITY = "PERSON"
    CUED = True

    def default_check(self, text: str, start: int, end: int, rx: Rx):
        return addressed_name(text, start, end, any_shape=False)

    PATTERNS = (
        Rx(
            "greeting + name",
            rf"""(?xi)
            \b(?:hi|hey|hello|thanks|thank[ \t]+you|bye|goodbye|good[ \t]+(?:morning|afternoon|evening)
               |(?:morning|afternoon|evening)(?<=(?:^|\n|\]|[.,!?])[ \t]*\w+)  # said on its own: "[doctor] morning X"
               |welcome(?:[ \t]+back)?|nice[ \t]+to[ \t]+(?:meet|see)[ \t]+you)   # the greeting
            [ \t]*,?[ \t]+
            (?:{_TITLE_ANY}[ \t]+)?                                                # an optional title
            (?!(?:good|morning|afternoon|evening|hi|hey|hello)\b)                  # "hi good afternoon X": the next greeting
            (?P<value>{_W}(?:[ \t]+{_W})?)                                         # one or two name words
            """,
            0.8,
            check=_greeted,
            starts=Words("hi hey hello thanks thank bye goodbye good morning afternoon evening welcome nice".split()),
        ),
        Rx(
            "vocative",
            rf"""(?xi)
            \b(?:so|okay|ok|alright|all[ \t]+right|well|now|and|yes|yeah|sure|great)  # a discourse word
            [ \t]*,[ \t]*
            (?P<value>{_W})                                                          # the name
            [ \t]*,                                                                  # set off by a comma
            """,
            0.8,
            check=_vocative,
        ),
        Rx(
            "introduction",
            rf"""(?xi)
            \b(?:next[ \t]+patient[ \t]+is|the[ \t]+patient[ \t]+is|patient[ \t]+is|this[ \t]+is
               |dictating[ \t]+on|seeing|i'm[ \t]+seeing|speaking[ \t]+with|talking[ \t]+(?:with|to)
               |(?:(?:my|her|his|their|your|maiden|last|first|full|middle|family|given)[ \t]+){{1,2}}  # "her maiden name is",
                 name(?:[ \t]+(?:is|was)|[ \t]*[?:])                                      # "last name? X", "first name: X"
               |named(?:[ \t]+(?:him|her|them))?)                                          # "a son named X", "she named him X"
            [ \t]*,?[ \t]+
            (?:{_TITLE_ANY}[ \t]+)?
            (?P<value>{_W}(?:[ \t]+{_W})?)
            """,
            0.8,
        ),
        Rx(
            "age sentence",
            rf"""(?xi)
            (?<=(?<![\p{{L}}'’-])(?P<value>{_W}(?:[ \t]+{_W})?)[ \t]+)               # one or two name words, read
            is[ \t]+an?[ \t]+(?:pleasant[ \t]+|very[ \t]+pleasant[ \t]+)?            # back from "is" (fast: a literal start)
            (?:\d{{1,3}}|[a-z]+(?:-[a-z]+)?)[ \t-]*(?:year|yr|y/?o\b)                  # "is a 57-year-old"
            """,
            0.8,
            check=_addressed_after_leading_words,
        ),
        Rx(
            "name + date of birth",
            rf"""(?xi)
            (?:^|(?<=[\n\].:;]))[ \t]*                                               # at a line or turn start
            (?P<value>{_W}(?:[ \t]+{_W}){{0,2}})                                   # the name
            [ \t]*[.,:;]?[ \t]*
            (?:(?:\p{{L}}{{1,3}}-|um+|uh+|er|ah)[ \t]*[.,]?[ \t]*){{0,2}}                  # a false start: "n- date of birth"
            (?:date[ \t]+of[ \t]+birth|dob\b|d\.o\.b\.)                               # then the date of birth
            """,
            0.8,
            check=_addressed_after_leading_words,
            requires=r"(?i)date[ \t]+of[ \t]+birth|dob\b|d\.o\.b\.",
        ),
        Rx(
            "discourse word + first name",
            rf"""(?xi)
            (?:^|(?<=[\n\].?!]))[ \t]*                                               # at a turn or sentence start
            (?:so|okay|ok|alright|all[ \t]+right|well|now|hey)[ \t]+                # a discourse word
            (?P<value>{_W})                                                         # a frequent first name
            (?=[ \t]+(?:i|you|we|it|so|good|how|what|tell|let's|let|thanks|thank)\b)   # then the sentence goes on
            """,
            0.7,
            check=_addressed_frequent_first_name,
        ),
        Rx(
            "lower-case title",
            rf"""(?x)
            \b(?:miss|ms[ \t]?\.|mrs(?:[ \t]?\.)?|mr(?:[ \t]?\.)?)[ \t]+            # a title in lower case ("mrs . x": a transcript)
            (?P<value>{_W})
            """,
            0.7,
        ),
    )
