"""The monthly statistics report (民政统计月报), read from month-end snapshots: per area one level
below the region (down to villages), per programme, the month's figures and the year's to date."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.lowincome.rules import NEAR_POOR_LINE_NAMES
from jiuzhu.programs.models import DIBAO_PROGRAMS, Program
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.regions.models import CODE_LENGTH_BY_LEVEL, Region
from jiuzhu.regions.scoping import is_within, subtree_q
from jiuzhu.reports.models import MonthSnapshot, SnapshotArea, SnapshotCase, SnapshotStatus
from jiuzhu.reports.regions import region_of
from jiuzhu.reports.rules import Figures, total

FIGURES = [f.name for f in fields(Figures)]
# The figures that add up over months (year to date); the others are the state at the month's end.
FLOWS = (
    "paid_fen", "new_households", "new_persons", "changed_households", "changed_persons", "stopped_households",
    "stopped_persons",
)  # fmt: skip


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    month: dict[str, Figures]  # programme code -> figures
    year: dict[str, Figures]  # programme code -> the flows summed from January

    def figures(self, program: str) -> Figures:
        return self.month.get(program, Figures())

    def to_date(self, program: str) -> Figures:
        return self.year.get(program, Figures())


@dataclass(frozen=True)
class MonthlyReport:
    region: Region
    month: datetime.date
    snapshot: MonthSnapshot | None
    programs: list[tuple[str, str]]  # (code, name)
    rows: list[AreaRow]
    total: AreaRow
    missing_months: list[datetime.date] = field(default_factory=list)  # months of the year without a snapshot

    @property
    def ready(self) -> bool:
        return self.snapshot is not None


def snapshot_for(region_code: str, month: datetime.date) -> MonthSnapshot | None:
    """The latest ready snapshot of `month` whose region covers `region_code`."""
    return (
        MonthSnapshot.objects.filter(
            month=month.replace(day=1), status=SnapshotStatus.READY, region__code__in=ancestor_codes(region_code)
        )
        .select_related("region", "built_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def snapshots_of_region(*, actor: Any, region_code: str) -> list[MonthSnapshot]:
    require_capability(actor, Capability.STATISTICS_VIEW)
    require_region_in_jurisdiction(actor, region_code)
    return list(
        MonthSnapshot.objects.filter(region__code__in=ancestor_codes(region_code))
        .select_related("region", "built_by")
        .order_by("-month", "-pk")[:60]
    )


def child_length(region: Region) -> int:
    return CODE_LENGTH_BY_LEVEL.get(region.level + 1, len(region.code))


def monthly_report(*, actor: Any, region_code: str, month: datetime.date, villages: bool = False) -> MonthlyReport:
    """The report of `region_code` for `month`: one row per area a level down (`villages`: per village)."""
    require_capability(actor, Capability.STATISTICS_VIEW)
    require_region_in_jurisdiction(actor, region_code)
    region = region_of(region_code)
    month = month.replace(day=1)
    programs = [(p.code, p.name) for p in Program.objects.filter(code__in=DIBAO_PROGRAMS).order_by("code")]
    programs.sort(key=lambda item: DIBAO_PROGRAMS.index(item[0]))  # urban first, as the forms have it
    programs += [(code, gettext(name)) for code, name in NEAR_POOR_LINE_NAMES.items()]
    length = CODE_LENGTH_BY_LEVEL[5] if villages else child_length(region)
    snapshot = snapshot_for(region_code, month)
    current = area_sums(snapshot, region_code, length) if snapshot else {}
    year: dict[str, dict[str, Figures]] = defaultdict(dict)
    missing = []
    for number in range(1, month.month + 1):
        earlier = month.replace(month=number)
        found = snapshot if earlier == month else snapshot_for(region_code, earlier)
        if found is None:
            missing.append(earlier)
            continue
        for code, by_program in (current if earlier == month else area_sums(found, region_code, length)).items():
            for program, figures in by_program.items():
                flows = Figures(**{name: getattr(figures, name) for name in FLOWS})
                year[code][program] = year[code].get(program, Figures()) + flows
    names = dict(Region.objects.filter(code__in=set(current) | set(year)).values_list("code", "name"))
    codes = sorted(set(current) | set(year))
    rows = [AreaRow(code, names.get(code, code), current.get(code, {}), dict(year.get(code, {}))) for code in codes]
    programs_codes = [code for code, _name in programs]
    summed = AreaRow(
        region.code, region.name,
        {p: total(r.figures(p) for r in rows) for p in programs_codes},
        {p: total(r.to_date(p) for r in rows) for p in programs_codes},
    )  # fmt: skip
    return MonthlyReport(region, month, snapshot, programs, rows, summed, missing)


def benefit_total(by_program: dict[str, Figures]) -> Figures:
    """The benefit programmes' sum (without the edge-household lines, which pay nothing)."""
    return total(figures for program, figures in by_program.items() if program not in NEAR_POOR_LINE_NAMES)


def area_sums(snapshot: MonthSnapshot, region_code: str, length: int) -> dict[str, dict[str, Figures]]:
    """Per area (the first `length` digits of the village code) and programme, the snapshot's sums."""
    result: dict[str, dict[str, Figures]] = defaultdict(dict)
    for row in (
        SnapshotArea.objects.filter(snapshot=snapshot)
        .filter(subtree_q(region_code, "region_code"))
        .values("region_code", "program")
        .annotate(**{f"s_{name}": Sum(name) for name in FIGURES})
    ):
        code = row["region_code"][:length]
        figures = Figures(**{name: int(row[f"s_{name}"] or 0) for name in FIGURES})
        result[code][row["program"]] = result[code].get(row["program"], Figures()) + figures
    return result


# The households behind each figure of a report: a filter on the snapshot's case rows.
FIGURE_FILTERS: dict[str, Q] = {
    "households": Q(households=1),
    "persons": Q(households=1),
    "elderly": Q(elderly__gt=0),
    "minors": Q(minors__gt=0),
    "working_age": Q(working_age__gt=0),
    "disabled": Q(disabled__gt=0),
    "three_no": Q(three_no__gt=0),
    "paid": ~Q(paid_fen=0),  # a recovery is money too (negative)
    "new": Q(new_households=1),
    "changed": Q(changed_households=1),
    "stopped": Q(stopped_households=1),
}


@dataclass(frozen=True)
class CaseListing:
    snapshot: MonthSnapshot
    region: Region
    program: str
    figure: str
    rows: Any  # a queryset of SnapshotCase, with household and its head


def snapshot_cases(
    *, actor: Any, snapshot_id: int, region_code: str = "", program: str = "", figure: str = "households"
) -> CaseListing:
    """The cases of a snapshot behind one figure of an area (by default the actor's own area, or the
    snapshot's), of one programme or all. Outside the actor's jurisdiction or the snapshot's area: a
    404, as for a missing snapshot."""
    require_capability(actor, Capability.STATISTICS_VIEW)
    snapshot = MonthSnapshot.objects.select_related("region").filter(pk=snapshot_id).first()
    if snapshot is None or figure not in FIGURE_FILTERS:
        raise NotFoundOrNoAccess()
    own = getattr(actor, "jurisdiction_prefix", "") or ""
    region_code = region_code or (own if is_within(own, snapshot.region.code) else snapshot.region.code)
    require_region_in_jurisdiction(actor, region_code)
    if not is_within(region_code, snapshot.region.code):
        raise NotFoundOrNoAccess()
    region = region_of(region_code)
    rows = SnapshotCase.objects.filter(FIGURE_FILTERS[figure], snapshot=snapshot)
    # One programme's, or the benefits' (the edge households are a register, listed on their own line).
    rows = rows.filter(program=program) if program else rows.exclude(program__in=NEAR_POOR_LINE_NAMES)
    rows = (
        rows.filter(subtree_q(region_code, "region_code"))
        .select_related("household", "household__region")
        .order_by("region_code", "household_id")
    )
    return CaseListing(snapshot, region, program, figure, rows)
