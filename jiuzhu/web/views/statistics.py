"""Statistics pages (民政统计): the monthly report of an area from its month-end snapshot, drilled
down area by area to villages, as Excel and PDF; the households behind each figure; building a
month's snapshot (a background job)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiuzhu.accounts.jurisdiction import has_capability, region_code_in_jurisdiction, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE
from jiuzhu.lowincome.rules import NEAR_POOR_LINE_NAMES
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.regions.models import CODE_LENGTH_BY_LEVEL, Region, RegionLevel
from jiuzhu.reports.dashboard import dashboard
from jiuzhu.reports.documents import authority_of, columns_of, report_pdf, report_title, report_xlsx
from jiuzhu.reports.models import MonthSnapshot, SnapshotStatus
from jiuzhu.reports.regions import region_of
from jiuzhu.reports.selectors import FIGURE_FILTERS, monthly_report, snapshot_cases, snapshots_of_region
from jiuzhu.reports.services.snapshots import snapshot_submit
from jiuzhu.reports.summary import work_summary
from jiuzhu.reports.summary_documents import DOCX_CONTENT_TYPE, summary_docx, summary_pdf
from jiuzhu.web.charts import Bar, column_chart, row_chart
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.statistics_forms import ReportFilterForm, SnapshotBuildForm, SummaryFilterForm
from jiuzhu.web.views.printing import download_response, pdf_response

PAGE_SIZE = 100
FIGURE_LABELS = {
    "households": gettext_lazy("户数"), "persons": gettext_lazy("人数"), "elderly": gettext_lazy("老年人"),
    "minors": gettext_lazy("未成年人"), "working_age": gettext_lazy("劳动年龄人口"), "disabled": gettext_lazy("残疾人"),
    "three_no": gettext_lazy("“三无”人员"),
    "paid": gettext_lazy("本月支出"), "new": gettext_lazy("本月新增"), "changed": gettext_lazy("本月调整"),
    "stopped": gettext_lazy("本月停保"),
}  # fmt: skip


# The edge households' register has recognitions and exits, not approvals and stops.
NEAR_POOR_FIGURE_LABELS = {"new": gettext_lazy("本月新认定"), "stopped": gettext_lazy("本月退出")}


def _choice(request: HttpRequest) -> tuple[ReportFilterForm, str, datetime.date]:
    """The area (the user's own by default) and the month (last month by default) asked for."""
    form = ReportFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    region = cleaned.get("region") or getattr(request.user, "jurisdiction_prefix", "") or _latest_region()
    month = cleaned.get("month") or add_months(month_of(timezone.localdate()), -1)
    if not region:
        raise NotFoundOrNoAccess()
    return form, region, month


def _latest_region() -> str:
    latest = MonthSnapshot.objects.filter(status=SnapshotStatus.READY).select_related("region").order_by("-pk").first()
    return latest.region.code if latest else ""


def _query(**params: Any) -> str:
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@login_required
@domain_errors()
def monthly_report_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.STATISTICS_VIEW)
    form, region_code, month = _choice(request)
    region = region_of(region_code)
    report = monthly_report(
        actor=request.user, region_code=region_code, month=month, villages=region.level == RegionLevel.TOWNSHIP
    )
    crumbs = [
        r for r in Region.objects.filter(code__in=ancestor_codes(region_code)[1:]).order_by("code")
        if region_code_in_jurisdiction(request.user, r.code)
    ]  # fmt: skip
    may_build = has_capability(request.user, Capability.STATISTICS_BUILD)
    build = SnapshotBuildForm(initial={"region": region_code, "month": month}) if may_build else None
    month_text = month.strftime("%Y-%m")
    sections = [
        {
            "code": code, "name": name, "headers": [c.header for c in columns_of(code)],
            "rows": [_cells(row, code, report, month_text) for row in report.rows],
            "total": _cells(report.total, code, report, month_text),
        }
        for code, name in report.programs
    ]  # fmt: skip
    context = {
        "form": form, "report": report, "region": region, "crumbs": crumbs, "month_text": month_text,
        "sections": sections, "build": build,
        "snapshots": snapshots_of_region(actor=request.user, region_code=region_code)[:12],
        "downloads": _query(region=region_code, month=month_text), "title": report_title(report),
    }  # fmt: skip
    return render(request, "web/statistics_monthly.html", context)


def _cells(row: Any, program: str, report: Any, month_text: str) -> dict[str, Any]:
    month, year = row.figures(program), row.to_date(program)
    cells = []
    for column in columns_of(program):
        figure = column.figure
        value = column.value(month, year)
        link = ""
        if figure and value and report.snapshot is not None:
            link = (
                reverse("web:statistics-cases", args=[report.snapshot.pk])
                + "?"
                + _query(region=row.code, program=program, figure=figure)
            )
        cells.append({"value": value, "money": column.money, "link": link})
    drill = ""
    if row.code != report.region.code and len(row.code) < CODE_LENGTH_BY_LEVEL[RegionLevel.VILLAGE]:
        drill = reverse("web:statistics-monthly") + "?" + _query(region=row.code, month=month_text)
    return {"code": row.code, "name": row.name, "cells": cells, "drill": drill}


@login_required
@domain_errors()
def monthly_report_xlsx(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.STATISTICS_VIEW)
    _form, region_code, month = _choice(request)
    report = monthly_report(actor=request.user, region_code=region_code, month=month)
    villages = monthly_report(actor=request.user, region_code=region_code, month=month, villages=True)
    return download_response(report_xlsx(report, villages), XLSX_CONTENT_TYPE, f"{report_title(report)}.xlsx")


@login_required
@domain_errors()
def monthly_report_pdf(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.STATISTICS_VIEW)
    _form, region_code, month = _choice(request)
    report = monthly_report(actor=request.user, region_code=region_code, month=month)
    return pdf_response(report_pdf(report, authority=authority_of(report.region)), f"{report_title(report)}.pdf")


@login_required
@domain_errors()
def snapshot_build_page(request: HttpRequest) -> HttpResponse:
    """POST only: queue the build of a month's snapshot for an area."""
    require_capability(request.user, Capability.STATISTICS_BUILD)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SnapshotBuildForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写生成原因。"))
        return redirect(reverse("web:statistics-monthly") + "?" + _query(region=request.POST.get("region", "")))
    data = form.cleaned_data
    job = snapshot_submit(actor=request.user, region_code=data["region"], month=data["month"], reason=data["reason"])
    messages.success(request, _("快照生成已开始，完成后统计月报即可查看。"))
    return redirect("web:job-detail", job.pk)


@login_required
@domain_errors()
def snapshot_cases_page(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    figure = request.GET.get("figure", "") or "households"
    listing = snapshot_cases(
        actor=request.user, snapshot_id=snapshot_id, region_code=request.GET.get("region", ""),
        program=request.GET.get("program", ""), figure=figure,
    )  # fmt: skip
    page = Paginator(listing.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    back = (
        reverse("web:statistics-monthly")
        + "?"
        + _query(region=listing.region.code, month=listing.snapshot.month.strftime("%Y-%m"))
    )
    context = {
        "listing": listing, "page": page, "back": back, "near_poor": listing.program in NEAR_POOR_LINE_NAMES,
        "figure_label": (NEAR_POOR_FIGURE_LABELS if listing.program in NEAR_POOR_LINE_NAMES else FIGURE_LABELS).get(
            figure, FIGURE_LABELS.get(figure, figure)
        ),
        "figure_filters": FIGURE_FILTERS, "title": _("统计数据明细"),
        "pager": _query(region=listing.region.code, program=listing.program, figure=figure),
    }  # fmt: skip
    return render(request, "web/statistics_cases.html", context)


def _summary_choice(request: HttpRequest) -> tuple[SummaryFilterForm, str, int]:
    form = SummaryFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    region = cleaned.get("region") or getattr(request.user, "jurisdiction_prefix", "") or _latest_region()
    if not region:
        raise NotFoundOrNoAccess()
    return form, region, cleaned.get("year") or timezone.localdate().year - 1


@login_required
@domain_errors()
def work_summary_page(request: HttpRequest) -> HttpResponse:
    form, region_code, year = _summary_choice(request)
    summary = work_summary(actor=request.user, region_code=region_code, year=year)
    context = {
        "form": form, "summary": summary, "title": summary.title,
        "downloads": _query(region=region_code, year=year),
    }  # fmt: skip
    return render(request, "web/statistics_summary.html", context)


@login_required
@domain_errors()
def work_summary_docx(request: HttpRequest) -> HttpResponse:
    _form, region_code, year = _summary_choice(request)
    summary = work_summary(actor=request.user, region_code=region_code, year=year)
    return download_response(summary_docx(summary), DOCX_CONTENT_TYPE, f"{summary.title}.docx")


@login_required
@domain_errors()
def work_summary_pdf(request: HttpRequest) -> HttpResponse:
    _form, region_code, year = _summary_choice(request)
    summary = work_summary(actor=request.user, region_code=region_code, year=year)
    return pdf_response(summary_pdf(summary, authority=authority_of(summary.region)), f"{summary.title}.pdf")


def _money(fen: int) -> str:
    return f"{fen / 100:,.0f}"


@login_required
@domain_errors()
def dashboard_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.STATISTICS_VIEW)
    form, region_code, _month = _choice(request)
    today = timezone.localdate()
    board = dashboard(actor=request.user, region_code=region_code, today=today)

    def cases(snapshot: MonthSnapshot | None, figure: str, region: str = region_code) -> str:
        if snapshot is None:
            return ""
        return reverse("web:statistics-cases", args=[snapshot.pk]) + "?" + _query(region=region, figure=figure)

    def missing(month: datetime.date) -> str:  # a month without a snapshot leads to where one is built
        return reverse("web:statistics-monthly") + "?" + _query(region=region_code, month=month.strftime("%Y-%m"))

    no_snapshot = _("无快照")
    months = [
        Bar(f"{p.month:%y.%m}", p.figures.households, f"{p.figures.households:,}", cases(p.snapshot, "households"))
        if p.snapshot
        else Bar(f"{p.month:%y.%m}", 0, no_snapshot, missing(p.month))
        for p in board.months
    ]
    paid = [
        Bar(f"{p.month:%y.%m}", p.figures.paid_fen, _money(p.figures.paid_fen), cases(p.snapshot, "paid"))
        if p.snapshot
        else Bar(f"{p.month:%y.%m}", 0, no_snapshot, missing(p.month))
        for p in board.months
    ]
    villages = [
        Bar(v.label, v.value, f"{v.value:,}", cases(board.latest, "households", v.key)) for v in board.villages[:30]
    ]
    funds = [
        bar
        for f in board.funds
        for bar in (
            Bar(f.name, f.allocated_fen, _money(f.allocated_fen), reverse("web:fund-detail", args=[f.fund_id])),
            Bar(f.name, f.paid_fen, _money(f.paid_fen), reverse("web:fund-detail", args=[f.fund_id]), series=1),
        )
    ]
    flags = [
        Bar(t.label, t.value, f"{t.value:,}", reverse("web:flag-list") + "?" + _query(status="open", check=t.key))
        for t in board.flags
    ]
    # The lists filter by township or village (a wider area is the user's whole list anyway).
    local = board.region.level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)
    overdue = _query(overdue="on", region=region_code if local else "")
    context = {
        "form": form, "board": board, "title": _("统计概况：%(name)s") % {"name": board.region.name},
        "months_chart": column_chart(months, title=_("在保户数（近12个月）")),
        "paid_chart": column_chart(paid, title=_("发放金额（元，近12个月）")),
        "villages_chart": row_chart(villages, title=_("各村（社区）在保户数")),
        "funds_chart": column_chart(funds, title=_("本年资金：拨入与发放（元）"), groups=2),
        "flags_chart": row_chart(flags, title=_("待核实的核查疑点")),
        "overdue": [
            (_("超期未办结的申请"), board.overdue_applications, reverse("web:case-list") + "?" + overdue),
            (_("超期未办结的复核"), board.overdue_reviews, reverse("web:review-list") + "?" + overdue),
            (_("超过核实期限的疑点"), board.overdue_flags, reverse("web:flag-list") + "?status=open"),
        ],
    }  # fmt: skip
    return render(request, "web/statistics_dashboard.html", context)
