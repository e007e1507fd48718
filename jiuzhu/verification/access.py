"""Who sees which imported dataset: those with the capability, for datasets of a region in their
jurisdiction or above it (a county's vehicle register is seen by its townships' verifiers too)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import has_capability, jurisdiction_q
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.verification.models import ExternalDataset


def datasets_visible_to(actor: Any) -> QuerySet[ExternalDataset]:
    if not has_capability(actor, Capability.VERIFICATION_VIEW):
        return ExternalDataset.objects.none()
    visible = jurisdiction_q(actor, "region__code")
    if actor.jurisdiction_prefix:
        visible |= Q(region__code__in=ancestor_codes(actor.jurisdiction_prefix))
    return ExternalDataset.objects.filter(visible).select_related("region", "uploaded_by")


def access_dataset_for_view(actor: Any, dataset_id: Any) -> ExternalDataset:
    try:
        return datasets_visible_to(actor).get(pk=int(dataset_id))
    except (ExternalDataset.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None


def access_dataset_for_change(actor: Any, dataset_id: Any, *, lock: bool = False) -> ExternalDataset:
    """A dataset of a region inside the actor's jurisdiction."""
    queryset = ExternalDataset.objects.filter(jurisdiction_q(actor, "region__code")).select_related("region")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(dataset_id))
    except (ExternalDataset.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None
