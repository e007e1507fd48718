"""Income and asset endpoints: money in integer fen, versioned edits, removal with a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.registry.models import Asset, IncomeItem

pytestmark = pytest.mark.django_db

INCOME_URL = reverse("api:income-item-list")
ASSETS_URL = reverse("api:asset-list")


def income_url(pk: int) -> str:
    return reverse("api:income-item-detail", kwargs={"pk": pk})


def asset_url(pk: int) -> str:
    return reverse("api:asset-detail", kwargs={"pk": pk})


def test_income_list_by_household(world, finances, api):
    response = api("coordinator_a").get(INCOME_URL, {"household_id": world.household_a.pk})
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["monthly_amount_fen"] == 150_000 and row["kind_label"] == "工资性收入"
    assert row["person_id"] == world.household_a.head_id
    assert api("coordinator_b").get(INCOME_URL).json()["results"] == []


def test_income_add_in_fen(world, api):
    body = {"household_id": world.household_a.pk, "kind": "pension", "monthly_amount_fen": 98_050}
    response = api("coordinator_a").post(INCOME_URL, body, format="json")
    assert response.status_code == 201, response.content
    item = IncomeItem.objects.get(pk=response.json()["id"])
    assert item.monthly_amount_fen == 98_050 and item.source == "declared"


def test_negative_income_is_a_chinese_field_error_and_saves_nothing(world, api):
    body = {"household_id": world.household_a.pk, "kind": "wages", "monthly_amount_fen": -1}
    response = api("coordinator_a").post(INCOME_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"monthly_amount_fen": ["收入金额不能为负数。"]}
    assert not IncomeItem.objects.exists()


def test_income_for_a_member_of_another_household_is_refused(world, api):
    body = {
        "household_id": world.household_a.pk,
        "kind": "wages",
        "monthly_amount_fen": 100,
        "person_id": world.household_b.head_id,
    }
    response = api("township").post(INCOME_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"person_id": ["所选成员不属于该家庭。"]}


def test_income_amount_must_be_an_integer_of_fen(world, api):
    body = {"household_id": world.household_a.pk, "kind": "wages", "monthly_amount_fen": "980.5"}
    response = api("coordinator_a").post(INCOME_URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["monthly_amount_fen"]


def test_income_patch_and_conflict(finances, api):
    item = finances["income"]
    client = api("coordinator_a")
    stale = client.patch(income_url(item.pk), {"expected_version": item.version + 1, "monthly_amount_fen": 1})
    assert stale.status_code == 409
    changed = client.patch(
        income_url(item.pk), {"expected_version": item.version, "monthly_amount_fen": 120_000}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["monthly_amount_fen"] == 120_000 and changed.json()["kind"] == "wages"
    item.refresh_from_db()
    assert item.monthly_amount_fen == 120_000 and item.person_id is not None


def test_income_delete_needs_a_reason_and_is_audited(finances, api):
    item = finances["income"]
    client = api("coordinator_a")
    missing = client.delete(income_url(item.pk))
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"reason": ["删除收入须填写原因。"]}
    assert IncomeItem.objects.filter(pk=item.pk).exists()
    removed = client.delete(income_url(item.pk) + "?reason=重复录入")
    assert removed.status_code == 204
    assert not IncomeItem.objects.filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(event_type=AuditEventType.INCOME_ITEM_REMOVED, subject_id=item.pk)
    assert event.reason == "重复录入"


def test_income_delete_accepts_the_reason_in_a_json_body(finances, api):
    item = finances["income"]
    response = api("coordinator_a").delete(income_url(item.pk), {"reason": "录错了"}, format="json")
    assert response.status_code == 204
    assert not IncomeItem.objects.filter(pk=item.pk).exists()


def test_asset_add_patch_and_delete(world, api):
    client = api("coordinator_a")
    body = {
        "household_id": world.household_a.pk,
        "kind": "real_estate",
        "value_fen": 12_000_000,
        "floor_area_sqm": "86.50",
    }
    created = client.post(ASSETS_URL, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["floor_area_sqm"] == "86.50" and data["kind_label"] == "房产"
    detail = client.get(asset_url(data["id"]))
    assert detail.status_code == 200 and detail.json()["value_fen"] == 12_000_000
    changed = client.patch(asset_url(data["id"]), {"expected_version": data["version"], "value_fen": 11_000_000})
    assert changed.status_code == 200 and changed.json()["value_fen"] == 11_000_000
    assert client.delete(asset_url(data["id"]) + "?reason=已出售").status_code == 204
    assert not Asset.objects.exists()


def test_negative_asset_value_is_a_chinese_field_error(world, api):
    body = {"household_id": world.household_a.pk, "kind": "deposit", "value_fen": -5}
    response = api("coordinator_a").post(ASSETS_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"value_fen": ["财产价值不能为负数。"]}
    assert not Asset.objects.exists()
