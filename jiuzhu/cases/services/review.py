"""The township's review: the initial opinion (初审意见), the village notice (公示) and its objections,
and forwarding the file for confirmation (报送审核确认)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus, NoticeStageKind, Step
from jiuzhu.cases.models import Application, NoticeObjection, PublicNotice, TownshipOpinion
from jiuzhu.cases.rules import ClockLimits, appraisal_required, notice_end, notice_has_ended
from jiuzhu.cases.services.steps import begin_step, case_state, finish_step, step_date
from jiuzhu.common.exceptions import TransitionNotAllowed, ValidationFailed


def investigation_gaps(application: Application) -> list[str]:
    """What the current round still lacks before the township may give its opinion (Chinese labels)."""
    state = case_state(application)
    gaps = []
    if state.home_visit_on is None:
        gaps.append(_("入户调查") if application.round == 1 else _("异议后的重新入户调查"))
    if state.verification_requested_on is None:
        gaps.append(_("提请经济状况核对"))
    elif state.verification_pending or state.verification_recorded_on is None:
        gaps.append(_("经济状况核对结果"))
    if appraisal_required(state.appraisal_mode, state.is_disputed) and state.appraisal_on is None:
        gaps.append(_("民主评议"))
    return gaps


@transaction.atomic(durable=True)
def township_opinion_give(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    agrees: bool,
    text: str,
    given_on: datetime.date | None = None,
) -> TownshipOpinion:
    """The township's initial opinion (agree / disagree, with text) once the investigation of the current
    round is complete. Writes TOWNSHIP_OPINION_GIVEN."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.TOWNSHIP_OPINION
    )
    gaps = investigation_gaps(application)
    if gaps:
        raise TransitionNotAllowed(
            _("调查核实尚未完成，不能提出初审意见。尚缺：%(gaps)s。") % {"gaps": "、".join(gaps)},
            code="investigation_incomplete",
        )
    day = step_date(given_on, application, "given_on")
    if not text.strip():
        raise ValidationFailed(field_errors={"text": [_("请填写初审意见。")]})
    opinion = TownshipOpinion.objects.create(
        application=application, round=application.round, agrees=agrees, text=text.strip(), given_on=day, given_by=actor
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    finish_step(
        actor=actor,
        application=application,
        step=Step.TOWNSHIP_OPINION,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.TOWNSHIP_OPINION_GIVEN,
        fields=["status"],
        after={"opinion": opinion.pk, "agrees": agrees},
        note=opinion.text,
    )
    return opinion


def _latest_opinion(application: Application) -> TownshipOpinion | None:
    return application.opinions.filter(round=application.round).order_by("-given_on", "-id").first()


def notice_start_check(opinion: TownshipOpinion | None, day: datetime.date) -> None:
    """The village notice shows an agreeing opinion of the current round, from its date on."""
    if opinion is None or not opinion.agrees:
        raise TransitionNotAllowed(_("乡镇初审意见为不同意时不进行公示，请直接报送。"), code="opinion_disagrees")
    if day < opinion.given_on:
        raise ValidationFailed(field_errors={"starts_on": [_("公示不能早于初审意见日期。")]})


def forward_check(
    application: Application, notice: PublicNotice | None, opinion: TownshipOpinion | None, day: datetime.date
) -> None:
    """Forwarding waits for the end of the village notice; without a notice, only a disagreeing
    opinion may be forwarded (the decider then refuses in writing)."""
    if application.status == ApplicationStatus.IN_NOTICE:
        assert notice is not None and notice.ends_on is not None
        if not notice_has_ended(notice.ends_on, day):
            raise TransitionNotAllowed(
                _("公示期至 %(end)s 结束，公示期满后方可报送审核确认。") % {"end": notice.ends_on.isoformat()},
                code="notice_running",
                ends_on=notice.ends_on.isoformat(),
            )
    elif opinion is not None and opinion.agrees:
        raise TransitionNotAllowed(_("乡镇初审意见为同意的，须先在村（社区）公示。"), code="notice_required")


def latest_village_notice(application: Application) -> PublicNotice | None:
    return application.notices.filter(stage=NoticeStageKind.VILLAGE_NOTICE).order_by("-starts_on", "-id").first()


@transaction.atomic(durable=True)
def notice_start(
    *, actor: Any, application_id: int, expected_version: int, starts_on: datetime.date | None = None
) -> PublicNotice:
    """Post the township's agreeing opinion on the village notice board for the policy's notice period
    (calendar days). Writes NOTICE_STARTED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.NOTICE_START
    )
    opinion = _latest_opinion(application)
    day = step_date(starts_on, application, "starts_on")
    notice_start_check(opinion, day)
    ends_on = notice_end(day, ClockLimits.from_json(application.clock_limits))
    notice = PublicNotice.objects.create(
        application=application, stage=NoticeStageKind.VILLAGE_NOTICE, starts_on=day, ends_on=ends_on, posted_by=actor
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    finish_step(
        actor=actor,
        application=application,
        step=Step.NOTICE_START,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.NOTICE_STARTED,
        fields=["status"],
        after={"notice": notice.pk, "starts_on": day.isoformat(), "ends_on": ends_on.isoformat()},
    )
    return notice


@transaction.atomic(durable=True)
def notice_objection_record(
    *, actor: Any, application_id: int, expected_version: int, text: str, received_on: datetime.date | None = None
) -> NoticeObjection:
    """Record an objection to the village notice: the case goes back to investigation for a new round
    (a new home visit, then a new opinion and notice). Writes NOTICE_OBJECTION_RECORDED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.NOTICE_OBJECTION
    )
    day = step_date(received_on, application, "received_on")
    if not text.strip():
        raise ValidationFailed(field_errors={"text": [_("请填写异议内容。")]})
    notice = latest_village_notice(application)
    assert notice is not None  # the status says a notice is running
    objection = NoticeObjection.objects.create(notice=notice, received_on=day, text=text.strip(), recorded_by=actor)
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.round += 1
    application.round_started_on = day
    finish_step(
        actor=actor,
        application=application,
        step=Step.NOTICE_OBJECTION,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.NOTICE_OBJECTION_RECORDED,
        fields=["status", "round", "round_started_on"],
        after={"objection": objection.pk, "round": application.round},
        note=objection.text,
    )
    return objection


@transaction.atomic(durable=True)
def application_forward(
    *, actor: Any, application_id: int, expected_version: int, forwarded_on: datetime.date | None = None
) -> Application:
    """Forward the file for confirmation: after the notice period has ended without objection, or at once
    after a disagreeing opinion (the decider then refuses in writing). Writes APPLICATION_FORWARDED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.FORWARD
    )
    day = step_date(forwarded_on, application, "forwarded_on")
    in_notice = application.status == ApplicationStatus.IN_NOTICE
    forward_check(
        application,
        latest_village_notice(application) if in_notice else None,
        None if in_notice else _latest_opinion(application),
        day,
    )
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.forwarded_on = day
    return finish_step(
        actor=actor,
        application=application,
        step=Step.FORWARD,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_FORWARDED,
        fields=["status", "forwarded_on"],
    )
