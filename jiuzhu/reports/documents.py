"""The monthly statistics report as an Excel workbook and as a PDF (A4 landscape): one table per
programme, a row per area and a totals row, units in the headers."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils import translation

from jiuzhu.cases.documents import township_government
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.common.spreadsheets import neutralise
from jiuzhu.lowincome.rules import NEAR_POOR_LINES
from jiuzhu.printing.document import REGISTER, Align, Document, chinese_date
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.reports.rules import Figures
from jiuzhu.reports.selectors import AreaRow, MonthlyReport

LETTER_LANGUAGE = "zh-hans"
LEFT: Align = "left"
RIGHT: Align = "right"


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Figures, Figures], int]  # (the month's figures, the year's) -> a count or fen
    money: bool = False
    figure: str | None = None  # which households a number of the month leads to (selectors.FIGURE_FILTERS)


MEMBERS = (
    Column("家庭成员中老年人（人）", lambda m, y: m.elderly, figure="elderly"),
    Column("家庭成员中未成年人（人）", lambda m, y: m.minors, figure="minors"),
    Column("家庭成员中劳动年龄人口（人）", lambda m, y: m.working_age, figure="working_age"),
    Column("家庭成员中残疾人（人）", lambda m, y: m.disabled, figure="disabled"),
    Column("家庭成员中“三无”人员（人）", lambda m, y: m.three_no, figure="three_no"),
)
# State at the month's end, then the money, then the movements (month, then year to date).
STATE = (
    Column("户数（户）", lambda m, y: m.households, figure="households"),
    Column("人数（人）", lambda m, y: m.persons, figure="persons"),
    *MEMBERS,
    Column("平均保障标准（元/人·月）", lambda m, y: m.average_standard_fen, money=True),
    Column("月保障金（元）", lambda m, y: m.amount_fen, money=True, figure="households"),
    Column("人均补助水平（元/人·月）", lambda m, y: m.per_capita_fen, money=True),
)
FLOWS = (
    Column("本月支出（元）", lambda m, y: m.paid_fen, money=True, figure="paid"),
    Column("本年累计支出（元）", lambda m, y: y.paid_fen, money=True),
    Column("本月新增（户）", lambda m, y: m.new_households, figure="new"),
    Column("本月新增（人）", lambda m, y: m.new_persons, figure="new"),
    Column("本月调整（户）", lambda m, y: m.changed_households, figure="changed"),
    Column("本月调整（人）", lambda m, y: m.changed_persons, figure="changed"),
    Column("本月停保（户）", lambda m, y: m.stopped_households, figure="stopped"),
    Column("本月停保（人）", lambda m, y: m.stopped_persons, figure="stopped"),
    Column("本年新增（户）", lambda m, y: y.new_households),
    Column("本年新增（人）", lambda m, y: y.new_persons),
    Column("本年调整（户）", lambda m, y: y.changed_households),
    Column("本年调整（人）", lambda m, y: y.changed_persons),
    Column("本年停保（户）", lambda m, y: y.stopped_households),
    Column("本年停保（人）", lambda m, y: y.stopped_persons),
)
COLUMNS = (*STATE, *FLOWS)
# Edge households (低保边缘家庭) have no money: the register at the month's end, recognitions and exits.
NEAR_POOR_STATE = (
    Column("户数（户）", lambda m, y: m.households, figure="households"),
    Column("人数（人）", lambda m, y: m.persons, figure="persons"),
    *MEMBERS,
)
NEAR_POOR_FLOWS = (
    Column("本月新认定（户）", lambda m, y: m.new_households, figure="new"),
    Column("本月新认定（人）", lambda m, y: m.new_persons, figure="new"),
    Column("本月退出（户）", lambda m, y: m.stopped_households, figure="stopped"),
    Column("本月退出（人）", lambda m, y: m.stopped_persons, figure="stopped"),
    Column("本年新认定（户）", lambda m, y: y.new_households),
    Column("本年新认定（人）", lambda m, y: y.new_persons),
    Column("本年退出（户）", lambda m, y: y.stopped_households),
    Column("本年退出（人）", lambda m, y: y.stopped_persons),
)


def parts_of(program: str) -> tuple[tuple[Column, ...], tuple[Column, ...]]:
    """The columns of a programme's table: its state at the month's end, and its money and movements."""
    if program in NEAR_POOR_LINES.values():
        return NEAR_POOR_STATE, NEAR_POOR_FLOWS
    return STATE, FLOWS


def columns_of(program: str) -> tuple[Column, ...]:
    state, flows = parts_of(program)
    return (*state, *flows)


def authority_of(region: Region) -> str:
    """Who issues an area's statistics: the civil-affairs department of a province, city or county,
    the township's government below."""
    if region.level == RegionLevel.PROVINCE:
        return f"{region.name}民政厅"
    if region.level in (RegionLevel.CITY, RegionLevel.COUNTY):
        return f"{region.name}民政局"
    return township_government(region)


def report_title(report: MonthlyReport) -> str:
    return f"{report.region.name}最低生活保障统计月报（{report.month:%Y年%m月}）"


def _notes(report: MonthlyReport) -> list[str]:
    notes = [
        "口径：户数、人数为月末在保（当月保障金额大于零）；人数为审批或复核核定的保障人数；家庭成员中的老年人"
        "（60 周岁及以上）、未成年人、劳动年龄人口、残疾人为在保家庭月末共同生活的成员（不限于保障人数）；新增、"
        "调整、停保按审批日期计入当月；支出为发放日在当月的发放名册金额（含补发、结转，扣除追回，不含银行退回失败的）。",
        "“三无”人员：无劳动能力、无生活来源（本人除救助款物外无收入）、无法定赡养、抚养、扶养义务人或其义务人无履行能力的"
        "成员。调整人数：保障人数有增减的计增减的人数，未变的计全部保障人数。低保边缘家庭：月末认定有效的家庭（在有效期内且未退出），人数为认定时计入的家庭成员；新认定、退出按认定、"
        "退出日期计入当月，认定到期的于有效期届满次日计入退出。",
    ]
    if report.snapshot is not None:
        notes.append(
            f"数据来源：{report.snapshot.region.name}{report.month:%Y年%m月}月末快照"
            f"（编号 {report.snapshot.pk}，生成于 {report.snapshot.finished_at:%Y-%m-%d %H:%M}）。"
        )
    if report.missing_months:
        months = "、".join(f"{m.month}月" for m in report.missing_months)
        notes.append(f"本年 {months} 尚无快照，本年累计数不含这些月份。")
    return notes


def report_xlsx(report: MonthlyReport, villages: MonthlyReport | None = None) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "head": workbook.add_format(
            {"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1}
        ),
        "text": workbook.add_format({"num_format": "@", "border": 1}),
        "count": workbook.add_format({"num_format": "#,##0", "border": 1}),
        "money": workbook.add_format({"num_format": "#,##0.00", "border": 1}),
        "bold": workbook.add_format({"bold": True, "border": 1}),
        "count_bold": workbook.add_format({"num_format": "#,##0", "bold": True, "border": 1}),
        "money_bold": workbook.add_format({"num_format": "#,##0.00", "bold": True, "border": 1}),
        "note": workbook.add_format({"italic": True, "font_color": "#555555"}),
    }
    for program, name in report.programs:
        _sheet(workbook, formats, f"{name}", report, program)
    if villages is not None:
        for program, name in villages.programs:
            _sheet(workbook, formats, f"{name}（按村）", villages, program)
    workbook.close()
    return buffer.getvalue()


def _sheet(
    workbook: xlsxwriter.Workbook, formats: dict[str, object], sheet_name: str, report: MonthlyReport, program: str
) -> None:
    sheet = workbook.add_worksheet(sheet_name[:31])
    program_name = dict(report.programs)[program]
    sheet.write(0, 0, f"{report_title(report)} · {program_name}", formats["title"])
    columns = columns_of(program)
    headers = ["地区", "区划代码", *(c.header for c in columns)]
    sheet.write_row(2, 0, headers, formats["head"])
    sheet.set_row(2, 45)
    line = 3
    for row in report.rows:
        _write(sheet, formats, line, row, program, bold=False)
        line += 1
    _write(sheet, formats, line, report.total, program, bold=True, label="合计")
    for offset, note in enumerate(_notes(report), start=2):
        sheet.write(line + offset, 0, note, formats["note"])
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, 1 + len(columns), 12)
    sheet.freeze_panes(3, 1)
    sheet.repeat_rows(2)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


def _write(sheet, formats, line: int, row: AreaRow, program: str, *, bold: bool, label: str = "") -> None:  # type: ignore[no-untyped-def]
    suffix = "_bold" if bold else ""
    sheet.write_string(line, 0, neutralise(label or row.name), formats["bold" if bold else "text"])
    sheet.write_string(line, 1, "" if label else row.code, formats["text"])
    month, year = row.figures(program), row.to_date(program)
    for index, column in enumerate(columns_of(program), start=2):
        value = column.value(month, year)
        if column.money:
            sheet.write_number(line, index, Decimal(value).scaleb(-2), formats[f"money{suffix}"])
        else:
            sheet.write_number(line, index, value, formats[f"count{suffix}"])


def _cells(columns: Sequence[Column], month: Figures, year: Figures) -> list[str]:
    return [fen_to_yuan_text(c.value(month, year)) if c.money else f"{c.value(month, year):,}" for c in columns]


def report_pdf(report: MonthlyReport, *, authority: str) -> bytes:
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title=report_title(report), authority=authority, layout=REGISTER, landscape=True)
        for index, (program, name) in enumerate(report.programs):
            if index:
                doc.page_break()
            state, flows = parts_of(program)
            near_poor = program in NEAR_POOR_LINES.values()
            for part, columns in (
                (("认定在册", state), ("认定和退出", flows))
                if near_poor
                else (("在保对象", state), ("资金和变动", flows))
            ):
                doc.paragraph(f"{name}：{part}", indent=False, bold=True)
                doc.table(
                    ["地区", *(c.header for c in columns)],
                    [[row.name, *_cells(columns, row.figures(program), row.to_date(program))] for row in report.rows],
                    widths=[2.2, *([1.2] * len(columns))],
                    align=[LEFT, *([RIGHT] * len(columns))],
                    total=["合计", *_cells(columns, report.total.figures(program), report.total.to_date(program))],
                    empty="本月无数据。",
                )
        for note in _notes(report):
            doc.note(note)
        if report.snapshot is not None and report.snapshot.finished_at is not None:
            doc.paragraph(f"快照生成日期：{chinese_date(report.snapshot.finished_at.date())}", indent=False)
        doc.signature_lines(["制表人", "审核人", "单位负责人"])
        return doc.render()
