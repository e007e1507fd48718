"""The payment roster (发放花名册) of each village: one row per household, its lines summed, in
the villages of the actor's subtree (printed for signatures by `payments.documents`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jiuzhu.payments.access import payroll_lines_visible_to
from jiuzhu.payments.choices import PayrollLineKind
from jiuzhu.payments.models import Payroll


@dataclass(frozen=True)
class RosterRow:
    household_id: int
    head_name: str
    account_masked: str
    months: str  # "2012-01至2012-03"
    kinds: str  # the kinds other than regular, for the remark ("补发、结转")
    amount_fen: int


@dataclass(frozen=True)
class VillageRoster:
    code: str
    name: str
    rows: list[RosterRow]

    @property
    def total_fen(self) -> int:
        return sum(row.amount_fen for row in self.rows)


def roster_households(*, actor: Any, payroll: Payroll, region_code: str = "") -> int:
    """How many households `payroll_roster` would list (to decide whether it is made in the background)."""
    lines = payroll_lines_visible_to(actor, payroll)
    if region_code:
        lines = lines.filter(region__code__startswith=region_code)
    return lines.values("household_id").distinct().count()


def payroll_roster(*, actor: Any, payroll: Payroll, region_code: str = "") -> list[VillageRoster]:
    """The payroll as village rosters (发放名册, for signatures): one row per household, its lines
    summed, in the villages of the actor's subtree (or of `region_code` within it)."""
    labels = dict(PayrollLineKind.choices)
    lines = payroll_lines_visible_to(actor, payroll)
    if region_code:
        lines = lines.filter(region__code__startswith=region_code)
    grouped: dict[tuple[str, str], dict[int, list[Any]]] = {}
    for code, name, household_id, head, masked, month, kind, amount in lines.order_by(
        "region__code", "household_id", "month", "pk"
    ).values_list(
        "region__code", "region__name", "household_id", "household__head_name",
        "household__account_number_masked", "month", "kind", "amount_fen",
    ):  # fmt: skip
        row = grouped.setdefault((code, name), {}).setdefault(household_id, [head, masked, [], set(), 0])
        row[2].append(month)
        if kind != PayrollLineKind.REGULAR:
            row[3].add(str(labels.get(kind, kind)))
        row[4] += amount
    rosters = []
    for (code, name), households in grouped.items():
        rows = [
            RosterRow(
                household_id=household_id,
                head_name=head,
                account_masked=masked,
                months=_months_text(months),
                kinds="、".join(sorted(kinds)),
                amount_fen=total,
            )
            for household_id, (head, masked, months, kinds, total) in households.items()
        ]
        rosters.append(VillageRoster(code=code, name=name, rows=rows))
    return rosters


def _months_text(months: list[Any]) -> str:
    first, last = min(months), max(months)
    return f"{first:%Y-%m}" if first == last else f"{first:%Y-%m}至{last:%Y-%m}"
