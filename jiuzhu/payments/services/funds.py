"""Fund ledgers (资金台账): funds by programme, year and source; allocations, advances when transfers
are late (垫付) and their repayment; charging a locked payroll to its programme's funds (专款专用).
Every entry is a new row with an audit event; nothing is edited or deleted."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, RuleViolation, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.payments.access import access_fund_for_change, access_payroll_for_change
from jiuzhu.payments.choices import FundEntryKind, FundSource, PayrollStatus
from jiuzhu.payments.fund_rules import FundFacts, charge_problems, outstanding_advance
from jiuzhu.payments.models import Fund, FundEntry
from jiuzhu.programs.models import Program
from jiuzhu.regions.models import Region

MANUAL_KINDS = (FundEntryKind.ALLOCATION, FundEntryKind.ADVANCE, FundEntryKind.ADVANCE_REPAID)


def fund_balance(fund_id: int) -> int:
    return int(FundEntry.objects.filter(fund_id=fund_id).aggregate(total=Sum("amount_fen"))["total"] or 0)


@transaction.atomic(durable=True)
def fund_create(*, actor: Any, program_code: str, region_code: str, year: int, source: str, name: str = "") -> Fund:
    require_capability(actor, Capability.FUNDS_MANAGE)
    require_region_in_jurisdiction(actor, region_code)
    program = Program.objects.filter(code=program_code).first()
    region = Region.objects.filter(code=region_code).first()
    if program is None or region is None:
        raise NotFoundOrNoAccess()
    if source not in FundSource.values:
        raise ValidationFailed(_("资金来源无效。"), code="fund_source_invalid")
    if Fund.objects.filter(program=program, region=region, year=year, source=source).exists():
        raise ValidationFailed(_("该地区该年度已有这项资金，请在其台账中登记拨入。"), code="fund_exists")
    label = FundSource(source).label
    fund = Fund.objects.create(
        program=program,
        region=region,
        year=year,
        source=source,
        name=name.strip() or f"{year}年{label}{program.name}资金",
        created_by=actor,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.FUND_CREATED,
        subject=fund,
        region_code=region.code,
        after={"program": program.code, "year": year, "source": source, "name": fund.name},
    )
    return fund


@transaction.atomic(durable=True)
def fund_entry_record(
    *,
    actor: Any,
    fund_id: int,
    kind: str,
    amount_fen: int,
    entered_on: datetime.date,
    document_no: str = "",
    note: str = "",
) -> FundEntry:
    """An allocation received (拨入), an advance from the treasury (垫付) or its repayment (归还垫付);
    `amount_fen` is positive, the ledger stores repayments as negative."""
    require_capability(actor, Capability.FUNDS_MANAGE)
    fund = access_fund_for_change(actor, fund_id, lock=True)
    if kind not in MANUAL_KINDS:
        raise ValidationFailed(_("只能登记资金拨入、垫付或归还垫付。"), code="fund_entry_kind")
    if amount_fen <= 0:
        raise ValidationFailed(_("金额应大于零。"), code="fund_entry_amount", amount=[_("金额应大于零。")])
    if kind == FundEntryKind.ADVANCE_REPAID:
        owed = outstanding_advance(FundEntry.objects.filter(fund=fund).values_list("kind", "amount_fen"))
        if amount_fen > owed:
            raise RuleViolation(
                _("归还金额超过尚未归还的垫付款（%(owed)s 元）。") % {"owed": fen_to_yuan_text(owed)},
                code="advance_overpaid",
            )
        if amount_fen > fund_balance(fund.pk):
            raise RuleViolation(_("资金余额不足以归还垫付款。"), code="fund_balance_short")
    signed = -amount_fen if kind == FundEntryKind.ADVANCE_REPAID else amount_fen
    entry = FundEntry.objects.create(
        fund=fund,
        kind=kind,
        amount_fen=signed,
        entered_on=entered_on,
        document_no=document_no.strip(),
        note=note.strip(),
        recorded_by=actor,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.FUND_ENTRY_RECORDED,
        subject=fund,
        region_code=fund.region.code,
        after={"kind": kind, "amount_fen": signed, "entered_on": entered_on.isoformat(), "document_no": document_no},
    )
    return entry


@transaction.atomic(durable=True)
def payroll_charge(
    *, actor: Any, payroll_id: int, charges: Mapping[int, int], entered_on: datetime.date
) -> list[FundEntry]:
    """Charge a locked payroll to funds ({fund id: fen}): its own programme's only (专款专用), of its
    year and region, within each fund's balance, together exactly what is left to charge."""
    require_capability(actor, Capability.FUNDS_MANAGE)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.status == PayrollStatus.DRAFT:
        raise TransitionNotAllowed(_("名册锁定后才能列支资金。"), code="payroll_not_locked")
    funds = {f.pk: f for f in Fund.objects.select_for_update().filter(pk__in=list(charges)).select_related("region")}
    if set(funds) != set(charges):
        raise NotFoundOrNoAccess()
    for fund in funds.values():
        require_region_in_jurisdiction(actor, fund.region.code)
    already = -int(FundEntry.objects.filter(payroll=payroll).aggregate(total=Sum("amount_fen"))["total"] or 0)
    facts = [
        (
            FundFacts(
                fund_id=fund.pk, name=fund.name, program_id=fund.program_id, region_code=fund.region.code,
                year=fund.year, balance_fen=fund_balance(fund.pk),
            ),
            int(charges[fund.pk]),
        )
        for fund in funds.values()
    ]  # fmt: skip
    if FundEntry.objects.filter(payroll=payroll, fund_id__in=list(funds)).exists():
        raise RuleViolation(_("本名册已从该资金列支过。"), code="payroll_charged")
    problems = charge_problems(
        program_id=payroll.program_id,
        region_code=payroll.region.code,
        year=payroll.period_start.year,
        total_fen=payroll.total_fen,
        already_charged_fen=already,
        charges=facts,
    )
    if problems:
        raise RuleViolation("；".join(problems), code="charge_refused", problems=problems)
    entries = [
        FundEntry.objects.create(
            fund_id=fund_id, kind=FundEntryKind.PAYROLL, amount_fen=-amount, entered_on=entered_on,
            payroll=payroll, note=_("发放名册 #%(id)s 列支") % {"id": payroll.pk}, recorded_by=actor,
        )
        for fund_id, amount in charges.items()
    ]  # fmt: skip
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYROLL_CHARGED,
        subject=payroll,
        region_code=payroll.region.code,
        after={"charges": {str(k): v for k, v in charges.items()}, "total_fen": payroll.total_fen},
    )
    return entries
