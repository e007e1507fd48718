"""Bank files (社会化发放): the columns a paying institution may ask for, and writing the rows as CSV
or XLSX in the institution's encoding. Pure apart from the writers: no database, no clock.

A layout is the institution's choice of columns (codes from `COLUMNS`, in order), file format,
encoding and whether a header and a totals line are written. Amounts are yuan with two decimals
(from integer fen, exactly); ID and account numbers are text (an 18-digit number in a spreadsheet
loses its last digits). Text a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter

import xlsxwriter
from django.utils.translation import gettext as _

from jiuzhu.common.spreadsheets import FORMULA_STARTS, neutralise


class FileFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class Encoding(StrEnum):
    UTF8 = "utf-8"
    GBK = "gbk"
    GB18030 = "gb18030"


@dataclass(frozen=True)
class BankRow:
    """One payment to one household's account: the sum of its lines in the payroll."""

    seq: int
    reference: str  # 流水号: payroll and household, so a return file finds its way back
    holder_name: str
    id_number: str
    account_number: str
    bank_name: str
    amount_fen: int
    period: str
    village: str
    remark: str


@dataclass(frozen=True)
class Column:
    code: str
    header: str  # Chinese, as banks print them
    value: Callable[[BankRow], str]
    is_text: bool = True  # written as text in XLSX (numbers only for amounts)


def _yuan(fen: int) -> str:
    """Fen as yuan with two decimals and no grouping ("21600" -> "216.00"), by integer arithmetic."""
    whole, cents = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole}.{cents:02d}"


COLUMNS: dict[str, Column] = {
    column.code: column
    for column in (
        Column("seq", "序号", lambda r: str(r.seq), is_text=False),
        Column("reference", "流水号", lambda r: r.reference),
        Column("name", "户名", lambda r: r.holder_name),
        Column("id_number", "身份证号", lambda r: r.id_number),
        Column("account", "账号", lambda r: r.account_number),
        Column("bank", "开户行", lambda r: r.bank_name),
        Column("amount", "金额（元）", lambda r: _yuan(r.amount_fen), is_text=False),
        Column("period", "发放期间", lambda r: r.period),
        Column("village", "村（社区）", lambda r: r.village),
        Column("remark", "摘要", lambda r: r.remark),
    )
}
DEFAULT_COLUMNS = ("seq", "reference", "name", "id_number", "account", "bank", "amount", "period", "remark")


@dataclass(frozen=True)
class Layout:
    columns: tuple[str, ...] = DEFAULT_COLUMNS
    file_format: FileFormat = FileFormat.CSV
    encoding: Encoding = Encoding.UTF8
    header: bool = True
    totals: bool = True

    def problems(self) -> list[str]:
        unknown = [code for code in self.columns if code not in COLUMNS]
        found = []
        if unknown:
            found.append(_("未知的列：%(codes)s") % {"codes": "、".join(unknown)})
        if "amount" not in self.columns:
            found.append(_("银行文件必须有金额列。"))
        if "account" not in self.columns and "reference" not in self.columns:
            found.append(_("银行文件必须有账号或流水号列，回盘才能对应。"))
        return found


class UnencodableRows(ValueError):
    """Rows holding characters the chosen encoding cannot write (rare characters in names)."""

    def __init__(self, rows: list[tuple[int, str]], encoding: str) -> None:
        self.rows = rows
        self.encoding = encoding
        super().__init__(f"{len(rows)} rows cannot be written in {encoding}")


def _totals(rows: Sequence[BankRow], columns: Sequence[Column]) -> list[str]:
    cells = []
    for index, column in enumerate(columns):
        if column.code == "amount":
            cells.append(_yuan(sum(r.amount_fen for r in rows)))
        elif index == 0:
            cells.append(f"合计 {len(rows)} 笔")
        else:
            cells.append("")
    return cells


# Columns whose text comes from people (names, addresses) and may start like a formula.
FREE_TEXT = frozenset({"name", "bank", "village", "remark"})
FIELD_OF = {
    "reference": "reference", "name": "holder_name", "id_number": "id_number", "account": "account_number",
    "bank": "bank_name", "period": "period", "village": "village", "remark": "remark",
}  # fmt: skip


def _column_values(rows: Sequence[BankRow], column: Column) -> list[str]:
    """One column of the file, built a column at a time (a province's file has a million rows)."""
    if column.code == "seq":
        return [str(row.seq) for row in rows]
    if column.code == "amount":
        return [
            f"{row.amount_fen // 100}.{row.amount_fen % 100:02d}" if row.amount_fen >= 0 else _yuan(row.amount_fen)
            for row in rows
        ]
    values = list(map(attrgetter(FIELD_OF[column.code]), rows))
    if column.code in FREE_TEXT:
        return [("'" + value) if value.startswith(FORMULA_STARTS) else value for value in values]
    return values


def _unencodable(rows: Sequence[BankRow], columns: Sequence[Column], encoding: str) -> list[tuple[int, str]]:
    bad = []
    for row in rows:
        try:
            "".join(column.value(row) for column in columns).encode(encoding)
        except UnicodeEncodeError:
            bad.append((row.seq, row.holder_name))
    return bad


def _csv_text(lines: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue()


def _encoding(layout: Layout) -> str:
    return "utf-8" if layout.encoding == Encoding.UTF8 else str(layout.encoding)


def csv_start(layout: Layout) -> bytes:
    """The beginning of a CSV bank file: the BOM for UTF-8 (Excel reads it), then the header if any."""
    columns = [COLUMNS[code] for code in layout.columns]
    header = _csv_text([[column.header for column in columns]]) if layout.header else ""
    return ("\ufeff" if layout.encoding == Encoding.UTF8 else "").encode("utf-8") + header.encode(_encoding(layout))


def csv_rows(rows: Sequence[BankRow], layout: Layout) -> bytes:
    """Rows of a CSV bank file (a part of it: a province's file is written a part at a time).
    Raises UnencodableRows when a row cannot be written in the encoding."""
    columns = [COLUMNS[code] for code in layout.columns]
    text = _csv_text(list(zip(*(_column_values(rows, column) for column in columns), strict=True)))
    try:
        return text.encode(_encoding(layout))
    except UnicodeEncodeError:  # rare characters: find the rows, for the message
        raise UnencodableRows(_unencodable(rows, columns, _encoding(layout)), str(layout.encoding)) from None


def csv_end(count: int, total_fen: int, layout: Layout) -> bytes:
    """The totals line, if the layout has one."""
    if not layout.totals:
        return b""
    cells = []
    for index, column in enumerate(COLUMNS[code] for code in layout.columns):
        if column.code == "amount":
            cells.append(_yuan(total_fen))
        else:
            cells.append(f"合计 {count} 笔" if index == 0 else "")
    return _csv_text([cells]).encode(_encoding(layout))


def render(rows: Sequence[BankRow], layout: Layout) -> bytes:
    """The whole file's bytes. Raises UnencodableRows when a row cannot be written in the encoding."""
    if layout.file_format == FileFormat.XLSX:
        columns = [COLUMNS[code] for code in layout.columns]
        return _xlsx(rows, columns, layout)  # a workbook is Unicode: the encoding applies to CSV only
    total = sum(row.amount_fen for row in rows)
    return csv_start(layout) + csv_rows(rows, layout) + csv_end(len(rows), total, layout)


def _xlsx(rows: Sequence[BankRow], columns: Sequence[Column], layout: Layout) -> bytes:

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("发放明细")
    text = workbook.add_format({"num_format": "@"})
    money = workbook.add_format({"num_format": "0.00"})
    bold = workbook.add_format({"bold": True})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, 22 if column.code in ("id_number", "account", "reference") else 12)
    line = 0
    if layout.header:
        sheet.write_row(line, 0, [column.header for column in columns], bold)
        line += 1
    for row in rows:
        for index, column in enumerate(columns):
            if column.code == "amount":
                sheet.write_number(line, index, Decimal(row.amount_fen).scaleb(-2), money)
            elif column.code == "seq":
                sheet.write_number(line, index, row.seq)
            else:
                sheet.write_string(line, index, neutralise(column.value(row)), text)
        line += 1
    if layout.totals:
        for index, cell in enumerate(_totals(rows, columns)):
            if columns[index].code == "amount":
                sheet.write_number(line, index, Decimal(sum(r.amount_fen for r in rows)).scaleb(-2), money)
            else:
                sheet.write_string(line, index, cell, bold)
    workbook.close()
    return buffer.getvalue()
