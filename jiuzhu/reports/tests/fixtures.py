"""A small county whose figures are worked out by hand (see test_snapshots.py), written as the rows
the case and payment services leave behind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from jiuzhu.accounts.roles import Role
from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    DecisionOutcome,
    EntitlementStatus,
    ReviewStatus,
    ReviewTrigger,
)
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, Review
from jiuzhu.payments.choices import OutcomeStatus, PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.programs.models import Program
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, VILLAGE_B, make_user

MARCH = datetime.date(2026, 3, 1)


@dataclass
class County:
    actor: Any
    regions: dict[str, Any]
    households: dict[str, Household]
    entitlements: dict[str, Entitlement]


def _household(actor: Any, region: Any, name: str, members: list[tuple[str, datetime.date, int | None]]) -> Household:
    household = Household.objects.create(
        region=region, hukou_type="rural", address=f"{region.name}1号", head_name=name, head_name_initials="X",
        created_by=actor,
    )  # fmt: skip
    for index, (relation, born, grade) in enumerate(members):
        person = Person.objects.create(
            household=household, relation=relation, name=f"{name}{index}", name_initials="X", sex="male",
            birth_date=born, disability_category="physical" if grade else "", disability_grade=grade,
        )  # fmt: skip
        MembershipPeriod.objects.create(person=person, household=household, relation=relation, started_on=born)
        if relation == "head":
            household.head = person
            household.save(update_fields=["head"])
    return household


def _case(
    actor: Any, household: Household, program: str, decided_on: datetime.date, persons: int, amount: int,
    first: datetime.date,
) -> Entitlement:  # fmt: skip
    application = Application.objects.create(
        household=household, region=household.region, program=Program.objects.get(code=program),
        applicant=household.head, status=ApplicationStatus.IN_FORCE, submitted_on=decided_on, accepted_on=decided_on,
        decided_on=decided_on, published_on=decided_on, created_by=actor,
    )  # fmt: skip
    decision = Decision.objects.create(
        application=application, outcome=DecisionOutcome.APPROVED, decided_on=decided_on, decided_by=actor,
        monthly_amount_fen=amount, first_payment_month=first, member_count=persons, lines=[],
    )  # fmt: skip
    entitlement = Entitlement.objects.create(
        application=application, household=household, program=application.program, region=household.region,
        first_month=first, status=EntitlementStatus.ACTIVE, monthly_amount_fen=amount,
    )  # fmt: skip
    AmountChange.objects.create(
        entitlement=entitlement, effective_month=first, amount_fen=amount, kind=AmountChangeKind.GRANT,
        reason="批准", decision=decision, recorded_by=actor,
    )  # fmt: skip
    return entitlement


def _review(
    actor: Any, entitlement: Entitlement, decided_on: datetime.date, persons: int, amount: int,
    effective: datetime.date, kind: str,
) -> None:  # fmt: skip
    review = Review.objects.create(
        entitlement=entitlement, trigger=ReviewTrigger.PERIODIC, status=ReviewStatus.DECIDED, opened_on=decided_on,
        due_on=decided_on, opened_by=actor, decided_on=decided_on, decided_by=actor, outcome=kind,
        member_count=persons, amount_fen=amount,
    )  # fmt: skip
    AmountChange.objects.create(
        entitlement=entitlement, effective_month=effective, amount_fen=amount, kind=kind, reason="复核",
        review=review, recorded_by=actor,
    )  # fmt: skip


def _payroll(
    actor: Any, program: str, region: Any, status: str, lines: list[tuple[Entitlement, int, str | None]]
) -> None:
    payroll = Payroll.objects.create(
        program=Program.objects.get(code=program), region=region, period_start=MARCH, months=1,
        pay_on=MARCH.replace(day=10), status=status, created_by=actor,
    )  # fmt: skip
    for entitlement, amount, outcome in lines:
        line = PayrollLine.objects.create(
            payroll=payroll, entitlement=entitlement, household_id=entitlement.household_id,
            program_id=entitlement.program_id, region_id=entitlement.region_id, month=MARCH, kind="regular",
            amount_fen=amount,
        )  # fmt: skip
        if outcome:
            PaymentOutcome.objects.create(line=line, status=outcome)


def build_county(regions: dict[str, Any]) -> County:
    """Four households in March 2026 (standards: rural 800 yuan in the county; urban 900):

    * A1 (village A, rural): head 1950 (76: elderly), spouse 1980 with a grade-2 disability, child
      2015 (minor); approved 2025-12 for 3 persons at 900 yuan from January; a review on 5 March
      raises it to 1,000 yuan from April. Paid 900 in March.
    * A2 (village A, rural): one person born 2000; approved on 12 March at 500 yuan from April.
    * B1 (village B, rural): two persons born 1990; in force at 600 yuan since July 2025; a review
      on 20 March stops it from April. March's payment came back failed.
    * O1 (another township, urban): one person born 1940; 400 yuan since February 2024; its March
      payroll is still a draft.
    """
    actor = make_user("stat_approver", Role.COUNTY_APPROVER, regions[COUNTY])
    for program, standard in (("dibao_rural", 80_000), ("dibao_urban", 90_000)):
        policy_version_create(
            actor=actor, region_code=COUNTY, program_code=program, effective_from=datetime.date(2020, 1, 1),
            params={"standard_fen": standard}, note="测试",
        )  # fmt: skip
    a1 = _household(
        actor, regions[VILLAGE_A], "甲",
        [("head", datetime.date(1950, 2, 1), None), ("spouse", datetime.date(1980, 1, 1), 2),
         ("child", datetime.date(2015, 6, 1), None)],
    )  # fmt: skip
    a2 = _household(actor, regions[VILLAGE_A], "乙", [("head", datetime.date(2000, 1, 1), None)])
    b1 = _household(
        actor, regions[VILLAGE_B], "丙",
        [("head", datetime.date(1990, 1, 1), None), ("spouse", datetime.date(1990, 5, 1), None)],
    )  # fmt: skip
    o1 = _household(actor, regions[OTHER_TOWNSHIP_VILLAGE], "丁", [("head", datetime.date(1940, 1, 1), None)])
    e_a1 = _case(actor, a1, "dibao_rural", datetime.date(2025, 12, 10), 3, 90_000, datetime.date(2026, 1, 1))
    _review(actor, e_a1, datetime.date(2026, 3, 5), 3, 100_000, datetime.date(2026, 4, 1), AmountChangeKind.INCREASE)
    e_a2 = _case(actor, a2, "dibao_rural", datetime.date(2026, 3, 12), 1, 50_000, datetime.date(2026, 4, 1))
    e_b1 = _case(actor, b1, "dibao_rural", datetime.date(2025, 6, 1), 2, 60_000, datetime.date(2025, 7, 1))
    _review(actor, e_b1, datetime.date(2026, 3, 20), 2, 0, datetime.date(2026, 4, 1), AmountChangeKind.STOP)
    e_o1 = _case(actor, o1, "dibao_urban", datetime.date(2024, 1, 5), 1, 40_000, datetime.date(2024, 2, 1))
    _payroll(actor, "dibao_rural", regions[COUNTY], PayrollStatus.RECONCILED,
             [(e_a1, 90_000, OutcomeStatus.PAID), (e_b1, 60_000, OutcomeStatus.FAILED)])  # fmt: skip
    _payroll(actor, "dibao_urban", regions[COUNTY], PayrollStatus.DRAFT, [(e_o1, 40_000, None)])
    return County(
        actor=actor, regions=regions, households={"A1": a1, "A2": a2, "B1": b1, "O1": o1},
        entitlements={"A1": e_a1, "A2": e_a2, "B1": e_b1, "O1": e_o1},
    )  # fmt: skip
