"""Accuracy against gold PHI spans: character- and span-level, per type and type-blind.

Gold formats:

* span-JSONL (``../shared/corpora/*/dev.jsonl``, ``samples/gold.jsonl``): one document
  a line, ``{"id", "text", "spans": [{"start", "end", "label"}]}``;
* presidio-research JSON (``synth_dataset_v2.json``): a list of
  ``{"full_text", "spans": [{"entity_type", "start_position", "end_position"}]}``;
* JSONL without ``spans`` (MTSamples): only the redaction rate is measured.

Each corpus label is mapped onto the project's entity types by :data:`LABEL_MAP`.
A label mapped to ``None`` is *neutral*: not PHI under Safe Harbor (ages under 90,
titles, organisations, nationalities), so hiding it is neither a hit nor a false
positive.

Metrics (whitespace characters never count):

* character recall: share of gold PHI characters hidden by any finding (type-blind);
* character precision: share of hidden characters (outside neutral spans) that are gold PHI;
* whole-span recall: share of gold spans whose every character is hidden;
* span precision: share of findings (outside neutral spans) that overlap a gold span;
* per type: recall by gold type (hidden by anything), precision by predicted type;
* redaction rate: share of all non-space characters hidden.

A leading honorific inside a gold name span ("Dr." in "Dr. Sarah P.") and
punctuation at either edge of a gold span ("WELSH:", "Lange,") are not counted:
corpora disagree on whether they belong to the span, and neither identifies anyone.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from scrubber.errors import InvalidValue

# Corpus label -> project entity type (None: neutral, not PHI under Safe Harbor).
LABEL_MAP: dict[str, str | None] = {
    # PhysioNet deid nursing notes
    "HCPName": "PERSON", "PTName": "PERSON", "PTNameInitial": "PERSON", "RelativeProxyName": "PERSON",
    "Date": "DATE", "DateYear": "DATE", "Location": "LOCATION", "Phone": "PHONE_NUMBER", "Age": "AGE", "Other": "ID",
    # ASQ-PHI
    "NAME": "PERSON", "GEOGRAPHIC_LOCATION": "LOCATION", "MEDICAL_RECORD_NUMBER": "MEDICAL_RECORD_NUMBER",
    "HEALTH_PLAN_BENEFICIARY_NUMBER": "HEALTH_PLAN_ID", "SOCIAL_SECURITY_NUMBER": "US_SSN", "UNIQUE_IDENTIFIER": "ID",
    "ACCOUNT_NUMBER": "ACCOUNT_NUMBER", "CERTIFICATE_LICENSE_NUMBER": "LICENSE_NUMBER", "FAX_NUMBER": "PHONE_NUMBER",
    # presidio-research synthetic
    "GPE": "LOCATION", "DATE_TIME": "DATE", "DOMAIN_NAME": "URL", "IBAN_CODE": "ACCOUNT_NUMBER",
    "US_DRIVER_LICENSE": "LICENSE_NUMBER", "ORGANIZATION": None, "TITLE": None, "NRP": None,
    # the project's own labels (samples/gold.jsonl) map to themselves
    "PERSON": "PERSON", "DATE": "DATE", "AGE": "AGE", "LOCATION": "LOCATION", "STREET_ADDRESS": "STREET_ADDRESS",
    "ZIP_CODE": "ZIP_CODE", "HOSPITAL": "HOSPITAL", "PHONE_NUMBER": "PHONE_NUMBER", "EMAIL_ADDRESS": "EMAIL_ADDRESS",
    "URL": "URL", "IP_ADDRESS": "IP_ADDRESS", "US_SSN": "US_SSN", "HEALTH_PLAN_ID": "HEALTH_PLAN_ID",
    "LICENSE_NUMBER": "LICENSE_NUMBER", "VEHICLE_ID": "VEHICLE_ID", "DEVICE_ID": "DEVICE_ID", "CREDIT_CARD": "CREDIT_CARD",
    "ID": "ID",
}
# Per-corpus exceptions to the shared table (keyed by a corpus marker in the path).
CORPUS_OVERRIDES: dict[str, dict[str, str | None]] = {
    # presidio-research labels every age; only ages of 90 and over are PHI, so AGE is neutral there.
    "presidio-research": {"AGE": None},
}


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    label: str
    entity_type: str | None


@dataclass(frozen=True)
class GoldDoc:
    id: str
    text: str
    spans: tuple[GoldSpan, ...] | None  # None: unlabelled corpus (redaction rate only)


def load_gold(path: Path, *, text_field: str = "text", limit: int | None = None, distinct: bool = False) -> Iterator[GoldDoc]:
    """Read a gold corpus in any supported format.

    Raises:
        ValueError: E240 for an unknown label (add it to LABEL_MAP with a reason), E241 for bad offsets.
    """
    path = Path(path)
    overrides = next((o for marker, o in CORPUS_OVERRIDES.items() if marker in str(path.resolve())), {})
    labels = {**LABEL_MAP, **overrides}

    def spans_of(raw: list[dict], text: str, doc_id: str, keys: tuple[str, str, str]) -> tuple[GoldSpan, ...]:
        out = []
        for s in raw:
            start, end, label = s[keys[0]], s[keys[1]], s[keys[2]]
            if label not in labels:
                raise InvalidValue("E240", f"{path}: label {label!r} has no entry in scrubber.evaluate.LABEL_MAP")
            if not 0 <= start < end <= len(text):
                raise InvalidValue("E241", f"{path}: document {doc_id}: span {start}..{end} outside the text")
            out.append(GoldSpan(start, end, label, labels[label]))
        return tuple(out)

    def docs() -> Iterator[GoldDoc]:
        if path.suffix == ".json":
            for index, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                text = item["full_text"]
                yield GoldDoc(str(index), text, spans_of(item["spans"], text, str(index), ("start_position", "end_position", "entity_type")))
            return
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                item = json.loads(line)
                text = item.get(text_field)
                if not isinstance(text, str) or not text.strip():
                    continue
                doc_id = str(item.get("id", item.get("note_id", number)))
                spans = spans_of(item["spans"], text, doc_id, ("start", "end", "label")) if "spans" in item else None
                yield GoldDoc(doc_id, text, spans)

    seen: set[str] = set()
    count = 0
    for doc in docs():
        if distinct:
            if doc.text in seen:
                continue
            seen.add(doc.text)
        yield doc
        count += 1
        if limit is not None and count >= limit:
            return


CASES = ("as-is", "lower", "upper")


def recased(text: str, case: str) -> str:
    """``text`` in lower case or in capitals (``case``: one of :data:`CASES`), character by character so that
    offsets stay: a character whose other case is longer ("ß" -> "SS") stays as it is.

    Example:
        >>> recased("Seen by Dr. Ames, Straße 4.", "upper"), recased("Seen by Dr. Ames.", "lower")
        ('SEEN BY DR. AMES, STRAßE 4.', 'seen by dr. ames.')
    """
    if case not in CASES:
        raise ValueError(f"case must be one of {CASES}, not {case!r}")
    if case == "as-is":
        return text
    change = str.lower if case == "lower" else str.upper
    return "".join(c if len(changed := change(c)) != 1 else changed for c in text)


def in_case(docs: Iterable[GoldDoc], case: str) -> Iterator[GoldDoc]:
    """The gold documents with every text in ``case`` (:func:`recased`); the spans' offsets stay valid.

    A scrubber must find as much in a note in capitals or a lower-case dictation as in mixed case;
    ``scrubber evaluate --case lower|upper`` measures it on any gold corpus.
    """
    for doc in docs:
        yield doc if case == "as-is" else GoldDoc(doc.id, recased(doc.text, case), doc.spans)


@dataclass
class _Tally:
    gold_chars: int = 0
    hit_chars: int = 0
    gold_spans: int = 0
    hit_spans: int = 0
    pred_chars: int = 0
    pred_true_chars: int = 0
    pred_spans: int = 0
    pred_true_spans: int = 0


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class EvalReport:
    """Figures of one evaluation run; :meth:`to_dict` is the ``--json`` output."""

    corpus: str
    documents: int = 0
    characters: int = 0
    hidden_characters: int = 0
    quarantined: int = 0
    labelled: bool = True
    total: _Tally = field(default_factory=_Tally)
    by_type: dict[str, _Tally] = field(default_factory=lambda: defaultdict(_Tally))
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        t = self.total
        result = {
            "corpus": self.corpus,
            "documents": self.documents,
            "quarantined": self.quarantined,
            "redaction_rate": _ratio(self.hidden_characters, self.characters),
        }
        if self.labelled:
            result["type_blind"] = {
                "char_recall": _ratio(t.hit_chars, t.gold_chars),
                "char_precision": _ratio(t.pred_true_chars, t.pred_chars),
                "span_recall": _ratio(t.hit_spans, t.gold_spans),
                "span_precision": _ratio(t.pred_true_spans, t.pred_spans),
                "gold_spans": t.gold_spans,
                "predicted_spans": t.pred_spans,
            }
            result["per_type"] = {
                name: {
                    "gold_spans": x.gold_spans,
                    "char_recall": _ratio(x.hit_chars, x.gold_chars),
                    "span_recall": _ratio(x.hit_spans, x.gold_spans),
                    "predicted_spans": x.pred_spans,
                    "char_precision": _ratio(x.pred_true_chars, x.pred_chars),
                    "span_precision": _ratio(x.pred_true_spans, x.pred_spans),
                }
                for name, x in sorted(self.by_type.items())
            }
        return result


def _nonspace(text: str, start: int, end: int) -> set[int]:
    return {i for i in range(start, end) if not text[i].isspace()}


_EDGE_PUNCTUATION = frozenset(".,;:!?\"'()[]")
_HONORIFIC = re.compile(r"(?i)(?:dr|mr|mrs|ms|miss|mx|prof|doctor)\.?\s+")


def _gold_chars(text: str, span: GoldSpan) -> set[int]:
    """Characters of a gold span that are PHI: a leading honorific ("Dr. ") is not.

    Corpora disagree on whether a name span includes its title (ASQ-PHI does,
    PhysioNet does not); a title identifies no one, so it counts neither way.
    """
    start, end = span.start, span.end
    if span.entity_type == "PERSON":
        m = _HONORIFIC.match(text, span.start, span.end)
        if m and m.end() < span.end:
            start = m.end()
    # punctuation at the edges ("WELSH:", "Lange,") is not part of the identifier
    while end - start > 1 and (text[end - 1] in _EDGE_PUNCTUATION or text[end - 1].isspace()):
        end -= 1  # "SMITH. " (a span that runs on past its full stop)
    while end - start > 1 and (text[start] in _EDGE_PUNCTUATION or text[start].isspace()):
        start += 1
    return _nonspace(text, start, end)


def score_document(report: EvalReport, doc: GoldDoc, findings: Iterable, *, keep_errors: bool = False) -> None:
    """Add one document's figures to ``report``."""
    text = doc.text
    findings = list(findings)
    hidden: set[int] = set()
    for f in findings:
        hidden |= _nonspace(text, f.start, f.end)
    report.documents += 1
    report.characters += sum(1 for c in text if not c.isspace())
    report.hidden_characters += len(hidden)
    if doc.spans is None:
        report.labelled = False
        return
    gold: set[int] = set()
    neutral: set[int] = set()
    for span in doc.spans:
        chars = _gold_chars(text, span)
        if span.entity_type is None:
            neutral |= _nonspace(text, span.start, span.end)
            continue
        neutral |= _nonspace(text, span.start, span.end) - chars  # a title or edge punctuation counts neither way
        gold |= chars
        hit = chars & hidden
        for tally in (report.total, report.by_type[span.entity_type]):
            tally.gold_chars += len(chars)
            tally.hit_chars += len(hit)
            tally.gold_spans += 1
            tally.hit_spans += int(hit == chars)
        if hit != chars and keep_errors:
            report.misses.append({"doc": doc.id, "label": span.label, "start": span.start, "end": span.end,
                                  "text": text[span.start:span.end], "context": text[max(0, span.start - 40):span.end + 40]})
    for f in findings:
        chars = _nonspace(text, f.start, f.end) - neutral
        if not chars:
            continue
        true = chars & gold
        for tally in (report.total, report.by_type[f.entity_type]):
            tally.pred_chars += len(chars)
            tally.pred_true_chars += len(true)
            tally.pred_spans += 1
            tally.pred_true_spans += int(bool(true))
        if not true and keep_errors:
            report.false_positives.append({"doc": doc.id, "entity_type": f.entity_type, "recognizer": f.recognizer,
                                           "text": text[f.start:f.end], "context": text[max(0, f.start - 40):f.end + 40]})


def evaluate(scrubber, docs: Iterable[GoldDoc], *, corpus: str = "", keep_errors: bool = False) -> EvalReport:
    """Scrub every gold document and score the findings.

    Example:
        >>> report = evaluate(Scrubber(), load_gold(Path("samples/gold.jsonl")))  # doctest: +SKIP
        >>> report.to_dict()["type_blind"]["char_recall"]  # doctest: +SKIP
        0.97
    """
    report = EvalReport(corpus=corpus)
    pending: dict[str, GoldDoc] = {}

    def records():
        for index, doc in enumerate(docs):
            key = f"{index}"
            pending[key] = doc
            yield key, doc.text

    for result in scrubber.scrub_stream(records()):
        doc = pending.pop(result.id)
        if result.quarantined:
            report.quarantined += 1
        score_document(report, doc, result.findings, keep_errors=keep_errors)
    return report


# -- the leak scan, measured on known leaks ---------------------------------------------------
def residual_gold(doc: GoldDoc, findings: Iterable) -> list[tuple[int, int, str]]:
    """Gold PHI spans a run left in its output, located in the *output* text.

    A gold span overlapping no finding was written unchanged; its output offset is its
    input offset shifted by the length changes of the replacements before it (findings
    carry ``out_start``/``out_end``).
    """
    ordered = sorted(findings, key=lambda f: f.start)
    left: list[tuple[int, int, str]] = []
    for span in doc.spans or ():
        if span.entity_type is None:
            continue
        if any(f.start < span.end and span.start < f.end for f in ordered):
            continue
        shift = sum((f.out_end - f.out_start) - (f.end - f.start) for f in ordered if f.end <= span.start)
        left.append((span.start + shift, span.end + shift, span.entity_type))
    return left


def evaluate_leak_scan(scrubber, scanner, docs: Iterable[GoldDoc], *, likely: float = 0.5) -> dict:
    """Scrub gold documents with ``scrubber``, scan the outputs, and score the scan.

    Recall: the share of gold spans left in the output (known leaks) that a suspected
    leak overlaps (any confidence, and at ``likely`` or above); per document: the share of
    documents with known leaks that get at least one likely leak. False alarms: likely
    leaks overlapping no known leak, per 1,000 output characters and per document.
    Per detector: how many suspicions it raised and the share on a known leak.
    """
    from scrubber.values import Record

    docs = [d for d in docs if d.spans is not None]
    known = hit = hit_likely = alarms = chars = 0
    docs_leaky = docs_flagged = docs_clean = docs_clean_flagged = 0
    per_type: dict[str, list[int]] = {}
    detectors: dict[str, list[int]] = {}  # detector -> [suspicions, on a known leak]
    records = (Record(d.id, d.text) for d in docs)
    results = list(scrubber.iter_records(records))
    items = [(d.id, r.text, [(f.out_start, f.out_end) for f in r.findings]) for d, (_, r) in zip(docs, results)]
    scans = scanner.scan_many(items)
    for doc, (_, result), leaks in zip(docs, results, scans):
        if result.quarantined:
            continue
        chars += len(result.text)
        left = residual_gold(doc, result.findings)
        likely_leaks = [l for l in leaks if l.confidence >= likely]
        for start, end, entity in left:
            known += 1
            overlapping = [l for l in leaks if l.start < end and start < l.end]
            found = bool(overlapping)
            found_likely = any(l.confidence >= likely for l in overlapping)
            hit += found
            hit_likely += found_likely
            tally = per_type.setdefault(entity, [0, 0])
            tally[0] += 1
            tally[1] += found
        alarms += sum(1 for l in likely_leaks if not any(l.start < e and s < l.end for s, e, _ in left))
        for l in leaks:
            tally = detectors.setdefault(l.detector, [0, 0])
            tally[0] += 1
            tally[1] += any(l.start < e and s < l.end for s, e, _ in left)
        if left:
            docs_leaky += 1
            docs_flagged += bool(likely_leaks)
        else:
            docs_clean += 1
            docs_clean_flagged += bool(likely_leaks)
    return {
        "documents": len(docs),
        "known_leaks": known,
        "recall": _ratio(hit, known),
        "recall_likely": _ratio(hit_likely, known),
        "documents_with_known_leaks": docs_leaky,
        "document_recall": _ratio(docs_flagged, docs_leaky),
        "false_alarms": alarms,
        "false_alarms_per_1000_chars": round(1000 * alarms / chars, 3) if chars else None,
        "clean_documents_flagged": _ratio(docs_clean_flagged, docs_clean),
        "per_type_recall": {t: _ratio(h, n) for t, (n, h) in sorted(per_type.items())},
        # how often each detector's suspicion is a real leak: the basis of its confidence
        "detector_precision": {d: {"suspicions": n, "precision": _ratio(h, n)} for d, (n, h) in sorted(detectors.items())},
    }


# -- name leaks in dialogues with named participants (ACI-Bench) -------------------------------
NAME_LEAK_FIELDS = ("dialogue", "note")


@dataclass(frozen=True)
class Encounter:
    """One encounter of a name-leak corpus: its texts and the names its metadata gives."""

    id: str
    texts: dict[str, str]
    names: tuple[str, ...]


def load_encounters(path: Path, *, fields: tuple[str, ...] = NAME_LEAK_FIELDS, limit: int | None = None) -> Iterator[Encounter]:
    """Read a JSONL corpus whose records name their patient (``patient_firstname``, ``patient_familyname``).

    Names shorter than three letters are not checked (they occur inside ordinary words).

    Raises:
        ValueError: E242 when a record has none of ``fields`` or no patient name fields.
    """
    with Path(path).open(encoding="utf-8") as handle:
        count = 0
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if "patient_firstname" not in item and "patient_familyname" not in item:
                raise InvalidValue("E242", f"{path}: line {number} has no patient_firstname/patient_familyname field (a name-leak corpus needs them)")
            texts = {f: item[f] for f in fields if isinstance(item.get(f), str)}
            if not texts:
                raise InvalidValue("E242", f"{path}: line {number} has none of the text fields {', '.join(fields)}")
            names = tuple(
                n for key in ("patient_firstname", "patient_familyname")
                for n in str(item.get(key) or "").split() if len(n) >= 3
            )
            yield Encounter(str(item.get("id", number)), texts, names)
            count += 1
            if limit is not None and count >= limit:
                return


def _name_rx(name: str) -> re.Pattern:
    return re.compile(r"(?<![^\W_])" + re.escape(name) + r"(?![^\W_])", re.IGNORECASE)


def evaluate_name_leak(scrubber, encounters: Iterable[Encounter], *, keep_errors: bool = False) -> dict:
    """Scrub every text of every encounter and count encounters whose patient name survives.

    A name leaks when the patient's first or family name (three or more letters) still occurs
    as a whole word, in any case, in a scrubbed text. An encounter leaks when any of its texts
    does; encounters whose texts never mention the name cannot leak and are counted apart.
    With ``keep_errors`` the result lists each leak WITH its context (local error analysis only).
    """
    encounters = list(encounters)
    items = [(f"{i}:{field}", e, field) for i, e in enumerate(encounters) for field in e.texts]
    mention = [False] * len(encounters)
    leak = [False] * len(encounters)
    per_field = {field: [0, 0] for field in NAME_LEAK_FIELDS}  # field -> [texts mentioning the name, leaking]
    quarantined = 0
    details: list[dict] = []
    results = scrubber.scrub_stream((key, e.texts[field]) for key, e, field in items)
    for (key, e, field), result in zip(items, results, strict=True):
        index = int(key.split(":", 1)[0])
        rxs = [_name_rx(n) for n in e.names]
        mentioned = any(rx.search(e.texts[field]) for rx in rxs)
        if result.quarantined:
            quarantined += 1
            leaked = False  # nothing was written
        else:
            found = [m for rx in rxs for m in rx.finditer(result.text)]
            leaked = bool(found)
            if keep_errors:
                details += [{"id": e.id, "field": field, "text": m.group(), "context": result.text[max(0, m.start() - 50) : m.end() + 50]} for m in found]
        tally = per_field.setdefault(field, [0, 0])
        tally[0] += mentioned
        tally[1] += leaked
        mention[index] |= mentioned
        leak[index] |= leaked
    mentioning = sum(mention)
    leaking = sum(leak)
    result = {
        "encounters": len(encounters),
        "encounters_mentioning_name": mentioning,
        "encounters_leaking_name": leaking,
        "leak_rate": _ratio(leaking, mentioning),
        "quarantined_texts": quarantined,
        "per_field": {f: {"texts_mentioning_name": n, "texts_leaking_name": k} for f, (n, k) in per_field.items()},
    }
    if keep_errors:
        result["leaks"] = details
    return result
