"""Human review of a random sample of scrubbed output, and the bound it gives.

The leak scan (:mod:`scrubber.risk`) shares the scrubber's blind spots, and an evaluation
needs gold spans a real dataset never has. A person reading a random sample of the output
does not share those blind spots; from what they find, an exact one-sided upper bound on the
dataset's leak rate follows. This module holds the parts that need no browser:

* **Sampling** (:func:`draw_sample`): a seeded random sample of the output documents,
  uniform over records or stratified by output file or patient (proportional allocation,
  largest remainder). The seed, the strata and their sizes are recorded in
  ``REVIEW_DIR/sample.json`` with the audit chain's digest of the dataset, so a review
  belongs to exactly one scrub run. The suspected leaks of the leak scan in each sampled
  document are stored with it (offsets, type, confidence, detector; never text).
* **Decisions** (:class:`ReviewStore`): ``REVIEW_DIR/review.jsonl``, one line per decision,
  appended and fsynced as it is made, hash-chained like the audit log. A line carries the
  record id, output file and position, offsets into the output text, type, decision
  (``leak``, ``not_leak``, ``missed``, ``withdrawn``, or ``reviewed`` for a finished
  document), reviewer and time; never the text. A later decision on the same span replaces
  an earlier one, so a review can be corrected, stopped and resumed.
* **Statistics** (:func:`clopper_pearson_upper`, :func:`poisson_upper`, :func:`plan`,
  :func:`summarize`): the share of documents with at least one leak, with its exact
  one-sided Clopper-Pearson upper bound, and the leaks per 1,000 documents with the exact
  Poisson (chi-square) upper bound.
* **Feedback** (:func:`export_allow`, :func:`export_deny`): dismissed false alarms as an
  allow-list addition to a policy, confirmed leaks as a keyed-fingerprint deny-list.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import secrets
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from scrubber.errors import ScrubberError

SAMPLE_FILE = "sample.json"
DECISIONS_FILE = "review.jsonl"
CONFIDENCE = 0.95
DECISIONS = ("leak", "not_leak", "missed", "withdrawn")
STRATA = ("none", "file", "patient")
DENY_KIND = "clinical-scrubber deny-list"
_KEY_CHECK = "clinical-scrubber deny-list key check"

# Error codes (E27x: review; usage errors, exit 2).
REVIEW_INSIDE_DATASET = "E270"
REVIEW_NOT_FOUND = "E271"
REVIEW_OTHER_DATASET = "E272"
REVIEW_INCOMPLETE = "E273"
REVIEW_CORRUPT = "E274"
REVIEW_BAD_ARGUMENT = "E275"
DENY_NEEDS_KEY = "E276"
DENY_LIST_INVALID = "E277"


# -- statistics ---------------------------------------------------------------------------------
def clopper_pearson_upper(x: int, n: int, confidence: float = CONFIDENCE) -> float:
    """Exact one-sided upper confidence bound for a binomial proportion (``x`` of ``n``).

    The bound ``p`` solves ``P(X <= x | n, p) = 1 - confidence``, i.e. it is the
    ``confidence`` quantile of Beta(x + 1, n - x); for ``x = 0`` that is
    ``1 - (1 - confidence) ** (1 / n)``.

    Example:
        >>> round(clopper_pearson_upper(0, 59), 4), round(clopper_pearson_upper(0, 58), 4)
        (0.0495, 0.0503)
        >>> clopper_pearson_upper(3, 3)
        1.0
    """
    if n <= 0:
        return 1.0
    if not 0 <= x <= n:
        raise ValueError("x must be within [0, n]")
    if x == n:
        return 1.0
    from scipy.stats import beta

    return float(beta.ppf(confidence, x + 1, n - x))


def poisson_upper(k: int, confidence: float = CONFIDENCE) -> float:
    """Exact one-sided upper confidence bound for a Poisson mean given ``k`` events: ``chi2(2k + 2) / 2``.

    Example:
        >>> round(poisson_upper(0), 4)  # -ln(0.05)
        2.9957
    """
    from scipy.stats import chi2

    return float(chi2.ppf(confidence, 2 * (k + 1)) / 2)


def plan(max_risk: float, *, confidence: float = CONFIDENCE, allowed_leaky: Iterable[int] = (0, 1, 2)) -> list[dict[str, Any]]:
    """Documents to review so that the upper bound can be at most ``max_risk``.

    For ``x`` documents found with a leak, the smallest ``n`` with
    ``clopper_pearson_upper(x, n) <= max_risk``; for ``x = 0`` that is
    ``ceil(ln(1 - confidence) / ln(1 - max_risk))``.

    Example:
        >>> [row["documents"] for row in plan(0.05)]
        [59, 93, 124]
    """
    if not 0.0 < max_risk < 1.0:
        raise ScrubberError(REVIEW_BAD_ARGUMENT, f"--max-risk must be between 0 and 1 (exclusive), got {max_risk}", "use e.g. --max-risk 0.05")
    rows = []
    for x in allowed_leaky:
        if x == 0:
            n = math.ceil(math.log(1.0 - confidence) / math.log(1.0 - max_risk))
            while n > 1 and clopper_pearson_upper(0, n - 1, confidence) <= max_risk:  # guard rounding
                n -= 1
        else:
            lo, hi = x + 1, max(x + 2, 4)
            while clopper_pearson_upper(x, hi, confidence) > max_risk:
                hi *= 2
            while lo < hi:  # the bound falls as n grows
                mid = (lo + hi) // 2
                if clopper_pearson_upper(x, mid, confidence) <= max_risk:
                    hi = mid
                else:
                    lo = mid + 1
            n = lo
        rows.append({"documents_with_leaks": x, "documents": n, "upper_bound": clopper_pearson_upper(x, n, confidence)})
    return rows


# -- the dataset ----------------------------------------------------------------------------------
def audit_digest(audit_path: Path) -> str:
    """The audit log's final chain hash (after verifying the chain): the identity of one scrub run."""
    from scrubber.risk import load_audit

    load_audit(audit_path)  # verifies the chain and the run record (E501/E502/E503)
    last = ""
    with Path(audit_path).open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                last = line
    return "sha256:" + json.loads(last)["chain"]


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


def check_review_dir(review_dir: Path, dataset: Path) -> None:
    """Refuse a review folder inside the dataset (it would be published with it), or the dataset inside it."""
    if _inside(review_dir, dataset) or _inside(dataset, review_dir):
        raise ScrubberError(REVIEW_INSIDE_DATASET, f"review folder {review_dir} is inside the dataset {dataset} (or holds it); "
                            "it would be published with the data", "put the review folder outside the dataset, e.g. --out review/ beside out/")


@dataclass
class SampledDocument:
    """One sampled output document: where it is, its stratum and the leak scan's suspicions in it."""

    doc: str
    output: str
    index: int
    stratum: str
    leaks: list[dict[str, Any]] = field(default_factory=list)  # start, end, entity_type, confidence, detector

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "output": self.output, "index": self.index, "stratum": self.stratum, "leaks": self.leaks}


@dataclass
class Sample:
    """What ``sample.json`` holds: the dataset it belongs to, how the sample was drawn, and the documents."""

    dataset: str
    digest: str
    seed: int
    stratify: str
    requested: int
    population: int
    strata: dict[str, dict[str, int]]
    documents: list[SampledDocument]
    created_at: str
    options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": 1, "dataset": self.dataset, "audit_digest": self.digest, "seed": self.seed, "stratify": self.stratify,
            "requested": self.requested, "population": self.population, "sampled": len(self.documents),
            "strata": self.strata, "created_at": self.created_at, "read_options": self.options,
            "method": _sampling_words(self.stratify),
            "documents": [d.to_dict() for d in self.documents],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Sample":
        docs = [SampledDocument(d["doc"], d["output"], int(d["index"]), d["stratum"], list(d.get("leaks", []))) for d in data["documents"]]
        return cls(data["dataset"], data["audit_digest"], int(data["seed"]), data["stratify"], int(data["requested"]),
                   int(data["population"]), dict(data["strata"]), docs, data["created_at"], dict(data.get("read_options", {})))


def _sampling_words(stratify: str) -> str:
    if stratify == "file":
        return "simple random sample within each output file, sizes proportional to the files' record counts (largest remainder)"
    if stratify == "patient":
        return "simple random sample within each patient, sizes proportional to the patients' record counts (largest remainder)"
    return "simple random sample of output records, without replacement"


def dataset_documents(dataset: Path, audit_path: Path, options) -> list[tuple[str, str, int, str | None, str | None]]:
    """Every audited output record: ``(doc, output, index, patient, text)`` in file order."""
    from scrubber.io.readers import read
    from scrubber.risk import dataset_files, load_audit

    index = load_audit(audit_path)
    rows = []
    for f in dataset_files([dataset], index):
        relative = f.relative.as_posix()
        for position, record in enumerate(read(f, options)):
            doc = index.documents.get((relative, position))
            if doc is None:
                continue  # not an audited record: `check` reports it (records-audited)
            rows.append((doc, relative, position, record.patient, record.text))
    return rows


def _allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation of ``n`` over strata by the largest-remainder method (never more than a stratum holds).

    Example:
        >>> _allocate({"a": 10, "b": 5, "c": 5}, 4)
        {'a': 2, 'b': 1, 'c': 1}
    """
    total = sum(sizes.values())
    n = min(n, total)
    quotas = {s: n * size / total for s, size in sizes.items()}
    alloc = {s: min(int(q), sizes[s]) for s, q in quotas.items()}
    for s in sorted(sizes, key=lambda s: (-(quotas[s] - int(quotas[s])), s)):
        if sum(alloc.values()) >= n:
            break
        if alloc[s] < sizes[s]:
            alloc[s] += 1
    while sum(alloc.values()) < n:  # caps left some over: give it to strata with room
        for s in sorted(sizes, key=lambda s: -(sizes[s] - alloc[s])):
            if alloc[s] < sizes[s] and sum(alloc.values()) < n:
                alloc[s] += 1
    return alloc


def draw_sample(rows: list[tuple[str, str, int, str | None, Any]], n: int, *, seed: int, stratify: str = "none") -> tuple[list[tuple[str, str, int, str]], dict[str, dict[str, int]]]:
    """A seeded random sample of ``n`` rows (all of them when ``n`` is at least their number).

    Returns the sampled ``(doc, output, index, stratum)`` in dataset order and the strata
    with their population and sample sizes. The same rows, ``n``, seed and stratification
    give the same sample.

    Example:
        >>> rows = [(f"d{i}", "a.jsonl" if i < 6 else "b.jsonl", i, None, None) for i in range(8)]
        >>> picked, strata = draw_sample(rows, 4, seed=7, stratify="file")
        >>> strata
        {'a.jsonl': {'population': 6, 'sampled': 3}, 'b.jsonl': {'population': 2, 'sampled': 1}}
        >>> picked == draw_sample(rows, 4, seed=7, stratify="file")[0]
        True
    """
    if stratify not in STRATA:
        raise ScrubberError(REVIEW_BAD_ARGUMENT, f"unknown --stratify {stratify!r}", f"use one of {', '.join(STRATA)}")
    if n < 1:
        raise ScrubberError(REVIEW_BAD_ARGUMENT, f"--sample must be at least 1, got {n}", "use e.g. --sample 59 (see `scrubber review --plan`)")

    def stratum(row) -> str:
        if stratify == "file":
            return row[1]
        if stratify == "patient":
            return row[3] if row[3] is not None else f"(no patient) {row[0]}"
        return "all"

    groups: dict[str, list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[stratum(row)].append(i)
    alloc = _allocate({s: len(v) for s, v in groups.items()}, n)
    rng = random.Random(seed)
    chosen: set[int] = set()
    for s in sorted(groups):
        chosen.update(rng.sample(groups[s], alloc[s]))
    picked = [(rows[i][0], rows[i][1], rows[i][2], stratum(rows[i])) for i in sorted(chosen)]
    strata = {s: {"population": len(groups[s]), "sampled": alloc[s]} for s in sorted(groups)}
    return picked, strata


def create_sample(dataset: Path, review_dir: Path, n: int, *, audit: Path | None = None, seed: int | None = None,
                  stratify: str = "none", options=None, scanner=None) -> Sample:
    """Draw the sample, scan its documents for suspected leaks, and write ``REVIEW_DIR/sample.json``.

    An existing review of the same dataset is resumed as it is (its sample is kept);
    one of another dataset is refused (E272).

    ``options`` are the field/column names to read the outputs with: a
    :class:`~scrubber.io.readers.ReadOptions` is used as given; a mapping names only the options
    to set and the others come from the audit log's run record; ``None`` takes them all from it
    (see :func:`scrubber.risk.resolve_read_options`).
    """
    from scrubber.io.readers import ReadOptions
    from scrubber.risk import _audit_path, default_scanner, load_audit, resolve_read_options

    check_review_dir(review_dir, dataset)
    audit_path = audit if audit is not None else _audit_path([dataset])
    if audit_path is None:
        raise ScrubberError("E503", f"no audit.jsonl in {dataset}", "pass --audit PATH, or the folder a scrub run wrote")
    index = load_audit(audit_path)
    if not isinstance(options, ReadOptions):
        options, _ = resolve_read_options(index.run, options)
    digest = audit_digest(audit_path)
    existing = review_dir / SAMPLE_FILE
    if existing.is_file():
        sample = load_sample(review_dir)
        if sample.digest != digest:
            raise ScrubberError(REVIEW_OTHER_DATASET, f"{review_dir} holds a review of another scrub run (audit digest differs)",
                                "use a new --out folder for this dataset's review")
        return sample
    seed = secrets.randbits(32) if seed is None else int(seed)
    rows = dataset_documents(dataset, audit_path, options)
    picked, strata = draw_sample(rows, n, seed=seed, stratify=stratify)
    texts = {(r[1], r[2]): r[4] for r in rows}
    docs = [SampledDocument(doc, output, position, stratum) for doc, output, position, stratum in picked]
    scanner = scanner or default_scanner()
    items = [(d.doc, texts[(d.output, d.index)] or "", index.replacements.get(d.doc, [])) for d in docs]
    for d, found in zip(docs, scanner.scan_many(items)):
        d.leaks = [{"start": l.start, "end": l.end, "entity_type": l.entity_type, "confidence": round(l.confidence, 3), "detector": l.detector} for l in found]
    opts = {k: v for k, v in vars(options).items() if v is not None}
    sample = Sample(str(dataset.resolve()), digest, seed, stratify, n, len(rows), strata, docs,
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), opts)
    review_dir.mkdir(parents=True, exist_ok=True)
    from scrubber.io.writers import atomic_write_text

    atomic_write_text(existing, json.dumps(sample.to_dict(), indent=1, ensure_ascii=False) + "\n")
    return sample


def load_sample(review_dir: Path) -> Sample:
    """Read ``REVIEW_DIR/sample.json``.

    Raises:
        ScrubberError: E271 when the folder holds no review, E274 when the file is damaged.
    """
    path = Path(review_dir) / SAMPLE_FILE
    if not path.is_file():
        raise ScrubberError(REVIEW_NOT_FOUND, f"{review_dir} holds no review ({SAMPLE_FILE} missing)",
                            "start one with: scrubber review DATASET --sample N --out REVIEW_DIR")
    try:
        return Sample.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError):
        raise ScrubberError(REVIEW_CORRUPT, f"{path} is damaged", "restore it, or start a new review in a new folder") from None


# -- decisions -----------------------------------------------------------------------------------
class ReviewStore:
    """``REVIEW_DIR/review.jsonl``: decisions appended and fsynced as they are made, hash-chained.

    Each line: ``record``, ``output``, ``index``, ``start``, ``end``, ``type``, ``decision``,
    ``source`` (``scan`` for a suspected leak, ``reviewer`` for a span the reviewer marked),
    ``reviewer``, ``time`` and ``chain`` (SHA-256 over the previous line's chain and this line).
    No line holds document text.
    """

    def __init__(self, review_dir: Path, sample: Sample) -> None:
        from scrubber.audit import GENESIS

        self.path = Path(review_dir) / DECISIONS_FILE
        self.sample = sample
        self.lines: list[dict[str, Any]] = []
        self._chain = GENESIS
        if self.path.is_file():
            self._read()

    def _read(self) -> None:
        from scrubber.audit import chain_hash

        with self.path.open(encoding="utf-8") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.endswith("\n"):  # a line cut by a crash: the decision was not acknowledged
                    break
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError:
                    raise ScrubberError(REVIEW_CORRUPT, f"{self.path}:{number} is not JSON", "restore the file from a copy, or start a new review") from None
                chain = obj.pop("chain", None)
                if chain != chain_hash(self._chain, obj):
                    raise ScrubberError(REVIEW_CORRUPT, f"{self.path}:{number}: hash chain broken (a decision was edited, removed or reordered)",
                                        "restore the file from a copy, or start a new review")
                self._chain = chain
                self.lines.append(obj)

    def append(self, *, position: int, decision: str, reviewer: str, start: int | None = None, end: int | None = None,
               entity_type: str | None = None, source: str = "reviewer") -> dict[str, Any]:
        """Record one decision on sampled document ``position`` (0-based in the sample)."""
        from scrubber.audit import _canonical, chain_hash

        if not 0 <= position < len(self.sample.documents):
            raise ScrubberError(REVIEW_BAD_ARGUMENT, f"no sampled document {position}", "use a position from the sample")
        if decision not in (*DECISIONS, "reviewed"):
            raise ScrubberError(REVIEW_BAD_ARGUMENT, f"unknown decision {decision!r}", f"use one of {', '.join(DECISIONS)} or reviewed")
        doc = self.sample.documents[position]
        obj: dict[str, Any] = {"record": doc.doc, "output": doc.output, "index": doc.index, "position": position,
                               "decision": decision, "reviewer": reviewer, "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        if decision != "reviewed":
            obj.update({"start": int(start), "end": int(end), "type": entity_type, "source": source})  # type: ignore[arg-type]
        self._chain = chain_hash(self._chain, obj)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(_canonical({**obj, "chain": self._chain}) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.lines.append(obj)
        return obj

    def state(self) -> dict[int, dict[str, Any]]:
        """Per sampled document: current span decisions (last one wins) and whether it was marked reviewed."""
        out: dict[int, dict[str, Any]] = {i: {"spans": {}, "reviewed": None} for i in range(len(self.sample.documents))}
        for line in self.lines:
            pos = int(line["position"])
            if pos not in out:
                continue
            if line["decision"] == "reviewed":
                out[pos]["reviewed"] = {"reviewer": line["reviewer"], "time": line["time"]}
                continue
            key = (int(line["start"]), int(line["end"]))
            if line["decision"] == "withdrawn":
                out[pos]["spans"].pop(key, None)
            else:
                out[pos]["spans"][key] = line
        return out


# -- the figure ----------------------------------------------------------------------------------
def summarize(review_dir: Path, *, digest: str | None = None, require_complete: bool = True) -> dict[str, Any]:
    """The residual-risk figure of a finished review.

    Raises:
        ScrubberError: E271 no review, E272 the review belongs to another scrub run than
            ``digest``, E273 the review is not complete, E274 a damaged file.
    """
    sample = load_sample(review_dir)
    if digest is not None and sample.digest != digest:
        raise ScrubberError(REVIEW_OTHER_DATASET, f"the review in {review_dir} is of another scrub run (its audit digest differs from this dataset's)",
                            "review this dataset: scrubber review DATASET --sample N --out NEW_DIR")
    store = ReviewStore(review_dir, sample)
    state = store.state()
    unfinished = [i for i, s in state.items() if s["reviewed"] is None]
    undecided = sum(1 for i, d in enumerate(sample.documents) for l in d.leaks
                    if (int(l["start"]), int(l["end"])) not in state[i]["spans"])
    if require_complete and (unfinished or undecided):
        raise ScrubberError(REVIEW_INCOMPLETE, f"the review in {review_dir} is not complete: {len(unfinished)} of {len(sample.documents)} sampled documents "
                            f"not marked reviewed, {undecided} suspected leaks undecided", f"finish it: scrubber review {sample.dataset} --out {review_dir}")
    n = len(sample.documents)
    leaky_docs = 0
    leaks = 0
    by_type: Counter = Counter()
    confirmed = dismissed = missed = 0
    for i in range(n):
        spans = state[i]["spans"].values()
        found = [s for s in spans if s["decision"] in ("leak", "missed")]
        confirmed += sum(1 for s in spans if s["decision"] == "leak")
        dismissed += sum(1 for s in spans if s["decision"] == "not_leak")
        missed += sum(1 for s in spans if s["decision"] == "missed")
        leaks += len(found)
        by_type.update(s.get("type") or "UNKNOWN" for s in found)
        leaky_docs += bool(found)
    reviewers: dict[str, dict[str, Any]] = {}
    for line in store.lines:
        r = reviewers.setdefault(line["reviewer"], {"reviewer": line["reviewer"], "documents": set(), "decisions": 0, "first": line["time"], "last": line["time"]})
        r["decisions"] += line["decision"] != "reviewed"
        if line["decision"] == "reviewed":
            r["documents"].add(int(line["position"]))
        r["first"] = min(r["first"], line["time"])
        r["last"] = max(r["last"], line["time"])
    share_upper = clopper_pearson_upper(leaky_docs, n)
    rate_upper = poisson_upper(leaks) / n if n else float("inf")
    return {
        "schema": 1,
        "review_dir": str(review_dir),
        "audit_digest": sample.digest,
        "sample": {"documents": n, "population": sample.population, "requested": sample.requested, "seed": sample.seed,
                   "stratify": sample.stratify, "strata": len(sample.strata), "method": _sampling_words(sample.stratify),
                   "created_at": sample.created_at},
        "complete": not unfinished and not undecided,
        "documents_with_leaks": leaky_docs,
        "leaks": leaks,
        "leaks_by_type": dict(sorted(by_type.items())),
        "confirmed_scan_leaks": confirmed,
        "dismissed_false_alarms": dismissed,
        "missed_marked_by_reviewer": missed,
        "share": leaky_docs / n if n else 0.0,
        "share_upper": share_upper,
        "per_1000": 1000 * leaks / n if n else 0.0,
        "per_1000_upper": 1000 * rate_upper,
        "confidence": CONFIDENCE,
        "reviewers": [{**r, "documents": len(r["documents"])} for r in reviewers.values()],
        "method": ("A person read a random sample of the scrubbed documents and marked every identifier left in them. "
                   f"Share of documents with at least one leak: exact one-sided {CONFIDENCE:.0%} Clopper-Pearson upper bound "
                   "(the 0.95 quantile of Beta(x + 1, n - x) for x leaky documents of n). Leaks per 1,000 documents: exact one-sided "
                   f"{CONFIDENCE:.0%} Poisson upper bound (chi-square quantile with 2k + 2 degrees of freedom, halved, for k leaks, per document). "
                   "The bounds hold for the dataset the sample was drawn from, if the reviewer missed nothing."),
    }


def gate_review(summary: dict[str, Any], max_risk: float):
    """The ``review`` check of ``scrubber check``: the upper bound on the share of leaky documents against ``max_risk``."""
    from scrubber.risk import Check

    n = summary["sample"]["documents"]
    reason = (f"{summary['documents_with_leaks']} of {n} reviewed documents had a leak ({summary['leaks']} leaks); "
              f"share {summary['share']:.4f}, {summary['confidence']:.0%} upper bound {summary['share_upper']:.4f}; allowed {max_risk}; "
              f"leaks per 1,000 documents {summary['per_1000']:.1f} (upper bound {summary['per_1000_upper']:.1f})")
    return Check("review", summary["share_upper"] <= max_risk, reason)


# -- rendering (report and card) --------------------------------------------------------------------
def _esc(value: Any) -> str:
    import html

    return html.escape(str(value), quote=True)


def _review_sentences(s: dict[str, Any]) -> list[str]:
    n = s["sample"]["documents"]
    who = "; ".join(f"{r['reviewer']} ({r['documents']} documents, {r['decisions']} decisions, {r['first']} to {r['last']})" for r in s["reviewers"]) or "nobody"
    return [
        f"A person read {n} of the {s['sample']['population']} scrubbed documents, drawn at random "
        f"({s['sample']['method']}; seed {s['sample']['seed']}), and marked every identifier still in them.",
        f"They found {s['leaks']} identifiers left in {s['documents_with_leaks']} documents "
        f"({s['confirmed_scan_leaks']} suspected by the leak scan and confirmed, {s['missed_marked_by_reviewer']} the scan did not point at; "
        f"{s['dismissed_false_alarms']} suspicions of the scan were false alarms).",
        f"So, with {s['confidence']:.0%} confidence, at most {s['share_upper']:.1%} of the dataset's documents hold an identifier "
        f"(observed {s['share']:.1%}), and at most {s['per_1000_upper']:.0f} identifiers are left per 1,000 documents (observed {s['per_1000']:.0f}).",
        f"Reviewed by: {who}.",
        f"Method: {s['method']}",
    ]


def review_html(s: dict[str, Any]) -> str:
    """The report's "Human review" section."""
    rows = "".join(f"<tr><td>{_esc(a)}</td><td class=\"num\">{_esc(b)}</td></tr>" for a, b in (
        ("Documents reviewed (sample / all)", f"{s['sample']['documents']} / {s['sample']['population']}"),
        ("Documents with at least one leak", f"{s['documents_with_leaks']} ({s['share']:.1%})"),
        (f"Upper bound, {s['confidence']:.0%} (share of documents)", f"{s['share_upper']:.1%}"),
        ("Leaks found", str(s["leaks"])),
        (f"Leaks per 1,000 documents (upper bound, {s['confidence']:.0%})", f"{s['per_1000']:.0f} ({s['per_1000_upper']:.0f})"),
    ))
    paragraphs = "".join(f"<p>{_esc(t)}</p>" for t in _review_sentences(s))
    return f'<section id="review"><h2>Human review of a random sample</h2><table>{rows}</table>{paragraphs}</section>'


def review_markdown(s: dict[str, Any]) -> list[str]:
    """The Markdown report's and the card's "Human review" section, as lines."""
    lines = ["## Human review of a random sample", "",
             "| figure | value |", "|---|---|",
             f"| documents reviewed (sample / all) | {s['sample']['documents']} / {s['sample']['population']} |",
             f"| documents with at least one leak | {s['documents_with_leaks']} ({s['share']:.1%}) |",
             f"| upper bound, {s['confidence']:.0%}, share of documents | {s['share_upper']:.1%} |",
             f"| leaks found | {s['leaks']} |",
             f"| leaks per 1,000 documents (upper bound) | {s['per_1000']:.0f} ({s['per_1000_upper']:.0f}) |", ""]
    for sentence in _review_sentences(s):
        lines += [sentence, ""]
    return lines


# -- feedback: allow-list and deny-list ------------------------------------------------------------------
_TOKEN = re.compile(r"[^\s]+")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Whitespace-separated tokens with leading/trailing punctuation stripped: ``(start, end, token)``.

    The deny-list fingerprints these, in the review export and in the engine alike.

    Example:
        >>> tokens("Seen by Dr. O'Neil, (617) 555-0199.")
        [(0, 4, 'Seen'), (5, 7, 'by'), (8, 10, 'Dr'), (12, 18, "O'Neil"), (21, 24, '617'), (26, 34, '555-0199')]
    """
    out = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        lead = _EDGE.match(word)
        start = m.start() + (lead.end() if lead and lead.start() == 0 else 0)
        stripped = _EDGE.sub("", word)
        if stripped:
            out.append((start, start + len(stripped), stripped))
    return out


def _deniable(token: str) -> bool:
    """A token specific enough to hide everywhere: not a common or clinical word, not a short number."""
    from recognizers.lexicon import english_top, is_common

    if token.isdigit():
        return len(token) >= 4
    if len(token) < 2:
        return False
    return not is_common(token) and token.casefold() not in english_top()


def _decided_spans(review_dir: Path, decisions: tuple[str, ...]) -> list[tuple[SampledDocument, dict[str, Any]]]:
    sample = load_sample(review_dir)
    state = ReviewStore(review_dir, sample).state()
    return [(sample.documents[i], line) for i, s in state.items() for line in s["spans"].values() if line["decision"] in decisions]


def _texts(dataset: Path, wanted: set[tuple[str, int]], options) -> dict[tuple[str, int], str]:
    from scrubber.io.readers import read
    from scrubber.risk import _audit_path, dataset_files, load_audit

    audit = _audit_path([dataset])
    index = load_audit(audit) if audit is not None else None
    out = {}
    for f in dataset_files([dataset], index):
        relative = f.relative.as_posix()
        for position, record in enumerate(read(f, options)):
            if (relative, position) in wanted and record.text is not None:
                out[(relative, position)] = record.text
    return out


def _check_dataset(review_dir: Path, dataset: Path) -> Sample:
    from scrubber.risk import _audit_path

    sample = load_sample(review_dir)
    audit = _audit_path([dataset])
    if audit is None:
        raise ScrubberError("E503", f"no audit.jsonl in {dataset}", "pass the folder the scrub run wrote")
    if audit_digest(audit) != sample.digest:
        raise ScrubberError(REVIEW_OTHER_DATASET, f"the review in {review_dir} is of another scrub run than {dataset}", "pass the dataset the review was made of")
    return sample


def export_allow(review_dir: Path, dataset: Path, options=None) -> list[str]:
    """Words of the leak scan's suspicions that the reviewer dismissed as not a leak, sorted and unique.

    These words are not PHI by the reviewer's decision; they are meant for a policy's
    ``allow`` list, so the next scrub leaves them alone.
    """
    from scrubber.io.readers import ReadOptions

    sample = _check_dataset(review_dir, dataset)
    options = options or ReadOptions(**sample.options)
    spans = _decided_spans(review_dir, ("not_leak",))
    texts = _texts(dataset, {(d.output, d.index) for d, _ in spans}, options)
    words = set()
    for d, line in spans:
        text = texts.get((d.output, d.index), "")
        value = " ".join(text[int(line["start"]) : int(line["end"])].split())
        if value:
            words.add(value)
    return sorted(words)


def allow_toml(words: list[str], review_dir: Path) -> str:
    """A ``allow = [...]`` block to add to a policy file."""
    items = ",\n".join(f"    {json.dumps(w, ensure_ascii=False)}" for w in words)
    return (f"# Dismissed as not identifying by the review in {review_dir} (`scrubber review --export-allow`).\n"
            f"# Add to your policy file; the words are hidden nowhere once they are allowed.\n"
            f"allow = [\n{items}\n]\n" if words else f"# The review in {review_dir} dismissed no suspicions.\nallow = []\n")


def export_deny(review_dir: Path, dataset: Path, key, options=None) -> dict[str, Any]:
    """Keyed fingerprints of the tokens of every confirmed leak and reviewer-marked identifier.

    ``key`` must be the scrub run's key (a random per-run key cannot be used again, E276).
    The fingerprints are HMAC-SHA256 under it (:meth:`scrubber.keys.Key.fingerprint`); the
    strings are never written. Common words and numbers shorter than four digits are left
    out, so "Dr" or "22" of a marked span is not hidden everywhere.
    """
    from scrubber.io.readers import ReadOptions

    if key.source == "random":
        raise ScrubberError(DENY_NEEDS_KEY, "the deny-list needs the scrub run's key", "pass --key-file KEY or set SCRUBBER_KEY to the key the dataset was scrubbed with")
    sample = _check_dataset(review_dir, dataset)
    options = options or ReadOptions(**sample.options)
    spans = _decided_spans(review_dir, ("leak", "missed"))
    texts = _texts(dataset, {(d.output, d.index) for d, _ in spans}, options)
    fingerprints: dict[str, str] = {}
    for d, line in spans:
        text = texts.get((d.output, d.index), "")
        for _, _, token in tokens(text[int(line["start"]) : int(line["end"])]):
            if _deniable(token):
                fingerprints.setdefault(key.fingerprint(token), line.get("type") or "PERSON")
    return {"kind": DENY_KIND, "schema": 1, "key_check": key.derive("deny-list").fingerprint(_KEY_CHECK),
            "audit_digest": sample.digest, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "fingerprints": dict(sorted(fingerprints.items()))}


def load_deny_list(path: Path, key) -> dict[str, str]:
    """Read a deny-list written by :func:`export_deny` and check it was made with ``key``.

    Raises:
        ScrubberError: E277 unreadable, not a deny-list, or made with another key.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        ok = data.get("kind") == DENY_KIND and isinstance(data.get("fingerprints"), dict)
    except (OSError, ValueError, AttributeError):
        ok = False
    if not ok:
        raise ScrubberError(DENY_LIST_INVALID, f"{path} is not a deny-list", "write one with: scrubber review DATASET --out REVIEW_DIR --export-deny FILE")
    if key.derive("deny-list").fingerprint(_KEY_CHECK) != data.get("key_check"):
        raise ScrubberError(DENY_LIST_INVALID, f"{path} was made with another key than this run's",
                            "scrub with the key the reviewed dataset was scrubbed with (--key-file or SCRUBBER_KEY)")
    from recognizers import ENTITY_TYPES

    return {str(fp): (t if t in ENTITY_TYPES else "PERSON") for fp, t in data["fingerprints"].items()}
