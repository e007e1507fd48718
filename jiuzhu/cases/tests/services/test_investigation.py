"""Home visits, verification, appraisal, disputed and special marks, cadre filing."""

from __future__ import annotations

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import HomeVisit
from jiuzhu.cases.services.investigation import (
    application_mark_disputed,
    application_mark_special,
    appraisal_record,
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


@pytest.fixture
def accepted(flow):
    flow.submit()
    flow.accept()
    return flow


def test_home_visit_needs_two_distinct_staff(accepted):
    with pytest.raises(ValidationFailed) as raised:
        accepted.visit(investigators=("coordinator_a", "coordinator_a"))
    assert "至少两名" in str(raised.value.field_errors["investigators"])
    with pytest.raises(ValidationFailed):
        accepted.visit(investigators=("coordinator_a", "county_approver"))  # may not investigate
    assert not HomeVisit.objects.exists()
    visit = accepted.visit()
    assert set(visit.investigators.values_list("username", flat=True)) == {"coord_a", "township"}
    assert not visit.is_county_visit and visit.round == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOME_VISIT_RECORDED).count() == 1


def test_home_visit_before_acceptance_is_out_of_order(flow):
    flow.submit()
    with pytest.raises(TransitionNotAllowed) as raised:
        flow.visit()
    assert "入户调查" in raised.value.user_message
    assert not HomeVisit.objects.exists()


def test_home_visit_role_version_and_jurisdiction(accepted):
    with pytest.raises(PermissionDeniedError):
        accepted.visit(actor_key="county_approver")
    with pytest.raises(NotFoundOrNoAccess):
        accepted.visit(actor_key="coordinator_b")
    app = accepted.refresh()
    from jiuzhu.cases.services.investigation import home_visit_record

    with pytest.raises(ConflictError):
        home_visit_record(
            actor=accepted.users["coordinator_a"], application_id=app.pk, expected_version=app.version - 1,
            visited_on=app.accepted_on, findings="x", investigator_ids=[accepted.users["township"].pk],
        )  # fmt: skip
    assert not HomeVisit.objects.exists()


def test_verification_request_and_result(accepted):
    request = accepted.request_verification()
    assert accepted.refresh().next_step == "home_visit"
    with pytest.raises(RuleViolation):
        accepted.request_verification()  # one pending at a time
    with pytest.raises(PermissionDeniedError):
        accepted.verification_result(actor_key="coordinator_a")
    with pytest.raises(ValidationFailed):
        accepted.verification_result(passed=False, notes="")
    result = accepted.verification_result(passed=False, notes="查询到一辆登记在户主名下的小型汽车")
    request.refresh_from_db()
    assert (
        result.pk == request.pk and request.result == "failed" and request.result_by == accepted.users["county_officer"]
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.VERIFICATION_RESULT_RECORDED).count() == 1


def test_disputed_case_needs_an_appraisal_before_the_opinion(accepted):
    accepted.request_verification()
    accepted.visit()
    accepted.verification_result()
    app = application_mark_disputed(
        actor=accepted.users["township"], application_id=accepted.app.pk, expected_version=accepted.v, reason="邻居反映"
    )
    assert app.next_step == "appraisal"
    with pytest.raises(TransitionNotAllowed) as raised:
        accepted.opinion()
    assert "民主评议" in raised.value.user_message
    with pytest.raises(ValidationFailed):
        appraisal_record(
            actor=accepted.users["township"], application_id=app.pk, expected_version=accepted.v,
            held_on=app.accepted_on, participant_count=5, votes_for=4, votes_against=2, votes_abstain=0, minutes="评议",
        )  # fmt: skip
    appraisal_record(
        actor=accepted.users["township"], application_id=app.pk, expected_version=accepted.v, held_on=app.accepted_on,
        participant_count=21, votes_for=18, votes_against=2, votes_abstain=1, minutes="村民代表18人同意",
    )  # fmt: skip
    assert accepted.refresh().next_step == "township_opinion"
    accepted.opinion()
    assert accepted.refresh().status == "opinion_given"


def test_special_case_lengthens_the_overall_limit(accepted):
    before = accepted.refresh().overall_due_on
    app = application_mark_special(
        actor=accepted.users["township"], application_id=accepted.app.pk, expected_version=accepted.v, reason="人户分离"
    )
    assert app.is_special and app.overall_due_on > before
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_MARKED_SPECIAL).count() == 1
