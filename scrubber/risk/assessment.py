"""The residual-risk assessment of already-scrubbed output (``scrubber risk``).

It never needs the original text: the leak scan (:mod:`scrubber.risk.leaks`), the
quasi-identifiers and their equivalence classes (:mod:`scrubber.risk.quasi`) and, with an
evaluation file, the calibrated estimate (:mod:`scrubber.risk.estimate`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from scrubber.errors import ScrubberError
from scrubber.io.readers import InputFile, ReadOptions, read
from scrubber.risk.auditlog import _audit_path, dataset_files, load_audit, resolve_read_options
from scrubber.risk.estimate import load_evaluation, residual_estimate
from scrubber.risk.leaks import LeakScanner, default_scanner
from scrubber.risk.quasi import _merge_quasi, quasi_identifiers
from scrubber.risk.values import DEFAULT_K, QI_FIELDS, Assessment, DocumentRisk, Leak


def assess(
    paths: Iterable[str | Path],
    *,
    audit: str | Path | None = None,
    evaluation: str | Path | None = None,
    options: ReadOptions | Mapping[str, str | None] | None = None,
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
        options: Field/column names, as for ``scrub`` (``patient_field`` groups QIs per patient):
            a :class:`~scrubber.io.readers.ReadOptions` is used as given; a mapping names only
            the options to set, the others come from the run record (see
            :func:`~scrubber.risk.auditlog.resolve_read_options`); ``None`` takes them all from
            the run record, or the defaults for a log written before it kept them (schema < 3).
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
    if isinstance(options, ReadOptions):
        read_options, notes = options, []
    else:
        read_options, notes = resolve_read_options(index.run if index is not None else None, options)
    files = dataset_files(path_list, index)
    scanner = scanner or default_scanner()
    documents: list[DocumentRisk] = []

    def records() -> Iterator[tuple[InputFile, int, Any]]:
        for f in files:
            for position, record in enumerate(read(f, read_options)):
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
    return Assessment(documents, k, qi_fields, dict(classes), residual, audit_summary, [str(p) for p in path_list],
                      read_options=read_options, notes=notes)
