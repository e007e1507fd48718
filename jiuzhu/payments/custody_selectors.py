"""Bank cards kept by staff (代管): a household's custodies, who may keep its card, and staff keeping
many families' cards (flagged on the finance dashboard)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.accounts.models import User
from jiuzhu.payments.models import CardCustody
from jiuzhu.programs.rules.resolution import ancestor_codes


def household_card_custodies(*, actor: Any, household_id: int) -> list[CardCustody]:
    """The household's custodies, the open one first (the caller has checked access to the household)."""
    return list(
        CardCustody.objects.filter(household_id=household_id)
        .select_related("held_by", "agreement")
        .order_by(F("ended_on").desc(nulls_first=True), "-held_since")
    )


def custody_keepers(*, household_region_code: str) -> list[User]:
    """Staff who may keep the household's card: active users whose region covers the household."""
    covering = User.objects.filter(is_active=True, region__code__in=ancestor_codes(household_region_code))
    return list(covering.exclude(role="admin").select_related("region").order_by("region__code", "username"))


@dataclass(frozen=True)
class Keeper:
    user_id: int
    name: str
    region: str
    cards: int


def keepers_of_many_cards(*, actor: Any, threshold: int) -> list[Keeper]:
    """Staff keeping `threshold` or more families' cards in the actor's area (a warning sign)."""
    rows = (
        CardCustody.objects.filter(jurisdiction_q(actor, "household__region__code"), ended_on__isnull=True)
        .values("held_by_id", "held_by__first_name", "held_by__username", "held_by__region__name")
        .annotate(cards=Count("pk"))
        .filter(cards__gte=threshold)
        .order_by("-cards")
    )
    return [
        Keeper(
            r["held_by_id"], r["held_by__first_name"] or r["held_by__username"], r["held_by__region__name"], r["cards"]
        )
        for r in rows
    ]
