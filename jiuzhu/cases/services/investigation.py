"""Investigation (调查核实): home visits, the economic verification request and its result, marking a
case disputed or special, the democratic appraisal, and the cadre-relative filing (备案)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, region_code_in_jurisdiction
from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus, Step, VerificationResult
from jiuzhu.cases.models import Application, Appraisal, CadreFiling, HomeVisit, VerificationRequest
from jiuzhu.cases.services.steps import begin_step, finish_step, step_date
from jiuzhu.cases.step_access import is_county_level
from jiuzhu.common.exceptions import RuleViolation, ValidationFailed
from jiuzhu.registry.models import Document

MIN_INVESTIGATORS = 2


def _investigators(application: Application, investigator_ids: Sequence[int]) -> list[User]:
    ids = list(dict.fromkeys(int(pk) for pk in investigator_ids))
    users = list(User.objects.filter(pk__in=ids, is_active=True).select_related("region"))
    if len(ids) < MIN_INVESTIGATORS or len(users) != len(ids):
        raise ValidationFailed(
            field_errors={"investigators": [_("入户调查须由至少两名不同的工作人员进行，请选择调查人员。")]}
        )
    for user in users:
        if not has_capability(user, Capability.CASE_INVESTIGATE) or not region_code_in_jurisdiction(
            user, application.region.code
        ):
            raise ValidationFailed(
                field_errors={
                    "investigators": [
                        _("%(name)s 不是本辖区可以开展入户调查的工作人员。") % {"name": user.display_name}
                    ]
                }
            )
    return users


@transaction.atomic(durable=True)
def home_visit_record(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    visited_on: datetime.date,
    findings: str,
    investigator_ids: Sequence[int],
    photo_ids: Sequence[int] = (),
) -> HomeVisit:
    """Record a home visit (入户调查) by at least two staff, with findings and optional photos (registry
    documents of the household). After forwarding only the county's own visit may be recorded.
    Writes HOME_VISIT_RECORDED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.HOME_VISIT
    )
    county = is_county_level(actor)
    if application.status == ApplicationStatus.AWAITING_DECISION and not county:
        raise RuleViolation(_("报送审批后只能由县级工作人员登记入户核查。"), code="county_visit_only")
    day = step_date(visited_on, application, "visited_on")
    if application.accepted_on and day < application.accepted_on:
        raise ValidationFailed(field_errors={"visited_on": [_("入户调查日期不能早于受理日期。")]})
    if not findings.strip():
        raise ValidationFailed(field_errors={"findings": [_("请填写入户调查情况。")]})
    users = _investigators(application, investigator_ids)
    photos = list(
        Document.objects.filter(pk__in=list(photo_ids), household_id=application.household_id, is_removed=False)
    )
    if len(photos) != len(set(photo_ids)):
        raise ValidationFailed(field_errors={"photos": [_("照片须是该家庭档案中的附件。")]})
    visit = HomeVisit.objects.create(
        application=application,
        round=application.round,
        visited_on=day,
        findings=findings.strip(),
        is_county_visit=county,
        recorded_by=actor,
    )
    visit.investigators.set(users)
    visit.photos.set(photos)
    finish_step(
        actor=actor,
        application=application,
        step=Step.HOME_VISIT,
        from_status=application.status,
        on=day,
        event_type=AuditEventType.HOME_VISIT_RECORDED,
        fields=[],
        after={
            "home_visit": visit.pk,
            "investigators": [u.pk for u in users],
            "is_county_visit": county,
            "photos": [p.pk for p in photos],
        },
    )
    return visit


@transaction.atomic(durable=True)
def verification_request(
    *, actor: Any, application_id: int, expected_version: int, requested_on: datetime.date | None = None
) -> VerificationRequest:
    """Ask the county's verification centre to check the family's economic situation (核对). Needs the
    signed authorisation; one request at a time. Writes VERIFICATION_REQUESTED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.VERIFICATION_REQUEST
    )
    day = step_date(requested_on, application, "requested_on")
    if application.authorisation_signed_on is None:
        raise RuleViolation(_("申请人家庭尚未签署核对授权书，不能提请核对。"), code="authorisation_missing")
    if application.verifications.filter(result=VerificationResult.PENDING).exists():
        raise RuleViolation(_("已有一份核对申请在办理中。"), code="verification_pending")
    request = VerificationRequest.objects.create(application=application, requested_on=day, requested_by=actor)
    finish_step(
        actor=actor,
        application=application,
        step=Step.VERIFICATION_REQUEST,
        from_status=application.status,
        on=day,
        event_type=AuditEventType.VERIFICATION_REQUESTED,
        fields=[],
        after={"verification": request.pk},
    )
    return request


@transaction.atomic(durable=True)
def verification_result_record(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    passed: bool,
    notes: str,
    result_on: datetime.date | None = None,
) -> VerificationRequest:
    """Record the verification centre's result (passed / failed, with notes) on the pending request.
    Writes VERIFICATION_RESULT_RECORDED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.VERIFICATION_RESULT
    )
    day = step_date(result_on, application, "result_on")
    request = application.verifications.filter(result=VerificationResult.PENDING).order_by("-id").first()
    if request is None:
        raise RuleViolation(_("没有待登记结果的核对申请，请先提请核对。"), code="no_pending_verification")
    if day < request.requested_on:
        raise ValidationFailed(field_errors={"result_on": [_("结果日期不能早于提请日期。")]})
    if not passed and not notes.strip():
        raise ValidationFailed(field_errors={"notes": [_("核对不符合时须写明情况。")]})
    request.result = VerificationResult.PASSED if passed else VerificationResult.FAILED
    request.result_notes = notes.strip()
    request.result_on = day
    request.result_by = actor
    request.save(update_fields=["result", "result_notes", "result_on", "result_by"])
    finish_step(
        actor=actor,
        application=application,
        step=Step.VERIFICATION_RESULT,
        from_status=application.status,
        on=day,
        event_type=AuditEventType.VERIFICATION_RESULT_RECORDED,
        fields=[],
        after={"verification": request.pk, "result": request.result},
    )
    return request


@transaction.atomic(durable=True)
def application_mark_disputed(*, actor: Any, application_id: int, expected_version: int, reason: str) -> Application:
    """The township marks the case disputed: where the policy appraises "when disputed", an appraisal is
    then required before the opinion. Writes APPLICATION_MARKED_DISPUTED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.MARK_DISPUTED
    )
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请填写争议情况。")]})
    application.is_disputed = True
    return finish_step(
        actor=actor,
        application=application,
        step=Step.MARK_DISPUTED,
        from_status=application.status,
        on=step_date(None, application, "on"),
        event_type=AuditEventType.APPLICATION_MARKED_DISPUTED,
        fields=["is_disputed"],
        note=reason.strip(),
    )


@transaction.atomic(durable=True)
def application_mark_special(*, actor: Any, application_id: int, expected_version: int, reason: str) -> Application:
    """Mark a special case (特殊情况: split residence, hard investigation…): the overall limit becomes the
    special one (45 working days). Writes APPLICATION_MARKED_SPECIAL."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.MARK_SPECIAL
    )
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请写明特殊情况。")]})
    application.is_special = True
    application.special_reason = reason.strip()
    return finish_step(
        actor=actor,
        application=application,
        step=Step.MARK_SPECIAL,
        from_status=application.status,
        on=step_date(None, application, "on"),
        event_type=AuditEventType.APPLICATION_MARKED_SPECIAL,
        fields=["is_special", "special_reason"],
        note=application.special_reason,
    )


@transaction.atomic(durable=True)
def appraisal_record(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    held_on: datetime.date,
    participant_count: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    minutes: str,
) -> Appraisal:
    """Record a democratic appraisal (民主评议) where the policy provides for one. Writes APPRAISAL_RECORDED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.APPRAISAL
    )
    if application.appraisal_mode == "never":
        raise RuleViolation(_("本地政策规定不进行民主评议。"), code="appraisal_not_used")
    day = step_date(held_on, application, "held_on")
    errors: dict[str, list[str]] = {}
    votes = (votes_for, votes_against, votes_abstain)
    if participant_count < 1 or min(votes) < 0:
        errors["participant_count"] = [_("参加人数和票数不能为负数，参加人数至少为1。")]
    elif sum(votes) > participant_count:
        errors["votes"] = [_("票数合计不能超过参加人数。")]
    if not minutes.strip():
        errors["minutes"] = [_("请填写评议记录。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    appraisal = Appraisal.objects.create(
        application=application,
        round=application.round,
        held_on=day,
        participant_count=participant_count,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        minutes=minutes.strip(),
        recorded_by=actor,
    )
    finish_step(
        actor=actor,
        application=application,
        step=Step.APPRAISAL,
        from_status=application.status,
        on=day,
        event_type=AuditEventType.APPRAISAL_RECORDED,
        fields=[],
        after={"appraisal": appraisal.pk, "votes": list(votes), "participants": participant_count},
    )
    return appraisal


@transaction.atomic(durable=True)
def cadre_filing_record(
    *, actor: Any, application_id: int, expected_version: int, note: str, filed_on: datetime.date | None = None
) -> CadreFiling:
    """The township's separate filing (单独登记备案) of a case where a member is a cadre or a cadre's close
    relative (S2 Art. 11). Writes CADRE_FILING_RECORDED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.CADRE_FILING
    )
    day = step_date(filed_on, application, "filed_on")
    if CadreFiling.objects.filter(application=application).exists():
        raise RuleViolation(_("该申请已经备案。"), code="already_filed")
    if not note.strip():
        raise ValidationFailed(field_errors={"note": [_("请写明与基层干部的关系和职务。")]})
    filing = CadreFiling.objects.create(application=application, filed_on=day, filed_by=actor, note=note.strip())
    application.is_cadre_case = True
    finish_step(
        actor=actor,
        application=application,
        step=Step.CADRE_FILING,
        from_status=application.status,
        on=day,
        event_type=AuditEventType.CADRE_FILING_RECORDED,
        fields=["is_cadre_case"],
        after={"cadre_filing": filing.pk},
        note=filing.note,
    )
    return filing
