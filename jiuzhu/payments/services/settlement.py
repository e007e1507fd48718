"""Locking a payroll and recording what was paid (锁定名册、登记发放结果、对账).

* `payroll_lock`: a finance officer who did not generate the payroll checks it and locks it. The
  stored total must equal the sum of the lines (and the line count the count); from then on the
  lines never change.
* `payment_outcomes_record`: each line paid, or failed with a reason (from the bank's return file,
  or entered by hand). A failed line's month is paid again as a carry-over in the next payroll.
  When every line has an outcome the payroll is reconciled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.bulk import insert_rows
from jiuzhu.common.exceptions import ConflictError, RuleViolation, TransitionNotAllowed, ValidationFailed
from jiuzhu.jobs.selectors import job_active_for_key
from jiuzhu.payments.access import access_payroll_for_change
from jiuzhu.payments.choices import OutcomeStatus, PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.payments.services.generation import generation_job_key, payroll_totals

SETTLEABLE = (PayrollStatus.LOCKED, PayrollStatus.EXPORTED)


@transaction.atomic(durable=True)
def payroll_lock(*, actor: Any, payroll_id: int, expected_version: int) -> Payroll:
    require_capability(actor, Capability.PAYROLL_LOCK)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.version != expected_version:
        raise ConflictError()
    if payroll.status != PayrollStatus.DRAFT:
        raise TransitionNotAllowed(_("发放名册已锁定。"), code="payroll_locked")
    if payroll.created_by_id is not None and payroll.created_by_id == actor.pk:
        raise RuleViolation(_("发放名册须由生成人以外的财务人员核对锁定。"), code="four_eyes")
    if payroll.generated_at is None or job_active_for_key(generation_job_key(payroll.pk)) is not None:
        raise TransitionNotAllowed(_("发放名册正在生成，请等生成完成后再锁定。"), code="payroll_generating")
    totals = payroll_totals(payroll.pk)
    if (totals["lines"], totals["total_fen"]) != (payroll.line_count, payroll.total_fen):
        raise ConflictError(
            _(
                "名册明细合计（%(lines)s 行，%(total)s 分）与生成时的合计（%(stored_lines)s 行，%(stored)s 分）"
                "不符，请重新生成后再核对。"
            )
            % {
                "lines": totals["lines"],
                "total": totals["total_fen"],
                "stored_lines": payroll.line_count,
                "stored": payroll.total_fen,
            },
            code="payroll_total_mismatch",
        )
    if totals["lines"] == 0:
        raise RuleViolation(_("发放名册没有明细，不能锁定。"), code="payroll_empty")
    payroll.status, payroll.locked_by, payroll.locked_at = PayrollStatus.LOCKED, actor, timezone.now()
    payroll.version += 1
    payroll.save(update_fields=["status", "locked_by", "locked_at", "version"])
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYROLL_LOCKED,
        subject=payroll,
        region_code=payroll.region.code,
        before={"status": PayrollStatus.DRAFT.value},
        after={"status": payroll.status, **totals},
    )
    return payroll


@transaction.atomic(durable=True)
def payment_outcomes_record(
    *, actor: Any, payroll_id: int, outcomes: Mapping[int, tuple[str, str]], source: str = ""
) -> Payroll:
    """Record `outcomes` ({line id: (paid|failed, reason)}) for lines of a locked payroll. A line's
    outcome is recorded once; the payroll is reconciled when every line has one."""
    require_capability(actor, Capability.PAYROLL_LOCK)
    payroll = access_payroll_for_change(actor, payroll_id, lock=True)
    if payroll.status not in SETTLEABLE:
        raise TransitionNotAllowed(_("只有已锁定的发放名册才能登记发放结果。"), code="payroll_not_locked")
    lines = set(PayrollLine.objects.filter(payroll=payroll).values_list("pk", flat=True))
    done = set(PaymentOutcome.objects.filter(line__payroll=payroll).values_list("line_id", flat=True))
    problems = []
    for line_id, (status, reason) in outcomes.items():
        if line_id not in lines:
            problems.append(_("明细 %(id)s 不在本名册中。") % {"id": line_id})
        elif line_id in done:
            problems.append(_("明细 %(id)s 已登记过发放结果。") % {"id": line_id})
        elif status not in OutcomeStatus.values:
            problems.append(_("明细 %(id)s 的发放结果无效。") % {"id": line_id})
        elif status == OutcomeStatus.FAILED and not reason.strip():
            problems.append(_("明细 %(id)s 发放失败，须写明原因。") % {"id": line_id})
    if problems:
        raise ValidationFailed(_("发放结果未登记：") + "；".join(problems), code="outcomes_invalid", problems=problems)
    outcomes_write(actor=actor, payroll=payroll, outcomes=outcomes, source=source)
    return payroll


def outcomes_write(
    *, actor: Any, payroll: Payroll, outcomes: Mapping[int, tuple[str, str]], source: str
) -> tuple[int, int]:
    """Write checked outcomes (helper: inside the caller's transaction, payroll row locked), audit
    them, and reconcile the payroll when every line has one. Returns (paid, failed) line counts."""
    now = timezone.now()
    insert_rows(
        PaymentOutcome,
        [
            {"line_id": line_id, "status": status, "reason": reason.strip()}
            for line_id, (status, reason) in outcomes.items()
        ],
        defaults=PaymentOutcome(recorded_at=now, recorded_by=actor),
    )
    failed = sum(1 for status, _reason in outcomes.values() if status == OutcomeStatus.FAILED)
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYMENT_OUTCOMES_RECORDED,
        subject=payroll,
        region_code=payroll.region.code,
        after={"recorded": len(outcomes), "failed": failed, "source": source},
    )
    if payroll.status in SETTLEABLE and not PayrollLine.objects.filter(payroll=payroll, outcome__isnull=True).exists():
        before = payroll.status
        payroll.status, payroll.reconciled_at = PayrollStatus.RECONCILED, now
        payroll.version += 1
        payroll.save(update_fields=["status", "reconciled_at", "version"])
        audit_event_record(
            actor=actor,
            event_type=AuditEventType.PAYROLL_RECONCILED,
            subject=payroll,
            region_code=payroll.region.code,
            before={"status": before},
            after={"status": payroll.status},
        )
    return len(outcomes) - failed, failed
