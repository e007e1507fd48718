"""Policy versions and the policy in force over the API: who sees which versions, creating and
correcting them through the services, and what is in force where."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.tests.conftest import START, at
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, TOWNSHIP, VILLAGE_A, VILLAGE_B, make_user

pytestmark = pytest.mark.django_db

VERSIONS_URL = reverse("api:policy-version-list")
IN_FORCE_URL = reverse("api:policy-version-in-force")
NEXT_MONTH = datetime.date(2026, 7, 1)


def version_url(pk: int) -> str:
    return reverse("api:policy-version-detail", kwargs={"pk": pk})


@pytest.fixture
def clock():
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


def _version(actor: Any, region: str, effective_from: datetime.date, **params: Any) -> PolicyVersion:
    return policy_version_create(
        actor=actor, region_code=region, program_code="dibao_rural", effective_from=effective_from, params=params,
        note="测试用文件",
    )  # fmt: skip


@pytest.fixture
def versions(clock, users, regions):
    """Province (by the administrator), county, both villages of 讲治镇 and a village of another township."""
    approver = users["county_approver"]
    return {
        "province": _version(users["admin"], "51", datetime.date(2020, 1, 1), elderly_age=65),
        "county": _version(approver, COUNTY, datetime.date(2024, 1, 1), standard_fen=60_000, minimum_payment_fen=1000),
        "village_a": _version(approver, VILLAGE_A, NEXT_MONTH, minimum_payment_fen=2000),
        "village_b": _version(approver, VILLAGE_B, datetime.date(2025, 1, 1), minimum_payment_fen=1500),
        "other": _version(approver, OTHER_TOWNSHIP_VILLAGE, datetime.date(2025, 1, 1), minimum_payment_fen=500),
    }


def listed(client: Any, **params: Any) -> set[int]:
    response = client.get(VERSIONS_URL, params)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def rows() -> tuple[Any, ...]:
    return list(PolicyVersion.objects.order_by("pk").values()), AuditEvent.objects.count()


# --- Reading ---------------------------------------------------------------------------------------


def test_each_user_sees_the_versions_that_apply_in_their_area(versions, api):
    v = {name: version.pk for name, version in versions.items()}
    assert listed(api("coordinator_a")) == {v["province"], v["county"], v["village_a"]}
    assert listed(api("coordinator_b")) == {v["province"], v["county"], v["village_b"]}
    assert listed(api("township")) == {v["province"], v["county"], v["village_a"], v["village_b"]}
    assert listed(api("county_approver")) == set(v.values())
    assert listed(api("coordinator_b"), region=VILLAGE_A) == set()
    assert listed(api("county_approver"), region=COUNTY) == {v["county"]}
    assert listed(api("county_approver"), program="dibao_urban") == set()

    assert api("coordinator_b").get(version_url(v["village_a"])).status_code == 404
    detail = api("coordinator_a").get(version_url(v["county"])).json()
    assert detail["region_code"] == COUNTY and detail["has_taken_effect"] and not detail["is_editable"]
    assert detail["params"] == {"standard_fen": 60_000, "minimum_payment_fen": 1000}
    assert {p["key"]: p["text"] for p in detail["params_described"]} == {
        "standard_fen": "600.00 元",
        "minimum_payment_fen": "10.00 元",
    }
    own = api("county_approver").get(version_url(v["village_a"])).json()
    assert own["is_editable"] and not own["has_taken_effect"]


def test_the_policy_in_force_names_the_source_of_every_parameter(versions, api):
    response = api("coordinator_a").get(IN_FORCE_URL, {"region": VILLAGE_A, "program": "dibao_rural"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["region"] == VILLAGE_A and body["region_name"] == "凤凰村" and body["on"] == "2026-06-01"
    assert body["is_complete"] and body["problems"] == []
    params = {p["key"]: p for p in body["parameters"]}
    standard = params["standard_fen"]
    assert (standard["value"], standard["source"], standard["region_code"], standard["region_name"]) == (
        60_000, "version", COUNTY, "开江县"
    )  # fmt: skip
    assert standard["version_id"] == versions["county"].pk and standard["effective_from"] == "2024-01-01"
    assert params["elderly_age"]["region_code"] == "51" and params["elderly_age"]["value"] == 65
    # The village's own version takes effect next month: until then the county's value applies.
    assert params["minimum_payment_fen"]["value"] == 1000 and params["minimum_payment_fen"]["region_code"] == COUNTY
    assert params["benefit_method"]["source"] == "national_default" and params["benefit_method"]["region_code"] is None
    assert params["acceptance_wd"]["source"] == "local_default"

    later = api("coordinator_a").get(IN_FORCE_URL, {"region": VILLAGE_A, "program": "dibao_rural", "on": "2026-07-01"})
    minimum = {p["key"]: p for p in later.json()["parameters"]}["minimum_payment_fen"]
    assert (minimum["value"], minimum["region_code"], minimum["text"]) == (2000, VILLAGE_A, "20.00 元")


def test_the_policy_in_force_is_refused_outside_the_area_and_tells_what_is_missing(versions, api):
    client = api("coordinator_b")
    for region in (VILLAGE_A, OTHER_TOWNSHIP_VILLAGE, "999999", "51172310520"):
        response = client.get(IN_FORCE_URL, {"region": region, "program": "dibao_rural"})
        assert response.status_code == 400, region
        assert response.json()["fields"] == {"region": ["没有这个区划，或它不在您的辖区内。"]}
    for ancestor in ("51", COUNTY, TOWNSHIP, VILLAGE_B):
        assert client.get(IN_FORCE_URL, {"region": ancestor, "program": "dibao_rural"}).status_code == 200

    urban = client.get(IN_FORCE_URL, {"region": VILLAGE_B, "program": "dibao_urban"}).json()
    assert not urban["is_complete"] and any("低保标准" in problem for problem in urban["problems"])
    assert {p["key"]: p for p in urban["parameters"]}["standard_fen"]["value"] is None
    old = client.get(IN_FORCE_URL, {"region": VILLAGE_B, "program": "dibao_rural", "on": "2023-06-01"}).json()
    assert not old["is_complete"]  # before the county set its standard


# --- Writing ---------------------------------------------------------------------------------------


def test_a_county_approver_creates_a_version_through_the_service(versions, api):
    body = {
        "region": VILLAGE_A, "program": "dibao_rural", "effective_from": "2026-09-01",
        "params": {"minimum_payment_fen": 3000}, "note": "凤凰村调整最低发放额",
    }  # fmt: skip
    response = api("county_approver").post(VERSIONS_URL, body, format="json")
    assert response.status_code == 201, response.content
    created = PolicyVersion.objects.get(pk=response.json()["id"])
    assert created.params == {"minimum_payment_fen": 3000} and created.region.code == VILLAGE_A
    event = AuditEvent.objects.get(event_type=AuditEventType.POLICY_VERSION_CREATED, subject_id=created.pk)
    assert event.after["params"] == {"minimum_payment_fen": 3000}


def test_creating_a_bad_version_is_refused_in_chinese_and_saves_nothing(versions, api, users, regions):
    good = {"region": VILLAGE_A, "program": "dibao_rural", "effective_from": "2026-09-01", "params": {}}
    approver = api("county_approver")
    before = rows()

    response = approver.post(VERSIONS_URL, {**good, "params": {"standard_fen": -5, "colour": "red"}}, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"params.standard_fen", "params.colour"}
    assert "低保标准" in fields["params.standard_fen"][0] and "colour" in fields["params.colour"][0]

    response = approver.post(VERSIONS_URL, {**good, "effective_from": "2026-01-01"}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"note"}  # back-dated: needs a basis
    response = approver.post(VERSIONS_URL, {**good, "effective_from": NEXT_MONTH.isoformat()}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"effective_from"}  # the day is taken
    response = approver.post(VERSIONS_URL, {**good, "params": ["standard_fen"]}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"params"}

    elsewhere = make_user("approver_other", Role.COUNTY_APPROVER, regions["511723106"])
    response = api(elsewhere).post(VERSIONS_URL, good, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"region": ["区划代码不存在或不在您的辖区内。"]}
    for role in ("coordinator_a", "township", "supervisor"):
        response = api(role).post(VERSIONS_URL, good, format="json")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied", role
    assert rows() == before


def test_a_version_is_corrected_only_before_it_takes_effect(versions, api):
    approver = api("county_approver")
    village = versions["village_a"]
    response = approver.patch(
        version_url(village.pk), {"expected_version": village.version, "params": {"minimum_payment_fen": 2500}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["params"] == {"minimum_payment_fen": 2500} and body["version"] == village.version + 1
    assert body["note"] == "测试用文件" and body["effective_from"] == NEXT_MONTH.isoformat()  # untouched fields stay
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.POLICY_VERSION_CHANGED, subject_id=village.pk).count() == 1
    )

    before = rows()
    stale = approver.patch(version_url(village.pk), {"expected_version": village.version, "note": "x"}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    county = versions["county"]
    in_force = approver.patch(version_url(county.pk), {"expected_version": county.version, "note": "x"}, format="json")
    assert in_force.status_code == 409 and in_force.json()["code"] == "policy_version_in_force"
    province = versions["province"]
    upper = approver.patch(version_url(province.pk), {"expected_version": province.version}, format="json")
    assert upper.status_code == 403 and upper.json()["message"] == "上级区划的政策参数版本只能由上级修改。"
    no_role = api("township").patch(version_url(village.pk), {"expected_version": 2}, format="json")
    assert no_role.status_code == 403
    assert (
        api("coordinator_b").patch(version_url(village.pk), {"expected_version": 2}, format="json").status_code == 404
    )
    missing_version = approver.patch(version_url(village.pk), {"note": "x"}, format="json")
    assert missing_version.status_code == 400 and set(missing_version.json()["fields"]) == {"expected_version"}
    assert rows() == before
