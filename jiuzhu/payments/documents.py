"""The payment roster (低保金发放花名册) of each village, for the recipients' signatures: A4 landscape
PDF (one village a page group, totals at the foot, lines to sign) and an XLSX workbook (one sheet
per village and a summary sheet). Always in Chinese, whatever the user's language."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import xlsxwriter
from django.utils import translation

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.common.spreadsheets import neutralise
from jiuzhu.payments.models import Payroll
from jiuzhu.payments.roster_selectors import VillageRoster
from jiuzhu.payments.rules import Period
from jiuzhu.printing.document import REGISTER, Document, chinese_date

LETTER_LANGUAGE = "zh-hans"
HEADERS = ["序号", "户主（领款人）", "银行账号", "所属月份", "应发金额（元）", "备注", "领款人签字（手印）"]


def _title(payroll: Payroll) -> str:
    return f"{payroll.program.name}发放花名册（{Period(payroll.period_start, payroll.months).label()}）"


def roster_pdf(*, payroll: Payroll, rosters: Sequence[VillageRoster], authority: str) -> bytes:
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title=_title(payroll), authority=authority, layout=REGISTER, landscape=True)
        for index, roster in enumerate(rosters):
            if index:
                doc.page_break()
            # A paragraph, not a heading: a heading keeps with the next block, which is the whole table.
            doc.paragraph(f"村（社区）：{roster.name}　　代码：{roster.code}", indent=False, bold=True)
            doc.table(
                HEADERS,
                [
                    [str(n), row.head_name, row.account_masked or "未登记", row.months,
                     fen_to_yuan_text(row.amount_fen), row.kinds, ""]
                    for n, row in enumerate(roster.rows, start=1)
                ],
                widths=[1, 2.4, 3, 2.6, 2, 2.4, 3.2],
                align=["center", "left", "left", "center", "right", "left", "left"],
                total=["合计", f"{len(roster.rows)} 户", "", "", fen_to_yuan_text(roster.total_fen), "", ""],
                empty="本村（社区）本期无发放对象。",
            )  # fmt: skip
            doc.signature_lines(["制表人", "村（社区）负责人", "乡镇（街道）审核人"])
        if not rosters:
            doc.note("本期无发放对象。")
        doc.paragraph(f"发放日：{chinese_date(payroll.pay_on)}", indent=False)
        return doc.render()


def roster_xlsx(*, payroll: Payroll, rosters: Sequence[VillageRoster]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    text = workbook.add_format({"num_format": "@"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    money_bold = workbook.add_format({"num_format": "#,##0.00", "bold": True})
    summary = workbook.add_worksheet("汇总")
    summary.write(0, 0, _title(payroll), title)
    summary.write_row(2, 0, ["村（社区）", "代码", "户数", "应发金额（元）"], bold)
    for line, roster in enumerate(rosters, start=3):
        summary.write_string(line, 0, roster.name)
        summary.write_string(line, 1, roster.code, text)
        summary.write_number(line, 2, len(roster.rows))
        summary.write_number(line, 3, Decimal(roster.total_fen).scaleb(-2), money)
    end = 3 + len(rosters)
    summary.write(end, 0, "合计", bold)
    summary.write_number(end, 2, sum(len(r.rows) for r in rosters), bold)
    summary.write_number(end, 3, Decimal(sum(r.total_fen for r in rosters)).scaleb(-2), money_bold)
    summary.set_column(0, 0, 16)
    summary.set_column(1, 1, 14)
    summary.set_column(3, 3, 16)
    for roster in rosters:
        sheet = workbook.add_worksheet(roster.name[:31])
        sheet.write(0, 0, f"{roster.name}{_title(payroll)}", title)
        sheet.write_row(2, 0, HEADERS, bold)
        for line, row in enumerate(roster.rows, start=3):
            sheet.write_number(line, 0, line - 2)
            sheet.write_string(line, 1, neutralise(row.head_name))
            sheet.write_string(line, 2, row.account_masked or "未登记", text)
            sheet.write_string(line, 3, row.months)
            sheet.write_number(line, 4, Decimal(row.amount_fen).scaleb(-2), money)
            sheet.write_string(line, 5, row.kinds)
        end = 3 + len(roster.rows)
        sheet.write(end, 0, "合计", bold)
        sheet.write(end, 1, f"{len(roster.rows)} 户", bold)
        sheet.write_number(end, 4, Decimal(roster.total_fen).scaleb(-2), money_bold)
        sheet.set_column(1, 1, 14)
        sheet.set_column(2, 2, 22)
        sheet.set_column(3, 3, 18)
        sheet.set_column(4, 4, 14)
        sheet.set_column(6, 6, 20)
        sheet.repeat_rows(2)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
    workbook.close()
    return buffer.getvalue()
