"""The files of onboarding: the template offices fill in (XLSX: Chinese headers, two example
households, a sheet of instructions, drop-down lists for the columns with fixed values), and the
extract filed in each imported household's file (PDF: where its record came from — the file, its
checksum, the batch and the rows — with ID and account numbers masked)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from django.utils import translation

from jiuzhu.onboarding.fields import FIELDS, HOUSEHOLD_FIELDS, REQUIRED_COLUMNS
from jiuzhu.printing.document import Document, chinese_date
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.verification.sources import FieldKind

LETTER_LANGUAGE = "zh-hans"
TEMPLATE_NAME = "存量对象导入模板.xlsx"
_KIND_HINTS = {
    FieldKind.ID_NUMBER: "18位或15位身份证号，单元格须为文本格式",
    FieldKind.ACCOUNT: "6至30位数字，单元格须为文本格式",
    FieldKind.MONEY: "元，最多两位小数",
    FieldKind.MONTH: "如 2024-03 或 2024年3月",
    FieldKind.DATE: "如 2024-03-15 或 2024年3月15日",
    FieldKind.DECIMAL: "整数",
    FieldKind.TEXT: "",
}
_FIELD_HINTS = {
    "household_key": "本台账的户编号，同一户的各行填相同编号",
    "village": "村（社区）名称或12位区划代码；只在户主行填写",
    "program": "不在保的家庭留空；在保家庭须同时填写金额和起始发放年月",
    "member_count": "留空则按本户人数",
    "approved_on": "留空则按起始发放年月的1日",
    "first_month": "原台账中开始发放的月份",
    "amount": "现在每月实发的金额（元）",
    "supporter": "留空则为“有”；无劳动能力、无收入且无法定义务人（或其无履行能力）的成员在统计中计为“三无”人员",
}


def _example_rows() -> list[list[str]]:
    born = datetime.date
    ids = [
        make_id_number("530381", born(1968, 4, 2), 11),
        make_id_number("530381", born(1971, 9, 15), 22),
        make_id_number("530381", born(2009, 1, 20), 31),
        make_id_number("530381", born(1950, 7, 8), 42),
    ]

    def row(**values: str) -> list[str]:
        return [values.get(field.key, "") for field in FIELDS]

    return [
        row(household_key="1", village="示例村", hukou_type="农村", address="示例村三组12号", phone="13800000000",
            name="张大山", id_number=ids[0], relation="户主", work_ability="部分丧失劳动能力", bank_name="农村信用社",
            account_holder="张大山", account_number="6228480012345678901", program="农村低保", member_count="3",
            amount="960.00", first_month="2019-03", approved_on="2019-02-20"),
        row(household_key="1", name="李秀英", id_number=ids[1], relation="配偶", disability_category="肢体残疾",
            disability_grade="二级"),
        row(household_key="1", name="张小明", id_number=ids[2], relation="子女"),
        row(household_key="2", village="示例村", hukou_type="农村", address="示例村五组3号", name="王老五",
            id_number=ids[3], relation="户主", work_ability="无劳动能力", supporter="无法定赡养、抚养、扶养义务人",
            note="未纳入低保，仅建档"),
    ]  # fmt: skip


def template_xlsx() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    text = workbook.add_format({"num_format": "@"})
    header = workbook.add_format({"bold": True, "bg_color": "#E8EEF6", "border": 1, "text_wrap": True})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE8D6", "border": 1, "text_wrap": True})
    sheet = workbook.add_worksheet("存量对象")
    for index, field in enumerate(FIELDS):
        sheet.write_string(0, index, field.label, required if field.required or field in REQUIRED_COLUMNS else header)
        width = 22 if field.kind in (FieldKind.ID_NUMBER, FieldKind.ACCOUNT) or field.key == "address" else 12
        sheet.set_column(index, index, width, text)  # every column text: Excel keeps ID digits as typed
        if field.choices:
            sheet.data_validation(
                1, index, 5000, index,
                {"validate": "list", "source": [words[0] for _value, words in field.choices], "ignore_blank": True},
            )  # fmt: skip
    for line, cells in enumerate(_example_rows(), start=1):
        for index, cell in enumerate(cells):
            if cell:
                sheet.write_string(line, index, cell, text)
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet("填写说明")
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 8)
    notes.set_column(2, 2, 70)
    notes.write_row(0, 0, ["列名", "是否必填", "说明"], header)
    household_keys = {field.key for field in HOUSEHOLD_FIELDS}
    for line, field in enumerate(FIELDS, start=1):
        hints = [_FIELD_HINTS.get(field.key, ""), _KIND_HINTS.get(field.kind, "")]
        if field.choices:
            hints.append("可填：" + "、".join(words[0] for _value, words in field.choices))
        if field.key in household_keys and field.key not in _FIELD_HINTS:
            hints.append("只在户主行填写")
        notes.write_string(line, 0, field.label)
        notes.write_string(line, 1, "必填" if field.required or field in REQUIRED_COLUMNS else "")
        notes.write_string(line, 2, "；".join(h for h in hints if h))
    after = len(FIELDS) + 2
    for offset, paragraph in enumerate(
        (
            "每行一人，同一户的各行填写相同的户编号；户信息（村、住址、账户、低保）只在户主行填写。",
            "示例中的两户请删除后再填写。第一行列名请勿修改；也可以用本单位自己的表格，上传后逐列对应。",
            "上传后先试导入：每一行的结果和错误都会列出，确认无误后再导入；有误的户不导入，改正后可再次上传同一文件，已导入的户不会重复导入。",
        )
    ):
        notes.write_string(after + offset, 0, paragraph)
    workbook.close()
    return buffer.getvalue()


def extract_pdf(
    *, batch: Any, household_key: str, rows: Sequence[dict[str, Any]], case: Any, head_name: str,
    applied_on: datetime.date, applied_by: str, authority: str,
) -> bytes:  # fmt: skip
    lines = [int(row["line"]) for row in rows]
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title="存量数据迁移来源", authority=authority)
        doc.facts(
            [
                ("户主", head_name),
                ("原台账户编号", household_key),
                ("来源文件", batch.file_name),
                ("文件校验码（SHA-256）", batch.sha256[:16] + "…"),
                ("导入批次", str(batch.pk)),
                ("所在行", f"第 {min(lines)}–{max(lines)} 行" if len(lines) > 1 else f"第 {lines[0]} 行"),
                ("建档依据", batch.reason),
                ("建档日期", chinese_date(batch.go_live)),
                ("导入人", applied_by),
                ("导入日期", chinese_date(applied_on)),
            ]
        )
        doc.heading("一、家庭成员（原表所列）")
        doc.table(
            ["行号", "姓名", "身份证号", "与户主关系"],
            [[str(row["line"]), str(row["name"]), str(row["id_masked"]), str(row["relation"])] for row in rows],
            widths=[2, 3, 5, 3],
            align=["right", "left", "left", "left"],
        )
        doc.heading("二、在保情况（原表所列）")
        if case is None:
            doc.paragraph("原表未列低保，仅建立家庭档案。")
        else:
            doc.table(
                ["保障类别", "月保障金额（元）", "保障人数", "起始发放年月", "批准日期"],
                [[
                    "城市低保" if case.program_code == "dibao_urban" else "农村低保",
                    f"{case.amount_fen / 100:.2f}", str(case.member_count),
                    f"{case.first_month.year}年{case.first_month.month}月", chinese_date(case.approved_on),
                ]],
                widths=[3, 3, 2, 3, 3],
                align=["left", "right", "right", "center", "center"],
            )  # fmt: skip
            doc.paragraph("按原台账金额建档，首次复核时按现行标准重新核定。")
        doc.note("原文件加密保存于本系统，县级经办人可在导入批次页下载（下载留痕）。身份证号已隐去中间各位。")
        return doc.render()
