"""The statistics dashboard (统计概况) of an area: the figures its charts draw, each with the list of
households (or the page) behind it — beneficiaries and money over the last twelve months' snapshots,
the villages of the latest one, the year's funds against what they paid, the overdue work and the
open cross-check flags."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.review_selectors import reviews_overdue
from jiuzhu.cases.selectors import applications_overdue
from jiuzhu.payments.fund_selectors import fund_rows
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.regions.models import CODE_LENGTH_BY_LEVEL, Region, RegionLevel
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.reports.models import MonthSnapshot
from jiuzhu.reports.regions import region_of
from jiuzhu.reports.rules import Figures
from jiuzhu.reports.selectors import area_sums, benefit_total, snapshot_for
from jiuzhu.verification.checks import check_by_code
from jiuzhu.verification.models import FlagStatus
from jiuzhu.verification.selectors import flags_visible_to


@dataclass(frozen=True)
class MonthPoint:
    month: datetime.date
    snapshot: MonthSnapshot | None
    figures: Figures


@dataclass(frozen=True)
class Tally:
    label: str
    value: int
    key: str  # what the link filters on (a region code, a check code…)


@dataclass(frozen=True)
class FundPoint:
    fund_id: int
    name: str
    allocated_fen: int
    paid_fen: int


@dataclass(frozen=True)
class Dashboard:
    region: Region
    months: list[MonthPoint]
    latest: MonthSnapshot | None
    villages: list[Tally]
    funds: list[FundPoint]
    overdue_applications: int
    overdue_reviews: int
    overdue_flags: int
    flags: list[Tally] = field(default_factory=list)


def dashboard(*, actor: Any, region_code: str, today: datetime.date, months: int = 12) -> Dashboard:
    require_capability(actor, Capability.STATISTICS_VIEW)
    require_region_in_jurisdiction(actor, region_code)
    region = region_of(region_code)
    first = add_months(today.replace(day=1), -(months - 1))
    points = []
    for index in range(months):
        month = add_months(first, index)
        snapshot = snapshot_for(region_code, month)
        sums = area_sums(snapshot, region_code, len(region_code)).get(region_code, {}) if snapshot else {}
        points.append(MonthPoint(month, snapshot, benefit_total(sums)))
    latest = next((p.snapshot for p in reversed(points) if p.snapshot is not None), None)
    villages: list[Tally] = []
    if latest is not None:
        by_village = area_sums(latest, region_code, CODE_LENGTH_BY_LEVEL[RegionLevel.VILLAGE])
        names = dict(Region.objects.filter(code__in=by_village).values_list("code", "name"))
        villages = sorted(
            (
                Tally(names.get(code, code), benefit_total(f).households, code)
                for code, f in by_village.items()
                if benefit_total(f).households
            ),
            key=lambda c: (-c.value, c.key),
        )
    funds = [
        FundPoint(row.fund.pk, row.fund.name, row.allocated_fen, row.paid_fen)
        for row in fund_rows(actor=actor, year=today.year)
        if row.fund.region.code.startswith(region_code) or region_code.startswith(row.fund.region.code)
    ]
    flags = flags_visible_to(actor).filter(subtree_q(region_code, "region__code"), status=FlagStatus.OPEN)
    by_check = [
        Tally(str(check_by_code(row["check_code"]).title), row["n"], row["check_code"])
        for row in flags.values("check_code").annotate(n=Count("pk")).order_by("-n", "check_code")
    ]
    return Dashboard(
        region=region, months=points, latest=latest, villages=villages, funds=funds,
        overdue_applications=applications_overdue(actor=actor, today=today)
        .filter(subtree_q(region_code, "region__code")).count(),
        overdue_reviews=reviews_overdue(actor=actor, today=today)
        .filter(subtree_q(region_code, "entitlement__region__code")).count(),
        overdue_flags=flags.filter(due_on__lt=today).count(),
        flags=by_check,
    )  # fmt: skip
