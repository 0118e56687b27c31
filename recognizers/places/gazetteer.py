"""Known place names (``gazetteer``; the lists themselves are in :mod:`recognizers.gazetteer`).

Decision rule (LOCATION): US cities and towns (15,000+ inhabitants), counties, large world cities,
under the names notes use ("New York", "St Louis", "Ft. Worth").

* A place that is also a person's name but no everyday word ("Quincy", "Decatur", "houston") needs
  no cue, in any case: either reading is PHI (an eponym in its medical sense, "Wilson's disease",
  stays).
* A place that is also an everyday word ("Mobile", "Normal") needs a place cue before it ("in",
  "from", "lives in"), unless it is several words each capitalised in a note with mixed case ("New
  York City", "High Point", "Country Club": each such run in MTSamples names a place). Where capitals
  say nothing (lower case, or a note in capitals), the cue must be one of coming, calling, living or
  being treated there ("LIVES IN BOSTON", "IS FROM MOBILE", "CALLED FROM BATON ROUGE"; not "K IN
  NORMAL RANGE", "murmur at apex"),
  or a state or a site must follow ("IN MOBILE, AL", "at new hope clinic").
* A place whose name ends in the kind of place it is (county, city, parish, township, borough,
  municipality, census area: "Brown County", "garden city", "new york city") is no everyday word,
  whatever its words are.
* A lower-case place in a note with mixed case needs a cue.
* A smaller US town (:func:`recognizers.vocab.us_towns`: a postal town no dictionary lists,
  "Edgemere", "Estes Park") is one in any case only after a cue that puts a place there ("lives in",
  "from", "moved to", "near"), without an article ("in the tunica" is anatomy). A town whose words
  are all everyday words (:func:`recognizers.vocab.everyday_word_towns`: "Ocean View", "Shady Grove")
  only after a cue that someone lives there or came from there ("lives in", "moved from"), not "in"
  alone.
"""

from __future__ import annotations

from functools import cache

import regex

from recognizers import register
from recognizers.base import ClinicalPatternRecognizer, Cue, Rx
from recognizers.gazetteer import STATE_ABBR, STATE_NAME, ambiguous_places, place_first_words, places
from recognizers.vocab import everyday_word_towns, town_first_words, us_towns
from recognizers.lexicon import EPONYM_NOUN, document_case, first_names, is_common, starts_allowed_phrase

@register
class GazetteerRecognizer(ClinicalPatternRecognizer):
    """Known place names: US cities and towns (15,000+ inhabitants), counties, large world cities,
    and smaller US towns after a cue that puts a place there (see the module's decision rule)."""

    NAME = "gazetteer"
    ENTITY = "LOCATION"
    PATTERNS = (
        Rx("capitalised run", r"(?<![\p{L}'’.-])\p{Lu}[\p{L}'’.-]*+(?:[ \t]+\p{Lu}[\p{L}'’.-]*+)*+", 0.6),
        Rx(
            "after a place cue",
            r"(?i:\b(?:in|from|at|to|of|near|outside|lives|live|living|moved|resides|visiting|born)\s+)"  # the cue
            # up to three lower-case words, up to the next cue ("office in new york")
            r"(?P<value>\p{Ll}[\p{Ll}'’.-]*(?:[ \t]+(?!(?:in|from|at|to|of|near)\b)\p{Ll}[\p{Ll}'’.-]*){0,2})",
            0.6,
            cue=Cue.STRONG,
        ),
    )
    _CUE_BEFORE = regex.compile(
        r"(?i)\b(?:in|from|at|to|of|near|outside|lives|live|living|moved|resides|visiting|born|raised|city|town|county)\s+(?:the\s+)?$"
    )

    def candidates(self, text: str):
        """Each place name inside a match; a lower-case one (the pattern with a cue) needs a place cue."""
        known, first_words, cities, everyday_towns = _known_places(), _known_first_words(), places(), everyday_word_towns()
        for start, end, score, rx in super().candidates(text):
            # every sub-run of words, longest first: "HOME IN MILFORD MILL" -> "MILFORD MILL"
            words = [m.span() for m in _WORDS.finditer(text, start, end)]
            i = 0
            while i < len(words):
                word = text[words[i][0] : words[i][1]]
                if word.casefold() not in first_words and word.rstrip(".,'’").casefold() not in known:
                    i += 1  # no place starts with this word (most words of a capitalised run)
                    continue
                found = None
                for j in range(min(len(words), i + 4), i, -1):
                    candidate = text[words[i][0] : words[j - 1][1]].rstrip(".,'’")
                    folded = " ".join(candidate.casefold().split())
                    if folded in known:
                        found = (words[i][0], words[i][0] + len(candidate), folded, j)
                        break
                if found is None:
                    i += 1
                    continue
                s0, e0, folded, j = found
                before = text[max(0, s0 - 25) : s0]
                if folded not in cities and not _TOWN_CUE.search(before):
                    i += 1  # a small town needs a cue that puts a place there: "lives in Edgemere", "from Bel Air"
                    continue
                if folded in everyday_towns and not _RESIDENCE_CUE.search(before):
                    i += 1  # a town of everyday words needs someone living there or coming from it: "LIVES IN OCEAN VIEW"
                    continue
                cue_match = self._CUE_BEFORE.search(before)
                cue = cue_match is not None
                if cue and _ambiguous(folded) and _INFINITIVE_TO.search(text[max(0, s0 - 25) : s0]):
                    cue = False  # "ABLE TO BEAR WT", "ATTEMPT TO PACE": an infinitive's "to" is no place cue
                if EPONYM_NOUN.match(text[e0 : e0 + 30]) or starts_allowed_phrase(text, s0):
                    i = j  # "Framingham risk score"
                    continue
                lowercase = rx.cue is not Cue.NONE  # found in any case after a cue word
                # no capital to tell the place from the word: lower case, or a note in capitals ("IN NORMAL RANGE")
                caseless = lowercase or document_case(text) != "mixed"
                written = text[s0:e0]
                # several words, each capitalised, in a note with mixed case: "New York City", "High Point"
                titled = not caseless and " " in folded and all(w[:1].isupper() and not w.isupper() for w in written.split())
                if _ambiguous(folded) and not titled and (
                    (not cue and _everyday(folded))
                    or (
                        caseless
                        and _everyday(folded)
                        and not _STATE_AFTER.match(text, e0)  # "FROM MOBILE, AL": the state says it is the place
                        and not _MOVEMENT_CUE.search(before)  # "LIVES IN BOSTON", "FROM BOSTON": not "K IN NORMAL RANGE"
                        and not _SITE_AFTER.match(text, e0)  # "at new hope clinic": the site names the place
                    )
                ):
                    i = j  # "Mobile phone", "in normal range", "BEAR HUGGER"; not "Quincy" or "seen in houston" (a name or a place)
                    continue
                if cue or not lowercase:
                    # take the state or the site that belongs to the place: "Atlanta, GA", "Seattle clinic"
                    tail = _PLACE_TAIL.match(text, e0)
                    yield s0, tail.end() if tail else e0, score + (0.1 if cue else 0.0), rx
                i = j


@cache
def _known_places() -> frozenset[str]:
    """The gazetteer's places and the small towns, in one set (built once)."""
    return places() | us_towns() | everyday_word_towns()


@cache
def _known_first_words() -> frozenset[str]:
    """The first words of the multi-word places and towns, in one set (built once)."""
    return place_first_words() | town_first_words() | frozenset(town.split()[0] for town in everyday_word_towns())


_WORDS = regex.compile(r"[^\s]+")
# What puts a small town (:func:`~recognizers.vocab.us_towns`) where a place stands: being in, from,
# near, living or born there ("of", "to" and "at" are too weak: "closure of tunica"); a town takes no
# article ("incision in the tunica").
_TOWN_CUE = regex.compile(
    r"(?i)\b(?:in|from|near|outside|lives|live|living|moved\s+to|resides|residing|resident\s+of|visiting|born|raised|home)"
    r"\s+(?:in\s+)?$"
)
# Someone lives or works in a town or came from it: the cue a town made of everyday words needs ("lives
# in Ocean View", "moved from Shady Grove", "new job in Bel Air"); not "in" or "from" alone.
_RESIDENCE_CUE = regex.compile(
    r"(?i)\b(?:lives|live|living|resides|residing|moved|moving|relocated|born|raised|grew\s+up|home|resident|native"
    r"|originally|transferred|came|comes|coming|drove|driving|flew|flying|job|works?|working|employed)"
    r"\s+(?:up\s+|down\s+|over\s+|in\s+)?"
    r"(?:in|from|to|of|at)\s+$"
)
_INFINITIVE_TO = regex.compile(
    r"(?i)\b(?:able|unable|attempt|attempts|attempting|attempted|trying|tried|try|need|needs|needed|want|wants|wanted"
    r"|going|plan|plans|planning|planned|ok|okay|continue|continues|began|begin|started|decided|refused|failed|allowed)"
    r"[ \t]+to[ \t]+$"
)
# A cue that puts a place after it even where the place is an everyday word: coming or calling from it,
# or living, working, being seen or treated in it ("K IN NORMAL RANGE" has only "in").
_MOVEMENT_CUE = regex.compile(
    r"(?i)(?:\b(?:lives|live|living|resides|residing|moved|moving|born|raised|works?|working|seen|treated|admitted"
    r"|hospitali[sz]ed|transferred|sent|visiting|vacation(?:ing)?)[ \t]+(?:in|at|to|near|from)"  # not "stayed in normal range"
    r"|\b(?:is|are|was|were|came|comes|coming|originally|family|drove|flew|arrived|called|calls|calling|phoned|phoning)[ \t]+from)"
    r"[ \t]+(?:the[ \t]+)?$"
)
_SITE_AFTER = regex.compile(r"[ \t]+(?i:clinic|office|branch|hospital|medical[ \t]+center|campus|health[ \t]+center)\b")
_STATE_AFTER = regex.compile(rf",?[ \t]+(?:(?-i:{STATE_ABBR})|(?i:{STATE_NAME}))\b")
_PLACE_TAIL = regex.compile(
    rf"(?:,?[ \t]+(?:(?-i:{STATE_ABBR})\b|(?:{STATE_NAME})\b))?"
    r"(?:[ \t]+(?:downtown[ \t]+|main[ \t]+)?(?i:clinic|office|branch|hospital|medical[ \t]+center|med[ \t]+center|campus"
    r"|general|memorial|health|cancer[ \t]+center|med)\b)?"
)


# The last word of a place's name that says what kind of place it is: no everyday phrase ends in it
# after a word of the gazetteer ("brown county", "garden city", "new york city", "grant parish").
_ADMINISTRATIVE = regex.compile(r".+[ \t](?:county|city|parish|township|borough|municipality|census[ \t]area)")


def _everyday(place: str) -> bool:
    """A place name that is also an everyday word ("mobile", "normal"), not only a person's name
    ("houston"), nor a name that ends in the kind of place it is ("brown county", "new york city")."""
    if _ADMINISTRATIVE.fullmatch(place):
        return False
    return place in ambiguous_places() or is_common(place)


def _ambiguous(place: str) -> bool:
    """A place name that is also an everyday word or a person's name ("Mobile", "Normal", "Jackson")."""
    from recognizers.lexicon import surnames

    return place in ambiguous_places() or place in first_names() or place in surnames() or is_common(place)
