"""Public check digits and format rules of identifiers, as pure functions.

Each function takes the identifier as written and answers whether it is well formed under
the published rule (SSA, CMS, NHTSA, DEA). :mod:`recognizers.ids` uses them to keep or
drop a candidate; :mod:`scrubber.surrogates` uses them to make valid-looking surrogates.
"""

from __future__ import annotations

import regex


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check over a string of digits.

    Example:
        >>> luhn_valid("79927398713"), luhn_valid("79927398710")
        (True, False)
    """
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def npi_valid(npi: str) -> bool:
    """NPI check digit: Luhn over the number prefixed with 80840 (CMS NPI standard).

    Example:
        >>> npi_valid("1234567893"), npi_valid("1234567890")
        (True, False)
    """
    return len(npi) == 10 and npi.isdigit() and npi[0] in "12" and luhn_valid("80840" + npi)


_DEA_SHAPE = regex.compile(r"[A-Za-z][A-Za-z9]\d{7}")


def dea_valid(dea: str) -> bool:
    """DEA registration number: 2 letters, 7 digits; (d1+d3+d5) + 2(d2+d4+d6) ends in d7.

    Example:
        >>> dea_valid("AB1234563"), dea_valid("AB1234567")
        (True, False)
    """
    if not _DEA_SHAPE.fullmatch(dea):
        return False
    d = [int(c) for c in dea[2:]]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_MBI_ALPHA = "ACDEFGHJKMNPQRTUVWXY"  # letters allowed in an MBI (no S, L, O, I, B, Z)


def mbi_valid(mbi: str) -> bool:
    """Medicare Beneficiary Identifier format (CMS): C A AN N A AN N A A N N.

    Example:
        >>> mbi_valid("1EG4-TE5-MK73"), mbi_valid("1EG4-TE5-MK7S")
        (True, False)
    """
    s = mbi.replace("-", "").upper()
    if len(s) != 11:
        return False
    alpha = set(_MBI_ALPHA)
    alnum = alpha | set("0123456789")
    shape = ("C", "A", "X", "N", "A", "X", "N", "A", "A", "N", "N")
    for char, kind in zip(s, shape):
        ok = {
            "C": char in "123456789",
            "A": char in alpha,
            "N": char.isdigit(),
            "X": char in alnum,
        }[kind]
        if not ok:
            return False
    return True


_VIN_MAP = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))),
            **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_valid(vin: str) -> bool:
    """North-American VIN check digit (position 9).

    Example:
        >>> vin_valid("1M8GDM9AXKP042788"), vin_valid("1M8GDM9A1KP042788")
        (True, False)
    """
    vin = vin.upper()
    if len(vin) != 17 or any(c not in _VIN_MAP for c in vin):
        return False
    total = sum(_VIN_MAP[c] * w for c, w in zip(vin, _VIN_WEIGHTS))
    check = total % 11
    return vin[8] == ("X" if check == 10 else str(check))


_NOT_DIGITS = regex.compile(r"\D")


def ssn_valid(ssn: str) -> bool:
    """SSA rules: area not 000, 666 or 9xx; group not 00; serial not 0000.

    Example:
        >>> ssn_valid("123-45-6789"), ssn_valid("000-12-3456")
        (True, False)
    """
    digits = _NOT_DIGITS.sub("", ssn)
    if len(digits) != 9:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"
