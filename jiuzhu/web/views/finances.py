"""Income lines and assets of a household: add, edit, remove (removal needs a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.registry.access import access_asset_for_edit, access_household_for_edit, access_income_item_for_edit
from jiuzhu.registry.models import Asset, IncomeItem
from jiuzhu.registry.selectors import person_list
from jiuzhu.registry.services.finances import (
    asset_add,
    asset_remove,
    asset_update,
    income_item_add,
    income_item_remove,
    income_item_update,
)
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.forms import AssetAddForm, AssetEditForm, IncomeAddForm, IncomeEditForm, ReasonForm
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import is_submitted, to_household_file


@login_required
@domain_errors()
def income_add_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    members = person_list(actor=request.user, household_id=household.pk)
    form = IncomeAddForm(request.POST if is_submitted(request) else None, members=members)
    page = form_page(request, "web/income_form.html", forms={"form": form}, household=household, title=_("登记收入"))
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        income_item_add(actor=request.user, household_id=household.pk, data=form.to_data())
    messages.success(request, _("收入已登记。"))
    return to_household_file(household.pk)


def _income_initial(item: IncomeItem) -> dict[str, object]:
    return {
        "kind": item.kind, "person": item.person_id, "monthly_amount": fen_to_yuan_text(item.monthly_amount_fen),
        "source": item.source, "description": item.description, "recorded_on": item.recorded_on,
        "expected_version": item.version,
    }  # fmt: skip


@login_required
@domain_errors()
def income_edit_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_income_item_for_edit(request.user, item_id)
    members = person_list(actor=request.user, household_id=item.household_id)
    data = request.POST if is_submitted(request) else None
    form = IncomeEditForm(data, initial=_income_initial(item), members=members)
    page = form_page(
        request, "web/income_form.html", forms={"form": form}, household=item.household, title=_("修改收入")
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    income_item_update(
        actor=request.user, item_id=item.pk, expected_version=form.cleaned_data["expected_version"],
        data=form.to_data(), reason=form.cleaned_data["reason"],
    )  # fmt: skip
    messages.success(request, _("收入已修改。"))
    return to_household_file(item.household_id)


@login_required
@domain_errors()
def income_remove_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_income_item_for_edit(request.user, item_id)
    form = ReasonForm(request.POST if is_submitted(request) else None)
    context = {"household": item.household, "title": _("删除收入"), "subject": item}
    page = form_page(request, "web/remove_form.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    income_item_remove(actor=request.user, item_id=item.pk, reason=form.cleaned_data["reason"])
    messages.success(request, _("收入已删除。"))
    return to_household_file(item.household_id)


@login_required
@domain_errors()
def asset_add_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    members = person_list(actor=request.user, household_id=household.pk)
    form = AssetAddForm(request.POST if is_submitted(request) else None, members=members)
    page = form_page(request, "web/asset_form.html", forms={"form": form}, household=household, title=_("登记财产"))
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        asset_add(actor=request.user, household_id=household.pk, data=form.to_data())
    messages.success(request, _("财产已登记。"))
    return to_household_file(household.pk)


def _asset_initial(asset: Asset) -> dict[str, object]:
    return {
        "kind": asset.kind, "person": asset.person_id, "description": asset.description,
        "value": fen_to_yuan_text(asset.value_fen), "quantity": asset.quantity,
        "floor_area_sqm": asset.floor_area_sqm, "registration_number": asset.registration_number,
        "recorded_on": asset.recorded_on, "expected_version": asset.version,
    }  # fmt: skip


@login_required
@domain_errors()
def asset_edit_page(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = access_asset_for_edit(request.user, asset_id)
    members = person_list(actor=request.user, household_id=asset.household_id)
    data = request.POST if is_submitted(request) else None
    form = AssetEditForm(data, initial=_asset_initial(asset), members=members)
    page = form_page(
        request, "web/asset_form.html", forms={"form": form}, household=asset.household, title=_("修改财产")
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    asset_update(
        actor=request.user, asset_id=asset.pk, expected_version=form.cleaned_data["expected_version"],
        data=form.to_data(), reason=form.cleaned_data["reason"],
    )  # fmt: skip
    messages.success(request, _("财产已修改。"))
    return to_household_file(asset.household_id)


@login_required
@domain_errors()
def asset_remove_page(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = access_asset_for_edit(request.user, asset_id)
    form = ReasonForm(request.POST if is_submitted(request) else None)
    context = {"household": asset.household, "title": _("删除财产"), "subject": asset}
    page = form_page(request, "web/remove_form.html", forms={"form": form}, **context)
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    asset_remove(actor=request.user, asset_id=asset.pk, reason=form.cleaned_data["reason"])
    messages.success(request, _("财产已删除。"))
    return to_household_file(asset.household_id)
