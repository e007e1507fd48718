"""Household pages: search, create (with members), the household file, edit, change of head, reveal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.lowincome.selectors import near_poor_of_household
from jiuzhu.payments.custody_selectors import household_card_custodies
from jiuzhu.payments.selectors import household_payments
from jiuzhu.registry.access import access_household_for_edit, access_household_for_view
from jiuzhu.registry.choices import Relation
from jiuzhu.registry.selectors import household_file_get
from jiuzhu.registry.services.households import (
    household_account_number_reveal,
    household_create,
    household_file_viewed,
    household_head_change,
    household_update,
)
from jiuzhu.web.case_selectors import household_benefits
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.forms import (
    HeadChangeForm,
    HouseholdCreateForm,
    HouseholdEditForm,
    HouseholdSearchForm,
    MemberFormSet,
    member_data,
)
from jiuzhu.web.history import history_entries, region_ids_in
from jiuzhu.web.selectors import (
    household_search_page,
    living_members,
    region_filter_choices,
    region_names,
    villages_in_jurisdiction,
)
from jiuzhu.web.submission import one_time_submission
from jiuzhu.web.views.common import back_or_home, is_submitted, to_household_file

PAGE_SIZE = 50


@login_required
@domain_errors()
def household_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.REGISTRY_VIEW)
    form = HouseholdSearchForm(request.GET, region_choices=region_filter_choices(actor=request.user))
    households = household_search_page(actor=request.user, **form.criteria())
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/household_list.html", {"form": form, "page": page})


@login_required
@domain_errors()
def household_create_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.REGISTRY_EDIT)
    data = request.POST if is_submitted(request) else None
    form = HouseholdCreateForm(data, villages=villages_in_jurisdiction(actor=request.user))
    members = MemberFormSet(data, prefix="members", initial=[{"relation": Relation.HEAD}])
    page = form_page(
        request, "web/household_create.html", forms={"form": form, "members": members}, title=_("新建家庭档案")
    )
    if not is_submitted(request) or not (form.is_valid() & members.is_valid()):
        return page.render(request)
    with one_time_submission(request, form.cleaned_data["submission_token"]):
        household = household_create(actor=request.user, data=form.to_data(members=member_data(members)))
    messages.success(request, _("家庭档案已建立。"))
    return to_household_file(household.pk)


@login_required
@domain_errors()
def household_file_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_view(request.user, household_id)
    file = household_file_get(actor=request.user, household=household)
    household_file_viewed(actor=request.user, household=household)
    regions = region_names(actor=request.user, region_ids=region_ids_in(file.history))
    context = {"file": file, "household": household, "history": history_entries(file.history, regions=regions)}
    context["benefits"] = household_benefits(actor=request.user, household=household)
    context["payments"] = household_payments(actor=request.user, household_id=household.pk)
    context["custodies"] = household_card_custodies(actor=request.user, household_id=household.pk)
    near_poor = near_poor_of_household(actor=request.user, household_id=household.pk)
    context["near_poor"] = near_poor
    context["near_poor_current"] = next((r for r in near_poor if r.in_force_on(timezone.localdate())), None)
    context["near_poor_may_decide"] = has_capability(request.user, Capability.CASE_DECIDE)
    return render(request, "web/household_file.html", {**context, "today": timezone.localdate()})


@login_required
@domain_errors()
def household_edit_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    initial = {
        "region": household.region_id, "hukou_type": household.hukou_type, "address": household.address,
        "phone": household.phone, "bank_name": household.bank_name, "account_holder": household.account_holder,
        "notes": household.notes, "expected_version": household.version,
    }  # fmt: skip
    data = request.POST if is_submitted(request) else None
    form = HouseholdEditForm(data, initial=initial, villages=villages_in_jurisdiction(actor=request.user))
    page = form_page(
        request, "web/household_edit.html", forms={"form": form}, household=household, title=_("修改家庭信息")
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    household_update(
        actor=request.user, household_id=household.pk, expected_version=form.cleaned_data["expected_version"],
        data=form.to_data(), reason=form.cleaned_data["reason"],
    )  # fmt: skip
    messages.success(request, _("家庭信息已保存。"))
    return to_household_file(household.pk)


@login_required
@domain_errors()
def household_head_change_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_edit(request.user, household_id)
    candidates = [m for m in living_members(actor=request.user, household=household) if m.pk != household.head_id]
    data = request.POST if is_submitted(request) else None
    form = HeadChangeForm(data, initial={"expected_version": household.version}, candidates=candidates)
    page = form_page(
        request, "web/household_head_change.html", forms={"form": form}, household=household, title=_("变更户主")
    )
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    cleaned = form.cleaned_data
    household_head_change(
        actor=request.user, household_id=household.pk, expected_version=cleaned["expected_version"],
        new_head_id=cleaned["new_head"], former_head_relation=cleaned["former_head_relation"], reason=cleaned["reason"],
    )  # fmt: skip
    messages.success(request, _("户主已变更。"))
    return to_household_file(household.pk)


@login_required
@domain_errors(redirect_to=back_or_home)
def household_account_reveal_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_view(request.user, household_id)
    if not is_submitted(request):  # checked after access, so a GET elsewhere is a 404 like any other
        return HttpResponseNotAllowed(["POST"])
    value = household_account_number_reveal(actor=request.user, household_id=household.pk)
    context = {"household": household, "title": _("完整银行账号"), "subject": household.account_holder, "value": value}
    return render(request, "web/reveal.html", context)
