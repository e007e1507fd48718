"""Admin for staff accounts, and the read-only audit trail.

Staff accounts are configuration: administrators (capability `config.edit`) create them with a
password checked by the password policy, and set role and home region, only inside their own
jurisdiction. Creating and changing go through `user_create` / `user_update`, which write the
audit events.

The audit trail is registered here rather than in `jiuzhu.audit` because scoping it needs
`accounts.jurisdiction`, and `audit` sits below `accounts` in the import layers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm, UsernameField
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jiuzhu.accounts.admin_scoping import ScopedReadOnlyAdmin, region_subtree_filter
from jiuzhu.accounts.jurisdiction import has_capability, scope_to_jurisdiction
from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Capability, Role
from jiuzhu.accounts.services import user_create, user_update
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.regions.models import Region


def _check_region(form: forms.ModelForm[User], actor: Any) -> None:
    """Every account except a whole-tree administrator needs a home region inside the actor's area."""
    region = form.cleaned_data.get("region")
    role = form.cleaned_data.get("role")
    if region is None and role and role != Role.ADMIN:
        form.add_error("region", _("除系统管理员外，每个用户都必须有所属区划。"))
    elif region is None and actor is not None and actor.region_id is not None:
        form.add_error("region", _("只能在本人辖区内设置所属区划。"))


class StaffCreationForm(UserCreationForm):
    actor: Any = None  # set per request by StaffAdmin.get_form

    class Meta:
        model = User
        fields = ("username", "first_name", "role", "region")
        field_classes = {"username": UsernameField}
        labels = {"first_name": _("姓名")}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        _check_region(self, self.actor)
        return cleaned


class StaffChangeForm(UserChangeForm):
    actor: Any = None  # set per request by StaffAdmin.get_form

    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}
        labels = {"first_name": _("姓名")}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        _check_region(self, self.actor)
        return cleaned


@admin.register(User)
class StaffAdmin(UserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "email", "phone")}),
        (_("角色与辖区"), {"fields": ("role", "region")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "role", "region")}),
        (_("初始密码"), {"classes": ("wide",), "fields": ("password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "role", "region", "is_active", "is_staff", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    list_select_related = ("region",)
    search_fields = ("username", "first_name", "phone")
    autocomplete_fields = ("region",)
    filter_horizontal = ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        users: QuerySet[User] = super().get_queryset(request)
        return scope_to_jurisdiction(users, request.user, "region__code")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # accounts are deactivated (is_active), never deleted: the audit trail points at them

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        user: Any = request.user
        return readonly if user.is_superuser else (*readonly, "is_superuser")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = scope_to_jurisdiction(Region.objects.all(), request.user, "code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        return user_create(
            actor=request.user, username=data["username"], password=data["password1"], role=data["role"],
            region=data["region"], full_name=data.get("first_name", ""),
        )  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            return  # saved (and audited) by user_create in save_form
        data = form.cleaned_data
        user_update(
            actor=request.user, user_id=obj.pk, full_name=data["first_name"], email=data["email"],
            phone=data["phone"], role=data["role"], region=data["region"], is_active=data["is_active"],
            is_staff=data["is_staff"], is_superuser=data.get("is_superuser", obj.is_superuser),
        )  # fmt: skip

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if change:
            super().save_related(request, form, formsets, change)


class EventTypeFilter(admin.SimpleListFilter):
    title = _("事件")
    parameter_name = "event_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[Any, Any]]:
        return list(AuditEventType.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(event_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedReadOnlyAdmin):
    region_code_field = "region_code"
    view_capability = Capability.AUDIT_VIEW
    list_display = ("occurred_at", "event_label", "actor", "actor_role", "subject_type", "subject_id", "region_code")
    list_filter = (EventTypeFilter, region_subtree_filter("region_code"))
    list_select_related = ("actor",)
    search_fields = ("subject_type", "request_id", "reason")
    fields = (
        "occurred_at", "event_label", "actor", "actor_role", "subject_type", "subject_id", "region_code",
        "before", "after", "reason", "request_id",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("事件"), ordering="event_type")
    def event_label(self, event: AuditEvent) -> str:
        return event.get_event_type_display()

    ordering = ("-occurred_at", "-id")
