"""Dynamic management over the API: reviews, their steps, the batches, and the events on a benefit
(move out, reported income change, a member's death) — issue 3, point 7.

The clock starts on Monday 2026-06-01 as in the case service tests; benefits are put in force with
the real services (`Flow`, approved and published on 9 June) and everything after that goes through
the API. The reviews are done on 20 November, when the periodic review (due 9 December) draws near.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import AmountChange, Entitlement, Review
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.registry.models import IncomeItem, Person
from jiuzhu.registry.services.finances import IncomeData, income_item_add, income_item_update
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, VILLAGE_B, make_household, make_user, new_id_number, person

pytestmark = pytest.mark.django_db

D = datetime.date
LATER = D(2026, 11, 20)
REVIEWS_URL = reverse("api:review-list")
CASES_URL = reverse("api:case-list")
OPEN_DUE_URL = reverse("api:review-open-due")
CONFIRM_URL = reverse("api:review-confirm-no-change")


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


def review_url(review_id: int) -> str:
    return reverse("api:review-detail", kwargs={"pk": review_id})


def step_url(review_id: int, step: str) -> str:
    return reverse(f"api:review-step-{step}", kwargs={"pk": review_id})


def case_url(entitlement_id: int, action: str = "") -> str:
    if action:
        return reverse(f"api:case-{action}", kwargs={"pk": entitlement_id})
    return reverse("api:case-detail", kwargs={"pk": entitlement_id})


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def in_force(flow: Flow, coordinator: str = "coordinator_a") -> Entitlement:
    """The household's application through every step to a benefit in force (real services)."""
    flow.submit(actor_key=coordinator)
    flow.accept()
    flow.request_verification()
    flow.visit(actor_key=coordinator, investigators=(coordinator, "township"))
    flow.verification_result()
    flow.opinion()
    notice = flow.notice()
    flow.travel(notice.ends_on + datetime.timedelta(days=1))
    flow.forward()
    flow.approve()
    flow.publish()
    return Entitlement.objects.get(application=flow.app)


def state(entitlement_id: int) -> tuple[Any, ...]:
    """Everything a review operation may change, for "nothing was saved" checks."""
    return (
        list(Review.objects.order_by("pk").values()),
        Entitlement.objects.filter(pk=entitlement_id).values().get(),
        list(AmountChange.objects.order_by("pk").values()),
        list(IncomeItem.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
    )


def post(client: APIClient, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, format="json")


def ok(response: Any) -> dict[str, Any]:
    assert response.status_code in (200, 201), response.content
    body: dict[str, Any] = response.json()
    return body


def history(client: APIClient, entitlement_id: int) -> list[tuple[str, int, str]]:
    case = ok(client.get(case_url(entitlement_id)))
    return [(c["effective_month"], c["amount_fen"], c["kind"]) for c in case["amount_history"]]


# --- The whole path --------------------------------------------------------------------------------


def test_a_reported_income_change_is_reviewed_and_decided_and_the_amount_history_changes(flow, api):
    flow.income(6000)  # 60 yuan wages a month: (72 − 30) × 2 members = 84 yuan from July
    entitlement = in_force(flow)
    flow.travel(LATER)
    coordinator, township, approver = api("coordinator_a"), api("township"), api("county_approver")

    case = ok(coordinator.get(case_url(entitlement.pk)))
    assert (case["review_class"], case["last_reviewed_on"], case["next_review_on"]) == (
        "unstable", "2026-06-09", "2026-12-09",
    )  # fmt: skip
    assert case["open_review_id"] is None and case["monthly_amount_fen"] == 8400

    # The head has lost his job: the wages are corrected to 0 and a review is opened.
    item = IncomeItem.objects.get(household=flow.household)
    reported = ok(
        post(
            coordinator, case_url(entitlement.pk, "income-change"),
            {"item_id": item.pk, "expected_item_version": item.version, "kind": "wages", "monthly_amount_fen": 0,
             "note": "户主失业，无工资收入。"},
        )
    )  # fmt: skip
    assert reported["income_item"]["id"] == item.pk and reported["income_item"]["monthly_amount_fen"] == 0
    review = reported["review"]
    assert (review["trigger"], review["status"], review["due_on"]) == ("income_change", "open", "2027-02-20")
    assert ok(coordinator.get(case_url(entitlement.pk)))["open_review_id"] == review["id"]

    detail = ok(coordinator.get(review_url(review["id"])))
    assert detail["assessment"] is None and detail["proposal"] is None and detail["decision"] is None
    assert detail["allowed_steps"] == [{"step": "propose", "label": "提出复核意见", "is_next": True}]
    assert "户主失业" in detail["note"] and detail["entitlement"]["monthly_amount_fen"] == 8400

    proposed = ok(
        post(coordinator, step_url(review["id"], "propose"), {"expected_version": detail["version"],
             "findings": "入户核查：户主已失业，家庭无其他收入。"})
    )  # fmt: skip
    assert (proposed["status"], proposed["outcome"], proposed["version"]) == (
        "proposed",
        "increase",
        detail["version"] + 1,
    )
    assessment = proposed["assessment"]
    assert (assessment["amount_before_fen"], assessment["amount_fen"]) == (8400, 14400)
    assert (assessment["member_count"], assessment["per_capita_income_fen"], assessment["eligible"]) == (2, 0, True)
    assert [(line["code"], line["amount_fen"]) for line in assessment["lines"]] == [("gap", 14400)]
    assert assessment["lines"][0]["label"] == "补差" and assessment["policy_snapshot"]["standard_fen"] == 7200
    assert proposed["proposal"]["outcome_label"] == "增发"
    # An increase is decided by the county; until then the proposal may be revised.
    assert proposed["allowed_steps"] == [{"step": "propose", "label": "提出复核意见", "is_next": False}]
    assert [s["step"] for s in ok(township.get(review_url(review["id"])))["allowed_steps"]] == ["propose"]
    steps = ok(approver.get(review_url(review["id"])))["allowed_steps"]
    assert [s["step"] for s in steps] == ["decide", "reject"]

    decided = ok(
        post(
            approver, step_url(review["id"], "decide"), {"expected_version": proposed["version"], "note": "同意增发。"}
        )
    )
    assert (decided["status"], decided["effective_month"], decided["allowed_steps"]) == ("decided", "2026-12-01", [])
    assert decided["decision"]["decided_on"] == "2026-11-20" and decided["decision"]["note"] == "同意增发。"
    assert [(c["effective_month"], c["amount_fen"], c["kind"]) for c in decided["amount_changes"]] == [
        ("2026-12-01", 14400, "increase")
    ]

    assert history(township, entitlement.pk) == [("2026-07-01", 8400, "grant"), ("2026-12-01", 14400, "increase")]
    case = ok(township.get(case_url(entitlement.pk)))
    assert (case["monthly_amount_fen"], case["last_reviewed_on"], case["next_review_on"]) == (
        14400, "2026-11-20", "2027-05-20",
    )  # fmt: skip
    assert case["open_review_id"] is None
    assert ok(township.get(case_url(entitlement.pk), {"month": "2026-11"}))["amount_in_month_fen"] == 8400
    assert ok(township.get(case_url(entitlement.pk), {"month": "2026-12"}))["amount_in_month_fen"] == 14400
    events = AuditEvent.objects.filter(subject_type="cases.review", subject_id=review["id"])
    assert sorted(events.values_list("event_type", flat=True)) == sorted(
        [AuditEventType.REVIEW_OPENED, AuditEventType.REVIEW_PROPOSED, AuditEventType.REVIEW_DECIDED]
    )


# --- Error codes ---------------------------------------------------------------------------------


def test_opening_a_review_refuses_bad_requests_and_saves_nothing(flow, api):
    entitlement = in_force(flow)
    flow.travel(LATER)
    good = {"entitlement_id": entitlement.pk, "trigger": "other", "note": "群众反映家中有人外出务工。"}
    before = state(entitlement.pk)

    response = post(api("coordinator_a"), REVIEWS_URL, {**good, "trigger": "move_out"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"trigger"}
    response = post(api("coordinator_a"), REVIEWS_URL, {**good, "note": " "})
    assert response.status_code == 400 and response.json()["fields"] == {"note": ["请说明发起复核的原因。"]}
    response = post(api("supervisor"), REVIEWS_URL, good)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert post(api("county_approver"), REVIEWS_URL, good).status_code == 403
    response = post(api("coordinator_b"), REVIEWS_URL, good)
    assert response.status_code == 404 and response.json() == {"code": "not_found", "message": "记录不存在。"}
    assert state(entitlement.pk) == before

    created = ok(post(api("coordinator_a"), REVIEWS_URL, good))
    assert (created["trigger"], created["status"], created["opened_on"]) == ("other", "open", "2026-11-20")
    again = post(api("township"), REVIEWS_URL, good)
    assert again.status_code == 409
    assert again.json()["code"] == "review_already_open" and again.json()["review_id"] == created["id"]
    assert Review.objects.filter(entitlement=entitlement).count() == 1


def test_step_errors_are_400_403_404_409_and_change_nothing(flow, api):
    flow.income(6000)
    entitlement = in_force(flow)
    flow.travel(LATER)
    opened = ok(post(api("coordinator_a"), REVIEWS_URL, {"entitlement_id": entitlement.pk, "note": "收入变化。"}))
    review_id, version = opened["id"], opened["version"]
    propose = {"expected_version": version, "findings": "入户核查：户主已失业。"}
    before = state(entitlement.pk)

    # 400: the shape (no expected_version), then the service's own field error
    response = post(api("coordinator_a"), step_url(review_id, "propose"), {"findings": "x"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"expected_version"}
    response = post(api("coordinator_a"), step_url(review_id, "propose"), {**propose, "findings": "  "})
    assert response.status_code == 400 and response.json()["fields"] == {"findings": ["请填写核查情况。"]}
    # 403 before the body is read: a supervisor never proposes, a coordinator never decides
    assert post(api("supervisor"), step_url(review_id, "propose"), {}).status_code == 403
    response = post(api("coordinator_a"), step_url(review_id, "decide"), {})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    # 404: another village's coordinator, and a review that does not exist
    for target in (review_id, review_id + 1000):
        response = post(api("coordinator_b"), step_url(target, "propose"), propose)
        assert response.status_code == 404 and response.json() == {"code": "not_found", "message": "记录不存在。"}
    assert api("coordinator_b").get(review_url(review_id)).status_code == 404
    # 409: a stale version, then a step out of order
    response = post(api("coordinator_a"), step_url(review_id, "propose"), {**propose, "expected_version": version + 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = post(api("township"), step_url(review_id, "decide"), {"expected_version": version})
    assert response.status_code == 409 and response.json()["code"] == "review_step_not_allowed"
    assert "不能进行“复核审批”" in response.json()["message"]
    assert state(entitlement.pk) == before

    # The wages stop (recorded in the file without an event): the proposal is an increase.
    item = IncomeItem.objects.get(household=flow.household)
    income_item_update(
        actor=flow.users["coordinator_a"], item_id=item.pk, expected_version=item.version,
        data=IncomeData(kind="wages", monthly_amount_fen=0, person_id=item.person_id),
    )  # fmt: skip
    proposed = ok(post(api("coordinator_a"), step_url(review_id, "propose"), propose))
    assert proposed["outcome"] == "increase"
    version = proposed["version"]
    before = state(entitlement.pk)
    # An increase needs the county: the township may not decide it (403 after reading the outcome).
    response = post(api("township"), step_url(review_id, "decide"), {"expected_version": version})
    assert response.status_code == 403
    response = post(
        api("county_approver"),
        step_url(review_id, "decide"),
        {"expected_version": version, "effective_month": "2026-12-15"},
    )
    assert response.status_code == 400 and response.json()["fields"] == {"effective_month": ["生效月份须为某月1日。"]}
    response = post(api("county_approver"), step_url(review_id, "decide"), {"expected_version": version + 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = post(api("county_approver"), step_url(review_id, "reject"), {"expected_version": version, "reason": ""})
    assert response.status_code == 400 and response.json()["fields"] == {"reason": ["请写明不同意复核意见的理由。"]}
    assert state(entitlement.pk) == before

    rejected = ok(
        post(
            api("county_approver"), step_url(review_id, "reject"), {"expected_version": version, "reason": "核查不实。"}
        )
    )
    assert (rejected["status"], rejected["decision"]["closed_reason"], rejected["allowed_steps"]) == (
        "closed", "核查不实。", [],
    )  # fmt: skip
    assert history(api("township"), entitlement.pk) == [("2026-07-01", 8400, "grant")]


def test_two_decisions_with_the_same_version_make_one_change(flow, api, regions):
    flow.income(6000)
    entitlement = in_force(flow)
    flow.travel(LATER)
    item = IncomeItem.objects.get(household=flow.household)
    reported = ok(
        post(
            api("coordinator_a"), case_url(entitlement.pk, "income-change"),
            {"item_id": item.pk, "expected_item_version": item.version, "kind": "wages", "monthly_amount_fen": 0},
        )
    )  # fmt: skip
    review_id = reported["review"]["id"]
    proposed = ok(
        post(
            api("coordinator_a"),
            step_url(review_id, "propose"),
            {"expected_version": reported["review"]["version"], "findings": "已失业。"},
        )
    )
    second = make_user("approver_2", Role.COUNTY_APPROVER, regions[COUNTY])
    body = {"expected_version": proposed["version"]}
    first = post(api("county_approver"), step_url(review_id, "decide"), body)
    late = post(api(second), step_url(review_id, "decide"), body)
    refusal = post(api(second), step_url(review_id, "reject"), {**body, "reason": "另议"})
    assert first.status_code == 200, first.content
    assert (late.status_code, late.json()["code"]) == (409, "conflict")
    assert (refusal.status_code, refusal.json()["code"]) == (409, "conflict")
    assert AmountChange.objects.filter(entitlement=entitlement, kind="increase").count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_DECIDED).count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_REJECTED).exists()


# --- Batches -------------------------------------------------------------------------------------------


def test_the_yearly_batch_confirms_unchanged_households_and_skips_one_with_its_reason(flow, api, world, users, regions):
    first = in_force(flow)
    other = make_household(users["coordinator_a"], regions[VILLAGE_A], person("赵六"), person("钱芳", "spouse"))
    second = in_force(Flow(world, flow.clock, household=other))
    flow.travel(LATER)
    coordinator, township = api("coordinator_a"), api("township")

    response = post(coordinator, OPEN_DUE_URL, {"region": VILLAGE_B})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"region"}
    assert post(api("supervisor"), OPEN_DUE_URL, {}).status_code == 403
    opened = ok(post(coordinator, OPEN_DUE_URL, {}))["opened"]
    by_case = dict(Review.objects.filter(pk__in=opened).values_list("entitlement_id", "pk"))
    assert set(by_case) == {first.pk, second.pk} and len(opened) == 2
    assert ok(post(coordinator, OPEN_DUE_URL, {}))["opened"] == []  # nothing opened twice
    review_1, review_2 = by_case[first.pk], by_case[second.pk]
    assert ok(coordinator.get(review_url(review_2)))["due_on"] == "2026-12-17"

    # The second household now has wages: its amount would fall, so it needs its own proposal.
    income_item_add(
        actor=users["coordinator_a"], household_id=other.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=other.head_id),
    )  # fmt: skip
    versions = {str(pk): Review.objects.get(pk=pk).version for pk in (review_1, review_2)}
    body = {"review_ids": [review_1, review_2], "expected_versions": versions}
    before = state(second.pk)
    response = post(township, CONFIRM_URL, {**body, "expected_versions": {str(review_1): 1}})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"expected_versions"}
    assert post(coordinator, CONFIRM_URL, body).status_code == 403
    assert state(second.pk) == before

    result = ok(post(township, CONFIRM_URL, body))
    assert result["confirmed"] == [review_1]
    assert result["skipped"] == {
        str(review_2): "重新核算结果为“减发”（104.00 元，现发放 144.00 元），请单独提出复核意见。"
    }
    done = ok(township.get(review_url(review_1)))
    assert (done["status"], done["outcome"], done["assessment"]["amount_fen"]) == ("decided", "no_change", 14400)
    assert ok(township.get(case_url(first.pk)))["next_review_on"] == "2027-05-20"
    left = ok(township.get(review_url(review_2)))
    assert (left["status"], left["version"]) == ("open", versions[str(review_2)])
    assert [s["step"] for s in left["allowed_steps"]] == ["propose"]
    assert ok(township.get(case_url(second.pk)))["next_review_on"] == "2026-12-17"
    assert history(township, first.pk) == [("2026-07-01", 14400, "grant")]

    # Sent again, the confirmed one is skipped as already done.
    again = ok(post(township, CONFIRM_URL, {"review_ids": [review_1]}))
    assert again["confirmed"] == [] and again["skipped"] == {str(review_1): "复核状态为“已办结”，不能批量维持。"}


# --- Lists and detail -----------------------------------------------------------------------------


def test_lists_never_include_another_villages_reviews_and_filter(flow, api, world):
    case_a = in_force(flow)
    case_b = in_force(Flow(world, flow.clock, household=world.household_b), coordinator="coordinator_b")
    flow.travel(LATER)
    opened = ok(post(api("township"), OPEN_DUE_URL, {}))["opened"]
    by_case = dict(Review.objects.filter(pk__in=opened).values_list("entitlement_id", "pk"))
    review_a, review_b = by_case[case_a.pk], by_case[case_b.pk]

    assert ids(api("coordinator_a").get(REVIEWS_URL)) == {review_a}
    assert ids(api("coordinator_b").get(REVIEWS_URL)) == {review_b}
    assert ids(api("coordinator_b").get(REVIEWS_URL, {"region": VILLAGE_A})) == set()
    assert ids(api("coordinator_b").get(REVIEWS_URL, {"household_id": world.household_a.pk})) == set()
    assert ids(api("coordinator_b").get(REVIEWS_URL, {"entitlement_id": case_a.pk})) == set()
    assert ids(api("coordinator_other").get(REVIEWS_URL)) == set()
    assert api("coordinator_b").get(review_url(review_a)).status_code == 404
    assert ok(api("coordinator_a").get(case_url(case_a.pk)))["open_review_id"] == review_a

    township = api("township")
    assert ids(township.get(REVIEWS_URL)) == {review_a, review_b}
    assert ids(township.get(REVIEWS_URL, {"region": VILLAGE_A})) == {review_a}
    assert ids(township.get(REVIEWS_URL, {"status": "open", "trigger": "periodic"})) == {review_a, review_b}
    assert ids(township.get(REVIEWS_URL, {"status": "decided"})) == set()
    assert ids(township.get(REVIEWS_URL, {"trigger": "member_death"})) == set()
    # Due on 9 December (A) and 17 December (B).
    assert ids(township.get(REVIEWS_URL, {"due_before": "2026-12-10"})) == {review_a}
    assert ids(township.get(REVIEWS_URL, {"overdue": "true"})) == set()
    flow.travel(D(2026, 12, 12))
    township = api("township")  # a new token: the old one has expired
    late = township.get(REVIEWS_URL, {"overdue": "true"})
    assert ids(late) == {review_a} and late.json()["results"][0]["is_overdue"] is True
    assert ids(township.get(REVIEWS_URL, {"overdue": "false"})) == {review_b}
    rows = township.get(REVIEWS_URL, {"due_before": "2026-12-31"}).json()["results"]
    assert [row["id"] for row in rows] == [review_a, review_b]  # earliest due first

    bad = township.get(REVIEWS_URL, {"status": "nonsense", "region": "51a", "due_before": "soon"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"status", "region", "due_before"}


def test_the_review_list_costs_the_same_queries_for_one_or_many(flow, api, world, users, regions):
    in_force(flow)
    flow.travel(LATER)
    client = api("township")
    assert len(ok(post(client, OPEN_DUE_URL, {}))["opened"]) == 1

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(REVIEWS_URL).status_code == 200
            assert client.get(CASES_URL).status_code == 200
        return len(queries)

    one = count()
    for name in ("赵六", "孙八"):
        household = make_household(users["coordinator_a"], regions[VILLAGE_A], person(name, id_number=new_id_number()))
        entitlement = in_force(Flow(world, flow.clock, household=household))
        client = api("township")  # a new token: the clock has moved on
        ok(post(client, REVIEWS_URL, {"entitlement_id": entitlement.pk, "note": "群众反映情况变化。"}))
    assert Review.objects.count() == 3
    assert count() == one


# --- Events ----------------------------------------------------------------------------------------


def test_a_move_out_stops_the_benefit_and_closes_the_open_review(flow, api):
    entitlement = in_force(flow)
    flow.travel(LATER)
    township = api("township")
    opened = ok(post(api("coordinator_a"), REVIEWS_URL, {"entitlement_id": entitlement.pk, "note": "拟迁出。"}))
    version = Entitlement.objects.get(pk=entitlement.pk).version
    url = case_url(entitlement.pk, "transfer-out")
    good = {"expected_version": version, "moved_on": "2026-11-15", "destination": "浙江省杭州市西湖区"}
    before = state(entitlement.pk)

    assert post(api("coordinator_a"), url, good).status_code == 403
    assert post(api("coordinator_b"), url, good).status_code == 404
    response = post(township, url, {**good, "destination": ""})
    assert response.status_code == 400 and response.json()["fields"] == {"destination": ["请填写迁往地点。"]}
    response = post(township, url, {**good, "moved_on": "2026-11-21"})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"moved_on"}
    response = post(township, url, {**good, "expected_version": version + 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert state(entitlement.pk) == before

    case = ok(post(township, url, good))
    assert (case["status"], case["monthly_amount_fen"], case["open_review_id"]) == ("stopped", 0, None)
    assert [(c["effective_month"], c["amount_fen"], c["kind"]) for c in case["amount_history"]] == [
        ("2026-07-01", 14400, "grant"), ("2026-12-01", 0, "stop"),
    ]  # fmt: skip
    assert "浙江省杭州市西湖区" in case["amount_history"][-1]["reason"]
    assert ok(township.get(review_url(opened["id"])))["status"] == "closed"
    [stop] = township.get(REVIEWS_URL, {"entitlement_id": entitlement.pk, "trigger": "move_out"}).json()["results"]
    assert (stop["status"], stop["outcome"], stop["effective_month"]) == ("decided", "stop", "2026-12-01")
    assert stop["entitlement_status"] == "stopped"

    # A stopped case takes no more events and no new review.
    response = post(
        api("coordinator_a"), case_url(entitlement.pk, "income-change"), {"kind": "wages", "monthly_amount_fen": 1}
    )
    assert response.status_code == 409 and response.json()["code"] == "entitlement_not_active"
    response = post(api("coordinator_a"), REVIEWS_URL, {"entitlement_id": entitlement.pk, "note": "x"})
    assert response.status_code == 409 and response.json()["code"] == "entitlement_not_active"
    assert post(township, url, {**good, "expected_version": case["version"]}).status_code == 409
    assert not IncomeItem.objects.filter(household=flow.household).exists()


def test_an_income_change_refuses_an_item_of_another_household_and_saves_nothing(flow, api, world):
    entitlement = in_force(flow)
    flow.travel(LATER)
    item = income_item_add(
        actor=world.users["coordinator_a"], household_id=flow.household.pk,
        data=IncomeData(kind="pension", monthly_amount_fen=500),
    )  # fmt: skip
    foreign = income_item_add(
        actor=world.users["coordinator_b"], household_id=world.household_b.pk,
        data=IncomeData(kind="pension", monthly_amount_fen=500),
    )  # fmt: skip
    url = case_url(entitlement.pk, "income-change")
    change = {"kind": "pension", "monthly_amount_fen": 800}
    before = state(entitlement.pk)

    response = post(api("coordinator_a"), url, {**change, "item_id": foreign.pk, "expected_item_version": 1})
    assert response.status_code == 404  # the other village's item is not even visible
    response = post(api("township"), url, {**change, "item_id": foreign.pk, "expected_item_version": foreign.version})
    assert response.status_code == 400 and response.json()["fields"] == {"item_id": ["该收入不属于这个家庭。"]}
    response = post(api("township"), url, {**change, "item_id": item.pk})
    assert response.status_code == 400 and response.json()["fields"] == {"item_id": ["请刷新后重试。"]}
    response = post(api("township"), url, {**change, "item_id": item.pk, "expected_item_version": item.version + 1})
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    response = post(api("township"), url, {**change, "monthly_amount_fen": -1})
    assert response.status_code == 400 and response.json()["fields"] == {"monthly_amount_fen": ["收入金额不能为负数。"]}
    assert post(api("county_approver"), url, change).status_code == 403
    assert state(entitlement.pk) == before

    reported = ok(post(api("township"), url, {**change, "item_id": item.pk, "expected_item_version": item.version}))
    assert reported["income_item"]["monthly_amount_fen"] == 800 and reported["income_item"]["kind"] == "pension"
    assert reported["review"]["trigger"] == "income_change"


def test_a_members_death_opens_a_review_due_within_three_months(flow, api):
    entitlement = in_force(flow)
    flow.travel(LATER)
    spouse = flow.household.members.get(relation="spouse")
    url = reverse("api:person-death", kwargs={"pk": spouse.pk})
    before = state(entitlement.pk)

    assert post(api("supervisor"), url, {"death_date": "2026-11-10"}).status_code == 403
    assert post(api("coordinator_b"), url, {"death_date": "2026-11-10"}).status_code == 404
    response = post(api("coordinator_a"), url, {"death_date": "2026-11-21"})
    assert response.status_code == 400 and response.json()["fields"] == {"death_date": ["死亡日期不能晚于今天。"]}
    response = post(api("coordinator_a"), url, {})
    assert response.status_code == 400 and set(response.json()["fields"]) == {"death_date"}
    assert state(entitlement.pk) == before

    recorded = ok(post(api("coordinator_a"), url, {"death_date": "2026-11-10", "reason": "死亡证明"}))
    assert recorded["person"]["death_date"] == "2026-11-10" and recorded["person"]["is_deceased"] is True
    review = recorded["review"]
    assert (review["trigger"], review["status"], review["due_on"]) == ("member_death", "open", "2027-02-10")
    assert (review["person_id"], review["event_on"]) == (spouse.pk, "2026-11-10")
    assert ok(api("township").get(review_url(review["id"])))["person_name"] == spouse.name
    again = post(api("coordinator_a"), url, {"death_date": "2026-11-10"})
    assert again.status_code == 409
    assert Review.objects.filter(entitlement=entitlement).count() == 1


def test_the_death_of_the_only_member_stops_the_benefit(clock, world, policy, api, users, regions):
    household = make_household(users["coordinator_a"], regions[VILLAGE_A], person("孙老汉", id_number=new_id_number()))
    entitlement = in_force(Flow(world, clock, household=household))
    clock.move_to(at(LATER))
    recorded = ok(post(api("coordinator_a"), reverse("api:person-death", kwargs={"pk": household.head_id}), {
        "death_date": "2026-11-10"}))  # fmt: skip
    review = recorded["review"]
    assert (review["status"], review["outcome"], review["effective_month"]) == ("decided", "stop", "2026-12-01")
    assert review["entitlement_status"] == "stopped"
    assert history(api("township"), entitlement.pk)[-1] == ("2026-12-01", 0, "stop")


def test_a_household_without_a_benefit_records_the_death_and_no_review(clock, world, api):
    spouse = world.household_a.members.get(relation="spouse")
    recorded = ok(post(api("coordinator_a"), reverse("api:person-death", kwargs={"pk": spouse.pk}), {
        "death_date": "2026-06-01"}))  # fmt: skip
    assert recorded["review"] is None and recorded["person"]["version"] == spouse.version + 1
    assert not Review.objects.exists()


# --- Schema ----------------------------------------------------------------------------------------


def test_schema_documents_the_review_inputs_and_outputs():
    schema = APIClient().get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    propose = schema["paths"]["/api/v1/reviews/{id}/steps/propose/"]["post"]
    assert propose["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ReviewProposeInputRequest"
    )
    assert {"200", "400", "401", "403", "404", "409"} <= set(propose["responses"])
    assert set(components["ReviewProposeInputRequest"]["required"]) == {"expected_version", "findings"}
    detail = components["ReviewDetailOutput"]["properties"]
    assert {"assessment", "proposal", "decision", "allowed_steps", "effective_month", "version", "entitlement"} <= set(
        detail
    )
    assert components["ReviewAssessmentOutput"]["properties"]["amount_fen"]["type"] == "integer"
    case = components["EntitlementOutput"]["properties"]
    assert {"review_class", "last_reviewed_on", "next_review_on", "open_review_id"} <= set(case)
    assert components["ReviewsConfirmNoChangeOutput"]["properties"]["skipped"]["type"] == "object"
