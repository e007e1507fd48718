"""From the columns of an uploaded table to checked records of a source (DOMAIN.md §3.5).

Pure. `match_columns` proposes which column holds which field (by header, spaces ignored);
`check_mapping` says what is missing before anything is read; `check_row` turns one row into a
record (ID numbers normalised to 18 characters, money in fen, dates as dates) or the problems of
its cells, in Chinese, naming the column as the file names it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.common.masking import mask_account_number, mask_id_number, mask_in_text
from jiuzhu.common.money import MoneyFormatError, yuan_to_fen
from jiuzhu.registry.rules.id_numbers import InvalidIdNumber, parse_id_number
from jiuzhu.registry.rules.person_facts import id_problem_message
from jiuzhu.verification.sources import Field, FieldKind

Mapping = dict[str, int]  # field key -> column index in the file
_SPACES = re.compile(r"\s+")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})月?$")
_AMBIGUOUS_MONTH = re.compile(r"^\d{4}\.\d$")
_BREAKS = re.compile(r"[\r\n]+")
_LONG_DIGITS = re.compile(r"\d{8,}")


@dataclass(frozen=True)
class CellProblem:
    column: str  # the header of the column in the file
    message: str


@dataclass(frozen=True)
class CheckedRow:
    values: dict[str, Any] | None  # None when the row has problems
    problems: list[CellProblem]


def _clean(header: str) -> str:
    return _SPACES.sub("", header).replace("(", "（").replace(")", "）")


def match_columns(header: list[str], fields: tuple[Field, ...]) -> Mapping:
    """The column each field is in, found by its label or aliases (first match wins)."""
    cleaned = [_clean(cell) for cell in header]
    mapping: Mapping = {}
    taken: set[int] = set()
    for field in fields:
        for name in field.headers:
            index = next((i for i, cell in enumerate(cleaned) if cell == _clean(name) and i not in taken), None)
            if index is not None:
                mapping[field.key] = index
                taken.add(index)
                break
    return mapping


def check_mapping(header: list[str], fields: tuple[Field, ...], mapping: Mapping) -> list[str]:
    """Problems that stop the whole file: required fields without a column, columns out of range,
    one column given to two fields, a header used twice."""
    problems = []
    missing = [field.label for field in fields if field.required and field.key not in mapping]
    if missing:
        problems.append(_("缺少必需的列：%(columns)s。") % {"columns": "、".join(missing)})
    if any(not 0 <= index < len(header) for index in mapping.values()):
        problems.append(_("列对应关系指向了文件中不存在的列，请重新选择。"))
    if len(set(mapping.values())) != len(mapping):
        problems.append(_("同一列被对应到了两个字段，请重新选择。"))
    used = [header[index] for index in mapping.values() if 0 <= index < len(header)]
    repeated = sorted({name for name in used if name and used.count(name) > 1})
    if repeated:
        problems.append(_("列名重复：%(columns)s。") % {"columns": "、".join(repeated)})
    return problems


def unused_columns(header: list[str], mapping: Mapping) -> list[str]:
    """Columns of the file that no field takes (reported, not imported)."""
    used = set(mapping.values())
    return [name or _("第 %(n)s 列") % {"n": index + 1} for index, name in enumerate(header) if index not in used]


def check_row(
    cells: list[str], header: list[str], fields: tuple[Field, ...], mapping: Mapping, *, today: datetime.date
) -> CheckedRow:
    """Messages never hold a full ID or account number: whatever a cell holds is quoted masked."""
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []
    if len(cells) > len(header) and any(cells[len(header) :]):
        problems.append(
            CellProblem(
                "",
                _("本行有 %(n)s 列，比表头多（可能有未加引号的逗号），未导入") % {"n": len(cells)},
            )
        )
    if any("\n" in cell and "," in cell for cell in cells):
        problems.append(CellProblem("", _("单元格内含换行和逗号，可能有未配对的引号，后面的行被并入了本行，未导入")))
    if problems:
        return CheckedRow(values=None, problems=problems)
    for field in fields:
        index = mapping.get(field.key)
        raw = cells[index].strip() if index is not None and index < len(cells) else ""
        column = header[index] if index is not None and index < len(header) else field.label
        if not raw:
            if field.required:
                problems.append(CellProblem(column, _("不能为空")))
            values[field.key] = None
            continue
        try:
            values[field.key] = parse_value(field, raw, today=today)
        except ValueError as error:
            problems.append(CellProblem(column, mask_in_text(str(error))))
    return CheckedRow(values=None if problems else values, problems=problems)


def parse_value(field: Field, raw: str, *, today: datetime.date) -> Any:
    """The cell's value, or ValueError with a Chinese message."""
    kind = field.kind
    if kind == FieldKind.ID_NUMBER:
        if "E+" in raw.upper() or re.fullmatch(r"\d+\.\d+", raw):
            raise ValueError(
                _("身份证号码被存成了数字（%(raw)s），末几位已丢失：请把这一列设为文本后重新导出") % {"raw": raw}
            )
        try:
            return parse_id_number(raw, today=today).number
        except InvalidIdNumber as error:  # shown masked, as everywhere (the line number finds the row)
            raise ValueError(f"{id_problem_message(error.problem)}（{mask_id_number(raw.strip())}）") from None
    if kind == FieldKind.ACCOUNT:
        digits = re.sub(r"[\s-]", "", raw)
        if not re.fullmatch(r"\d{6,30}", digits):
            shown = _LONG_DIGITS.sub(lambda m: mask_account_number(m.group()), raw)  # any length, masked
            raise ValueError(_("账号“%(raw)s”不是有效的账号（应为 6 至 30 位数字）") % {"raw": shown})
        return digits
    if kind == FieldKind.TEXT:
        return _BREAKS.sub(" ", raw)[:200]
    if kind == FieldKind.MONEY:
        try:
            return yuan_to_fen(raw.removesuffix("元"))
        except MoneyFormatError:
            raise ValueError(_("金额“%(raw)s”不是有效的数字（元，最多两位小数）") % {"raw": raw}) from None
    if kind == FieldKind.DECIMAL:
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("“%(raw)s”不是数字") % {"raw": raw}) from None
        if not value.is_finite() or value < 0:
            raise ValueError(_("“%(raw)s”不是有效的非负数") % {"raw": raw})
        if value >= 10**15:
            raise ValueError(_("“%(raw)s”过大，不是有效的数值") % {"raw": raw})
        return value
    if kind == FieldKind.DATE:
        return _date(raw)
    if kind == FieldKind.MONTH:
        return _month(raw)
    if kind == FieldKind.CHOICE:
        word = _SPACES.sub("", raw)
        for stored, words in field.choices:
            if word == stored or word in words:
                return stored
        allowed = "、".join(words[0] for _stored, words in field.choices)
        raise ValueError(_("“%(raw)s”不是可用的值（可填：%(allowed)s）") % {"raw": raw, "allowed": allowed})
    raise AssertionError(kind)  # pragma: no cover - every kind is handled above


def _date(raw: str) -> datetime.date:
    text = raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}T", raw) else raw
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    try:
        if match is None:
            raise ValueError
        return datetime.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise ValueError(_("日期“%(raw)s”无法识别（应为 2024-03-15 或 2024年3月15日）") % {"raw": raw}) from None


def _month(raw: str) -> datetime.date:
    if _AMBIGUOUS_MONTH.match(raw):  # Excel keeps 2024.10 as the number 2024.1
        raise ValueError(
            _("月份“%(raw)s”有歧义（Excel 会把 2024.10 存成 2024.1），请写成 2024-10 或 2024年10月") % {"raw": raw}
        )
    match = _MONTH.match(raw)
    if match is None:
        try:
            return _date(raw).replace(day=1)
        except ValueError:
            raise ValueError(_("月份“%(raw)s”无法识别（应为 2024-03 或 2024年3月）") % {"raw": raw}) from None
    try:
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ValueError(_("月份“%(raw)s”无法识别（应为 2024-03 或 2024年3月）") % {"raw": raw}) from None
