"""The statistics' counting rules (民政统计口径), pure: who counts in which category on a month's last
day, how a case's figures add up by area, and the derived levels (DOMAIN.md §14).

* A case is **in force** in a month when its amount for that month is above zero (the amount of its
  latest entry taking effect in or before the month: `cases.rules.amount_in_force`).
* Its **persons** (保障人数) are those covered by the review behind its amount for the month, or
  else by the decision that granted it.
* **Categories** count the household's members on the month's last day who live with it (joined
  on or before that day, not left, not dead): elderly 60 or over, minors under 18, the working-age
  between, and those with a disability certificate of any grade. They describe the household, so
  they may differ from the persons covered where a member is not covered. **三无** members
  (`registry.rules.categories.is_three_no`) are counted among them as well.
* **Edge households** (低保边缘家庭) are those whose recognition is in force on the month's last day
  (`lowincome.rules.in_force_on`) and that have no benefit in force that month (a household put on
  dibao counts there only, until its recognition is ended); they are a line of their own, urban or
  rural by the standard they were measured against, with their persons (the members counted at
  recognition), the same member categories, and the recognitions made (new) and ended or run out
  (stopped) in the month — a renewal without a gap (续期, `renews`) is neither. **三无** counts the
  income recorded by the month's last day.
* **Movements** are counted in the month they were decided (decision or review date), as the work
  summaries count them: new (approved), changed (amount raised or lowered), stopped. The persons of
  a change (`changed_persons`) are those whose benefit it changed: the persons added or removed when
  the number covered changed, else all those covered.
* **Paid** (本月支出) is the money of the payrolls paid on a day of the month (their pay date), locked
  or later — arrears and carried-over payments included, recoveries deducted — less the payments the
  bank returned as failed (as known when the snapshot is built). A quarter's payroll counts in the
  month it is paid.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

from jiuzhu.programs.rules.members import age_on
from jiuzhu.registry.rules.categories import is_three_no

ELDERLY_AGE = 60  # 老年人：60 周岁及以上（统计口径）
ADULT_AGE = 18


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def born_by(day: datetime.date, years: int) -> datetime.date:
    """The latest birth date of someone `years` old or more on `day` (29 February falls back to the
    28th in a year without it: a person born on 29 February turns a year older on 1 March)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class MemberFacts:
    birth_date: datetime.date
    joined_on: datetime.date
    left_on: datetime.date | None
    died_on: datetime.date | None
    co_resident: bool
    disabled: bool
    work_ability: str = "full"
    supporter: str = "able"
    has_living_income: bool = False


@dataclass(frozen=True)
class Categories:
    elderly: int = 0
    minors: int = 0
    working_age: int = 0
    disabled: int = 0
    three_no: int = 0


def categories_on(members: Iterable[MemberFacts], day: datetime.date) -> Categories:
    elderly = minors = working_age = disabled = three_no = 0
    for m in members:
        if m.joined_on > day or (m.left_on is not None and m.left_on <= day) or not m.co_resident:
            continue
        if (m.died_on is not None and m.died_on <= day) or m.birth_date > day:
            continue
        age = age_on(m.birth_date, day)
        if age >= ELDERLY_AGE:
            elderly += 1
        elif age < ADULT_AGE:
            minors += 1
        else:
            working_age += 1
        disabled += m.disabled
        three_no += is_three_no(
            work_ability=m.work_ability, supporter=m.supporter, has_living_income=m.has_living_income
        )
    return Categories(elderly=elderly, minors=minors, working_age=working_age, disabled=disabled, three_no=three_no)


@dataclass(frozen=True)
class Figures:
    """The figures of one case, or the sum of many (fen for money)."""

    households: int = 0  # in force this month
    persons: int = 0
    amount_fen: int = 0  # the monthly amounts in force
    standard_persons_fen: int = 0  # Σ standard × persons, for the average standard
    paid_fen: int = 0
    elderly: int = 0
    minors: int = 0
    working_age: int = 0
    disabled: int = 0
    three_no: int = 0
    new_households: int = 0
    new_persons: int = 0
    changed_households: int = 0
    changed_persons: int = 0
    stopped_households: int = 0
    stopped_persons: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def average_standard_fen(self) -> int:
        """The standard weighted by the persons it applies to (fen a person a month)."""
        return divide_half_up(self.standard_persons_fen, self.persons)

    @property
    def per_capita_fen(self) -> int:
        """人均补助水平: the monthly amounts in force over the persons covered."""
        return divide_half_up(self.amount_fen, self.persons)


def changed_persons(before: int, after: int) -> int:
    """变更人数 of one change: the persons added or removed, or, the number covered unchanged, all of them."""
    return abs(after - before) if after != before else after


@dataclass(frozen=True)
class HistoryEntry:
    """One entry of a case's amount history (`cases.AmountChange`), in order."""

    kind: str  # grant, increase, decrease, stop
    persons: int  # covered from this entry on
    decided_on: datetime.date | None  # the review's decision date (None for the grant)


def movement_persons(history: Sequence[HistoryEntry], first: datetime.date, last: datetime.date) -> tuple[int, int]:
    """A case's (stopped persons, changed persons) for the month from `first` to `last`: a stop's persons
    are those covered just before it; a change's compare those before the month's first change with
    those after its last (`changed_persons`)."""
    in_month = [i for i, e in enumerate(history) if e.decided_on is not None and first <= e.decided_on <= last]

    def before(index: int) -> int:
        return history[index - 1].persons if index > 0 else 0

    stops = [i for i in in_month if history[i].kind == "stop"]
    changes = [i for i in in_month if history[i].kind in ("increase", "decrease")]
    stopped = before(stops[-1]) if stops else 0
    changed = changed_persons(before(changes[0]), history[changes[-1]].persons) if changes else 0
    return stopped, changed


def total(items: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in items:
        result = result + item
    return result


def divide_half_up(numerator: int, denominator: int) -> int:
    if denominator <= 0:
        return 0
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)
