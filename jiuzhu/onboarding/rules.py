"""From the checked rows of an onboarding spreadsheet to one plan per household, or the problems
that keep it out (pure: the services look up villages and the registry).

A household is the rows sharing a 户编号. It needs exactly one head; its household columns come from
the head's row, and another row that fills one must repeat it exactly. A dibao case needs the
category, the monthly amount and the first payment month together; the approval date defaults to the
first of that month and the covered persons to everyone in the household.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.onboarding.fields import (
    AMOUNT,
    CASE_FIELDS,
    FIELDS,
    FIRST_MONTH,
    HOUSEHOLD_FIELDS,
    MEMBER_COUNT,
    PROGRAM,
    REQUIRED_COLUMNS,
)
from jiuzhu.registry.choices import Relation, Supporter, WorkAbility
from jiuzhu.verification.rules.rows import check_mapping
from jiuzhu.verification.sources import Field

MAX_AMOUNT_FEN = 10_000_000  # 100,000 yuan a month: beyond any standard, a typing error
# The registry's column sizes: a longer cell is named in the dry run, never cut or refused later.
MAX_LENGTHS = {"name": 64, "phone": 32, "bank_name": 64, "account_holder": 64, "address": 200, "village": 64}
MAX_KEY_LENGTH = 100
TYPO_FACTOR = 2  # an amount above twice the standard times the persons is taken for a typing error


class AmountCheck(StrEnum):
    WITHIN = "within"
    ABOVE = "above"  # above the standard times the covered persons: noted, to be looked at
    TYPO = "typo"  # above twice that: refused


def amount_check(amount_fen: int, standard_fen: int, member_count: int) -> AmountCheck:
    """A ledger's monthly amount against the standard times the covered persons (category supplements
    may lift an amount above it; twice it is a misplaced decimal point, not a supplement)."""
    ceiling = standard_fen * member_count
    if amount_fen > TYPO_FACTOR * ceiling:
        return AmountCheck.TYPO
    return AmountCheck.ABOVE if amount_fen > ceiling else AmountCheck.WITHIN


@dataclass(frozen=True)
class Problem:
    line: int
    column: str  # the header of the column in the file ("" for the row or the household)
    message: str


@dataclass(frozen=True)
class SheetRow:
    line: int
    values: dict[str, Any] | None  # None when a cell of the row has a problem
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class MemberPlan:
    line: int
    name: str
    id_number: str
    relation: str
    work_ability: str
    disability_category: str
    disability_grade: int | None
    supporter: str = Supporter.ABLE


@dataclass(frozen=True)
class CasePlan:
    program_code: str
    amount_fen: int
    first_month: datetime.date
    approved_on: datetime.date
    member_count: int


@dataclass(frozen=True)
class HouseholdPlan:
    key: str
    lines: tuple[int, ...]
    village: str
    hukou_type: str
    address: str
    phone: str
    bank_name: str
    account_holder: str
    account_number: str
    members: tuple[MemberPlan, ...]
    case: CasePlan | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def head(self) -> MemberPlan:
        return next(m for m in self.members if m.relation == Relation.HEAD)


def mapping_problems(header: list[str], mapping: dict[str, int]) -> list[str]:
    """What stops the whole file: the verification reader's checks, and the 户编号 column."""
    problems = check_mapping(header, FIELDS, mapping)
    missing = [f.label for f in REQUIRED_COLUMNS if f.key not in mapping]
    if missing:
        problems.insert(0, _("缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})
    return problems


def group_rows(rows: Iterable[SheetRow], key_of: dict[int, str]) -> dict[str, list[SheetRow]]:
    """The rows of each household, by 户编号 (`key_of` maps a line to its key), in file order."""
    groups: dict[str, list[SheetRow]] = {}
    for row in rows:
        groups.setdefault(key_of[row.line], []).append(row)
    return groups


def plan_household(
    key: str, rows: list[SheetRow], *, columns: dict[str, str], go_live: datetime.date
) -> tuple[HouseholdPlan | None, list[Problem]]:
    """`columns` names the file's column of each field (for the messages)."""
    problems = [p for row in rows for p in row.problems]
    if problems:
        return None, problems
    valued = [(row.line, row.values or {}) for row in rows]
    heads = [(line, values) for line, values in valued if values["relation"] == Relation.HEAD]
    first_line = rows[0].line
    if len(heads) != 1:
        message = _("本户没有户主行") if not heads else _("本户有 %(n)s 名户主，一户只能有一名户主") % {"n": len(heads)}
        return None, [Problem(first_line, columns.get("relation", ""), message)]
    head_line, head = heads[0]

    def column(f: Field) -> str:
        return columns.get(f.key, f.label)

    for line, values in valued:
        for name, limit in MAX_LENGTHS.items():
            value = values.get(name)
            if isinstance(value, str) and len(value) > limit:
                label = columns.get(name, name)
                problems.append(
                    Problem(line, label, _("不能超过 %(n)s 个字（现有 %(m)s 个）") % {"n": limit, "m": len(value)})
                )

    for line, values in valued:
        if line == head_line:
            continue
        for f in HOUSEHOLD_FIELDS:
            if values.get(f.key) is not None and values[f.key] != head.get(f.key):
                problems.append(
                    Problem(
                        line,
                        column(f),
                        _("与户主所在的第 %(line)s 行不一致（户信息以户主行为准）") % {"line": head_line},
                    )
                )
    for f, message in (
        (HOUSEHOLD_FIELDS[0], _("户主行须填写所属村（社区）")),
        (HOUSEHOLD_FIELDS[1], _("户主行须填写户籍类型（城镇或农村）")),
        (HOUSEHOLD_FIELDS[2], _("户主行须填写家庭住址")),
    ):
        if not head.get(f.key):
            problems.append(Problem(head_line, column(f), message))
    if head.get("account_number") and not head.get("bank_name"):
        problems.append(Problem(head_line, columns.get("bank_name", "开户银行"), _("填写银行账号时须填写开户银行")))
    case, case_problems = _case_plan(head, head_line, len(rows), column, go_live)
    problems.extend(case_problems)
    if problems:
        return None, problems
    members = tuple(
        MemberPlan(
            line=line,
            name=values["name"],
            id_number=values["id_number"],
            relation=values["relation"],
            work_ability=values.get("work_ability") or WorkAbility.FULL,
            disability_category=values.get("disability_category") or "",
            disability_grade=int(values["disability_grade"]) if values.get("disability_grade") else None,
            supporter=values.get("supporter") or Supporter.ABLE,
        )
        for line, values in valued
    )
    notes = tuple(str(values["note"]) for _line, values in valued if values.get("note"))
    plan = HouseholdPlan(
        key=key, lines=tuple(line for line, _values in valued), village=str(head["village"]),
        hukou_type=str(head["hukou_type"]), address=str(head["address"]), phone=head.get("phone") or "",
        bank_name=head.get("bank_name") or "", account_holder=head.get("account_holder") or "",
        account_number=head.get("account_number") or "", members=members, case=case, notes=notes,
    )  # fmt: skip
    return plan, []


def _case_plan(
    head: dict[str, Any], line: int, size: int, column: Any, go_live: datetime.date
) -> tuple[CasePlan | None, list[Problem]]:
    given = [f for f in CASE_FIELDS if head.get(f.key) is not None]
    if not given:
        return None, []
    problems = []
    if head.get(PROGRAM.key) is None:
        names = "、".join(column(f) for f in given)
        return None, [Problem(line, column(PROGRAM), _("填写了%(columns)s，但未填写保障类别") % {"columns": names})]
    for f in (AMOUNT, FIRST_MONTH):
        if head.get(f.key) is None:
            problems.append(Problem(line, column(f), _("在保家庭须填写此项")))
    amount = head.get(AMOUNT.key)
    if amount is not None and not 0 < amount <= MAX_AMOUNT_FEN:
        problems.append(Problem(line, column(AMOUNT), _("月保障金额应大于 0 且不超过 100000 元")))
    first_month = head.get(FIRST_MONTH.key)
    go_live_month = go_live.replace(day=1)
    if first_month is not None and first_month > go_live_month:
        problems.append(
            Problem(line, column(FIRST_MONTH), _("起始发放年月晚于本系统开始发放的月份（%(month)s）")
                    % {"month": f"{go_live.year}年{go_live.month}月"})
        )  # fmt: skip
    given_approval: datetime.date | None = head.get("approved_on")
    approved_on = given_approval or first_month
    if given_approval is not None and given_approval > go_live:
        problems.append(Problem(line, column(CASE_FIELDS[4]), _("批准日期晚于建档日期")))
    count: Decimal | None = head.get(MEMBER_COUNT.key)
    member_count = size
    if count is not None:
        if count != count.to_integral_value() or not 1 <= count <= size:
            problems.append(
                Problem(
                    line, column(MEMBER_COUNT), _("保障人数应为 1 至 %(n)s 之间的整数（本户 %(n)s 人）") % {"n": size}
                )
            )
        else:
            member_count = int(count)
    if problems:
        return None, problems
    assert amount is not None and first_month is not None and approved_on is not None
    return CasePlan(
        program_code=str(head[PROGRAM.key]), amount_fen=amount, first_month=first_month, approved_on=approved_on,
        member_count=member_count,
    ), []  # fmt: skip
