"""Township opinion, the village notice period (frozen clock), objections, forwarding."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.services.review import notice_objection_record
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_opinion_refused_until_the_investigation_is_complete(flow):
    flow.submit()
    flow.accept()
    flow.request_verification()
    with pytest.raises(TransitionNotAllowed) as raised:
        flow.opinion()
    assert "入户调查" in raised.value.user_message and "核对结果" in raised.value.user_message
    assert flow.refresh().status == ApplicationStatus.INVESTIGATING
    flow.visit()
    flow.verification_result()
    with pytest.raises(PermissionDeniedError):
        flow.opinion(actor_key="coordinator_a")
    flow.opinion()
    assert flow.refresh().status == ApplicationStatus.OPINION_GIVEN and flow.app.next_step == "notice_start"


def test_forward_refused_before_the_notice_ends_and_allowed_after(flow):
    app = flow.in_notice()
    notice = app.notices.get()
    assert notice.ends_on == notice.starts_on + datetime.timedelta(days=7)
    assert app.next_step == "forward" and app.due_on > notice.ends_on
    for day in (notice.starts_on, notice.ends_on):
        flow.travel(day)
        with pytest.raises(TransitionNotAllowed) as raised:
            flow.forward()
        assert f"公示期至 {notice.ends_on.isoformat()} 结束" in raised.value.user_message
        assert flow.refresh().status == ApplicationStatus.IN_NOTICE
    # Approving during the notice is out of order as well.
    with pytest.raises(TransitionNotAllowed):
        flow.approve()
    flow.travel(notice.ends_on + DAY)
    flow.forward()
    assert flow.refresh().status == ApplicationStatus.AWAITING_DECISION and flow.app.next_step == "approve"


def test_objection_sends_the_case_back_to_investigation_for_a_new_home_visit(flow):
    app = flow.in_notice()
    flow.travel(app.notices.get().starts_on + 2 * DAY)
    objection = notice_objection_record(
        actor=flow.users["township"],
        application_id=app.pk,
        expected_version=flow.v,
        text="有村民反映其子在外务工收入较高",
    )
    app = flow.refresh()
    assert app.status == ApplicationStatus.INVESTIGATING and app.round == 2
    assert app.round_started_on == objection.received_on and app.next_step == "home_visit"
    with pytest.raises(TransitionNotAllowed) as raised:
        flow.opinion()
    assert "重新入户调查" in raised.value.user_message
    flow.visit()
    flow.opinion()
    notice = flow.notice()
    assert app.notices.count() == 2
    flow.travel(notice.ends_on + DAY)
    flow.forward()
    assert flow.refresh().status == ApplicationStatus.AWAITING_DECISION
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.NOTICE_OBJECTION_RECORDED, subject_id=app.pk).count() == 1
    )


def test_disagreeing_opinion_goes_to_the_decider_without_notice(flow):
    flow.investigated()
    flow.opinion(agrees=False)
    with pytest.raises(TransitionNotAllowed):
        flow.notice()
    flow.forward()
    assert flow.refresh().status == ApplicationStatus.AWAITING_DECISION
