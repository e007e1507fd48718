"""Registry reads for pages, the API and exports. Every function is scoped by the actor."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from jiuzhu.accounts.jurisdiction import has_capability, require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.selectors import audit_events_for_subjects
from jiuzhu.audit.types import READ_EVENT_TYPES, AuditEventType
from jiuzhu.common.sensitive import lookup_digest
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.access import households_visible_to, persons_visible_to
from jiuzhu.registry.choices import HouseholdStatus
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.rules.id_numbers import InvalidIdNumber, parse_id_number

_INITIALS_RE = re.compile(r"^[A-Za-z]{1,16}$")
_ID_LIKE_RE = re.compile(r"^(\d{15}|\d{17}[\dXx])$")


def household_search(*, actor: Any, query: str = "", region_code: str = "", status: str = "") -> QuerySet[Household]:
    """Households the actor may see, matching a name, pinyin initials, an ID number or a village.

    - an ID number (15 or 18 characters) finds its household by the keyed hash (exact match);
    - Latin letters match the start of a member's name initials ("zs" finds 张三, 张山…);
    - anything else matches part of a member's name;
    - `region_code` narrows to a village, township or county inside the actor's subtree.
    """
    households = households_visible_to(actor).select_related("region", "region__parent")
    if region_code:
        households = households.filter(subtree_q(region_code, "region__code"))
    if status:
        households = households.filter(status=status)
    query = query.strip().replace(" ", "")
    if query:
        # `pk IN (SELECT household_id …)` rather than a correlated EXISTS: SQLite evaluates the
        # latter household by household (seconds at a million households), the former uses the
        # member index once (benchmarks/registry.py).
        members = Person.objects.all()
        if _ID_LIKE_RE.match(query):
            try:
                number = parse_id_number(query, today=timezone.localdate()).number
            except InvalidIdNumber:
                return households.none()
            members = members.filter(id_number_digest=lookup_digest(number))
        elif _INITIALS_RE.match(query):
            members = members.filter(name_initials__startswith=query.lower())
        else:
            members = members.filter(name__contains=query)
        households = households.filter(pk__in=members.values("household_id"))
    return households.order_by("region__code", "head_name", "id")


def person_list(*, actor: Any, household_id: int | None = None) -> QuerySet[Person]:
    persons = persons_visible_to(actor).select_related("household", "household__region")
    if household_id is not None:
        persons = persons.filter(household_id=household_id)
    return persons.order_by("household_id", "id")


@dataclass(frozen=True)
class HouseholdFile:
    """Everything on the household file page (一户一档)."""

    household: Household
    members: list[Person]
    former_members: list[MembershipPeriod]
    income_items: list[IncomeItem]
    assets: list[Asset]
    documents: list[Document]
    total_monthly_income_fen: int
    living_member_count: int
    history: list[AuditEvent]
    can_edit: bool
    can_reveal_id: bool
    can_reveal_account: bool


def household_file_get(*, actor: Any, household: Household) -> HouseholdFile:
    """The file of a household the caller has already fetched through `access_household_for_view`."""
    members = list(household.members.order_by("id"))
    member_ids = {m.pk for m in members}
    former = list(
        MembershipPeriod.objects.filter(household=household, ended_on__isnull=False)
        .exclude(person_id__in=member_ids)
        .select_related("person")
    )
    income_items = list(household.income_items.select_related("person").order_by("kind", "id"))
    assets = list(household.assets.select_related("person").order_by("kind", "id"))
    documents = list(household.documents.filter(is_removed=False).select_related("person", "uploaded_by"))
    subjects = [("registry.household", household.pk)]
    subjects += [("registry.person", m.pk) for m in members]
    subjects += [("registry.person", p.person_id) for p in former]
    subjects += [("registry.incomeitem", i.pk) for i in income_items]
    subjects += [("registry.asset", a.pk) for a in assets]
    subjects += [("registry.document", d.pk) for d in household.documents.all()]
    # Recognitions as a dibao-edge household (lowincome) are the household's too.
    subjects += [
        ("lowincome.nearpoorhousehold", pk) for pk in household.near_poor_recognitions.values_list("pk", flat=True)
    ]
    history = list(audit_events_for_subjects(subjects=subjects).exclude(event_type__in=READ_EVENT_TYPES)[:500])
    # Income lines and assets that were removed are no longer rows; their removal events name the household.
    history += list(
        AuditEvent.objects.filter(
            subject_type__in=["registry.incomeitem", "registry.asset"],
            event_type__in=[AuditEventType.INCOME_ITEM_REMOVED, AuditEventType.ASSET_REMOVED],
            before__household_id=household.pk,
        ).select_related("actor")
    )
    history.sort(key=lambda e: (e.occurred_at, e.pk), reverse=True)
    return HouseholdFile(
        household=household,
        members=members,
        former_members=former,
        income_items=income_items,
        assets=assets,
        documents=documents,
        total_monthly_income_fen=sum(i.monthly_amount_fen for i in income_items),
        living_member_count=sum(1 for m in members if not m.is_deceased),
        history=history,
        can_edit=has_capability(actor, Capability.REGISTRY_EDIT),
        can_reveal_id=has_capability(actor, Capability.ID_NUMBER_REVEAL),
        can_reveal_account=has_capability(actor, Capability.ACCOUNT_NUMBER_REVEAL),
    )


def households_with_members_missing_id_number(*, actor: Any) -> QuerySet[Household]:
    """Active households in the actor's area with a living member who has no ID number on file (to-do)."""
    missing = Person.objects.filter(household=OuterRef("pk"), id_number_digest__isnull=True, death_date__isnull=True)
    return (
        households_visible_to(actor)
        .filter(status=HouseholdStatus.ACTIVE)
        .filter(Exists(missing))
        .select_related("region")
        .order_by("region__code", "head_name", "id")
    )


def households_without_documents(*, actor: Any) -> QuerySet[Household]:
    """Active households in the actor's area with no attachment at all (to-do: scan the hukou book)."""
    documents = Document.objects.filter(household=OuterRef("pk"), is_removed=False)
    return (
        households_visible_to(actor)
        .filter(status=HouseholdStatus.ACTIVE)
        .exclude(Exists(documents))
        .select_related("region")
        .order_by("region__code", "head_name", "id")
    )


def registry_events_in_jurisdiction(*, actor: Any, include_reads: bool = False) -> QuerySet[AuditEvent]:
    """Registry audit events in the actor's subtree, newest first.

    Changes are visible to anyone who may view the registry there (the household file shows them
    too); the reads (who opened which file, who revealed an ID number) only to roles that audit.
    """
    require_capability(actor, Capability.AUDIT_VIEW if include_reads else Capability.REGISTRY_VIEW)
    events = scope_to_jurisdiction(AuditEvent.objects.all(), actor, "region_code").filter(
        event_type__gte=100, event_type__lt=200
    )
    if not include_reads:
        events = events.exclude(event_type__in=READ_EVENT_TYPES)
    return events.select_related("actor").order_by("-occurred_at", "-id")


def person_search(*, actor: Any, query: str) -> QuerySet[Person]:
    """Living persons the actor may see whose name contains `query` or whose initials start with it."""
    query = query.strip().replace(" ", "")
    persons = persons_visible_to(actor).filter(death_date__isnull=True).select_related("household__region")
    if not query:
        return persons.none()
    if _ID_LIKE_RE.match(query):
        try:
            number = parse_id_number(query, today=timezone.localdate()).number
        except InvalidIdNumber:
            return persons.none()
        persons = persons.filter(id_number_digest=lookup_digest(number))
    elif _INITIALS_RE.match(query):
        persons = persons.filter(name_initials__startswith=query.lower())
    else:
        persons = persons.filter(name__contains=query)
    return persons.order_by("household__region__code", "name", "id")
