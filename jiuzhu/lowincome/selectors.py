"""Reading the edge-household register: the user's own area only."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from jiuzhu.accounts.jurisdiction import require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.choices import DecisionOutcome, EntitlementStatus, RefusalReason
from jiuzhu.cases.models import Decision, Entitlement
from jiuzhu.lowincome.choices import NearPoorState
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.regions.scoping import subtree_q

REGION_CODE = "region__code"


def near_poor_visible_to(actor: Any) -> QuerySet[NearPoorHousehold]:
    return scope_to_jurisdiction(NearPoorHousehold.objects.all(), actor, REGION_CODE)


def in_force_q(day: datetime.date, prefix: str = "") -> Q:
    """`lowincome.rules.in_force_on` as a filter (`prefix`: the path to the recognition)."""
    return Q(**{f"{prefix}recognised_on__lte": day, f"{prefix}valid_until__gte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def state_q(state: str, day: datetime.date) -> Q:
    if state == NearPoorState.IN_FORCE:
        return in_force_q(day)
    if state == NearPoorState.ENDED:
        return Q(ended_on__lte=day)
    if state == NearPoorState.EXPIRED:
        return Q(valid_until__lt=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    return Q()


def state_of(row: NearPoorHousehold, day: datetime.date) -> str:
    if row.ended_on is not None and row.ended_on <= day:
        return NearPoorState.ENDED
    if row.valid_until < day:
        return NearPoorState.EXPIRED
    return NearPoorState.IN_FORCE


def near_poor_in_force(*, household_id: int, on: datetime.date) -> NearPoorHousehold | None:
    return NearPoorHousehold.objects.filter(in_force_q(on), household_id=household_id).first()


def near_poor_list(
    *, actor: Any, region_code: str = "", state: str = "", on: datetime.date, query: str = ""
) -> QuerySet[NearPoorHousehold]:
    """The register in the actor's area (optionally one area, one state on `on`, a head's name)."""
    require_capability(actor, Capability.REGISTRY_VIEW)
    rows = near_poor_visible_to(actor).filter(subtree_q(region_code, REGION_CODE), state_q(state, on))
    if query:
        rows = rows.filter(
            Q(household__head_name__contains=query) | Q(household__head_name_initials__istartswith=query)
        )
    return rows.select_related("household", "region", "program").order_by("region__code", "-recognised_on", "pk")


def near_poor_of_household(*, actor: Any, household_id: int) -> list[NearPoorHousehold]:
    require_capability(actor, Capability.REGISTRY_VIEW)
    return list(
        near_poor_visible_to(actor)
        .filter(household_id=household_id)
        .select_related("program")
        .order_by("-recognised_on")
    )


def near_poor_candidates(*, actor: Any, on: datetime.date, months: int = 12) -> list[Decision]:
    """待筛查: households refused dibao in the last `months` whose income alone was above the
    standard, and who are neither on dibao nor recognised now (DOMAIN §4.7: screen after refusal
    or exit). The recognition itself assesses them afresh."""
    require_capability(actor, Capability.REGISTRY_VIEW)
    since = add_months(on, -months)
    recognised = NearPoorHousehold.objects.filter(in_force_q(on), household_id=OuterRef("application__household_id"))
    on_dibao = Entitlement.objects.filter(
        household_id=OuterRef("application__household_id"),
        status__in=(EntitlementStatus.ACTIVE, EntitlementStatus.EXITING),
    )
    refused = (
        scope_to_jurisdiction(Decision.objects.all(), actor, "application__region__code")
        .filter(outcome=DecisionOutcome.REFUSED, decided_on__gte=since, decided_on__lte=on)
        .filter(~Exists(recognised), ~Exists(on_dibao))
        .select_related("application", "application__household", "application__region", "application__program")
        .order_by("-decided_on", "pk")
    )
    return [d for d in refused if list(d.reason_codes) == [RefusalReason.INCOME_ABOVE_STANDARD]]
