"""The township's list steps (notice, forwarding, publication) for many cases at once: the same result
as the one-case services, each case checked on its own, skipped ones left untouched."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import AmountChangeKind, ApplicationStatus, NoticeStageKind
from jiuzhu.cases.models import AmountChange, Application, Entitlement, PublicNotice, StatusChange
from jiuzhu.cases.services.batch_steps import (
    applications_forward_many,
    applications_publish_many,
    notices_start_many,
)
from jiuzhu.cases.services.dynamic import initial_review_schedule
from jiuzhu.cases.tests.conftest import Flow
from jiuzhu.common.exceptions import PermissionDeniedError, ValidationFailed

pytestmark = pytest.mark.django_db


def _opinion_given(flow: Flow, village: str) -> Application:
    coordinator = f"coordinator_{village}"
    flow.submit(actor_key=coordinator)
    flow.accept()
    flow.request_verification()
    flow.visit(actor_key=coordinator, investigators=(coordinator, "township"))
    flow.verification_result()
    flow.opinion()
    return flow.refresh()


@pytest.fixture
def two(clock, world, policy):
    a, b = Flow(world, clock), Flow(world, clock, household=world.household_b)
    _opinion_given(a, "a")
    _opinion_given(b, "b")
    return a, b


def _items(*flows: Flow) -> dict[int, int]:
    return {f.app.pk: f.v for f in flows}


def test_a_notice_list_forwarding_and_publication_for_two_villages(two, world):
    a, b = two
    township = world.users["township"]
    started = notices_start_many(actor=township, items=_items(a, b))
    assert started.done == [a.app.pk, b.app.pk] and not started.skipped
    for flow in (a, b):
        app = flow.refresh()
        notice = app.notices.get(stage=NoticeStageKind.VILLAGE_NOTICE)
        assert app.status == ApplicationStatus.IN_NOTICE and app.next_step == "forward"
        assert notice.posted_by == township and notice.ends_on > notice.starts_on
        assert app.status_changes.filter(step="notice_start").count() == 1
    events = AuditEvent.objects.filter(event_type=AuditEventType.NOTICE_STARTED)
    assert sorted(e.subject_id for e in events) == sorted([a.app.pk, b.app.pk])
    assert all(e.after["batch"] and e.actor == township for e in events)

    versions = _items(a, b)
    early = applications_forward_many(actor=township, items=versions)  # the notices are still running
    assert not early.done and set(early.skipped) == {a.app.pk, b.app.pk}
    assert "公示期满后方可报送" in early.skipped[a.app.pk]
    assert _items(a, b) == versions and a.refresh().status == ApplicationStatus.IN_NOTICE

    ends_on = a.app.notices.get().ends_on
    a.travel(ends_on + datetime.timedelta(days=1))
    forwarded = applications_forward_many(actor=township, items=versions)
    assert forwarded.done == [a.app.pk, b.app.pk]
    assert a.refresh().status == b.refresh().status == ApplicationStatus.AWAITING_DECISION
    assert a.app.forwarded_on == ends_on + datetime.timedelta(days=1)

    decisions = {flow.app.pk: flow.approve() for flow in (a, b)}
    published = applications_publish_many(actor=township, items=_items(a, b))
    assert published.done == [a.app.pk, b.app.pk]
    for flow in (a, b):
        app = flow.refresh()
        decision = decisions[app.pk]
        entitlement = Entitlement.objects.get(application=app)
        expected = initial_review_schedule(
            household_id=app.household_id,
            region_code=app.region.code,
            program_code=app.program.code,
            assessed_on=decision.decided_on,
        )
        assert app.status == ApplicationStatus.IN_FORCE and app.published_on == a._today()
        assert entitlement.monthly_amount_fen == decision.monthly_amount_fen > 0
        assert (entitlement.review_class, entitlement.next_review_on) == (
            expected.review_class,
            expected.next_review_on,
        )
        assert entitlement.first_month == decision.first_payment_month
        grant = AmountChange.objects.get(entitlement=entitlement)
        assert (grant.kind, grant.amount_fen, grant.decision_id) == (
            AmountChangeKind.GRANT,
            decision.monthly_amount_fen,
            decision.pk,
        )
        assert app.notices.filter(stage=NoticeStageKind.PUBLICATION).count() == 1
    published_events = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_PUBLISHED)
    assert {e.subject_id: e.after["entitlement"] for e in published_events} == {
        pk: Entitlement.objects.get(application_id=pk).pk for pk in (a.app.pk, b.app.pk)
    }


def test_stale_missing_and_out_of_order_cases_are_skipped_and_untouched(two, world):
    a, b = two
    township = world.users["township"]
    stale = {a.app.pk: a.v - 1, b.app.pk: b.v}
    result = notices_start_many(actor=township, items=stale | {987654: 1})
    assert result.done == [b.app.pk]
    assert "已被他人修改" in result.skipped[a.app.pk]
    assert "不存在" in result.skipped[987654]
    assert a.refresh().status == ApplicationStatus.OPINION_GIVEN
    assert not PublicNotice.objects.filter(application=a.app).exists()
    assert not StatusChange.objects.filter(application=a.app, step="notice_start").exists()

    again = notices_start_many(actor=township, items=_items(b))  # b is already in notice
    assert not again.done and "不能进行" in again.skipped[b.app.pk]
    assert PublicNotice.objects.filter(application=b.app).count() == 1


def test_a_case_outside_the_jurisdiction_is_reported_as_missing(two, world, regions):
    from jiuzhu.accounts.roles import Role
    from jiuzhu.testing.builders import make_user

    a, _b = two
    elsewhere = make_user("township_elsewhere", Role.TOWNSHIP_OFFICER, regions["511723106"])
    result = notices_start_many(actor=elsewhere, items=_items(a))
    assert not result.done and "不存在" in result.skipped[a.app.pk]
    assert a.refresh().status == ApplicationStatus.OPINION_GIVEN


def test_a_role_that_never_takes_the_step_is_refused_and_nothing_is_written(two, world):
    a, b = two
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):
        notices_start_many(actor=world.users["coordinator_a"], items=_items(a, b))
    with pytest.raises(PermissionDeniedError):
        applications_publish_many(actor=world.users["supervisor"], items=_items(a, b))
    assert AuditEvent.objects.count() == before
    assert a.refresh().status == b.refresh().status == ApplicationStatus.OPINION_GIVEN


def test_a_date_in_the_future_or_before_the_application_is_refused(two, world):
    a, b = two
    township = world.users["township"]
    with pytest.raises(ValidationFailed) as raised:
        notices_start_many(actor=township, items=_items(a, b), starts_on=a._today() + datetime.timedelta(days=1))
    assert "不能晚于今天" in raised.value.user_message
    early = notices_start_many(
        actor=township, items=_items(a, b), starts_on=a.app.submitted_on - datetime.timedelta(days=1)
    )
    assert not early.done and "不能早于申请日期" in early.skipped[a.app.pk]
    assert not PublicNotice.objects.exists()
