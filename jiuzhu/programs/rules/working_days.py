"""Working days (工作日) for statutory clocks. Pure: the calendar is a parameter.

DOMAIN §0 and §4.5: working days exclude weekends and statutory holidays but include the make-up
working days (调休上班日) the State Council announces every year. The official data comes from the
`chinese_calendar` package for the years it knows (selectors build the calendar); local corrections
(a local holiday, a late announcement) override it day by day. For a year without official data
the calendar falls back to "Monday to Friday", plus corrections — `WorkingCalendar.has_official_data`
tells, so that pages can warn.

Counting: `add_working_days(start, n)` is the n-th working day after `start` (the start day itself
never counts, as in "within 3 working days after acceptance"); `working_days_between(a, b)` counts
working days d with a < d <= b, so `working_days_between(a, add_working_days(a, n)) == n`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """`days_off`: official holidays (any weekday); `make_up_days`: official working weekend days;
    `official_years`: years the official data covers; `corrections`: date → is a working day."""

    days_off: frozenset[datetime.date] = frozenset()
    make_up_days: frozenset[datetime.date] = frozenset()
    official_years: frozenset[int] = frozenset()
    corrections: Mapping[datetime.date, bool] = field(default_factory=lambda: MappingProxyType({}))

    def is_working_day(self, day: datetime.date) -> bool:
        corrected = self.corrections.get(day)
        if corrected is not None:
            return corrected
        if day in self.make_up_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def has_official_data(self, year: int) -> bool:
        return year in self.official_years

    def with_corrections(self, corrections: Mapping[datetime.date, bool]) -> WorkingCalendar:
        return WorkingCalendar(
            days_off=self.days_off,
            make_up_days=self.make_up_days,
            official_years=self.official_years,
            corrections=MappingProxyType(dict(corrections)),
        )


def add_working_days(start: datetime.date, n: int, calendar: WorkingCalendar) -> datetime.date:
    """The n-th working day after `start` (n = 0: `start` itself)."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, calendar: WorkingCalendar) -> int:
    """Working days d with start < d <= end; negative (the same count) when end is before start."""
    if end < start:
        return -working_days_between(end, start, calendar)
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if calendar.is_working_day(day):
            count += 1
    return count


def add_calendar_days(start: datetime.date, n: int) -> datetime.date:
    """Calendar days (X天, e.g. the 7-day public notice): the n-th day after `start`."""
    return start + datetime.timedelta(days=n)


def years_without_official_data(years: range, calendar: WorkingCalendar) -> list[int]:
    """Years in `years` for which there is neither official data nor any local correction."""
    corrected_years = {day.year for day in calendar.corrections}
    return [year for year in years if not calendar.has_official_data(year) and year not in corrected_years]
