"""Reads for the verification pages: datasets in the actor's sight, their problems, saved mappings;
the flags queue and the report of flags by village and check."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.verification.access import datasets_visible_to, flags_visible_to
from jiuzhu.verification.models import (
    ApplicationCheck,
    ColumnMapping,
    DatasetProblem,
    ExternalDataset,
    Flag,
    FlagStatus,
)


def dataset_list(*, actor: Any, source: str = "") -> QuerySet[ExternalDataset]:
    """The datasets in the actor's sight (the page checks the capability)."""
    datasets = datasets_visible_to(actor)
    return datasets.filter(source=source) if source else datasets


def dataset_problems(dataset: ExternalDataset) -> QuerySet[DatasetProblem]:
    return dataset.problems.order_by("line", "pk")


def mappings_for(*, actor: Any, source: str = "") -> list[ColumnMapping]:
    """Saved mappings of the actor's region and the regions above it."""
    region = getattr(actor, "region", None)
    mappings = ColumnMapping.objects.all()
    if region is not None:
        mappings = mappings.filter(region__code__in=ancestor_codes(region.code))
    if source:
        mappings = mappings.filter(source=source)
    return list(mappings.order_by("source", "name"))


def flag_queue(*, actor: Any, status: str = "open", check: str = "", region_code: str = "") -> QuerySet[Flag]:
    """The flags in the actor's sight, the most pressing first (earliest due date)."""
    flags = flags_visible_to(actor)
    if status:
        flags = flags.filter(status=status)
    if check:
        flags = flags.filter(check_code=check)
    if region_code:
        flags = flags.filter(region__code__startswith=region_code)
    return flags.select_related("person", "resolved_by").order_by("due_on", "pk")


@dataclass(frozen=True)
class FlagCount:
    region_code: str
    region_name: str
    check_code: str
    raised: int
    open: int
    overdue: int
    confirmed: int
    dismissed: int


def flag_report(*, actor: Any, today: datetime.date, since: datetime.date | None = None) -> list[FlagCount]:
    """Flags raised, still open (and overdue), confirmed and dismissed, by village and check."""
    flags = flags_visible_to(actor)
    if since is not None:
        flags = flags.filter(raised_at__date__gte=since)
    rows = (
        flags.values("region__code", "region__name", "check_code")
        .annotate(
            raised=Count("pk"),
            open=Count("pk", filter=Q(status=FlagStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=FlagStatus.OPEN, due_on__lt=today)),
            confirmed=Count("pk", filter=Q(status=FlagStatus.CONFIRMED)),
            dismissed=Count("pk", filter=Q(status=FlagStatus.DISMISSED)),
        )
        .order_by("region__code", "check_code")
    )
    return [
        FlagCount(
            region_code=row["region__code"],
            region_name=row["region__name"],
            check_code=row["check_code"],
            raised=row["raised"],
            open=row["open"],
            overdue=row["overdue"],
            confirmed=row["confirmed"],
            dismissed=row["dismissed"],
        )
        for row in rows
    ]


def application_checks(application: Any) -> list[ApplicationCheck]:
    """The checks run for an application at its verification step, the latest first."""
    return list(
        ApplicationCheck.objects.filter(application=application).select_related("run_by", "report").order_by("-run_at")
    )
