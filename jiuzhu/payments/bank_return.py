"""Reading a bank's return file (回盘文件): which payments went through and which failed, and why.
Pure: bytes in, rows and problems out (Chinese, by line).

Banks send back the file they were given with a result column added, as CSV (UTF-8, GBK or
GB18030) or XLSX. Columns are found by their header, whatever their order; a totals line is
skipped. Matching the rows to the payroll is the service's job (`services.bank`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jiuzhu.common.money import MoneyFormatError, yuan_to_fen

HEADERS: dict[str, tuple[str, ...]] = {
    "reference": ("流水号", "参考号", "业务流水号", "交易流水号"),
    "account": ("账号", "卡号", "银行账号", "账户", "收款账号"),
    "name": ("户名", "姓名", "收款人"),
    "amount": ("金额（元）", "金额(元)", "金额", "发放金额", "交易金额"),
    "status": ("处理结果", "结果", "状态", "交易状态", "发放结果"),
    "reason": ("失败原因", "原因", "备注", "说明"),
}
PAID_WORDS = ("成功", "已入账", "入账成功", "已发放", "success", "ok", "s")
FAILED_WORDS = ("失败", "未入账", "退回", "fail", "failed", "f")
XLSX_MAGIC = b"PK\x03\x04"


class ReturnFileError(ValueError):
    """The whole file cannot be read (its encoding, its columns): nothing is applied."""


@dataclass(frozen=True)
class ReturnRow:
    line: int  # as the user sees it in the file (1 = the header)
    reference: str
    account: str
    name: str
    amount_fen: int | None
    paid: bool | None  # None: the result could not be read
    reason: str


@dataclass
class ParsedReturn:
    rows: list[ReturnRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "第 N 行：…", rows left out


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReturnFileError(_("文件编码无法识别：请保存为 UTF-8、GBK 或 GB18030 编码的 CSV，或 XLSX。"))


def _table(content: bytes) -> list[list[str]]:
    if not content.strip():
        raise ReturnFileError(_("文件是空的。"))
    if content.startswith(XLSX_MAGIC):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
        except Exception as error:  # calamine raises its own error types
            raise ReturnFileError(_("XLSX 文件无法读取：%(error)s") % {"error": error}) from None
        return [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.to_python()]
    text = _decode(content)
    return [row for row in csv.reader(io.StringIO(text))]


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    return str(cell).strip()


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    cleaned = [re.sub(r"\s+", "", cell) for cell in header]
    for key, names in HEADERS.items():
        for index, cell in enumerate(cleaned):
            if cell in names and key not in found:
                found[key] = index
    return found


def _status(text: str) -> bool | None:
    word = text.strip().lower()
    if word in PAID_WORDS:
        return True
    if word in FAILED_WORDS or word.startswith("失败"):
        return False
    return None


def parse_return(content: bytes) -> ParsedReturn:
    table = _table(content)
    header_index = next((i for i, row in enumerate(table) if any(cell.strip() for cell in row)), None)
    if header_index is None:
        raise ReturnFileError(_("文件是空的。"))
    columns = _columns(table[header_index])
    missing = []
    if "reference" not in columns and "account" not in columns:
        missing.append("流水号或账号")
    if "amount" not in columns:
        missing.append("金额")
    if "status" not in columns:
        missing.append("处理结果")
    if missing:
        raise ReturnFileError(
            "找不到必需的列："
            + "、".join(missing)
            + "。第一行应为表头，例如：流水号、账号、户名、金额、处理结果、失败原因。"
        )
    parsed = ParsedReturn()

    def cell(row: list[str], key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for offset, row in enumerate(table[header_index + 1 :], start=header_index + 2):
        if not any(c.strip() for c in row):
            continue
        first = row[0].strip() if row else ""
        if first.startswith(("合计", "总计")):
            continue
        amount_text = cell(row, "amount").replace(",", "")
        try:
            amount = yuan_to_fen(amount_text) if amount_text else None
        except MoneyFormatError:
            amount = None
        if amount is None:
            parsed.problems.append(
                _("第 %(line)s 行：金额“%(text)s”无法识别，未处理。") % {"line": offset, "text": amount_text}
            )
            continue
        status_text = cell(row, "status")
        paid = _status(status_text)
        if paid is None:
            parsed.problems.append(
                _("第 %(line)s 行：处理结果“%(text)s”无法识别（应为“成功”或“失败”），未处理。")
                % {"line": offset, "text": status_text}
            )
            continue
        parsed.rows.append(
            ReturnRow(
                line=offset,
                reference=cell(row, "reference").lstrip("'"),
                account=re.sub(r"\D", "", cell(row, "account")),
                name=cell(row, "name"),
                amount_fen=amount,
                paid=paid,
                reason=cell(row, "reason"),
            )
        )
    return parsed
