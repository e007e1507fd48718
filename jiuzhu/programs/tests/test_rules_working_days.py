"""Working days for statutory clocks (DOMAIN §0, §4.5, §16a example 8)."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuzhu.programs.calendar_source import official_calendar
from jiuzhu.programs.rules.working_days import (
    WorkingCalendar,
    add_calendar_days,
    add_working_days,
    working_days_between,
    years_without_official_data,
)

d = datetime.date
OFFICIAL = official_calendar()


@pytest.mark.parametrize(
    ("case", "accepted", "n", "deadline"),
    [
        # Labour Day 2012: Sat 28 April is a make-up working day, Sun 29 April – Tue 1 May are off.
        ("example 8: Friday before the 3-day May Day holiday", d(2012, 4, 27), 3, d(2012, 5, 3)),
        ("the make-up Saturday is the first working day", d(2012, 4, 27), 1, d(2012, 4, 28)),
        # Qingming 2012: Sat 31 March and Sun 1 April are make-up days, Mon 2 – Wed 4 April are off.
        ("Friday before Qingming 2012: a make-up weekend", d(2012, 3, 30), 3, d(2012, 4, 5)),
        ("National Day 2012: eight days off after a make-up Saturday", d(2012, 9, 28), 3, d(2012, 10, 9)),
        ("a plain week", d(2012, 6, 4), 3, d(2012, 6, 7)),
        ("a plain weekend", d(2012, 6, 8), 3, d(2012, 6, 13)),
        ("county decision: 10 working days", d(2012, 6, 1), 10, d(2012, 6, 15)),  # 22 June (端午) is off later
        ("n = 0 is the day itself", d(2012, 4, 29), 0, d(2012, 4, 29)),
    ],
)
def test_add_working_days_with_the_official_calendar(case, accepted, n, deadline):
    assert add_working_days(accepted, n, OFFICIAL) == deadline, case
    if n:
        assert working_days_between(accepted, deadline, OFFICIAL) == n


def test_example_8_without_the_calendar_would_be_wrong():
    weekdays_only = WorkingCalendar()
    assert add_working_days(d(2012, 4, 27), 3, weekdays_only) == d(2012, 5, 2)  # counts 30 April and 1 May
    assert add_working_days(d(2012, 4, 27), 3, OFFICIAL) == d(2012, 5, 3)


def test_local_corrections_override_the_official_calendar():
    local = OFFICIAL.with_corrections({d(2012, 5, 2): False, d(2012, 4, 29): True})
    assert local.is_working_day(d(2012, 4, 29)) and not local.is_working_day(d(2012, 5, 2))
    assert add_working_days(d(2012, 4, 27), 3, local) == d(2012, 5, 3)  # 28 Apr, 29 Apr, 3 May
    assert add_working_days(d(2012, 4, 27), 4, local) == d(2012, 5, 4)


def test_years_the_package_does_not_know_fall_back_to_weekdays_and_corrections():
    assert OFFICIAL.has_official_data(2012) and OFFICIAL.has_official_data(2026)
    assert not OFFICIAL.has_official_data(2027)
    assert add_working_days(d(2027, 1, 1), 1, OFFICIAL) == d(2027, 1, 4)  # Friday 1 Jan 2027 is a weekday here
    assert years_without_official_data(range(2026, 2029), OFFICIAL) == [2027, 2028]
    entered = OFFICIAL.with_corrections({d(2027, 1, 1): False})
    assert years_without_official_data(range(2026, 2029), entered) == [2028]
    assert add_working_days(d(2026, 12, 31), 1, entered) == d(2027, 1, 4)


def test_between_counts_backwards_and_excludes_the_start():
    assert working_days_between(d(2012, 6, 4), d(2012, 6, 4), OFFICIAL) == 0
    assert working_days_between(d(2012, 6, 8), d(2012, 6, 11), OFFICIAL) == 1
    assert working_days_between(d(2012, 6, 11), d(2012, 6, 8), OFFICIAL) == -1
    with pytest.raises(ValueError):
        add_working_days(d(2012, 6, 8), -1, OFFICIAL)


def test_calendar_days_for_the_public_notice():
    assert add_calendar_days(d(2012, 4, 27), 7) == d(2012, 5, 4)


@given(st.dates(d(2005, 1, 1), d(2026, 12, 1)), st.integers(0, 40))
def test_between_is_the_inverse_of_add(start, n):
    end = add_working_days(start, n, OFFICIAL)
    assert working_days_between(start, end, OFFICIAL) == n
    assert n == 0 or OFFICIAL.is_working_day(end)


@given(st.dates(d(2004, 1, 1), d(2026, 12, 31)))
def test_matches_the_package_for_every_known_day(day):
    assert OFFICIAL.is_working_day(day) == chinese_calendar.is_workday(day)
