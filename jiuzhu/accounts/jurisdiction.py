"""The one place where jurisdiction and capability are enforced.

Pages, the API, exports and the admin all scope their querysets with `scope_to_jurisdiction`
and check actions with `require_capability`. Off-limits objects are reported exactly like
missing ones (`NotFoundOrNoAccess`, a 404), so nobody learns what exists next door.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from jiuzhu.accounts.roles import Capability, role_has
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError
from jiuzhu.regions.scoping import is_within, subtree_q

M = TypeVar("M", bound=Model)


def jurisdiction_q(actor: Any, region_code_field: str) -> Q:
    """Rows whose region code (reached through `region_code_field`) is in the actor's subtree."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Q(pk__in=[])
    if actor.region_id is None and actor.role != "admin":
        return Q(pk__in=[])
    return subtree_q(actor.jurisdiction_prefix, region_code_field)


def scope_to_jurisdiction(queryset: QuerySet[M], actor: Any, region_code_field: str) -> QuerySet[M]:
    return queryset.filter(jurisdiction_q(actor, region_code_field))


def region_code_in_jurisdiction(actor: Any, region_code: str) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    if actor.region_id is None:
        return bool(actor.role == "admin")
    return is_within(region_code, actor.jurisdiction_prefix)


def require_region_in_jurisdiction(actor: Any, region_code: str) -> None:
    if not region_code_in_jurisdiction(actor, region_code):
        raise NotFoundOrNoAccess()


def has_capability(actor: Any, capability: Capability) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return role_has(actor.role, capability)


def require_capability(actor: Any, capability: Capability) -> None:
    if not has_capability(actor, capability):
        raise PermissionDeniedError()
