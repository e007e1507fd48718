"""Registry records in the admin: view only, inside the staff member's jurisdiction.

The admin is never a way around the registry services: nobody (a superuser included) may add,
change or delete households, persons, income, assets or documents here. Identifiers appear
masked only; opening a household is logged like opening its file.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from jiuzhu.accounts.admin_scoping import ScopedReadOnlyAdmin, region_subtree_filter
from jiuzhu.registry.access import HOUSEHOLD_REGION_CODE, MEMBER_REGION_CODE
from jiuzhu.registry.models import Asset, Document, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.services.households import household_file_viewed


class MemberScopedAdmin(ScopedReadOnlyAdmin):
    region_code_field = MEMBER_REGION_CODE


@admin.register(Household)
class HouseholdAdmin(ScopedReadOnlyAdmin):
    region_code_field = HOUSEHOLD_REGION_CODE
    list_display = ("id", "head_name", "region", "hukou_type", "status", "account_number_masked", "updated_at")
    list_filter = ("status", "hukou_type", region_subtree_filter(HOUSEHOLD_REGION_CODE))
    list_select_related = ("region",)
    search_fields = ("head_name", "head_name_initials", "address")
    fields = (
        "region", "hukou_type", "address", "phone", "head", "head_name", "status", "bank_name", "account_holder",
        "account_number_masked", "notes", "version", "created_at", "updated_at", "created_by",
    )  # fmt: skip
    readonly_fields = fields

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            household = self.get_object(request, object_id)
            if household is not None:
                household_file_viewed(actor=request.user, household=household)
        return response


@admin.register(Person)
class PersonAdmin(MemberScopedAdmin):
    list_display = ("id", "name", "id_number_masked", "household", "relation", "sex", "birth_date", "death_date")
    list_filter = ("relation", "sex", "work_ability", region_subtree_filter(MEMBER_REGION_CODE))
    list_select_related = ("household",)
    search_fields = ("name", "name_initials")
    fields = (
        "household", "relation", "name", "name_initials", "id_number_masked", "sex", "birth_date", "ethnicity",
        "marital_status", "education", "is_student", "employment", "work_ability", "disability_category",
        "disability_grade", "has_serious_illness", "illness_description", "is_cadre", "is_cadre_relative",
        "is_co_resident", "death_date", "phone", "version", "created_at", "updated_at",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(MemberScopedAdmin):
    list_display = ("id", "person", "household", "relation", "started_on", "ended_on", "end_reason")
    list_filter = ("end_reason",)
    list_select_related = ("person", "household")
    fields = ("person", "household", "relation", "started_on", "ended_on", "end_reason")
    readonly_fields = fields


@admin.register(IncomeItem)
class IncomeItemAdmin(MemberScopedAdmin):
    list_display = ("id", "household", "person", "kind", "monthly_amount_fen", "source", "recorded_on")
    list_filter = ("kind", "source")
    list_select_related = ("household", "person")
    fields = ("household", "person", "kind", "monthly_amount_fen", "source", "description", "recorded_on", "version")
    readonly_fields = fields


@admin.register(Asset)
class AssetAdmin(MemberScopedAdmin):
    list_display = ("id", "household", "person", "kind", "value_fen", "quantity", "recorded_on")
    list_filter = ("kind",)
    list_select_related = ("household", "person")
    fields = (
        "household", "person", "kind", "description", "value_fen", "quantity", "floor_area_sqm",
        "registration_number", "recorded_on", "version",
    )  # fmt: skip
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(MemberScopedAdmin):
    """File contents are served only by the registry's logged download view, never from here."""

    list_display = ("id", "household", "kind", "original_name", "size_bytes", "uploaded_at", "is_removed")
    list_filter = ("kind", "is_removed")
    list_select_related = ("household",)
    fields = (
        "household", "person", "kind", "original_name", "content_type", "size_bytes", "description",
        "uploaded_by", "uploaded_at", "is_removed",
    )  # fmt: skip
    readonly_fields = fields
