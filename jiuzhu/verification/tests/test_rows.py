"""Columns found by their headers, missing ones named, each cell checked with a Chinese message that
names the column as the file does; ID numbers normalised (15 to 18 digits)."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.verification.rules.rows import check_mapping, check_row, match_columns, unused_columns
from jiuzhu.verification.sources import DatasetSource, fields_of

TODAY = datetime.date(2026, 11, 1)
ID18 = make_id_number("510202", datetime.date(1950, 1, 1), 123)
ID15 = ID18[:6] + ID18[8:17]  # the same person's first-generation number


def test_columns_found_by_label_or_alias_in_any_order_spaces_ignored():
    fields = fields_of(DatasetSource.TAX_WAGES)
    header = ["序号", "月收入额(元)", "姓 名", "身份证号码", "单位名称", "所属期"]
    mapping = match_columns(header, fields)
    assert mapping == {"id_number": 3, "name": 2, "employer": 4, "monthly_income_fen": 1, "period": 5}
    assert check_mapping(header, fields, mapping) == []
    assert unused_columns(header, mapping) == ["序号"]


def test_missing_required_columns_are_named_before_anything_is_read():
    fields = fields_of(DatasetSource.HUKOU)
    header = ["姓名", "身份证号"]
    problems = check_mapping(header, fields, match_columns(header, fields))
    assert problems == ["缺少必需的列：变动类型、变动日期。"]


def test_a_column_given_to_two_fields_or_out_of_range_is_refused():
    fields = fields_of(DatasetSource.DEPOSITS)
    header = ["身份证号", "余额"]
    assert "同一列被对应到了两个字段" in " ".join(check_mapping(header, fields, {"id_number": 0, "balance_fen": 0}))
    assert "不存在的列" in " ".join(check_mapping(header, fields, {"id_number": 0, "balance_fen": 5}))


def test_a_good_row_becomes_typed_values():
    fields = fields_of(DatasetSource.HUKOU)
    header = ["公民身份号码", "姓名", "变动类型", "变动日期"]
    checked = check_row(
        [ID15, "张三", "死亡注销", "2024年3月5日"], header, fields, match_columns(header, fields), today=TODAY
    )
    assert checked.problems == []
    assert checked.values == {
        "id_number": ID18,
        "name": "张三",
        "event": "death",
        "event_date": datetime.date(2024, 3, 5),
    }


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ([ID18[:-1] + ("0" if ID18[-1] != "0" else "1"), "张三", "死亡", "2024-03-05"], "公民身份号码", "校验"),
        (["5.10202195001011E+17", "张三", "死亡", "2024-03-05"], "公民身份号码", "存成了数字"),
        ([ID18, "张三", "离婚", "2024-03-05"], "变动类型", "不是可用的值（可填：死亡、迁出）"),
        ([ID18, "张三", "死亡", "2024-02-30"], "变动日期", "日期“2024-02-30”无法识别"),
        ([ID18, "张三", "", "2024-03-05"], "变动类型", "不能为空"),
    ],
)
def test_each_bad_cell_is_named_by_its_column(cells, column, message):
    fields = fields_of(DatasetSource.HUKOU)
    header = ["公民身份号码", "姓名", "变动类型", "变动日期"]
    checked = check_row(cells, header, fields, match_columns(header, fields), today=TODAY)
    assert checked.values is None
    assert [problem.column for problem in checked.problems] == [column]
    assert message in checked.problems[0].message


def test_money_months_and_decimals():
    fields = fields_of(DatasetSource.TAX_WAGES)
    header = ["纳税人证件号码", "月收入额（元）", "所属期"]
    mapping = match_columns(header, fields)
    good = check_row([ID18, "3,500.50元", "2026年10月"], header, fields, mapping, today=TODAY)
    assert good.values is not None
    assert good.values["monthly_income_fen"] == 350050 and good.values["period"] == datetime.date(2026, 10, 1)
    bad = check_row([ID18, "三千五", "2026-13"], header, fields, mapping, today=TODAY)
    assert [p.column for p in bad.problems] == ["月收入额（元）", "所属期"]
    area = check_row(
        [ID18, "权证1", "-5"],
        ["证件号码", "不动产权证号", "面积"],
        fields_of("real_estate"),
        {"id_number": 0, "certificate": 1, "area_m2": 2},
        today=TODAY,
    )
    assert "非负数" in area.problems[0].message


def test_a_wrong_id_number_is_shown_masked():
    fields = fields_of(DatasetSource.DEPOSITS)
    wrong = ID18[:-1] + ("0" if ID18[-1] != "0" else "1")
    checked = check_row([wrong, "100"], ["证件号码", "余额"], fields, {"id_number": 0, "balance_fen": 1}, today=TODAY)
    assert wrong not in checked.problems[0].message
    assert f"{wrong[:6]}********{wrong[-4:]}" in checked.problems[0].message


def test_cells_quoted_in_messages_are_masked_and_suspect_rows_refused():
    fields = fields_of(DatasetSource.DEPOSITS)
    header = ["证件号码", "余额"]
    mapping = {"id_number": 0, "balance_fen": 1}
    shifted = check_row([ID18, "6228480012345678901"], header, fields, mapping, today=TODAY)
    assert "6228480012345678901" not in shifted.problems[0].message and "8901" in shifted.problems[0].message
    wider = check_row([ID18, "100", "多出的一列"], header, fields, mapping, today=TODAY)
    assert wider.values is None and "比表头多" in wider.problems[0].message
    swallowed = check_row([ID18, "100\n510202,200"], header, fields, mapping, today=TODAY)
    assert swallowed.values is None and "未配对的引号" in swallowed.problems[0].message


def test_a_bad_account_number_is_quoted_masked_whatever_its_length():
    fields = fields_of(DatasetSource.DEPOSITS)
    header = ["证件号码", "账号", "余额"]
    mapping = {"id_number": 0, "account": 1, "balance_fen": 2}
    for account in ("6217000012345678（已销户）", "62170000123456789012345678901234"):
        checked = check_row([ID18, account, "100"], header, fields, mapping, today=TODAY)
        message = checked.problems[0].message
        assert checked.problems[0].column == "账号" and "12345678" not in message, message


def test_ambiguous_months_huge_areas_and_line_breaks_in_text():
    wages = fields_of(DatasetSource.TAX_WAGES)
    header = ["证件号码", "月收入额（元）", "所属期"]
    mapping = match_columns(header, wages)
    assert "有歧义" in check_row([ID18, "100", "2024.1"], header, wages, mapping, today=TODAY).problems[0].message
    estate = fields_of(DatasetSource.REAL_ESTATE)
    mapping = {"id_number": 0, "certificate": 1, "area_m2": 2, "location": 3}
    huge = check_row([ID18, "证1", "1E+20", "x"], ["证件号码", "权证号", "面积", "坐落"], estate, mapping, today=TODAY)
    assert "过大" in huge.problems[0].message
    good = check_row(
        [ID18, "证1", "90", "新宁镇\n东环路"], ["证件号码", "权证号", "面积", "坐落"], estate, mapping, today=TODAY
    )
    assert good.values is not None and good.values["location"] == "新宁镇 东环路"
