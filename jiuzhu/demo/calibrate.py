"""Make the generated dibao households add up to the seed's monthly payments. Pure.

The seed gives what 讲治镇 paid a month at the end of 2012 (45,805 yuan urban, 202,498 yuan rural).
The generator plans those totals like it plans head counts: after the households are built, it
works out with the real dibao calculator (`programs.rules.dibao.assess_dibao`, the one decisions
use) what each household will be granted on the day its amount is decided, and then adds small
counted incomes (children's support money, odd jobs) in a fixed random order until the sum is the
target. The report later adds up the decisions that the workflow services made from these
households: it never reads the target.

The day that decides a household's end-of-2012 amount (`amount_day`):
- households on dibao before 2012: the go-live day (`GO_LIVE`), when they were onboarded;
- households newly approved in 2012: their approval day;
- households whose amount changed in 2012: the day of the change.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from jiuzhu.demo.people import HouseholdSpec, IncomeSpec, PersonSpec
from jiuzhu.demo.plan import PlanEntry
from jiuzhu.programs.rules.dibao import HouseholdFacts, assess_dibao
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.policy import DibaoPolicy
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.registry.choices import Education, IncomeKind, IncomeSource, WorkAbility

GO_LIVE = datetime.date(2012, 1, 1)  # 讲治镇 starts keeping its dibao cases in Jiuzhu
ONBOARD_CHECKED_ON = datetime.date(2011, 12, 15)
YEAR_END = datetime.date(2012, 12, 31)  # the check of the existing caseload before go-live
CALIBRATION_DESCRIPTIONS = ("子女赡养费", "亲属接济", "零星务工收入")


def amount_day(entry: PlanEntry) -> datetime.date:
    if "changed_on" in entry.attrs:
        return entry.attrs["changed_on"]
    approved: datetime.date = entry.attrs["approved_on"]
    return approved if approved >= GO_LIVE else GO_LIVE


def _member_facts(ref: str, p: PersonSpec) -> MemberFacts:
    return MemberFacts(
        ref=ref,
        birth_date=p.birth_date,
        relation=p.relation,
        is_co_resident=p.is_co_resident,
        is_fulltime_student=p.is_student,
        studies_above_bachelor=p.is_student and p.education == Education.POSTGRADUATE,
        can_live_independently=p.work_ability != WorkAbility.NONE,
        disability_category=p.disability_category,
        disability_grade=p.disability_grade,
        has_serious_illness=p.has_serious_illness,
        death_date=p.death_date,
    )


def spec_facts(spec: HouseholdSpec, on: datetime.date) -> HouseholdFacts:
    """What `cases.selectors.household_facts_get` will read from the written household on `on`."""
    members = [(str(i), p) for i, p in enumerate(spec.members) if p.started_on is None or p.started_on <= on]
    return HouseholdFacts(
        members=tuple(_member_facts(ref, p) for ref, p in members),
        incomes=tuple(
            IncomeFacts(kind=i.kind, monthly_fen=i.amount_fen, member_ref=ref)
            for ref, p in members
            for i in p.incomes
            if i.recorded_on <= on
        ),
        assets=tuple(
            AssetFacts(kind=a.kind, value_fen=a.value_fen, quantity=a.quantity)
            for a in spec.assets
            if a.recorded_on <= on
        ),
    )


def granted_fen(spec: HouseholdSpec, on: datetime.date, policy: DibaoPolicy) -> int:
    assessment = assess_dibao(spec_facts(spec, on), policy, on)
    if not assessment.eligible:
        reasons = ", ".join(r.code for r in assessment.reasons)
        raise ValueError(f"demo household of {spec.head.name} is not eligible on {on}: {reasons}")
    return assessment.total_fen


def _birth_year_earlier(birth: datetime.date) -> datetime.date:
    return birth.replace(year=birth.year - 1, day=min(birth.day, 28))


def steady_through_year(
    spec: HouseholdSpec, day: datetime.date, policy: DibaoPolicy, until: datetime.date = YEAR_END
) -> int:
    """Keep the household's amount from changing between `day` and `until` (the end of 2012) by itself.

    A member crossing an age line in 2012 (70 for the elderly supplement, 18 for a child) would make
    the periodic review of 2012 a change the seed does not count; such a member is made a year older.
    Returns how many birth dates were moved."""

    def steady() -> bool:
        return granted_fen(spec, day, policy) == granted_fen(spec, until, policy)

    if steady():
        return 0
    for person in spec.members:
        original = person.birth_date
        person.birth_date = _birth_year_earlier(original)
        if steady():
            return 1
        person.birth_date = original
    for person in spec.members:
        person.birth_date = _birth_year_earlier(person.birth_date)
    if steady():
        return len(spec.members)
    raise ValueError(f"the amount of {spec.head.name}'s household changes in 2012 by itself")


@dataclass(frozen=True)
class Calibration:
    before_fen: int
    after_fen: int
    incomes_added: int


def calibrate_program(
    rng: random.Random,
    households: Sequence[tuple[PlanEntry, HouseholdSpec]],
    policy: DibaoPolicy,
    target_fen: int,
) -> Calibration:
    """Add counted incomes to `households` until their granted amounts sum to `target_fen`.

    Incomes of households onboarded at go-live are dated before it, so the onboarding sees them;
    an income added to a household approved in 2012 is dated before its approval.
    """
    for entry, spec in households:
        if amount_day(entry) == GO_LIVE:
            for person in spec.members:
                for income in person.incomes:
                    income.recorded_on = min(income.recorded_on, ONBOARD_CHECKED_ON)
    for entry, spec in households:
        if "change" not in entry.attrs:
            steady_through_year(spec, amount_day(entry), policy)
    amounts = [granted_fen(spec, amount_day(entry), policy) for entry, spec in households]
    before = total = sum(amounts)
    if total < target_fen:
        raise ValueError(f"the generated households would be granted {total} fen, less than the target {target_fen}")
    order = list(range(len(households)))
    rng.shuffle(order)
    added = 0
    for index in order:
        excess = total - target_fen
        if excess == 0:
            break
        entry, spec = households[index]
        day = amount_day(entry)
        head = spec.head
        # A few yuan per person at most, never the whole benefit; the last step takes the exact rest.
        step_yuan = min(rng.randrange(5, 31, 5), excess // 100)
        if step_yuan <= 0:
            step_yuan = 0
        counted = sum(1 for p in spec.members if p.is_co_resident and (p.started_on is None or p.started_on <= day))
        amount_fen = step_yuan * 100 * max(counted, 1) if step_yuan else excess
        if amount_fen > excess:
            amount_fen = excess
        recorded = min(day - datetime.timedelta(days=20), ONBOARD_CHECKED_ON) if day == GO_LIVE else day
        income = IncomeSpec(
            IncomeKind.SUPPORT,
            amount_fen,
            CALIBRATION_DESCRIPTIONS[rng.randrange(len(CALIBRATION_DESCRIPTIONS))],
            IncomeSource.VERIFIED,
            recorded - datetime.timedelta(days=rng.randrange(0, 10)),
        )
        head.incomes.append(income)
        try:
            new_amount = granted_fen(spec, day, policy)
        except ValueError:
            head.incomes.pop()
            continue
        if new_amount >= amounts[index] or amounts[index] - new_amount > excess:
            head.incomes.pop()  # rounding or a floor kept the amount, or it would overshoot: try elsewhere
            continue
        total -= amounts[index] - new_amount
        amounts[index] = new_amount
        added += 1
    if total != target_fen:
        raise ValueError(f"could not calibrate to {target_fen} fen (reached {total})")
    return Calibration(before_fen=before, after_fen=total, incomes_added=added)
