"""Applications, steps, decisions and benefits in force over the API (issue 3, point 7).

The clock is frozen on Monday 2026-06-01 as in the case service tests; state is built with the real
services (`Flow`) or through the API itself, never by saving a status.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Application, Decision, HomeVisit, StatusChange
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, make_household, make_user, new_id_number, person

pytestmark = pytest.mark.django_db

APPLICATIONS_URL = reverse("api:application-list")
DECISIONS_URL = reverse("api:decision-list")
CASES_URL = reverse("api:case-list")
MATERIALS = ["application_form", "id_cards", "hukou_book", "income_proof"]


@pytest.fixture
def clock():
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def policy(clock, users):
    return make_policy(users)


@pytest.fixture
def flow(clock, world, policy):
    return Flow(world, clock)


def detail_url(application_id: int) -> str:
    return reverse("api:application-detail", kwargs={"pk": application_id})


def step_url(application_id: int, step: str) -> str:
    return reverse(f"api:application-step-{step.replace('_', '-')}", kwargs={"pk": application_id})


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def case_rows(application_id: int) -> tuple[Any, ...]:
    """Everything a step may change, for "nothing was saved" checks."""
    return (
        Application.objects.filter(pk=application_id).values().get(),
        StatusChange.objects.filter(application_id=application_id).count(),
        HomeVisit.objects.filter(application_id=application_id).count(),
        Decision.objects.filter(application_id=application_id).count(),
        AuditEvent.objects.count(),
    )


class Steps:
    """Takes steps through the API, carrying the version from one answer to the next."""

    def __init__(self, application: dict[str, Any]) -> None:
        self.id = application["id"]
        self.version = application["version"]

    def post(self, client: Any, step: str, **data: Any) -> Any:
        return client.post(step_url(self.id, step), {"expected_version": self.version, **data}, format="json")

    def take(self, client: Any, step: str, **data: Any) -> dict[str, Any]:
        response = self.post(client, step, **data)
        assert response.status_code == 200, (step, response.content)
        body: dict[str, Any] = response.json()
        assert body["version"] == self.version + 1
        self.version = body["version"]
        return body


# --- The whole path -----------------------------------------------------------------------------


def test_an_application_goes_from_submission_to_a_benefit_in_force_through_the_api(flow, api, users, world):
    flow.income(6000)  # 60 yuan wages a month: per-capita income 30 yuan for two members
    household = world.household_a
    coordinator, township = api("coordinator_a"), api("township")
    submitted = coordinator.post(
        APPLICATIONS_URL,
        {
            "household_id": household.pk,
            "applicant_id": household.head_id,
            "materials_provided": MATERIALS,
            "authorisation_signed_on": "2026-06-01",
            "authorisation_signers": ["张三", "李梅"],
        },
        format="json",
    )
    assert submitted.status_code == 201, submitted.content
    body = submitted.json()
    assert body["status"] == "materials_incomplete" and body["program"] == "dibao_rural"
    assert body["materials_missing"] == [{"code": "promise", "label": "诚信承诺书（签字）"}]
    assert "诚信承诺书" in body["missing_materials_text"]
    assert body["next_step"] == "complete_materials"
    assert [s["step"] for s in body["allowed_steps"]] == ["complete_materials", "withdraw"]
    steps = Steps(body)

    assert (
        steps.take(coordinator, "complete_materials", materials_provided=[], promise_signed_on="2026-06-01")["status"]
        == "submitted"
    )
    assert steps.take(township, "accept")["status"] == "investigating"
    steps.take(township, "verification_request")
    steps.take(
        coordinator, "home_visit", visited_on="2026-06-01", findings="家中无劳动力，房屋破旧。",
        investigators=[users["coordinator_a"].pk, users["township"].pk],
    )  # fmt: skip
    steps.take(api("county_officer"), "verification_result", passed=True, notes="未发现异常")
    assert steps.take(township, "township_opinion", agrees=True, text="同意纳入。")["status"] == "opinion_given"
    notice = steps.take(township, "notice_start")
    assert notice["status"] == "in_notice"
    assert notice["village_notice"] == {"stage": "village_notice", "starts_on": "2026-06-01", "ends_on": "2026-06-08"}

    early = steps.post(township, "forward")
    assert early.status_code == 409 and early.json()["code"] == "notice_running"
    flow.travel(datetime.date(2026, 6, 9))
    township = api("township")  # a new token: the old one expired during the notice period
    assert steps.take(township, "forward")["status"] == "awaiting_decision"
    approved = steps.take(api("county_approver"), "approve", comment="同意")
    assert approved["status"] == "approved"
    assert approved["decision"]["outcome"] == "approved"
    # (72 − 30) × 2 members = 84 yuan from July
    assert approved["decision"]["monthly_amount_fen"] == 8400
    assert approved["decision"]["first_payment_month"] == "2026-07-01"
    published = steps.take(township, "publish")
    assert published["status"] == "in_force" and published["next_step"] == "" and published["allowed_steps"] == []
    assert published["version"] == 11

    timeline = township.get(reverse("api:application-steps", kwargs={"pk": steps.id}))
    assert timeline.status_code == 200
    assert [row["step"] for row in timeline.json()] == [
        "submit", "complete_materials", "accept", "verification_request", "home_visit", "verification_result",
        "township_opinion", "notice_start", "forward", "approve", "publish",
    ]  # fmt: skip
    assert timeline.json()[2]["actor_id"] == users["township"].pk

    decision = township.get(reverse("api:decision-detail", kwargs={"pk": approved["decision"]["id"]})).json()
    assert [(line["code"], line["amount_fen"]) for line in decision["lines"]] == [("gap", 8400)]
    assert decision["lines"][0]["label"] == "补差" and decision["lines"][0]["basis"]
    assert decision["policy_snapshot"]["standard_fen"] == 7200 and decision["policy_snapshot"]["region"] == VILLAGE_A
    assert decision["reasons"] == [] and decision["member_count"] == 2 and decision["per_capita_income_fen"] == 3000

    [entitlement] = township.get(CASES_URL, {"month": "2026-06"}).json()["results"]
    assert entitlement["id"] == published["entitlement_id"] and entitlement["household_id"] == household.pk
    assert entitlement["monthly_amount_fen"] == 8400 and entitlement["first_month"] == "2026-07-01"
    assert entitlement["month"] == "2026-06-01" and entitlement["amount_in_month_fen"] == 0
    assert [(c["effective_month"], c["amount_fen"], c["kind"]) for c in entitlement["amount_history"]] == [
        ("2026-07-01", 8400, "grant")
    ]
    assert ids(township.get(CASES_URL, {"status": "active"})) == {entitlement["id"]}
    assert ids(township.get(CASES_URL, {"status": "stopped"})) == set()
    assert ids(api("coordinator_b").get(CASES_URL)) == set()
    [july] = township.get(CASES_URL, {"month": "2026-07"}).json()["results"]
    assert july["amount_in_month_fen"] == 8400
    one = township.get(reverse("api:case-detail", kwargs={"pk": entitlement["id"]}), {"month": "2027-03"}).json()
    assert one["amount_in_month_fen"] == 8400
    assert (
        township.get(reverse("api:case-detail", kwargs={"pk": entitlement["id"]})).json()["amount_in_month_fen"] is None
    )


# --- Error codes ---------------------------------------------------------------------------------


def test_step_errors_are_400_403_404_409_and_change_nothing(flow, api, users):
    app = flow.submit()
    flow.accept()
    version = flow.v
    before = case_rows(app.pk)
    visit = {"visited_on": "2026-06-01", "findings": "情况属实。", "investigators": [users["coordinator_a"].pk]}

    # 400: the shape (no expected_version), then the service's own field error
    response = api("coordinator_a").post(step_url(app.pk, "home_visit"), visit, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed" and "expected_version" in response.json()["fields"]
    response = api("coordinator_a").post(step_url(app.pk, "home_visit"), {**visit, "expected_version": version})
    assert response.status_code == 400
    assert response.json()["fields"] == {"investigators": ["入户调查须由至少两名不同的工作人员进行，请选择调查人员。"]}

    # 403: a coordinator never gives the township's opinion (even with a bad body: 403 first)
    response = api("coordinator_a").post(step_url(app.pk, "township_opinion"), {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"

    # 404: another village's coordinator, and an application that does not exist
    for target in (app.pk, app.pk + 1000):
        response = api("coordinator_b").post(step_url(target, "withdraw"), {"expected_version": version, "reason": "x"})
        assert response.status_code == 404 and response.json() == {"code": "not_found", "message": "记录不存在。"}
    assert api("coordinator_b").get(detail_url(app.pk)).status_code == 404

    # 409: a stale version, then a step out of order
    response = api("township").post(step_url(app.pk, "verification_request"), {"expected_version": version - 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = api("county_approver").post(step_url(app.pk, "approve"), {"expected_version": version})
    assert response.status_code == 409 and response.json()["code"] == "transition_not_allowed"
    assert "不能进行“批准”" in response.json()["message"]

    assert case_rows(app.pk) == before
    # The same requests go through once they are right.
    assert (
        api("township").post(step_url(app.pk, "verification_request"), {"expected_version": version}).status_code == 200
    )


def test_registering_an_application_refuses_bad_input_and_saves_nothing(flow, api, world, users):
    household = world.household_a
    good = {"household_id": household.pk, "applicant_id": household.head_id, "materials_provided": MATERIALS}
    count = Application.objects.count, AuditEvent.objects.count
    before = (count[0](), count[1]())

    response = api("coordinator_a").post(APPLICATIONS_URL, {**good, "materials_provided": ["passport"]}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"materials_provided.0": ["“passport” 不是合法选项。"]}
    response = api("coordinator_a").post(
        APPLICATIONS_URL, {**good, "applicant_id": world.household_b.head_id}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"applicant_id": ["申请人须是该家庭在世的成员。"]}
    response = api("coordinator_a").post(APPLICATIONS_URL, {**good, "applied_by_applicant": False}, format="json")
    assert response.status_code == 400 and set(response.json()["fields"]) == {"agent_name", "agent_relation"}
    assert api("supervisor").post(APPLICATIONS_URL, good, format="json").status_code == 403
    assert api("coordinator_b").post(APPLICATIONS_URL, good, format="json").status_code == 404
    assert (count[0](), count[1]()) == before

    assert api("coordinator_a").post(APPLICATIONS_URL, good, format="json").status_code == 201
    again = api("coordinator_a").post(APPLICATIONS_URL, good, format="json")
    assert again.status_code == 409 and again.json()["code"] == "application_exists"
    assert Application.objects.filter(household=household).count() == 1


# --- Racing approvals ------------------------------------------------------------------------------


def test_two_approvals_with_the_same_version_make_one_decision(flow, api, regions):
    app = flow.awaiting_decision()
    second = make_user("approver_2", Role.COUNTY_APPROVER, regions[COUNTY])
    body = {"expected_version": app.version}
    first = api("county_approver").post(step_url(app.pk, "approve"), body, format="json")
    late = api(second).post(step_url(app.pk, "approve"), body, format="json")
    refusal = api(second).post(
        step_url(app.pk, "refuse"), {**body, "reason_codes": ["other"], "reason_text": "另议"}, format="json"
    )
    assert first.status_code == 200, first.content
    assert (late.status_code, late.json()["code"]) == (409, "conflict")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "conflict")
    assert Decision.objects.filter(application=app).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_APPROVED).count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_REFUSED).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="the in-memory test database refuses a second writer instead of waiting"
)
def test_approvals_racing_in_parallel_make_one_decision(flow, api, regions):
    app = flow.awaiting_decision()
    clients = [api("county_approver"), api(make_user("approver_2", Role.COUNTY_APPROVER, regions[COUNTY]))]
    barrier = threading.Barrier(len(clients))
    answers: list[int] = []

    def approve(client: Any) -> None:
        try:
            barrier.wait(timeout=10)
            answers.append(client.post(step_url(app.pk, "approve"), {"expected_version": app.version}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [200, 409]
    assert Decision.objects.filter(application=app).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_APPROVED).count() == 1


# --- Lists and detail -----------------------------------------------------------------------------


def test_lists_never_include_another_villages_cases_and_filter(flow, api, world):
    app_a = flow.submit()
    app_b = Flow(world, flow.clock, household=world.household_b).submit(actor_key="coordinator_b")

    assert ids(api("coordinator_a").get(APPLICATIONS_URL)) == {app_a.pk}
    assert ids(api("coordinator_b").get(APPLICATIONS_URL)) == {app_b.pk}
    assert ids(api("coordinator_b").get(APPLICATIONS_URL, {"region": VILLAGE_A})) == set()
    assert ids(api("coordinator_b").get(APPLICATIONS_URL, {"household_id": world.household_a.pk})) == set()
    assert ids(api("coordinator_other").get(APPLICATIONS_URL)) == set()

    township = api("township")
    assert ids(township.get(APPLICATIONS_URL)) == {app_a.pk, app_b.pk}
    assert ids(township.get(APPLICATIONS_URL, {"region": VILLAGE_A})) == {app_a.pk}
    assert ids(township.get(APPLICATIONS_URL, {"status": "submitted", "next_step": "accept"})) == {app_a.pk, app_b.pk}
    assert ids(township.get(APPLICATIONS_URL, {"status": "investigating"})) == set()
    assert ids(township.get(APPLICATIONS_URL, {"program": "dibao_urban"})) == set()
    assert ids(township.get(APPLICATIONS_URL, {"overdue": "true"})) == set()

    # Acceptance is due within 3 working days (by Thursday 4 June); on the 10th both are late.
    flow.travel(datetime.date(2026, 6, 10))
    township = api("township")  # a new token: the old one has expired
    late = township.get(APPLICATIONS_URL, {"overdue": "true"})
    assert ids(late) == {app_a.pk, app_b.pk}
    assert all(row["is_overdue"] and row["due_on"] == "2026-06-04" for row in late.json()["results"])
    assert ids(township.get(APPLICATIONS_URL)) == {app_a.pk, app_b.pk}  # no filter: late ones included
    flow.accept()  # the investigation clock starts again from today
    assert ids(township.get(APPLICATIONS_URL, {"overdue": "false"})) == {app_a.pk}
    assert ids(township.get(APPLICATIONS_URL, {"overdue": "true"})) == {app_b.pk}

    bad = township.get(APPLICATIONS_URL, {"status": "nonsense", "region": "51a"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"status", "region"}


def test_the_application_list_costs_the_same_queries_for_one_or_many(flow, api, world, users, regions):
    flow.submit()
    client = api("township")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(APPLICATIONS_URL).status_code == 200
        return len(queries)

    one = count()
    for name in ("赵六", "钱七", "孙八"):
        household = make_household(users["coordinator_a"], regions[VILLAGE_A], person(name, id_number=new_id_number()))
        Flow(world, flow.clock, household=household).submit()
    assert Application.objects.count() == 4
    assert count() == one


def test_detail_lists_only_the_steps_the_caller_may_take(flow, api):
    app = flow.submit()

    def allowed(who: str) -> list[str]:
        response = api(who).get(detail_url(app.pk))
        assert response.status_code == 200, response.content
        return [step["step"] for step in response.json()["allowed_steps"]]

    assert allowed("township") == ["accept", "cadre_filing", "withdraw"]
    assert allowed("coordinator_a") == ["withdraw"]
    assert allowed("county_approver") == allowed("supervisor") == allowed("finance") == []
    next_steps = [s for s in api("township").get(detail_url(app.pk)).json()["allowed_steps"] if s["is_next"]]
    assert next_steps == [{"step": "accept", "label": "受理", "is_next": True}]

    flow.accept()
    flow.request_verification()
    flow.visit()
    flow.verification_result()
    flow.opinion()
    notice = flow.notice()
    flow.travel(notice.ends_on + datetime.timedelta(days=1))
    flow.forward()
    # After forwarding only the county records a home visit (its own); the approver decides.
    assert allowed("county_approver") == ["approve", "refuse", "mark_special", "terminate"]
    assert "home_visit" in allowed("county_officer")
    assert "home_visit" not in allowed("coordinator_a") and "home_visit" not in allowed("township")


def test_a_refusal_shows_its_reasons_with_identifiers_masked(flow, api):
    app = flow.awaiting_decision()
    id_number = new_id_number()
    body = {"reason_codes": ["income_above_standard"], "reason_text": f"经核对 {id_number} 有工资收入。"}
    response = api("county_approver").post(
        step_url(app.pk, "refuse"), {"expected_version": flow.v, **body}, format="json"
    )
    assert response.status_code == 200, response.content
    decision_id = response.json()["decision"]["id"]
    assert response.json()["status"] == "refused" and response.json()["allowed_steps"] == []

    decision = api("township").get(reverse("api:decision-detail", kwargs={"pk": decision_id})).json()
    assert decision["outcome"] == "refused" and decision["monthly_amount_fen"] == 0 and decision["lines"] == []
    assert decision["reasons"] == [{"code": "income_above_standard", "label": "家庭人均收入不低于当地低保标准"}]
    assert id_number not in decision["reason_text"] and id_number[-4:] in decision["reason_text"]
    timeline = api("township").get(reverse("api:application-steps", kwargs={"pk": app.pk})).json()
    assert id_number not in str(timeline) and timeline[-1]["step"] == "refuse"
    assert ids(api("township").get(DECISIONS_URL, {"outcome": "refused"})) == {decision_id}
    assert ids(api("township").get(DECISIONS_URL, {"outcome": "approved"})) == set()
    assert ids(api("coordinator_b").get(DECISIONS_URL)) == set()
    assert api("coordinator_b").get(reverse("api:decision-detail", kwargs={"pk": decision_id})).status_code == 404


def test_a_month_must_be_a_real_month(flow, api):
    response = api("township").get(CASES_URL, {"month": "2026-13"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"month"}
    assert api("township").get(CASES_URL, {"month": "2026-12"}).status_code == 200
