"""Date shifting: one offset per patient, intervals kept, formats kept, impossible dates hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrubber.dateshift import shift_date, shift_days
from scrubber.keys import Key

KEY = Key(b"dateshift-test-key-0123456789ab", "argument")
DAYS = st.integers(min_value=-365, max_value=365).filter(bool)
DATES = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2098, 12, 31))


@given(st.text(min_size=1, max_size=20))
def test_shift_is_never_zero_and_within_range(scope: str) -> None:
    days = shift_days(KEY, scope)
    assert days != 0 and -365 <= days <= 365


def test_shift_is_the_same_for_a_patient_and_differs_by_key() -> None:
    assert shift_days(KEY, "P001") == shift_days(KEY, "P001")
    other = Key(b"another-dateshift-key-0123456789", "argument")
    assert [shift_days(KEY, f"P{i}") for i in range(20)] != [shift_days(other, f"P{i}") for i in range(20)]


@given(st.text(min_size=1, max_size=20), DATES)
def test_keep_weekday_shifts_by_whole_weeks(scope: str, day: dt.date) -> None:
    days = shift_days(KEY, scope, keep_weekday=True)
    assert days % 7 == 0 and days != 0 and abs(days) <= 365
    moved = dt.datetime.strptime(shift_date(day.strftime("%m/%d/%Y"), days), "%m/%d/%Y").date()
    assert moved.weekday() == day.weekday()


@given(DATES, DAYS)
def test_numeric_dates_move_exactly_by_the_shift(day: dt.date, days: int) -> None:
    moved = shift_date(day.strftime("%m/%d/%Y"), days)
    assert dt.datetime.strptime(moved, "%m/%d/%Y").date() == day + dt.timedelta(days=days)
    iso = shift_date(day.isoformat(), days)
    assert dt.date.fromisoformat(iso) == day + dt.timedelta(days=days)


@given(DATES, DATES, DAYS)
def test_intervals_survive_across_month_year_and_leap_boundaries(a: dt.date, b: dt.date, days: int) -> None:
    fa = dt.datetime.strptime(shift_date(a.strftime("%m/%d/%Y"), days), "%m/%d/%Y").date()
    fb = dt.datetime.strptime(shift_date(b.strftime("%m/%d/%Y"), days), "%m/%d/%Y").date()
    assert (fb - fa) == (b - a)


@pytest.mark.parametrize(
    ("value", "days", "expected"),
    [
        ("2/28/2024", 1, "2/29/2024"),  # leap day
        ("12/31/2019", 1, "1/1/2020"),  # year boundary
        ("7/22", 10, "8/1"),  # month/day stays month/day
        ("07/22", 10, "08/01"),  # zero padding kept
        ("July 22nd", 10, "August 1st"),  # spelled out, ordinal recomputed
        ("22-JUL-2019", 1, "23-JUL-2019"),  # case and separators kept
        ("Jul '19", 31, "Aug '19"),  # month and two-digit year
        ("March 4, 2021 at 14:30", 1, "March 5, 2021 at 14:30"),  # attached time kept
        ("03/14/2024 14:30", 1, "03/15/2024 14:30"),
        ("12/5/84", 30, "1/4/85"),
    ],
)
def test_formats_are_kept(value: str, days: int, expected: str) -> None:
    assert shift_date(value, days) == expected


@pytest.mark.parametrize("value", ["02/30/2021", "13/45", "2/31", "the 3rd", "1980S"])
def test_impossible_or_unshiftable_dates_return_none(value: str) -> None:
    assert shift_date(value, 5) is None


def test_engine_shifts_every_date_of_a_patient_by_the_same_offset() -> None:
    from scrubber import Record, Scrubber
    from scrubber.policy import policy_from_dict

    policy = policy_from_dict({"name": "shift", "operators": {"DATE": {"name": "shift"}, "AGE": "age90"}})
    scrubber = Scrubber(policy, key=KEY)
    results = list(scrubber.scrub_stream([
        Record("a", "Admitted 03/14/2024, discharged 03/18/2024. A 94 y/o woman.", patient="P1"),
        Record("b", "Seen again 03/18/2024; typo 02/30/2021.", patient="P1"),
        Record("c", "Admitted 03/14/2024.", patient="P2"),
    ]))
    a, b, c = (r.text for r in results)
    first, second = [dt.datetime.strptime(w.strip(".,"), "%m/%d/%Y").date() for w in a.split() if w[:1].isdigit() and "/" in w]
    assert (second - first).days == 4  # length of stay survives
    assert b.split()[2].rstrip(";") == a.split()[3].rstrip(".")  # same patient, same date -> same shifted date
    assert "[DATE]" in b and "02/30/2021" not in b  # impossible date hidden, not shifted or left
    assert "90+" in a  # ages follow the age rule, not the shift
    assert c.split()[1] != a.split()[1]  # another patient, another offset (almost surely)
