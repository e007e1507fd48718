"""Which onboarding batches are in the actor's sight: those of a region in their jurisdiction. Scope
only: the pages and services check the capability after it (out of sight is a 404 for everyone)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.onboarding.models import OnboardingBatch


def batches_visible_to(actor: Any) -> QuerySet[OnboardingBatch]:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return OnboardingBatch.objects.none()
    return OnboardingBatch.objects.filter(jurisdiction_q(actor, "region__code")).select_related(
        "region", "uploaded_by", "applied_by"
    )


def access_batch(actor: Any, batch_id: Any, *, lock: bool = False) -> OnboardingBatch:
    queryset = batches_visible_to(actor)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(batch_id))
    except (OnboardingBatch.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None
