import io
from decimal import Decimal

import openpyxl
import pytest

from jiuzhu.payments.bank_layout import BankRow, Encoding, FileFormat, Layout, UnencodableRows, render


def row(seq, name="张三", amount_fen=21600, **kwargs):
    values = {
        "seq": seq, "reference": f"7-{seq}", "holder_name": name, "id_number": "51172319500101123X",
        "account_number": "6228480012345678901", "bank_name": "开江县农村信用合作联社", "amount_fen": amount_fen,
        "period": "2012年第1季度", "village": "凤凰村", "remark": "农村低保2012年第1季度",
    }  # fmt: skip
    values.update(kwargs)
    return BankRow(**values)


def test_csv_in_gbk_with_header_and_totals():
    content = render([row(1), row(2, "李四", 7200)], Layout(encoding=Encoding.GBK))
    lines = content.decode("gbk").splitlines()
    assert lines[0] == "序号,流水号,户名,身份证号,账号,开户行,金额（元）,发放期间,摘要"
    cells = ["1", "7-1", "张三", "51172319500101123X", "6228480012345678901", "开江县农村信用合作联社", "216.00"]
    expected = ",".join([*cells, "2012年第1季度", "农村低保2012年第1季度"])
    assert lines[1] == expected
    assert lines[3] == "合计 2 笔,,,,,,288.00,,"


def test_utf8_csv_starts_with_a_bom_and_can_leave_out_header_and_totals():
    content = render([row(1)], Layout(columns=("account", "amount"), header=False, totals=False))
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig") == "6228480012345678901,216.00\r\n"


def test_a_rare_character_gbk_cannot_write_is_reported_and_gb18030_writes_it():
    rare = row(2, "王𠮷")
    with pytest.raises(UnencodableRows) as error:
        render([row(1), rare], Layout(encoding=Encoding.GBK))
    assert error.value.rows == [(2, "王𠮷")]
    assert "王𠮷" in render([rare], Layout(encoding=Encoding.GB18030)).decode("gb18030")


def test_xlsx_keeps_numbers_as_text_amounts_as_numbers_and_neutralises_formulas():
    content = render([row(1, "=HYPERLINK(1)"), row(2)], Layout(file_format=FileFormat.XLSX))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    values = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert values[0][:3] == ["序号", "流水号", "户名"]
    assert values[1][2] == "'=HYPERLINK(1)"
    assert values[1][3] == "51172319500101123X" and sheet.cell(2, 4).number_format == "@"
    assert values[1][4] == "6228480012345678901"
    assert Decimal(str(values[1][6])) == Decimal("216.00") and values[3][6] == 432


def test_layout_problems():
    assert Layout(columns=("name", "colour")).problems() == [
        "未知的列：colour",
        "银行文件必须有金额列。",
        "银行文件必须有账号或流水号列，回盘才能对应。",
    ]
    assert Layout().problems() == []
