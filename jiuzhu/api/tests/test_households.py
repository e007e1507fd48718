"""Household endpoints: search, open with members, read (logged), correct, reveal the account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.models import Household
from jiuzhu.testing.builders import COMMUNITY, VILLAGE_A, VILLAGE_B, make_household, new_id_number, person

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:household-list")
ACCOUNT = "6228480012345678901"


def detail_url(pk: int) -> str:
    return reverse("api:household-detail", kwargs={"pk": pk})


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _member(name: str, relation: str, **extra):
    return {"name": name, "relation": relation, "id_number": new_id_number(), **extra}


def _new_household_body(*members, region_code: str = VILLAGE_A) -> dict:
    return {
        "region_code": region_code,
        "hukou_type": "rural",
        "address": "凤凰村3组12号",
        "bank_name": "开江县农村信用社",
        "account_holder": "赵一",
        "account_number": ACCOUNT,
        "members": list(members) or [_member("赵一", "head"), _member("钱二", "spouse")],
    }


def test_list_is_scoped_paginated_and_masked(world, api):
    response = api("township").get(LIST_URL)
    assert set(_ids(response)) == {world.household_a.pk, world.household_b.pk}
    body = response.json()
    assert body["count"] == 2 and body["next"] is None
    row = next(r for r in body["results"] if r["id"] == world.household_a.pk)
    assert row["region_code"] == VILLAGE_A and row["region_name"] == "凤凰村"
    assert row["head_name"] == "张三" and row["status_label"] == "正常" and row["hukou_type_label"] == "农村户籍"
    assert _ids(api("coordinator_b").get(LIST_URL)) == [world.household_b.pk]


def test_list_filters_by_initials_id_number_region_status_and_hukou_type(world, api):
    client = api("township")
    community = make_household(world.users["township"], world.regions[COMMUNITY], person("孙七"), hukou_type="urban")
    assert _ids(client.get(LIST_URL, {"q": "zs"})) == [world.household_a.pk]
    assert _ids(client.get(LIST_URL, {"q": "王五"})) == [world.household_b.pk]
    head_number = decrypt(world.household_a.head.id_number_ciphertext)
    assert _ids(client.get(LIST_URL, {"q": head_number})) == [world.household_a.pk]
    assert _ids(client.get(LIST_URL, {"region": VILLAGE_B})) == [world.household_b.pk]
    assert _ids(client.get(LIST_URL, {"hukou_type": "urban"})) == [community.pk]
    assert _ids(client.get(LIST_URL, {"status": "dissolved"})) == []
    assert len(_ids(client.get(LIST_URL, {"status": "active"}))) == 3


def test_list_filter_with_a_bad_value_is_a_chinese_field_error(world, api):
    response = api("township").get(LIST_URL, {"status": "gone"})
    assert response.status_code == 400
    assert response.json()["fields"]["status"] == ["“gone” 不是合法选项。"]


def test_create_with_members_returns_masked_numbers_and_audits(world, api):
    body = _new_household_body()
    response = api("coordinator_a").post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    household = Household.objects.get(pk=data["id"])
    assert [m["name"] for m in data["members"]] == ["赵一", "钱二"]
    assert data["members"][0]["relation"] == "head" and data["head_name"] == "赵一"
    assert data["account_number_masked"] == "6228***********8901"
    assert "account_number" not in data
    full_numbers = [ACCOUNT, *(m["id_number"] for m in body["members"])]
    assert not any(number in response.content.decode() for number in full_numbers)
    assert (
        data["members"][0]["id_number_masked"]
        == body["members"][0]["id_number"][:6] + "********" + body["members"][0]["id_number"][-4:]
    )
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_CREATED, subject_id=household.pk).exists()


def test_create_with_a_wrong_check_digit_is_a_chinese_field_error_and_saves_nothing(world, api):
    good = new_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = Household.objects.count()
    body = _new_household_body(_member("赵一", "head"), {"name": "钱二", "relation": "spouse", "id_number": bad})
    response = api("coordinator_a").post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    assert response.json()["fields"] == {"members.1.id_number": ["身份证号校验位错误，请核对号码是否录入有误。"]}
    assert Household.objects.count() == before


def test_create_with_an_existing_id_number_points_to_the_household(world, api):
    existing = world.household_a.head
    number = decrypt(existing.id_number_ciphertext)
    body = _new_household_body(_member("王二", "head"), {"name": "张三", "relation": "sibling", "id_number": number})
    response = api("coordinator_b").post(LIST_URL, {**body, "region_code": VILLAGE_B}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "id_number_exists"
    assert data["existing_household_id"] == world.household_a.pk
    assert data["existing_person_id"] == existing.pk
    assert "已登记在" in data["fields"]["members.1.id_number"][0]
    assert number not in response.content.decode()
    assert Household.objects.count() == 2


def test_create_with_missing_shape_fields_lists_them(world, api):
    response = api("coordinator_a").post(LIST_URL, {"members": [{"relation": "head"}]}, format="json")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["region_code"] == ["该字段是必填项。"]
    assert fields["members.0.name"] == ["该字段是必填项。"]


def test_create_outside_the_jurisdiction_is_refused_like_a_missing_region(world, api):
    outside = api("coordinator_b").post(LIST_URL, _new_household_body(), format="json")
    missing = api("coordinator_b").post(LIST_URL, _new_household_body(region_code="511723105299"), format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert outside.json()["fields"] == {"region_code": ["区划代码不存在或不在您的辖区内。"]}
    assert Household.objects.count() == 2


def test_detail_shows_members_and_logs_the_reading(world, api):
    response = api("coordinator_a").get(detail_url(world.household_a.pk))
    assert response.status_code == 200
    data = response.json()
    assert [m["name"] for m in data["members"]] == ["张三", "李梅"]
    assert data["version"] == world.household_a.version
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.HOUSEHOLD_VIEWED, subject_id=world.household_a.pk, actor=world.users["coordinator_a"]
    ).exists()


def test_patch_changes_fields_and_bumps_the_version(world, api):
    household = world.household_a
    response = api("coordinator_a").patch(
        detail_url(household.pk), {"expected_version": household.version, "phone": "13900000000"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "13900000000"
    assert response.json()["version"] == household.version + 1
    household.refresh_from_db()
    assert household.phone == "13900000000" and household.address == "凤凰村1组8号"
    event = AuditEvent.objects.get(event_type=AuditEventType.HOUSEHOLD_CHANGED, subject_id=household.pk)
    assert event.after == {"phone": "13900000000"}


def test_patch_with_a_stale_version_is_a_409_and_changes_nothing(world, api):
    household = world.household_a
    response = api("coordinator_a").patch(
        detail_url(household.pk), {"expected_version": household.version - 1 or 99, "phone": "1"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"code": "conflict", "message": "该记录已被他人修改，请刷新后重试。"}
    household.refresh_from_db()
    assert household.phone == ""


def test_patch_without_expected_version_is_refused(world, api):
    response = api("coordinator_a").patch(detail_url(world.household_a.pk), {"phone": "1"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"expected_version": ["该字段是必填项。"]}


def test_patch_to_a_village_outside_the_jurisdiction_is_refused(world, api):
    household = world.household_a
    response = api("coordinator_a").patch(
        detail_url(household.pk), {"expected_version": household.version, "region_code": VILLAGE_B}, format="json"
    )
    assert response.status_code == 400
    assert "region_code" in response.json()["fields"]
    household.refresh_from_db()
    assert household.region.code == VILLAGE_A


@pytest.fixture
def banked(world):
    return make_household(
        world.users["coordinator_a"],
        world.regions[VILLAGE_A],
        person("周八"),
        bank_name="开江县农村信用社",
        account_holder="周八",
        account_number=ACCOUNT,
    )


def test_account_number_reveal_needs_the_capability_and_is_logged(banked, api):
    url = reverse("api:household-reveal-account-number", kwargs={"pk": banked.pk})
    refused = api("coordinator_a").post(url, {"reason": "核对"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED).exists()
    shown = api("finance").post(url, {"reason": "发放核对"}, format="json")
    assert shown.status_code == 200
    assert shown.json() == {"account_number": ACCOUNT}
    assert shown["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED)
    assert event.subject_id == banked.pk and event.reason == "发放核对"


def test_account_number_reveal_without_an_account_is_a_409(world, api):
    url = reverse("api:household-reveal-account-number", kwargs={"pk": world.household_a.pk})
    response = api("finance").post(url, {}, format="json")
    assert response.status_code == 409
    assert response.json()["message"] == "该家庭尚未登记银行账号。"


def test_put_is_not_allowed(world, api):
    response = api("coordinator_a").put(detail_url(world.household_a.pk), {}, format="json")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持该请求方法。"}


def test_list_query_count_does_not_grow_with_the_number_of_households(world, api):
    client = api("township")
    with CaptureQueriesContext(connection) as two:
        assert len(_ids(client.get(LIST_URL))) == 2
    for index in range(3):
        make_household(world.users["township"], world.regions[VILLAGE_B], person(f"陈{index}"))
    with CaptureQueriesContext(connection) as five:
        assert len(_ids(client.get(LIST_URL))) == 5
    assert len(five.captured_queries) == len(two.captured_queries) <= 5
