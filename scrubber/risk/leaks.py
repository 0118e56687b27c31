"""The leak scan: an independent second look for identifiers left in scrubbed output.

The project's recognizers at low thresholds (everything they see above
:data:`LOW_THRESHOLD`, before the primary pass's allow rules), plus detectors the primary
pass does not use: a first-name/surname lexicon from Faker's locale data (a different
source than the census lists the primary pass uses), capitalised tokens after person cues,
digit-run and date-shape sweeps. The run's own replacements are excluded: tags, masks,
keyed hashes, and every span the audit log lists as a replacement (surrogates, shifted dates).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from scrubber.risk.values import Leak


LOW_THRESHOLD = 0.3  # the recognizers' pass keeps everything scored at least this


# Confidence of each detector's suspicion. Set from the detectors' measured precision on
# the dev corpora's full-policy outputs (see README "Before you publish"), rounded.
CONFIDENCE = {
    "recognizers": 0.6,  # our recognizers above their policy threshold, missed by the run
    "recognizers_low": 0.3,  # our recognizers between LOW_THRESHOLD and the policy threshold
    "name_lexicon": 0.25,  # a word in Faker's name lists, not a common word
    "name_pair": 0.65,  # two adjacent name-list words ("Maria Lopez")
    "person_cue": 0.7,  # a capitalised word right after a person cue ("Dr.", "husband")
    "digit_run": 0.5,  # 6+ digits (separators allowed) that are not a number of the note
    "phone_shape": 0.8,
    "date_full": 0.8,  # 7/22/2019, 2019-07-22
    "date_words": 0.6,  # July 22nd, 22 Jul
    "date_partial": 0.05,  # 7/22 with no date word before it: scores and ratios ("7/10", "APGAR 8/9"); measured precision 0 of 110
    "date_partial_cued": 0.6,  # "on 7/22", "since 7/22"
    "email_shape": 0.9,
}


_MARKERS = re.compile(
    r"\[[A-Z][A-Z_]*\]"  # tags
    r"|\b[A-Z][A-Z_]*_[0-9a-f]{8,}\b"  # keyed hashes
    r"|\*{2,}|#{3,}"  # masks
    r"|\b90\+"  # Safe Harbor ages
)
_NAME_CUE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?|\b(?:husband|wife|son|daughter|mother|father|brother|sister|"
    r"niece|nephew|grandson|granddaughter|partner|friend|seen by|d/w|discussed with|spoke with|called|paged|"
    r"per|signed by|dictated by|attending|resident|nurse|RN|MD|patient|pt|named|name is|Name)[:,]?)\s+"
    r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{2,})\b",
)
_DIGIT_RUN = re.compile(r"(?<![\w.])(?:\d[\s\-]?){5,}\d(?![\w.])|(?<![\w.])[A-Z]{1,3}\d{5,}(?![\w.])")
_RANGE = re.compile(r"\d{1,4}\s?-\s?\d{1,4}")  # "135-145", "0700-1900", "5076-52": ranges and model numbers
_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?!\d)")
# (detector, pattern): full dates are rarely anything else; a bare "7/10" is often a score
_DATES = (
    ("date_full", re.compile(r"(?<![\d/\-.])(?:0?[1-9]|1[0-2])([/\-.])(?:0?[1-9]|[12]\d|3[01])\1(?:\d{4}|\d{2})(?![\d/\-])")),
    ("date_full", re.compile(r"(?<![\d\-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")),
    ("date_words", re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?!\s*(?:mg|mcg|ml|units?)\b)", re.IGNORECASE)),
    ("date_words", re.compile(r"\b(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b", re.IGNORECASE)),
    ("date_partial", re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\d/])")),
)
_DATE_CUE = re.compile(
    r"\b(?:on|since|from|until|till|dated?|by|before|after|through|thru|admitted|admission|discharged?|seen|"
    r"started|stopped|d/c|dc'?d|s/p|dob|born|died|expired|surgery|visit|appt|appointment|f/u|follow-up)\W{0,3}$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_WORD = re.compile(r"\b[A-Z][a-z]+(?:['\-][A-Z]?[a-z]+)?\b|\b[A-Z]{3,}\b")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august september october november december".split())


@lru_cache(maxsize=1)
def name_lexicon() -> frozenset[str]:
    """First names and surnames from Faker's offline locale data (en_US, en_GB, en_IE, es_MX)."""
    import importlib

    words: set[str] = set()
    for locale in ("en_US", "en_GB", "en_IE", "es_MX"):
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in ("first_names", "first_names_male", "first_names_female", "last_names"):
            for name in getattr(provider, attr, ()) or ():
                for part in re.split(r"[\s\-]", name):
                    if len(part) > 1:
                        words.add(part.casefold())
    return frozenset(words)


_CLINICAL_SUFFIX = re.compile(r"(?:ology|ologist|ologic|ectomy|otomy|ostomy|scopy|itis|osis|emia|oma|pathy|plasty|gram|graphy|ist|ics)$")


def _ordinary(word: str) -> bool:
    """A word that is common English, clinical vocabulary or allow-listed (not a likely name)."""
    from recognizers.lexicon import is_allowed, is_common, is_ordinary_word, zipf

    w = word.casefold()
    return (
        is_common(word) or w in _MONTHS or is_allowed(word) or zipf(w) >= 4.0
        or is_ordinary_word(word) or _CLINICAL_SUFFIX.search(w) is not None
    )


def _excluded(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


class LeakScanner:
    """The independent second pass. Build once; :meth:`scan` one output text at a time."""

    def __init__(self, *, use_recognizers: bool = True) -> None:
        self._engine = None
        if use_recognizers:
            from scrubber.engine import Scrubber
            from dataclasses import replace

            from scrubber.policy import PRESETS

            low = replace(PRESETS["tags"], name="leak-scan", default_threshold=LOW_THRESHOLD, thresholds={})
            self._engine = Scrubber(low, key=b"leak-scan-has-no-secret-here-000")
            self._policy_threshold = {e: PRESETS["tags"].threshold_for(e) for e in PRESETS["tags"].entities}

    def scan_many(self, items: list[tuple[str, str, list[tuple[int, int]]]], *, show_text: bool = False) -> list[list[Leak]]:
        """Scan ``(doc, text, replacement_spans)`` items; one list of leaks per item."""
        docs: list[Any] = [None] * len(items)
        if self._engine is not None:
            from scrubber.normalize import normalize

            views = [normalize(text) for _, text, _ in items]
            docs = list(zip(views, self._engine._pipe([v.text for v in views])))
        return [self._scan(doc_id, text, spans, docs[i], show_text) for i, (doc_id, text, spans) in enumerate(items)]

    def _scan(self, doc_id: str, text: str, replaced: list[tuple[int, int]], parsed: Any, show_text: bool) -> list[Leak]:
        excluded = list(replaced) + [(m.start(), m.end()) for m in _MARKERS.finditer(text)]
        found: dict[tuple[int, int], Leak] = {}

        def add(start: int, end: int, entity: str, detector: str, confidence: float | None = None) -> None:
            if start >= end or _excluded(excluded, start, end):
                return
            conf = CONFIDENCE[detector] if confidence is None else confidence
            key = (start, end)
            if key not in found or found[key].confidence < conf:
                found[key] = Leak(doc_id, start, end, entity, conf, detector, text[start:end] if show_text else None)

        if parsed is not None:
            view, doc = parsed
            try:
                for c in self._engine.detect(view, doc):  # type: ignore[union-attr]
                    strong = c.score >= self._policy_threshold.get(c.entity_type, 0.5)
                    add(c.start, c.end, c.entity_type, "recognizers" if strong else "recognizers_low")
            except Exception:  # noqa: BLE001 - a scan failure is reported as risk, not hidden
                add(0, len(text), "UNSCANNED", "recognizers", 1.0)
        from recognizers.lexicon import in_allowed_phrase

        lexicon = name_lexicon()
        words = list(_WORD.finditer(text))
        for i, m in enumerate(words):
            word = m.group()
            if word.casefold() not in lexicon or _ordinary(word) or in_allowed_phrase(text, m.start(), m.end()):
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and nxt.start() - m.end() == 1 and nxt.group().casefold() in lexicon and not _ordinary(nxt.group()):
                add(m.start(), nxt.end(), "PERSON", "name_pair")
            else:
                add(m.start(), m.end(), "PERSON", "name_lexicon")
        for m in _NAME_CUE.finditer(text):
            if not _ordinary(m.group(1)):
                add(m.start(1), m.end(1), "PERSON", "person_cue")
        for m in _EMAIL.finditer(text):
            add(m.start(), m.end(), "EMAIL_ADDRESS", "email_shape")
        for m in _PHONE.finditer(text):
            add(m.start(), m.end(), "PHONE_NUMBER", "phone_shape")
        for m in _DIGIT_RUN.finditer(text):
            if not _PHONE.fullmatch(m.group().strip()) and not _RANGE.fullmatch(m.group().strip()):
                add(m.start(), m.end(), "ID", "digit_run")
        for detector, pattern in _DATES:
            for m in pattern.finditer(text):
                if detector == "date_partial" and _DATE_CUE.search(text, max(0, m.start() - 24), m.start()):
                    detector = "date_partial_cued"
                add(m.start(), m.end(), "DATE", detector)
                detector = "date_partial" if detector == "date_partial_cued" else detector
        leaks = _dedupe(sorted(found.values(), key=lambda l: (l.start, -l.confidence)), text if show_text else None)
        if show_text:
            leaks = [replace(l, before=context(text, l.start, l.end)[0], after=context(text, l.start, l.end)[1]) for l in leaks]
        return leaks


@lru_cache(maxsize=1)
def default_scanner() -> LeakScanner:
    """One scanner per process (building it loads the spaCy model)."""
    return LeakScanner()


CONTEXT_WORDS = 4  # words shown on each side of a suspected leak with show_text


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """A few words of ``text`` before and after ``start:end``, whitespace folded, ``…`` where cut.

    Example:
        >>> context("Seen today by Dr. Quill at the clinic on Monday morning.", 18, 23, 3)
        ('… today by Dr. ', ' at the clinic…')
    """
    head, tail = text[max(0, start - 120) : start], text[end : end + 120]
    before_words, after_words = head.split(), tail.split()
    before = " ".join(before_words[-words:]) + (" " if head[-1:].isspace() else "")
    after = (" " if tail[:1].isspace() else "") + " ".join(after_words[:words])
    if len(before_words) > words or start > 120:
        before = "… " + before if before.strip() else before
    if len(after_words) > words or end + 120 < len(text):
        after = after + "…"
    return before if before.strip() else "", after if after.strip() else ""


def _dedupe(leaks: list[Leak], text: str | None) -> list[Leak]:
    """Overlapping suspicions become one: the most confident, widened to cover both."""
    out: list[Leak] = []
    for leak in leaks:
        if out and leak.start < out[-1].end:
            prev = out[-1]
            best = prev if prev.confidence >= leak.confidence else leak
            start, end = prev.start, max(prev.end, leak.end)
            shown = None if text is None else text[start:end]
            out[-1] = Leak(best.doc, start, end, best.entity_type, max(prev.confidence, leak.confidence), best.detector, shown)
        else:
            out.append(leak)
    return out
