"""The flags list as an XLSX workbook (what the queue page shows, whatever its length): Chinese
headers, dates as dates, every text neutralised against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jiuzhu.common.spreadsheets import neutralise
from jiuzhu.verification.checks import SEVERITY_LABELS, check_by_code
from jiuzhu.verification.models import Flag

HEADERS = ["地区", "户主", "核查规则", "严重程度", "说明", "发现日期", "核实期限", "状态", "处理说明"]


def flags_xlsx(flags: Iterable[Flag], *, title: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("核查疑点")
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    with translation.override("zh-hans"):
        sheet.write(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
        sheet.write_row(2, 0, HEADERS, bold)
        line = 3
        for flag in flags:
            sheet.write_string(line, 0, neutralise(flag.region.name))
            sheet.write_string(line, 1, neutralise(flag.household.head_name))
            sheet.write_string(line, 2, _(check_by_code(flag.check_code).title))
            sheet.write_string(line, 3, str(SEVERITY_LABELS.get(flag.severity, "")))
            sheet.write_string(line, 4, neutralise(flag.explanation))
            sheet.write_datetime(line, 5, timezone.localtime(flag.raised_at).date(), day)
            sheet.write_datetime(line, 6, flag.due_on, day)
            sheet.write_string(line, 7, str(flag.get_status_display()))
            sheet.write_string(line, 8, neutralise(flag.resolution))
            line += 1
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 26)
    sheet.set_column(4, 4, 60)
    sheet.set_column(5, 6, 12)
    sheet.set_column(8, 8, 30)
    workbook.close()
    return buffer.getvalue()
