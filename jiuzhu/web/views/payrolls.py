"""Payroll pages (发放名册): the list, generating one (a background job), one payroll with its totals
by village and kind and its lines, and locking it (finance, four eyes)."""

from __future__ import annotations

from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.documents import township_government
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.payments.access import access_payroll_for_view
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.documents import roster_pdf, roster_xlsx
from jiuzhu.payments.fund_selectors import funds_for_charge, payroll_charged_fen
from jiuzhu.payments.roster_selectors import payroll_roster, roster_households
from jiuzhu.payments.rules import Period
from jiuzhu.payments.selectors import payroll_generation_job, payroll_lines, payroll_list, payroll_summary
from jiuzhu.payments.services.bank import bank_file_export, bank_return_import, institutions_for
from jiuzhu.payments.services.printing import payroll_roster_printed
from jiuzhu.payments.services.settlement import payroll_lock
from jiuzhu.payments.services.submission import (
    bank_file_export_submit,
    made_in_background,
    payroll_generation_submit,
    roster_build_submit,
)
from jiuzhu.regions.models import RegionLevel
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.payment_forms import (
    BankFileForm,
    BankReturnForm,
    PayrollChargeForm,
    PayrollFilterForm,
    PayrollGenerateForm,
    PayrollLineFilterForm,
    PayrollLockForm,
)
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.views.common import is_submitted, to_payroll
from jiuzhu.web.views.printing import download_response, pdf_response

PAGE_SIZE = 50
LINE_PAGE_SIZE = 100


def _generation_regions(request: HttpRequest) -> list[tuple[str, str]]:
    regions = regions_in_jurisdiction(actor=request.user, levels=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP))
    return [(r.code, ("\u3000" if r.level == RegionLevel.TOWNSHIP else "") + r.name) for r in regions]


@login_required
@domain_errors()
def payroll_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    form = PayrollFilterForm(request.GET)
    page = Paginator(payroll_list(actor=request.user, **form.criteria()), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(payroll, Period(payroll.period_start, payroll.months).label()) for payroll in page]
    context = {
        "form": form, "page": page, "rows": rows, "title": _("发放名册"),
        "may_generate": has_capability(request.user, Capability.PAYROLL_GENERATE),
    }  # fmt: skip
    return render(request, "web/payroll_list.html", context)


@login_required
@domain_errors()
def payroll_generate_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_GENERATE)
    form = PayrollGenerateForm(
        request.POST if is_submitted(request) else None, region_choices=_generation_regions(request)
    )
    page = form_page(request, "web/payroll_generate.html", forms={"form": form}, title=_("生成发放名册"))
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    payroll, _job = payroll_generation_submit(
        actor=request.user,
        program_code=form.cleaned_data["program"],
        region_code=form.cleaned_data["region"],
        month=form.cleaned_data["month"],
    )
    messages.success(request, _("名册正在后台生成，完成后本页会自动刷新。"))
    return redirect("web:payroll-detail", payroll.pk)


@login_required
@domain_errors()
def payroll_detail_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    payroll = access_payroll_for_view(request.user, payroll_id)
    summary = payroll_summary(actor=request.user, payroll=payroll)
    filters = PayrollLineFilterForm(request.GET, region_choices=[(v.code, v.name) for v in summary.villages])
    lines = payroll_lines(actor=request.user, payroll=payroll, **filters.criteria())
    page = Paginator(lines, LINE_PAGE_SIZE).get_page(request.GET.get("page"))
    job = payroll_generation_job(payroll)
    may_lock = (
        has_capability(request.user, Capability.PAYROLL_LOCK)
        and payroll.status == PayrollStatus.DRAFT
        and payroll.generated_at is not None
        and job is None
        and summary.whole
    )
    may_export = (
        has_capability(request.user, Capability.PAYROLL_EXPORT)
        and payroll.status in (PayrollStatus.LOCKED, PayrollStatus.EXPORTED)
        and summary.whole
    )
    institutions = [(i.pk, i.name) for i in institutions_for(payroll)] if may_export else []
    charged_fen = payroll_charged_fen(payroll)
    may_charge = (
        has_capability(request.user, Capability.FUNDS_MANAGE)
        and payroll.status != PayrollStatus.DRAFT
        and summary.whole
        and charged_fen < payroll.total_fen
    )
    charge_funds = [(r.fund.pk, r.fund.name) for r in funds_for_charge(actor=request.user, payroll=payroll)]
    context = {
        "may_export": may_export, "bank_file_form": BankFileForm(institutions=institutions),
        "may_charge": may_charge, "charged_fen": charged_fen, "charge_form": PayrollChargeForm(funds=charge_funds),
        "fund_entries": payroll.fund_entries.select_related("fund").order_by("pk"),
        "may_import_return": may_export and payroll.status == PayrollStatus.EXPORTED,
        "return_form": BankReturnForm(), "bank_files": payroll.bank_files.select_related("institution", "created_by"),
        "bank_returns": payroll.bank_returns.select_related("uploaded_by"),
        "payroll": payroll, "period": Period(payroll.period_start, payroll.months).label(), "summary": summary,
        "filters": filters, "page": page, "job": job, "may_lock": may_lock,
        "lock_form": PayrollLockForm(initial={"expected_version": payroll.version}),
        "own_payroll": payroll.created_by_id == request.user.pk,
        "may_regenerate": has_capability(request.user, Capability.PAYROLL_GENERATE)
        and payroll.status == PayrollStatus.DRAFT and job is None and summary.whole,
        "title": _("发放名册"),
        "roster_in_background": made_in_background(summary.households),
        "bank_file_in_background": made_in_background(payroll.household_count),
        "job_file_days": settings.JIUZHU_JOB_FILE_DAYS,
    }  # fmt: skip
    return render(request, "web/payroll_detail.html", context)


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_regenerate_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only; a payroll out of sight is a 404 whatever the method (scope first, then role)."""
    payroll = access_payroll_for_view(request.user, payroll_id)
    require_capability(request.user, Capability.PAYROLL_GENERATE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    payroll_generation_submit(
        actor=request.user,
        program_code=payroll.program.code,
        region_code=payroll.region.code,
        month=payroll.period_start,
    )
    messages.success(request, _("已重新提交生成：只补上缺少的明细，并按最新待遇更新草稿。"))
    return redirect("web:payroll-detail", payroll.pk)


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_lock_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only, scope first, then role (as above)."""
    access_payroll_for_view(request.user, payroll_id)
    require_capability(request.user, Capability.PAYROLL_LOCK)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PayrollLockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("页面已过期，请刷新后重试。"))
        return redirect("web:payroll-detail", payroll_id)
    payroll = payroll_lock(
        actor=request.user, payroll_id=payroll_id, expected_version=form.cleaned_data["expected_version"]
    )
    messages.success(request, _("发放名册已锁定，明细不再变动。"))
    return redirect("web:payroll-detail", payroll.pk)


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_bank_file_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only (scope, then role, as above): the bank file as a download, never cached."""
    payroll = access_payroll_for_view(request.user, payroll_id)
    require_capability(request.user, Capability.PAYROLL_EXPORT)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    institutions = [(i.pk, i.name) for i in institutions_for(payroll)]
    form = BankFileForm(request.POST, institutions=institutions)
    if not form.is_valid():
        messages.error(request, _("请选择发放机构。"))
        return redirect("web:payroll-detail", payroll.pk)
    institution_id = int(form.cleaned_data["institution"])
    if made_in_background(payroll.household_count):
        job = bank_file_export_submit(actor=request.user, payroll_id=payroll.pk, institution_id=institution_id)
        messages.info(request, _("名册户数较多，银行文件在后台生成；完成后在本页下载（只有您本人可以下载）。"))
        return redirect("web:job-detail", job.pk)
    made = bank_file_export(actor=request.user, payroll_id=payroll.pk, institution_id=institution_id)
    return download_response(made.content, made.content_type, made.bank_file.file_name)


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_bank_return_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only (as above): import the bank's return file, then show what was and was not applied."""
    payroll = access_payroll_for_view(request.user, payroll_id)
    require_capability(request.user, Capability.PAYROLL_EXPORT)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = BankReturnForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect("web:payroll-detail", payroll.pk)
    upload = form.cleaned_data["file"]
    report = bank_return_import(actor=request.user, payroll_id=payroll.pk, file_name=upload.name, content=upload.read())
    summary = _("回盘已导入：成功 %(paid)s 笔，失败 %(failed)s 笔，未处理 %(left)s 行。") % {
        "paid": report.paid_count, "failed": report.failed_count, "left": len(report.problems),
    }  # fmt: skip
    (messages.warning if report.problems else messages.success)(request, summary)
    return redirect(reverse("web:payroll-detail", args=[payroll.pk]) + f"#return-{report.pk}")


@csp_exempt()
@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_roster_pdf(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """The village rosters for signatures (A4 landscape); `?region=` one village (or township)."""
    require_capability(request.user, Capability.PAYROLL_VIEW)
    payroll = access_payroll_for_view(request.user, payroll_id)
    region_code = request.GET.get("region", "")
    if made_in_background(roster_households(actor=request.user, payroll=payroll, region_code=region_code)):
        messages.info(request, _("户数较多，请用“后台生成花名册”，完成后在任务页下载。"))
        return redirect("web:payroll-detail", payroll.pk)
    rosters = payroll_roster(actor=request.user, payroll=payroll, region_code=region_code)
    content = roster_pdf(payroll=payroll, rosters=rosters, authority=township_government(payroll.region))
    payroll_roster_printed(
        actor=request.user, payroll=payroll, region_code=region_code, file_format="pdf",
        households=sum(len(r.rows) for r in rosters),
    )  # fmt: skip
    return pdf_response(content, f"发放花名册{payroll.pk}{region_code}.pdf")


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_roster_xlsx(request: HttpRequest, payroll_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    payroll = access_payroll_for_view(request.user, payroll_id)
    region_code = request.GET.get("region", "")
    if made_in_background(roster_households(actor=request.user, payroll=payroll, region_code=region_code)):
        messages.info(request, _("户数较多，请用“后台生成花名册”，完成后在任务页下载。"))
        return redirect("web:payroll-detail", payroll.pk)
    rosters = payroll_roster(actor=request.user, payroll=payroll, region_code=region_code)
    content = roster_xlsx(payroll=payroll, rosters=rosters)
    payroll_roster_printed(
        actor=request.user, payroll=payroll, region_code=region_code, file_format="xlsx",
        households=sum(len(r.rows) for r in rosters),
    )  # fmt: skip
    return download_response(content, XLSX_CONTENT_TYPE, f"发放花名册{payroll.pk}{region_code}.xlsx")


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_roster_job_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only (scope, then role, as above): the rosters of a large payroll, made in the background."""
    require_capability(request.user, Capability.PAYROLL_VIEW)
    payroll = access_payroll_for_view(request.user, payroll_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = roster_build_submit(
        actor=request.user,
        payroll_id=payroll.pk,
        region_code=request.POST.get("region", ""),
        file_format=request.POST.get("format", "pdf"),
    )
    messages.info(request, _("花名册在后台生成，完成后在本页下载。"))
    return redirect("web:job-detail", job.pk)
