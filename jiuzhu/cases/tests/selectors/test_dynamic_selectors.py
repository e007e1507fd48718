"""Reads of dynamic management: reviews owed per role, reviews falling due, amount history, the facts
loader used in bulk, and the home page's review section."""

from __future__ import annotations

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from jiuzhu.accounts.roles import Role
from jiuzhu.cases.choices import ReviewStatus
from jiuzhu.cases.review_selectors import (
    amount_history,
    entitlements_review_due_soon,
    review_facts_get,
    review_facts_many,
    reviews_owed_by,
    todo_reviews,
)
from jiuzhu.cases.selectors import amount_in_force_get, household_facts_get
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose
from jiuzhu.cases.services.dynamic_events import income_change_report
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.registry.services.finances import AssetData, IncomeData, asset_add, income_item_add
from jiuzhu.testing.builders import TOWNSHIP, make_user
from jiuzhu.web.todos import reviews_owed

pytestmark = pytest.mark.django_db

D = datetime.date


def in_force(flow: Flow):
    flow.awaiting_decision()
    flow.approve()
    return flow.publish()


def owed(user) -> set[int]:
    return set(reviews_owed_by(actor=user).values_list("pk", flat=True))


def test_amount_in_force_is_one_query(flow, django_assert_num_queries):
    entitlement = in_force(flow)
    with django_assert_num_queries(1):
        assert amount_in_force_get(entitlement=entitlement, month=D(2026, 7, 1)) == 14400
    with django_assert_num_queries(1):
        assert amount_in_force_get(entitlement=entitlement, month=D(2026, 6, 1)) == 0


def test_amount_history_lists_every_change_with_the_amount_it_replaced(flow, django_assert_num_queries):
    entitlement = in_force(flow)
    flow.travel(D(2026, 11, 20))
    head = flow.household.members.get(relation="head")
    review = income_change_report(
        actor=flow.users["coordinator_a"],
        household_id=flow.household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=head.pk),
    ).review
    review = review_propose(
        actor=flow.users["coordinator_a"], review_id=review.pk, expected_version=review.version,
        findings="务工收入", reasons="户主务工，月收入40元。",
    )  # fmt: skip
    review_decide(actor=flow.users["county_approver"], review_id=review.pk, expected_version=review.version)
    with django_assert_num_queries(1):
        history = amount_history(entitlement=entitlement)
        rows = [(e.change.kind, e.change.effective_month, e.previous_amount_fen, e.change.amount_fen) for e in history]
        reviews = [e.change.review_id for e in history]
    assert rows == [("grant", D(2026, 7, 1), 0, 14400), ("decrease", D(2026, 12, 1), 14400, 10400)]
    assert reviews == [None, review.pk] and history[1].difference_fen == -4000


def test_reviews_owed_follow_the_next_step_and_the_workflow_mode(flow, regions):
    entitlement = in_force(flow)
    users = flow.users
    flow.travel(D(2026, 11, 20))
    review = review_open(actor=users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    assert review.pk in owed(users["coordinator_a"]) and review.pk in owed(users["township"])
    assert review.pk not in owed(users["county_approver"]) and review.pk not in owed(users["coordinator_b"])
    head = flow.household.members.get(relation="head")
    income_item_add(
        actor=users["coordinator_a"],
        household_id=flow.household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=head.pk),
    )
    review = review_propose(
        actor=users["coordinator_a"], review_id=review.pk, expected_version=review.version, findings="务工",
        reasons="务工收入",
    )  # fmt: skip
    assert review.outcome == "decrease"
    assert owed(users["county_approver"]) == {review.pk}
    assert review.pk not in owed(users["township"])  # county-confirm mode: not the township's to decide
    assert review.pk not in owed(users["coordinator_a"])


def test_in_delegated_mode_a_proposal_is_owed_by_the_other_township_officers(clock, world, users, regions):
    make_policy(users, workflow_mode="township_confirms")
    flow = Flow(world, clock)
    entitlement = in_force(flow)
    flow.travel(D(2026, 11, 20))
    head = flow.household.members.get(relation="head")
    review = income_change_report(
        actor=users["township"],
        household_id=flow.household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=head.pk),
    ).review
    review = review_propose(
        actor=users["township"], review_id=review.pk, expected_version=review.version, findings="务工",
        reasons="务工收入",
    )  # fmt: skip
    colleague = make_user("township_2", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    assert owed(colleague) == {review.pk} and owed(users["county_approver"]) == {review.pk}
    assert review.pk not in owed(users["township"])  # its proposer
    assert entitlement.pk == review.entitlement_id


def test_periodic_reviews_falling_due_show_before_they_are_opened(flow):
    entitlement = in_force(flow)  # next review 9 December 2026
    coordinator = flow.users["coordinator_a"]
    assert not entitlements_review_due_soon(actor=coordinator, today=D(2026, 11, 8)).exists()
    assert list(entitlements_review_due_soon(actor=coordinator, today=D(2026, 11, 9))) == [entitlement]
    assert not entitlements_review_due_soon(actor=flow.users["county_approver"], today=D(2026, 11, 9)).exists()
    items = todo_reviews(actor=coordinator, today=D(2026, 12, 10))
    assert [(i.review, i.step, i.due_on, i.is_overdue) for i in items] == [(None, "open", D(2026, 12, 9), True)]
    flow.travel(D(2026, 11, 20))
    review = review_open(actor=coordinator, entitlement_id=entitlement.pk, trigger="periodic")
    assert not entitlements_review_due_soon(actor=coordinator, today=D(2026, 11, 20)).exists()
    items = todo_reviews(actor=coordinator, today=D(2026, 11, 20))
    assert [(i.review, i.step, i.is_overdue) for i in items] == [(review, "propose", False)]
    assert items[0].step_label == "提出复核意见"


def test_home_page_section_links_each_review(flow):
    entitlement = in_force(flow)
    flow.travel(D(2026, 11, 20))
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    section = reviews_owed(flow.users["coordinator_a"])
    assert section is not None and section.key == "reviews_owed" and section.total == 1
    item = section.items[0]
    assert "张三户" in item.label and "提出复核意见" in item.label and "2026-12-09" in item.detail
    try:
        expected = reverse("web:review-detail", kwargs={"review_id": review.pk})
    except NoReverseMatch:  # the review page may not exist yet: the household file instead
        expected = reverse("web:household-file", kwargs={"household_id": flow.household.pk})
    assert item.url == expected
    assert reviews_owed(flow.users["finance"]) is None
    assert review.status == ReviewStatus.OPEN


def test_bulk_facts_equal_the_single_household_facts(flow):
    household = flow.household
    head = household.members.get(relation="head")
    income_item_add(
        actor=flow.users["coordinator_a"],
        household_id=household.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=head.pk),
    )
    income_item_add(
        actor=flow.users["coordinator_a"],
        household_id=household.pk,
        data=IncomeData(kind="support", monthly_amount_fen=2000),
    )
    asset_add(
        actor=flow.users["coordinator_a"],
        household_id=household.pk,
        data=AssetData(kind="deposit", value_fen=150000, person_id=head.pk),
    )
    on = D(2026, 6, 1)
    many = review_facts_many(household_ids=[household.pk, flow.world.household_b.pk], as_of=on)
    assert many[household.pk].household == household_facts_get(household_id=household.pk, as_of=on)
    assert many[flow.world.household_b.pk].household == household_facts_get(
        household_id=flow.world.household_b.pk, as_of=on
    )
    assert review_facts_get(household_id=household.pk, as_of=on).review_class(on) == "unstable"
    assert {i.kind for i in many[household.pk].class_incomes} == {"wages", "support"}
    before = review_facts_many(household_ids=[household.pk], as_of=D(2026, 5, 31))[household.pk]
    assert before.household.incomes == () and before.household.assets == ()
