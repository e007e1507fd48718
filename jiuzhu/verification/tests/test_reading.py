"""Reading uploaded tables: encodings found, empty files, formulas and damaged workbooks refused,
IDs typed as numbers caught, rows streamed with their line numbers."""

from __future__ import annotations

import io

import pytest
import xlsxwriter

from jiuzhu.verification.rules.reading import UnreadableFile, detect_encoding, open_table

HEADER = "公民身份号码,姓名,变动类型,变动日期\r\n"
ROW = "510202195001011234,张三,死亡,2024-03-15\r\n"


def _read(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    table = open_table(io.BytesIO(content))
    return table.header, list(table.rows), table.encoding


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_offices_save(encoding):
    header, rows, found = _read((HEADER + ROW + "\r\n" + ROW).encode(encoding))
    assert header == ["公民身份号码", "姓名", "变动类型", "变动日期"]
    assert rows == [(2, ["510202195001011234", "张三", "死亡", "2024-03-15"]), (4, rows[1][1])]
    assert found == ("utf-8" if encoding.startswith("utf-8") else "gb18030")


def test_gbk_and_utf8_are_told_apart_on_a_short_sample():
    assert detect_encoding("姓名".encode()) == "utf-8"
    assert detect_encoding("姓名".encode("gbk")) == "gb18030"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"  \r\n \r\n", "文件是空的"),
        (HEADER.encode("utf-16"), "UTF-16"),
        (b",,,\r\n" + ROW.encode(), "第 1 行应是列名"),
        (b"PK\x03\x04 not really a workbook", "XLSX 文件已损坏"),
    ],
)
def test_files_that_cannot_be_read_are_refused_whole(content, message):
    with pytest.raises(UnreadableFile, match=message):
        _read(content)


def test_bytes_of_another_encoding_past_the_sample_are_reported_by_line():
    rows = 30_000  # more than the megabyte the encoding is guessed from
    content = (HEADER + ROW * rows).encode() + "张三".encode("gbk") * 3 + b"\r\n"
    table = open_table(io.BytesIO(content))
    assert table.encoding == "utf-8"
    with pytest.raises(UnreadableFile, match=f"第 {rows + 2} 行有无法按文件编码（UTF-8）读取"):
        list(table.rows)


def _workbook(rows, formula=False) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    if formula:
        sheet.write_formula(len(rows), 3, "=SUM(D2:D3)")
    book.close()
    return out.getvalue()


def test_xlsx_first_sheet_with_numbers_as_the_user_typed_them():
    content = _workbook(
        [["证件号码", "姓名", "月收入额（元）"], ["510202195001011234", "张三", 3500], ["5102021950", "李四", 3500.5]]
    )
    header, rows, found = _read(content)
    assert header == ["证件号码", "姓名", "月收入额（元）"] and found == "xlsx"
    assert rows == [(2, ["510202195001011234", "张三", "3500"]), (3, ["5102021950", "李四", "3500.5"])]


def test_an_id_number_stored_as_a_number_keeps_the_sign_of_lost_digits():
    _header, rows, _found = _read(_workbook([["证件号码"], [510202195001011234]]))
    assert "E+" in rows[0][1][0]


def test_a_workbook_with_formulas_is_refused_naming_the_cells():
    with pytest.raises(UnreadableFile, match="表格含有公式（D3"):
        _read(_workbook([["证件号码", "姓名", "a", "b"], ["1", "2", "3", 4]], formula=True))


def test_a_first_row_that_is_data_is_refused():
    with pytest.raises(UnreadableFile, match="像是一行数据"):
        _read(ROW.encode())


def test_rows_start_where_their_quoted_cells_start_and_old_mac_files_are_named():
    _header, rows, _found = _read((HEADER + '510202195001011234,"张\r\n三",死亡,2024-03-15\r\n' + ROW).encode())
    assert [line for line, _cells in rows] == [2, 4]
    with pytest.raises(UnreadableFile, match="旧式 Mac 换行符"):
        _read((HEADER + ROW + ROW).replace("\r\n", "\r").encode())


def test_only_the_imported_sheet_is_checked_for_formulas_and_huge_sheets_are_refused():
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    data = book.add_worksheet("数据")
    data.write_row(0, 0, ["证件号码", "姓名"])
    data.write_row(1, 0, ["510202195001011234", "张三"])
    book.add_worksheet("汇总").write_formula(0, 0, "=COUNTA(数据!A:A)")
    book.close()
    header, rows, _found = _read(out.getvalue())
    assert header == ["证件号码", "姓名"] and len(rows) == 1
    wide = io.BytesIO()
    book = xlsxwriter.Workbook(wide, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["证件号码", "姓名"])
    sheet.write(3, 700, "stray")  # a stray cell far to the right
    book.close()
    with pytest.raises(UnreadableFile, match="超过可导入的大小"):
        _read(wide.getvalue())
