"""The publication gate's checks: provenance of a dataset against its audit log, and thresholds.

The library call that runs them all is :func:`scrubber.risk.publication.check`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scrubber.risk.auditlog import AuditIndex
from scrubber.risk.values import LIKELY, LOWER_BOUND_NOTE, Assessment


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
