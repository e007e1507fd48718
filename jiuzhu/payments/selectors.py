"""Reads for the payment pages: payrolls, their totals by village and kind, their lines, a household's
payments (rosters, funds and bank-card custody have their own selector modules). Every function takes
the actor and shows only lines of the actor's own subtree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction
from jiuzhu.cases.access import entitlements_visible_to
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.selectors import job_active_for_key
from jiuzhu.payments.access import payroll_lines_visible_to, payrolls_visible_to
from jiuzhu.payments.choices import OutcomeStatus, PayrollLineKind
from jiuzhu.payments.models import Payroll, PayrollLine
from jiuzhu.payments.services.generation import generation_job_key


def payroll_list(*, actor: Any, program_code: str = "", status: str = "") -> QuerySet[Payroll]:
    payrolls = payrolls_visible_to(actor).select_related("created_by", "locked_by")
    if program_code:
        payrolls = payrolls.filter(program__code=program_code)
    if status:
        payrolls = payrolls.filter(status=status)
    return payrolls.order_by("-period_start", "region__code", "program_id")


@dataclass(frozen=True)
class VillageTotal:
    region_id: int
    code: str
    name: str
    households: int
    lines: int
    total_fen: int
    failed: int


@dataclass(frozen=True)
class KindTotal:
    kind: str
    label: str
    lines: int
    total_fen: int


@dataclass(frozen=True)
class PayrollSummary:
    villages: list[VillageTotal]
    kinds: list[KindTotal]
    households: int
    lines: int
    total_fen: int
    failed: int
    unsettled: int
    whole: bool  # the actor sees the whole payroll (the totals are the payroll's own)


def payroll_summary(*, actor: Any, payroll: Payroll) -> PayrollSummary:
    lines = payroll_lines_visible_to(actor, payroll)
    failed = Count("pk", filter=Q(outcome__status=OutcomeStatus.FAILED))
    per_village = (
        lines.values("region_id", "region__code", "region__name")
        .annotate(households=Count("household_id", distinct=True), lines=Count("pk"), total=Sum("amount_fen"))
        .annotate(failed=failed)
        .order_by("region__code")
    )
    villages = [
        VillageTotal(
            region_id=row["region_id"],
            code=row["region__code"],
            name=row["region__name"],
            households=row["households"],
            lines=row["lines"],
            total_fen=row["total"] or 0,
            failed=row["failed"],
        )
        for row in per_village
    ]
    labels = dict(PayrollLineKind.choices)
    per_kind = lines.values("kind").annotate(lines=Count("pk"), total=Sum("amount_fen")).order_by("kind")
    kinds = [
        KindTotal(
            kind=k["kind"], label=str(labels.get(k["kind"], k["kind"])), lines=k["lines"], total_fen=k["total"] or 0
        )
        for k in per_kind
    ]
    totals = lines.aggregate(
        households=Count("household_id", distinct=True),
        lines=Count("pk"),
        total=Sum("amount_fen"),
        failed=failed,
        unsettled=Count("pk", filter=Q(outcome__isnull=True)),
    )
    return PayrollSummary(
        villages=villages,
        kinds=kinds,
        households=totals["households"],
        lines=totals["lines"],
        total_fen=totals["total"] or 0,
        failed=totals["failed"],
        unsettled=totals["unsettled"],
        whole=region_code_in_jurisdiction(actor, payroll.region.code),
    )


def payroll_lines(*, actor: Any, payroll: Payroll, region_code: str = "", kind: str = "") -> QuerySet[PayrollLine]:
    lines = payroll_lines_visible_to(actor, payroll).select_related("household", "region", "outcome")
    if region_code:
        lines = lines.filter(region__code__startswith=region_code)
    if kind:
        lines = lines.filter(kind=kind)
    return lines.order_by("region__code", "household_id", "month", "pk")


def payroll_generation_job(payroll: Payroll) -> Job | None:
    """The generation job of this payroll still queued or running, if any."""
    return job_active_for_key(generation_job_key(payroll.pk))


def household_payments(*, actor: Any, household_id: int, limit: int = 120) -> list[PayrollLine]:
    """The household's payment lines, newest month first, with their payroll and outcome."""
    entitlement_ids = list(
        entitlements_visible_to(actor).filter(household_id=household_id).values_list("pk", flat=True)
    )
    if not entitlement_ids:
        return []
    return list(
        PayrollLine.objects.filter(entitlement_id__in=entitlement_ids)
        .select_related("payroll", "program", "outcome")
        .order_by("-month", "-pk")[:limit]
    )
