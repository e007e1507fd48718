"""The OpenAPI schema and the Swagger UI page (local files only: the intranet has no internet)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

# Every workflow step of an application is its own operation with its own input.
APPLICATION_STEPS = (
    "complete_materials", "accept", "verification_request", "home_visit", "verification_result", "mark_disputed",
    "mark_special", "appraisal", "township_opinion", "notice_start", "notice_objection", "forward", "cadre_filing",
    "approve", "refuse", "publish", "withdraw", "terminate",
)  # fmt: skip
REVIEW_STEPS = ("propose", "decide", "reject")
EXPECTED_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/regions/": {"get"},
    "/api/v1/regions/{code}/": {"get"},
    "/api/v1/households/": {"get", "post"},
    "/api/v1/households/{id}/": {"get", "patch"},
    "/api/v1/households/{id}/reveal-account-number/": {"post"},
    "/api/v1/persons/": {"get", "post"},
    "/api/v1/persons/{id}/": {"get", "patch"},
    "/api/v1/persons/{id}/reveal-id-number/": {"post"},
    "/api/v1/income-items/": {"get", "post"},
    "/api/v1/income-items/{id}/": {"get", "patch", "delete"},
    "/api/v1/assets/": {"get", "post"},
    "/api/v1/assets/{id}/": {"get", "patch", "delete"},
    "/api/v1/dibao/preview/": {"post"},
    "/api/v1/work-summary/": {"get"},
    "/api/v1/applications/": {"get", "post"},
    "/api/v1/applications/{id}/": {"get"},
    "/api/v1/applications/{id}/steps/": {"get"},
    **{f"/api/v1/applications/{{id}}/steps/{step}/": {"post"} for step in APPLICATION_STEPS},
    **{f"/api/v1/applications/batch/{step}/": {"post"} for step in ("notice_start", "forward", "publish")},
    "/api/v1/decisions/": {"get"},
    "/api/v1/decisions/{id}/": {"get"},
    "/api/v1/cases/": {"get"},
    "/api/v1/cases/{id}/": {"get"},
    "/api/v1/cases/{id}/transfer-out/": {"post"},
    "/api/v1/cases/{id}/income-change/": {"post"},
    "/api/v1/persons/{id}/death/": {"post"},
    "/api/v1/reviews/": {"get", "post"},
    "/api/v1/reviews/{id}/": {"get"},
    **{f"/api/v1/reviews/{{id}}/steps/{step}/": {"post"} for step in REVIEW_STEPS},
    "/api/v1/reviews/open-due/": {"post"},
    "/api/v1/reviews/confirm-no-change/": {"post"},
    "/api/v1/policy-versions/": {"get", "post"},
    "/api/v1/policy-versions/{id}/": {"get", "patch"},
    "/api/v1/policy-versions/in-force/": {"get"},
}
EXTERNAL_URL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def schema() -> dict:
    response = APIClient().get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_lists_every_resource_and_method(schema):
    paths = {path: set(ops) - {"parameters"} for path, ops in schema["paths"].items()}
    assert paths == EXPECTED_PATHS
    assert schema["openapi"].startswith("3.")
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_schema_documents_fen_amounts_masked_numbers_and_the_error_shape(schema):
    components = schema["components"]["schemas"]
    assert components["IncomeItemOutput"]["properties"]["monthly_amount_fen"]["type"] == "integer"
    person = components["PersonOutput"]["properties"]
    assert "id_number_masked" in person and "id_number" not in person
    assert "account_number" not in components["HouseholdDetailOutput"]["properties"]
    assert set(components["ErrorOutput"]["properties"]) == {"code", "message", "fields"}
    patch = schema["paths"]["/api/v1/households/{id}/"]["patch"]["responses"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(patch)
    assert "expected_version" in components["HouseholdUpdateInputRequest"]["required"]


def test_schema_validates_without_warnings(db, tmp_path):
    """`jiuzhu spectacular --validate --fail-on-warn`: every operation documented, nothing ambiguous."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/applications/{id}/steps/approve/" in target.read_text()


def test_schema_documents_each_step_input_and_the_cases_outputs(schema):
    components = schema["components"]["schemas"]
    approve = schema["paths"]["/api/v1/applications/{id}/steps/approve/"]["post"]
    assert approve["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApproveInputRequest")
    assert {"200", "400", "401", "403", "404", "409"} <= set(approve["responses"])
    visit = set(components["HomeVisitInputRequest"]["required"])
    assert visit == {"expected_version", "findings", "investigators", "visited_on"}
    detail = components["ApplicationDetailOutput"]["properties"]
    assert {"allowed_steps", "version", "materials_missing", "decision", "due_on", "overall_due_on"} <= set(detail)
    assert components["EntitlementOutput"]["properties"]["amount_in_month_fen"]["type"] == "integer"
    assert "lines" in components["DecisionOutput"]["properties"]
    case_outputs = ("ApplicationDetailOutput", "TimelineOutput", "DecisionOutput", "EntitlementOutput")
    names = {name for c in case_outputs for name in components[c]["properties"]}
    assert not {n for n in names if "id_number" in n or "account" in n}


def test_docs_page_uses_only_local_assets_and_no_inline_code(db):
    response = APIClient().get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert not EXTERNAL_URL.search(html), "the docs page must not load anything from another host"
    assert "http://" not in html and "https://" not in html
    # The content-security policy allows no inline script or style.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert "<style" not in html and "style=" not in html
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", html)
    static_assets = [a for a in assets if a.startswith("/static/")]
    assert len(static_assets) >= 4  # swagger css + bundle + preset, our css
    for asset in static_assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a local static file"
    script = next(a for a in assets if "script" in a)
    init = APIClient().get(script.replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()
    assert "/api/v1/schema/" in init.content.decode()
