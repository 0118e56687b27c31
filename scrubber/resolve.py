"""From raw recognizer results to the spans that are hidden.

Steps, in order: keep the policy's entity types at or above their thresholds;
drop allow-listed terms that no cue backs ("Parkinson" alone, not "Dr. Parkinson");
merge overlapping results so that the union of every detected character is hidden
(never a fragment of a longer span), a name, place or street that cuts a word taking the whole word
(:func:`whole_words`); map offsets back to the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import regex

from recognizers.document import Span
from scrubber.normalize import NormalizedText


# The project's one span type (recognizers/document.py). ``Candidate`` is its former name here,
# kept so that ``from scrubber.resolve import Candidate`` goes on working: the same class.
Candidate = Span


@dataclass(frozen=True, slots=True)
class Dropped:
    """A recognizer result that :func:`filter_candidates` did not keep, and why (no text).

    ``reason`` is ``"entity"`` (the policy does not hide this type), ``"threshold"`` (its
    score is below ``threshold``) or ``"allow-list"`` (the value is an allow-listed term
    and its recognizer is not one that is backed by a cue). Offsets are in the original text.
    """

    start: int
    end: int
    entity_type: str
    score: float
    recognizer: str
    reason: str
    threshold: float | None = None

    def to_dict(self) -> dict:
        return {"entity_type": self.entity_type, "start": self.start, "end": self.end, "score": round(self.score, 4),
                "recognizer": self.recognizer, "reason": self.reason,
                **({"threshold": self.threshold} if self.threshold is not None else {})}


def filter_candidates(
    view: NormalizedText,
    candidates: Iterable[Span],
    *,
    entities: frozenset[str],
    thresholds: dict[str, float],
    default_threshold: float,
    allowed: Callable[[str], bool],
    cued: frozenset[str],
    cue_placed: frozenset[str] = frozenset(),
    dropped: list[Dropped] | None = None,
) -> list[Span]:
    """Apply entity selection, thresholds and the allow-list.

    With ``dropped`` (a list), every candidate not kept is appended to it with its reason
    (``scrubber show`` explains findings so); what is kept does not depend on it.
    """
    kept = []
    for c in candidates:
        reason, limit = None, None
        if c.entity_type not in entities:
            reason = "entity"
        elif c.score < (limit := thresholds.get(c.entity_type, default_threshold)):
            reason = "threshold"
        elif c.recognizer not in cued and (
            allowed(view.text[c.start : c.end]) or (c.recognizer not in cue_placed and _in_allowed_phrase(view.text, c))
        ):
            reason, limit = "allow-list", None
        else:
            kept.append(c)
            continue
        if dropped is not None:
            start, end = view.to_original(c.start, c.end)
            dropped.append(Dropped(start, end, c.entity_type, c.score, c.recognizer, reason, limit if reason == "threshold" else None))
    return kept


def _in_allowed_phrase(text: str, span: Span) -> bool:
    """A name or place span inside an allow-listed phrase: "Braxton Hicks" or "Hicks" in "Braxton Hicks
    contractions", "Glasgow" in "Glasgow Coma Scale" (whichever rule found it: the phrase is the
    evidence, not the rule). A rule whose cue places the finding ("Dr. Glasgow", "seen by Stevens",
    "transferred from Duke": ``cue_placed``) is not asked."""
    if span.entity_type not in _WORD_TYPES:
        return False
    from recognizers.lexicon import in_allowed_phrase

    return in_allowed_phrase(text, span.start, span.end)


# Types whose operator keeps part of the value (Safe Harbor's ZIP prefix): a merged span that holds
# more than the ZIP code takes the other type, so the operator never reads digits of a street.
_OWN_EXTENT_TYPES = frozenset(("ZIP_CODE",))


# Types named in words: a span of one of them that ends or starts inside a word takes the whole word.
_WORD_TYPES = frozenset(("PERSON", "LOCATION", "HOSPITAL", "STREET_ADDRESS"))
# A letter of a script that separates its words with spaces (not Han, kana, Thai, Lao, Khmer, Myanmar:
# there a run of letters is a clause, not a word).
_LETTER = regex.compile(r"(?![\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}])\p{L}")
_LETTERS_BEFORE = regex.compile(rf"(?r)(?:{_LETTER.pattern})+")  # searched backwards from the span
_LETTERS_AFTER = regex.compile(rf"(?:{_LETTER.pattern})+")


def whole_words(text: str, spans: Iterable[Span]) -> list[Span]:
    """Each span of a name, place or street that cuts a word takes the whole word: a rule that reads
    only some letters ("tj" of "tjæreborg", where a pattern knew no "æ") does not leave the rest of the
    word visible. Words are runs of letters: an apostrophe or a hyphen ends one ("O'" of "O'Brien"
    stays outside a span of "Brien").

    Example:
        >>> text = "moved here from tjæreborg"
        >>> [text[s.start:s.end] for s in whole_words(text, [Span(16, 18, "LOCATION", 0.5, "r")])]
        ['tjæreborg']
    """
    out = []
    for span in spans:
        start, end = span.start, span.end
        if span.entity_type in _WORD_TYPES and start < end:
            if start > 0 and _LETTER.match(text[start - 1]) and _LETTER.match(text[start]):
                start = _LETTERS_BEFORE.match(text, 0, start).start()  # backwards: as long as the word, not the text
            if end < len(text) and _LETTER.match(text[end - 1]) and _LETTER.match(text[end]):
                end = _LETTERS_AFTER.match(text, end).end()
        out.append(span if (start, end) == (span.start, span.end) else Span(start, end, span.entity_type, span.score, span.recognizer))
    return out


def merge(candidates: Iterable[Span]) -> list[Span]:
    """Merge overlapping candidates into their union; the best-scoring one names the type, except
    that a ZIP code merged with another type gives way to it.

    Example:
        >>> merge([Span(0, 4, "PERSON", 0.6, "a"), Span(2, 9, "DATE", 0.9, "b")])
        [Span(start=0, end=9, entity_type='DATE', score=0.9, recognizer='b')]
        >>> merge([Span(0, 38, "STREET_ADDRESS", 0.7, "a"), Span(33, 38, "ZIP_CODE", 0.9, "b")])
        [Span(start=0, end=38, entity_type='STREET_ADDRESS', score=0.7, recognizer='a')]
    """
    ordered = sorted(candidates, key=lambda c: (c.start, -c.end))
    merged: list[Span] = []
    for c in ordered:
        if merged and c.start < merged[-1].end:
            last = merged[-1]
            best = max((last, c), key=lambda x: (x.score, x.end - x.start))
            other = c if best is last else last
            if best.entity_type in _OWN_EXTENT_TYPES and other.entity_type != best.entity_type and (
                other.start < best.start or other.end > best.end
            ):
                best = other  # "52 Linden Terrace, MA 02719" is an address, not a ZIP code
            merged[-1] = Span(last.start, max(last.end, c.end), best.entity_type, best.score, best.recognizer)
        else:
            merged.append(c)
    return merged


def to_original(view: NormalizedText, spans: Iterable[Span]) -> list[Span]:
    """Map detection-view spans back to original offsets (then re-merge: mapping can make spans touch)."""
    mapped = []
    for c in spans:
        start, end = view.to_original(c.start, c.end)
        mapped.append(Span(start, end, c.entity_type, c.score, c.recognizer))
    return merge(mapped)


_PROPAGATED = ("PERSON", "LOCATION", "HOSPITAL")
_NAME_WORD = regex.compile(r"[^\W\d_][\w'’-]*[^\W\d_]")
_POSSESSIVE = regex.compile(r"['’]s$")
_POSSESSIVE_AFTER = regex.compile(r"['’][sS](?![\p{L}\d])")  # a place's "'s" is part of its name

# A word shaped like an English verb form: no surname unless the census lists it ("verbalizes", "ambulated").
_VERB_FORM = regex.compile(r"(?:ed|ing|izes|ises|ates)$")

# After a name: an optional middle initial, then one more word on the same line.
_NAME_TAIL = regex.compile(r"(?:[ \t]+(?P<initial>\p{L}\.?))?[ \t]+(?P<word>\p{L}[\p{L}'’-]*\p{L})")


def extend_names(text: str, candidates: list[Span]) -> list[Span]:
    """Carry a found name over the surname that follows it: "barbara j. parrilli", "patty hoeller", or
    over the initial of its surname ("robert b.", "MARY S.");
    and a found place over its "'s", part of its name ("ST MARY'S"; a person's "'s" stays outside).

    The next word (after an optional middle initial) joins the name when it cannot be an
    everyday word: not a common or English word (a census surname that is a rare English
    word is fine), not shaped like a verb form ("-ed", "-ing", "-izes", "-ates") unless the
    census lists it, written in the name's own case. In mixed-case text a capitalised census
    surname after a first name joins whatever else it means ("Bruce Ward"), unless it is a
    stop word.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    from recognizers.lexicon import english_words, first_names, is_allowed, is_common, surnames, zipf
    from recognizers.names.common import INITIAL_AFTER, initial_in_case
    from recognizers.names.widen import widen_name

    out: list[Span] = []
    for c in candidates:
        if c.entity_type == "PERSON":
            m = _NAME_TAIL.match(text, c.end, min(len(text), c.end + 60))
            if m is not None:
                word = m.group("word")
                bare = regex.sub(r"['’]s$", "", word)
                folded = bare.casefold()
                last = text[c.start : c.end].split()[-1]
                if last.islower():
                    same_case = bare.islower()
                elif last.isupper():
                    same_case = bare.isupper()
                else:  # "Frances Giggey", not "Freq CPT"
                    same_case = bare[:1].isupper() and not bare.isupper()
                surname = folded in surnames() and zipf(folded) < 3.0  # "Parrilli", not "Rounds"
                parts = folded.split("-")
                if len(parts) > 1 and any(is_common(p) or p in english_words() for p in parts):
                    surname, folded = False, "-"  # "AWARE-WILL", "BY-STARTED": run-together words
                # in mixed case a capitalised census surname right after a name is its surname,
                # whatever else the word means ("Bruce Ward", "Nicole Miller"); stop words never are
                capital_surname = (
                    not last.islower() and not last.isupper() and same_case and folded in surnames()
                    and folded not in STOP_WORDS and not is_allowed(bare)
                    and last.casefold() in first_names()  # a first name, then its surname: not "Patel Rounds"
                )
                if capital_surname or (
                    same_case and len(bare) >= 3 and not is_common(bare) and not is_allowed(bare)
                    and folded != "-" and (folded not in english_words() or surname)
                    and (surname or not _VERB_FORM.search(folded))  # "nasiadka verbalizes", "kowal tolerating"
                ):
                    c = Span(c.start, m.end("word"), c.entity_type, c.score, c.recognizer)
            if (initial := INITIAL_AFTER.match(text, c.end)) is not None and initial_in_case(text[c.start : c.end], initial.group(1)):
                c = Span(c.start, initial.end(), c.entity_type, c.score, c.recognizer)  # "robert b.", "MARY S."
            (start, end), *others = widen_name(text, c.start, c.end)
            c = Span(start, end, c.entity_type, c.score, c.recognizer)
            out.extend(Span(s, e, c.entity_type, c.score, c.recognizer) for s, e in others)
        if c.entity_type in ("LOCATION", "HOSPITAL") and (possessive := _POSSESSIVE_AFTER.match(text, c.end)) is not None:
            c = Span(c.start, possessive.end(), c.entity_type, c.score, c.recognizer)  # "ST MARY" + "'S": part of its name
        out.append(c)
    return merge(out)


_WORD_BEFORE = regex.compile(r"[\w'’-]")  # a character that joins the one before an occurrence to a longer word
_WORD_AFTER = regex.compile(r"(?i:['’]s)?(?![\w-])")  # an occurrence ends its word, or a possessive follows


def occurrences(text: str, words: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    r"""The ``(start, end, word)`` of every whole-word occurrence of ``words`` in ``text``, in any case
    and with a possessive after it (not part of the span), leftmost first and never overlapping, the
    longest word first where two start at one place; ``word`` is the one of ``words`` found there.

    It is the expression ``(?i)(?<![\w'’-])(w1|w2|...)(?:['’]s)?(?![\w-])`` (longest word first),
    whose compilation costs about a millisecond a document; an ASCII text and ASCII words are
    searched word by word in the lower-cased text instead (the same answer: a test compares the two
    on random texts).

    Example:
        >>> text = "Seen by Dr. Masci. MASCI's wife; masci-jones; Masci"
        >>> [(text[s:e], w) for s, e, w in occurrences(text, ["masci"])]
        [('Masci', 'masci'), ('MASCI', 'masci'), ('Masci', 'masci')]
    """
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    if not ordered:
        return
    if not (text.isascii() and all(w.isascii() for w in ordered)):  # "yılmaz" matches "YILMAZ" in any case
        rx = regex.compile(r"(?i)(?<![\w'’-])(" + "|".join(regex.escape(w) for w in ordered) + r")(?:['’]s)?(?![\w-])")
        from recognizers.base import time_budget

        for m in rx.finditer(text, timeout=time_budget(text)):  # the whole document: a budget that grows with it
            found = m.group(1)  # which word: the first, longest first, that matches it in any case, as the expression chose
            word = next(w for w in ordered if regex.fullmatch(r"(?i)" + regex.escape(w), found))
            yield m.start(1), m.end(1), word
        return
    lowered = text.lower()  # ASCII: one character for one, as the expression's case folding matches them
    hits: list[tuple[int, int, int, int, str]] = []  # (start, rank of the word: longest first, end, end with the possessive, word)
    for rank, word in enumerate(ordered):
        needle = word.lower()
        start = lowered.find(needle)
        while start >= 0:
            end = start + len(needle)
            if not (start and _WORD_BEFORE.match(text, start - 1)) and (after := _WORD_AFTER.match(text, end)) is not None:
                hits.append((start, rank, end, after.end(), word))
            start = lowered.find(needle, start + 1)
    last = 0
    for start, _rank, end, stop, word in sorted(hits):
        if start >= last:  # the expression goes on after the end of its last match
            yield start, end, word
            last = stop


_WORD_BEFORE_OCCURRENCE = regex.compile(r"(?r)([\p{L}\p{N}'’]+)[ \t]*\Z")  # searched backwards from an occurrence


def _after_function_word(text: str, start: int) -> bool:
    """The word right before ``start`` (same line) is a function word or a number: "the bill", "i will",
    "to mark", "we hope", "2 pat": the everyday sense of a word that is also a first name."""
    from spacy.lang.en.stop_words import STOP_WORDS

    before = _WORD_BEFORE_OCCURRENCE.search(text, max(0, start - 40), start)
    return before is not None and (before.group(1).casefold() in STOP_WORDS or before.group(1).isdigit())


def propagate(
    text: str, kept: list[Span], *, name_word: Callable[[str], bool], guarded_word: Callable[[str], bool] | None = None
) -> list[Span]:
    """Every other occurrence of a confidently found name word or identifier in the same document.

    Names and places propagate word by word, in any case and with a possessive
    ("Masci" -> "MASCI", "masci's"); identifiers propagate as exact strings.
    ``name_word`` decides which words are specific enough to propagate everywhere; a word that is not
    but that ``guarded_word`` accepts (a first name that is also a dictionary word: "billy", "grace",
    "will") propagates only where no function word or number stands right before it ("hi billy ...
    what does that mean billy so": hidden; "the billy can", "i will", "by grace of": kept).
    """
    words: dict[str, str] = {}
    guarded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for c in kept:
        if c.score < 0.7:
            continue
        value = text[c.start : c.end]
        if c.entity_type in _PROPAGATED:
            for word in _NAME_WORD.findall(value):
                word = _POSSESSIVE.sub("", word)
                if len(word) >= 3 and name_word(word):
                    words.setdefault(word.casefold(), c.entity_type)
                elif len(word) >= 3 and guarded_word is not None and guarded_word(word):
                    guarded.setdefault(word.casefold(), c.entity_type)
        elif any(ch.isdigit() for ch in value) and len(value) >= 5:
            exact.setdefault(value, c.entity_type)
    found: list[Span] = []
    guarded = {word: entity for word, entity in guarded.items() if word not in words}
    if words or guarded:
        from recognizers.lexicon import EPONYM_NOUN, in_allowed_phrase

        for start, end, word in occurrences(text, [*words, *guarded]):
            if EPONYM_NOUN.match(text[end : end + 30]) or in_allowed_phrase(text, start, end):
                continue  # "Dr. Graves" is a name, "Graves' disease" stays
            if word in guarded and _after_function_word(text, start):
                continue  # "the bill", "i will": the everyday word
            found.append(Span(start, end, words.get(word) or guarded[word], 0.7, "propagation"))
    for value, entity in exact.items():
        start = text.find(value)
        while start >= 0:
            found.append(Span(start, start + len(value), entity, 0.7, "propagation"))
            start = text.find(value, start + 1)
    return found


_PLACE_TYPES = frozenset(("LOCATION", "HOSPITAL", "STREET_ADDRESS"))  # not ZIP codes: Safe Harbor keeps their prefix
_PLACE_JOINER = regex.compile(r"[ \t]*,[ \t]*|[ \t]+(?:in|at|of)[ \t]+|[ \t]+")


def join_places(text: str, spans: list[Span]) -> list[Span]:
    """Join place findings separated only by a comma, "in" or a space into one span.

    "Johns Hopkins Hospital, Baltimore" and "Mayo Clinic in Rochester, MN" are one
    location phrase; hiding the comma between them hides nothing of value and keeps
    the structure of the address from showing through.
    """
    joined: list[Span] = []
    for c in spans:
        if joined:
            last = joined[-1]
            gap = text[last.end : c.start]
            if last.entity_type in _PLACE_TYPES and c.entity_type in _PLACE_TYPES and _PLACE_JOINER.fullmatch(gap):
                best = max((last, c), key=lambda x: x.score)
                joined[-1] = Span(last.start, c.end, last.entity_type, best.score, best.recognizer)
                continue
        joined.append(c)
    return joined
