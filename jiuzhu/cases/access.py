"""Access to applications by id: the only way pages, the API and services fetch one.

Scoped by the household's village (`region__code`) through accounts.jurisdiction; anything outside
the actor's subtree is reported exactly like a missing application.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jiuzhu.accounts.jurisdiction import require_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.models import Application, Entitlement
from jiuzhu.common.exceptions import NotFoundOrNoAccess

APPLICATION_REGION_CODE = "region__code"


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
