"""Payroll rules (发放名册), pure: which months a payroll covers and what each case is still owed.

* **Period.** A payroll pays one month, or one quarter where the policy pays quarterly (DOMAIN §4.6:
  the seed town pays dibao quarterly through the credit union). Each month covered gets its own line,
  at the amount in force for that month.
* **What is owed for a month** is the amount in force for it (the latest `AmountChange` effective
  on or before it; 0 before the first month and after a stop) minus what earlier lines already pay
  for it. Lines whose payment failed (a bank return) pay nothing; lines not yet settled count as paid,
  so nothing is ever paid twice while a bank file is out.
* **Adjustments** (补发 / 追回) for months before the period: a positive remainder is back pay, or
  a carry-over (结转) when an earlier payment for that month failed; a negative one is a recovery
  line (negative amount), deducted from what the household is paid next.

All amounts are integer fen.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.rules.policy import PaymentFrequency


class LineKind(StrEnum):
    REGULAR = "regular"  # the month's payment, in the payroll of its period
    ARREARS = "arrears"  # 补发: owed for an earlier month (a back-dated decision or increase)
    CARRY_OVER = "carry_over"  # 结转: an earlier payment for the month failed
    RECOVERY = "recovery"  # 追回: overpaid for an earlier month (negative amount)


@dataclass(frozen=True)
class Period:
    """The months a payroll covers: `start` (the 1st) and `months` (1 or 3)."""

    start: datetime.date
    months: int

    @property
    def month_list(self) -> list[datetime.date]:
        return [add_months(self.start, i) for i in range(self.months)]

    @property
    def end(self) -> datetime.date:
        """The first month after the period."""
        return add_months(self.start, self.months)

    def label(self) -> str:
        if self.months == 1:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"


def period_for(month: datetime.date, frequency: str) -> Period:
    """The payroll period containing `month`: the month itself, or its calendar quarter."""
    month = month_of(month)
    if frequency == PaymentFrequency.QUARTERLY:
        return Period(start=datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1), months=3)
    return Period(start=month, months=1)


def amount_for_month(changes: Sequence[tuple[datetime.date, int]], month: datetime.date) -> int:
    """The amount in force for `month`, from (effective_month, amount_fen) pairs in any order."""
    best: tuple[datetime.date, int] | None = None
    for effective, amount in changes:
        if effective <= month and (best is None or effective >= best[0]):
            best = (effective, amount)
    return best[1] if best else 0


@dataclass(frozen=True)
class PaidLine:
    """A line already written for the case: its month, amount, and whether its payment failed."""

    month: datetime.date
    amount_fen: int
    failed: bool = False


@dataclass(frozen=True)
class Adjustment:
    month: datetime.date
    amount_fen: int  # negative for a recovery
    kind: LineKind


def adjustments_owed(
    *,
    changes: Sequence[tuple[datetime.date, int]],
    lines: Iterable[PaidLine],
    months: Iterable[datetime.date],
) -> list[Adjustment]:
    """For each month of `months` (those before the period, from the payroll horizon on): what the
    case is still owed (or has been overpaid) for it, as one adjustment line, or nothing if settled."""
    paid: dict[datetime.date, int] = {}
    failed: set[datetime.date] = set()
    for line in lines:
        if line.failed:
            failed.add(line.month)
        else:
            paid[line.month] = paid.get(line.month, 0) + line.amount_fen
    adjustments = []
    for month in sorted(set(months)):
        owed = amount_for_month(changes, month) - paid.get(month, 0)
        if owed == 0:
            continue
        if owed < 0:
            kind = LineKind.RECOVERY
        elif month in failed:
            kind = LineKind.CARRY_OVER
        else:
            kind = LineKind.ARREARS
        adjustments.append(Adjustment(month=month, amount_fen=owed, kind=kind))
    return adjustments


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Months from `start` up to, not including, `end`."""
    months, month = [], month_of(start)
    while month < end:
        months.append(month)
        month = add_months(month, 1)
    return months
