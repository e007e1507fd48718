"""Intake (申请登记), completing materials, acceptance (受理), withdrawal and termination."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicantRelation, ApplicationStatus, Step
from jiuzhu.cases.models import Application, StatusChange
from jiuzhu.cases.rules import MATERIAL_LABELS, ChecklistFacts, ClockLimits, check_completeness
from jiuzhu.cases.selectors import household_has_cadre_member
from jiuzhu.cases.services.steps import begin_step, finish_step, refresh_clocks, step_date
from jiuzhu.cases.workflow import ACTIVE_STATUSES
from jiuzhu.common.exceptions import RuleViolation, ValidationFailed
from jiuzhu.programs.models import DIBAO_PROGRAMS, Program, ProgramCode
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.registry.access import access_household_for_edit
from jiuzhu.registry.choices import HukouType
from jiuzhu.registry.models import Household, Person


def missing_materials_notice(missing: Sequence[str]) -> str:
    """The one-time written notice (一次性告知) of everything missing, as one numbered list."""
    if not missing:
        return ""
    items = "；".join(f"{n}. {_(MATERIAL_LABELS[code])}" for n, code in enumerate(missing, start=1))
    return _("申请材料不齐全，请一次性补齐以下材料：%(items)s。") % {"items": items}


def _checklist_facts(
    household: Household, *, by_agent: bool, authorisation_signed_on: datetime.date | None, promise_on: Any
) -> ChecklistFacts:
    members = list(household.members.filter(death_date__isnull=True))
    return ChecklistFacts(
        has_disabled_member=any(p.disability_category for p in members),
        has_seriously_ill_member=any(p.has_serious_illness for p in members),
        applied_by_agent=by_agent,
        authorisation_signed=authorisation_signed_on is not None,
        promise_signed=promise_on is not None,
    )


def _check_materials(materials: Iterable[str]) -> list[str]:
    provided = list(dict.fromkeys(materials))
    unknown = [m for m in provided if m not in MATERIAL_LABELS]
    if unknown:
        raise ValidationFailed(
            field_errors={"materials": [_("未知的材料：%(codes)s。") % {"codes": "、".join(unknown)}]}
        )
    return provided


def _check_signatures(
    authorisation_signed_on: datetime.date | None, signers: Sequence[str], promise_signed_on: datetime.date | None
) -> list[str]:
    errors: dict[str, list[str]] = {}
    clean = [s.strip() for s in signers if s.strip()]
    if authorisation_signed_on is not None and not clean:
        errors["authorisation_signers"] = [_("请填写在核对授权书上签字的家庭成员。")]
    today = timezone.localdate()
    for field, day in (("authorisation_signed_on", authorisation_signed_on), ("promise_signed_on", promise_signed_on)):
        if day is not None and day > today:
            errors[field] = [_("日期不能晚于今天。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    return clean


def default_program_code(household: Household) -> str:
    """Urban or rural dibao by the household's hukou (DOMAIN §4)."""
    return ProgramCode.DIBAO_URBAN if household.hukou_type == HukouType.URBAN else ProgramCode.DIBAO_RURAL


@transaction.atomic(durable=True)
def application_submit(
    *,
    actor: Any,
    household_id: int,
    applicant_id: int,
    materials_provided: Iterable[str],
    authorisation_signed_on: datetime.date | None,
    authorisation_signers: Sequence[str] = (),
    promise_signed_on: datetime.date | None,
    program_code: str | None = None,
    submitted_on: datetime.date | None = None,
    applied_by_applicant: bool = True,
    agent_name: str = "",
    agent_relation: str = "",
) -> Application:
    """Take a dibao application (本人或代为申请). Complete materials → "submitted" (awaiting acceptance);
    otherwise "materials_incomplete" with the one-time notice of everything missing.
    Writes APPLICATION_SUBMITTED."""
    household = access_household_for_edit(actor, household_id, lock=True)
    require_capability(actor, Capability.CASE_INTAKE)
    today = timezone.localdate()
    submitted_on = submitted_on or today
    errors: dict[str, list[str]] = {}
    if submitted_on > today:
        errors["submitted_on"] = [_("日期不能晚于今天。")]
    applicant = Person.objects.filter(pk=applicant_id, household=household, death_date__isnull=True).first()
    if applicant is None:
        errors["applicant"] = [_("申请人须是该家庭在世的成员。")]
    program_code = program_code or default_program_code(household)
    if program_code not in DIBAO_PROGRAMS:
        errors["program"] = [_("请选择城市低保或农村低保。")]
    if not applied_by_applicant:
        if not agent_name.strip():
            errors["agent_name"] = [_("代为申请时须填写代申请人姓名。")]
        if agent_relation not in ApplicantRelation.values:
            errors["agent_relation"] = [_("请选择代申请人的身份。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    signers = _check_signatures(authorisation_signed_on, authorisation_signers, promise_signed_on)
    provided = _check_materials(materials_provided)
    if Application.objects.filter(household=household, status__in=ACTIVE_STATUSES).exists():
        raise RuleViolation(_("该家庭已有正在办理的申请或正在享受低保，不能重复申请。"), code="application_exists")

    policy = dibao_policy_get(region_code=household.region.code, program_code=program_code, on=submitted_on)
    facts = _checklist_facts(
        household,
        by_agent=not applied_by_applicant,
        authorisation_signed_on=authorisation_signed_on,
        promise_on=promise_signed_on,
    )
    completeness = check_completeness(provided, facts)
    status = ApplicationStatus.SUBMITTED if completeness.is_complete else ApplicationStatus.MATERIALS_INCOMPLETE
    application = Application(
        household=household,
        region=household.region,
        program=Program.objects.get(code=program_code),
        applicant=applicant,
        status=status,
        submitted_on=submitted_on,
        applied_by_applicant=applied_by_applicant,
        agent_name="" if applied_by_applicant else agent_name.strip(),
        agent_relation="" if applied_by_applicant else agent_relation,
        authorisation_signed_on=authorisation_signed_on,
        authorisation_signers=signers,
        promise_signed_on=promise_signed_on,
        materials_provided=provided,
        materials_missing=list(completeness.missing),
        materials_complete_on=submitted_on if completeness.is_complete else None,
        missing_materials_text=missing_materials_notice(completeness.missing),
        is_cadre_case=household_has_cadre_member(household_id=household.pk, on=submitted_on),
        workflow_mode=policy.workflow_mode.value,
        appraisal_mode=policy.appraisal_mode.value,
        clock_limits=ClockLimits.of(policy).to_json(),
        created_by=actor,
    )
    application.save()
    refresh_clocks(application)
    application.save(update_fields=["next_step", "due_on", "overall_due_on"])
    StatusChange.objects.create(
        application=application,
        step=Step.SUBMIT,
        from_status="",
        to_status=status,
        occurred_on=submitted_on,
        occurred_at=timezone.now(),
        actor=actor,
        note=application.missing_materials_text,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.APPLICATION_SUBMITTED,
        subject=application,
        region_code=household.region.code,
        after={
            "status": status,
            "program": program_code,
            "household": household.pk,
            "applicant": applicant.pk if applicant else None,
            "materials_missing": list(completeness.missing),
            "is_cadre_case": application.is_cadre_case,
        },
    )
    return application


@transaction.atomic(durable=True)
def application_materials_complete(
    *,
    actor: Any,
    application_id: int,
    expected_version: int,
    materials_provided: Iterable[str],
    authorisation_signed_on: datetime.date | None = None,
    authorisation_signers: Sequence[str] = (),
    promise_signed_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> Application:
    """Record materials handed in after the one-time notice (added to those already provided); the
    application goes on to acceptance once nothing is missing. Writes APPLICATION_MATERIALS_COMPLETED."""
    application, _transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.COMPLETE_MATERIALS
    )
    day = step_date(on, application, "on")
    from_status = application.status
    signed_on = authorisation_signed_on or application.authorisation_signed_on
    signers = list(authorisation_signers) or application.authorisation_signers
    promise_on = promise_signed_on or application.promise_signed_on
    signers = _check_signatures(signed_on, signers, promise_on)
    provided = list(dict.fromkeys([*application.materials_provided, *_check_materials(materials_provided)]))
    facts = _checklist_facts(
        application.household,
        by_agent=not application.applied_by_applicant,
        authorisation_signed_on=signed_on,
        promise_on=promise_on,
    )
    completeness = check_completeness(provided, facts)
    application.materials_provided = provided
    application.materials_missing = list(completeness.missing)
    application.missing_materials_text = missing_materials_notice(completeness.missing)
    application.authorisation_signed_on = signed_on
    application.authorisation_signers = signers
    application.promise_signed_on = promise_on
    if completeness.is_complete:
        application.status = ApplicationStatus.SUBMITTED
        application.materials_complete_on = day  # the acceptance clock runs from here
    return finish_step(
        actor=actor,
        application=application,
        step=Step.COMPLETE_MATERIALS,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_MATERIALS_COMPLETED,
        fields=[
            "materials_provided",
            "materials_missing",
            "missing_materials_text",
            "authorisation_signed_on",
            "authorisation_signers",
            "promise_signed_on",
            "status",
            "materials_complete_on",
        ],
        after={"materials_missing": list(completeness.missing)},
        note=application.missing_materials_text,
    )


@transaction.atomic(durable=True)
def application_accept(
    *, actor: Any, application_id: int, expected_version: int, accepted_on: datetime.date | None = None
) -> Application:
    """Township acceptance (受理): starts the clocks with the policy in force on the day.
    Writes APPLICATION_ACCEPTED."""
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=Step.ACCEPT
    )
    day = step_date(accepted_on, application, "accepted_on")
    policy = dibao_policy_get(region_code=application.region.code, program_code=application.program.code, on=day)
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.accepted_on = day
    application.round_started_on = day
    application.workflow_mode = policy.workflow_mode.value
    application.appraisal_mode = policy.appraisal_mode.value
    application.clock_limits = ClockLimits.of(policy).to_json()
    application.is_cadre_case = household_has_cadre_member(household_id=application.household_id, on=day)
    return finish_step(
        actor=actor,
        application=application,
        step=Step.ACCEPT,
        from_status=from_status,
        on=day,
        event_type=AuditEventType.APPLICATION_ACCEPTED,
        fields=[
            "status",
            "accepted_on",
            "round_started_on",
            "workflow_mode",
            "appraisal_mode",
            "clock_limits",
            "is_cadre_case",
        ],
        after={"workflow_mode": application.workflow_mode, "is_cadre_case": application.is_cadre_case},
    )


def _close(
    *, actor: Any, application_id: int, expected_version: int, reason: str, step: Step, event: AuditEventType
) -> Application:
    application, transition = begin_step(
        actor=actor, application_id=application_id, expected_version=expected_version, step=step
    )
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请填写原因。")]})
    from_status = application.status
    application.status = ApplicationStatus(transition.to_status or from_status)
    application.closed_reason = reason.strip()
    return finish_step(
        actor=actor,
        application=application,
        step=step,
        from_status=from_status,
        on=timezone.localdate(),
        event_type=event,
        fields=["status", "closed_reason"],
        note=application.closed_reason,
    )


@transaction.atomic(durable=True)
def application_withdraw(*, actor: Any, application_id: int, expected_version: int, reason: str) -> Application:
    """The applicant withdraws the application (recorded by staff). Writes APPLICATION_WITHDRAWN."""
    return _close(
        actor=actor,
        application_id=application_id,
        expected_version=expected_version,
        reason=reason,
        step=Step.WITHDRAW,
        event=AuditEventType.APPLICATION_WITHDRAWN,
    )


@transaction.atomic(durable=True)
def application_terminate(*, actor: Any, application_id: int, expected_version: int, reason: str) -> Application:
    """Terminate the procedure because the family does not cooperate without good reason (S2 Art. 29).
    Writes APPLICATION_TERMINATED."""
    return _close(
        actor=actor,
        application_id=application_id,
        expected_version=expected_version,
        reason=reason,
        step=Step.TERMINATE,
        event=AuditEventType.APPLICATION_TERMINATED,
    )
