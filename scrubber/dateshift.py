"""Per-patient date shifting that keeps each date's written format.

Every date of one patient moves by the same number of days, derived from the key
and the patient id (HMAC), so intervals survive (length of stay, days to
follow-up) while the calendar dates do not. The shift is never zero and lies
within ``±max_days``. A date keeps its form: "7/22" stays month/day, "July 22nd"
stays spelled out with an ordinal, "22-JUL-2019" keeps its case and separators.
Dates that cannot be read or do not exist ("02/30/2021") return ``None``; the
caller then hides them with a tag instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from scrubber.keys import Key

_MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH_RX = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# Reference year for dates written without one: a leap year, so Feb 29 exists.
_NO_YEAR = 2000


def shift_days(key: Key, scope: str, max_days: int = 365, *, keep_weekday: bool = False) -> int:
    """The scope's (patient's) shift in days: in ``[-max_days, -1] ∪ [1, max_days]``.

    With ``keep_weekday`` the shift is a whole number of weeks (never 0), so a Monday
    stays a Monday.

    Example:
        >>> k = Key(b"k" * 32, "argument")
        >>> shift_days(k, "P001") == shift_days(k, "P001") != 0
        True
    """
    digest = hmac.new(key.derive("date-shift").secret, scope.encode("utf-8"), hashlib.sha256).digest()
    if keep_weekday:
        weeks = max(1, max_days // 7)
        n = int.from_bytes(digest[:8], "big") % (2 * weeks)
        return 7 * (n - weeks if n < weeks else n - weeks + 1)
    n = int.from_bytes(digest[:8], "big") % (2 * max_days)
    return n - max_days if n < max_days else n - max_days + 1


def _year(text: str) -> tuple[int, int]:
    """(year, digits written)."""
    value = int(text)
    if len(text) == 2:
        return (2000 + value if value <= 30 else 1900 + value), 2
    return value, len(text)


def _fmt_year(year: int, width: int) -> str:
    return f"{year % 100:02d}" if width == 2 else str(year)


def _fmt_num(value: int, original: str) -> str:
    return f"{value:0{len(original)}d}" if original.startswith("0") and len(original) > 1 else str(value)


def _fmt_month_name(month: int, original: str) -> str:
    full = calendar.month_name[month]
    abbr = calendar.month_abbr[month]
    if original.rstrip(".").casefold() == "sept":
        abbr = "Sept" if month == 9 else abbr
    name = full if len(original.rstrip(".")) > 4 or original.casefold() in ("june", "july") else abbr
    if original.isupper():
        name = name.upper()
    elif original.islower():
        name = name.lower()
    return name


def _ordinal(day: int) -> str:
    return "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


@dataclass(frozen=True)
class _Form:
    rx: re.Pattern
    kind: str


_FORMS = (
    _Form(re.compile(r"^(?P<m>\d{1,2})(?P<s>[/.-])(?P<d>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?P<rest>.*)$", re.S), "mdy"),
    _Form(re.compile(r"^(?P<y>\d{4})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?P<rest>.*)$", re.S), "ymd"),
    _Form(re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})(?P<rest>(?:\s.*)?)$", re.S), "md"),
    _Form(re.compile(r"^(?P<m>\d{1,2})/(?P<y>\d{4})$"), "my"),
    _Form(re.compile(rf"^(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?(?P<s>[\s/-]+|\s+of\s+)(?P<mn>{_MONTH_RX})(?P<dot>\.?)(?P<s2>,?[\s/-]+)(?P<y>\d{{4}}|\d{{2}})(?P<rest>.*)$", re.I | re.S), "dMy"),
    _Form(re.compile(rf"^(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?(?P<s>[\s/-]+|\s+of\s+)(?P<mn>{_MONTH_RX})(?P<dot>\.?)(?P<rest>.*)$", re.I | re.S), "dM"),
    _Form(re.compile(rf"^(?P<mn>{_MONTH_RX})(?P<dot>\.?)(?P<s>\s+)(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?(?P<s2>\s*,\s*|\s+)(?P<ap>['’]?)(?P<y>\d{{4}}|\d{{2}})(?P<rest>.*)$", re.I | re.S), "Mdy"),
    _Form(re.compile(rf"^(?P<mn>{_MONTH_RX})(?P<dot>\.?)(?P<s>\s+)(?P<d>\d{{1,2}})(?P<o>st|nd|rd|th)?(?P<rest>(?:\s.*)?)$", re.I | re.S), "Md"),
    _Form(re.compile(rf"^(?P<mn>{_MONTH_RX})(?P<dot>\.?)(?P<s>,?\s+(?:of\s+)?)(?P<ap>['’]?)(?P<y>\d{{4}}|\d{{2}})$", re.I), "My"),
    _Form(re.compile(r"^(?P<y>(?:18|19|20)\d{2})(?P<suffix>'?[sS])?$"), "y"),
)


def shift_date(value: str, days: int) -> str | None:
    """``value`` moved by ``days``, in the same written form; ``None`` if it is not a real date.

    Example:
        >>> shift_date("03/14/2024", 30), shift_date("7/22", -1), shift_date("July 22nd", 10)
        ('04/13/2024', '7/21', 'August 1st')
        >>> shift_date("22-JUL-2019", 1), shift_date("2019-12-31", 1), shift_date("02/30/2021", 5)
        ('23-JUL-2019', '2020-01-01', None)
    """
    text = value.strip()
    for form in _FORMS:
        match = form.rx.match(text)
        if match:
            try:
                return _shift(match, form.kind, days)
            except ValueError:
                return None  # an impossible date (Feb 30): the caller hides it with a tag
    return None


def _shift(m: re.Match, kind: str, days: int) -> str | None:
    g = m.groupdict()
    rest = g.get("rest") or ""
    if kind == "y":
        year = int(g["y"])
        if g.get("suffix"):
            return None  # a decade ("1980s") does not shift by days; hide it
        return str((dt.date(year, 7, 1) + dt.timedelta(days=days)).year)
    month = int(g["m"]) if g.get("m") else _MONTHS[g["mn"].casefold().rstrip(".")]
    if kind == "my":
        year, _ = _year(g["y"])
        new = dt.date(year, month, 15) + dt.timedelta(days=days)
        return f"{_fmt_num(new.month, g['m'])}/{new.year}"
    if kind == "My":
        year, width = _year(g["y"])
        new = dt.date(year, month, 15) + dt.timedelta(days=days)
        return f"{_fmt_month_name(new.month, g['mn'])}{g['dot']}{g['s']}{g['ap']}{_fmt_year(new.year, width)}"
    day = int(g["d"])
    if g.get("y"):
        year, width = _year(g["y"])
    else:
        year, width = _NO_YEAR, 0
    new = dt.date(year, month, day) + dt.timedelta(days=days)
    padded = (g.get("m") or "").startswith("0") or (g.get("d") or "").startswith("0")
    if kind in ("mdy", "md") and padded:  # "03/14/2024" is written zero-padded: keep both fields padded
        g = {**g, "m": "00", "d": "00"}  # _fmt_num pads to two digits when the original starts with 0
    if kind == "mdy":
        return f"{_fmt_num(new.month, g['m'])}{g['s']}{_fmt_num(new.day, g['d'])}{g['s']}{_fmt_year(new.year, width)}{rest}"
    if kind == "ymd":
        return f"{new.year}{g['s']}{new.month:02d}{g['s']}{new.day:02d}{rest}"  # ISO-style: always padded
    if kind == "md":
        return f"{_fmt_num(new.month, g['m'])}/{_fmt_num(new.day, g['d'])}{rest}"
    ordinal = _ordinal(new.day) if g.get("o") else ""
    if g.get("o") and g["o"].isupper():
        ordinal = ordinal.upper()
    month_name = _fmt_month_name(new.month, g["mn"])
    if kind in ("dMy", "dM"):
        tail = f"{g['s2']}{_fmt_year(new.year, width)}" if kind == "dMy" else ""
        return f"{_fmt_num(new.day, g['d'])}{ordinal}{g['s']}{month_name}{g['dot']}{tail}{rest}"
    tail = f"{g['s2']}{g.get('ap') or ''}{_fmt_year(new.year, width)}" if kind == "Mdy" else ""
    return f"{month_name}{g['dot']}{g['s']}{_fmt_num(new.day, g['d'])}{ordinal}{tail}{rest}"
