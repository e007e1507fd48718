"""Case pages (申请与在保): the list of applications and the case file of one application."""

from __future__ import annotations

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
from jiuzhu.cases.access import access_application_for_view
from jiuzhu.cases.choices import VerificationResult
from jiuzhu.cases.services.printing import application_file_viewed
from jiuzhu.verification.selectors import application_checks
from jiuzhu.verification.services.application_checks import application_check_run
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
    pending = any(v.result == VerificationResult.PENDING for v in file.verifications)
    may_check = pending and has_capability(request.user, Capability.CASE_VERIFY)
    context = {
        "file": file, "application": application, "household": application.household, "today": today,
        "checks": application_checks(application), "may_check": may_check,
    }  # fmt: skip
    return render(request, "web/case_detail.html", context)


@login_required
@domain_errors(redirect_to=lambda request, kwargs: reverse("web:case-detail", args=[kwargs["application_id"]]))
def case_check_page(request: HttpRequest, application_id: int) -> HttpResponse:
    """POST only (scope first, then role): run the checks of the verification step and attach the report."""
    access_application_for_view(request.user, application_id)
    require_capability(request.user, Capability.CASE_VERIFY)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    check = application_check_run(actor=request.user, application_id=application_id)
    if check.findings:
        messages.warning(
            request, _("信息核对完成：发现 %(n)s 项问题，核对报告已存入家庭档案。") % {"n": len(check.findings)}
        )
    else:
        messages.success(request, _("信息核对完成：未发现问题，核对报告已存入家庭档案。"))
    return redirect(reverse("web:case-detail", args=[application_id]) + "#verifications")
