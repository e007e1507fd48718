"""Region endpoints: read-only, inside the caller's jurisdiction."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.testing.builders import COMMUNITY, COUNTY, TOWNSHIP, VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:region-list")


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["code"] for r in response.json()["results"]]


def test_a_coordinator_sees_only_the_own_village(users, api):
    assert _codes(api("coordinator_a").get(LIST_URL)) == [VILLAGE_A]


def test_a_township_officer_sees_the_township_and_its_villages(users, api):
    assert _codes(api("township").get(LIST_URL)) == [TOWNSHIP, COMMUNITY, VILLAGE_A, VILLAGE_B]


def test_filters_by_parent_and_level(users, api):
    client = api("county_officer")
    assert _codes(client.get(LIST_URL, {"parent_code": TOWNSHIP})) == [COMMUNITY, VILLAGE_A, VILLAGE_B]
    assert _codes(client.get(LIST_URL, {"level": 4})) == [TOWNSHIP, "511723106"]
    assert client.get(LIST_URL, {"level": 9}).status_code == 400


def test_detail_inside_and_outside_the_jurisdiction(users, api):
    inside = api("township").get(reverse("api:region-detail", kwargs={"code": VILLAGE_A}))
    assert inside.status_code == 200
    assert inside.json() == {
        "code": VILLAGE_A,
        "name": "凤凰村",
        "level": 5,
        "level_label": "村级",
        "parent_code": TOWNSHIP,
        "is_urban": False,
        "is_active": True,
    }
    outside = api("coordinator_b").get(reverse("api:region-detail", kwargs={"code": VILLAGE_A}))
    missing = api("coordinator_b").get(reverse("api:region-detail", kwargs={"code": "511723105299"}))
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"code": "not_found", "message": "记录不存在。"}
    assert api("county_officer").get(reverse("api:region-detail", kwargs={"code": COUNTY})).status_code == 200
