"""Which imported datasets are in the actor's sight: those of a region in their jurisdiction or above
it (a county's vehicle register is seen by its townships' verifiers too). Scope only: the pages and
services check the role's capability after it, so an object out of sight is a 404 for everyone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.verification.models import ExternalDataset, Flag


def datasets_visible_to(actor: Any) -> QuerySet[ExternalDataset]:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
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


def flags_visible_to(actor: Any) -> QuerySet[Flag]:
    """Flags of households in the actor's jurisdiction (a coordinator's village, a township…)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Flag.objects.none()
    return Flag.objects.filter(jurisdiction_q(actor, "region__code")).select_related("region", "household")


def access_flag_for_view(actor: Any, flag_id: Any) -> Flag:
    try:
        return flags_visible_to(actor).get(pk=int(flag_id))
    except (Flag.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None


def access_flag_for_change(actor: Any, flag_id: Any, *, lock: bool = False) -> Flag:
    queryset = flags_visible_to(actor)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=int(flag_id))
    except (Flag.DoesNotExist, TypeError, ValueError):
        raise NotFoundOrNoAccess() from None
