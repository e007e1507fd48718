"""Pure rules of dynamic management (动态管理): review classes, outcomes, the review workflow, months.

No Django models, no database, no clock: dates are parameters. Policy (DOMAIN §4.7): S2 Art. 31–33
(MCA 2021), S8 §1(3), S7 item 7 and 11.

Review class (分类管理) — decides the interval until the next periodic review:
* **unstable** (every `review_months_unstable` months, 6 by default) when a living, co-resident
  member is of working age (16 to 59 full years, the same age for men and women here) and has full
  work ability (劳动能力 "full"; partial ability and full-time students do not count), **or** the
  household has a positive income item of an unstable kind: wages (工资性收入, including odd jobs)
  or business income (经营净收入). Pensions, support payments, property and transfer income are
  regular and do not make a household unstable.
* **stable** (every `review_months_stable` months, 12 by default) otherwise — typically the old,
  the severely disabled or ill, households living on pensions and support.
The next review is due that many months after the last assessment (the confirmation decision at
entry, the completion of each review).

Outcome of a review: the household's facts are assessed again with the policy in force
(`programs.rules.dibao.assess_dibao`). Still eligible: the same amount → no change (the amount is not
adjusted, S2 Art. 31), higher → increase (增发), lower → decrease (减发). Not eligible → stop (停发),
or gradual exit (渐退) when the only reason is income at or above the standard, employment income
(wages or business) is what lifted it — without it the per-capita income would be below the
standard — and the policy grants `grace_months` > 0. The proposer may choose stop instead of
gradual exit (with written reasons); no other override is possible.

Gradual exit: the current amount keeps being paid from the effective month for `grace_months`
months; payment stops from the month after (a 停发 entry recorded with the decision, effective then).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.workflow import TOWNSHIP_CONFIRMS
from jiuzhu.programs.rules.dibao import INCOME_AT_OR_ABOVE_STANDARD, Assessment
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.rules.members import age_on

# --- Review class --------------------------------------------------------------------------------------

STABLE = "stable"
UNSTABLE = "unstable"

WORKING_AGE_FROM = 16
WORKING_AGE_BELOW = 60
FULL_WORK_ABILITY = "full"
UNSTABLE_INCOME_KINDS = frozenset({"wages", "business"})
EMPLOYMENT_INCOME_KINDS = frozenset({"wages", "business"})


@dataclass(frozen=True)
class ClassMember:
    """What the review class needs to know about one member (registry Person)."""

    birth_date: datetime.date
    work_ability: str = FULL_WORK_ABILITY
    is_co_resident: bool = True
    is_fulltime_student: bool = False
    death_date: datetime.date | None = None


@dataclass(frozen=True)
class ClassIncome:
    kind: str
    monthly_fen: int


def is_working_age_able(member: ClassMember, on: datetime.date) -> bool:
    if member.death_date is not None and member.death_date <= on:
        return False
    if not member.is_co_resident or member.is_fulltime_student:
        return False
    age = age_on(member.birth_date, on)
    return WORKING_AGE_FROM <= age < WORKING_AGE_BELOW and member.work_ability == FULL_WORK_ABILITY


def review_class_of(members: Iterable[ClassMember], incomes: Iterable[ClassIncome], on: datetime.date) -> str:
    """`UNSTABLE` or `STABLE` (see the module docstring)."""
    if any(is_working_age_able(member, on) for member in members):
        return UNSTABLE
    if any(item.kind in UNSTABLE_INCOME_KINDS and item.monthly_fen > 0 for item in incomes):
        return UNSTABLE
    return STABLE


def review_interval_months(review_class: str, *, months_stable: int, months_unstable: int) -> int:
    return months_unstable if review_class == UNSTABLE else months_stable


def next_review_due(
    last_assessed_on: datetime.date, review_class: str, *, months_stable: int, months_unstable: int
) -> datetime.date:
    """The day the next periodic review is due: the interval of the class after the last assessment."""
    months = review_interval_months(review_class, months_stable=months_stable, months_unstable=months_unstable)
    return add_months(last_assessed_on, months)


# --- Outcome -------------------------------------------------------------------------------------------

NO_CHANGE = "no_change"
INCREASE = "increase"
DECREASE = "decrease"
STOP = "stop"
GRADUAL_EXIT = "gradual_exit"
OUTCOMES = (NO_CHANGE, INCREASE, DECREASE, STOP, GRADUAL_EXIT)
# Outcomes that lower or end the benefit: written reasons to the family, with the appeal rights.
ADVERSE_OUTCOMES = frozenset({DECREASE, STOP, GRADUAL_EXIT})
# Outcomes that change the amount: the county decides (or the township where it is delegated).
COUNTY_OUTCOMES = frozenset({INCREASE, DECREASE, STOP, GRADUAL_EXIT})


def employment_lifted_income(assessment: Assessment) -> bool:
    """Employment income (wages, business) is what puts per-capita income at or above the standard:
    without it the family would be below the standard."""
    count = assessment.counted_member_count
    if count == 0:
        return False
    lines = assessment.income.lines
    employment = sum((line.countable for line in lines if line.kind in EMPLOYMENT_INCOME_KINDS), Fraction(0))
    if employment <= 0:
        return False
    other = sum((line.countable for line in lines if line.kind not in EMPLOYMENT_INCOME_KINDS), Fraction(0))
    return other / count < assessment.standard_fen


def gradual_exit_applies(assessment: Assessment, grace_months: int) -> bool:
    if assessment.eligible or grace_months <= 0:
        return False
    only_income = [reason.code for reason in assessment.reasons] == [INCOME_AT_OR_ABOVE_STANDARD]
    return only_income and employment_lifted_income(assessment)


def derive_outcome(*, current_fen: int, assessment: Assessment, grace_months: int) -> str:
    """The outcome the recomputed assessment calls for (see the module docstring)."""
    if not assessment.eligible or assessment.benefit is None:
        return GRADUAL_EXIT if gradual_exit_applies(assessment, grace_months) else STOP
    if assessment.total_fen == current_fen:
        return NO_CHANGE
    return INCREASE if assessment.total_fen > current_fen else DECREASE


def allowed_overrides(derived: str) -> frozenset[str]:
    """Outcomes the proposer may choose instead of the derived one: stop instead of gradual exit."""
    return frozenset({derived, STOP}) if derived == GRADUAL_EXIT else frozenset({derived})


# --- Review workflow -----------------------------------------------------------------------------------

OPEN = "open"
PROPOSED = "proposed"
DECIDED = "decided"
CLOSED = "closed"

PROPOSE = "propose"
DECIDE = "decide"
REJECT = "reject"

# status → steps it allows (a proposal may be revised until it is decided)
REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    OPEN: frozenset({PROPOSE}),
    PROPOSED: frozenset({PROPOSE, DECIDE, REJECT}),
    DECIDED: frozenset(),
    CLOSED: frozenset(),
}
ACTIVE_REVIEW_STATUSES = frozenset({OPEN, PROPOSED})


def review_step_allowed(status: str, step: str) -> bool:
    return step in REVIEW_TRANSITIONS.get(status, frozenset())


# Who may take each step (capabilities, accounts.roles). Opening and proposing: the coordinator or
# the township. Completing a review without change: the township (no county approval, S2 Art. 31).
# Changing the amount or stopping: the county (S1 Art. 13, S2 Art. 32), or the township where the
# county has delegated confirmation (the case's workflow mode).
OPEN_CAPABILITIES = frozenset({Capability.CASE_INVESTIGATE, Capability.CASE_TOWNSHIP_REVIEW})
PROPOSE_CAPABILITIES = OPEN_CAPABILITIES
NO_CHANGE_CAPABILITIES = frozenset({Capability.CASE_TOWNSHIP_REVIEW, Capability.CASE_DECIDE})
CHANGE_CAPABILITIES = frozenset({Capability.CASE_DECIDE})
DELEGATED_CHANGE_CAPABILITIES = frozenset({Capability.CASE_DECIDE, Capability.CASE_CONFIRM_DELEGATED})
# Recording a move out of the county (转出) stops the benefit here: the township or the county.
TRANSFER_CAPABILITIES = frozenset({Capability.CASE_TOWNSHIP_REVIEW, Capability.CASE_DECIDE})


def decide_capabilities(outcome: str, workflow_mode: str) -> frozenset[Capability]:
    """Capabilities of which any one lets an actor decide (or refuse) a proposal with `outcome`."""
    if outcome == NO_CHANGE:
        return NO_CHANGE_CAPABILITIES
    return DELEGATED_CHANGE_CAPABILITIES if workflow_mode == TOWNSHIP_CONFIRMS else CHANGE_CAPABILITIES


def any_decide_capabilities(workflow_mode: str) -> frozenset[Capability]:
    """Every capability that may decide some proposal (to tell "no permission" from "wrong order")."""
    return frozenset().union(*(decide_capabilities(outcome, workflow_mode) for outcome in OUTCOMES))


# --- Months --------------------------------------------------------------------------------------------


def is_first_of_month(day: datetime.date) -> bool:
    return day.day == 1


def gradual_exit_stop_month(effective_month: datetime.date, grace_months: int) -> datetime.date:
    """Paid `grace_months` months from `effective_month`; the first month without payment.
    §16a example 3: decided in March 2024, effective April, grace 6 → paid April–September, stopped October."""
    return add_months(month_of(effective_month), grace_months)


def month_after_day(day: datetime.date) -> datetime.date:
    return add_months(month_of(day), 1)


def is_overdue(due_on: datetime.date | None, today: datetime.date) -> bool:
    return due_on is not None and today > due_on
