import io

import pytest
import xlsxwriter

from jiuzhu.payments.bank_return import ReturnFileError, parse_return


def test_a_gbk_csv_with_columns_in_any_order_and_a_totals_line():
    text = (
        "户名,处理结果,金额,流水号,账号,失败原因\r\n"
        "张三,成功,216.00,7-1,6228 4800 1234 5678 901,\r\n"
        "李四,失败,72.00,7-2,6228480012345678902,账户已冻结\r\n"
        "合计 2 笔,,288.00,,,\r\n"
    )
    parsed = parse_return(text.encode("gbk"))
    assert parsed.problems == []
    assert [(r.line, r.reference, r.account, r.amount_fen, r.paid, r.reason) for r in parsed.rows] == [
        (2, "7-1", "6228480012345678901", 21600, True, ""),
        (3, "7-2", "6228480012345678902", 7200, False, "账户已冻结"),
    ]


def test_rows_that_cannot_be_read_are_reported_by_line():
    text = "流水号,金额,结果\n7-1,二百,成功\n7-2,72.00,处理中\n7-3,72.00,成功\n"
    parsed = parse_return(text.encode("utf-8"))
    assert parsed.problems == [
        "第 2 行：金额“二百”无法识别，未处理。",
        "第 3 行：处理结果“处理中”无法识别（应为“成功”或“失败”），未处理。",
    ]
    assert [r.reference for r in parsed.rows] == ["7-3"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        ("流水号,金额,结果\n7-1,1.00,成功\n".encode("utf-16"), "编码无法识别"),
        ("姓名,身份证号\n张三,1\n".encode(), "找不到必需的列：流水号或账号、金额、处理结果"),
        (b"PK\x03\x04 not really a workbook", "XLSX 文件无法读取"),
    ],
)
def test_files_that_cannot_be_read_at_all(content, message):
    with pytest.raises(ReturnFileError) as error:
        parse_return(content)
    assert message in str(error.value)


def test_an_xlsx_return_file():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["流水号", "账号", "金额（元）", "处理结果", "失败原因"])
    sheet.write_row(1, 0, ["7-1", "6228480012345678901", 216, "成功", ""])
    sheet.write_row(2, 0, ["7-2", "6228480012345678902", 72.5, "失败", "户名不符"])
    workbook.close()
    parsed = parse_return(buffer.getvalue())
    assert [(r.reference, r.account, r.amount_fen, r.paid) for r in parsed.rows] == [
        ("7-1", "6228480012345678901", 21600, True),
        ("7-2", "6228480012345678902", 7250, False),
    ]
