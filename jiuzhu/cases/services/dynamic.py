"""Dynamic management (动态管理): reviews of benefits in force and the changes they decide.

* `review_open` opens a review on demand (the periodic ones falling due are opened in bulk by the
  monthly job, `dynamic_batch.reviews_due_open`).
* `review_propose`: the coordinator or township records the findings; the household is assessed
  again on its current facts and the policy in force, and the outcome follows (cases.review_rules).
* `review_decide`: no change is completed by the township; an increase, decrease, stop or gradual
  exit needs the county (or the township where confirmation is delegated). Every change of amount
  is an `AmountChange` (增发 / 减发 / 停发) with its effective month; the next review is scheduled.
  `review_reject` refuses a proposal and closes the review with reasons.
Bulk work (the monthly job, the yearly batch of unchanged households, gradual exits running out) is
in `dynamic_batch`. Events (a member's death, a move out of the county, a reported income change) are in
`dynamic_events`. Policy: DOMAIN §4.7; S1 Art. 13; S2 Art. 30–33; S8 §1(3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import (
    access_entitlement_for_change,
    access_review_for_step,
)
from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    EntitlementStatus,
    ReviewOutcome,
    ReviewStatus,
    ReviewStep,
    ReviewTrigger,
    Step,
)
from jiuzhu.cases.models import AmountChange, Application, Entitlement, Review, StatusChange
from jiuzhu.cases.review_rules import (
    ACTIVE_REVIEW_STATUSES,
    ADVERSE_OUTCOMES,
    COUNTY_OUTCOMES,
    DECREASE,
    GRADUAL_EXIT,
    INCREASE,
    NO_CHANGE,
    OPEN_CAPABILITIES,
    PROPOSE_CAPABILITIES,
    STOP,
    allowed_overrides,
    any_decide_capabilities,
    decide_capabilities,
    derive_outcome,
    gradual_exit_stop_month,
    month_after_day,
    next_review_due,
    review_step_allowed,
)
from jiuzhu.cases.review_selectors import ReviewFacts, review_facts_get
from jiuzhu.common.exceptions import (
    ConflictError,
    PermissionDeniedError,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.dibao import Assessment, assess_dibao
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.rules.policy import DibaoPolicy, policy_to_values
from jiuzhu.programs.selectors import dibao_policy_get

MAX_MONTHS_AHEAD = 12  # an effective month at most this far after the decision

# --- Helpers shared with dynamic_events -----------------------------------------------------------------


def _may_any(actor: Any, capabilities: Iterable[Any]) -> bool:
    return any(has_capability(actor, c) for c in capabilities)


def require_any(actor: Any, capabilities: Iterable[Any]) -> None:
    if not _may_any(actor, capabilities):
        raise PermissionDeniedError()


def policy_for(entitlement: Entitlement, on: datetime.date) -> DibaoPolicy:
    return dibao_policy_get(region_code=entitlement.region.code, program_code=entitlement.program.code, on=on)


def policy_snapshot(policy: DibaoPolicy, region_code: str, on: datetime.date) -> dict[str, Any]:
    return {"on": on.isoformat(), "region": region_code, **policy_to_values(policy)}


def review_months(snapshot: Mapping[str, Any]) -> tuple[int, int]:
    return int(snapshot["review_months_stable"]), int(snapshot["review_months_unstable"])


@dataclass(frozen=True)
class ReviewSchedule:
    review_class: str
    next_review_on: datetime.date


def initial_review_schedule(
    *, household_id: int, region_code: str, program_code: str, assessed_on: datetime.date
) -> ReviewSchedule:
    """The review class and the first periodic review of a benefit put in force (from the confirmation
    decision's day, with the policy in force then)."""
    policy = dibao_policy_get(region_code=region_code, program_code=program_code, on=assessed_on)
    facts = review_facts_get(household_id=household_id, as_of=assessed_on)
    return review_schedule_for(facts, policy, assessed_on)


def review_schedule_for(facts: ReviewFacts, policy: DibaoPolicy, assessed_on: datetime.date) -> ReviewSchedule:
    """The review class of the household's facts and its first periodic review after `assessed_on`."""
    review_class = facts.review_class(assessed_on)
    due = next_review_due(
        assessed_on,
        review_class,
        months_stable=policy.review_months_stable,
        months_unstable=policy.review_months_unstable,
    )
    return ReviewSchedule(review_class=review_class, next_review_on=due)


def check_date(value: datetime.date | None, not_before: datetime.date, field_name: str) -> datetime.date:
    """The day a step happened: today by default; never in the future nor before `not_before`."""
    today = timezone.localdate()
    day = value or today
    if day > today:
        raise ValidationFailed(field_errors={field_name: [_("日期不能晚于今天。")]})
    if day < not_before:
        raise ValidationFailed(
            field_errors={field_name: [_("日期不能早于 %(date)s。") % {"date": not_before.isoformat()}]}
        )
    return day


def _month_text(month: datetime.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def _yuan(fen: int) -> str:
    return fen_to_yuan_text(fen)


def audit_review(
    *,
    actor: Any,
    event_type: AuditEventType,
    review: Review,
    entitlement: Entitlement,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    audit_event_record(
        actor=actor,
        event_type=event_type,
        subject=review,
        region_code=entitlement.region.code,
        before=before or {},
        after={"entitlement": entitlement.pk, "household": entitlement.household_id, **(after or {})},
        reason=reason,
    )


def _save_review(review: Review, fields: Iterable[str]) -> None:
    review.version += 1
    review.save(update_fields=sorted({*fields, "version", "updated_at"}))


def _save_entitlement(entitlement: Entitlement, fields: Iterable[str]) -> None:
    entitlement.version += 1
    entitlement.save(update_fields=sorted({*fields, "version"}))


def check_effective_month(entitlement: Entitlement, month: datetime.date, field_name: str = "effective_month") -> None:
    """A change takes effect on the 1st of a month after the last entry of the amount history."""
    if month.day != 1:
        raise ValidationFailed(field_errors={field_name: [_("生效月份须为某月1日。")]})
    latest = (
        AmountChange.objects.filter(entitlement=entitlement)
        .order_by("-effective_month")
        .values_list("effective_month", flat=True)
        .first()
    )
    if latest is not None and month <= latest:
        raise ValidationFailed(
            field_errors={
                field_name: [_("生效月份须晚于最近一次待遇变动的月份（%(month)s）。") % {"month": _month_text(latest)}]
            }
        )


def write_amount_change(
    *,
    actor: Any,
    entitlement: Entitlement,
    review: Review,
    kind: str,
    month: datetime.date,
    amount_fen: int,
    reason: str,
) -> AmountChange:
    try:
        with transaction.atomic():
            return AmountChange.objects.create(
                entitlement=entitlement,
                effective_month=month,
                amount_fen=amount_fen,
                kind=kind,
                reason=reason,
                review=review,
                recorded_by=actor,
            )
    except IntegrityError:  # another change for the same month was recorded first
        raise ConflictError() from None


def stop_application(*, actor: Any, application: Application, on: datetime.date, note: str) -> None:
    """The application leaves "in force" (the household may apply again): timeline row; the caller's
    audit event records it."""
    if application.status != ApplicationStatus.IN_FORCE:
        return
    application.status = ApplicationStatus.STOPPED
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at"])
    StatusChange.objects.create(
        application=application,
        step=Step.STOP,
        from_status=ApplicationStatus.IN_FORCE,
        to_status=ApplicationStatus.STOPPED,
        occurred_on=on,
        occurred_at=timezone.now(),
        actor=actor,
        note=note,
    )


def close_active_reviews(*, actor: Any, entitlement: Entitlement, on: datetime.date, reason: str) -> list[int]:
    """Close the entitlement's open or proposed review (the benefit stopped for another reason)."""
    closed = []
    for review in Review.objects.select_for_update().filter(
        entitlement=entitlement, status__in=sorted(ACTIVE_REVIEW_STATUSES)
    ):
        before = {"status": review.status}
        review.status = ReviewStatus.CLOSED
        review.closed_reason = reason
        review.decided_on = on
        review.decided_by = actor if getattr(actor, "pk", None) else None
        _save_review(review, ["status", "closed_reason", "decided_on", "decided_by"])
        audit_review(
            actor=actor,
            event_type=AuditEventType.REVIEW_REJECTED,
            review=review,
            entitlement=entitlement,
            before=before,
            after={"status": review.status},
            reason=reason,
        )
        closed.append(review.pk)
    return closed


def _transition_error(review: Review, step: str) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("复核当前状态为“%(status)s”，不能进行“%(step)s”。")
        % {"status": ReviewStatus(review.status).label, "step": ReviewStep(step).label},
        code="review_step_not_allowed",
        status=str(review.status),
        step=str(step),
    )


def _require_in_force(entitlement: Entitlement) -> None:
    if entitlement.status != EntitlementStatus.ACTIVE:
        raise RuleViolation(
            _("该家庭的低保待遇状态为“%(status)s”，不能办理复核。")
            % {"status": EntitlementStatus(entitlement.status).label},
            code="entitlement_not_active",
        )


# --- Opening reviews ------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def review_open(
    *,
    actor: Any,
    entitlement_id: int,
    trigger: str = ReviewTrigger.OTHER,
    note: str = "",
    due_on: datetime.date | None = None,
    event_on: datetime.date | None = None,
    opened_on: datetime.date | None = None,
) -> Review:
    """Open a review of a benefit in force on demand (periodic, a reported change, other). Due on the
    entitlement's next review date for a periodic review, otherwise within the policy's re-check limit
    (`death_review_months`) of the event (default: today). One review at a time per benefit.
    Coordinators and townships. Writes REVIEW_OPENED."""
    require_any(actor, OPEN_CAPABILITIES)
    entitlement = access_entitlement_for_change(actor, entitlement_id)
    _require_in_force(entitlement)
    today = opened_on or timezone.localdate()  # the day the review is opened (today unless recorded later)
    errors: dict[str, list[str]] = {}
    if today > timezone.localdate():
        errors["opened_on"] = [_("日期不能晚于今天。")]
    if trigger not in ReviewTrigger.values or trigger in (ReviewTrigger.MOVE_OUT, ReviewTrigger.MEMBER_DEATH):
        errors["trigger"] = [_("请选择复核原因（成员死亡、迁出请通过相应的登记办理）。")]
    if trigger != ReviewTrigger.PERIODIC and not note.strip():
        errors["note"] = [_("请说明发起复核的原因。")]
    if event_on is not None and event_on > today:
        errors["event_on"] = [_("日期不能晚于今天。")]
    if due_on is not None and due_on < today:
        errors["due_on"] = [_("复核期限不能早于今天。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    existing = Review.objects.filter(entitlement=entitlement, status__in=sorted(ACTIVE_REVIEW_STATUSES)).first()
    if existing is not None:
        raise RuleViolation(
            _("该家庭已有进行中的复核（编号 %(id)s，期限 %(due)s），请在该复核中办理。")
            % {"id": existing.pk, "due": existing.due_on.isoformat()},
            code="review_already_open",
            review_id=existing.pk,
        )
    if due_on is None:
        if trigger == ReviewTrigger.PERIODIC and entitlement.next_review_on is not None:
            due_on = max(entitlement.next_review_on, today)
        else:
            due_on = add_months(event_on or today, policy_for(entitlement, today).death_review_months)
    try:
        with transaction.atomic():
            review = Review.objects.create(
                entitlement=entitlement,
                trigger=trigger,
                opened_on=today,
                due_on=due_on,
                opened_by=actor,
                event_on=event_on,
                note=note.strip() or _("定期复核"),
            )
    except IntegrityError:  # a review was opened at the same moment
        raise ConflictError() from None
    audit_review(
        actor=actor,
        event_type=AuditEventType.REVIEW_OPENED,
        review=review,
        entitlement=entitlement,
        after={"trigger": trigger, "due_on": due_on.isoformat()},
        reason=review.note,
    )
    return review


# --- Proposal -------------------------------------------------------------------------------------------


def _apply_assessment(
    review: Review,
    *,
    entitlement: Entitlement,
    assessment: Assessment,
    review_class: str,
    snapshot: dict[str, Any],
    outcome: str,
    grace_months: int,
) -> None:
    review.review_class = review_class
    review.eligible = assessment.eligible
    review.amount_before_fen = entitlement.monthly_amount_fen
    review.amount_fen = assessment.total_fen if assessment.eligible else 0
    review.member_count = assessment.counted_member_count
    review.per_capita_income_fen = assessment.per_capita_income_fen
    review.lines = [line.to_json() for line in assessment.lines]
    review.reason_codes = [reason.code for reason in assessment.reasons]
    review.policy_snapshot = snapshot
    review.outcome = outcome
    review.grace_months = grace_months if outcome == GRADUAL_EXIT else 0


PROPOSAL_FIELDS = [
    "findings", "reasons", "proposed_on", "proposed_by", "review_class", "eligible", "amount_before_fen",
    "amount_fen", "member_count", "per_capita_income_fen", "lines", "reason_codes", "policy_snapshot",
    "outcome", "grace_months", "status",
]  # fmt: skip


@transaction.atomic(durable=True)
def review_propose(
    *,
    actor: Any,
    review_id: int,
    expected_version: int,
    findings: str,
    reasons: str = "",
    outcome: str | None = None,
    proposed_on: datetime.date | None = None,
) -> Review:
    """Record the findings of the review (核查情况) and propose its outcome. The household is assessed
    on its facts of the day with the policy in force; the outcome follows from the result (no change,
    increase, decrease, stop, gradual exit). `outcome` may only replace a gradual exit by a stop.
    Decrease, stop and gradual exit need written `reasons` (told to the family). A proposal may be
    revised until it is decided. Coordinators and townships. Writes REVIEW_PROPOSED."""
    require_any(actor, PROPOSE_CAPABILITIES)
    review, entitlement = access_review_for_step(actor, review_id)
    if review.version != expected_version:
        raise ConflictError()
    if not review_step_allowed(review.status, ReviewStep.PROPOSE):
        raise _transition_error(review, ReviewStep.PROPOSE)
    _require_in_force(entitlement)
    day = check_date(proposed_on, review.opened_on, "proposed_on")
    policy = policy_for(entitlement, day)
    facts = review_facts_get(household_id=entitlement.household_id, as_of=day)
    assessment = assess_dibao(facts.household, policy, day)
    derived = derive_outcome(
        current_fen=entitlement.monthly_amount_fen, assessment=assessment, grace_months=policy.grace_months
    )
    chosen = outcome or derived
    errors: dict[str, list[str]] = {}
    if not findings.strip():
        errors["findings"] = [_("请填写核查情况。")]
    if chosen not in allowed_overrides(derived):
        errors["outcome"] = [
            _("按重新核算的结果，复核结论应为“%(derived)s”；只有渐退可以改为停发。")
            % {"derived": ReviewOutcome(derived).label}
        ]
    elif chosen in ADVERSE_OUTCOMES and not reasons.strip():
        errors["reasons"] = [_("减发、停发或渐退须写明理由，并书面告知家庭。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    before = {"status": review.status, "outcome": review.outcome}
    review.findings = findings.strip()
    review.reasons = reasons.strip()
    review.proposed_on = day
    review.proposed_by = actor
    review.status = ReviewStatus.PROPOSED
    _apply_assessment(
        review,
        entitlement=entitlement,
        assessment=assessment,
        review_class=facts.review_class(day),
        snapshot=policy_snapshot(policy, entitlement.region.code, day),
        outcome=chosen,
        grace_months=policy.grace_months,
    )
    _save_review(review, PROPOSAL_FIELDS)
    audit_review(
        actor=actor,
        event_type=AuditEventType.REVIEW_PROPOSED,
        review=review,
        entitlement=entitlement,
        before=before,
        after={
            "status": review.status,
            "outcome": review.outcome,
            "derived_outcome": derived,
            "amount_before_fen": review.amount_before_fen,
            "amount_fen": review.amount_fen,
        },
        reason=review.reasons or review.findings,
    )
    return review


# --- Decision -------------------------------------------------------------------------------------------


def _schedule_next(entitlement: Entitlement, review: Review, day: datetime.date) -> None:
    stable, unstable = review_months(review.policy_snapshot)
    entitlement.review_class = review.review_class
    entitlement.last_reviewed_on = day
    entitlement.next_review_on = next_review_due(
        day, review.review_class, months_stable=stable, months_unstable=unstable
    )


def _default_reason(review: Review) -> str:
    before, after = review.amount_before_fen or 0, review.amount_fen or 0
    return _("复核重新核定：月保障金额由 %(before)s 元调整为 %(after)s 元。") % {
        "before": _yuan(before),
        "after": _yuan(after),
    }


def _check_decision_month(entitlement: Entitlement, month: datetime.date, day: datetime.date) -> None:
    check_effective_month(entitlement, month)
    if month > add_months(month_of(day), MAX_MONTHS_AHEAD):
        raise ValidationFailed(
            field_errors={"effective_month": [_("生效月份不能晚于审批后 %(n)s 个月。") % {"n": MAX_MONTHS_AHEAD}]}
        )


def apply_outcome(
    *, actor: Any, review: Review, entitlement: Entitlement, day: datetime.date, month: datetime.date
) -> list[AmountChange]:
    """Write what the decided outcome means for the benefit (not saved: the entitlement's fields)."""
    outcome = review.outcome
    changes: list[AmountChange] = []
    if outcome == NO_CHANGE:
        _schedule_next(entitlement, review, day)
        return changes
    if outcome in (INCREASE, DECREASE):
        assert review.amount_fen is not None
        kind = AmountChangeKind.INCREASE if outcome == INCREASE else AmountChangeKind.DECREASE
        reason = review.reasons or _default_reason(review)
        changes.append(
            write_amount_change(
                actor=actor,
                entitlement=entitlement,
                review=review,
                kind=kind,
                month=month,
                amount_fen=review.amount_fen,
                reason=reason,
            )
        )
        entitlement.monthly_amount_fen = review.amount_fen
        _schedule_next(entitlement, review, day)
        return changes
    if outcome == STOP:
        review.stop_month = month
        changes.append(
            write_amount_change(
                actor=actor,
                entitlement=entitlement,
                review=review,
                kind=AmountChangeKind.STOP,
                month=month,
                amount_fen=0,
                reason=review.reasons,
            )
        )
        entitlement.status = EntitlementStatus.STOPPED
        entitlement.monthly_amount_fen = 0
    else:  # gradual exit: paid until the stop month, recorded now
        stop_month = gradual_exit_stop_month(month, review.grace_months)
        review.stop_month = stop_month
        reason = _("渐退期满停发（渐退期 %(n)s 个月：%(first)s至%(last)s）。%(reasons)s") % {
            "n": review.grace_months,
            "first": _month_text(month),
            "last": _month_text(add_months(stop_month, -1)),
            "reasons": review.reasons,
        }
        changes.append(
            write_amount_change(
                actor=actor,
                entitlement=entitlement,
                review=review,
                kind=AmountChangeKind.STOP,
                month=stop_month,
                amount_fen=0,
                reason=reason,
            )
        )
        entitlement.status = EntitlementStatus.EXITING
    entitlement.last_reviewed_on = day
    entitlement.next_review_on = None
    return changes


ENTITLEMENT_FIELDS = ["monthly_amount_fen", "status", "review_class", "last_reviewed_on", "next_review_on"]


@transaction.atomic(durable=True)
def review_decide(
    *,
    actor: Any,
    review_id: int,
    expected_version: int,
    note: str = "",
    effective_month: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> Review:
    """Decide the proposal. No change: completed by the township (or county); the amount stays and the
    next review is scheduled. Increase, decrease, stop, gradual exit: the county (CASE_DECIDE), or the
    township where confirmation is delegated; not the one who proposed it. The change takes effect from
    `effective_month` (the 1st; default the month after the decision) and is entered in the amount
    history; a gradual exit keeps paying for the grace months and records the stop after them. A stop
    ends the application's "in force" status. Writes REVIEW_DECIDED."""
    review, entitlement = access_review_for_step(actor, review_id)
    mode = entitlement.application.workflow_mode
    require_any(actor, any_decide_capabilities(mode))
    if review.version != expected_version:
        raise ConflictError()
    if not review_step_allowed(review.status, ReviewStep.DECIDE):
        raise _transition_error(review, ReviewStep.DECIDE)
    require_any(actor, decide_capabilities(review.outcome, mode))
    if review.outcome in COUNTY_OUTCOMES and review.proposed_by_id == actor.pk:
        raise RuleViolation(
            _("您提出了本复核的意见，按规定不能再审批本复核，请由其他审批人办理。"),
            code="proposer_may_not_decide",
        )
    _require_in_force(entitlement)
    assert review.proposed_on is not None
    day = check_date(decided_on, review.proposed_on, "decided_on")
    month = effective_month or month_after_day(day)
    if review.outcome != NO_CHANGE:
        _check_decision_month(entitlement, month, day)
    before = {
        "status": review.status,
        "entitlement_status": entitlement.status,
        "monthly_amount_fen": entitlement.monthly_amount_fen,
        "next_review_on": entitlement.next_review_on.isoformat() if entitlement.next_review_on else None,
    }
    changes = apply_outcome(actor=actor, review=review, entitlement=entitlement, day=day, month=month)
    review.status = ReviewStatus.DECIDED
    review.decided_on = day
    review.decided_by = actor
    review.decision_note = note.strip()
    review.effective_month = month if review.outcome != NO_CHANGE else None
    _save_review(review, ["status", "decided_on", "decided_by", "decision_note", "effective_month", "stop_month"])
    _save_entitlement(entitlement, ENTITLEMENT_FIELDS)
    if entitlement.status == EntitlementStatus.STOPPED:
        stop_application(actor=actor, application=entitlement.application, on=day, note=review.reasons)
    audit_review(
        actor=actor,
        event_type=AuditEventType.REVIEW_DECIDED,
        review=review,
        entitlement=entitlement,
        before=before,
        after={
            "status": review.status,
            "outcome": review.outcome,
            "entitlement_status": entitlement.status,
            "monthly_amount_fen": entitlement.monthly_amount_fen,
            "effective_month": review.effective_month.isoformat() if review.effective_month else None,
            "stop_month": review.stop_month.isoformat() if review.stop_month else None,
            "next_review_on": entitlement.next_review_on.isoformat() if entitlement.next_review_on else None,
            "amount_changes": [change.pk for change in changes],
        },
        reason=review.reasons or review.decision_note,
    )
    return review


@transaction.atomic(durable=True)
def review_reject(
    *, actor: Any, review_id: int, expected_version: int, reason: str, decided_on: datetime.date | None = None
) -> Review:
    """Refuse the proposal (不同意): the review is closed with the reasons, the benefit is unchanged and
    its next review date stays. Whoever may decide the proposal may refuse it. Writes REVIEW_REJECTED."""
    review, entitlement = access_review_for_step(actor, review_id)
    mode = entitlement.application.workflow_mode
    require_any(actor, any_decide_capabilities(mode))
    if review.version != expected_version:
        raise ConflictError()
    if not review_step_allowed(review.status, ReviewStep.REJECT):
        raise _transition_error(review, ReviewStep.REJECT)
    require_any(actor, decide_capabilities(review.outcome, mode))
    assert review.proposed_on is not None
    day = check_date(decided_on, review.proposed_on, "decided_on")
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请写明不同意复核意见的理由。")]})
    review.status = ReviewStatus.CLOSED
    review.closed_reason = reason.strip()
    review.decided_on = day
    review.decided_by = actor
    _save_review(review, ["status", "closed_reason", "decided_on", "decided_by"])
    audit_review(
        actor=actor,
        event_type=AuditEventType.REVIEW_REJECTED,
        review=review,
        entitlement=entitlement,
        before={"status": ReviewStatus.PROPOSED, "outcome": review.outcome},
        after={"status": review.status},
        reason=review.closed_reason,
    )
    return review
