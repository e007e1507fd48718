"""Dynamic management (动态管理) dates from the policy: gradual exit, reviews, re-check after a death.

Pure: no Django, no database, no clock. Months are represented by their first day.
Policy: S2 Art. 31–33 (MCA 2021), S8 §1(3); DOMAIN §4.7 and §16a example 3.

* Gradual exit (渐退期): when employment lifts per-capita income above the standard, payment may
  continue for `grace_months` months (national ceiling 6; the seed locality uses 3). Changes take
  effect from the month after the change (§4.3), so the grace months are the months after the one
  in which income rose; payment stops from the month after the last grace month.
* Periodic review: every `review_months_stable` months (12), or `review_months_unstable` (6) for
  households with unstable income or members able to work.
* Payment starts the month after the county's (or delegated township's) decision.
* After a member's death the family is re-checked within `death_review_months` (3) months.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from jiuzhu.programs.rules.policy import DibaoPolicy


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def first_payment_month(decided_on: datetime.date) -> datetime.date:
    """Benefit starts the month after the confirmation decision (S2 Art. 21; §16a example 1)."""
    return add_months(month_of(decided_on), 1)


@dataclass(frozen=True)
class GracePeriod:
    first_month: datetime.date | None  # None: no grace months, payment stops at once
    last_month: datetime.date | None
    stop_month: datetime.date  # first month without payment


def grace_period(income_rose_in: datetime.date, policy: DibaoPolicy) -> GracePeriod:
    """§16a example 3: income rises in March 2024, grace 6 → paid April–September, stopped from October."""
    rose = month_of(income_rose_in)
    stop = add_months(rose, policy.grace_months + 1)
    if policy.grace_months == 0:
        return GracePeriod(first_month=None, last_month=None, stop_month=stop)
    return GracePeriod(
        first_month=add_months(rose, 1), last_month=add_months(rose, policy.grace_months), stop_month=stop
    )


def next_review_on(last_reviewed_on: datetime.date, *, unstable: bool, policy: DibaoPolicy) -> datetime.date:
    months = policy.review_months_unstable if unstable else policy.review_months_stable
    return add_months(last_reviewed_on, months)


def death_review_due_on(death_date: datetime.date, policy: DibaoPolicy) -> datetime.date:
    return add_months(death_date, policy.death_review_months)
