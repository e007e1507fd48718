"""Many benefits in force at once, for volume tests and benchmarks of dynamic management.

The real path (application → … → publication) takes a dozen services per household; the yearly
review batch needs thousands of households. `bulk_beneficiaries` writes the same rows those services
leave behind for one simple kind of household — one elderly person without work ability or income,
assessed at the full gap (the standard) — in a few bulk INSERTs. Tests only: no audit trail, no
checks. The batch review re-assesses every household, so a wrong row here would show up as a
household the batch refuses to confirm.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from jiuzhu.cases.choices import AmountChangeKind, ApplicationStatus, DecisionOutcome, EntitlementStatus
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement
from jiuzhu.cases.review_rules import STABLE, next_review_due
from jiuzhu.programs.models import Program
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.rules.policy import DibaoPolicy
from jiuzhu.regions.models import Region
from jiuzhu.registry.models import Household, MembershipPeriod, Person


@dataclass(frozen=True)
class Beneficiaries:
    household_ids: list[int]
    entitlement_ids: list[int]


def bulk_beneficiaries(
    *,
    actor: Any,
    region: Region,
    policy: DibaoPolicy,
    count: int,
    decided_on: datetime.date,
    program_code: str = "dibao_rural",
    batch_size: int = 500,
) -> Beneficiaries:
    """`count` one-person households (born 1950, no work ability, no income) with a benefit in force
    from the month after `decided_on` at the policy's standard, a stable review class, and the next
    review due twelve (the stable interval) months after `decided_on`."""
    program = Program.objects.get(code=program_code)
    born = datetime.date(1950, 1, 1)
    first_month = add_months(month_of(decided_on), 1)
    households = Household.objects.bulk_create(
        [
            Household(
                region=region,
                hukou_type="rural",
                address=f"{region.name}{i + 1}号",
                head_name=f"批量{i + 1}",
                head_name_initials="PL",
                created_by=actor,
            )
            for i in range(count)
        ],
        batch_size=batch_size,
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                household=household,
                relation="head",
                name=household.head_name,
                name_initials="PL",
                sex="male",
                birth_date=born,
                work_ability="none",
                id_number_digest=None,
            )
            for household in households
        ],
        batch_size=batch_size,
    )
    for household, person in zip(households, persons, strict=True):
        household.head = person
    Household.objects.bulk_update(households, ["head"], batch_size=batch_size)
    MembershipPeriod.objects.bulk_create(
        [MembershipPeriod(person=p, household_id=p.household_id, relation="head", started_on=born) for p in persons],
        batch_size=batch_size,
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                household=household,
                region=region,
                program=program,
                applicant=person,
                status=ApplicationStatus.IN_FORCE,
                submitted_on=decided_on,
                accepted_on=decided_on,
                workflow_mode=str(policy.workflow_mode),
                appraisal_mode=str(policy.appraisal_mode),
                decided_on=decided_on,
                published_on=decided_on,
                created_by=actor,
            )
            for household, person in zip(households, persons, strict=True)
        ],
        batch_size=batch_size,
    )
    amount = policy.standard_fen
    line = {"code": "gap", "label": "补差", "amount_fen": amount, "count": 1, "unit_fen": None}
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                application=application,
                outcome=DecisionOutcome.APPROVED,
                decided_on=decided_on,
                decided_by=actor,
                monthly_amount_fen=amount,
                first_payment_month=first_month,
                member_count=1,
                lines=[line],
            )
            for application in applications
        ],
        batch_size=batch_size,
    )
    due = next_review_due(
        decided_on,
        STABLE,
        months_stable=policy.review_months_stable,
        months_unstable=policy.review_months_unstable,
    )
    entitlements = Entitlement.objects.bulk_create(
        [
            Entitlement(
                application=application,
                household_id=application.household_id,
                program=program,
                region=region,
                first_month=first_month,
                status=EntitlementStatus.ACTIVE,
                monthly_amount_fen=amount,
                review_class=STABLE,
                last_reviewed_on=decided_on,
                next_review_on=due,
            )
            for application in applications
        ],
        batch_size=batch_size,
    )
    AmountChange.objects.bulk_create(
        [
            AmountChange(
                entitlement=entitlement,
                effective_month=first_month,
                amount_fen=amount,
                kind=AmountChangeKind.GRANT,
                reason="新申请批准",
                decision=decision,
                recorded_by=actor,
            )
            for entitlement, decision in zip(entitlements, decisions, strict=True)
        ],
        batch_size=batch_size,
    )
    return Beneficiaries(household_ids=[h.pk for h in households], entitlement_ids=[e.pk for e in entitlements])
