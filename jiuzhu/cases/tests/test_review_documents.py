"""Change and stop notices printed from decided reviews: amounts before and after, the recomputed lines,
reasons, effective month, gradual-exit months, and the appeal rights only where the amount goes down."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.cases.documents import review_notice_for, review_notice_pdf
from jiuzhu.cases.models import AmountChange, Review
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose
from jiuzhu.cases.services.dynamic_events import income_change_report, member_death_record
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.cases.tests.test_documents import assert_no_full_id, read
from jiuzhu.registry.models import IncomeItem
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.builders import VILLAGE_A, make_household, person

pytestmark = pytest.mark.django_db

D = datetime.date


def decided_review(flow: Flow, monthly_fen: int, kind: str = "wages", reasons: str = "户主外出务工，月收入增加。"):
    flow.awaiting_decision()
    flow.approve()
    flow.publish()
    flow.travel(D(2026, 11, 20))
    head = flow.household.members.get(relation="head")
    item = IncomeItem.objects.filter(household=flow.household).first()
    review = income_change_report(
        actor=flow.users["coordinator_a"],
        household_id=flow.household.pk,
        data=IncomeData(kind=kind, monthly_amount_fen=monthly_fen, person_id=head.pk),
        item_id=item.pk if item else None,
        expected_item_version=item.version if item else None,
    ).review
    review = review_propose(
        actor=flow.users["coordinator_a"], review_id=review.pk, expected_version=review.version,
        findings="入户核查属实。", reasons=reasons,
    )  # fmt: skip
    return review_decide(actor=flow.users["county_approver"], review_id=review.pk, expected_version=review.version)


def test_decrease_notice_from_a_review(flow):
    review = decided_review(flow, 4000)
    change = AmountChange.objects.get(review=review)
    text = read(review_notice_pdf(review))
    assert "变更（减发）通知书" in text and f"变〔2026〕{change.pk}号" in text
    assert "144.00元调整为104.00元" in text and "2026年12月起" in text
    assert "补差" in text and "72.00" in text and "20.00" in text  # the recomputed gap line
    assert "户主外出务工" in text and "60日" in text and "6个月" in text
    assert_no_full_id(text, flow.household)


def test_increase_notice_has_no_appeal_paragraph(flow):
    income_item_add(
        actor=flow.users["coordinator_a"],
        household_id=flow.household.pk,
        data=IncomeData(
            kind="wages", monthly_amount_fen=6000, person_id=flow.household.members.get(relation="head").pk
        ),
    )
    review = decided_review(flow, 0, reasons="")
    text = read(review_notice_pdf(review))
    assert "变更（增发）通知书" in text and "84.00元调整为144.00元" in text
    assert "行政复议" not in text and "复核重新核定" in text


def test_gradual_exit_notice_names_the_months_still_paid(clock, world, users):
    make_policy(users, grace_months=3)
    flow = Flow(world, clock)
    review = decided_review(flow, 30000, reasons="户主在县城稳定务工，家庭人均收入超过低保标准。")
    assert review.outcome == "gradual_exit"
    notice = review_notice_for(review)
    assert notice.kind == "stop" and notice.grace_months == 3 and notice.effective_month == D(2027, 3, 1)
    text = read(review_notice_pdf(review))
    assert "停发通知书" in text and "3个月渐退期" in text
    assert "2026年12月至2027年2月继续按每月144.00元发放" in text and "自2027年3月起停发" in text
    assert "行政复议" in text


def test_stop_notice_after_the_death_of_the_only_member(clock, world, policy):
    household = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("吴孤老"))
    flow = Flow(world, clock, household=household)
    flow.awaiting_decision()
    flow.approve()
    flow.publish()
    flow.travel(D(2026, 9, 20))
    review = member_death_record(
        actor=world.users["coordinator_a"], person_id=household.members.get().pk, death_date=D(2026, 9, 12)
    )
    text = read(review_notice_pdf(review))
    assert "停发通知书" in text and "自2026年10月起" in text and "72.00" in text and "吴孤老" in text


def test_no_notice_without_a_change(flow):
    flow.awaiting_decision()
    flow.approve()
    entitlement = flow.publish()
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    with pytest.raises(ValueError):
        review_notice_for(review)  # open
    review = review_propose(
        actor=flow.users["coordinator_a"], review_id=review.pk, expected_version=review.version, findings="无变化"
    )
    review = review_decide(actor=flow.users["township"], review_id=review.pk, expected_version=review.version)
    with pytest.raises(ValueError):
        review_notice_for(Review.objects.get(pk=review.pk))  # no change
