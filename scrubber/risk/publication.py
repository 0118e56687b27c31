"""The pre-publication check as a library call: :func:`check` (``scrubber check`` is a thin caller).

It verifies a scrub output folder's provenance against its audit log, assesses its residual
risk, applies the thresholds, and writes the report and the dataset card when asked. It
prints nothing and exits nothing: the result says what passed, what failed and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from scrubber.errors import ScrubberError
from scrubber.io.readers import ReadOptions
from scrubber.risk.assessment import assess
from scrubber.risk.auditlog import _audit_path, load_audit
from scrubber.risk.gate import DEFAULT_LIMITS, Check, gate, verify_provenance, verify_records
from scrubber.risk.leaks import LeakScanner
from scrubber.risk.values import QI_FIELDS, Assessment, DocumentRisk


@dataclass
class CheckResult:
    """The outcome of :func:`check`.

    Attributes:
        passed: True only when every check passed: safe to share by every check.
        checks: Every check run, in order (provenance, records, thresholds, review, card).
        data: The JSON result of ``scrubber check --json``: the assessment with a ``check``
            section (verdict, limits, checks); only the ``check`` section when the audit
            log's hash chain is broken or its run record is missing.
        assessment: The residual-risk assessment; ``None`` when the check stopped at the audit log.
        report: The ``report.html`` and ``report.md`` written, or ``None``.
        card: The dataset card written, or ``None``.
        notes: Read options given that differ from the run record's (see
            :func:`~scrubber.risk.auditlog.resolve_read_options`).
    """

    passed: bool
    checks: list[Check]
    data: dict[str, Any]
    assessment: Assessment | None = None
    report: tuple[Path, Path] | None = None
    card: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """``"name: reason"`` of every failed check (empty when the check passed)."""
        return [f"{c.name}: {c.reason}" for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        """The JSON result (``scrubber check --json``)."""
        return self.data


def _evaluation_dict(path: Path | None) -> dict | None:
    return None if path is None else json.loads(Path(path).read_text(encoding="utf-8"))


def check(
    dataset: str | Path,
    *,
    policy: Any = None,
    max_leaks: int | None = None,
    max_risk: float | None = None,
    min_k: int | None = None,
    card: str | Path | None = None,
    review: str | Path | None = None,
    audit: str | Path | None = None,
    evaluation: str | Path | None = None,
    report: str | Path | None = None,
    k: int | None = None,
    qi_fields: Iterable[str] = QI_FIELDS,
    options: ReadOptions | Mapping[str, str | None] | None = None,
    scanner: LeakScanner | None = None,
    on_document: Callable[[DocumentRisk], None] | None = None,
) -> CheckResult:
    """The pre-publication gate: is a scrub output folder safe to share by every check?

    Verifies provenance (the audit log's hash chain; every output file's SHA-256 equals the
    run record's; no unaudited file, crosswalk or key in the folder; every output record
    audited; the policy digest matches the declared policy), assesses the residual risk
    (:func:`~scrubber.risk.assessment.assess`), and applies the thresholds: the arguments,
    else the policy's ``[check]`` section, else max_leaks 0, max_risk 0.05, min_k 1.

    Args:
        dataset: A ``scrub --out`` folder: outputs plus ``audit.jsonl``.
        policy: The policy the data was declared to be scrubbed with (a Policy, preset name or
            TOML file) [default: the run's policy when it is a preset].
        max_leaks: Most likely leaks allowed.
        max_risk: Highest dataset risk score allowed (and, with ``review``, the highest 95%
            upper bound on the share of documents with a leak).
        min_k: Smallest k-anonymity required.
        card: Dataset card to write or refresh; the check fails while its publisher fields are blank.
        review: A finished ``scrubber review`` folder of this dataset.
        audit: The run's audit log [default: ``dataset/audit.jsonl``].
        evaluation: A ``scrubber evaluate --json`` result (calibrated estimate, card accuracy).
        report: Folder for ``report.html`` and ``report.md``.
        k: k of the share-below-k figure [default: the gate's min_k].
        qi_fields: Quasi-identifiers that form the equivalence classes.
        options: Field/column names to read the outputs with. ``None`` (the default) takes
            them from the audit log's run record (today's defaults for a log written before
            it kept them); a mapping sets only the named ones, and those win over the run
            record's (a difference is listed in ``notes``); a ReadOptions is used as given.
        scanner: A prebuilt :class:`~scrubber.risk.leaks.LeakScanner`.
        on_document: Called with each scanned document (progress).

    Returns:
        The verdict, the checks, the JSON result and the paths written. A broken audit log
        (E501, E502) is a failed ``audit-chain`` check, not an exception.

    Raises:
        ScrubberError: usage errors (exit 2 in the CLI): E201 not a folder, E503 no audit
            log, a policy that cannot be read, a review that is incomplete or of another run,
            E219 unknown quasi-identifier or option, E504 unreadable evaluation, E520-E522 card.

    Example:
        >>> from scrubber.risk import check  # doctest: +SKIP
        >>> result = check("out/", policy="safe-harbor", min_k=5)  # doctest: +SKIP
        >>> result.passed, result.reasons  # doctest: +SKIP
        (False, ['k-anonymity: k-anonymity 1 over age, sex, ... required 5'])
    """
    dataset = Path(dataset)
    card = Path(card) if card is not None else None
    if not dataset.is_dir():
        raise ScrubberError("E201", f"{dataset}: not a folder", "pass the --out folder of a scrub run")
    audit_path = Path(audit) if audit is not None else _audit_path([dataset])
    if audit_path is None:
        raise ScrubberError("E503", f"no audit.jsonl in {dataset}", "pass --audit PATH, or check the folder a scrub run wrote")
    try:
        index = load_audit(audit_path)
    except ScrubberError as exc:
        if exc.code not in ("E501", "E502"):
            raise
        failed = [Check("audit-chain", False, str(exc).split(". Fix:")[0])]
        return CheckResult(False, failed, {"check": {"passed": False, "checks": [c.to_dict() for c in failed]}})
    declared = None
    if policy is not None:
        from scrubber.policy import PolicyError, resolve_policy

        try:
            declared = resolve_policy(policy)
        except PolicyError as exc:
            raise ScrubberError(exc.code, exc.message, exc.fix) from None
    checks = verify_provenance(dataset, index, policy=declared, expected={p for p in (audit_path, card) if p is not None})
    limits: dict[str, float] = dict(DEFAULT_LIMITS)
    if declared is None and (index.run.get("policy") or {}).get("name"):
        from scrubber.policy import PRESETS

        declared = PRESETS.get(index.run["policy"]["name"])
    if declared is not None:
        limits.update(declared.check)
    for name, value in (("max_leaks", max_leaks), ("max_risk", max_risk), ("min_k", min_k)):
        if value is not None:
            limits[name] = value
    reviewed = None
    if review is not None:  # refused before the scan when incomplete or of another run
        from scrubber.review import audit_digest, check_review_dir, summarize

        check_review_dir(Path(review), dataset)
        reviewed = summarize(Path(review), digest=audit_digest(audit_path))
    assessment = assess([dataset], audit=audit_path, evaluation=evaluation, options=options,
                        k=k if k is not None else max(1, int(limits["min_k"])), qi_fields=qi_fields,
                        scanner=scanner, on_document=on_document)
    checks.append(verify_records(assessment, index))
    checks += gate(assessment, limits)
    data = assessment.to_dict()
    data["check"] = {"limits": limits}  # the report and the card state the gate's k (completed below)
    if reviewed is not None:
        from scrubber.review import gate_review

        checks.append(gate_review(reviewed, limits["max_risk"]))
        data["review"] = reviewed
    evaluation_data = _evaluation_dict(Path(evaluation)) if evaluation is not None else None
    if card is not None:
        from scrubber.report import verify_card, write_card

        policy_dict = declared.to_dict() if declared else None
        write_card(data, card, evaluation=evaluation_data, checks=[c.to_dict() for c in checks],
                   passed=all(c.passed for c in checks), policy=policy_dict)
        blank = verify_card(card)
        checks.append(Check("dataset-card", not blank, f"publisher fields still blank in {card}: {', '.join(blank)}" if blank else f"{card} is complete"))
        # the card states the run's verdict, its own check included (never "PASS" on a run that fails)
        write_card(data, card, evaluation=evaluation_data, checks=[c.to_dict() for c in checks],
                   passed=all(c.passed for c in checks), policy=policy_dict)
    passed = all(c.passed for c in checks)
    data["check"] = {"passed": passed, "limits": limits, "checks": [c.to_dict() for c in checks]}
    written = None
    if report is not None:
        from scrubber.report import write_report

        written = write_report(data, Path(report), checks=[c.to_dict() for c in checks], passed=passed, evaluation=evaluation_data)
    return CheckResult(passed, checks, data, assessment, written, card, list(assessment.notes))
