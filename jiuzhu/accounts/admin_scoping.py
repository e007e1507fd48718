"""Building blocks for the Django admin: read-only, jurisdiction-scoped model admins.

The admin is for configuration data. Business records (registry, audit trail) appear there
read-only and only inside the staff member's jurisdiction, through the same
`scope_to_jurisdiction` that pages and the API use; every change goes through a service.
Permission comes from the role's capabilities (accounts.roles), not from Django's per-model
permissions, so a superuser cannot add, change or delete these records either.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiuzhu.accounts.jurisdiction import has_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.scoping import subtree_q


def regions_for_filter(actor: Any) -> QuerySet[Region]:
    """The choices of a region list filter: the actor's own region and its direct children
    (provinces for whole-tree administrators). Any deeper code also works in the URL."""
    if getattr(actor, "region_id", None) is None:
        return Region.objects.filter(level=RegionLevel.PROVINCE).order_by("code")
    return Region.objects.filter(Q(pk=actor.region_id) | Q(parent_id=actor.region_id)).order_by("code")


class RegionSubtreeFilter(admin.SimpleListFilter):
    """Narrow a list to one region's subtree; subclasses set `region_code_field`."""

    title = _("区划")
    parameter_name = "region"
    region_code_field: ClassVar[str] = "region__code"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(r.code, f"{r.code} {r.name}") for r in regions_for_filter(request.user)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(subtree_q(value, self.region_code_field))
        return queryset


def region_subtree_filter(region_code_field: str) -> type[RegionSubtreeFilter]:
    return type("RegionSubtreeFilter", (RegionSubtreeFilter,), {"region_code_field": region_code_field})


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    """View-only admin over rows inside the staff member's jurisdiction.

    Subclasses set `region_code_field` (the lookup path to the row's region code) and, if it is
    not the registry, `view_capability`.
    """

    region_code_field: ClassVar[str]
    view_capability: ClassVar[Capability] = Capability.REGISTRY_VIEW

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_jurisdiction(super().get_queryset(request), request.user, self.region_code_field)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, self.view_capability)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, self.view_capability)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
