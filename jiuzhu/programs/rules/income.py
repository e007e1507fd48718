"""Countable family income (家庭收入) and per-capita monthly income.

Pure: no Django, no database, no clock.
Policy: S2 Art. 13 (MCA 2021) and S16 Art. 4 (servicemen's pensions); DOMAIN §3.2.

* Income kinds are the registry's (`codes.INCOME_KINDS`). Kinds listed in the policy's
  `income_excluded_kinds` are not counted; the national default excludes government social
  assistance, 优抚 payments, the residents' basic pension, family-planning payments and awards.
* Income of persons who do not count as co-residing members (`members`) is not counted either.
* Income newly earned through employment while the family receives dibao may be disregarded for
  `employment_disregard_months` months, up to `employment_disregard_cap_bp` of the standard per
  month and item (Zhejiang-type rule, off by default). The caller sets `employment_started_on`
  only for such employment.
* An item is a regular monthly amount (`monthly_fen`) or a total received over the reference
  period (`period_total_fen`), averaged over `income_reference_months`.

Exact arithmetic: amounts stay `Fraction`s of fen until the benefit is rounded (see `dibao`);
the `*_fen` properties are rounded half up for display only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from jiuzhu.common.money import round_fraction_to_fen
from jiuzhu.programs.rules.codes import INCOME_KINDS, WAGES
from jiuzhu.programs.rules.labels import gettext_noop
from jiuzhu.programs.rules.policy import DibaoPolicy


@dataclass(frozen=True)
class IncomeFacts:
    kind: str
    monthly_fen: int = 0
    period_total_fen: int = 0
    member_ref: str | None = None
    employment_started_on: datetime.date | None = None

    def __post_init__(self) -> None:
        if self.kind not in INCOME_KINDS:
            raise ValueError(f"unknown income kind: {self.kind}")
        if self.monthly_fen < 0 or self.period_total_fen < 0:
            raise ValueError("income amounts are not negative")


COUNTED = "counted"
EXCLUDED_KIND = "excluded_kind"
MEMBER_NOT_COUNTED = "member_not_counted"
EMPLOYMENT_DISREGARD = "employment_disregard"

INCOME_TREATMENT_LABELS: dict[str, str] = {
    COUNTED: gettext_noop("计入家庭收入"),
    EXCLUDED_KIND: gettext_noop("按规定不计入家庭收入"),
    MEMBER_NOT_COUNTED: gettext_noop("非共同生活家庭成员的收入，不计入"),
    EMPLOYMENT_DISREGARD: gettext_noop("新就业收入，豁免期内部分或全部不计入"),
}


@dataclass(frozen=True)
class IncomeLine:
    kind: str
    member_ref: str | None
    monthly: Fraction
    countable: Fraction
    treatment: str

    @property
    def label(self) -> str:
        return INCOME_TREATMENT_LABELS[self.treatment]

    @property
    def monthly_fen(self) -> int:
        return round_fraction_to_fen(self.monthly)

    @property
    def countable_fen(self) -> int:
        return round_fraction_to_fen(self.countable)


@dataclass(frozen=True)
class IncomeAssessment:
    lines: tuple[IncomeLine, ...]
    member_count: int

    @property
    def countable_monthly(self) -> Fraction:
        return sum((line.countable for line in self.lines), Fraction(0))

    @property
    def per_capita(self) -> Fraction:
        """Exact per-capita monthly countable income; needs at least one counted member."""
        if self.member_count <= 0:
            raise ValueError("no counted member")
        return self.countable_monthly / self.member_count

    @property
    def countable_monthly_fen(self) -> int:
        return round_fraction_to_fen(self.countable_monthly)

    @property
    def per_capita_fen(self) -> int:
        return round_fraction_to_fen(self.per_capita)


def months_since(start: datetime.date, on: datetime.date) -> int:
    """Whole calendar months from start's month to on's month (same month: 0)."""
    return (on.year - start.year) * 12 + on.month - start.month


def assess_income(
    incomes: Iterable[IncomeFacts],
    *,
    counted_refs: frozenset[str],
    member_count: int,
    policy: DibaoPolicy,
    on: datetime.date,
) -> IncomeAssessment:
    """Each item's monthly amount and countable part. Items without `member_ref` belong to the household."""
    lines: list[IncomeLine] = []
    cap = Fraction(policy.standard_fen * policy.employment_disregard_cap_bp, 10_000)
    for item in incomes:
        monthly = item.monthly_fen + Fraction(item.period_total_fen, policy.income_reference_months)
        if item.member_ref is not None and item.member_ref not in counted_refs:
            lines.append(IncomeLine(item.kind, item.member_ref, monthly, Fraction(0), MEMBER_NOT_COUNTED))
        elif item.kind in policy.income_excluded_kinds:
            lines.append(IncomeLine(item.kind, item.member_ref, monthly, Fraction(0), EXCLUDED_KIND))
        elif (
            item.kind == WAGES
            and item.employment_started_on is not None
            and 0 <= months_since(item.employment_started_on, on) < policy.employment_disregard_months
        ):
            countable = monthly - min(monthly, cap)
            lines.append(IncomeLine(item.kind, item.member_ref, monthly, countable, EMPLOYMENT_DISREGARD))
        else:
            lines.append(IncomeLine(item.kind, item.member_ref, monthly, monthly, COUNTED))
    return IncomeAssessment(lines=tuple(lines), member_count=member_count)
