"""The official holiday calendar, read once from the `chinese_calendar` package.

The package carries the State Council's yearly holiday notices (statutory holidays and make-up
working days) for the years it knows (2004–2026 in version 1.11.0); upgrading the pinned version
adds new years. Local corrections come from the database (`selectors.working_calendar_get`).
"""

from __future__ import annotations

import functools

import chinese_calendar

from jiuzhu.programs.rules.working_days import WorkingCalendar


@functools.cache
def official_calendar() -> WorkingCalendar:
    days_off = frozenset(chinese_calendar.holidays)
    make_up_days = frozenset(chinese_calendar.workdays)
    return WorkingCalendar(
        days_off=days_off,
        make_up_days=make_up_days,
        official_years=frozenset(day.year for day in days_off | make_up_days),
    )
