from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.registry.models import Household, Person
from jiuzhu.testing.builders import OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, new_id_number
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db

URL = reverse("web:household-create")
CHECK_DIGIT_MESSAGE = "身份证号校验位错误，请核对号码是否录入有误。"


def _wrong_check_digit(number: str) -> str:
    last = number[-1]
    return number[:-1] + ("0" if last != "0" else "1")


def _member(index: int, name: str, id_number: str, relation: str) -> dict[str, str]:
    prefix = f"members-{index}-"
    values = {
        "name": name,
        "id_number": id_number,
        "relation": relation,
        "ethnicity": "01",
        "marital_status": "married",
        "work_ability": "full",
        "is_co_resident": "on",
    }
    return {prefix + k: v for k, v in values.items()}


def _post_data(client, regions, *members: dict[str, str], region: str = VILLAGE_A) -> dict[str, str]:
    token = client.get(URL).context["form"]["submission_token"].value()
    data = {
        "submission_token": token,
        "region": str(regions[region].pk),
        "hukou_type": "rural",
        "address": "凤凰村3组12号",
        "phone": "13800000000",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1",
        "members-MAX_NUM_FORMS": "30",
    }
    for member in members:
        data.update(member)
    return data


def test_creates_household_with_two_members_and_redirects_to_its_file(client_as, regions, users):
    client = client_as("coordinator_a")
    data = _post_data(
        client, regions, _member(0, "赵大勇", new_id_number(), "head"), _member(1, "钱秀英", new_id_number(), "spouse")
    )
    response = client.post(URL, data)
    household = Household.objects.get(head_name="赵大勇")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:household-file", args=[household.pk])
    assert sorted(household.members.values_list("name", flat=True)) == ["赵大勇", "钱秀英"]
    assert household.head_name_initials == "zdy"


def test_wrong_check_digit_is_shown_next_to_that_members_id_field_and_saves_nothing(client_as, regions):
    client = client_as("coordinator_a")
    good = new_id_number()
    data = _post_data(
        client,
        regions,
        _member(0, "赵大勇", good, "head"),
        _member(1, "钱秀英", _wrong_check_digit(new_id_number()), "spouse"),
    )
    before = (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count())

    response = client.post(URL, data)

    html = page_html(response)
    assert response.status_code == 400
    assert CHECK_DIGIT_MESSAGE in text_near_field(html, "members-1-id_number")
    assert CHECK_DIGIT_MESSAGE not in text_near_field(html, "members-0-id_number")
    assert (Household.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before
    # The typed values stay in the form so the clerk only fixes the one digit.
    assert good in html and "钱秀英" in html


def test_corrected_form_with_the_same_token_is_accepted_after_an_error(client_as, regions):
    client = client_as("coordinator_a")
    spouse_number = new_id_number()
    data = _post_data(
        client,
        regions,
        _member(0, "赵大勇", new_id_number(), "head"),
        _member(1, "钱秀英", _wrong_check_digit(spouse_number), "spouse"),
    )
    assert client.post(URL, data).status_code == 400
    data["members-1-id_number"] = spouse_number
    assert client.post(URL, data).status_code == 302
    assert Household.objects.filter(head_name="赵大勇").count() == 1


def test_form_posted_twice_creates_one_household_and_says_so(client_as, regions):
    client = client_as("coordinator_a")
    data = _post_data(client, regions, _member(0, "孙建国", new_id_number(), "head"))

    first = client.post(URL, data)
    second = client.post(URL, data)

    assert first.status_code == 302
    assert second.status_code == 400
    assert "该表单已提交，请勿重复提交。" in page_html(second)
    assert Household.objects.filter(head_name="孙建国").count() == 1


def test_a_fresh_form_gets_a_fresh_token(client_as):
    client = client_as("coordinator_a")
    first = client.get(URL).context["form"]["submission_token"].value()
    second = client.get(URL).context["form"]["submission_token"].value()
    assert first and second and first != second


def test_id_number_already_registered_points_to_the_existing_household(client_as, regions, world):
    from jiuzhu.common.sensitive import decrypt

    client = client_as("coordinator_a")
    existing = decrypt(world.household_a.head.id_number_ciphertext)
    data = _post_data(client, regions, _member(0, "张三", existing, "head"))
    response = client.post(URL, data)
    message = text_near_field(page_html(response), "members-0-id_number")
    assert "已登记在" in message and "凤凰村" in message
    assert Household.objects.count() == 2


def test_two_heads_is_a_chinese_error_above_the_members(client_as, regions):
    client = client_as("coordinator_a")
    data = _post_data(
        client, regions, _member(0, "赵大勇", new_id_number(), "head"), _member(1, "钱秀英", new_id_number(), "head")
    )
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "一户应有且只有一名户主。" in page_html(response)
    assert not Household.objects.filter(head_name="赵大勇").exists()


def test_blank_added_member_row_is_an_error_not_silently_dropped(client_as, regions):
    client = client_as("coordinator_a")
    blank = {f"members-1-{k}": "" for k in ("name", "id_number", "relation")}
    data = _post_data(client, regions, _member(0, "赵大勇", new_id_number(), "head"), blank)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "该字段是必填项" in text_near_field(page_html(response), "members-1-name")
    assert not Household.objects.filter(head_name="赵大勇").exists()


def test_region_choice_offers_only_villages_in_the_users_jurisdiction(client_as, regions):
    client = client_as("coordinator_a")
    choices = client.get(URL).context["form"].fields["region"].queryset
    assert list(choices) == [regions[VILLAGE_A]]
    data = _post_data(client, regions, _member(0, "赵大勇", new_id_number(), "head"), region=OTHER_TOWNSHIP_VILLAGE)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "选择一个有效的选项" in text_near_field(page_html(response), "region")
    assert not Household.objects.filter(head_name="赵大勇").exists()


@pytest.mark.parametrize("role", ["supervisor", "county_approver", "finance", "institution"])
def test_read_only_roles_get_403(client_as, role):
    client = client_as(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
