"""Regions in the admin: read-only reference data.

The tree changes only through the import command (`jiuzhu import_regions`, service
`regions_import`), which checks whole files and writes the audit event. Region names and codes
are public reference data, so any staff member may look them up (also for the region picker on
the staff-account form).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jiuzhu.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_urban", "is_active")
    list_filter = ("level", "is_urban", "is_active")
    list_select_related = ("parent",)
    search_fields = ("code", "name")
    fields = ("code", "name", "level", "parent", "is_urban", "is_active")
    readonly_fields = fields
    ordering = ("code",)
    show_full_result_count = False  # a national code list has ~700,000 rows

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
