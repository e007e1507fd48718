"""The error shape: JSON everywhere under /api/v1/, stable codes, Chinese messages, API field names."""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ErrorDetail

from jiuzhu.api.errors import api_field_name, flatten_field_errors

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_a_json_404(users, api):
    response = api("coordinator_a").get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "message": "接口不存在。"}


def test_non_numeric_id_is_a_json_404(users, api):
    response = api("coordinator_a").get("/api/v1/households/abc/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_missing_object_is_the_same_404_as_any_other(users, api):
    response = api("coordinator_a").get("/api/v1/households/999999/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "记录不存在。"}


def test_unsupported_method_is_a_json_405(users, api):
    response = api("coordinator_a").delete("/api/v1/regions/")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持该请求方法。"}


def test_unparseable_json_is_a_400_in_chinese(users, api):
    response = api("coordinator_a").post("/api/v1/households/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "message": "请求内容无法解析。"}


@pytest.mark.parametrize(
    ("detail", "expected"),
    [
        ({"name": [ErrorDetail("必填")]}, {"name": ["必填"]}),
        ({"members": [{}, {"id_number": ["错"]}]}, {"members.1.id_number": ["错"]}),
        ({"non_field_errors": ["整体"]}, {"non_field_errors": ["整体"]}),
        (["整体"], {"non_field_errors": ["整体"]}),
        ({"members": {"non_field_errors": ["至少一人"]}}, {"members.non_field_errors": ["至少一人"]}),
    ],
)
def test_flatten_field_errors(detail, expected):
    assert flatten_field_errors(detail) == expected


@pytest.mark.parametrize(
    ("service_name", "renames", "expected"),
    [
        ("members-1-id_number", {}, "members.1.id_number"),
        ("monthly_amount", {"monthly_amount": "monthly_amount_fen"}, "monthly_amount_fen"),
        ("region", {"region": "region_code"}, "region_code"),
        ("address", {"region": "region_code"}, "address"),
    ],
)
def test_service_field_names_become_api_field_names(service_name, renames, expected):
    assert api_field_name(service_name, renames) == expected
