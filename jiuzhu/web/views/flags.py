"""Cross-check pages (交叉核查): the flags queue of the user's area (overdue first), one flag to
confirm (a review is opened) or dismiss (with a reason), the report by village and check, and
starting a sweep of an area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.regions.models import RegionLevel
from jiuzhu.verification.access import access_flag_for_view
from jiuzhu.verification.checks import SEVERITY_LABELS, check_by_code
from jiuzhu.verification.exports import flags_xlsx
from jiuzhu.verification.models import Flag
from jiuzhu.verification.selectors import flag_queue, flag_report
from jiuzhu.verification.services.flags import flag_confirm, flag_dismiss, may_answer
from jiuzhu.verification.services.sweep import sweep_submit
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.verification_forms import FlagConfirmForm, FlagDismissForm, FlagFilterForm, SweepForm
from jiuzhu.web.views.common import is_submitted
from jiuzhu.web.views.printing import download_response

PAGE_SIZE = 50


def _sweep_regions(request: HttpRequest) -> list[tuple[str, str]]:
    levels = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
    return [(r.code, r.name) for r in regions_in_jurisdiction(actor=request.user, levels=levels)]


def _queue(request: HttpRequest) -> tuple[FlagFilterForm, QuerySet[Flag]]:
    """The filters (open flags unless asked otherwise) and the flags they select, for the page and
    its export alike."""
    filters = FlagFilterForm(request.GET or {"status": "open"})
    data = filters.cleaned_data if filters.is_valid() else {"status": "open", "check": ""}
    return filters, flag_queue(actor=request.user, status=data["status"], check=data["check"])


@login_required
@domain_errors()
def flag_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.CASE_VIEW)
    filters, flags = _queue(request)
    page = Paginator(flags, PAGE_SIZE).get_page(request.GET.get("page"))
    may_sweep = has_capability(request.user, Capability.VERIFICATION_IMPORT)
    rows = [(flag, _(check_by_code(flag.check_code).title), SEVERITY_LABELS.get(flag.severity, "")) for flag in page]
    context = {
        "filters": filters, "page": page, "rows": rows, "today": timezone.localdate(), "may_sweep": may_sweep,
        "sweep_form": SweepForm(region_choices=_sweep_regions(request)) if may_sweep else None,
        "title": _("核查疑点"),
    }  # fmt: skip
    return render(request, "web/flag_list.html", context)


@login_required
@domain_errors()
def sweep_start_page(request: HttpRequest) -> HttpResponse:
    """POST only: queue a sweep of the chosen area (county officers)."""
    require_capability(request.user, Capability.VERIFICATION_IMPORT)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SweepForm(request.POST, region_choices=_sweep_regions(request))
    if not form.is_valid():
        messages.error(request, _("请选择核查地区。"))
        return redirect("web:flag-list")
    job = sweep_submit(actor=request.user, region_code=form.cleaned_data["region"])
    messages.success(request, _("交叉核查已开始，完成后疑点列入核查疑点。"))
    return redirect("web:job-detail", job.pk)


@login_required
@domain_errors()
def flag_detail_page(request: HttpRequest, flag_id: int) -> HttpResponse:
    flag = access_flag_for_view(request.user, flag_id)  # scope first (404), then the role (403)
    require_capability(request.user, Capability.CASE_VIEW)
    answering = may_answer(request.user) and flag.status == "open"
    posted = request.POST if is_submitted(request) else None
    action = request.POST.get("action", "") if posted else ""
    confirm = FlagConfirmForm(posted if action == "confirm" else None)
    dismiss = FlagDismissForm(posted if action == "dismiss" else None)
    view = form_page(
        request, "web/flag_detail.html", forms={"confirm": confirm, "dismiss": dismiss}, flag=flag,
        check_title=_(check_by_code(flag.check_code).title), severity=SEVERITY_LABELS.get(flag.severity, ""),
        answering=answering, today=timezone.localdate(), title=_("核查疑点"),
    )  # fmt: skip
    if posted is None:
        return view.render(request)
    if action == "confirm" and confirm.is_valid():
        flag_confirm(actor=request.user, flag_id=flag.pk, note=confirm.cleaned_data["note"])
        messages.success(request, _("已确认属实，并已发起复核。"))
        return redirect("web:flag-detail", flag.pk)
    if action == "dismiss" and dismiss.is_valid():
        flag_dismiss(actor=request.user, flag_id=flag.pk, reason=dismiss.cleaned_data["reason"])
        messages.success(request, _("已排除。"))
        return redirect("web:flag-detail", flag.pk)
    if not may_answer(request.user):
        require_capability(request.user, Capability.CASE_INVESTIGATE)  # 403 for read-only roles
    return view.render(request, status=400)


@login_required
@domain_errors()
def flag_report_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.CASE_VIEW)
    today = timezone.localdate()
    rows = [(row, _(check_by_code(row.check_code).title)) for row in flag_report(actor=request.user, today=today)]
    totals = {
        key: sum(getattr(row, key) for row, _title in rows)
        for key in ("raised", "open", "overdue", "confirmed", "dismissed")
    }
    return render(request, "web/flag_report.html", {"rows": rows, "totals": totals, "title": _("核查疑点统计")})


@login_required
@domain_errors()
def flag_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The queue as the filters select it, as XLSX."""
    require_capability(request.user, Capability.CASE_VIEW)
    _filters, flags = _queue(request)
    content = flags_xlsx(flags.iterator(chunk_size=2000), title=_("核查疑点"))
    return download_response(content, XLSX_CONTENT_TYPE, "核查疑点.xlsx")
