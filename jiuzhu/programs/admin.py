"""The programme catalogue in the admin (configuration data).

Administrators may rename a programme, mark it recurring or switch it off; the codes are fixed by
`ProgramCode` and never deleted, because cases and payments will point at them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.programs.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_recurring", "is_active")
    list_filter = ("is_recurring", "is_active")
    search_fields = ("code", "name")
    fields = ("code", "name", "is_recurring", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        return ("code",) if obj is not None else ()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
