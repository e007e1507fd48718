"""Confirmation (审核确认): approval with the calculated amount, refusal with written reasons, and the
publication (长期公示) that puts the benefit in force with the first entry of its amount history."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    DecisionOutcome,
    NoticeStageKind,
    RefusalReason,
    Step,
)
from jiuzhu.cases.models import (
    AmountChange,
    Application,
    CadreFiling,
    Decision,
    Entitlement,
    HomeVisit,
    PublicNotice,
)
from jiuzhu.cases.rules import month_after, notice_has_ended
from jiuzhu.cases.selectors import household_facts_get, household_has_cadre_member
from jiuzhu.cases.services.dynamic import initial_review_schedule
from jiuzhu.cases.services.review import latest_village_notice
from jiuzhu.cases.services.steps import begin_step, finish_step, step_date
from jiuzhu.common.exceptions import ConflictError, RuleViolation, TransitionNotAllowed, ValidationFailed
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.rules.policy import policy_to_values
from jiuzhu.programs.selectors import dibao_policy_get


def investigated_by(application: Application) -> set[int]:
    """Staff who recorded or made a home visit, or requested or recorded the verification."""
    ids: set[int] = set(application.home_visits.values_list("recorded_by_id", flat=True))
    ids.update(
        HomeVisit.investigators.through.objects.filter(homevisit__application=application).values_list(
            "user_id", flat=True
        )
    )
    for requested_by, result_by in application.verifications.values_list("requested_by_id", "result_by_id"):
        ids.add(requested_by)
        if result_by:
            ids.add(result_by)
    return ids


def _check_decider(actor: Any, application: Application) -> None:
    if actor.pk in investigated_by(application):
        raise RuleViolation(
            _("您参与了本申请的入户调查或经济状况核对，按规定调查人员不能审核确认本申请，请由其他审批人办理。"),
            code="investigator_may_not_decide",
        )


def _check_cadre_rules(application: Application, on: datetime.date) -> None:
    cadre = application.is_cadre_case or household_has_cadre_member(household_id=application.household_id, on=on)
    if not cadre:
        return
    missing = []
    if not CadreFiling.objects.filter(application=application).exists():
        missing.append(_("乡镇单独登记备案"))
    if not application.home_visits.filter(is_county_visit=True).exists():
        missing.append(_("县级入户核查"))
    if missing:
        raise RuleViolation(
            _("该家庭有基层干部或其近亲属，批准前须完成：%(missing)s。") % {"missing": "、".join(missing)},
            code="cadre_relative_checks_missing",
        )


def _create_decision(**fields: Any) -> Decision:
    try:
        with transaction.atomic():
            return Decision.objects.create(**fields)
    except IntegrityError:
        # Another decision was saved first (the one-to-one refuses a second one).
        raise ConflictError() from None


@transaction.atomic(durable=True)
def application_approve(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    comment: str = "",
    first_payment_month: datetime.date | None = None,
    decided_on: datetime.date | None = None,
) -> Decision:
    """Approve (批准): the amount comes from the dibao calculator on the household's facts and the policy
    in force on the decision day; the itemised lines and the policy are stored with the decision.
    Payment starts the month after the decision unless another first month is given. The decider may
    not have investigated the case; cadre-relative cases need the filing and the county's own visit.
    Writes APPLICATION_APPROVED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.APPROVE
    )
    day = step_date(decided_on, application, "decided_on")
    notice = latest_village_notice(application)
    if notice is None or notice.ends_on is None or not notice_has_ended(notice.ends_on, day):
        end = notice.ends_on.isoformat() if notice and notice.ends_on else "—"
        raise TransitionNotAllowed(
            _("公示期至 %(end)s 结束，公示期满后方可审核确认。") % {"end": end}, code="notice_running"
        )
    opinion = application.opinions.filter(round=application.round).order_by("-given_on", "-id").first()
    if opinion is None or not opinion.agrees:
        raise RuleViolation(_("乡镇初审意见为不同意，不能批准。"), code="opinion_disagrees")
    _check_decider(actor, application)
    _check_cadre_rules(application, day)
    month = first_payment_month or month_after(day)
    if month.day != 1:
        raise ValidationFailed(field_errors={"first_payment_month": [_("起始发放月份须为某月1日。")]})

    policy = dibao_policy_get(region_code=application.region.code, program_code=application.program.code, on=day)
    facts = household_facts_get(household_id=application.household_id, as_of=day)
    assessment = assess_dibao(facts, policy, day)
    if not assessment.eligible or assessment.benefit is None:
        reasons = "；".join(_(reason.label) for reason in assessment.reasons)
        raise RuleViolation(
            _("按当前家庭信息和政策计算，该家庭不符合低保条件（%(reasons)s），请作出不予批准决定。")
            % {"reasons": reasons},
            code="not_eligible",
            reasons=[reason.code for reason in assessment.reasons],
        )
    decision = _create_decision(
        application=application,
        outcome=DecisionOutcome.APPROVED,
        decided_on=day,
        decided_by=actor,
        monthly_amount_fen=assessment.total_fen,
        first_payment_month=month,
        member_count=assessment.counted_member_count,
        per_capita_income_fen=assessment.per_capita_income_fen,
        lines=[line.to_json() for line in assessment.lines],
        policy_snapshot={"on": day.isoformat(), "region": application.region.code, **policy_to_values(policy)},
        reason_text=comment.strip(),
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.decided_on = day
    finish_step(
        actor=actor,
        application=application,
        step=Step.APPROVE,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_APPROVED,
        fields=["status", "decided_on"],
        after={
            "decision": decision.pk,
            "monthly_amount_fen": decision.monthly_amount_fen,
            "first_payment_month": month.isoformat(),
        },
        note=decision.reason_text,
    )
    return decision


@transaction.atomic(durable=True)
def application_refuse(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    reason_codes: Sequence[str],
    reason_text: str,
    decided_on: datetime.date | None = None,
) -> Decision:
    """Refuse (不予批准) with reason codes and written reasons, notified in writing within the policy's
    limit. The decider may not have investigated the case. Writes APPLICATION_REFUSED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.REFUSE
    )
    day = step_date(decided_on, application, "decided_on")
    codes = list(dict.fromkeys(reason_codes))
    errors: dict[str, list[str]] = {}
    if not codes or any(code not in RefusalReason.values for code in codes):
        errors["reason_codes"] = [_("请选择不予批准的原因。")]
    if not reason_text.strip():
        errors["reason_text"] = [_("请写明不予批准的理由。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    _check_decider(actor, application)
    decision = _create_decision(
        application=application,
        outcome=DecisionOutcome.REFUSED,
        decided_on=day,
        decided_by=actor,
        reason_codes=codes,
        reason_text=reason_text.strip(),
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.decided_on = day
    finish_step(
        actor=actor,
        application=application,
        step=Step.REFUSE,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_REFUSED,
        fields=["status", "decided_on"],
        after={"decision": decision.pk, "reason_codes": codes},
        note=decision.reason_text,
    )
    return decision


def publish_check(decision: Decision, day: datetime.date) -> None:
    if day < decision.decided_on:
        raise ValidationFailed(field_errors={"published_on": [_("公示日期不能早于审批日期。")]})
    assert decision.first_payment_month is not None  # an approval always has one


@transaction.atomic(durable=True)
def application_publish(
    *, actor: Any, application_id: int, expected_version: int, published_on: datetime.date | None = None
) -> Entitlement:
    """Publish the approved household on the long-term notice board (name, household size, amount) and put
    the benefit in force from the first payment month: an Entitlement and its first amount entry
    (新增), with its review class and first periodic review (cases.review_rules) counted from the
    decision. Writes APPLICATION_PUBLISHED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.PUBLISH
    )
    day = step_date(published_on, application, "published_on")
    decision = Decision.objects.get(application=application)
    publish_check(decision, day)
    assert decision.first_payment_month is not None
    PublicNotice.objects.create(
        application=application, stage=NoticeStageKind.PUBLICATION, starts_on=day, ends_on=None, posted_by=actor
    )
    schedule = initial_review_schedule(
        household_id=application.household_id,
        region_code=application.region.code,
        program_code=application.program.code,
        assessed_on=decision.decided_on,
    )
    entitlement = Entitlement.objects.create(
        application=application,
        household_id=application.household_id,
        program_id=application.program_id,
        region_id=application.region_id,
        first_month=decision.first_payment_month,
        monthly_amount_fen=decision.monthly_amount_fen,
        review_class=schedule.review_class,
        last_reviewed_on=decision.decided_on,
        next_review_on=schedule.next_review_on,
    )
    AmountChange.objects.create(
        entitlement=entitlement,
        effective_month=decision.first_payment_month,
        amount_fen=decision.monthly_amount_fen,
        kind=AmountChangeKind.GRANT,
        reason=_("新申请批准"),
        decision=decision,
        recorded_by=actor,
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.published_on = day
    finish_step(
        actor=actor,
        application=application,
        step=Step.PUBLISH,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_PUBLISHED,
        fields=["status", "published_on"],
        after={"entitlement": entitlement.pk, "monthly_amount_fen": entitlement.monthly_amount_fen},
    )
    return entitlement
