"""Reads that only shape data for pages (choices for selects, list annotations). Always scoped by actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from jiuzhu.accounts.jurisdiction import scope_to_jurisdiction
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.registry.choices import HouseholdStatus, MaritalStatus
from jiuzhu.registry.models import Household, Person
from jiuzhu.registry.selectors import household_search, person_list, person_search


def regions_in_jurisdiction(*, actor: Any, levels: tuple[int, ...]) -> QuerySet[Region]:
    regions = Region.objects.filter(level__in=levels, is_active=True).select_related("parent")
    return scope_to_jurisdiction(regions, actor, "code").order_by("code")


def villages_in_jurisdiction(*, actor: Any) -> QuerySet[Region]:
    """Villages and communities where the actor may open a household file."""
    return regions_in_jurisdiction(actor=actor, levels=(RegionLevel.VILLAGE,))


def region_filter_choices(*, actor: Any) -> list[tuple[str, str]]:
    """Townships and villages of the actor's subtree for the search filter, villages indented."""
    regions = regions_in_jurisdiction(actor=actor, levels=(RegionLevel.TOWNSHIP, RegionLevel.VILLAGE))
    return [(r.code, ("\u3000" if r.level == RegionLevel.VILLAGE else "") + r.name) for r in regions]


def household_search_page(*, actor: Any, query: str, region_code: str, status: str) -> QuerySet[Household]:
    """`registry.selectors.household_search` with what the result list shows: the head and a member count."""
    return (
        household_search(actor=actor, query=query, region_code=region_code, status=status)
        .select_related("head")
        .annotate(living_member_count=Count("members", filter=Q(members__death_date__isnull=True)))
    )


def region_names(*, actor: Any, region_ids: set[int]) -> dict[int, str]:
    """Names of regions by id, for showing `region_id` changes in a household's history."""
    if not region_ids:
        return {}
    regions = scope_to_jurisdiction(Region.objects.filter(pk__in=region_ids), actor, "code")
    return {r.pk: r.name for r in regions}


def move_target_candidates(*, actor: Any, query: str, person: Person) -> list[Household]:
    """Active households the actor may see that a member could move into (search results to pick from)."""
    if not query.strip():
        return []
    households = household_search(actor=actor, query=query, status=HouseholdStatus.ACTIVE)
    return list(households.exclude(pk=person.household_id)[:20])


def spouse_candidates(*, actor: Any, query: str, person: Person) -> list[Person]:
    """Living, unmarried persons the actor may see, to pick as the spouse in a marriage."""
    persons = person_search(actor=actor, query=query).exclude(pk=person.pk)
    return list(persons.exclude(marital_status=MaritalStatus.MARRIED)[:20])


def living_members(*, actor: Any, household: Household) -> list[Person]:
    return [p for p in person_list(actor=actor, household_id=household.pk) if not p.is_deceased]
