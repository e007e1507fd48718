"""Intake, materials, acceptance, withdrawal, termination."""

from __future__ import annotations

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.models import Application, StatusChange
from jiuzhu.cases.services.intake import (
    application_accept,
    application_materials_complete,
    application_terminate,
    application_withdraw,
)
from jiuzhu.common.exceptions import (
    ConflictError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)

pytestmark = pytest.mark.django_db


def test_incomplete_materials_give_one_written_list_of_everything_missing(flow):
    app = flow.submit(materials=["application_form"], authorisation_signed_on=None, promise_signed_on=None)
    assert app.status == ApplicationStatus.MATERIALS_INCOMPLETE
    assert app.materials_missing == ["id_cards", "hukou_book", "authorisation", "promise", "income_proof"]
    text = app.missing_materials_text
    assert text.startswith("申请材料不齐全，请一次性补齐以下材料：")
    for label in ("家庭成员身份证", "户口簿", "核对授权书", "诚信承诺书", "收入"):
        assert label in text
    assert app.next_step == "complete_materials" and app.due_on is None

    done = application_materials_complete(
        actor=flow.users["coordinator_a"],
        application_id=app.pk,
        expected_version=app.version,
        materials_provided=["id_cards", "hukou_book", "income_proof"],
        authorisation_signed_on=app.submitted_on,
        authorisation_signers=["张三"],
        promise_signed_on=app.submitted_on,
    )
    assert done.status == ApplicationStatus.SUBMITTED and done.missing_materials_text == ""
    assert done.next_step == "accept" and done.due_on is not None


def test_program_follows_hukou_and_agent_needs_a_name(flow, world):
    with pytest.raises(ValidationFailed) as raised:
        flow.submit(applied_by_applicant=False)
    assert "agent_name" in raised.value.field_errors
    app = flow.submit(applied_by_applicant=False, agent_name="凤凰村委会", agent_relation="village_committee")
    assert app.program.code == "dibao_rural" and app.status == ApplicationStatus.MATERIALS_INCOMPLETE
    assert app.materials_missing == ["entrustment"]


def test_second_active_application_refused(flow):
    flow.submit()
    with pytest.raises(RuleViolation):
        flow.submit()
    assert Application.objects.count() == 1


def test_intake_roles_and_jurisdiction(flow):
    with pytest.raises(PermissionDeniedError):
        flow.submit(actor_key="county_approver")  # sees the household, may not take applications
    with pytest.raises(NotFoundOrNoAccess):
        flow.submit(actor_key="coordinator_b")  # another village
    assert not Application.objects.exists()
    assert flow.submit(actor_key="coordinator_a").status == ApplicationStatus.SUBMITTED
    audit = AuditEvent.objects.get(event_type=AuditEventType.APPLICATION_SUBMITTED)
    assert audit.subject_id == flow.app.pk and audit.region_code == flow.household.region.code


def test_accept_starts_the_clocks_and_writes_history(flow):
    app = flow.submit()
    accepted = flow.accept()
    assert accepted.status == ApplicationStatus.INVESTIGATING and accepted.accepted_on == app.submitted_on
    assert accepted.next_step == "verification_request" and accepted.due_on is not None
    assert accepted.overall_due_on is not None and accepted.version == app.version + 1
    assert StatusChange.objects.filter(application=app, step="accept", to_status="investigating").count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_ACCEPTED, subject_id=app.pk).count() == 1


def test_accept_refused_for_coordinator_stale_version_and_other_township(flow):
    app = flow.submit()
    with pytest.raises(PermissionDeniedError):
        application_accept(actor=flow.users["coordinator_a"], application_id=app.pk, expected_version=app.version)
    with pytest.raises(ConflictError):
        application_accept(actor=flow.users["township"], application_id=app.pk, expected_version=app.version - 1)
    with pytest.raises(NotFoundOrNoAccess):
        application_accept(actor=flow.users["coordinator_other"], application_id=app.pk, expected_version=app.version)
    assert flow.refresh().status == ApplicationStatus.SUBMITTED and flow.app.version == app.version


def test_accept_out_of_order_refused_in_chinese(flow):
    app = flow.submit(materials=["application_form"])
    with pytest.raises(TransitionNotAllowed) as raised:
        application_accept(actor=flow.users["township"], application_id=app.pk, expected_version=app.version)
    assert "材料不全" in raised.value.user_message and "受理" in raised.value.user_message
    assert flow.refresh().status == ApplicationStatus.MATERIALS_INCOMPLETE


def test_withdraw_and_terminate(flow):
    app = flow.submit()
    flow.accept()
    with pytest.raises(ValidationFailed):
        application_withdraw(
            actor=flow.users["coordinator_a"], application_id=app.pk, expected_version=flow.v, reason=""
        )
    with pytest.raises(PermissionDeniedError):
        application_terminate(
            actor=flow.users["coordinator_a"], application_id=app.pk, expected_version=flow.v, reason="x"
        )
    done = application_terminate(
        actor=flow.users["township"], application_id=app.pk, expected_version=flow.v, reason="三次通知均拒绝入户调查"
    )
    assert done.status == ApplicationStatus.TERMINATED and done.next_step == ""
    with pytest.raises(TransitionNotAllowed):
        application_withdraw(
            actor=flow.users["coordinator_a"], application_id=app.pk, expected_version=flow.v, reason="x"
        )
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_TERMINATED).count() == 1
    # A closed application no longer blocks a new one.
    assert flow.submit().status == ApplicationStatus.SUBMITTED
