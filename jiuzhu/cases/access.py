"""Access to applications by id: the only way pages, the API and services fetch one.

Scoped by the household's village (`region__code`) through accounts.jurisdiction; anything outside
the actor's subtree is reported exactly like a missing application.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from jiuzhu.accounts.jurisdiction import require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.models import Application, Entitlement, Review
from jiuzhu.common.exceptions import NotFoundOrNoAccess

APPLICATION_REGION_CODE = "region__code"
REVIEW_REGION_CODE = "entitlement__region__code"


def applications_visible_to(actor: Any) -> QuerySet[Application]:
    return scope_to_jurisdiction(Application.objects.all(), actor, APPLICATION_REGION_CODE)


def entitlements_visible_to(actor: Any) -> QuerySet[Entitlement]:
    return scope_to_jurisdiction(Entitlement.objects.all(), actor, APPLICATION_REGION_CODE)


def _get(queryset: QuerySet[Application], application_id: Any) -> Application:
    try:
        return queryset.get(pk=int(application_id))
    except (ValueError, TypeError, Application.DoesNotExist):
        raise NotFoundOrNoAccess() from None


def access_application_for_view(actor: Any, application_id: Any) -> Application:
    require_capability(actor, Capability.CASE_VIEW)
    return _get(
        applications_visible_to(actor).select_related("household", "region", "program", "applicant"), application_id
    )


def access_application_for_step(actor: Any, application_id: Any) -> Application:
    """The application locked for a workflow step (the caller checks the step's capability)."""
    return _get(applications_visible_to(actor).select_for_update().select_related("region", "program"), application_id)


def access_applications_for_steps(actor: Any, application_ids: Sequence[int]) -> dict[int, Application]:
    """Many applications locked for a batch of workflow steps, by id; those outside the actor's
    jurisdiction (or missing) are simply absent (the caller checks the step's capability)."""
    found: dict[int, Application] = {}
    for start in range(0, len(application_ids), 500):
        chunk = application_ids[start : start + 500]
        queryset = applications_visible_to(actor).select_for_update().select_related("region", "program")
        found.update((a.pk, a) for a in queryset.filter(pk__in=chunk).order_by("pk"))
    return found


# --- Benefits in force and their reviews (dynamic management) ------------------------------------------


def reviews_visible_to(actor: Any) -> QuerySet[Review]:
    return scope_to_jurisdiction(Review.objects.all(), actor, REVIEW_REGION_CODE)


def access_entitlement_for_view(actor: Any, entitlement_id: Any) -> Entitlement:
    require_capability(actor, Capability.CASE_VIEW)
    try:
        return (
            entitlements_visible_to(actor).select_related("household", "region", "program").get(pk=int(entitlement_id))
        )
    except (ValueError, TypeError, Entitlement.DoesNotExist):
        raise NotFoundOrNoAccess() from None


def access_entitlement_for_change(actor: Any, entitlement_id: Any) -> Entitlement:
    """The entitlement locked for a change (the caller checks the capability)."""
    try:
        return (
            entitlements_visible_to(actor)
            .select_for_update()
            .select_related("region", "program", "application")
            .get(pk=int(entitlement_id))
        )
    except (ValueError, TypeError, Entitlement.DoesNotExist):
        raise NotFoundOrNoAccess() from None


def access_review_for_view(actor: Any, review_id: Any) -> Review:
    require_capability(actor, Capability.CASE_VIEW)
    try:
        return (
            reviews_visible_to(actor)
            .select_related("entitlement", "entitlement__household", "entitlement__region", "entitlement__program")
            .get(pk=int(review_id))
        )
    except (ValueError, TypeError, Review.DoesNotExist):
        raise NotFoundOrNoAccess() from None


def access_review_for_step(actor: Any, review_id: Any) -> tuple[Review, Entitlement]:
    """The review and its entitlement, both locked — the entitlement first, as every change of a
    benefit locks them (the caller checks the capability)."""
    try:
        entitlement_id = reviews_visible_to(actor).values_list("entitlement_id", flat=True).get(pk=int(review_id))
    except (ValueError, TypeError, Review.DoesNotExist):
        raise NotFoundOrNoAccess() from None
    entitlement = access_entitlement_for_change(actor, entitlement_id)
    review = Review.objects.select_for_update().get(pk=int(review_id))
    return review, entitlement
