"""Case pages (申请与在保): the list of applications and the case file of one application."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.access import access_application_for_view
from jiuzhu.cases.services.printing import application_file_viewed
from jiuzhu.web.case_batch_selectors import batch_links
from jiuzhu.web.case_forms import CaseFilterForm
from jiuzhu.web.case_selectors import case_file_get, case_list, case_rows
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.selectors import region_filter_choices

PAGE_SIZE = 50


@login_required
@domain_errors()
def case_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.CASE_VIEW)
    today = timezone.localdate()
    form = CaseFilterForm(request.GET, region_choices=region_filter_choices(actor=request.user))
    applications = case_list(actor=request.user, today=today, **form.criteria())
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "rows": case_rows(page.object_list, today), "today": today,
        "batch_links": batch_links(actor=request.user),
    }  # fmt: skip
    return render(request, "web/case_list.html", context)


@login_required
@domain_errors()
def case_page(request: HttpRequest, application_id: int) -> HttpResponse:
    application = access_application_for_view(request.user, application_id)
    application_file_viewed(actor=request.user, application=application)
    today = timezone.localdate()
    file = case_file_get(actor=request.user, application=application, today=today)
    context = {"file": file, "application": application, "household": application.household, "today": today}
    return render(request, "web/case_detail.html", context)
