"""The list pages as workbooks (导出 Excel): what the page shows with its filters, every row, in an
XLSX with Chinese headers, ID numbers as text (masked, or in full for a role that may see them,
recorded in the audit trail), dates as dates, money in yuan, every text neutralised against
formula injection. Short lists download at once; long ones are made by a background job."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.common.sensitive import decrypt
from jiuzhu.common.spreadsheets import neutralise
from jiuzhu.lowincome.choices import NearPoorState
from jiuzhu.lowincome.selectors import near_poor_list, state_of
from jiuzhu.payments.access import access_payroll_for_view
from jiuzhu.payments.selectors import payroll_lines, payroll_summary
from jiuzhu.web.case_forms import CaseFilterForm
from jiuzhu.web.case_selectors import case_list
from jiuzhu.web.forms import HouseholdSearchForm
from jiuzhu.web.lowincome_forms import NearPoorFilterForm
from jiuzhu.web.payment_forms import PayrollLineFilterForm
from jiuzhu.web.selectors import household_search_page, region_filter_choices

TEXT, COUNT, MONEY, DATE = "text", "count", "money", "date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT


@dataclass(frozen=True)
class Listing:
    title: str
    columns: list[Column]
    count: int
    rows: Callable[[], Iterator[list[Any]]]
    full_ids: bool = False  # ID numbers in full (a role that may see them asked for it, with a reason)
    region_code: str = ""
    reason: str = ""
    filters: str = ""


def _reveal(actor: Any, params: QueryDict) -> bool:
    return (
        params.get("ids") == "full"
        and bool(params.get("reason", "").strip())
        and has_capability(actor, Capability.ID_NUMBER_REVEAL)
    )


def households_listing(actor: Any, params: QueryDict) -> Listing:
    form = HouseholdSearchForm(params, region_choices=region_filter_choices(actor=actor))
    households = household_search_page(actor=actor, **form.criteria()).select_related("region")
    full = _reveal(actor, params)

    def rows() -> Iterator[list[Any]]:
        for h in households.iterator(chunk_size=2000):
            head = h.head
            number = (decrypt(head.id_number_ciphertext) if full else head.id_number_masked) if head else ""
            yield [
                h.head_name, number, h.region.name, h.region.code, h.get_hukou_type_display(), h.living_member_count,  # type: ignore[attr-defined]
                h.address, h.get_status_display(),
            ]  # fmt: skip

    columns = [
        Column("户主"), Column("户主身份证号"), Column("村（社区）"), Column("区划代码"), Column("户籍类型"),
        Column("人数", COUNT), Column("家庭住址"), Column("状态"),
    ]  # fmt: skip
    return Listing(
        "家庭档案",
        columns,
        households.count(),
        rows,
        full_ids=full,
        region_code=form.criteria()["region_code"],
        reason=params.get("reason", "").strip()[:200] if full else "",
        filters="&".join(f"{k}={v}" for k, v in params.items() if k not in ("ids", "reason", "page") and v),
    )


def cases_listing(actor: Any, params: QueryDict) -> Listing:
    today = timezone.localdate()
    form = CaseFilterForm(params, region_choices=region_filter_choices(actor=actor))
    applications = case_list(actor=actor, today=today, **form.criteria())

    def rows() -> Iterator[list[Any]]:
        for a in applications.iterator(chunk_size=2000):
            yield [
                a.pk, str(a.household), a.region.name, a.program.name, a.get_status_display(),
                a.get_next_step_display() if a.next_step else "", a.due_on if a.next_step else None,
                a.submitted_on, a.decided_on,
            ]  # fmt: skip

    columns = [
        Column("编号", COUNT), Column("家庭"), Column("村（社区）"), Column("救助项目"), Column("状态"),
        Column("下一步"), Column("办理期限", DATE), Column("申请日期", DATE), Column("审批日期", DATE),
    ]  # fmt: skip
    return Listing("低保申请与在保", columns, applications.count(), rows)


def payroll_lines_listing(actor: Any, params: QueryDict) -> Listing:
    number = params.get("payroll", "")
    if not number.isdigit():
        raise NotFoundOrNoAccess()
    payroll = access_payroll_for_view(actor, int(number))
    villages = payroll_summary(actor=actor, payroll=payroll).villages
    form = PayrollLineFilterForm(params, region_choices=[(v.code, v.name) for v in villages])
    lines = payroll_lines(actor=actor, payroll=payroll, **form.criteria())

    def rows() -> Iterator[list[Any]]:
        for line in lines.iterator(chunk_size=2000):
            outcome = getattr(line, "outcome", None)
            yield [
                line.household.head_name, line.household.account_number_masked, line.region.name, line.month,
                line.get_kind_display(), line.amount_fen, outcome.get_status_display() if outcome else "",
                outcome.reason if outcome else "",
            ]  # fmt: skip

    columns = [
        Column("户主"), Column("发放账号"), Column("村（社区）"), Column("所属月份", DATE), Column("类型"),
        Column("金额（元）", MONEY), Column("发放结果"), Column("失败原因"),
    ]  # fmt: skip
    title = f"发放名册{payroll.pk}明细（{payroll.program.name}，{payroll.period_start:%Y年%m月}）"
    return Listing(title, columns, lines.count(), rows, region_code=payroll.region.code)


def near_poor_listing(actor: Any, params: QueryDict) -> Listing:
    today = timezone.localdate()
    form = NearPoorFilterForm(params or None, region_choices=region_filter_choices(actor=actor))
    recognitions = near_poor_list(actor=actor, on=today, **form.criteria())

    def rows() -> Iterator[list[Any]]:
        for row in recognitions.iterator(chunk_size=2000):
            yield [
                row.household.head_name, row.region.name, row.region.code,
                "城市" if row.is_urban else "农村", row.member_count, row.per_capita_income_fen,
                row.standard_fen, row.line_fen, row.recognised_on, row.valid_until,
                NearPoorState(state_of(row, today)).label, row.ended_on, row.get_end_reason_display(), row.reason,
            ]  # fmt: skip

    columns = [
        Column("户主"), Column("村（社区）"), Column("区划代码"), Column("城乡"), Column("认定人数", COUNT),
        Column("家庭人均月收入（元）", MONEY), Column("低保标准（元/人·月）", MONEY),
        Column("边缘家庭收入上限（元/人·月）", MONEY), Column("认定日期", DATE), Column("有效期至", DATE),
        Column("状态"), Column("退出日期", DATE), Column("退出原因"), Column("认定依据"),
    ]  # fmt: skip
    return Listing("低保边缘家庭", columns, recognitions.count(), rows, region_code=form.criteria()["region_code"])


LISTINGS: dict[str, Callable[[Any, QueryDict], Listing]] = {
    "near_poor": near_poor_listing,
    "households": households_listing,
    "cases": cases_listing,
    "payroll_lines": payroll_lines_listing,
}


def in_background(listing: Listing) -> bool:
    return listing.count > settings.JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS


def listing_xlsx(listing: Listing, *, actor: Any) -> bytes:
    """The workbook; an export with ID numbers in full is recorded in the audit trail."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet(listing.title[:31].replace("（", "(").replace("）", ")"))
    formats = {
        TEXT: workbook.add_format({"num_format": "@"}),
        COUNT: workbook.add_format({"num_format": "0"}),
        MONEY: workbook.add_format({"num_format": "#,##0.00"}),
        DATE: workbook.add_format({"num_format": "yyyy-mm-dd"}),
    }
    made = timezone.localtime()
    sheet.write(0, 0, f"{listing.title}（导出于 {made:%Y-%m-%d %H:%M}，共 {listing.count} 行）")
    sheet.write_row(2, 0, [c.header for c in listing.columns], workbook.add_format({"bold": True}))
    line = 3
    for row in listing.rows():
        for index, (column, value) in enumerate(zip(listing.columns, row, strict=True)):
            _write(sheet, line, index, column.kind, value, formats)
        line += 1
    for index, column in enumerate(listing.columns):
        sheet.set_column(index, index, 22 if column.kind == TEXT else 12)
    workbook.close()
    if listing.full_ids:
        audit_event_record(
            actor=actor, event_type=AuditEventType.LIST_EXPORTED_WITH_IDS, subject=actor,
            region_code=listing.region_code or getattr(actor, "jurisdiction_prefix", ""),
            after={"list": listing.title, "rows": line - 3, "filters": listing.filters},
            reason=listing.reason,
        )  # fmt: skip
    return buffer.getvalue()


def _write(sheet: Any, line: int, index: int, kind: str, value: Any, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        sheet.write_blank(line, index, None)
    elif kind == MONEY:
        sheet.write_number(line, index, Decimal(int(value)).scaleb(-2), formats[MONEY])
    elif kind == COUNT:
        sheet.write_number(line, index, int(value), formats[COUNT])
    elif kind == DATE and isinstance(value, datetime.date):
        sheet.write_datetime(line, index, value, formats[DATE])
    else:
        sheet.write_string(line, index, neutralise(str(value)), formats[TEXT])
