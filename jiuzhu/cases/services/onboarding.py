"""Onboarding the existing caseload (存量对象建档): households already on dibao when a county starts
using Jiuzhu are entered once, with the date of their original approval from the paper file, and
their amount is worked out again with the calculator and the policy in force on the go-live day.

Each household gets an application in force (its timeline has one step, "存量对象建档"), a
decision dated on the original approval carrying the itemised lines and the policy of the go-live
day, the benefit in force with its first review scheduled, and the first entry of its amount history
effective from the go-live month. Everything is checked first; one problem refuses the whole batch
with a Chinese list of what is wrong, and nothing is saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import AuditEntry, audit_events_record_bulk
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import AmountChangeKind, ApplicationOrigin, ApplicationStatus, DecisionOutcome, Step
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, StatusChange
from jiuzhu.cases.review_rules import next_review_due
from jiuzhu.cases.review_selectors import review_facts_many
from jiuzhu.cases.rules import month_after
from jiuzhu.cases.workflow import ACTIVE_STATUSES
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.programs.models import DIBAO_PROGRAMS, Program
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.rules.dynamic import month_of
from jiuzhu.programs.rules.policy import DibaoPolicy, policy_to_values
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.registry.access import households_visible_to

MAX_PROBLEMS_LISTED = 20


@dataclass(frozen=True)
class OnboardItem:
    """One household of the existing caseload, as the paper file gives it."""

    household_id: int
    program_code: str
    approved_on: datetime.date  # the original approval
    first_month: datetime.date | None = None  # the original first payment month (default: month after)
    note: str = ""


@transaction.atomic(durable=True)
def entitlements_onboard(
    *, actor: Any, items: Sequence[OnboardItem], go_live: datetime.date, reason: str
) -> list[Entitlement]:
    """Onboard `items` as benefits in force on `go_live` (county approver; the actor's jurisdiction).

    Refused whole (ValidationFailed) when a household is outside the jurisdiction, already has an
    application or benefit, is not eligible on the go-live day under the policy then in force, or
    when a date is wrong. Writes APPLICATION_ONBOARDED for each household."""
    require_capability(actor, Capability.CASE_DECIDE)
    today = timezone.localdate()
    problems: list[str] = []
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请写明建档依据（如纸质台账名称）。")]})
    if go_live > today:
        raise ValidationFailed(field_errors={"go_live": [_("日期不能晚于今天。")]})
    ids = [item.household_id for item in items]
    households = {h.pk: h for h in households_visible_to(actor).filter(pk__in=ids).select_related("region")}
    busy = set(
        Application.objects.filter(household_id__in=ids, status__in=ACTIVE_STATUSES).values_list(
            "household_id", flat=True
        )
    )
    programs = {p.code: p for p in Program.objects.filter(code__in=DIBAO_PROGRAMS)}
    policies: dict[tuple[str, str], DibaoPolicy] = {}
    facts = review_facts_many(household_ids=list(households), as_of=go_live)
    prepared = []
    for item in items:
        household = households.get(item.household_id)
        if household is None:
            problems.append(_("家庭 %(id)s 不存在或不在您的管辖范围内。") % {"id": item.household_id})
            continue
        label = _("%(head)s户") % {"head": household.head_name or household.pk}
        if household.head_id is None:
            problems.append(_("%(label)s未登记户主。") % {"label": label})
            continue
        if item.household_id in busy:
            problems.append(_("%(label)s已有正在办理的申请或正在享受低保。") % {"label": label})
            continue
        if item.program_code not in programs:
            problems.append(_("%(label)s：请选择城市低保或农村低保。") % {"label": label})
            continue
        if item.approved_on > go_live:
            problems.append(_("%(label)s：原批准日期晚于建档日期。") % {"label": label})
            continue
        key = (household.region.code, item.program_code)
        if key not in policies:
            policies[key] = dibao_policy_get(region_code=key[0], program_code=key[1], on=go_live)
        policy = policies[key]
        assessment = assess_dibao(facts[household.pk].household, policy, go_live)
        if not assessment.eligible or assessment.benefit is None:
            reasons = "；".join(_(r.label) for r in assessment.reasons)
            problems.append(
                _("%(label)s按现行标准不符合低保条件（%(reasons)s）。") % {"label": label, "reasons": reasons}
            )
            continue
        prepared.append((item, household, policy, assessment))
    if problems:
        shown = problems[:MAX_PROBLEMS_LISTED]
        more = len(problems) - len(shown)
        text = "；".join(shown) + (_("……另有 %(n)d 处问题。") % {"n": more} if more else "")
        raise ValidationFailed(_("存量对象建档未执行，请先改正：%(problems)s") % {"problems": text})

    rows = []
    for item, household, policy, assessment in prepared:
        rows.append(
            _Onboarded(
                household=household,
                program=programs[item.program_code],
                policy=policy,
                approved_on=item.approved_on,
                first_month=item.first_month or month_after(item.approved_on),
                amount_fen=assessment.total_fen,
                member_count=assessment.counted_member_count,
                per_capita_income_fen=assessment.per_capita_income_fen,
                lines=[line.to_json() for line in assessment.lines],
                snapshot={"on": go_live.isoformat(), "region": household.region.code, "onboarded": True},
                reason_text=_("存量对象建档：按 %(day)s 执行的标准重新核定。") % {"day": go_live.isoformat()},
                note=(item.note or reason).strip(),
                origin=ApplicationOrigin.ONBOARDED,
                origin_note="",
            )
        )
    return _write(actor=actor, rows=rows, facts=facts, go_live=go_live, reason=reason)


@dataclass(frozen=True)
class MigratedCase:
    """A case in force as an office's spreadsheet records it (存量数据迁移): the amount paid today is
    kept, not worked out again (the file has no incomes); the first review re-assesses it."""

    household_id: int
    program_code: str
    amount_fen: int
    first_month: datetime.date  # the original first payment month
    approved_on: datetime.date
    member_count: int
    source_note: str  # the file and its rows, shown on the case


def entitlement_migrate(*, actor: Any, case: MigratedCase, go_live: datetime.date, reason: str) -> Entitlement:
    """Record `case` as a benefit in force, inside the caller's transaction (the onboarding of a
    spreadsheet writes the household and its case together). The caller checks the actor's right to
    onboard; here the household must be visible to the actor, have no case already, and the dates and
    amount must hold. Its amount history starts in the go-live month, so no payroll pays arrears for
    months paid before Jiuzhu. Writes APPLICATION_ONBOARDED (migrated)."""
    household = households_visible_to(actor).select_related("region").filter(pk=case.household_id).first()
    if household is None or household.head_id is None:
        raise ValidationFailed(_("家庭不存在或不在您的管辖范围内。"))
    if Application.objects.filter(household=household, status__in=ACTIVE_STATUSES).exists():
        raise ValidationFailed(_("该户已有正在办理的申请或正在享受低保。"), code="case_exists")
    if case.program_code not in DIBAO_PROGRAMS:
        raise ValidationFailed(_("请选择城市低保或农村低保。"))
    if case.amount_fen <= 0:
        raise ValidationFailed(_("月保障金额应大于零。"))
    if case.first_month > month_of(go_live) or case.approved_on > go_live:
        raise ValidationFailed(_("起始发放年月和批准日期不能晚于建档日期。"))
    program = Program.objects.get(code=case.program_code)
    policy = dibao_policy_get(region_code=household.region.code, program_code=case.program_code, on=go_live)
    facts = review_facts_many(household_ids=[household.pk], as_of=go_live)
    row = _Onboarded(
        household=household,
        program=program,
        policy=policy,
        approved_on=case.approved_on,
        first_month=month_of(case.first_month),
        amount_fen=case.amount_fen,
        member_count=case.member_count,
        per_capita_income_fen=0,
        lines=[],
        snapshot={"on": go_live.isoformat(), "region": household.region.code, "migrated": True},
        reason_text=_("存量数据迁移：按原台账金额 %(yuan)s 元/月建档，首次复核时按现行标准重新核定。")
        % {"yuan": f"{case.amount_fen / 100:.2f}"},
        note=case.source_note,
        origin=ApplicationOrigin.MIGRATED,
        origin_note=case.source_note[:300],
    )
    return _write(actor=actor, rows=[row], facts=facts, go_live=go_live, reason=reason)[0]


@dataclass(frozen=True)
class _Onboarded:
    household: Any
    program: Program
    policy: DibaoPolicy
    approved_on: datetime.date
    first_month: datetime.date
    amount_fen: int
    member_count: int
    per_capita_income_fen: int
    lines: list[dict[str, Any]]
    snapshot: dict[str, Any]
    reason_text: str
    note: str
    origin: str
    origin_note: str


def _write(
    *, actor: Any, rows: list[_Onboarded], facts: dict[int, Any], go_live: datetime.date, reason: str
) -> list[Entitlement]:
    """The application in force, its one-step timeline, the decision, the benefit and its first
    amount (effective from the go-live month), and the audit events, for every row at once."""
    now = timezone.now()
    month = month_of(go_live)
    applications = Application.objects.bulk_create(
        [
            Application(
                household=row.household,
                region=row.household.region,
                program=row.program,
                applicant_id=row.household.head_id or 0,  # checked by the callers
                status=ApplicationStatus.IN_FORCE,
                submitted_on=row.approved_on,
                accepted_on=row.approved_on,
                decided_on=row.approved_on,
                published_on=go_live,
                workflow_mode=row.policy.workflow_mode,
                appraisal_mode=row.policy.appraisal_mode,
                clock_limits={},
                next_step="",
                origin=row.origin,
                origin_note=row.origin_note,
                created_by=actor,
            )
            for row in rows
        ]
    )
    StatusChange.objects.bulk_create(
        StatusChange(
            application=application,
            step=Step.ONBOARD,
            from_status="",
            to_status=ApplicationStatus.IN_FORCE,
            occurred_on=go_live,
            occurred_at=now,
            actor=actor,
            note=row.note,
        )
        for application, row in zip(applications, rows, strict=True)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            application=application,
            outcome=DecisionOutcome.APPROVED,
            decided_on=row.approved_on,
            decided_by=actor,
            monthly_amount_fen=row.amount_fen,
            first_payment_month=row.first_month,
            member_count=row.member_count,
            per_capita_income_fen=row.per_capita_income_fen,
            lines=row.lines,
            policy_snapshot={**row.snapshot, **policy_to_values(row.policy)},
            reason_text=row.reason_text,
        )
        for application, row in zip(applications, rows, strict=True)
    )
    entitlements = []
    for application, decision, row in zip(applications, decisions, rows, strict=True):
        review_class = facts[row.household.pk].review_class(go_live)
        next_review_on = next_review_due(
            go_live,
            review_class,
            months_stable=row.policy.review_months_stable,
            months_unstable=row.policy.review_months_unstable,
        )
        entitlements.append(
            Entitlement(
                application=application,
                household=row.household,
                program=application.program,
                region=row.household.region,
                first_month=decision.first_payment_month or month,
                monthly_amount_fen=decision.monthly_amount_fen,
                review_class=review_class,
                last_reviewed_on=go_live,
                next_review_on=next_review_on,
            )
        )
    entitlements = Entitlement.objects.bulk_create(entitlements)
    AmountChange.objects.bulk_create(
        AmountChange(
            entitlement=entitlement,
            effective_month=month,
            amount_fen=entitlement.monthly_amount_fen,
            kind=AmountChangeKind.GRANT,
            reason=_("存量数据迁移") if row.origin == ApplicationOrigin.MIGRATED else _("存量对象建档"),
            decision=decision,
            recorded_by=actor,
        )
        for entitlement, decision, row in zip(entitlements, decisions, rows, strict=True)
    )
    audit_events_record_bulk(
        actor=actor,
        event_type=AuditEventType.APPLICATION_ONBOARDED,
        entries=(
            AuditEntry(
                subject_type=Application._meta.label_lower,
                subject_id=application.pk,
                region_code=application.region.code,
                after={
                    "status": ApplicationStatus.IN_FORCE,
                    "origin": row.origin,
                    "approved_on": application.decided_on.isoformat() if application.decided_on else None,
                    "monthly_amount_fen": entitlement.monthly_amount_fen,
                    "first_month": entitlement.first_month.isoformat(),
                    "effective_month": month.isoformat(),
                    **({"source": row.origin_note} if row.origin_note else {}),
                },
                reason=reason.strip(),
            )
            for application, entitlement, row in zip(applications, entitlements, rows, strict=True)
        ),
    )
    return entitlements
