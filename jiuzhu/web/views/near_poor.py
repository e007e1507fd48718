"""The edge-household register (低保边缘家庭名册): the list with its screening list, recognising a
household from its file, and ending a recognition."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.models import Entitlement
from jiuzhu.common.exceptions import NotFoundOrNoAccess, RuleViolation
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.rules import recognition_problems, renewal_starts_on
from jiuzhu.lowincome.selectors import (
    in_force_q,
    near_poor_candidates,
    near_poor_in_force,
    near_poor_list,
    near_poor_visible_to,
    state_of,
)
from jiuzhu.lowincome.services.near_poor import (
    ON_DIBAO,
    near_poor_assess,
    near_poor_end,
    near_poor_end_on_dibao,
    near_poor_recognise,
)
from jiuzhu.programs.rules.dibao import Assessment
from jiuzhu.registry.access import access_household_for_view
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.lowincome_forms import NearPoorEndForm, NearPoorFilterForm, NearPoorRecogniseForm
from jiuzhu.web.selectors import region_filter_choices
from jiuzhu.web.views.common import is_submitted, to_household_file

PAGE_SIZE = 50


@login_required
@domain_errors()
def near_poor_list_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = NearPoorFilterForm(request.GET or None, region_choices=region_filter_choices(actor=request.user))
    rows = near_poor_list(actor=request.user, on=today, **form.criteria())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.state = state_of(row, today)
        row.renew_on = renewal_starts_on(row.valid_until)
    households = [row.household_id for row in page.object_list]
    on_dibao = set(
        Entitlement.objects.filter(household_id__in=households, status__in=ON_DIBAO).values_list(
            "household_id", flat=True
        )
    )
    # An expired row is offered its renewal unless a later recognition of its household is in force.
    current = set(
        NearPoorHousehold.objects.filter(in_force_q(today), household_id__in=households).values_list(
            "household_id", flat=True
        )
    )
    may_decide = has_capability(request.user, Capability.CASE_DECIDE)
    context = {
        "form": form, "page": page, "today": today, "may_decide": may_decide, "current": current,
        "on_dibao": on_dibao,
        "candidates": near_poor_candidates(actor=request.user, on=today) if may_decide else [],
        "query": request.GET.urlencode(), "title": _("低保边缘家庭"),
    }  # fmt: skip
    return render(request, "web/near_poor_list.html", context)


@login_required
@domain_errors()
def near_poor_recognise_page(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household_for_view(request.user, household_id)
    require_capability(request.user, Capability.CASE_DECIDE)
    today = timezone.localdate()
    form = NearPoorRecogniseForm(
        request.POST if is_submitted(request) else None,
        initial={"application": request.GET.get("application"), "recognised_on": _day(request.GET.get("on"), today)},
    )
    day = form.cleaned_data["recognised_on"] if form.is_bound and form.is_valid() else form.initial["recognised_on"]
    assessment: Assessment | None
    try:
        found = near_poor_assess(household=household, on=min(day, today))
        assessment, problems = found, recognition_problems(found)
    except RuleViolation as error:  # no standard set there: say so on the page
        assessment, problems = None, [error.user_message]
    page = form_page(
        request, "web/near_poor_recognise.html", forms={"form": form}, household=household, assessment=assessment,
        problems=problems, current=near_poor_in_force(household_id=household.pk, on=today),
        title=_("认定低保边缘家庭"),
    )  # fmt: skip
    page.rule_errors_in_form = True  # a refusal keeps what was typed
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    near_poor_recognise(
        actor=request.user, household_id=household.pk, recognised_on=data["recognised_on"], reason=data["reason"],
        application_id=data["application"],
    )  # fmt: skip
    messages.success(request, _("已认定为低保边缘家庭。"))
    return to_household_file(household.pk)


@login_required
@domain_errors(redirect_to=lambda request, kwargs: reverse("web:near-poor-list"))
def near_poor_end_on_dibao_page(request: HttpRequest) -> HttpResponse:
    """POST only: end the recognitions of the households of the user's area since put on dibao."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    region = getattr(request.user, "jurisdiction_prefix", "") or ""
    ended = near_poor_end_on_dibao(actor=request.user, region_code=region)
    messages.success(request, _("已纳入低保的家庭，其边缘家庭认定已退出 %(n)s 户。") % {"n": ended})
    return redirect("web:near-poor-list")


def _day(text: str | None, today: datetime.date) -> datetime.date:
    """The day a link proposes (a renewal's), if it is a date not after today; else today."""
    try:
        day = datetime.date.fromisoformat(text or "")
    except ValueError:
        return today
    return min(day, today)


@login_required
@domain_errors()
def near_poor_end_page(request: HttpRequest, recognition_id: int) -> HttpResponse:
    row = near_poor_visible_to(request.user).select_related("household", "region").filter(pk=recognition_id).first()
    if row is None:
        raise NotFoundOrNoAccess()
    require_capability(request.user, Capability.CASE_DECIDE)
    form = NearPoorEndForm(request.POST if is_submitted(request) else None, initial={"expected_version": row.version})
    page = form_page(
        request, "web/near_poor_end.html", forms={"form": form}, household=row.household, recognition=row,
        title=_("低保边缘家庭退出"),
    )  # fmt: skip
    page.rule_errors_in_form = True
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    data = form.cleaned_data
    near_poor_end(
        actor=request.user, recognition_id=row.pk, expected_version=data["expected_version"],
        ended_on=data["ended_on"], end_reason=data["end_reason"], note=data["note"],
    )  # fmt: skip
    messages.success(request, _("已登记退出。"))
    return to_household_file(row.household_id)
