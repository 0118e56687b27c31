"""Residual-risk scoring of scrubbed output: leak scan, quasi-identifiers, k-anonymity, score.

This is a second, independent look at what a run *wrote*. It never needs the
original text:

* **Leak scan** (:func:`scan_leaks`): the project's recognizers at low thresholds
  (everything they see above :data:`LOW_THRESHOLD`, before the primary pass's allow
  rules), plus detectors the primary pass does not use: a first-name/surname lexicon
  from Faker's locale data (a different source than the census lists the primary pass
  uses), capitalised tokens after person cues, digit-run and date-shape sweeps. The
  run's own replacements are excluded: tags, masks, keyed hashes, and every span the
  audit log lists as a replacement (surrogates, shifted dates).
* **Quasi-identifiers** (:func:`quasi_identifiers`): what survives per document (age
  band, sex, years, three-digit ZIP, state, race/ethnicity terms, occupation, rare
  events), grouped per patient where a patient field is given. Equivalence classes over
  the dataset give k-anonymity, the share of records in classes smaller than k,
  prosecutor risk and average risk as ARX defines them.
* **Calibrated residual estimate**: with per-type recall from ``scrubber evaluate
  --json``, the expected number of identifiers the scrubber missed. For a type with
  ``n`` findings in the audit log and measured recall ``r``, the expected total is
  ``n / r`` and the expected misses ``n (1 - r) / r`` (a ratio estimator: it assumes
  the evaluated corpus is representative of this dataset).
* **Risk score** (per document, then the dataset mean): the probability that a
  document still holds at least one direct identifier,
  ``1 - (1 - p_leak) * exp(-lambda)``, where ``p_leak = 1 - prod(1 - c_i)`` over the
  suspected leaks' confidences and ``lambda`` the document's expected misses from the
  calibrated estimate (0 without an evaluation file). Re-identification through
  quasi-identifiers is reported beside it (``reidentification`` = 1 / class size) and
  gated separately by k, because class sizes depend on the dataset's size, not on
  what the scrubber missed.

Machine-readable results carry document ids, offsets, types, confidences and
detector names; the suspected text only when ``show_text=True`` (local review).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator

from scrubber.errors import ScrubberError
from scrubber.io.readers import SUFFIXES, InputFile, ReadOptions, discover, read

LOW_THRESHOLD = 0.3  # the recognizers' pass keeps everything scored at least this
LIKELY = 0.5  # suspected leaks at or above this confidence count as "likely leaks"
LOWER_BOUND_NOTE = (
    "a lower bound: the leak scan shares the scrubber's blind spots (ALL-CAPS names, names split across lines, "
    "spelled-out e-mails ...), so 0 leaks does not mean none are left"
)
DEFAULT_K = 5
QI_FIELDS = ("age", "sex", "year", "zip3", "state", "ethnicity", "occupation", "rare")

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


# -- values -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leak:
    """A suspected identifier in the output (offsets index the output text)."""

    doc: str
    start: int
    end: int
    entity_type: str
    confidence: float
    detector: str
    text: str | None = None  # only with show_text=True
    before: str | None = None  # only with show_text=True: a few words of the output before the leak
    after: str | None = None  # ... and after it

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k not in ("text", "before", "after") or v is not None}
        d["confidence"] = round(self.confidence, 3)
        return d


@dataclass
class DocumentRisk:
    """One output document's risk and its components."""

    doc: str
    output: str
    index: int
    chars: int
    leaks: list[Leak] = field(default_factory=list)
    quasi: dict[str, Any] = field(default_factory=dict)
    findings: Counter = field(default_factory=Counter)  # from the audit log, per type
    expected_missed: float = 0.0
    class_size: int = 0
    patient: str | None = None

    @property
    def p_leak(self) -> float:
        p = 1.0
        for leak in self.leaks:
            p *= 1.0 - leak.confidence
        return 1.0 - p

    @property
    def score(self) -> float:
        return 1.0 - (1.0 - self.p_leak) * math.exp(-self.expected_missed)

    @property
    def reidentification(self) -> float:
        return 1.0 / self.class_size if self.class_size else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "output": self.output,
            "index": self.index,
            "patient_scoped": self.patient is not None,
            "chars": self.chars,
            "score": round(self.score, 4),
            "components": {
                "leak": round(self.p_leak, 4),
                "residual_expected_missed": round(self.expected_missed, 4),
                "reidentification": round(self.reidentification, 4),
            },
            "likely_leaks": sum(1 for l in self.leaks if l.confidence >= LIKELY),
            "leaks": [l.to_dict() for l in self.leaks],
            "quasi_identifiers": self.quasi,
            "class_size": self.class_size,
        }


@dataclass
class Assessment:
    """The result of :func:`assess` (``to_dict()`` is the JSON report)."""

    documents: list[DocumentRisk]
    k: int
    qi_fields: tuple[str, ...]
    classes: dict[tuple, int]
    residual: dict[str, Any] | None
    audit: dict[str, Any] | None
    sources: list[str]
    assessed_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))

    # -- dataset figures ---------------------------------------------------------------
    @property
    def records(self) -> int:
        return len({self._unit(d) for d in self.documents})

    def _unit(self, d: DocumentRisk) -> str:
        return d.patient if d.patient is not None else f"doc:{d.doc}"

    @property
    def k_anonymity(self) -> int:
        return min(self.classes.values()) if self.classes else 0

    @property
    def share_below_k(self) -> float:
        small = sum(size for size in self.classes.values() if size < self.k)
        total = sum(self.classes.values())
        return small / total if total else 0.0

    @property
    def prosecutor_risk(self) -> float:
        return 1.0 / self.k_anonymity if self.k_anonymity else 0.0

    @property
    def average_risk(self) -> float:
        total = sum(self.classes.values())
        return len(self.classes) / total if total else 0.0

    @property
    def score(self) -> float:
        return sum(d.score for d in self.documents) / len(self.documents) if self.documents else 0.0

    @property
    def leaks(self) -> list[Leak]:
        return [l for d in self.documents for l in d.leaks]

    @property
    def likely_leaks(self) -> list[Leak]:
        return [l for l in self.leaks if l.confidence >= LIKELY]

    def to_dict(self, *, documents: bool = True) -> dict[str, Any]:
        by_type = Counter(l.entity_type for l in self.leaks)
        likely_by_type = Counter(l.entity_type for l in self.likely_leaks)
        sizes = Counter(self.classes.values())
        out: dict[str, Any] = {
            "schema": 1,
            "assessed_at": self.assessed_at,
            "sources": self.sources,
            "dataset": {
                "documents": len(self.documents),
                "records": self.records,
                "characters": sum(d.chars for d in self.documents),
                "score": round(self.score, 4),
                "score_definition": "mean over documents of P(document still holds a direct identifier) = 1 - (1 - p_leak) * exp(-expected_missed)",
                "max_document_score": round(max((d.score for d in self.documents), default=0.0), 4),
                "leaks": {"suspected": len(self.leaks), "likely": len(self.likely_leaks), "likely_threshold": LIKELY,
                          "by_type": dict(sorted(by_type.items())), "likely_by_type": dict(sorted(likely_by_type.items())),
                          "documents_with_likely_leaks": sum(1 for d in self.documents if any(l.confidence >= LIKELY for l in d.leaks)),
                          "lower_bound": True, "note": LOWER_BOUND_NOTE},
                # without --evaluation the score counts only what the scan found: a lower bound too
                "score_is_lower_bound": self.residual is None,
                "quasi_identifiers": {
                    "fields": list(self.qi_fields),
                    "unit": "patient" if any(d.patient is not None for d in self.documents) else "document",
                    "k": self.k,
                    "k_anonymity": self.k_anonymity,
                    "share_below_k": round(self.share_below_k, 4),
                    "prosecutor_risk": round(self.prosecutor_risk, 4),
                    "average_risk": round(self.average_risk, 4),
                    "classes": len(self.classes),
                    "class_size_histogram": {str(s): n for s, n in sorted(sizes.items())},
                    "coverage": {f: sum(1 for d in self.documents if d.quasi.get(f)) for f in self.qi_fields},
                },
                "residual": self.residual,
                "findings_by_type": dict(sorted(sum((d.findings for d in self.documents), Counter()).items())),
            },
            "audit": self.audit,
        }
        if documents:
            out["documents"] = [d.to_dict() for d in self.documents]
        return out


# -- reading the dataset ------------------------------------------------------------------
def _audit_path(paths: list[Path]) -> Path | None:
    for path in paths:
        candidate = path / "audit.jsonl" if path.is_dir() else path.parent / "audit.jsonl"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class AuditIndex:
    """What the leak scan and the provenance check need from an audit log."""

    path: Path
    run: dict[str, Any]
    documents: dict[tuple[str, int], str]  # (output, index) -> doc id
    replacements: dict[str, list[tuple[int, int]]]  # doc -> output spans of replacements
    findings: dict[str, Counter]  # doc -> findings per type
    quarantined: int
    lines: int


def load_audit(path: Path) -> AuditIndex:
    """Read and verify an audit log (hash chain, one closing run record).

    Raises:
        ScrubberError: E501 broken chain or not JSON, E502 no run record.
    """
    from scrubber.audit import read_audit

    documents: dict[tuple[str, int], str] = {}
    replacements: dict[str, list[tuple[int, int]]] = defaultdict(list)
    findings: dict[str, Counter] = defaultdict(Counter)
    run: dict[str, Any] | None = None
    quarantined = lines = 0
    try:
        for line in read_audit(path):
            lines += 1
            kind = line.get("kind")
            if run is not None:
                raise ScrubberError("E502", f"{path}: lines after the run record", "use the audit log exactly as the scrub run wrote it")
            if kind == "document":
                documents[(line["output"], int(line["index"]))] = line["doc"]
            elif kind == "finding":
                findings[line["doc"]][line["entity_type"]] += 1
                if line.get("out_start") is not None:
                    replacements[line["doc"]].append((int(line["out_start"]), int(line["out_end"])))
            elif kind == "quarantine":
                quarantined += 1
            elif kind == "run":
                run = line
    except ValueError as exc:
        code, _, detail = str(exc).partition(" ")
        raise ScrubberError(code, detail, "the audit log was edited, truncated or reordered: re-run the scrub, or restore the original log") from None
    except OSError as exc:
        raise ScrubberError("E503", f"cannot read audit log {path} ({exc.strerror})", "pass --audit PATH") from None
    if run is None:
        raise ScrubberError("E502", f"{path}: no run record (the run did not finish, or lines were removed)", "re-run the scrub to completion")
    return AuditIndex(path, run, documents, dict(replacements), dict(findings), quarantined, lines)


def dataset_files(paths: list[Path], audit: AuditIndex | None) -> list[InputFile]:
    """The output files to score: a scrub output folder's audited outputs, or the given files.

    A folder with an audit log contributes the outputs its run record lists (any format);
    other folders contribute their ``.txt`` files, like ``scrub``.
    """
    files: list[InputFile] = []
    for path in paths:
        if path.is_dir() and audit is not None and audit.path.parent.resolve() == path.resolve():
            for relative in sorted(audit.run.get("outputs", {})):
                fmt = SUFFIXES.get(Path(relative).suffix.lower(), "txt")
                files.append(InputFile(path / relative, Path(relative), fmt))
        else:
            found = discover([str(path)])
            if audit is not None and path.is_file() and path.parent.resolve() == audit.path.parent.resolve():
                found = [InputFile(f.path, f.path.relative_to(path.parent), f.format) for f in found]  # type: ignore[union-attr]
            files.extend(found)
    return files


# -- leak scan -------------------------------------------------------------------------------
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
        from recognizers.lexicon import starts_allowed_phrase

        lexicon = name_lexicon()
        words = list(_WORD.finditer(text))
        for i, m in enumerate(words):
            word = m.group()
            if word.casefold() not in lexicon or _ordinary(word) or starts_allowed_phrase(text, m.start()):
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


# -- quasi-identifiers -------------------------------------------------------------------------
_AGE = re.compile(
    r"\b(\d{1,3})\s*(?:-|\s)?\s*(?:year|yr)s?(?:\s*|-)old\b|\b(\d{1,3})\s*(?:y/?o|yo|y\.o\.)\b"
    r"|\bage[d:]?\s+(\d{1,3})\b|\b(\d{1,3})\s*(?:M|F)\b(?=[\s,.])|(\b90\+)",
    re.IGNORECASE,
)
_MALE = re.compile(r"\b(?:he|him|his|male|man|gentleman|boy|mr\.?)\b", re.IGNORECASE)
_FEMALE = re.compile(r"\b(?:she|her|hers|female|woman|lady|girl|mrs\.?|ms\.?)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<![\d/\-.])(19\d{2}|20\d{2})(?![\d/\-]|\.\d)")
_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY",
}
_STATE_NAME = re.compile(r"\b(" + "|".join(sorted((s.title() for s in _STATES), key=len, reverse=True)) + r")\b")
# An abbreviation only where addresses put it (", MA 021" / ", MA."), never "IN" or "OR" in prose.
_STATE_ABBR = re.compile(r",\s*(" + "|".join(sorted(set(_STATES.values()))) + r")\b(?:\s+(\d{3})(?:\d{2})?\b)?")
_ZIP = re.compile(r"\b(?:zip(?:\s*code)?|postal code)[:\s]+(\d{3})(?:\d{2})?\b", re.IGNORECASE)
_ETHNICITY = re.compile(
    r"\b(caucasian|african[\s-]american|hispanic|latino|latina|latinx|asian(?:[\s-]american)?|native american|"
    r"american indian|alaska native|pacific islander|native hawaiian|middle eastern|arab|jewish|ashkenazi|"
    r"chinese|vietnamese|korean|japanese|filipino|haitian|somali|ethiopian|puerto rican|mexican|cuban|dominican)\b"
    r"|\b(white|black)\s+(?:male|female|man|woman|gentleman|lady|patient|pt)\b"
    r"|\b(?:race|ethnicity)\s*[:\-]\s*([A-Za-z][A-Za-z \-]{2,30}?)(?=[,.;\n]|$)",
    re.IGNORECASE,
)
_OCCUPATIONS = (
    "nurse|teacher|professor|firefighter|police officer|officer|engineer|farmer|physician|doctor|lawyer|attorney|"
    "carpenter|electrician|plumber|truck driver|driver|mechanic|pilot|construction worker|accountant|secretary|"
    "chef|cook|waiter|waitress|cashier|janitor|custodian|soldier|marine|veteran|miner|fisherman|pharmacist|"
    "dentist|student|musician|artist|writer|journalist|banker|salesman|manager|clerk|librarian|priest|pastor|"
    "minister|rabbi|judge|politician|athlete|coach|hairdresser|barber|welder|painter|roofer|landscaper|"
    "bartender|homemaker|housewife|retiree|programmer|scientist|architect|dancer|actor|actress|model|"
    "machinist|longshoreman|logger|rancher|social worker|paramedic|emt|dispatcher|contractor"
)
_OCCUPATION = re.compile(
    rf"\b(?:works?|worked|working|employed|employment|occupation|job)\s+(?:as\s+)?(?:an?\s+)?(?:[:\-]\s*)?(?:\w+\s+)?({_OCCUPATIONS})\b"
    rf"|\b(?:retired|former|is an?|was an?)\s+(?:\w+\s+)?({_OCCUPATIONS})\b"
    rf"|\boccupation\s*[:\-]\s*([A-Za-z][A-Za-z \-]{{2,30}}?)(?=[,.;\n]|$)",
    re.IGNORECASE,
)
_RARE = re.compile(
    r"\b(gunshot wound|gsw|stab wound|lightning|shark|bear attack|dog attack|plane crash|helicopter crash|"
    r"motorcycle accident|house fire|explosion|drowning|triplets|quadruplets|quintuplets|conjoined|"
    r"incarcerated|inmate|prison|homeless|famous|celebrity|olympic|professional athlete|"
    r"heart transplant|lung transplant|liver transplant|face transplant|hand transplant|"
    r"progeria|rabies|plague|anthrax|ebola|leprosy)\b",
    re.IGNORECASE,
)


def _age_band(age: int) -> str:
    if age >= 90:
        return "90+"
    return f"{age // 10 * 10}-{age // 10 * 10 + 9}"


def quasi_identifiers(text: str) -> dict[str, Any]:
    """Quasi-identifiers that survive in one output text (generalised: bands, ZIP3, state)."""
    qi: dict[str, Any] = {}
    for m in _AGE.finditer(text):
        if m.group(5):
            qi["age"] = "90+"
            break
        value = next(int(g) for g in m.groups()[:4] if g)
        if 0 < value < 130:
            qi["age"] = _age_band(value)
            break
    male, female = len(_MALE.findall(text)), len(_FEMALE.findall(text))
    if male or female:
        qi["sex"] = "M" if male > female else "F" if female > male else None
        if qi["sex"] is None:
            del qi["sex"]
    years = sorted({int(y) for y in _YEAR.findall(text)})
    if years:
        qi["year"] = years[0]
        qi["years"] = years
    states = {_STATES[m.group(1).casefold()] for m in _STATE_NAME.finditer(text)}
    zips: set[str] = {m.group(1) for m in _ZIP.finditer(text)}
    for m in _STATE_ABBR.finditer(text):
        states.add(m.group(1))
        if m.group(2):
            zips.add(m.group(2))
    if states:
        qi["state"] = ",".join(sorted(states))
    if zips:
        qi["zip3"] = ",".join(sorted(zips))
    ethnic = sorted({" ".join((m.group(1) or m.group(2) or m.group(3) or "").lower().split()) for m in _ETHNICITY.finditer(text)} - {""})
    if ethnic:
        qi["ethnicity"] = ",".join(ethnic)
    jobs = sorted({" ".join((m.group(1) or m.group(2) or m.group(3) or "").lower().split()) for m in _OCCUPATION.finditer(text)} - {""})
    if jobs:
        qi["occupation"] = ",".join(jobs)
    rare = sorted({m.group(1).lower() for m in _RARE.finditer(text)})
    if rare:
        qi["rare"] = ",".join(rare)
    return qi


def _merge_quasi(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A patient's quasi-identifiers over all their documents (first value wins, sets union)."""
    merged: dict[str, Any] = {}
    for qi in items:
        for key, value in qi.items():
            if key in ("years",):
                merged[key] = sorted(set(merged.get(key, [])) | set(value))
            elif key in ("state", "zip3", "ethnicity", "occupation", "rare") and key in merged:
                merged[key] = ",".join(sorted(set(merged[key].split(",")) | set(str(value).split(","))))
            elif key == "year":
                merged[key] = min(merged.get(key, value), value)
            else:
                merged.setdefault(key, value)
    return merged


# -- calibrated residual estimate ----------------------------------------------------------------
def load_evaluation(path: Path) -> dict[str, float]:
    """Per-type recall from a ``scrubber evaluate --json`` file.

    Raises:
        ScrubberError: E504 unreadable or without per-type recall.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        recall = {t: float(v["span_recall"]) for t, v in data["per_type"].items() if v.get("gold_spans")}
        recall["_all"] = float(data["type_blind"]["span_recall"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise ScrubberError("E504", f"{path} is not a `scrubber evaluate --json` result with per-type recall", "write one with: scrubber evaluate GOLD.jsonl --json > eval.json") from None
    return recall


def residual_estimate(documents: list[DocumentRisk], recall: dict[str, float], *, source: str = "") -> dict[str, Any]:
    """Expected missed identifiers per type (in all, and per 1,000 documents); sets each document's share."""
    floor = 0.05  # a type measured at recall ~0 would make n / r explode; said in the output
    per_type: dict[str, Any] = {}
    totals: Counter = Counter()
    for d in documents:
        expected = 0.0
        for entity, n in d.findings.items():
            r = max(recall.get(entity, recall.get("_all", 1.0)), floor)
            miss = n * (1.0 - r) / r
            expected += miss
            totals[entity] += miss
        d.expected_missed = expected
    count = max(len(documents), 1)
    for entity in sorted(set(recall) | set(totals)):
        if entity == "_all":
            continue
        per_type[entity] = {
            "recall": recall.get(entity),
            "expected_missed": round(totals.get(entity, 0.0), 3),
            "per_1000_documents": round(1000 * totals.get(entity, 0.0) / count, 2),
        }
    return {
        "source": source,
        "method": "ratio estimator: a type with n findings and measured recall r has n/r identifiers expected, "
        "so n(1-r)/r missed; recall floored at 0.05; assumes the evaluated corpus resembles this dataset",
        "expected_missed_total": round(sum(totals.values()), 3),
        "per_1000_documents": round(1000 * sum(totals.values()) / count, 2),
        "per_type": per_type,
    }


# -- the assessment ----------------------------------------------------------------------------------
def assess(
    paths: Iterable[str | Path],
    *,
    audit: str | Path | None = None,
    evaluation: str | Path | None = None,
    options: ReadOptions = ReadOptions(),
    k: int = DEFAULT_K,
    qi_fields: Iterable[str] = QI_FIELDS,
    show_text: bool = False,
    scanner: LeakScanner | None = None,
    batch_size: int = 32,
    on_document=None,
) -> Assessment:
    """Score already-scrubbed output (files, folders, JSONL, CSV) for residual risk.

    Args:
        paths: Output files or folders. A scrub output folder (with ``audit.jsonl``) is
            read through its run record, so every output format in it is scored.
        audit: The run's audit log [default: ``audit.jsonl`` beside the outputs]; used to
            exclude the run's own replacements and for the residual estimate.
        evaluation: A ``scrubber evaluate --json`` result for the calibrated estimate.
        options: Field/column names, as for ``scrub`` (``patient_field`` groups QIs per patient).
        k: The k of the share-below-k figure.
        qi_fields: Quasi-identifiers that form the equivalence classes.
        show_text: Put the suspected text in leaks (local review only).
        scanner: A prebuilt :class:`LeakScanner` (building one loads the spaCy model).

    Example:
        >>> from scrubber.risk import assess  # doctest: +SKIP
        >>> result = assess(["out/"], evaluation="eval.json")  # doctest: +SKIP
        >>> result.to_dict()["dataset"]["score"], result.k_anonymity  # doctest: +SKIP
    """
    path_list = [Path(p) for p in paths]
    qi_fields = tuple(qi_fields)
    unknown = [f for f in qi_fields if f not in QI_FIELDS]
    if unknown:
        raise ScrubberError("E219", f"unknown quasi-identifier {unknown[0]!r}", f"use any of {', '.join(QI_FIELDS)}")
    if k < 1:
        raise ScrubberError("E219", f"k must be at least 1, got {k}", "use e.g. --k 5")
    audit_path = Path(audit) if audit is not None else _audit_path(path_list)
    index = load_audit(audit_path) if audit_path is not None else None
    files = dataset_files(path_list, index)
    scanner = scanner or default_scanner()
    documents: list[DocumentRisk] = []

    def records() -> Iterator[tuple[InputFile, int, Any]]:
        for f in files:
            for position, record in enumerate(read(f, options)):
                yield f, position, record

    batch: list[tuple[DocumentRisk, str, list[tuple[int, int]]]] = []

    def flush() -> None:
        leaks = scanner.scan_many([(d.doc, text, spans) for d, text, spans in batch], show_text=show_text)
        for (d, _, _), found in zip(batch, leaks):
            d.leaks = found
            if on_document is not None:
                on_document(d)
        batch.clear()

    for f, position, record in records():
        relative = f.relative.as_posix()
        doc_id = index.documents.get((relative, position)) if index is not None else None
        if record.text is None:  # an unreadable output is itself a finding
            d = DocumentRisk(doc_id or record.id, relative, position, 0, patient=record.patient)
            d.leaks = [Leak(d.doc, 0, 0 + 1, "UNREADABLE", 1.0, "reader")]
            documents.append(d)
            continue
        d = DocumentRisk(doc_id or record.id, relative, position, len(record.text), patient=record.patient)
        d.quasi = quasi_identifiers(record.text)
        if index is not None and doc_id is not None:
            d.findings = index.findings.get(doc_id, Counter())
        spans = index.replacements.get(doc_id, []) if (index is not None and doc_id is not None) else []
        documents.append(d)
        batch.append((d, record.text, spans))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()

    # equivalence classes over units (patients where given, else documents)
    units: dict[str, list[DocumentRisk]] = defaultdict(list)
    for d in documents:
        units[d.patient if d.patient is not None else f"doc:{d.doc}"].append(d)
    unit_key: dict[str, tuple] = {}
    classes: Counter = Counter()
    for unit, docs in units.items():
        merged = _merge_quasi([d.quasi for d in docs]) if len(docs) > 1 else docs[0].quasi
        key = tuple(merged.get(f) for f in qi_fields)
        unit_key[unit] = key
        classes[key] += 1
    for unit, docs in units.items():
        for d in docs:
            d.class_size = classes[unit_key[unit]]

    residual = None
    if evaluation is not None:
        residual = residual_estimate(documents, load_evaluation(Path(evaluation)), source=str(evaluation))
    audit_summary = None
    if index is not None:
        audit_summary = {"path": str(index.path), "lines": index.lines, "policy": index.run.get("policy"),
                         "tool": index.run.get("tool"), "versions": index.run.get("versions"),
                         "key_source": index.run.get("key_source"), "finished_at": index.run.get("finished_at"),
                         "documents": index.run.get("documents")}
    return Assessment(documents, k, qi_fields, dict(classes), residual, audit_summary, [str(p) for p in path_list])


# -- the pre-publication check ----------------------------------------------------------------------
DEFAULT_LIMITS = {"max_leaks": 0, "max_risk": 0.05, "min_k": 1}
_RUN_FILES = frozenset(("audit.jsonl", "quarantine.jsonl"))


@dataclass(frozen=True)
class Check:
    """One check of ``scrubber check``: its name, whether it passed, and a one-line reason."""

    name: str
    passed: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "reason": self.reason}


def _sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def _listing(what: str, names: list[str]) -> str:
    return f"{what}: {', '.join(names[:8])}{f' and {len(names) - 8} more' if len(names) > 8 else ''}"


def _secret_kind(path: Path) -> str | None:
    """"crosswalk" or "key" when a file looks like a scrubber crosswalk or a key file, else None."""
    name = path.name.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(4097)
    except OSError:
        head = b""
    if "crosswalk" in name or head.startswith(b"gAAAAA"):  # Fernet tokens start so
        return "crosswalk"
    token = head.strip()
    if (name.endswith((".key", ".pem")) or "key" in name
            or (len(head) <= 4096 and 16 <= len(token) <= 512 and not any(c in token for c in b" \t\r\n"))):
        return "key"
    return None


def unexpected_entries(dataset: Path, outputs: set[str], *, expected: set[Path] = frozenset()) -> tuple[list[str], list[str]]:
    """Every file or folder under ``dataset`` (any depth, hidden or not, symlinks not followed)
    that is not an audited output, the run's ``audit.jsonl``/``quarantine.jsonl`` or one of
    ``expected`` (the audit log and card named on the command line); and, among those, the ones
    that look like a crosswalk or key file (``"name (crosswalk)"``). Folders that hold only
    unexpected entries are listed as ``name/``; a leftover ``.scrubber-partial/`` is one."""
    import os

    keep = {p.as_posix() for p in (Path(o) for o in outputs)}
    keep |= set(_RUN_FILES)
    for path in expected:
        try:
            keep.add(Path(path).resolve().relative_to(dataset.resolve()).as_posix())
        except ValueError:
            pass  # outside the dataset
    needed_dirs = {Path(k).parent.as_posix() for k in keep} | {p.as_posix() for k in keep for p in Path(k).parents}
    extra: list[str] = []
    secrets: list[str] = []
    for root, dirs, files in os.walk(dataset):
        rel_root = Path(root).relative_to(dataset)
        for name in sorted(dirs):
            rel = (rel_root / name).as_posix()
            if (Path(root) / name).is_symlink() or rel not in needed_dirs:
                extra.append(rel + "/")
        dirs[:] = [d for d in dirs if (rel_root / d).as_posix() in needed_dirs and not (Path(root) / d).is_symlink()]
        for name in sorted(files):
            path = Path(root) / name
            rel = (rel_root / name).as_posix()
            if rel in keep and path.is_file() and not path.is_symlink():
                continue
            extra.append(rel)
            kind = _secret_kind(path) if path.is_file() else None
            if kind:
                secrets.append(f"{rel} ({kind})")
    for rel in [e for e in extra if e.endswith("/")]:  # secrets inside unexpected folders
        for path in sorted((dataset / rel).rglob("*")):
            if path.is_file() and not path.is_symlink() and (kind := _secret_kind(path)):
                secrets.append(f"{path.relative_to(dataset).as_posix()} ({kind})")
    return sorted(extra), sorted(secrets)


def verify_provenance(dataset: Path, index: AuditIndex, *, policy=None, expected: set[Path] = frozenset()) -> list[Check]:
    """Do the files in ``dataset`` come, unchanged, from the audited run, under the declared policy?

    Checks: every output the run record lists exists with the recorded SHA-256; no file or
    folder in the dataset other than the outputs, the run's audit log and quarantine list and
    ``expected`` (the audit log and card named on the command line), at any depth, hidden or
    not (see :func:`unexpected_entries`); no crosswalk or key file in it (its own check); the policy digest equals the
    declared policy's (``policy``: a Policy, preset name or file; default: the run's
    policy when it is a preset, else the check fails and asks for ``--policy``).
    The audit log's hash chain was verified when ``index`` was loaded.
    """
    from scrubber.policy import PRESETS, PolicyError, resolve_policy

    checks = [Check("audit-chain", True, f"audit log hash chain intact ({index.lines} lines, run record present)")]
    outputs: dict[str, str] = index.run.get("outputs", {})
    bad = []
    for relative, recorded in sorted(outputs.items()):
        path = dataset / relative
        if not path.is_file():
            bad.append(f"{relative} is missing")
        elif _sha256(path) != recorded:
            bad.append(f"{relative} differs from the digest in the audit run record (changed after the run)")
    checks.append(Check("output-digests", not bad, "; ".join(bad) if bad else f"all {len(outputs)} output files match the audit run record"))
    extra, secrets = unexpected_entries(dataset, set(outputs), expected=expected)
    checks.append(Check("unaudited-files", not extra, _listing("not audited outputs of the run (move them out of the dataset)", extra) if extra
                        else "every file and folder in the dataset is an audited output or the run's audit log, quarantine list or card"))
    checks.append(Check("crosswalk-or-key", not secrets, _listing("a crosswalk or key file is in the dataset: anyone holding it can re-identify the data or recompute its surrogates; move it out before publishing", secrets) if secrets
                        else "no crosswalk or key file in the dataset"))
    run_policy = index.run.get("policy") or {}
    declared = policy if policy is not None else (run_policy.get("name") if run_policy.get("name") in PRESETS else None)
    if declared is None:
        checks.append(Check("policy", False, f"the run used policy {run_policy.get('name')!r}, which is not a preset: pass --policy FILE to verify its digest"))
    else:
        try:
            expected = resolve_policy(declared)
        except PolicyError as exc:
            checks.append(Check("policy", False, f"cannot read the declared policy: {exc}"))
        else:
            same = expected.digest == run_policy.get("digest")
            checks.append(Check("policy", same, f"policy {expected.name!r} digest matches the run" if same else f"the run's policy digest differs from the declared policy {expected.name!r} (policy changed, or a different policy was used)"))
    return checks


def verify_records(assessment: Assessment, index: AuditIndex) -> Check:
    """Every output record has its audit document line, and every audited document is in the outputs."""
    seen = {(d.output, d.index) for d in assessment.documents}
    audited = set(index.documents)
    unaudited = len(seen - audited)
    missing = len(audited - seen)
    if unaudited or missing:
        return Check("records-audited", False, f"{unaudited} output records have no audit line and {missing} audited records are not in the outputs")
    return Check("records-audited", True, f"all {len(seen)} output records have their audit lines")


def gate(assessment: Assessment, limits: dict[str, float]) -> list[Check]:
    """Apply the thresholds (``max_leaks``, ``max_risk``, ``min_k``) to an assessment."""
    data = assessment.to_dict(documents=False)["dataset"]
    likely = data["leaks"]["likely"]
    by_type = ", ".join(f"{t} {n}" for t, n in data["leaks"]["likely_by_type"].items())
    checks = [
        Check("leaks", likely <= limits["max_leaks"],
              f"{likely} likely leaks (confidence >= {LIKELY}) in {data['leaks']['documents_with_likely_leaks']} documents"
              + (f": {by_type}" if by_type else "") + f" ({LOWER_BOUND_NOTE}); allowed {limits['max_leaks']}"),
        Check("risk", data["score"] <= limits["max_risk"],
              f"dataset risk score {data['score']:.4f} (mean P(document holds a direct identifier)"
              + ("; a lower bound without --evaluation" if data.get("score_is_lower_bound") else "") + f"); allowed {limits['max_risk']}"),
    ]
    qi = data["quasi_identifiers"]
    checks.append(Check("k-anonymity", qi["k_anonymity"] >= limits["min_k"] or not assessment.documents,
                        f"k-anonymity {qi['k_anonymity']} over {', '.join(qi['fields'])} ({qi['classes']} classes, "
                        f"{qi['share_below_k']:.0%} of {qi['unit']}s in classes smaller than {qi['k']}); required {limits['min_k']}"))
    return checks
