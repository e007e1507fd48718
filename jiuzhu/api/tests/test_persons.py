"""Person endpoints: list by household, add, read, correct, reveal the ID number."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.models import Person
from jiuzhu.testing.builders import new_id_number

pytestmark = pytest.mark.django_db

LIST_URL = reverse("api:person-list")


def detail_url(pk: int) -> str:
    return reverse("api:person-detail", kwargs={"pk": pk})


def test_list_by_household_is_scoped(world, api):
    response = api("township").get(LIST_URL, {"household_id": world.household_a.pk})
    assert response.status_code == 200
    assert [p["name"] for p in response.json()["results"]] == ["张三", "李梅"]
    everyone = api("coordinator_b").get(LIST_URL).json()["results"]
    assert {p["household_id"] for p in everyone} == {world.household_b.pk}
    assert api("coordinator_b").get(LIST_URL, {"household_id": world.household_a.pk}).json()["results"] == []


def test_add_a_member_derives_sex_and_birth_date_from_the_id(world, api):
    number = new_id_number(datetime.date(2010, 3, 4), male=False)
    body = {"household_id": world.household_a.pk, "name": "张小花", "relation": "child", "id_number": number}
    response = api("coordinator_a").post(LIST_URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["sex"] == "female"
    assert data["birth_date"] == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert data["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert number not in response.content.decode()
    assert Person.objects.filter(household=world.household_a).count() == 3
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_ADDED, subject_id=data["id"]).exists()


def test_add_with_a_wrong_check_digit_is_a_chinese_field_error(world, api):
    good = new_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    body = {"household_id": world.household_a.pk, "name": "张四", "relation": "child", "id_number": bad}
    response = api("coordinator_a").post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"id_number": ["身份证号校验位错误，请核对号码是否录入有误。"]}
    assert Person.objects.filter(household=world.household_a).count() == 2


def test_add_with_a_registered_id_number_points_to_its_household(world, api):
    holder = world.household_b.head
    number = decrypt(holder.id_number_ciphertext)
    body = {"household_id": world.household_a.pk, "name": "王五", "relation": "other", "id_number": number}
    response = api("township").post(LIST_URL, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "id_number_exists"
    assert (data["existing_household_id"], data["existing_person_id"]) == (world.household_b.pk, holder.pk)
    assert "已登记在" in data["fields"]["id_number"][0] and "石桥村" in data["fields"]["id_number"][0]


def test_add_a_second_head_is_refused(world, api):
    body = {"household_id": world.household_a.pk, "name": "张四", "relation": "head", "id_number": new_id_number()}
    response = api("coordinator_a").post(LIST_URL, body, format="json")
    assert response.status_code == 400
    assert "户主" in response.json()["fields"]["relation"][0]


def test_detail_and_patch_with_version(world, api):
    spouse = world.household_a.members.get(relation="spouse")
    client = api("coordinator_a")
    detail = client.get(detail_url(spouse.pk))
    assert detail.status_code == 200 and detail.json()["name"] == "李梅"
    changed = client.patch(
        detail_url(spouse.pk),
        {"expected_version": spouse.version, "education": "junior", "reason": "入户核实"},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["education"] == "junior" and changed.json()["version"] == spouse.version + 1
    spouse.refresh_from_db()
    assert spouse.education == "junior" and spouse.name == "李梅"
    event = AuditEvent.objects.get(event_type=AuditEventType.PERSON_CHANGED, subject_id=spouse.pk)
    assert event.after == {"education": "junior"} and event.reason == "入户核实"


def test_patch_with_a_new_id_number_takes_its_birth_date(world, api):
    spouse = world.household_a.members.get(relation="spouse")
    number = new_id_number(datetime.date(1975, 1, 2), male=False)
    response = api("coordinator_a").patch(
        detail_url(spouse.pk), {"expected_version": spouse.version, "id_number": number}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["birth_date"] == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert response.json()["birth_date"] != spouse.birth_date.isoformat()


def test_patch_with_a_stale_version_is_a_409(world, api):
    spouse = world.household_a.members.get(relation="spouse")
    response = api("coordinator_a").patch(
        detail_url(spouse.pk), {"expected_version": spouse.version + 1, "phone": "1"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    spouse.refresh_from_db()
    assert spouse.phone == ""


@pytest.mark.parametrize("days", [30, -1])
def test_a_death_date_is_not_patched_but_recorded_through_the_death_endpoint(world, api, days):
    """A death closes the membership and reviews the benefit (POST …/death/): PATCH refuses it."""
    spouse = world.household_a.members.get(relation="spouse")
    day = (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
    response = api("coordinator_a").patch(
        detail_url(spouse.pk), {"expected_version": spouse.version, "death_date": day}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"death_date": ["登记死亡请使用“登记死亡”；已登记的死亡日期不能在此修改。"]}
    spouse.refresh_from_db()
    assert spouse.death_date is None


def test_id_number_reveal_needs_the_capability_and_is_logged(world, api):
    head = world.household_a.head
    url = reverse("api:person-reveal-id-number", kwargs={"pk": head.pk})
    refused = api("finance").post(url, {"reason": "核对"}, format="json")
    assert refused.status_code == 403
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PERSON_ID_REVEALED).exists()
    shown = api("coordinator_a").post(url, {"reason": "办理业务"}, format="json")
    assert shown.status_code == 200
    assert shown.json() == {"id_number": decrypt(head.id_number_ciphertext)}
    assert shown["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(event_type=AuditEventType.PERSON_ID_REVEALED)
    assert (event.subject_id, event.actor, event.reason) == (head.pk, world.users["coordinator_a"], "办理业务")
