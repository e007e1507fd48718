"""POST /api/v1/dibao/preview/: the contract of issue 3 point 6, field errors in Chinese, nothing saved."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Asset, Household, IncomeItem, Person
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A

pytestmark = pytest.mark.django_db

URL = reverse("api:dibao-preview")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def rural_policy(users):
    """The seed's rural standard (72 yuan) for the county from 2012, with a 20 % supplement for the
    severely disabled."""
    return policy_version_create(
        actor=users["county_approver"],
        region_code=COUNTY,
        program_code="dibao_rural",
        effective_from=datetime.date(2012, 1, 1),
        params={"standard_fen": 7_200, "supplements": {"severe_disability": {"percent_bp": 2000}}},
        note="开江县2012年农村低保标准（测试）",
    )


def contract_body(**changes: Any) -> dict[str, Any]:
    """The request of the contract's example, in VILLAGE_A."""
    body: dict[str, Any] = {
        "region": VILLAGE_A,
        "on": "2012-06-01",
        "program": "dibao_rural",
        "members": [
            {"birth_date": "1950-03-01", "categories": ["severe_disability"]},
            {"birth_date": "1980-01-01", "categories": []},
        ],
        "incomes": [{"kind": "wages", "monthly_fen": 6000}],
        "assets": [{"kind": "deposit", "value_fen": 100000}],
    }
    body.update(changes)
    return body


def _snapshot() -> tuple[int, ...]:
    return (
        Household.objects.count(),
        Person.objects.count(),
        IncomeItem.objects.count(),
        Asset.objects.count(),
        PolicyVersion.objects.count(),
        AuditEvent.objects.count(),
    )


def test_contract_example_with_the_seed_rural_standard(rural_policy, api):
    before = _snapshot()
    response = api("coordinator_a").post(URL, contract_body(), format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["eligible"] is True
    assert body["reasons"] == []
    assert body["per_capita_income_fen"] == 3000
    gap, supplement = body["lines"]
    assert (gap["code"], gap["label"], gap["amount_fen"]) == ("gap", "补差", 8400)  # (7200 − 3000) × 2
    assert (supplement["code"], supplement["label"], supplement["amount_fen"]) == (
        "supplement",
        "分类施保：重度残疾人",
        1440,  # 20 % of 7200
    )
    assert supplement["member"] == 0 and supplement["category"] == "severe_disability"
    assert body["total_fen"] == 8400 + 1440 == sum(line["amount_fen"] for line in body["lines"])
    assert body["standard_fen"] == 7200
    assert body["policy"]["standard_region"] == COUNTY and body["policy"]["version_id"] == rural_policy.pk
    assert "7200" not in gap["basis"] and "72.00" in gap["basis"]
    assert _snapshot() == before  # nothing saved, no audit event


def test_without_a_supplement_category_only_the_gap_line(rural_policy, api):
    members = [{"birth_date": "1960-03-01"}, {"birth_date": "1980-01-01", "categories": []}]
    body = api("coordinator_a").post(URL, contract_body(members=members), format="json").json()
    assert [line["code"] for line in body["lines"]] == ["gap"]
    assert body["total_fen"] == 8400


def test_not_eligible_gives_reason_codes_with_chinese_labels(rural_policy, api):
    body = contract_body(
        incomes=[{"kind": "wages", "monthly_fen": 14_400}],  # per capita 7200: exactly at the standard
        assets=[{"kind": "vehicle", "value_fen": 3_000_000}],
    )
    answer = api("township").post(URL, body, format="json").json()
    assert answer["eligible"] is False
    assert answer["reasons"] == [
        {"code": "income_at_or_above_standard", "label": "家庭人均收入不低于当地低保标准"},
        {"code": "vehicle_owned", "label": "拥有机动车辆"},
    ]
    assert answer["lines"] == [] and answer["total_fen"] == 0


def test_income_of_an_excluded_member_is_not_counted(rural_policy, api):
    members = [{"birth_date": "1960-03-01"}, {"birth_date": "1980-01-01", "circumstances": ["imprisoned"]}]
    body = contract_body(members=members, incomes=[{"kind": "wages", "monthly_fen": 6000, "member": 1}])
    answer = api("coordinator_a").post(URL, body, format="json").json()
    assert answer["members"][1] == {"member": 1, "counted": False, "code": "imprisoned", "label": "在监狱服刑"}
    assert answer["per_capita_income_fen"] == 0
    assert answer["total_fen"] == 7200


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"region": "519999999999"}, "region"),  # unknown code
        ({"region": "abc"}, "region"),
        ({"on": "2012-13-01"}, "on"),
        ({"program": "tekun"}, "program"),
        ({"members": []}, "members"),
        ({"members": [{"birth_date": "1980-01-01"}] * 31}, "members"),
        ({"members": [{"birth_date": "1950-02-30"}]}, "members.0.birth_date"),
        ({"members": [{"birth_date": "1950-01-01", "categories": ["rich"]}]}, "members.0.categories.0"),
        ({"members": [{"birth_date": "1950-01-01", "disability_grade": 5}]}, "members.0.disability_grade"),
        ({"incomes": [{"kind": "wages", "monthly_fen": -1}]}, "incomes.0.monthly_fen"),
        ({"incomes": [{"kind": "lottery", "monthly_fen": 1}]}, "incomes.0.kind"),
        ({"incomes": [{"kind": "wages", "monthly_fen": 1, "member": 2}]}, "incomes.0.member"),
        ({"assets": [{"kind": "deposit", "value_fen": -5}]}, "assets.0.value_fen"),
        ({"assets": [{"kind": "yacht", "value_fen": 5}]}, "assets.0.kind"),
        ({"assets": [{"kind": "real_estate", "count": 0}]}, "assets.0.count"),
    ],
)
def test_bad_input_is_a_chinese_field_error_and_saves_nothing(rural_policy, api, changes, field):
    before = _snapshot()
    response = api("coordinator_a").post(URL, contract_body(**changes), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "validation_failed"
    assert list(body["fields"]) == [field], body
    assert all(CHINESE.search(message) for message in body["fields"][field]), body
    assert _snapshot() == before
    # The same request without the mistake is answered.
    assert api("coordinator_a").post(URL, contract_body(), format="json").status_code == 200


def test_region_without_a_configured_standard_is_a_field_error(rural_policy, api):
    response = api("coordinator_a").post(URL, contract_body(program="dibao_urban"), format="json")
    assert response.status_code == 400
    [message] = response.json()["fields"]["region"]
    assert "没有配置" in message and "2012-06-01" in message
    before_policy = api("coordinator_a").post(URL, contract_body(on="2011-12-31"), format="json")
    assert before_policy.status_code == 400 and list(before_policy.json()["fields"]) == ["region"]


def test_region_outside_the_jurisdiction_is_refused_like_an_unknown_one(rural_policy, api):
    unknown = api("coordinator_a").post(URL, contract_body(region="519999999999"), format="json").json()
    foreign = api("coordinator_a").post(URL, contract_body(region=OTHER_TOWNSHIP_VILLAGE), format="json")
    assert foreign.status_code == 400
    assert foreign.json() == unknown
    assert foreign.json()["fields"] == {"region": ["区划代码不存在或不在您的辖区内。"]}
    # The coordinator of that village, and the county, may.
    for role in ("coordinator_other", "county_officer"):
        answer = api(role).post(URL, contract_body(region=OTHER_TOWNSHIP_VILLAGE), format="json")
        assert answer.status_code == 200, (role, answer.content)
    # A code inside the county's prefix that names no region gets the same answer.
    missing = api("county_officer").post(URL, contract_body(region=COUNTY + "999999"), format="json")
    assert missing.status_code == 400 and missing.json() == unknown


@pytest.mark.parametrize("role", ["coordinator_a", "township", "county_approver", "finance", "institution"])
def test_every_role_that_may_view_the_registry_may_calculate(rural_policy, api, role):
    assert api(role).post(URL, contract_body(), format="json").status_code == 200


def test_anonymous_callers_are_refused(rural_policy, client):
    response = client.post(URL, contract_body(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_only_post(rural_policy, api):
    assert api("coordinator_a").get(URL).status_code == 405


def test_schema_documents_the_contract(api):
    schema = api("coordinator_a").get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/dibao/preview/"]["post"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert set(components["PreviewInputRequest"]["required"]) == {"region", "on", "program", "members"}
    output = components["PreviewOutput"]
    assert {"eligible", "reasons", "per_capita_income_fen", "lines", "total_fen"} <= set(output["required"])
