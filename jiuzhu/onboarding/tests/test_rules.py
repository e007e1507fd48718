"""Planning households from checked rows (pure): one head, household columns from the head's row,
a dibao case only whole, Chinese problems naming the row and the column."""

from __future__ import annotations

import datetime
from decimal import Decimal

from jiuzhu.onboarding.rules import AmountCheck, SheetRow, amount_check, group_rows, plan_household

GO_LIVE = datetime.date(2026, 6, 1)
COLUMNS = {"relation": "与户主关系", "village": "所属村（社区）", "amount": "月保障金额（元）"}


def _row(line, relation="head", **values):
    base = {
        "household_key": "1", "name": f"人{line}", "id_number": f"ID{line}", "relation": relation,
        "village": None, "hukou_type": None, "address": None, "phone": None, "work_ability": None,
        "disability_category": None, "disability_grade": None, "bank_name": None, "account_holder": None,
        "account_number": None, "program": None, "member_count": None, "amount": None, "first_month": None,
        "approved_on": None, "note": None,
    }  # fmt: skip
    if relation == "head":
        base.update(village="凤凰村", hukou_type="rural", address="凤凰村一组")
    base.update(values)
    return SheetRow(line=line, values=base)


def test_a_household_with_its_case_is_planned_from_the_heads_row():
    rows = [
        _row(2, program="dibao_rural", amount=18000, first_month=datetime.date(2019, 3, 1)),
        _row(3, "spouse", disability_category="physical", disability_grade="2"),
        _row(4, "child", village="凤凰村"),  # repeating the head's value is fine
    ]
    plan, problems = plan_household("1", rows, columns=COLUMNS, go_live=GO_LIVE)
    assert problems == [] and plan is not None
    assert plan.head.line == 2 and plan.lines == (2, 3, 4) and plan.village == "凤凰村"
    assert plan.case is not None
    assert (plan.case.amount_fen, plan.case.member_count) == (18000, 3)
    assert plan.case.approved_on == datetime.date(2019, 3, 1)  # defaults to the first month
    assert plan.members[1].disability_grade == 2


def test_heads_and_household_columns_are_checked_by_row_and_column():
    _plan, problems = plan_household("1", [_row(2, "spouse"), _row(3, "child")], columns=COLUMNS, go_live=GO_LIVE)
    assert [(p.line, p.column, p.message) for p in problems] == [(2, "与户主关系", "本户没有户主行")]
    _plan, problems = plan_household("1", [_row(2), _row(3)], columns=COLUMNS, go_live=GO_LIVE)
    assert problems[0].message == "本户有 2 名户主，一户只能有一名户主"
    _plan, problems = plan_household(
        "1", [_row(2), _row(3, "spouse", village="石桥村")], columns=COLUMNS, go_live=GO_LIVE
    )
    assert [(p.line, p.column) for p in problems] == [(3, "所属村（社区）")]
    assert "第 2 行" in problems[0].message
    _plan, problems = plan_household("1", [_row(2, village=None, address=None)], columns=COLUMNS, go_live=GO_LIVE)
    assert [p.message for p in problems] == ["户主行须填写所属村（社区）", "户主行须填写家庭住址"]


def test_a_case_is_planned_only_whole():
    def problems_of(**values):
        return [p.message for p in plan_household("1", [_row(2, **values)], columns=COLUMNS, go_live=GO_LIVE)[1]]

    assert problems_of(amount=18000) == ["填写了月保障金额（元），但未填写保障类别"]
    assert problems_of(program="dibao_rural") == ["在保家庭须填写此项", "在保家庭须填写此项"]
    assert problems_of(program="dibao_rural", amount=0, first_month=datetime.date(2019, 3, 1)) == [
        "月保障金额应大于 0 且不超过 100000 元"
    ]
    assert problems_of(program="dibao_rural", amount=100, first_month=datetime.date(2026, 7, 1)) == [
        "起始发放年月晚于本系统开始发放的月份（2026年6月）"
    ]
    assert problems_of(
        program="dibao_rural", amount=100, first_month=datetime.date(2019, 3, 1), member_count=Decimal("2")
    ) == ["保障人数应为 1 至 1 之间的整数（本户 1 人）"]
    assert problems_of(account_number="6228480012345678901") == ["填写银行账号时须填写开户银行"]


def test_cell_problems_keep_the_household_out_and_rows_are_grouped_in_file_order():
    bad = SheetRow(line=3, values=None, problems=())
    rows = [_row(2), bad, _row(4)]
    groups = group_rows(rows, {2: "A", 3: "B", 4: "A"})
    assert list(groups) == ["A", "B"] and [r.line for r in groups["A"]] == [2, 4]


def test_an_amount_is_judged_against_the_standard_times_the_persons():
    assert amount_check(14400, 7200, 2) == AmountCheck.WITHIN
    assert amount_check(14401, 7200, 2) == AmountCheck.ABOVE
    assert amount_check(28800, 7200, 2) == AmountCheck.ABOVE
    assert amount_check(28801, 7200, 2) == AmountCheck.TYPO
