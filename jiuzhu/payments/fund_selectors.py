"""Reads for the fund pages and the finance dashboard: funds with their balances, a fund's ledger,
the funds a payroll may be charged to, payrolls by status, failures to resolve."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.cases.access import entitlements_visible_to
from jiuzhu.payments.access import funds_visible_to, payrolls_visible_to
from jiuzhu.payments.choices import FundEntryKind, OutcomeStatus, PayrollStatus
from jiuzhu.payments.custody_selectors import Keeper, keepers_of_many_cards
from jiuzhu.payments.fund_rules import outstanding_advance, running_balances
from jiuzhu.payments.models import Fund, FundEntry, Payroll, PayrollLine
from jiuzhu.programs.rules.dynamic import add_months


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
