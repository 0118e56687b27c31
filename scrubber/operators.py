"""Replacement operators named by a policy, as Presidio anonymizer operator configs.

``tag``, ``redact`` and ``mask`` map onto Presidio's own ``replace``, ``redact`` and
``mask`` operators. ``hash`` (keyed, unlike Presidio's salted hash) and the Safe
Harbor transforms ``year``, ``age90`` and ``zip3`` are Presidio ``custom`` operators
around the small pure functions below, so each can be tested on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Callable

from scrubber.errors import InvalidValue
from scrubber.keys import Key
from scrubber.normalize import fold_value
from scrubber.policy import OperatorSpec

# 45 CFR 164.514(b)(2)(i)(B): three-digit ZIP prefixes whose areas hold 20,000 people or fewer
# (2000 Census, as listed by HHS); these become 000.
RESTRICTED_ZIP3 = frozenset(
    ("036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831", "878", "879", "884", "890", "893")
)

_YEAR4 = re.compile(r"(?<!\d)((?:18|19|20)\d{2})(?!\d)")
# m/d/yy, d-Mon-yy, Jul '19: a two-digit year after a second separator or an apostrophe
_YEAR2 = re.compile(r"\d{1,2}[/.-]\w{1,9}[/.-](\d{2})(?!\d)|['’](\d{2})(?!\d)")


def year_of(value: str) -> str | None:
    """The year of a date, or ``None`` when it has none.

    Two-digit years are read in a 100-year window ending 30 years ahead ("7/22/19" -> 2019,
    "12/5/84" -> 1984).

    Example:
        >>> year_of("03/14/2024"), year_of("Jul '19"), year_of("12/5/84"), year_of("7/22")
        ('2024', '2019', '1984', None)
    """
    match = _YEAR4.search(value)
    if match:
        return match.group(1)
    match = _YEAR2.search(value.strip())
    if match:
        yy = int(match.group(1) or match.group(2))
        return str(2000 + yy if yy <= 30 else 1900 + yy)
    return None


def zip3(value: str) -> str:
    """First three digits of a ZIP code; restricted prefixes become 000.

    Example:
        >>> zip3("02118-1234"), zip3("03601"), zip3("8930")
        ('021', '000', '000')
    """
    digits = re.sub(r"\D", "", value)
    prefix = digits[:3].rjust(3, "0") if digits else "000"
    return "000" if prefix in RESTRICTED_ZIP3 or len(digits) < 5 else prefix


def keyed_hash(value: str, entity: str, key: Key, length: int) -> str:
    """``ENTITY_<hex>``: HMAC-SHA256 of the normalized value under the operator's key, truncated.

    Example:
        >>> k = Key(b"k" * 32, "argument")
        >>> keyed_hash("John Smith", "PERSON", k, 12) == keyed_hash("JOHN  SMITH", "PERSON", k, 12)
        True
    """
    digest = hmac.new(key.secret, fold_value(value).encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{entity}_{digest[:length]}"


def tag(entity: str, fmt: str = "[{type}]") -> str:
    return fmt.format(type=entity)


SCOPED_OPERATORS = frozenset(("shift", "surrogate"))  # operators whose result depends on the patient


def operator_config(spec: OperatorSpec, entity: str, key: Key, scope: str | None = None, taken: dict[str, str] | None = None):
    """The Presidio ``OperatorConfig`` that applies ``spec`` to values of ``entity``.

    ``scope`` (the patient key, else the document id) is needed by :data:`SCOPED_OPERATORS`;
    ``taken`` is the scope's surrogate registry (surrogate -> keyed fingerprint of the original), shared by all of the
    scope's documents in one engine, so two originals of a patient never share a surrogate.
    """
    from presidio_anonymizer.entities import OperatorConfig

    name, params = spec.name, spec.params
    if name == "tag":
        return OperatorConfig("replace", {"new_value": tag(entity, params.get("format", "[{type}]"))})
    if name == "redact":
        return OperatorConfig("redact", {})
    if name == "mask":
        return OperatorConfig("mask", {"masking_char": params.get("char", "*"), "chars_to_mask": 10**9, "from_end": False})
    return OperatorConfig("custom", {"lambda": _custom(spec, entity, key, scope, taken)})


def _custom(spec: OperatorSpec, entity: str, key: Key, scope: str | None = None, taken: dict[str, str] | None = None) -> Callable[[str], str]:
    if spec.name == "hash":
        hash_key = key.derive("operator:hash")
        length = spec.params.get("length", 16)
        return lambda value: keyed_hash(value, entity, hash_key, length)
    if spec.name == "year":
        return lambda value: year_of(value) or tag(entity)
    if spec.name == "age90":
        return lambda value: "90+"
    if spec.name == "zip3":
        return lambda value: zip3(value)
    if spec.name == "surrogate":
        from scrubber.surrogates import surrogate

        if scope is None:
            raise InvalidValue("E219", "the surrogate operator needs a patient or document scope")
        registry: dict[str, str] = {} if taken is None else taken
        return lambda value: surrogate(value, entity, key, scope, registry) or tag(entity)
    if spec.name == "shift":
        from scrubber.dateshift import shift_date, shift_days

        if scope is None:
            raise InvalidValue("E219", "the shift operator needs a patient or document scope")
        days = shift_days(key, scope, spec.params.get("max_days", 365), keep_weekday=spec.params.get("keep_weekday", False))
        return lambda value: shift_date(value, days) or tag(entity)
    raise InvalidValue("E211", f"operator {spec.name!r} has no implementation")  # unreachable: OperatorSpec validates names
