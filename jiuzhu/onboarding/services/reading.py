"""The batch's file, read again whenever it is checked or applied (the file is the truth, kept
encrypted): each row checked cell by cell, the rows grouped into households, each household planned
(`onboarding.rules`). The same reading, column matching and cell checks as the agencies' files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.common.masking import mask_id_number, mask_in_text
from jiuzhu.common.sensitive import lookup_digest
from jiuzhu.onboarding.fields import FIELDS, HOUSEHOLD_KEY, ID_NUMBER, NAME, RELATION
from jiuzhu.onboarding.models import OnboardingBatch
from jiuzhu.onboarding.rules import (
    MAX_KEY_LENGTH,
    HouseholdPlan,
    Problem,
    SheetRow,
    group_rows,
    mapping_problems,
    plan_household,
)
from jiuzhu.verification.rules.reading import UnreadableFile, open_table
from jiuzhu.verification.rules.rows import check_row
from jiuzhu.verification.services.imports import plain_copy, to_indexes

PROGRESS_EVERY = 1_000


@dataclass(frozen=True)
class Group:
    """One household of the file: its plan, or the problems that keep it out; its rows as shown."""

    key: str  # as the file has it (may be an ID number: shown masked, stored as its digest)
    first_line: int
    plan: HouseholdPlan | None
    problems: list[Problem]
    rows: list[dict[str, object]]  # {line, name, id_masked, relation}: the dry run's table

    @property
    def shown_key(self) -> str:
        return mask_in_text(self.key)[:MAX_KEY_LENGTH]

    @property
    def key_digest(self) -> str:
        return lookup_digest(self.key)  # keyed: the key may be an ID number


@dataclass(frozen=True)
class ReadFile:
    encoding: str
    row_count: int
    groups: list[Group]


def read_batch(batch: OnboardingBatch, progress: Callable[[int], None] | None = None) -> ReadFile:
    """UnreadableFile (with the reason in Chinese) when the file or its columns cannot be used."""
    today = timezone.localdate()
    with plain_copy(batch.stored_file) as plain:
        table = open_table(plain)
        mapping = to_indexes(table.header, batch.columns)
        problems = mapping_problems(table.header, mapping)
        if problems:
            raise UnreadableFile(" ".join(problems))
        rows: list[SheetRow] = []
        key_of: dict[int, str] = {}
        shown: dict[int, dict[str, object]] = {}
        key_column = batch.columns.get(HOUSEHOLD_KEY.key, HOUSEHOLD_KEY.label)
        previous = ""
        for line, cells in table.rows:
            checked = check_row(cells, table.header, FIELDS, mapping, today=today)
            row_problems = [Problem(line, p.column, p.message) for p in checked.problems]
            # A blank 户编号 continues the household above: ledgers merge that cell over a household's rows.
            key = _cell(cells, mapping.get(HOUSEHOLD_KEY.key)) or previous
            if not key:
                key = _("（第 %(line)s 行）") % {"line": line}
                row_problems.append(Problem(line, key_column, _("未填户编号（同一户的各行填相同的户编号）")))
            elif len(key) > MAX_KEY_LENGTH:
                row_problems.append(Problem(line, key_column, _("户编号不能超过 %(n)s 个字") % {"n": MAX_KEY_LENGTH}))
            previous = key
            rows.append(SheetRow(line=line, values=checked.values, problems=tuple(row_problems)))
            key_of[line] = key
            shown[line] = {"line": line, **_shown(cells, mapping)}
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows))
    if not rows:
        raise UnreadableFile(_("文件只有列名，没有数据行。"))
    groups = []
    for key, group_rows_ in group_rows(rows, key_of).items():
        plan, group_problems = plan_household(key, group_rows_, columns=batch.columns, go_live=batch.go_live)
        groups.append(
            Group(
                key=key,
                first_line=group_rows_[0].line,
                plan=plan,
                problems=group_problems,
                rows=[shown[row.line] for row in group_rows_],
            )
        )
    return ReadFile(encoding=table.encoding, row_count=len(rows), groups=groups)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _shown(cells: list[str], mapping: dict[str, int]) -> dict[str, object]:
    """What the dry run's table shows of a row: never the full ID number."""
    raw_id = _cell(cells, mapping.get(ID_NUMBER.key))
    return {
        "name": _cell(cells, mapping.get(NAME.key))[:64],
        "id_masked": mask_id_number(raw_id) if raw_id else "",
        "relation": _cell(cells, mapping.get(RELATION.key))[:16],
    }
