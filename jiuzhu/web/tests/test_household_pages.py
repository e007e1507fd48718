from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.models import Household
from jiuzhu.testing.builders import TOWNSHIP, VILLAGE_A, VILLAGE_B, make_household, person
from jiuzhu.web.tests.conftest import FileObjects
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db

LIST = reverse("web:household-list")


# --- search ---------------------------------------------------------------------------------------


def test_search_finds_by_name_initials_and_id_number_within_jurisdiction(client_as, world):
    client = client_as("township")
    number = decrypt(world.household_a.head.id_number_ciphertext)
    for query in ("张三", "zs", "ZS", number):
        households = list(client.get(LIST, {"q": query}).context["page"].object_list)
        assert households == [world.household_a], query
    assert list(client.get(LIST, {"q": "ww"}).context["page"].object_list) == [world.household_b]


def test_search_list_shows_masked_head_id_member_count_and_never_the_full_number(client_as, world):
    response = client_as("coordinator_a").get(LIST)
    html = page_html(response)
    number = decrypt(world.household_a.head.id_number_ciphertext)
    assert world.household_a.head.id_number_masked in html
    assert number not in html
    row = response.context["page"].object_list[0]
    assert row.living_member_count == 2
    assert "王五" not in html  # household_b is in another village


def test_region_filter_offers_only_the_users_subtree_and_narrows_results(client_as, world):
    client = client_as("township")
    choices = dict(client.get(LIST).context["form"].fields["region"].choices)
    assert TOWNSHIP in choices and VILLAGE_A in choices and VILLAGE_B in choices
    assert "511723106201" not in choices  # a village of another township
    assert list(client.get(LIST, {"region": VILLAGE_B}).context["page"].object_list) == [world.household_b]
    coordinator_choices = dict(client_as("coordinator_a").get(LIST).context["form"].fields["region"].choices)
    assert set(coordinator_choices) == {"", VILLAGE_A}


def test_search_is_paginated_by_fifty(client_as, world, django_assert_max_num_queries):
    actor = world.users["coordinator_a"]
    for i in range(50):
        make_household(actor, world.regions[VILLAGE_A], person(f"李{i}"))
    client = client_as("coordinator_a")
    with django_assert_max_num_queries(12):
        first = client.get(LIST)
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 51
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 1
    assert "page=2" in page_html(first)


# --- household file -------------------------------------------------------------------------------


def test_household_file_shows_everything_and_logs_the_view(client_as, file_a: FileObjects):
    url = reverse("web:household-file", args=[file_a.household.pk])
    views = AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_VIEWED, subject_id=file_a.household.pk)
    assert views.count() == 0
    response = client_as("coordinator_a").get(url)
    html = page_html(response)
    assert views.count() == 1
    for text in (
        "张三",
        "李梅",
        file_a.head.id_number_masked,
        "工资性收入",
        "1,234.56 元",
        "三轮车",
        "5,000.00 元",
        "hukou.png",
        "该家庭暂无救助待遇记录。",
        "建立家庭档案",
        "添加收入",
        "户主",
    ):
        assert text in html, text
    assert file_a.head.birth_date.isoformat() in html
    assert reverse("web:document-download", args=[file_a.document.pk]) in html
    assert "/media/" not in html and file_a.document.file.name not in html
    assert "data-print" in html


def test_history_shows_field_level_before_and_after_with_actor_role_and_reason(client_as, world):
    client = client_as("coordinator_a")
    household = world.household_a
    edit = reverse("web:household-edit", args=[household.pk])
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"region": household.region_id, "address": "凤凰村9组1号", "reason": "搬家"})
    assert client.post(edit, data).status_code == 302
    entries = client.get(reverse("web:household-file", args=[household.pk])).context["history"]
    changed = next(e for e in entries if e.event.event_type == AuditEventType.HOUSEHOLD_CHANGED)
    assert changed.actor_name == "coord_a" and changed.role_label == "村（社区）协理员"
    assert [(c.label, c.before, c.after) for c in changed.changes] == [("家庭住址", "凤凰村1组8号", "凤凰村9组1号")]
    assert changed.event.reason == "搬家"


def test_read_only_role_sees_no_edit_buttons(client_as, file_a: FileObjects):
    html = page_html(client_as("supervisor").get(reverse("web:household-file", args=[file_a.household.pk])))
    for name in ("web:household-edit", "web:person-add", "web:income-add", "web:document-upload"):
        assert reverse(name, args=[file_a.household.pk]) not in html
    assert reverse("web:person-edit", args=[file_a.head.pk]) not in html
    editor_html = page_html(client_as("coordinator_a").get(reverse("web:household-file", args=[file_a.household.pk])))
    assert reverse("web:household-edit", args=[file_a.household.pk]) in editor_html


def test_reveal_id_number_is_a_post_shows_the_number_once_and_is_logged(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    file_url = reverse("web:household-file", args=[file_a.household.pk])
    reveal = reverse("web:person-id-reveal", args=[file_a.head.pk])
    html = page_html(client.get(file_url))
    number = decrypt(file_a.head.id_number_ciphertext)
    assert reveal in html and "显示完整身份证号" in html and number not in html
    assert client.get(reveal).status_code == 405
    response = client.post(reveal, {"next": file_url})
    assert response.status_code == 200 and number in page_html(response)
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.PERSON_ID_REVEALED, subject_id=file_a.head.pk).count() == 1
    )
    assert number not in page_html(client.get(file_url))


def test_reveal_buttons_follow_the_roles_capabilities(client_as, world):
    household = make_household(
        world.users["coordinator_a"],
        world.regions[VILLAGE_A],
        person("赵六"),
        account_number="6228480012345678901",
        bank_name="开江县农村信用社",
    )
    file_url = reverse("web:household-file", args=[household.pk])
    account = reverse("web:household-account-reveal", args=[household.pk])
    assert account not in page_html(client_as("coordinator_a").get(file_url))
    assert client_as("coordinator_a").post(account).status_code == 403
    assert "显示完整身份证号" not in page_html(client_as("institution").get(file_url))
    assert client_as("institution").post(reverse("web:person-id-reveal", args=[household.head_id])).status_code == 403
    finance = client_as("finance")
    assert account in page_html(finance.get(file_url))
    response = finance.post(account, {"next": file_url})
    assert "6228480012345678901" in page_html(response)
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED).count() == 1


def test_reveal_without_a_number_is_a_message_and_redirect(client_as, world):
    file_url = reverse("web:household-file", args=[world.household_a.pk])
    response = client_as("finance").post(
        reverse("web:household-account-reveal", args=[world.household_a.pk]), {"next": file_url}, follow=True
    )
    assert response.redirect_chain[-1][0] == file_url
    assert "该家庭尚未登记银行账号。" in page_html(response)


# --- edit, head change ----------------------------------------------------------------------------


def _edit_data(client, household: Household, **changes: object) -> dict[str, object]:
    form = client.get(reverse("web:household-edit", args=[household.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(changes)
    return data


def test_household_edit_with_stale_version_says_someone_else_changed_it(client_as, world):
    client = client_as("coordinator_a")
    household = world.household_a
    url = reverse("web:household-edit", args=[household.pk])
    stale = _edit_data(client, household, address="甲地")
    assert client.post(url, _edit_data(client, household, address="乙地")).status_code == 302
    response = client.post(url, stale, follow=True)
    assert "该记录已被他人修改，请刷新后重试。" in page_html(response)
    assert response.redirect_chain[-1][0] == url
    household.refresh_from_db()
    assert household.address == "乙地"


def test_household_edit_bad_account_number_is_shown_next_to_the_field(client_as, world):
    client = client_as("coordinator_a")
    url = reverse("web:household-edit", args=[world.household_a.pk])
    response = client.post(url, _edit_data(client, world.household_a, account_number="12ab", bank_name="信用社"))
    assert response.status_code == 400
    assert "银行账号应为8至30位数字。" in text_near_field(page_html(response), "account_number")


def test_head_change_needs_a_reason_and_then_changes_the_head(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:household-head-change", args=[file_a.household.pk])
    data = {
        "expected_version": file_a.household.version,
        "new_head": file_a.spouse.pk,
        "former_head_relation": "spouse",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "请填写原因。" in text_near_field(page_html(response), "reason")
    assert client.post(url, {**data, "reason": "户主外出务工"}).status_code == 302
    file_a.household.refresh_from_db()
    assert file_a.household.head_id == file_a.spouse.pk
