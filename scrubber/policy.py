"""Anonymization policy: what is detected, at what score, and how it is replaced.

A :class:`Policy` is validated once, when it is built; its :attr:`Policy.digest`
identifies a run's behaviour in the audit log. Presets are plain data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from recognizers import ENTITY_TYPES

OPERATORS = ("tag",)
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class Policy:
    """A validated policy.

    Attributes:
        name: Preset or file name, for humans.
        entities: Entity types that are detected and hidden.
        thresholds: Minimum score per entity type (missing types use ``default_threshold``).
        operators: Operator name per entity type (missing types use ``default_operator``).
        recognizers: Registered recognizer names to run; ``None`` runs all.

    Example:
        >>> Policy(name="tags").operator_for("PERSON")
        'tag'
    """

    name: str = "tags"
    entities: tuple[str, ...] = ENTITY_TYPES
    default_threshold: float = DEFAULT_THRESHOLD
    thresholds: Mapping[str, float] = field(default_factory=dict)
    default_operator: str = "tag"
    operators: Mapping[str, str] = field(default_factory=dict)
    recognizers: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        unknown = [e for e in (*self.entities, *self.thresholds, *self.operators) if e not in ENTITY_TYPES]
        if unknown:
            raise ValueError(f"E210 unknown entity type(s) {sorted(set(unknown))}; known: {list(ENTITY_TYPES)}")
        bad_ops = [o for o in (self.default_operator, *self.operators.values()) if o not in OPERATORS]
        if bad_ops:
            raise ValueError(f"E211 unknown operator(s) {sorted(set(bad_ops))}; known: {list(OPERATORS)}")
        for entity, score in {"default": self.default_threshold, **self.thresholds}.items():
            if not 0.0 <= score <= 1.0:
                raise ValueError(f"E212 threshold for {entity} must be within [0, 1], got {score}")
        object.__setattr__(self, "thresholds", MappingProxyType(dict(self.thresholds)))
        object.__setattr__(self, "operators", MappingProxyType(dict(self.operators)))

    def threshold_for(self, entity: str) -> float:
        """Minimum score for ``entity``."""
        return self.thresholds.get(entity, self.default_threshold)

    def operator_for(self, entity: str) -> str:
        """Operator name for ``entity``."""
        return self.operators.get(entity, self.default_operator)

    def to_dict(self) -> dict:
        """Canonical, JSON-ready form (the digest is computed over it)."""
        return {
            "name": self.name,
            "entities": sorted(self.entities),
            "default_threshold": self.default_threshold,
            "thresholds": dict(sorted(self.thresholds.items())),
            "default_operator": self.default_operator,
            "operators": dict(sorted(self.operators.items())),
            "recognizers": sorted(self.recognizers) if self.recognizers is not None else None,
        }

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON form: the policy's identity in the audit log."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":")).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()


PRESETS: Mapping[str, Policy] = MappingProxyType({"tags": Policy(name="tags")})


def resolve_policy(policy: Policy | str | None) -> Policy:
    """A policy object, a preset name, or ``None`` for the default (``tags``).

    Raises:
        ValueError: E213 for an unknown preset name.
    """
    if policy is None:
        return PRESETS["tags"]
    if isinstance(policy, Policy):
        return policy
    if policy in PRESETS:
        return PRESETS[policy]
    raise ValueError(f"E213 unknown policy preset {policy!r}; presets: {sorted(PRESETS)}")
