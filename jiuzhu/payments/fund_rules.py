"""Fund ledger rules (资金台账), pure: balances, outstanding advances, and what a payroll may be
charged to (专款专用: a fund pays its own programme, its own year and region, and never more than it holds)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jiuzhu.common.money import fen_to_yuan_text

ADVANCE, ADVANCE_REPAID = "advance", "advance_repaid"


def running_balances(amounts: Iterable[int]) -> list[int]:
    """The balance after each entry, in ledger order."""
    balances, balance = [], 0
    for amount in amounts:
        balance += amount
        balances.append(balance)
    return balances


def outstanding_advance(entries: Iterable[tuple[str, int]]) -> int:
    """Advanced by the treasury and not yet repaid: (kind, amount) pairs, repayments negative."""
    return sum(amount for kind, amount in entries if kind in (ADVANCE, ADVANCE_REPAID))


@dataclass(frozen=True)
class FundFacts:
    fund_id: int
    name: str
    program_id: int
    region_code: str
    year: int
    balance_fen: int


def charge_problems(
    *,
    program_id: int,
    region_code: str,
    year: int,
    total_fen: int,
    already_charged_fen: int,
    charges: Sequence[tuple[FundFacts, int]],
) -> list[str]:
    """Why the charges cannot pay the payroll (empty: they can). The charges together must pay what
    is left of the payroll exactly, each from a fund of the payroll's programme (专款专用), year and
    region (or a region above it), each no more than the fund holds."""
    problems = []
    for fund, amount in charges:
        if amount <= 0:
            problems.append(_("“%(fund)s”的列支金额应大于零。") % {"fund": fund.name})
        if fund.program_id != program_id:
            problems.append(_("专款专用：“%(fund)s”不是本救助项目的资金，不能列支。") % {"fund": fund.name})
        if not region_code.startswith(fund.region_code):
            problems.append(_("“%(fund)s”不是本地区的资金，不能列支。") % {"fund": fund.name})
        if fund.year != year:
            problems.append(
                _("“%(fund)s”是%(fund_year)s年度的资金，本名册属%(year)s年度。")
                % {"fund": fund.name, "fund_year": fund.year, "year": year}
            )
        if amount > fund.balance_fen:
            problems.append(
                _("“%(fund)s”余额 %(balance)s 元，不足列支 %(amount)s 元；资金未到位时请先登记垫付。")
                % {"fund": fund.name, "balance": fen_to_yuan_text(fund.balance_fen), "amount": fen_to_yuan_text(amount)}
            )
    remaining = total_fen - already_charged_fen
    if sum(amount for _fund, amount in charges) != remaining:
        message = _("列支合计须等于名册尚未列支的金额 %(remaining)s 元。")
        problems.append(message % {"remaining": fen_to_yuan_text(remaining)})
    return problems
