"""Fund pages (资金台账) and the finance dashboard: funds with their balances, one fund's ledger with
its running balance (and as XLSX), recording allocations and advances, charging a payroll to funds."""

from __future__ import annotations

import io
from decimal import Decimal

import xlsxwriter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.spreadsheets import XLSX_CONTENT_TYPE, neutralise
from jiuzhu.payments.access import access_fund_for_view, access_payroll_for_view
from jiuzhu.payments.fund_selectors import finance_dashboard, fund_ledger, fund_rows, funds_for_charge
from jiuzhu.payments.services.funds import fund_create, fund_entry_record, payroll_charge
from jiuzhu.regions.models import RegionLevel
from jiuzhu.web.errors import domain_errors, form_page
from jiuzhu.web.payment_forms import FundCreateForm, FundEntryForm, PayrollChargeForm
from jiuzhu.web.selectors import regions_in_jurisdiction
from jiuzhu.web.views.common import is_submitted, to_payroll
from jiuzhu.web.views.printing import download_response

LEDGER_HEADERS = ["日期", "类型", "文号或凭证号", "摘要", "收入（元）", "支出（元）", "余额（元）", "登记人"]


def _fund_regions(request: HttpRequest) -> list[tuple[str, str]]:
    regions = regions_in_jurisdiction(actor=request.user, levels=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP))
    return [(r.code, r.name) for r in regions]


@login_required
@domain_errors()
def fund_list_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    may_manage = has_capability(request.user, Capability.FUNDS_MANAGE)
    form = FundCreateForm(request.POST if is_submitted(request) else None, region_choices=_fund_regions(request))
    page = form_page(
        request, "web/fund_list.html", forms={"form": form},
        rows=fund_rows(actor=request.user), may_manage=may_manage, title=_("资金台账"),
    )  # fmt: skip
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    require_capability(request.user, Capability.FUNDS_MANAGE)
    data = form.cleaned_data
    fund = fund_create(
        actor=request.user, program_code=data["program"], region_code=data["region"], year=data["year"],
        source=data["source"], name=data["name"],
    )  # fmt: skip
    messages.success(request, _("已新建资金账户“%(name)s”。") % {"name": fund.name})
    return redirect("web:fund-detail", fund.pk)


@login_required
@domain_errors()
def fund_detail_page(request: HttpRequest, fund_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    fund = access_fund_for_view(request.user, fund_id)
    may_manage = has_capability(request.user, Capability.FUNDS_MANAGE)
    form = FundEntryForm(request.POST if is_submitted(request) else None)
    ledger = fund_ledger(fund=fund)
    page = form_page(
        request, "web/fund_detail.html", forms={"form": form}, fund=fund, ledger=ledger,
        balance=ledger[-1].balance_fen if ledger else 0, may_manage=may_manage, title=fund.name,
    )  # fmt: skip
    if not is_submitted(request) or not form.is_valid():
        return page.render(request)
    require_capability(request.user, Capability.FUNDS_MANAGE)
    data = form.cleaned_data
    fund_entry_record(
        actor=request.user, fund_id=fund.pk, kind=data["kind"], amount_fen=data["amount"],
        entered_on=data["entered_on"], document_no=data["document_no"], note=data["note"],
    )  # fmt: skip
    messages.success(request, _("已登记。"))
    return redirect("web:fund-detail", fund.pk)


@login_required
@domain_errors()
def fund_ledger_xlsx(request: HttpRequest, fund_id: int) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    fund = access_fund_for_view(request.user, fund_id)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("资金台账")
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0.00"})
    sheet.write(0, 0, fund.name, workbook.add_format({"bold": True, "font_size": 14}))
    sheet.write_row(
        2, 0, ["日期", "类型", "文号或凭证号", "摘要", "收入（元）", "支出（元）", "余额（元）", "登记人"], bold
    )
    line = 3
    for item in fund_ledger(fund=fund):
        entry = item.entry
        sheet.write_string(line, 0, entry.entered_on.isoformat())
        sheet.write_string(line, 1, str(entry.get_kind_display()))
        sheet.write_string(line, 2, neutralise(entry.document_no))
        sheet.write_string(line, 3, neutralise(entry.note))
        column = 4 if entry.amount_fen > 0 else 5
        sheet.write_number(line, column, Decimal(abs(entry.amount_fen)).scaleb(-2), money)
        sheet.write_number(line, 6, Decimal(item.balance_fen).scaleb(-2), money)
        sheet.write_string(line, 7, entry.recorded_by.display_name)
        line += 1
    sheet.set_column(0, 2, 14)
    sheet.set_column(3, 3, 30)
    sheet.set_column(4, 6, 14)
    workbook.close()
    return download_response(buffer.getvalue(), XLSX_CONTENT_TYPE, f"{fund.name}台账.xlsx")


@login_required
@domain_errors(redirect_to=to_payroll)
def payroll_charge_page(request: HttpRequest, payroll_id: int) -> HttpResponse:
    """POST only (scope, then role): charge the payroll to the chosen funds."""
    payroll = access_payroll_for_view(request.user, payroll_id)
    require_capability(request.user, Capability.FUNDS_MANAGE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    funds = [(row.fund.pk, row.fund.name) for row in funds_for_charge(actor=request.user, payroll=payroll)]
    form = PayrollChargeForm(request.POST, funds=funds)
    if not form.is_valid() or not form.charges():
        messages.error(request, _("请选择资金并填写金额。"))
        return redirect("web:payroll-detail", payroll.pk)
    payroll_charge(
        actor=request.user, payroll_id=payroll.pk, charges=form.charges(), entered_on=form.cleaned_data["entered_on"]
    )
    messages.success(request, _("已列支。"))
    return redirect("web:payroll-detail", payroll.pk)


@login_required
@domain_errors()
def finance_dashboard_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.PAYROLL_VIEW)
    board = finance_dashboard(actor=request.user, today=timezone.localdate())
    return render(request, "web/finance_dashboard.html", {"board": board, "title": _("资金发放概况")})
