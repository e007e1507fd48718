"""Approval and refusal: the investigator rule, cadre relatives, racing approvals, the delegated mode."""

from __future__ import annotations

import pytest

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.models import Decision
from jiuzhu.cases.services.decision import application_approve, application_refuse
from jiuzhu.cases.services.investigation import cadre_filing_record
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.common.exceptions import (
    ConflictError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    RuleViolation,
    ValidationFailed,
)
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, make_household, make_user, person

pytestmark = pytest.mark.django_db


def test_approve_role_jurisdiction_and_audit(flow, world, regions):
    app = flow.awaiting_decision()
    with pytest.raises(PermissionDeniedError):
        flow.approve(actor_key="township")  # county-confirm mode
    other_county = make_user("approver_elsewhere", Role.COUNTY_APPROVER, regions["511723106"])  # another township
    with pytest.raises(NotFoundOrNoAccess):
        application_approve(actor=other_county, application_id=app.pk, expected_version=app.version)
    assert not Decision.objects.exists()
    decision = flow.approve()
    assert decision.decided_by == world.users["county_approver"]
    audit = AuditEvent.objects.get(event_type=AuditEventType.APPLICATION_APPROVED)
    assert audit.after["monthly_amount_fen"] == decision.monthly_amount_fen == 14400  # 72 × 2, no income


def test_two_approvals_racing_make_exactly_one_decision(flow, regions):
    app = flow.awaiting_decision()
    second = make_user("approver_2", Role.COUNTY_APPROVER, regions[COUNTY])
    version = app.version
    application_approve(actor=flow.users["county_approver"], application_id=app.pk, expected_version=version)
    with pytest.raises(ConflictError):
        application_approve(actor=second, application_id=app.pk, expected_version=version)
    with pytest.raises(ConflictError):
        application_refuse(
            actor=second, application_id=app.pk, expected_version=version, reason_codes=["other"], reason_text="x"
        )
    assert Decision.objects.filter(application=app).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_APPROVED).count() == 1


def test_refusal_needs_reasons_and_is_final(flow):
    app = flow.awaiting_decision()
    with pytest.raises(ValidationFailed) as raised:
        application_refuse(
            actor=flow.users["county_approver"],
            application_id=app.pk,
            expected_version=flow.v,
            reason_codes=[],
            reason_text="",
        )
    assert set(raised.value.field_errors) == {"reason_codes", "reason_text"}
    decision = application_refuse(
        actor=flow.users["county_approver"], application_id=app.pk, expected_version=flow.v,
        reason_codes=["property_above_limit"], reason_text="家庭拥有机动车一辆，不符合财产条件。",
    )  # fmt: skip
    assert decision.outcome == "refused" and flow.refresh().status == ApplicationStatus.REFUSED
    assert flow.app.next_step == ""


def test_ineligible_household_cannot_be_approved(flow):
    flow.income(20000)  # 200 yuan a month for two: per-capita 100 > 72
    app = flow.awaiting_decision()
    with pytest.raises(RuleViolation) as raised:
        flow.approve()
    assert "不符合低保条件" in raised.value.user_message
    assert flow.refresh().status == ApplicationStatus.AWAITING_DECISION and flow.app.version == app.version


def test_investigator_may_not_decide_in_delegated_mode(clock, world, regions):
    policy = make_policy(world.users, workflow_mode="township_confirms")
    assert policy.params["workflow_mode"] == "township_confirms"
    flow = Flow(world, clock)
    app = flow.awaiting_decision()  # the township officer made the home visit and requested the check
    assert app.workflow_mode == "township_confirms"
    with pytest.raises(RuleViolation) as raised:
        flow.approve(actor_key="township")
    assert "调查人员不能审核确认" in raised.value.user_message
    assert not Decision.objects.exists()
    colleague = make_user("township_2", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    decision = application_approve(actor=colleague, application_id=app.pk, expected_version=flow.v)
    assert decision.outcome == "approved"


def test_cadre_relative_needs_filing_and_county_visit_before_approval(clock, world, policy, regions):
    household = make_household(
        world.users["coordinator_a"],
        regions["511723105201"],
        person("赵六"),
        person("钱七", "spouse", is_cadre_relative=True),
    )
    flow = Flow(world, clock, household=household)
    app = flow.awaiting_decision()
    assert app.is_cadre_case and app.next_step == "cadre_filing"
    with pytest.raises(RuleViolation) as raised:
        flow.approve()
    assert "乡镇单独登记备案" in raised.value.user_message and "县级入户核查" in raised.value.user_message

    cadre_filing_record(
        actor=world.users["township"], application_id=app.pk, expected_version=flow.v, note="钱七之兄为凤凰村村委会主任"
    )
    assert flow.refresh().next_step == "home_visit"
    with pytest.raises(RuleViolation) as raised:
        flow.approve()
    assert "县级入户核查" in raised.value.user_message and "备案" not in raised.value.user_message
    with pytest.raises(RuleViolation):  # a township visit after forwarding is not the county's own
        flow.visit(actor_key="township", investigators=("township", "coordinator_a"))

    county_2 = make_user("county_officer_2", Role.COUNTY_OFFICER, regions[COUNTY])
    world.users["county_officer_2"] = county_2
    visit = flow.visit(actor_key="county_officer", investigators=("county_officer", "county_officer_2"))
    assert visit.is_county_visit and flow.refresh().next_step == "approve"
    decision = flow.approve()
    assert decision.outcome == "approved" and flow.refresh().status == ApplicationStatus.APPROVED
