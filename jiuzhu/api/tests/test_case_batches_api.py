"""The township's list work over the API (批量办理): `POST /api/v1/applications/batch/{step}/` for the village
notice list, forwarding after the notices, and the long-term publication. Cases are brought to the step with
the real services (`Flow`, clock frozen on Monday 2026-06-01); the batches go through the API."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.cases.choices import ApplicationStatus
from jiuzhu.cases.models import Application, Entitlement, PublicNotice
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.testing.builders import make_user

pytestmark = pytest.mark.django_db

NOTICES = reverse("api:application-batch-notice-start")
FORWARD = reverse("api:application-batch-forward")
PUBLISH = reverse("api:application-batch-publish")


@pytest.fixture
def clock():
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


def _opinion_given(flow: Flow, coordinator: str) -> Application:
    flow.submit(actor_key=coordinator)
    flow.accept()
    flow.request_verification()
    flow.visit(actor_key=coordinator, investigators=(coordinator, "township"))
    flow.verification_result()
    flow.opinion()
    return flow.refresh()


@pytest.fixture
def two(clock, world) -> tuple[Flow, Flow]:  # type: ignore[no-untyped-def]
    make_policy(world.users)
    a, b = Flow(world, clock), Flow(world, clock, household=world.household_b)
    _opinion_given(a, "coordinator_a")
    _opinion_given(b, "coordinator_b")
    return a, b


def _items(*flows: Flow) -> list[dict[str, int]]:
    return [{"id": f.app.pk, "expected_version": f.v} for f in flows]


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, format="json")


def test_a_notice_list_forwarding_and_publication_through_the_api(api, two):
    a, b = two
    township = api("township")
    response = _post(township, NOTICES, {"items": _items(a, b), "on": START.isoformat()})
    assert response.status_code == 200, response.content
    assert response.json() == {"done": [a.app.pk, b.app.pk], "skipped": []}
    assert a.refresh().status == b.refresh().status == ApplicationStatus.IN_NOTICE

    early = _post(township, FORWARD, {"items": _items(a, b)})
    assert early.json()["done"] == []
    assert [row["id"] for row in early.json()["skipped"]] == [a.app.pk, b.app.pk]
    assert "公示期满后方可报送" in early.json()["skipped"][0]["reason"]

    a.travel(a.app.notices.get().ends_on + datetime.timedelta(days=1))
    township = api("township")  # the token of a week ago has expired
    assert _post(township, FORWARD, {"items": _items(a, b)}).json()["done"] == [a.app.pk, b.app.pk]
    for flow in (a, b):
        flow.approve()
    published = _post(township, PUBLISH, {"items": _items(a, b)})
    assert published.json() == {"done": [a.app.pk, b.app.pk], "skipped": []}
    assert Entitlement.objects.filter(application__in=[a.app, b.app]).count() == 2


def test_a_stale_version_and_an_unknown_id_are_skipped_with_the_reason(api, two):
    a, b = two
    version = a.v
    body = {
        "items": [{"id": a.app.pk, "expected_version": version - 1}, *_items(b), {"id": 987654, "expected_version": 1}]
    }
    result = _post(api("township"), NOTICES, body).json()
    assert result["done"] == [b.app.pk]
    reasons = {row["id"]: row["reason"] for row in result["skipped"]}
    assert set(reasons) == {a.app.pk, 987654}
    assert "已被他人修改" in reasons[a.app.pk] and "不存在" in reasons[987654]
    app = a.refresh()
    assert (app.status, app.version) == (ApplicationStatus.OPINION_GIVEN, version)
    assert not PublicNotice.objects.filter(application=app).exists()


def test_a_case_outside_the_jurisdiction_is_reported_as_not_found_and_untouched(api, two, regions):
    a, _b = two
    elsewhere = make_user("township_elsewhere", Role.TOWNSHIP_OFFICER, regions["511723106"])
    version = a.v
    response = _post(api(elsewhere), NOTICES, {"items": _items(a)})
    assert response.status_code == 200
    assert response.json()["done"] == []
    [skipped] = response.json()["skipped"]
    assert skipped["id"] == a.app.pk and "不存在或不在您的辖区内" in skipped["reason"]
    assert (a.refresh().status, a.app.version) == (ApplicationStatus.OPINION_GIVEN, version)


@pytest.mark.parametrize("role", ["coordinator_a", "county_officer", "county_approver", "supervisor"])
def test_roles_that_never_take_the_step_get_403_before_the_input_is_read(api, two, role):
    a, b = two
    before = AuditEvent.objects.count()
    for url in (NOTICES, FORWARD, PUBLISH):
        response = _post(api(role), url, {"items": _items(a, b)})
        assert response.status_code == 403, (url, response.content)
        assert response.json()["code"] == "permission_denied"
        assert _post(api(role), url, {"items": "nonsense"}).status_code == 403
    assert AuditEvent.objects.count() == before
    assert a.refresh().status == b.refresh().status == ApplicationStatus.OPINION_GIVEN


def test_a_future_date_is_a_400_on_the_date_and_nothing_changes(api, two):
    a, b = two
    before = AuditEvent.objects.count()
    tomorrow = (START + datetime.timedelta(days=1)).isoformat()
    response = _post(api("township"), NOTICES, {"items": _items(a, b), "on": tomorrow})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_failed"
    assert response.json()["fields"] == {"on": ["日期不能晚于今天。"]}
    assert AuditEvent.objects.count() == before
    assert a.refresh().status == b.refresh().status == ApplicationStatus.OPINION_GIVEN


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"items": []}, "items"),
        ({}, "items"),
        ({"items": [{"id": 1}]}, "items.0.expected_version"),
        ({"items": [{"id": 1, "expected_version": 1}, {"id": 1, "expected_version": 2}]}, "items"),
        ({"items": [{"id": 1, "expected_version": 1}], "on": "28/11/2026"}, "on"),
    ],
)
def test_malformed_input_is_a_400_naming_the_field(api, two, body, field):
    response = _post(api("township"), NOTICES, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
