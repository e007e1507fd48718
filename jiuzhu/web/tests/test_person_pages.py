from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from jiuzhu.registry.models import MembershipPeriod, Person
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.testing.builders import VILLAGE_A, make_household, new_id_number, person
from jiuzhu.web.tests.conftest import FileObjects, today
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db

PERSON_BASE = {"ethnicity": "01", "marital_status": "unmarried", "work_ability": "full", "is_co_resident": "on"}


def _token(client, url: str) -> str:
    return client.get(url).context["form"]["submission_token"].value()


def test_person_add_adds_a_member_once(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-add", args=[file_a.household.pk])
    data = {
        **PERSON_BASE,
        "submission_token": _token(client, url),
        "name": "张小明",
        "relation": "child",
        "id_number": new_id_number(datetime.date(2001, 2, 3)),
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "该表单已提交，请勿重复提交。" in page_html(again)
    assert file_a.household.members.filter(name="张小明").count() == 1


def test_person_add_birth_date_mismatch_is_shown_next_to_birth_date(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-add", args=[file_a.household.pk])
    number = make_id_number("511723", datetime.date(2001, 2, 3), 917)
    data = {
        **PERSON_BASE,
        "submission_token": _token(client, url),
        "name": "张小明",
        "relation": "child",
        "id_number": number,
        "birth_date": "2001-02-04",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "出生日期与身份证号不符：身份证号中的出生日期为 2001-02-03。" in text_near_field(
        page_html(response), "birth_date"
    )
    assert not Person.objects.filter(name="张小明").exists()


def test_birth_without_id_number_registers_a_newborn(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-birth", args=[file_a.household.pk])
    data = {
        **PERSON_BASE,
        "submission_token": _token(client, url),
        "name": "张小宝",
        "relation": "child",
        "sex": "female",
        "birth_date": today().isoformat(),
        "work_ability": "none",
    }
    assert client.post(url, data).status_code == 302
    baby = Person.objects.get(name="张小宝")
    assert baby.household_id == file_a.household.pk and baby.id_number_digest is None


def test_person_edit_keeps_id_when_blank_and_reports_stale_version(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-edit", args=[file_a.spouse.pk])
    initial = client.get(url).context["form"].initial
    data = {k: v for k, v in initial.items() if v not in (None, False)}
    data["is_co_resident"] = "on"
    data["phone"] = "13900000000"
    assert client.post(url, data).status_code == 302
    spouse = Person.objects.get(pk=file_a.spouse.pk)
    assert spouse.phone == "13900000000" and spouse.id_number_digest == file_a.spouse.id_number_digest
    response = client.post(url, data, follow=True)  # the same version again
    assert "该记录已被他人修改，请刷新后重试。" in page_html(response)


def test_death_in_the_future_is_refused_in_chinese_and_reason_is_required(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-death", args=[file_a.spouse.pk])
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    no_reason = client.post(url, {"death_date": today().isoformat()})
    assert "请填写原因。" in text_near_field(page_html(no_reason), "reason")
    future = client.post(url, {"death_date": tomorrow, "reason": "死亡证明"})
    assert "死亡日期不能晚于今天。" in text_near_field(page_html(future), "death_date")
    assert Person.objects.get(pk=file_a.spouse.pk).death_date is None
    assert client.post(url, {"death_date": today().isoformat(), "reason": "死亡证明"}).status_code == 302
    assert Person.objects.get(pk=file_a.spouse.pk).death_date == today()


def test_move_searches_targets_in_jurisdiction_and_moves_with_a_reason(client_as, world, file_a: FileObjects):
    target = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("刘备"))
    client = client_as("coordinator_a")
    url = reverse("web:person-move", args=[file_a.spouse.pk])
    candidates = client.get(url, {"q": "lb"}).context["candidates"]
    assert candidates == [target]
    assert client.get(url, {"q": "ww"}).context["candidates"] == []  # household_b is in another village
    data = {"to_household": target.pk, "relation": "spouse", "moved_on": today().isoformat()}
    response = client.post(url + "?q=lb", data)
    assert "请填写原因。" in text_near_field(page_html(response), "reason")
    response = client.post(url + "?q=lb", {**data, "reason": "投靠亲属"})
    assert response["Location"] == reverse("web:household-file", args=[target.pk])
    assert Person.objects.get(pk=file_a.spouse.pk).household_id == target.pk
    assert MembershipPeriod.objects.filter(person=file_a.spouse, ended_on__isnull=False).count() == 1


def test_move_into_a_household_of_another_village_is_404(client_as, world, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:person-move", args=[file_a.spouse.pk])
    data = {"to_household": world.household_b.pk, "relation": "spouse", "moved_on": today().isoformat(), "reason": "x"}
    assert client.post(url, data).status_code == 404
    assert Person.objects.get(pk=file_a.spouse.pk).household_id == file_a.household.pk


def test_marriage_with_a_spouse_from_the_registry_who_joins(client_as, world, file_a: FileObjects):
    other = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("孙尚香"))
    bride = other.head
    groom = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("周瑜")).head
    client = client_as("coordinator_a")
    url = reverse("web:person-marriage", args=[groom.pk])
    assert bride in client.get(url, {"q": "ssx"}).context["candidates"]
    data = {"married_on": today().isoformat(), "spouse": bride.pk, "reason": "结婚登记"}
    response = client.post(url, data)
    assert response.status_code == 302
    assert Person.objects.get(pk=groom.pk).marital_status == "married"
    assert Person.objects.get(pk=bride.pk).marital_status == "married"
