"""Anonymization policy: what is detected, at what score, and how it is replaced.

A :class:`Policy` is validated once, when it is built; its :attr:`Policy.digest`
identifies a run's behaviour in the audit log. Presets are plain data; a policy
file (TOML) is validated strictly: a missing file, a parse error, an unknown
key, entity type, operator, operator parameter or recognizer is an error with a
code and the fix, never a silent fallback to defaults.

Policy file (``scrubber policy show tags`` prints a complete one)::

    name = "research-export"
    preset = "safe-harbor"          # optional: start from a preset
    default_threshold = 0.5
    default_operator = "tag"
    entities = ["PERSON", "DATE"]   # optional: default all
    disable_recognizers = ["year"]  # optional
    allow = ["Walker", "Foley"]     # optional: words never hidden (e.g. from `scrubber review --export-allow`)

    [thresholds]
    PERSON = 0.6

    [operators]
    DATE = "year"
    PERSON = { name = "mask", char = "#" }

    allow_weakened = ["AGE"]        # opt-in: what the policy may leave unhidden (see below)
    [check]                         # optional: thresholds of `scrubber check`
    max_leaks = 0
    max_risk = 0.05
    min_k = 5

A policy that leaves a Safe Harbor family unhidden (left out of ``entities``, a
threshold above :data:`THRESHOLD_CEILING`, or every recognizer of the type disabled)
is an error (E239) unless each such type is named in ``allow_weakened`` (or
``allow_weakened = ["ALL"]``): a policy that hides nothing must say so.

Presidio's entity names (``DATE_TIME``, ``US_DRIVER_LICENSE``, ...: :data:`ENTITY_ALIASES`) and
anonymizer operator configs (``{ type = "replace", new_value = "<NAME>" }``, ``mask`` with
``masking_char``, ``hash`` with ``hash_type``) are accepted and resolved to the project's names before
the policy is built, so the digest is unchanged; what does not map cleanly is refused with the reason.

Operators that depend on the patient (``shift``) use the record's patient key, or
its document id where no patient is given.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from recognizers import ENTITY_TYPES
from scrubber.errors import PolicyError

DEFAULT_THRESHOLD = 0.5

# Above this score threshold a type is weakened: most findings score 0.3-0.9 before a
# context boost or checksum; only those reach 1.0 (names, dates and IDs stay in).
THRESHOLD_CEILING = 0.9

# ``allow_weakened`` value that opts in for every type (leak scans, tests).
ALLOW_ALL = "ALL"

# Operator name -> allowed parameters (with their types). Operators are implemented in
# scrubber.operators; this table is what a policy may name.
OPERATOR_PARAMS: Mapping[str, Mapping[str, type]] = MappingProxyType(
    {
        "tag": MappingProxyType({"format": str}),  # "[{type}]" by default
        "redact": MappingProxyType({}),  # remove the text
        "mask": MappingProxyType({"char": str}),  # same-length characters
        "hash": MappingProxyType({"length": int}),  # keyed HMAC-SHA256, truncated, type prefix
        "year": MappingProxyType({}),  # Safe Harbor date: keep the year only (else tag)
        "age90": MappingProxyType({}),  # Safe Harbor age: 90 and over become "90+"
        "zip3": MappingProxyType({}),  # Safe Harbor ZIP: first three digits, restricted prefixes 000
        "shift": MappingProxyType({"max_days": int, "keep_weekday": bool}),  # per-patient date shift, format kept (else tag)
        "surrogate": MappingProxyType({}),  # consistent realistic fake of the same shape (else tag)
    }
)
OPERATORS = tuple(OPERATOR_PARAMS)
# [check] keys: type, lowest and highest allowed value
CHECK_LIMITS: Mapping[str, tuple[type, float, float]] = MappingProxyType(
    {"max_leaks": (int, 0, 10**9), "max_risk": (float, 0.0, 1.0), "min_k": (int, 1, 10**9)}
)
POLICY_KEYS = frozenset(
    ("name", "preset", "default_threshold", "default_operator", "entities", "disable_recognizers", "recognizers",
     "thresholds", "operators", "check", "allow_weakened", "allow")
)


@dataclass(frozen=True)
class OperatorSpec:
    """An operator name and its parameters.

    Example:
        >>> OperatorSpec("mask", {"char": "#"}).name
        'mask'
    """

    name: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.name not in OPERATOR_PARAMS:
            raise PolicyError("E211", f"unknown operator {self.name!r}", f"use one of {', '.join(OPERATORS)}")
        allowed = OPERATOR_PARAMS[self.name]
        for key, value in self.params.items():
            if key not in allowed:
                raise PolicyError("E217", f"operator {self.name!r} has no parameter {key!r}",
                                  f"allowed: {', '.join(allowed) or 'none'}")
            if not isinstance(value, allowed[key]) or (isinstance(value, bool) and allowed[key] is not bool):
                raise PolicyError("E217", f"parameter {key!r} of {self.name!r} must be {allowed[key].__name__}",
                                  "fix the value's type")
        if self.name == "mask" and len(self.params.get("char", "*")) != 1:
            raise PolicyError("E217", "mask char must be a single character", 'use e.g. char = "*"')
        if self.name == "hash" and not 8 <= self.params.get("length", 16) <= 64:
            raise PolicyError("E217", "hash length must be between 8 and 64", "use e.g. length = 16")
        if self.name == "shift" and not (7 if self.params.get("keep_weekday") else 1) <= self.params.get("max_days", 365) <= 3650:
            raise PolicyError("E217", "shift max_days must be between 1 (7 with keep_weekday) and 3650", "use e.g. max_days = 365")
        if self.name == "tag":
            try:
                shown = self.params.get("format", "[{type}]").format(type="PERSON")
            except (KeyError, IndexError, ValueError):
                shown = ""
            if not shown.strip():
                raise PolicyError("E217", "tag format must be a non-empty text whose only placeholder is {type}",
                                  'use e.g. format = "<{type}>" or a fixed text such as "<REDACTED>"; write {{ and }} for braces')
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def to_dict(self) -> dict:
        return {"name": self.name, **dict(sorted(self.params.items()))}


# -- Presidio's vocabulary ---------------------------------------------------------------------------
#
# Presidio entity name -> the project type it is written as. Each maps onto exactly one project type;
# a setting made under the alias applies to the whole project type (US_PASSPORT and US_ITIN are
# findings of type ID, so `US_PASSPORT = "hash"` hashes every ID). Resolved before a policy is built,
# so a policy written with aliases has the digest of the same policy written with project names, and
# existing policies keep theirs.
ENTITY_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "DATE_TIME": "DATE",
        "US_DRIVER_LICENSE": "LICENSE_NUMBER",
        "MEDICAL_LICENSE": "LICENSE_NUMBER",
        "US_PASSPORT": "ID",
        "US_ITIN": "ID",
        "US_BANK_NUMBER": "ACCOUNT_NUMBER",
        "IBAN_CODE": "ACCOUNT_NUMBER",
    }
)
# Presidio entity names with no project type, and why (E210 names the reason).
UNMAPPED_ENTITIES: Mapping[str, str] = MappingProxyType(
    {
        "NRP": "nationality, religious or political group is not a Safe Harbor identifier and the scrubber has no type for it",
        "ORGANIZATION": "the scrubber finds organisations only as HOSPITAL (use HOSPITAL)",
        "CRYPTO": "the scrubber has no crypto wallet recognizer",
    }
)
# Presidio anonymizer operators the scrubber refuses, and why (E211 names the reason and the fix).
REFUSED_PRESIDIO_OPERATORS: Mapping[str, str] = MappingProxyType(
    {
        "keep": "Presidio's keep leaves the value in the text; to leave a type unhidden, leave it out of entities "
        "and name it in allow_weakened",
        "encrypt": "Presidio's encrypt puts a reversible key in the policy file; use hash (keyed, one-way) or the "
        "surrogate policy with --crosswalk (reversible, key kept apart)",
        "custom": "a policy file cannot hold code; register an operator in scrubber.policy.OPERATOR_PARAMS",
    }
)
# chars_to_mask at or above this is Presidio's way of saying "mask the whole value"; the scrubber always
# masks whole values, so a smaller count (which leaves part of the value in the text) is refused.
MASK_ALL = 100


def canonical_entity(name: Any, where: str = "policy") -> Any:
    """The project type for an entity name or one of Presidio's names (:data:`ENTITY_ALIASES`).

    Raises:
        PolicyError: E210 for a Presidio name the scrubber has no type for, with the reason.

    Example:
        >>> canonical_entity("DATE_TIME"), canonical_entity("PERSON")
        ('DATE', 'PERSON')
    """
    if isinstance(name, str) and name in UNMAPPED_ENTITIES:
        raise PolicyError("E210", f"{where}: Presidio entity {name!r} has no scrubber type ({UNMAPPED_ENTITIES[name]})",
                          f"leave it out; Presidio names the scrubber accepts: {', '.join(ENTITY_ALIASES)}")
    return ENTITY_ALIASES.get(name, name) if isinstance(name, str) else name


def _canonical_entities(entities: Any) -> tuple:
    """``entities`` with Presidio names as project types; an alias of a type already listed adds nothing
    (other repeats are kept as they were, so no existing policy's digest changes)."""
    given = {e for e in entities if isinstance(e, str)}
    out: list[Any] = []
    for name in entities:
        entity = canonical_entity(name, "entities")
        if entity != name and (entity in given or entity in out):
            continue
        out.append(entity)
    return tuple(out)


def _canonical_keys(table: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``table`` with Presidio entity names replaced by project types; two names of one type must agree."""
    out: dict[str, Any] = {}
    given: dict[str, str] = {}
    for key, value in table.items():
        entity = canonical_entity(key, where)
        if entity in out and _spec_or_value(out[entity]) != _spec_or_value(value):
            raise PolicyError("E210", f"{where}: {given[entity]!r} and {key!r} both set {entity} to different values",
                              f"set it once ({', '.join(sorted(k for k, v in ENTITY_ALIASES.items() if v == entity))} are Presidio names for {entity})")
        out.setdefault(entity, value)
        given.setdefault(entity, key)
    return out


def _spec_or_value(value: Any) -> Any:
    try:
        return _spec(value, "")
    except PolicyError:
        return value


def _from_presidio(name: str, params: dict[str, Any], where: str) -> tuple[str, dict[str, Any]]:
    """A Presidio anonymizer operator config as the project operator it maps onto.

    ``replace{new_value}`` is ``tag`` (Presidio's default value ``<TYPE>`` when none is given), ``mask``'s
    ``masking_char`` is ``char`` (``chars_to_mask`` must cover the whole value, ``from_end`` then changes
    nothing), ``hash{hash_type="sha256"}`` is the scrubber's keyed HMAC-SHA256. ``keep``, ``encrypt``
    and ``custom`` are refused (:data:`REFUSED_PRESIDIO_OPERATORS`).
    """
    if name in REFUSED_PRESIDIO_OPERATORS:
        raise PolicyError("E211", f"{where}: Presidio operator {name!r} is refused ({REFUSED_PRESIDIO_OPERATORS[name]})",
                          f"use one of {', '.join(OPERATORS)} or Presidio's replace, redact, mask, hash")
    params = dict(params)
    if name == "replace":
        unknown = sorted(set(params) - {"new_value"})
        if unknown:
            raise PolicyError("E217", f"{where}: Presidio operator 'replace' has no parameter(s) {unknown}", "allowed: new_value")
        value = params.get("new_value", "<{type}>")
        if not isinstance(value, str):
            raise PolicyError("E217", f"{where}: parameter 'new_value' of 'replace' must be str", "fix the value's type")
        if "{type}" not in value:  # a fixed text: braces are literal
            value = value.replace("{", "{{").replace("}", "}}")
        return "tag", {"format": value}
    if name == "mask":
        if "masking_char" in params:
            if "char" in params:
                raise PolicyError("E217", f"{where}: mask has both char and masking_char", "keep one of them")
            params["char"] = params.pop("masking_char")
        count = params.pop("chars_to_mask", None)
        from_end = params.pop("from_end", None)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < MASK_ALL):
            raise PolicyError("E217", f"{where}: mask chars_to_mask = {count!r} would leave part of the value in the text "
                              "(the scrubber masks whole values)", f"drop chars_to_mask and from_end, or set chars_to_mask to at least {MASK_ALL}")
        if from_end is not None and not isinstance(from_end, bool):
            raise PolicyError("E217", f"{where}: parameter 'from_end' of 'mask' must be bool", "fix the value's type")
    if name == "hash" and "hash_type" in params:
        kind = params.pop("hash_type")
        if kind != "sha256":
            raise PolicyError("E217", f"{where}: hash_type = {kind!r}: the scrubber's hash is HMAC-SHA256 keyed by the run key "
                              "(Presidio's is unkeyed: a name or an MRN can be found again by hashing guesses)",
                              'write hash_type = "sha256" or leave it out')
    if name == "hash" and "salt" in params:
        raise PolicyError("E217", f"{where}: hash has no salt: it is keyed by the run key (--key-file), never by a value "
                          "stored in the policy file", "drop salt")
    return name, params


def _spec(value: Any, where: str) -> OperatorSpec:
    """An operator as a name, a table with ``name`` (or Presidio's ``type``), an :class:`OperatorSpec` or a
    Presidio ``OperatorConfig``; Presidio operator names and parameters are translated (:func:`_from_presidio`)."""
    if isinstance(value, OperatorSpec):
        return value
    if hasattr(value, "operator_name") and isinstance(getattr(value, "params", None), Mapping):  # presidio OperatorConfig
        value = {"name": value.operator_name, **value.params}
    if isinstance(value, str):
        return OperatorSpec(*_from_presidio(value, {}, where))
    if isinstance(value, Mapping):
        keys = [k for k in ("name", "type") if k in value]
        if len(keys) == 1 and isinstance(value[keys[0]], str):
            params = {k: v for k, v in value.items() if k != keys[0]}
            return OperatorSpec(*_from_presidio(value[keys[0]], params, where))
    raise PolicyError("E211", f"{where}: an operator is a name or a table with a 'name' (or Presidio's 'type')", 'write e.g. DATE = "year"')


@dataclass(frozen=True)
class Policy:
    """A validated policy.

    Attributes:
        name: Preset or file name, for humans.
        entities: Entity types that are detected and hidden.
        default_threshold: Minimum score for types without their own threshold.
        thresholds: Minimum score per entity type.
        default_operator: Operator for types without their own operator.
        operators: Operator per entity type.
        recognizers: Registered recognizer names to run; ``None`` runs all.
        check: Thresholds of the pre-publication check (``max_leaks``, ``max_risk``,
            ``min_k``); command-line flags override them.
        allow_weakened: Entity types (or ``"ALL"``) this policy may leave unhidden or
            weakened; any other weakened type is an error (E239), see :meth:`weakened`.
        allow: Words and phrases never hidden (compared case-insensitively, whitespace
            folded), added to the built-in allow-lists; cued recognizers (a title, a label)
            still hide them.

    Example:
        >>> Policy(name="tags").operator_for("PERSON").name
        'tag'
    """

    name: str = "tags"
    entities: tuple[str, ...] = ENTITY_TYPES
    default_threshold: float = DEFAULT_THRESHOLD
    thresholds: Mapping[str, float] = field(default_factory=dict)
    default_operator: OperatorSpec = field(default_factory=lambda: OperatorSpec("tag"))
    operators: Mapping[str, OperatorSpec] = field(default_factory=dict)
    recognizers: tuple[str, ...] | None = None
    check: Mapping[str, float] = field(default_factory=dict)
    allow_weakened: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.entities, str):
            object.__setattr__(self, "entities", _canonical_entities(self.entities))
        if isinstance(self.thresholds, Mapping):
            object.__setattr__(self, "thresholds", _canonical_keys(self.thresholds, "thresholds"))
        if isinstance(self.operators, Mapping):
            object.__setattr__(self, "operators", _canonical_keys(self.operators, "operators"))
        if not isinstance(self.allow_weakened, str):
            object.__setattr__(self, "allow_weakened", tuple(canonical_entity(e, "allow_weakened") for e in self.allow_weakened))
        unknown = [e for e in (*self.entities, *self.thresholds, *self.operators) if e not in ENTITY_TYPES]
        if unknown:
            raise PolicyError("E210", f"unknown entity type(s) {sorted({str(e) for e in unknown})}",
                              f"use one of {', '.join(ENTITY_TYPES)} (or Presidio's {', '.join(ENTITY_ALIASES)})")
        for entity, score in {"default": self.default_threshold, **self.thresholds}.items():
            if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0.0 <= score <= 1.0:
                raise PolicyError("E212", f"threshold for {entity} must be a number within [0, 1], got {score!r}", "use e.g. 0.5")
        object.__setattr__(self, "entities", tuple(self.entities))
        object.__setattr__(self, "default_operator", _spec(self.default_operator, "default_operator"))
        object.__setattr__(self, "operators", MappingProxyType({k: _spec(v, k) for k, v in self.operators.items()}))
        object.__setattr__(self, "thresholds", MappingProxyType({k: float(v) for k, v in self.thresholds.items()}))
        if self.recognizers is not None:
            import recognizers as registry

            known = registry.available()
            missing = [r for r in self.recognizers if r not in known]
            if missing:
                raise PolicyError("E218", f"unknown recognizer(s) {missing}", f"use names from: {', '.join(known)}")
            object.__setattr__(self, "recognizers", tuple(self.recognizers))
        for name, value in self.check.items():
            if name not in CHECK_LIMITS:
                raise PolicyError("E216", f"unknown [check] key {name!r}", f"allowed: {', '.join(CHECK_LIMITS)}")
            kind, low, high = CHECK_LIMITS[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)) or not low <= value <= high:
                raise PolicyError("E212", f"[check] {name} must be {'an integer' if kind is int else 'a number'} within [{low}, {high}], got {value!r}", "e.g. max_leaks = 0, max_risk = 0.05, min_k = 5")
        object.__setattr__(self, "check", MappingProxyType({k: CHECK_LIMITS[k][0](v) for k, v in self.check.items()}))
        if isinstance(self.allow, str) or not all(isinstance(w, str) and w.strip() for w in self.allow):
            raise PolicyError("E216", "allow must be a list of non-empty strings", 'write e.g. allow = ["Walker", "Foley"]')
        object.__setattr__(self, "allow", tuple(sorted({" ".join(w.split()) for w in self.allow})))
        if isinstance(self.allow_weakened, str) or not all(isinstance(e, str) for e in self.allow_weakened):
            raise PolicyError("E239", "allow_weakened must be a list of entity types", 'write e.g. allow_weakened = ["AGE"]')
        bad = [e for e in self.allow_weakened if e not in ENTITY_TYPES and e != ALLOW_ALL]
        if bad:
            raise PolicyError("E210", f"unknown entity type(s) in allow_weakened {sorted({str(e) for e in bad})}", f"use {ALLOW_ALL!r} or one of {', '.join(ENTITY_TYPES)}")
        object.__setattr__(self, "allow_weakened", tuple(sorted(set(self.allow_weakened))))
        refused = {e: why for e, why in self.weakened().items() if ALLOW_ALL not in self.allow_weakened and e not in self.allow_weakened}
        if refused:
            listed = "; ".join(f"{e} ({why})" for e, why in sorted(refused.items()))
            raise PolicyError(
                "E239",
                f"policy {self.name!r} leaves Safe Harbor identifiers unhidden: {listed}",
                "hide them (add the type to entities, lower the threshold to at most "
                f"{THRESHOLD_CEILING}, enable a recognizer), or opt in by naming them: allow_weakened = {json.dumps(sorted(refused))}",
            )

    def weakened(self) -> dict[str, str]:
        """Entity types this policy leaves unhidden or weakened, with the reason.

        Example:
            >>> Policy(entities=("PERSON",), default_threshold=0.95, allow_weakened=("ALL",)).weakened()["DATE"]
            'not in entities'
        """
        covered: set[str] | None = None
        if self.recognizers is not None:
            import recognizers as registry

            known = registry.available()
            covered = set()
            for name in self.recognizers:
                cls = known[name]
                covered.update(getattr(cls, "ENTITIES", None) or (cls.ENTITY,))
        out: dict[str, str] = {}
        for entity in ENTITY_TYPES:
            if entity not in self.entities:
                out[entity] = "not in entities"
            elif self.threshold_for(entity) > THRESHOLD_CEILING:
                out[entity] = f"threshold {self.threshold_for(entity)} above {THRESHOLD_CEILING}"
            elif covered is not None and entity not in covered:
                out[entity] = "no recognizer enabled"
        return out

    def threshold_for(self, entity: str) -> float:
        """Minimum score for ``entity``."""
        return self.thresholds.get(entity, self.default_threshold)

    def operator_for(self, entity: str) -> OperatorSpec:
        """Operator for ``entity``."""
        return self.operators.get(entity, self.default_operator)

    def to_dict(self) -> dict:
        """Canonical, JSON-ready form (the digest is computed over it)."""
        return {
            "name": self.name,
            "entities": sorted(self.entities),
            "default_threshold": self.default_threshold,
            "thresholds": dict(sorted(self.thresholds.items())),
            "default_operator": self.default_operator.to_dict(),
            "operators": {k: v.to_dict() for k, v in sorted(self.operators.items())},
            "recognizers": sorted(self.recognizers) if self.recognizers is not None else None,
            # only when set, so that policies without a [check] section keep their digests
            **({"check": dict(sorted(self.check.items()))} if self.check else {}),
            **({"allow_weakened": list(self.allow_weakened)} if self.allow_weakened else {}),
            **({"allow": list(self.allow)} if self.allow else {}),
        }

    @property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON form: the policy's identity in the audit log."""
        blob = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":")).encode()
        return "sha256:" + hashlib.sha256(blob).hexdigest()

    def to_toml(self) -> str:
        """The policy as a TOML file that :func:`load_policy` reads back to the same digest."""

        def value(v: Any) -> str:
            return json.dumps(v, ensure_ascii=False)

        def operator(spec: OperatorSpec) -> str:
            if not spec.params:
                return value(spec.name)
            inner = ", ".join(f"{k} = {value(v)}" for k, v in spec.to_dict().items())
            return "{ " + inner + " }"

        lines = [
            "# scrubber policy: check with `scrubber policy check FILE`, use with `scrubber scrub --policy FILE`",
            f"name = {value(self.name)}",
            f"default_threshold = {self.default_threshold}",
            f"default_operator = {operator(self.default_operator)}",
            "entities = [" + ", ".join(value(e) for e in self.entities) + "]",
        ]
        if self.recognizers is not None:
            lines.append("recognizers = [" + ", ".join(value(r) for r in self.recognizers) + "]")
        if self.allow_weakened:
            lines.append("allow_weakened = [" + ", ".join(value(e) for e in self.allow_weakened) + "]")
        if self.allow:
            lines.append("allow = [" + ", ".join(value(w) for w in self.allow) + "]")
        lines += ["", "[thresholds]"] + [f"{k} = {v}" for k, v in sorted(self.thresholds.items())]
        lines += ["", "[operators]"] + [f"{k} = {operator(v)}" for k, v in sorted(self.operators.items())]
        if self.check:
            lines += ["", "[check]"] + [f"{k} = {v}" for k, v in sorted(self.check.items())]
        return "\n".join(lines) + "\n"


_SAFE_HARBOR_OPERATORS = {"DATE": OperatorSpec("year"), "AGE": OperatorSpec("age90"), "ZIP_CODE": OperatorSpec("zip3")}

PRESETS: Mapping[str, Policy] = MappingProxyType(
    {
        "tags": Policy(name="tags"),
        "safe-harbor": Policy(name="safe-harbor", operators=_SAFE_HARBOR_OPERATORS),
        "redact": Policy(name="redact", default_operator=OperatorSpec("redact")),
        "mask": Policy(name="mask", default_operator=OperatorSpec("mask", {"char": "*"})),
        "hash": Policy(name="hash", default_operator=OperatorSpec("hash", {"length": 16})),
        "surrogate": Policy(
            name="surrogate",
            default_operator=OperatorSpec("surrogate"),
            operators={"DATE": OperatorSpec("shift", {"max_days": 365}), "AGE": OperatorSpec("age90")},
        ),
    }
)


def load_policy(path: Path | str) -> Policy:
    """Read and validate a TOML policy file.

    Raises:
        PolicyError: E214 missing file, E215 TOML syntax, E216 unknown key, and the codes of :class:`Policy`.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolicyError("E214", f"policy file {path} not found", "check the path, or name a preset: " + ", ".join(PRESETS)) from None
    except OSError as exc:
        raise PolicyError("E214", f"cannot read policy file {path} ({exc.strerror})", "check the file's permissions") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError("E215", f"{path} is not valid TOML ({exc})", "fix the syntax; `scrubber policy show tags` prints a valid file") from None
    return policy_from_dict(data, source=str(path))


def policy_from_dict(data: Mapping[str, Any], *, source: str = "policy") -> Policy:
    """Build a policy from parsed TOML (or any mapping), strictly."""
    unknown = sorted(set(data) - POLICY_KEYS)
    if unknown:
        raise PolicyError("E216", f"{source}: unknown key(s) {unknown}", f"allowed keys: {', '.join(sorted(POLICY_KEYS))}")
    base = PRESETS["tags"]
    if "preset" in data:
        if data["preset"] not in PRESETS:
            raise PolicyError("E213", f"{source}: unknown preset {data['preset']!r}", f"use one of {', '.join(PRESETS)}")
        base = PRESETS[data["preset"]]
    for key, kind in (("thresholds", Mapping), ("operators", Mapping), ("check", Mapping), ("entities", list), ("disable_recognizers", list), ("recognizers", list), ("allow_weakened", list), ("allow", list)):
        if key in data and not isinstance(data[key], kind):
            raise PolicyError("E216", f"{source}: {key} must be a {'table' if kind is Mapping else 'list'}", "see `scrubber policy show tags`")
    operators = dict(data.get("operators", {}))
    default_operator = data.get("default_operator", base.default_operator)
    if "DEFAULT" in operators:  # Presidio's key for the operator of every other type
        if "default_operator" in data:
            raise PolicyError("E216", f"{source}: both default_operator and [operators] DEFAULT are given", "keep one of them")
        default_operator = operators.pop("DEFAULT")
    operators = _canonical_keys(operators, "operators")
    thresholds = _canonical_keys(data.get("thresholds", {}), "thresholds")
    recognizers = data.get("recognizers", base.recognizers)
    if "disable_recognizers" in data:
        import recognizers as registry

        known = list(registry.available())
        unknown_r = [r for r in data["disable_recognizers"] if r not in known]
        if unknown_r:
            raise PolicyError("E218", f"{source}: unknown recognizer(s) {unknown_r}", f"use names from: {', '.join(known)}")
        recognizers = tuple(r for r in (recognizers or known) if r not in set(data["disable_recognizers"]))
    return replace(
        base,
        name=str(data.get("name", Path(source).stem)),
        entities=tuple(data.get("entities", base.entities)),
        default_threshold=data.get("default_threshold", base.default_threshold),
        thresholds={**base.thresholds, **thresholds},
        default_operator=_spec(default_operator, "default_operator"),
        operators={**base.operators, **{k: _spec(v, k) for k, v in operators.items()}},
        recognizers=tuple(recognizers) if recognizers is not None else None,
        check={**base.check, **data.get("check", {})},
        allow_weakened=tuple(data.get("allow_weakened", base.allow_weakened)),
        allow=tuple(base.allow) + tuple(data.get("allow", ())),
    )


def resolve_policy(policy: Policy | str | Path | None) -> Policy:
    """A policy object, a preset name, a TOML file path, or ``None`` for the default (``tags``).

    Raises:
        PolicyError: E213 for an unknown preset name, and the codes of :func:`load_policy`.
    """
    if policy is None:
        return PRESETS["tags"]
    if isinstance(policy, Policy):
        return policy
    if isinstance(policy, str) and policy in PRESETS:
        return PRESETS[policy]
    if isinstance(policy, Path) or str(policy).endswith(".toml"):
        return load_policy(policy)
    raise PolicyError("E213", f"unknown policy {policy!r}", f"name a preset ({', '.join(PRESETS)}) or a .toml file")
