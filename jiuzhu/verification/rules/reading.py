"""Reading an uploaded table (CSV or XLSX) row by row, whatever the office's software saved it as.

Pure: a file on disk (or bytes) in, rows of text out; problems that make the whole file unreadable
raise `UnreadableFile` with a Chinese message.

* Encoding: a UTF-8 byte-order mark, or text that decodes as UTF-8, is UTF-8; otherwise GB18030
  (which reads GBK and GB2312 too). Anything else (UTF-16, a binary file under a .csv name) is
  refused. Only the first megabyte is tried, then the file is read as a stream.
* CSV is streamed: memory does not grow with the file.
* XLSX: the first sheet (python-calamine). A workbook whose cells hold formulas is refused with
  the cells named: what a formula shows depends on the program that last saved it, and a formula
  that reaches another file is not data.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
SAMPLE_BYTES = 1 << 20
MAX_COLUMNS = 500
MAX_CELLS = 50_000_000  # about a million rows of fifty columns; larger files go as CSV
_DATA_LIKE = re.compile(r"^\d{15}(\d{2}[\dXx])?$")
csv.field_size_limit(1 << 20)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read: nothing of it is imported."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line in the file, 1 = the header; cells as text)
    encoding: str  # "utf-8", "gb18030" or "xlsx"


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in sample[:4096]:
        raise UnreadableFile(_("文件是 UTF-16 编码或不是文本文件：请另存为 UTF-8 或 GBK 编码的 CSV，或 XLSX。"))
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
            return encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("文件编码无法识别：请另存为 UTF-8、GBK 或 GB18030 编码的 CSV，或 XLSX。"))


def open_table(stream: BinaryIO) -> Table:
    """The header and a stream of rows. Raises UnreadableFile (empty file, unknown encoding,
    formulas, a damaged workbook, no header)."""
    head = stream.read(SAMPLE_BYTES)
    if not head.strip():
        raise UnreadableFile(_("文件是空的。"))
    stream.seek(0)
    if head.startswith(XLSX_MAGIC):
        return _open_xlsx(stream)
    encoding = detect_encoding(head)
    reader = csv.reader(_decoded_lines(stream, encoding))
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise _csv_problem(error, 1) from None
    header = _checked_header(header)
    return Table(header=header, rows=_csv_rows(reader), encoding=encoding.split("-sig")[0])


def _checked_header(header: list[Any] | None) -> list[str]:
    cells = [str(cell).strip() for cell in header or []]
    if not any(cells):
        raise UnreadableFile(_("第 1 行应是列名（表头），但它是空的。"))
    if any(_DATA_LIKE.match(cell) for cell in cells):
        raise UnreadableFile(_("第 1 行应是列名（表头），但它像是一行数据（含证件号码）：请在文件第一行加上列名。"))
    return cells


def _decoded_lines(stream: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines as text, decoded one by one, so a line that is not in the file's encoding
    is named exactly."""
    decode = codecs.getdecoder(encoding)
    for number, raw in enumerate(stream, start=1):
        try:
            yield decode(raw)[0]
        except UnicodeDecodeError:
            raise UnreadableFile(
                _("第 %(line)s 行有无法按文件编码（%(encoding)s）读取的字节：文件可能混用了两种编码，请重新导出。")
                % {"line": number, "encoding": encoding.split("-sig")[0].upper()}
            ) from None


def _csv_problem(error: csv.Error, line: int) -> UnreadableFile:
    if "new-line character" in str(error):
        return UnreadableFile(_("文件使用旧式 Mac 换行符（CR）：请另存为 Windows 或 Unix 格式的 CSV。"))
    return UnreadableFile(_("第 %(line)s 行格式错误：%(error)s") % {"line": line, "error": error})


def _csv_rows(reader: Any) -> Iterator[tuple[int, list[str]]]:
    while True:
        start = reader.line_num + 1  # a quoted cell may run over several lines: the row is where it starts
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_problem(error, start) from None
        if any(cell.strip() for cell in row):
            yield start, [cell.strip() for cell in row]


def formula_cells(stream: BinaryIO, limit: int = 10) -> list[str]:
    """The first cells (such as "D3") of the workbook's first sheet — the one imported — that hold a
    formula. The sheet's XML is read as a stream (no regular expression over it, no whole sheet in
    memory); tags are matched by local name, whatever their namespace prefix."""
    found: list[str] = []
    with zipfile.ZipFile(stream) as archive:
        with archive.open(_first_sheet(archive)) as sheet:
            cell = ""
            for event, element in ElementTree.iterparse(sheet, events=("start", "end")):
                name = element.tag.rsplit("}", 1)[-1]
                if event == "start" and name == "c":
                    cell = element.get("r", "")
                elif event == "end" and name == "f":
                    found.append(cell)
                    if len(found) >= limit:
                        return found
                elif event == "end" and name == "row":
                    element.clear()
    return found


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The part name of the workbook's first sheet (what calamine's index 0 reads)."""
    relationships = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    first = next(e for e in workbook.iter() if e.tag.rsplit("}", 1)[-1] == "sheet")
    target_id = first.get(relationships)
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(e.get("Target", "") for e in rels.iter() if e.get("Id") == target_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _open_xlsx(stream: BinaryIO) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        formulas = formula_cells(stream)
    except (zipfile.BadZipFile, zlib.error, KeyError, StopIteration, ParseError, OSError):
        raise UnreadableFile(_("XLSX 文件已损坏，无法打开。")) from None
    if formulas:
        raise UnreadableFile(
            _("表格含有公式（%(cells)s 等单元格）：请把公式列复制后“选择性粘贴为数值”，再导入。")
            % {"cells": "、".join(formulas)}
        )
    stream.seek(0)
    try:
        sheet = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0)
        if sheet.width > MAX_COLUMNS or sheet.width * sheet.height > MAX_CELLS:
            size = {"rows": sheet.height, "columns": sheet.width}
            raise UnreadableFile(
                _("表格的第一个工作表有 %(rows)s 行 %(columns)s 列（含空白格式区域），超过可导入的大小：") % size
                + _("请删去多余的行列，或另存为 CSV。")
            )
        rows = sheet.to_python(skip_empty_area=False)
    except UnreadableFile:
        raise
    except Exception as error:  # calamine raises its own error types
        raise UnreadableFile(_("XLSX 文件无法读取：%(error)s") % {"error": error}) from None
    if not rows:
        raise UnreadableFile(_("第 1 行应是列名（表头），但它是空的。"))
    header = _checked_header([_cell_text(cell) for cell in rows[0]])

    def body() -> Iterator[tuple[int, list[str]]]:
        for line, row in enumerate(rows[1:], start=2):
            cells = [_cell_text(cell) for cell in row]
            if any(cells):
                yield line, cells

    return Table(header=header, rows=body(), encoding="xlsx")


def _cell_text(cell: object) -> str:
    """A cell as the user typed it. Whole numbers lose their ".0"; a number too long to be exact
    (an 18-digit ID number typed into a number cell) keeps the marker "E+" so it is reported."""
    if cell is None:
        return ""
    if isinstance(cell, float):
        if cell.is_integer() and abs(cell) < 1e15:
            return str(int(cell))
        if abs(cell) >= 1e15:
            return f"{cell:.6E}"
    if hasattr(cell, "isoformat"):
        return cell.isoformat()[:10] if not hasattr(cell, "hour") or cell.hour == 0 else cell.isoformat()
    return str(cell).strip()
