"""Residual-risk scoring of scrubbed output and the pre-publication check.

A second, independent look at what a run *wrote*, by job: :mod:`~scrubber.risk.values`
(value types), :mod:`~scrubber.risk.auditlog` (reading the run), :mod:`~scrubber.risk.leaks`
(leak scan), :mod:`~scrubber.risk.quasi` (quasi-identifiers), :mod:`~scrubber.risk.estimate`
(calibrated residual estimate), :mod:`~scrubber.risk.assessment` (:func:`assess`),
:mod:`~scrubber.risk.gate` (provenance and thresholds) and :mod:`~scrubber.risk.publication`
(:func:`check`, the library call behind ``scrubber check``).
"""

from scrubber.risk.assessment import assess
from scrubber.risk.auditlog import _audit_path  # noqa: F401 - scrubber.review imports it from here
from scrubber.risk.auditlog import AuditIndex, dataset_files, load_audit, resolve_read_options
from scrubber.risk.estimate import load_evaluation, residual_estimate
from scrubber.risk.gate import DEFAULT_LIMITS, Check, gate, unexpected_entries, verify_provenance, verify_records
from scrubber.risk.leaks import CONFIDENCE, LOW_THRESHOLD, LeakScanner, context, default_scanner, name_lexicon
from scrubber.risk.publication import CheckResult, check
from scrubber.risk.quasi import quasi_identifiers
from scrubber.risk.values import DEFAULT_K, LIKELY, LOWER_BOUND_NOTE, QI_FIELDS, Assessment, DocumentRisk, Leak

__all__ = [
    "CONFIDENCE", "DEFAULT_K", "DEFAULT_LIMITS", "LIKELY", "LOWER_BOUND_NOTE", "LOW_THRESHOLD", "QI_FIELDS",
    "Assessment", "AuditIndex", "Check", "CheckResult", "DocumentRisk", "Leak", "LeakScanner",
    "assess", "check", "context", "dataset_files", "default_scanner", "gate", "load_audit", "load_evaluation",
    "name_lexicon", "quasi_identifiers", "residual_estimate", "resolve_read_options", "unexpected_entries",
    "verify_provenance", "verify_records",
]
