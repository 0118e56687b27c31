"""Realistic, consistent surrogates (Faker, offline).

A surrogate depends only on the key, the scope (the patient, else the document),
the entity type and the normalized original value: the same name of the same
patient gets the same fake name in every document, process and run that use the
same key, and a different key gives unrelated surrogates. A surrogate keeps the
original's shape: a name keeps its number of words, initials and case ("KOWALSKI,
ANNA M" -> "REYES, DANA K"); numbers keep their digits, letters, length and
separators, and a checksum that was valid stays valid (Luhn, NPI, VIN, SSN rules).
A surrogate is never the original, and within one document two different
originals never share a surrogate (``taken``, which maps each surrogate to a keyed
fingerprint of its original, never to the original itself, so it can be handed to
another process or kept in a resumable run's state without holding PHI); across documents the space of
fake names makes that unlikely, not impossible. Where no shape is known, :func:`surrogate`
returns ``None`` and the caller falls back to a tag, never to the original.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from scrubber.keys import Key
from scrubber.normalize import fold_value

_LETTERS_UPPER = "ABCDEFGHJKLMNPRSTUVWXYZ"
_WORD = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?\.?")
_FACILITY_SUFFIX = re.compile(
    r"(?i)\b(hospital|hosp\.?|medical center|med center|clinic|health center|health system|nursing home|rehab(?:ilitation)?(?: center)?"
    r"|hospice|care center|cancer center|surgery center|urgent care|medical group|associates|institute|laborator(?:y|ies)|memorial)\b"
)
_DIGIT_ENTITIES = frozenset(
    ("PHONE_NUMBER", "US_SSN", "MEDICAL_RECORD_NUMBER", "ACCOUNT_NUMBER", "HEALTH_PLAN_ID", "LICENSE_NUMBER", "DEVICE_ID",
     "ID", "VEHICLE_ID", "CREDIT_CARD", "ZIP_CODE")
)


@lru_cache(maxsize=1)
def _faker():
    from faker import Faker

    return Faker("en_US")


class _Stream:
    """Deterministic pseudo-random choices from an HMAC seed."""

    def __init__(self, key: Key, scope: str, entity: str, value: str, attempt: int) -> None:
        message = "\x00".join((scope, entity, fold_value(value), str(attempt))).encode("utf-8")
        self.seed = hmac.new(key.secret, message, hashlib.sha256).digest()
        self.counter = 0

    def randint(self, n: int) -> int:
        self.counter += 1
        block = hashlib.sha256(self.seed + self.counter.to_bytes(4, "big")).digest()
        return int.from_bytes(block[:8], "big") % n

    def faker(self):
        fake = _faker()
        fake.seed_instance(int.from_bytes(self.seed[:8], "big"))
        return fake


def _case_like(new: str, original: str) -> str:
    if original.isupper() and any(c.isalpha() for c in original):
        return new.upper()
    if original.islower():
        return new.lower()
    return new


def _name(value: str, key: Key, scope: str, attempt: int, taken: dict[str, str] | None = None) -> str:
    """Each word of a name gets its own consistent surrogate, so "KOWALSKI, ANNA M" and
    "Mrs. Kowalski" share the surname's surrogate."""
    from recognizers.lexicon import first_names

    words = list(_WORD.finditer(value))
    if not words:
        return ""
    out, last = [], 0
    comma_style = "," in value  # "LAST, FIRST M"
    for index, m in enumerate(words):
        token = m.group()
        out.append(value[last : m.start()])
        if re.fullmatch(r"(?:[^\W\d_]\.){1,4}|[^\W\d_]", token):  # initials: "M", "J.", "J.S."
            rng = _Stream(key, scope, "INITIAL", token + value, attempt)
            new = re.sub(r"[^\W\d_]", lambda _: _LETTERS_UPPER[rng.randint(len(_LETTERS_UPPER))], token)
        else:
            if len(words) == 1:
                is_last_name = token.casefold().rstrip(".") not in first_names()
            else:
                is_last_name = (index == 0) if comma_style else (index == len(words) - 1)
            role = "SURNAME" if is_last_name else "FIRST_NAME"
            word = token.rstrip(".").casefold()
            owner = key.fingerprint(word) if taken is not None else ""
            for extra in range(16):  # a word's surrogate is never another word's in this document
                fake = _Stream(key, scope, role, token.rstrip("."), attempt + extra).faker()
                new = _case_like(fake.last_name() if is_last_name else fake.first_name(), token)
                slot = f"{role}:{new.casefold()}"
                if new.casefold() == word or (taken is not None and taken.get(slot, owner) != owner):
                    continue
                if taken is not None:
                    taken[slot] = owner
                break
        out.append(new)
        last = m.end()
    out.append(value[last:])
    return "".join(out)


def _luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits + check`` Luhn-valid."""
    from recognizers.base import luhn_valid

    return next(d for d in "0123456789" if luhn_valid(digits + d))


def _same_format(value: str, rng: _Stream) -> str:
    """Digits -> digits, letters -> letters of the same case, everything else kept."""
    out = []
    for index, char in enumerate(value):
        if char.isdigit():
            out.append(str(rng.randint(10) if index else 1 + rng.randint(9)))
        elif char.isalpha() and char.isascii():
            letter = _LETTERS_UPPER[rng.randint(len(_LETTERS_UPPER))]
            out.append(letter if char.isupper() else letter.lower())
        else:
            out.append(char)
    return "".join(out)


def _fix_checksums(original: str, new: str, entity: str) -> str:
    from recognizers.base import luhn_valid
    from recognizers.ids import dea_valid, mbi_valid, npi_valid, ssn_valid, vin_valid

    digits_old = re.sub(r"\D", "", original)
    digits_new = re.sub(r"\D", "", new)
    positions = [i for i, c in enumerate(new) if c.isdigit()]

    def set_last_digit(d: str) -> str:
        chars = list(new)
        chars[positions[-1]] = d
        return "".join(chars)

    if entity == "CREDIT_CARD" and len(digits_old) >= 12 and luhn_valid(digits_old):
        return set_last_digit(_luhn_digit(digits_new[:-1]))
    if entity == "LICENSE_NUMBER" and len(digits_old) == 10 and npi_valid(digits_old):
        fixed = "1" + digits_new[1:]
        return _replace_digits(new, fixed[:-1] + _luhn_digit("80840" + fixed[:-1]))
    if entity == "US_SSN" and ssn_valid(original) and not ssn_valid(new):
        return _replace_digits(new, "1" + digits_new[1:3] + ("01" if digits_new[3:5] == "00" else digits_new[3:5]) + ("0001" if digits_new[5:] == "0000" else digits_new[5:]))
    if entity == "LICENSE_NUMBER" and dea_valid(original):
        d = [int(c) for c in digits_new[:6]]
        return set_last_digit(str((d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10))
    if entity == "HEALTH_PLAN_ID" and mbi_valid(original):
        return _mbi_like(original, new)
    if entity == "VEHICLE_ID" and len(original) == 17 and vin_valid(original.upper()):
        for check in "0123456789X":
            candidate = new[:8] + check + new[9:]
            if vin_valid(candidate.upper()):
                return candidate
    return new


def _mbi_like(original: str, new: str) -> str:
    """Letters of an MBI from its own alphabet (no S, L, O, I, B, Z), position by position."""
    from recognizers.ids import _MBI_ALPHA

    out = []
    for old_char, new_char in zip(original, new):
        if old_char.isalpha():
            out.append(_MBI_ALPHA[ord(new_char.upper()) % len(_MBI_ALPHA)])
        elif old_char.isdigit() and not out:
            out.append(new_char if new_char != "0" else "1")  # the first position is 1-9
        else:
            out.append(new_char)
    return "".join(out)


_STREET = re.compile(
    r"^(?P<number>\d+)(?P<sp>\s+)(?P<name>.*?)(?P<sp2>\s+)(?P<type>(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr"
    r"|court|ct|place|pl|way|terrace|ter|circle|cir|highway|hwy|parkway|pkwy|square|sq|trail|trl|pike)\.?)(?P<rest>.*)$",
    re.S,
)


def _street(value: str, rng: _Stream) -> str | None:
    """Same form as the original: house number digits, a street name word per word, the type and unit kept."""
    match = _STREET.match(value)
    if match is None:
        return None
    fake = rng.faker()
    words = match["name"].split()
    name = " ".join(_case_like(fake.last_name(), w) for w in words) or _case_like(fake.last_name(), value)
    number = _same_format(match["number"], rng)
    rest = re.sub(r"\d", lambda _: str(rng.randint(10)), match["rest"])
    return f"{number}{match['sp']}{name}{match['sp2']}{match['type']}{rest}"


def _replace_digits(text: str, digits: str) -> str:
    it = iter(digits)
    return "".join(next(it) if c.isdigit() else c for c in text)


def _shape(value: str, entity: str, rng: _Stream) -> str | None:
    fake = rng.faker()
    if entity in _DIGIT_ENTITIES:
        if not any(c.isdigit() for c in value):
            return None
        return _fix_checksums(value, _same_format(value, rng), entity)
    if entity == "EMAIL_ADDRESS":
        return _case_like(fake.safe_email(), value)
    if entity == "URL":
        return "https://www.example.org/" + fake.uri_path()
    if entity == "IP_ADDRESS":
        if ":" in value:
            return f"2001:db8::{rng.randint(65536):x}"
        return f"{('192.0.2', '198.51.100', '203.0.113')[rng.randint(3)]}.{1 + rng.randint(254)}"
    if entity == "LOCATION":
        return _case_like(fake.city(), value)
    if entity == "STREET_ADDRESS":
        return _street(value, rng) or _case_like(fake.street_address(), value)
    if entity == "HOSPITAL":
        suffix = _FACILITY_SUFFIX.search(value)
        name = f"{fake.last_name()} {suffix.group(0) if suffix else 'Memorial Hospital'}"
        return _case_like(name, value)
    return None


def surrogate(value: str, entity: str, key: Key, scope: str, taken: dict[str, str] | None = None) -> str | None:
    """A consistent fake for ``value`` in ``scope``, or ``None`` when its shape is unknown.

    Example:
        >>> k = Key(b"k" * 32, "argument")
        >>> a = surrogate("KOWALSKI, ANNA M", "PERSON", k, "P1")
        >>> a == surrogate("Kowalski, Anna M", "PERSON", k, "P1").upper(), a.isupper(), a.count(",")
        (True, True, 1)
        >>> s = surrogate("617-555-0199", "PHONE_NUMBER", k, "P1"); len(s), s[3], s != "617-555-0199"
        (12, '-', True)
    """
    surrogate_key = key.derive("surrogate")
    original = fold_value(value)
    owner = surrogate_key.fingerprint(original) if taken is not None else ""
    for attempt in range(16):
        if entity == "PERSON":
            new = _name(value, surrogate_key, scope, attempt, taken)
        else:
            new = _shape(value, entity, _Stream(surrogate_key, scope, entity, value, attempt))
        if new is None:
            return None
        folded = fold_value(new)
        if folded == original or not new.strip():
            continue
        if taken is not None:
            if taken.get(folded, owner) != owner:
                continue  # another original already has this surrogate in this document
            taken[folded] = owner
        return new
    return None
