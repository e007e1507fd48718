"""Read-side queries of the onboarding pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiuzhu.onboarding.access import batches_visible_to
from jiuzhu.onboarding.models import OnboardingBatch, OnboardingHousehold, Outcome

NOTED = "noted"  # the filter of the households with notes (an amount above the standard…)


def batch_list(*, actor: Any) -> QuerySet[OnboardingBatch]:
    return batches_visible_to(actor).order_by("-uploaded_at", "-id")


def batch_households(batch: OnboardingBatch, *, outcome: str = "") -> QuerySet[OnboardingHousehold]:
    """The dry run's (or the import's) households in file order: all, of one outcome, or with notes."""
    households = batch.households.select_related("village").order_by("first_line")
    if outcome in Outcome.values:
        households = households.filter(outcome=outcome)
    elif outcome == NOTED:
        households = households.filter(noted=True)
    return households
