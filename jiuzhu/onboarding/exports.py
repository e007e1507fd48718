"""The dry run's result as an XLSX workbook, one line per row of the file: the office fixes its own
spreadsheet from it. Texts neutralised against formula injection; ID numbers masked."""

from __future__ import annotations

import io
from collections.abc import Iterable

import xlsxwriter
from django.utils import translation

from jiuzhu.common.spreadsheets import neutralise
from jiuzhu.onboarding.models import OnboardingHousehold, Outcome

HEADERS = ["行号", "户编号", "姓名", "身份证号", "与户主关系", "本户结果", "列", "问题或提示"]


def results_xlsx(households: Iterable[OnboardingHousehold], *, title: str) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("试导入结果")
    bold = workbook.add_format({"bold": True})
    for column, width in enumerate((6, 10, 10, 22, 10, 22, 16, 60)):
        sheet.set_column(column, column, width)
    with translation.override("zh-hans"):
        sheet.write(0, 0, neutralise(title), workbook.add_format({"bold": True, "font_size": 14}))
        sheet.write_row(2, 0, HEADERS, bold)
        line = 3
        for household in households:
            outcome = str(Outcome(household.outcome).label)
            by_line: dict[int, list[dict[str, object]]] = {}
            for problem in household.problems:
                by_line.setdefault(int(problem["line"]), []).append(problem)
            for row in household.rows:
                found = by_line.get(int(row["line"]), [{}])
                for problem in found:
                    sheet.write_number(line, 0, int(row["line"]))
                    sheet.write_string(line, 1, neutralise(household.key))
                    sheet.write_string(line, 2, neutralise(str(row["name"])))
                    sheet.write_string(line, 3, str(row["id_masked"]))
                    sheet.write_string(line, 4, neutralise(str(row["relation"])))
                    sheet.write_string(line, 5, outcome)
                    sheet.write_string(line, 6, neutralise(str(problem.get("column", ""))))
                    sheet.write_string(line, 7, neutralise(str(problem.get("message", ""))))
                    line += 1
            for note in household.notes:
                sheet.write_string(line, 1, neutralise(household.key))
                sheet.write_string(line, 5, outcome)
                sheet.write_string(line, 7, neutralise(note))
                line += 1
    workbook.close()
    return buffer.getvalue()
