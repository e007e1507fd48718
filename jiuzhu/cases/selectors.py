"""Reads of cases: the registry → rules adapter, to-do lists, timelines, amounts in force.

Every list takes `actor` and is scoped by jurisdiction (cases.access). `household_facts_get` takes
no actor: services call it after they have fetched the application through `access`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.cases.access import applications_visible_to, entitlements_visible_to
from jiuzhu.cases.choices import ApplicationStatus, Step
from jiuzhu.cases.models import AmountChange, Application, Entitlement, StatusChange
from jiuzhu.cases.rules import is_overdue
from jiuzhu.cases.step_access import is_county_level
from jiuzhu.cases.workflow import COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS, TRANSITIONS, capabilities_for
from jiuzhu.programs.rules.dibao import HouseholdFacts
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.registry.choices import Education
from jiuzhu.registry.models import Asset, IncomeItem, MembershipPeriod, Person

# --- Registry → rules ---------------------------------------------------------------------------------


def _member_facts(person: Any) -> MemberFacts:
    """A Person, or a row of `MEMBER_FIELDS`."""
    return MemberFacts(
        ref=str(person.pk),
        birth_date=person.birth_date,
        relation=person.relation,
        is_co_resident=person.is_co_resident,
        is_fulltime_student=person.is_student,
        studies_above_bachelor=person.is_student and person.education == Education.POSTGRADUATE,
        can_live_independently=person.work_ability != "none",
        disability_category=person.disability_category or "",
        disability_grade=person.disability_grade,
        has_serious_illness=person.has_serious_illness,
        death_date=person.death_date,
    )


# The registry fields the rules read, loaded as named rows (no model instances: the batch reads thousands).
MEMBER_FIELDS = (
    "pk", "household_id", "relation", "birth_date", "is_co_resident", "is_student", "education", "work_ability",
    "disability_category", "disability_grade", "has_serious_illness", "death_date",
)  # fmt: skip
INCOME_FIELDS = ("pk", "household_id", "person_id", "kind", "monthly_amount_fen")
ASSET_FIELDS = ("pk", "household_id", "person_id", "kind", "value_fen", "quantity")


@dataclass
class HouseholdRows:
    """A household's members, income items and assets as of a day (see `household_rows_many`): rows
    with the fields the rules read, by name (`MEMBER_FIELDS`, `INCOME_FIELDS`, `ASSET_FIELDS`)."""

    persons: list[Any] = field(default_factory=list)
    incomes: list[Any] = field(default_factory=list)
    assets: list[Any] = field(default_factory=list)

    def facts(self) -> HouseholdFacts:
        return HouseholdFacts(
            members=tuple(_member_facts(p) for p in self.persons),
            incomes=tuple(
                IncomeFacts(
                    kind=i.kind,
                    monthly_fen=i.monthly_amount_fen,
                    member_ref=str(i.person_id) if i.person_id else None,
                )
                for i in self.incomes
            ),
            assets=tuple(
                AssetFacts(
                    kind=a.kind,
                    value_fen=a.value_fen,
                    quantity=a.quantity,
                    member_ref=str(a.person_id) if a.person_id else None,
                )
                for a in self.assets
            ),
        )


def household_rows_many(*, household_ids: Iterable[int], as_of: datetime.date) -> dict[int, HouseholdRows]:
    """Members, income items and assets of many households on `as_of`, in four queries per 500.

    The registry keeps the current membership with its start (MembershipPeriod) and death dates, so
    `as_of` decides who had joined and who had died by then; members who moved out are no longer in
    the household. Income items and assets recorded after `as_of` are left out.
    """
    ids = sorted(set(household_ids))
    rows = {pk: HouseholdRows() for pk in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        joined_later = MembershipPeriod.objects.filter(
            household_id__in=chunk, ended_on__isnull=True, started_on__gt=as_of
        ).values("person_id")
        persons = Person.objects.filter(household_id__in=chunk).exclude(pk__in=joined_later)
        for person in persons.order_by("pk").values_list(*MEMBER_FIELDS, named=True):
            rows[person.household_id].persons.append(person)
        incomes = IncomeItem.objects.filter(household_id__in=chunk, recorded_on__lte=as_of)
        for item in incomes.order_by("pk").values_list(*INCOME_FIELDS, named=True):
            rows[item.household_id].incomes.append(item)
        assets = Asset.objects.filter(household_id__in=chunk, recorded_on__lte=as_of)
        for asset in assets.order_by("pk").values_list(*ASSET_FIELDS, named=True):
            rows[asset.household_id].assets.append(asset)
    return rows


def household_facts_get(*, household_id: int, as_of: datetime.date) -> HouseholdFacts:
    """The household's members, income items and assets as the dibao rules take them on `as_of`."""
    return household_rows_many(household_ids=[household_id], as_of=as_of)[household_id].facts()


def household_has_cadre_member(*, household_id: int, on: datetime.date) -> bool:
    """A living member is a cadre or a cadre's close relative (基层干部及其近亲属, DOMAIN §3.8)."""
    living = Q(death_date__isnull=True) | Q(death_date__gt=on)
    return (
        Person.objects.filter(household_id=household_id)
        .filter(living)
        .filter(Q(is_cadre=True) | Q(is_cadre_relative=True))
        .exists()
    )


# --- To-do lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoCase:
    application: Application
    step: Step
    due_on: datetime.date | None
    overall_due_on: datetime.date | None
    is_overdue: bool
    is_overall_overdue: bool


def _owed_q(actor: Any) -> Q:
    """Cases whose stored next step the actor may take (in the case's workflow mode)."""
    q = Q(pk__in=[])
    for status, transitions in TRANSITIONS.items():
        for transition in transitions:
            if status == ApplicationStatus.AWAITING_DECISION and transition.step == Step.HOME_VISIT:
                if not is_county_level(actor):  # only the county's own visit is owed there
                    continue
            for mode in (COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS):
                if any(has_capability(actor, c) for c in capabilities_for(transition, mode)):
                    q |= Q(status=status, next_step=transition.step, workflow_mode=mode)
    return q


def applications_owed_by(*, actor: Any) -> QuerySet[Application]:
    """Applications in the actor's jurisdiction waiting for a step the actor may take, earliest due first."""
    return (
        applications_visible_to(actor)
        .filter(_owed_q(actor))
        .select_related("household", "region", "program")
        .order_by("due_on", "id")
    )


def todo_cases(*, actor: Any, today: datetime.date, limit: int | None = None) -> list[TodoCase]:
    applications = applications_owed_by(actor=actor)
    if limit is not None:
        applications = applications[:limit]
    return [
        TodoCase(
            application=a,
            step=Step(a.next_step),
            due_on=a.due_on,
            overall_due_on=a.overall_due_on,
            is_overdue=is_overdue(a.due_on, today),
            is_overall_overdue=a.decided_on is None and is_overdue(a.overall_due_on, today),
        )
        for a in applications
    ]


def applications_overdue(*, actor: Any, today: datetime.date) -> QuerySet[Application]:
    """Undecided or unpublished applications past their step's due date or the overall limit."""
    late = Q(due_on__lt=today) | Q(decided_on__isnull=True, overall_due_on__lt=today)
    return applications_visible_to(actor).exclude(next_step="").filter(late).order_by("due_on", "id")


# --- Case file -----------------------------------------------------------------------------------------


def application_timeline(*, actor: Any, application_id: int) -> QuerySet[StatusChange]:
    return StatusChange.objects.filter(
        application__in=applications_visible_to(actor), application_id=application_id
    ).select_related("actor")


def amount_in_force_get(*, entitlement: Entitlement, month: datetime.date) -> int:
    """The monthly amount in force for `month` (0 before the first month or after a stop): one query."""
    amount = (
        AmountChange.objects.filter(entitlement=entitlement, effective_month__lte=month)
        .order_by("-effective_month", "-id")
        .values_list("amount_fen", flat=True)
        .first()
    )
    return int(amount or 0)


def entitlements_for_household(*, actor: Any, household_id: int) -> QuerySet[Entitlement]:
    return entitlements_visible_to(actor).filter(household_id=household_id).order_by("-first_month")
