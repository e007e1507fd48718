"""A dibao application from intake to a benefit in force, through every step's service."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus, Step
from jiuzhu.cases.models import AmountChange, Decision, StatusChange
from jiuzhu.cases.selectors import amount_in_force_get

pytestmark = pytest.mark.django_db


def test_application_goes_from_intake_to_in_force_with_itemised_lines(flow):
    flow.income(6000)  # 60 yuan wages a month: per-capita income 30 yuan for two members
    app = flow.submit()
    assert app.status == ApplicationStatus.SUBMITTED and app.program.code == "dibao_rural"
    flow.accept()
    flow.request_verification()
    flow.visit()
    flow.verification_result()
    flow.opinion()
    notice = flow.notice()
    assert notice.ends_on == notice.starts_on + datetime.timedelta(days=7)
    flow.travel(notice.ends_on + datetime.timedelta(days=1))
    flow.forward()
    decision = flow.approve()

    # (72 − 30) × 2 members = 84 yuan, no supplements for two working-age adults.
    assert decision.monthly_amount_fen == 8400
    assert [(line["code"], line["amount_fen"]) for line in decision.lines] == [("gap", 8400)]
    assert decision.policy_snapshot["standard_fen"] == 7200
    assert decision.first_payment_month == datetime.date(2026, 7, 1)
    assert flow.refresh().status == ApplicationStatus.APPROVED

    entitlement = flow.publish()
    app = flow.refresh()
    assert app.status == ApplicationStatus.IN_FORCE and app.next_step == "" and app.due_on is None
    assert amount_in_force_get(entitlement=entitlement, month=datetime.date(2026, 6, 1)) == 0
    assert amount_in_force_get(entitlement=entitlement, month=datetime.date(2026, 7, 1)) == 8400
    assert amount_in_force_get(entitlement=entitlement, month=datetime.date(2027, 3, 1)) == 8400
    change = AmountChange.objects.get(entitlement=entitlement)
    assert change.kind == "grant" and change.decision == Decision.objects.get(application=app)

    steps = list(StatusChange.objects.filter(application=app).values_list("step", flat=True))
    assert steps == [
        Step.SUBMIT, Step.ACCEPT, Step.VERIFICATION_REQUEST, Step.HOME_VISIT, Step.VERIFICATION_RESULT,
        Step.TOWNSHIP_OPINION, Step.NOTICE_START, Step.FORWARD, Step.APPROVE, Step.PUBLISH,
    ]  # fmt: skip
    events = list(
        AuditEvent.objects.filter(subject_type="cases.application", subject_id=app.pk)
        .order_by("id")
        .values_list("event_type", flat=True)
    )
    assert events == [
        AuditEventType.APPLICATION_SUBMITTED, AuditEventType.APPLICATION_ACCEPTED,
        AuditEventType.VERIFICATION_REQUESTED, AuditEventType.HOME_VISIT_RECORDED,
        AuditEventType.VERIFICATION_RESULT_RECORDED, AuditEventType.TOWNSHIP_OPINION_GIVEN,
        AuditEventType.NOTICE_STARTED, AuditEventType.APPLICATION_FORWARDED, AuditEventType.APPLICATION_APPROVED,
        AuditEventType.APPLICATION_PUBLISHED,
    ]  # fmt: skip
    assert app.version == 10
