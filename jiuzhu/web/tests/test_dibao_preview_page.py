"""The dibao trial calculation page (/dibao/preview/): same calculator as the API, saves nothing."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Asset, Household, IncomeItem, Person
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A
from jiuzhu.web.tests.html import text_near_field

pytestmark = pytest.mark.django_db

URL = reverse("web:dibao-preview")
TAGS = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    return " ".join(TAGS.sub(" ", html).split())


@pytest.fixture
def rural_policy(users):
    return policy_version_create(
        actor=users["county_approver"],
        region_code=COUNTY,
        program_code="dibao_rural",
        effective_from=datetime.date(2012, 1, 1),
        params={"standard_fen": 7_200, "supplements": {"severe_disability": {"percent_bp": 2000}}},
        note="开江县2012年农村低保标准（测试）",
    )


def _management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def contract_post(**changes: str) -> dict[str, str]:
    """The contract's example typed into the page: two members, wages 60 yuan, a deposit of 1,000 yuan."""
    data = {
        "region": VILLAGE_A,
        "on": "2012-06-01",
        "program": "dibao_rural",
        **_management("members", 2),
        "members-0-birth_date": "1950-03-01",
        "members-0-categories": "severe_disability",
        "members-0-is_co_resident": "on",
        "members-1-birth_date": "1980-01-01",
        "members-1-is_co_resident": "on",
        **_management("incomes", 2),
        "incomes-0-kind": "wages",
        "incomes-0-monthly": "60",
        "incomes-1-kind": "",  # a blank added row is ignored
        "incomes-1-monthly": "",
        **_management("assets", 1),
        "assets-0-kind": "deposit",
        "assets-0-value": "1000",
        "assets-0-count": "1",
    }
    data.update(changes)
    return data


def _snapshot() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Household, Person, IncomeItem, Asset, AuditEvent))


def test_nav_link_and_empty_form_for_every_role_that_may_view(client_as, world):
    for role in ("coordinator_a", "finance", "supervisor"):
        home = client_as(role).get(reverse("web:home"))
        assert "低保试算" in home.content.decode() and URL in home.content.decode()
        page = client_as(role).get(URL)
        assert page.status_code == 200
        text = visible_text(page.content.decode())
        assert "低保试算" in text and "家庭成员" in text and "分类施保类别" in text


def test_the_page_computes_the_contract_example_and_saves_nothing(client_as, world, rural_policy):
    before = _snapshot()
    response = client_as("coordinator_a").post(URL, contract_post())
    assert response.status_code == 200, visible_text(response.content.decode())
    text = visible_text(response.content.decode())
    assert "符合低保条件" in text and "不符合低保条件" not in text
    assert "补差" in text and "84.00 元" in text  # (72 − 30) × 2
    assert "分类施保：重度残疾人" in text and "14.40 元" in text
    assert "98.40 元" in text  # the total
    assert "30.00 元" in text  # per-capita income
    assert _snapshot() == before


def test_not_eligible_shows_the_reasons(client_as, world, rural_policy):
    response = client_as("township").post(
        URL, contract_post(**{"incomes-0-monthly": "144", "assets-0-kind": "vehicle"})
    )
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "不符合低保条件" in text
    assert "家庭人均收入不低于当地低保标准" in text and "拥有机动车辆" in text
    assert "补差" not in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"incomes-0-monthly": "-5"}, "incomes-0-monthly", "金额不能为负数"),
        ({"members-1-birth_date": "1980-02-30"}, "members-1-birth_date", "日期"),
        ({"incomes-0-member": "3"}, "incomes-0-member", "没有第 3 位成员"),
        ({"region": OTHER_TOWNSHIP_VILLAGE}, "region", ""),
        ({"program": "dibao_urban"}, "region", "没有配置"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(client_as, world, rural_policy, changes, field, message):
    before = _snapshot()
    response = client_as("coordinator_a").post(URL, contract_post(**changes))
    assert response.status_code == 400
    shown = text_near_field(response.content.decode(), field)
    assert shown and message in shown, shown
    assert "试算结果" not in visible_text(response.content.decode())
    assert _snapshot() == before


def test_prefilled_from_a_household_file(client_as, world, rural_policy):
    household = world.household_a
    income_item_add(
        actor=world.users["coordinator_a"],
        household_id=household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=6_000, person_id=household.head_id),
    )
    file_page = client_as("coordinator_a").get(reverse("web:household-file", args=[household.pk]))
    assert f"{URL}?household={household.pk}" in file_page.content.decode()
    page = client_as("coordinator_a").get(URL, {"household": household.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="members-TOTAL_FORMS" value="2"' in html.replace(' id="id_members-TOTAL_FORMS"', "")
    assert 'name="incomes-0-monthly" value="60.00"' in html
    assert f'<option value="{VILLAGE_A}" selected>' in html
    # Another village's household: 404, like a missing one.
    assert client_as("coordinator_b").get(URL, {"household": household.pk}).status_code == 404
    assert client_as("coordinator_a").get(URL, {"household": "x"}).status_code == 404


def test_anonymous_users_are_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("web:login") in response["Location"]
