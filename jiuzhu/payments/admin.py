"""Paying institutions in the admin (configuration data, `CONFIGURE`): saved through
`payment_institution_save` (audited); the bank-file columns are typed as codes in order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiuzhu.accounts.jurisdiction import has_capability, scope_to_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.payments.bank_layout import COLUMNS
from jiuzhu.payments.models import PaymentInstitution
from jiuzhu.payments.services.bank import layout_of
from jiuzhu.payments.services.institutions import payment_institution_save
from jiuzhu.regions.models import Region

COLUMN_HELP = "；".join(f"{code}={column.header}" for code, column in COLUMNS.items())


class PaymentInstitutionForm(forms.ModelForm):
    columns_text = forms.CharField(
        label=_("银行文件的列（按顺序，用逗号分隔）"),
        help_text=_("可用的列：") + COLUMN_HELP,
        widget=forms.TextInput(attrs={"size": 80}),
    )

    class Meta:
        model = PaymentInstitution
        fields = ["name", "kind", "region", "file_format", "encoding", "has_header", "has_totals", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["columns_text"].initial = ",".join(self.instance.columns or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        codes = [code.strip() for code in data.get("columns_text", "").replace("，", ",").split(",") if code.strip()]
        self.instance.columns = codes
        for key in ("file_format", "encoding", "has_header", "has_totals"):
            if key in data:
                setattr(self.instance, key, data[key])
        for problem in layout_of(self.instance).problems():
            self.add_error("columns_text", problem)
        return data


@admin.register(PaymentInstitution)
class PaymentInstitutionAdmin(admin.ModelAdmin):
    form = PaymentInstitutionForm
    list_display = ("name", "kind", "region", "file_format", "encoding", "is_active")
    list_filter = ("kind", "is_active")

    def _may(self, request: HttpRequest) -> bool:
        return has_capability(request.user, Capability.CONFIGURE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # bank files point at it; switch it off instead

    def get_queryset(self, request: HttpRequest) -> QuerySet[PaymentInstitution]:
        return scope_to_jurisdiction(super().get_queryset(request), request.user, "region__code")

    def formfield_for_foreignkey(self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "region":
            kwargs["queryset"] = scope_to_jurisdiction(Region.objects.all(), request.user, "code")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        institution = form.save(commit=False)
        return payment_institution_save(actor=request.user, institution=institution, reason=gettext("在管理后台保存"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        return None  # saved (and audited) by the service in save_form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        return None
