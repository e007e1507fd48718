"""Reads for the payment pages: payrolls, their totals by village and kind, their lines, a household's
payments. Every function takes the actor and shows only lines of the actor's own subtree."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jiuzhu.accounts.jurisdiction import jurisdiction_q, region_code_in_jurisdiction
from jiuzhu.accounts.models import User
from jiuzhu.cases.access import entitlements_visible_to
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.selectors import job_active_for_key
from jiuzhu.payments.access import funds_visible_to, payroll_lines_visible_to, payrolls_visible_to
from jiuzhu.payments.choices import FundEntryKind, OutcomeStatus, PayrollLineKind, PayrollStatus
from jiuzhu.payments.fund_rules import outstanding_advance, running_balances
from jiuzhu.payments.models import CardCustody, Fund, FundEntry, Payroll, PayrollLine
from jiuzhu.payments.services.generation import generation_job_key
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.programs.rules.resolution import ancestor_codes


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


# --- Funds and the finance dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class FundRow:
    fund: Fund
    balance_fen: int
    allocated_fen: int
    paid_fen: int
    advance_fen: int  # advanced by the treasury and not yet repaid


def fund_rows(*, actor: Any, year: int | None = None) -> list[FundRow]:
    funds = funds_visible_to(actor).order_by("-year", "program_id", "region__code", "source")
    if year is not None:
        funds = funds.filter(year=year)
    sums: dict[int, dict[str, int]] = {}
    for fund_id, kind, total in (
        FundEntry.objects.filter(fund__in=funds).values_list("fund_id", "kind").annotate(total=Sum("amount_fen"))
    ):
        sums.setdefault(fund_id, {})[kind] = int(total or 0)
    rows = []
    for fund in funds:
        by_kind = sums.get(fund.pk, {})
        rows.append(
            FundRow(
                fund=fund,
                balance_fen=sum(by_kind.values()),
                allocated_fen=by_kind.get(FundEntryKind.ALLOCATION, 0),
                paid_fen=-by_kind.get(FundEntryKind.PAYROLL, 0),
                advance_fen=outstanding_advance(list(by_kind.items())),
            )
        )
    return rows


@dataclass(frozen=True)
class LedgerLine:
    entry: FundEntry
    balance_fen: int


def fund_ledger(*, fund: Fund) -> list[LedgerLine]:
    entries = list(
        FundEntry.objects.filter(fund=fund).select_related("recorded_by", "payroll").order_by("entered_on", "pk")
    )
    balances = running_balances(entry.amount_fen for entry in entries)
    return [LedgerLine(entry, balance) for entry, balance in zip(entries, balances, strict=True)]


def funds_for_charge(*, actor: Any, payroll: Payroll) -> list[FundRow]:
    """The funds a payroll may be charged to: its programme's, of its year, held by its region or above."""
    return [
        row
        for row in fund_rows(actor=actor, year=payroll.period_start.year)
        if row.fund.program_id == payroll.program_id and payroll.region.code.startswith(row.fund.region.code)
    ]


def payroll_charged_fen(payroll: Payroll) -> int:
    return -int(FundEntry.objects.filter(payroll=payroll).aggregate(total=Sum("amount_fen"))["total"] or 0)


@dataclass(frozen=True)
class StatusTotal:
    status: str
    label: str
    count: int
    total_fen: int


@dataclass(frozen=True)
class FinanceDashboard:
    statuses: list[StatusTotal]
    funds: list[FundRow]
    failures: list[PayrollLine]  # failed payments of the last months, for follow-up
    uncharged: Sequence[Payroll]  # locked payrolls not (wholly) charged to funds
    no_account: int  # households in force without a bank account
    keepers: list[Keeper]  # staff keeping many families' cards


def finance_dashboard(*, actor: Any, today: datetime.date, months: int = 3, custody_alert: int = 5) -> FinanceDashboard:
    payrolls = payrolls_visible_to(actor).filter(jurisdiction_q(actor, "region__code"))
    labels = dict(PayrollStatus.choices)
    statuses = [
        StatusTotal(row["status"], str(labels[row["status"]]), row["n"], int(row["total"] or 0))
        for row in payrolls.values("status").annotate(n=Count("pk"), total=Sum("total_fen")).order_by("status")
    ]
    since = add_months(today.replace(day=1), -months)
    failures = list(
        PayrollLine.objects.filter(
            jurisdiction_q(actor, "region__code"), outcome__status=OutcomeStatus.FAILED, month__gte=since
        )
        .select_related("household", "region", "outcome", "payroll")
        .order_by("-month", "region__code")[:200]
    )
    charged = (
        FundEntry.objects.filter(payroll=OuterRef("pk")).values("payroll").annotate(t=Sum("amount_fen")).values("t")
    )
    uncharged = list(
        payrolls.exclude(status=PayrollStatus.DRAFT)
        .annotate(charged=Coalesce(Subquery(charged), Value(0)))
        .filter(charged__gt=-F("total_fen"))
        .order_by("-period_start")[:50]
    )
    in_force = entitlements_visible_to(actor).filter(status__in=["active", "exiting"])
    no_account = in_force.filter(household__account_number_ciphertext="").values("household_id").distinct().count()
    return FinanceDashboard(
        statuses=statuses,
        funds=fund_rows(actor=actor, year=today.year),
        failures=failures,
        uncharged=uncharged,
        no_account=no_account,
        keepers=keepers_of_many_cards(actor=actor, threshold=custody_alert),
    )


# --- Bank cards kept by staff ------------------------------------------------------------------------


def household_card_custodies(*, actor: Any, household_id: int) -> list[CardCustody]:
    """The household's custodies, the open one first (the caller has checked access to the household)."""
    return list(
        CardCustody.objects.filter(household_id=household_id)
        .select_related("held_by", "agreement")
        .order_by(F("ended_on").desc(nulls_first=True), "-held_since")
    )


def custody_keepers(*, household_region_code: str) -> list[User]:
    """Staff who may keep the household's card: active users whose region covers the household."""
    covering = User.objects.filter(is_active=True, region__code__in=ancestor_codes(household_region_code))
    return list(covering.exclude(role="admin").select_related("region").order_by("region__code", "username"))


@dataclass(frozen=True)
class Keeper:
    user_id: int
    name: str
    region: str
    cards: int


def keepers_of_many_cards(*, actor: Any, threshold: int) -> list[Keeper]:
    """Staff keeping `threshold` or more families' cards in the actor's area (a warning sign)."""
    rows = (
        CardCustody.objects.filter(jurisdiction_q(actor, "household__region__code"), ended_on__isnull=True)
        .values("held_by_id", "held_by__first_name", "held_by__username", "held_by__region__name")
        .annotate(cards=Count("pk"))
        .filter(cards__gte=threshold)
        .order_by("-cards")
    )
    return [
        Keeper(
            r["held_by_id"], r["held_by__first_name"] or r["held_by__username"], r["held_by__region__name"], r["cards"]
        )
        for r in rows
    ]
