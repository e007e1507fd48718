"""The review pages (动态管理): the list, a review and its steps, the notice, opening a review, the events on
a benefit (income change, move out, death), the yearly batch, and the review facts on the case page and the
household file. Benefits are put in force through the real services (`Flow`) or, for many households at
once, with `bulk_beneficiaries`; the reviews are then driven through the pages."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import EntitlementStatus, ReviewStatus
from jiuzhu.cases.models import AmountChange, Entitlement, Review
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose
from jiuzhu.cases.services.dynamic_batch import reviews_due_open
from jiuzhu.cases.services.dynamic_events import income_change_report
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.registry.models import IncomeItem, Person
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.beneficiaries import Beneficiaries, bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, VILLAGE_B
from jiuzhu.web.tests.case_pages import case_url, opened_form
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db

D = datetime.date
LATER = D(2026, 11, 20)  # reviews are done then; the Flow's benefit is paid from July 2026
LIST = reverse("web:review-list")
BATCH = reverse("web:review-batch")
OPEN_DUE = reverse("web:review-open-due")


@pytest.fixture(autouse=True)
def clock() -> Iterator[Any]:
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


@pytest.fixture
def flow(clock, world) -> Flow:  # type: ignore[no-untyped-def]
    """household_a (two adults without income): 144 yuan a month from July 2026 (standard 72 yuan)."""
    make_policy(world.users)
    return Flow(world, clock)


def in_force(flow: Flow) -> Entitlement:
    flow.awaiting_decision()
    flow.approve()
    flow.publish()
    return Entitlement.objects.get(application=flow.app)


def reported(flow: Flow, monthly_fen: int, kind: str = "wages") -> Review:
    """In force, then (on LATER) the head's income is reported: a review is opened."""
    in_force(flow)
    flow.travel(LATER)
    head = flow.household.members.get(relation="head")
    review = income_change_report(
        actor=flow.users["coordinator_a"],
        household_id=flow.household.pk,
        data=IncomeData(kind=kind, monthly_amount_fen=monthly_fen, person_id=head.pk),
        note="户主外出务工。",
    ).review
    assert review is not None
    return review


def proposed(flow: Flow, review: Review, **kwargs: Any) -> Review:
    review.refresh_from_db()
    kwargs.setdefault("reasons", "户主打零工，月收入40元，家庭人均收入提高。")
    return review_propose(
        actor=flow.users["coordinator_a"], review_id=review.pk, expected_version=review.version,
        findings="入户核查属实。", **kwargs,
    )  # fmt: skip


def bulk(world, region_code: str, count: int) -> Beneficiaries:  # type: ignore[no-untyped-def]
    """`count` one-person households with 72 yuan a month since July 2025, their periodic review due 1 June 2026."""
    if not PolicyVersion.objects.exists():
        make_policy(world.users)
    policy = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=START)
    return bulk_beneficiaries(
        actor=world.users["township"], region=world.regions[region_code], policy=policy, count=count,
        decided_on=D(2025, 6, 1),
    )  # fmt: skip


def review_url(review: Review) -> str:
    return reverse("web:review-detail", args=[review.pk])


def step_url(review: Review, step: str) -> str:
    return reverse(f"web:review-{step}", args=[review.pk])


def post_step(client: Any, review: Review, step: str, **data: Any) -> Any:
    url = step_url(review, step)
    return client.post(url, {**opened_form(client, url), **data})


def pdf_text(response: Any) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def state(review: Review) -> tuple[object, ...]:
    """What a refused step must leave untouched."""
    review.refresh_from_db()
    entitlement = Entitlement.objects.get(pk=review.entitlement_id)
    return (
        review.status,
        review.version,
        review.outcome,
        entitlement.status,
        entitlement.monthly_amount_fen,
        entitlement.version,
        AmountChange.objects.filter(entitlement=entitlement).count(),
        AuditEvent.objects.count(),
    )


def actions(response: Any) -> list[str]:
    return [a.step for a in response.context["file"].actions]


# --- The list --------------------------------------------------------------------------------------------


def test_list_is_scoped_filtered_and_flags_overdue_reviews_in_red(client_as, world, clock):
    village_a = bulk(world, VILLAGE_A, 2)
    bulk(world, VILLAGE_B, 1)
    opened = reviews_due_open(today=START)  # all three due on 1 June 2026
    assert len(opened) == 3
    a_reviews = set(Review.objects.filter(entitlement_id__in=village_a.entitlement_ids))

    assert {r.review for r in client_as("coordinator_a").get(LIST).context["rows"]} == a_reviews
    township = client_as("township")
    assert len(township.get(LIST).context["rows"]) == 3
    assert len(township.get(LIST, {"region": VILLAGE_B}).context["rows"]) == 1
    assert len(township.get(LIST, {"trigger": "periodic"}).context["rows"]) == 3
    assert township.get(LIST, {"trigger": "income_change"}).context["rows"] == []
    assert township.get(LIST, {"status": "decided"}).context["rows"] == []
    assert len(township.get(LIST, {"due_soon": "on"}).context["rows"]) == 3
    assert township.get(LIST, {"overdue": "on"}).context["rows"] == []
    html = page_html(township.get(LIST))
    assert "72.00 元" in html and "定期复核" in html and "待核查" in html

    clock.move_to(at(START + datetime.timedelta(days=3)))
    response = client_as("township").get(LIST, {"overdue": "on"})  # a new session: the old one has expired
    assert [r.late_days for r in response.context["rows"]] == [3, 3, 3]
    html = page_html(response)
    assert 'class="overdue"' in html and "超期 3 天" in html
    assert client_as("township").get(LIST, {"due_soon": "on"}).context["rows"] == []


def test_list_query_count_does_not_grow_with_rows(client_as, world, django_assert_max_num_queries):
    bulk(world, VILLAGE_A, 12)
    reviews_due_open(today=START)
    client = client_as("township")
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 12


@pytest.mark.parametrize("role", ["coordinator_a", "township", "county_approver", "supervisor", "finance"])
def test_list_opens_for_every_role_that_sees_cases_and_is_in_the_navigation(role, client_as):
    client = client_as(role)
    assert client.get(LIST).status_code == 200
    assert LIST in page_html(client.get(reverse("web:home")))


# --- The review page, per role ------------------------------------------------------------------------------


def test_review_page_shows_each_role_its_steps(client_as, flow):
    review = reported(flow, 4000)
    url = review_url(review)
    coordinator = client_as("coordinator_a").get(url)
    assert coordinator.status_code == 200 and actions(coordinator) == ["propose"]
    html = page_html(coordinator)
    assert "家庭收入变化" in html and "户主外出务工" in html and "144.00 元" in html
    trial = coordinator.context["file"].trial
    assert trial.outcome == "decrease" and trial.total_fen == 10400  # (72 - 20) x 2
    assert "复核结论应为“减发”" in html and "补差" in html
    assert reverse("web:household-file", args=[flow.household.pk]) in html

    assert actions(client_as("township").get(url)) == ["propose"]
    assert actions(client_as("county_approver").get(url)) == []
    supervisor = client_as("supervisor").get(url)
    assert supervisor.status_code == 200 and actions(supervisor) == []
    assert "您当前没有可办理的事项。" in page_html(supervisor)
    assert client_as("coordinator_b").get(url).status_code == 404

    proposed(flow, review)
    assert actions(client_as("county_approver").get(url)) == ["decide", "reject"]
    assert actions(client_as("township").get(url)) == ["propose"]  # county-confirm mode: may not decide a decrease
    assert actions(client_as("coordinator_a").get(url)) == ["propose"]  # may revise the proposal
    html = page_html(client_as("supervisor").get(url))
    assert '144.00 元<span class="arrow"> → </span>104.00 元' in html and "户主打零工" in html


@pytest.mark.parametrize("role", ["supervisor", "finance", "institution"])
def test_read_only_roles_get_403_on_the_review_steps(role, client_as, flow):
    review = proposed(flow, reported(flow, 4000))
    client = client_as(role)
    before = state(review)
    for step in ("propose", "decide", "reject"):
        assert client.get(step_url(review, step)).status_code == 403, step
        assert client.post(step_url(review, step), {"expected_version": review.version}).status_code == 403, step
    entitlement_id = review.entitlement_id
    for name in ("web:review-open", "web:benefit-transfer-out"):
        assert client.get(reverse(name, args=[entitlement_id])).status_code == 403, name
    assert client.get(reverse("web:income-change-report", args=[flow.household.pk])).status_code == 403
    assert client.get(BATCH).status_code == 403
    assert client.post(OPEN_DUE).status_code == 403
    assert state(review) == before


# --- A decrease from the report to the notice, through the pages ---------------------------------------------


def test_a_reported_income_change_goes_to_a_decrease_and_its_notice_through_the_pages(client_as, flow):
    in_force(flow)
    flow.travel(LATER)
    coordinator, approver = client_as("coordinator_a"), client_as("county_approver")
    report_url = reverse("web:income-change-report", args=[flow.household.pk])
    page = coordinator.get(report_url)
    assert "登记收入变化后将发起低保复核" in page_html(page)
    head = flow.household.members.get(relation="head")
    response = coordinator.post(
        report_url,
        {
            "submission_token": page.context["form"]["submission_token"].value(), "item": "", "kind": "wages",
            "person": str(head.pk), "monthly_amount": "40", "source": "declared", "note": "户主在镇上打零工。",
        },
    )  # fmt: skip
    review = Review.objects.get(entitlement__household=flow.household)
    assert response.status_code == 302 and response.url == review_url(review)
    assert review.trigger == "income_change" and review.status == ReviewStatus.OPEN
    assert IncomeItem.objects.get(household=flow.household).monthly_amount_fen == 4000
    assert f"已登记收入变化，并已纳入低保复核（编号 {review.pk}" in page_html(coordinator.get(response.url))

    propose_page = coordinator.get(step_url(review, "propose"))
    assert "outcome" not in propose_page.context["form"].fields  # only a gradual exit leaves a choice
    assert "复核结论应为“减发”" in page_html(propose_page)
    done = post_step(coordinator, review, "propose", findings="入户核查属实。", reasons="户主打零工，月收入40元。")
    assert done.status_code == 302 and done.url == review_url(review)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.amount_fen) == (ReviewStatus.PROPOSED, "decrease", 10400)

    decide_page = approver.get(step_url(review, "decide"))
    assert decide_page.context["form"]["effective_month"].value() == "2026-12"  # the month after today
    assert "户主打零工，月收入40元。" in page_html(decide_page)
    done = post_step(approver, review, "decide", note="同意减发。", effective_month="2026-12")
    assert done.status_code == 302
    entitlement = Entitlement.objects.get(pk=review.entitlement_id)
    assert entitlement.monthly_amount_fen == 10400
    change = AmountChange.objects.get(review=review)
    assert (change.kind, change.effective_month, change.amount_fen) == ("decrease", D(2026, 12, 1), 10400)

    html = page_html(approver.get(review_url(review)))
    notice = reverse("web:review-notice-pdf", args=[review.pk])
    assert "已办理“复核审批”。" in html and notice in html and "变更通知书（PDF）" in html
    printed = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_DOCUMENT_PRINTED)
    assert not printed.exists()
    text = pdf_text(client_as("supervisor").get(notice))
    assert "变更（减发）通知书" in text and "144.00元调整为104.00元" in text and "2026年12月" in text
    assert "户主打零工" in text and "60日" in text and "6个月" in text  # reasons and the appeal rights
    event = printed.get()
    assert event.subject_id == flow.app.pk and event.after == {"document": f"变更通知书（复核 {review.pk}）"}


def test_the_notice_is_404_until_the_review_is_decided(client_as, flow):
    review = proposed(flow, reported(flow, 4000))
    assert client_as("coordinator_a").get(reverse("web:review-notice-pdf", args=[review.pk])).status_code == 404
    assert "notice-link" not in page_html(client_as("coordinator_a").get(review_url(review)))


# --- Refused with a clear Chinese message, nothing changed --------------------------------------------------------


def test_deciding_before_the_proposal_is_refused_with_the_reason(client_as, flow):
    review = reported(flow, 4000)
    approver = client_as("county_approver")
    page = approver.get(step_url(review, "decide"))
    assert page.status_code == 200
    assert "复核当前状态为“待核查”，不能进行“复核审批”。" in page_html(page)
    assert '<form method="post" class="panel"' not in page_html(page)

    before = state(review)
    response = approver.post(
        step_url(review, "decide"), {"submission_token": "c" * 32, "expected_version": review.version, "note": "同意"}
    )
    assert response.status_code == 409
    assert "复核当前状态为“待核查”，不能进行“复核审批”。" in page_html(response)
    assert state(review) == before


def test_a_stale_form_reports_the_conflict_and_changes_nothing(client_as, flow):
    review = reported(flow, 4000)
    client = client_as("coordinator_a")
    url = step_url(review, "propose")
    stale = opened_form(client, url)
    proposed(flow, review)  # someone else proposes first
    before = state(review)
    response = client.post(url, {**stale, "findings": "核查属实。", "reasons": "收入增加。"})
    assert response.status_code == 302 and response.url == url
    assert "该记录已被他人修改，请刷新后重试。" in page_html(client.get(url))
    assert state(review) == before


def test_the_township_may_not_decide_a_decrease_in_county_mode(client_as, flow):
    review = proposed(flow, reported(flow, 4000))
    township = client_as("township")
    before = state(review)
    for step in ("decide", "reject"):
        assert township.get(step_url(review, step)).status_code == 403, step
        response = township.post(
            step_url(review, step), {"submission_token": "d" * 32, "expected_version": review.version}
        )
        assert response.status_code == 403, step
    assert state(review) == before


def test_a_decrease_without_reasons_is_a_field_error(client_as, flow):
    review = reported(flow, 4000)
    before = state(review)
    response = post_step(client_as("coordinator_a"), review, "propose", findings="入户核查属实。", reasons="")
    assert response.status_code == 400
    html = page_html(response)
    assert "减发、停发或渐退须写明理由，并书面告知家庭。" in text_near_field(html, "reasons")
    assert "入户核查属实。</textarea>" in html  # what was typed is kept
    assert state(review) == before


def test_the_proposer_may_not_decide_their_own_change(client_as, world, clock):
    make_policy(world.users, workflow_mode="township_confirms")
    flow = Flow(world, clock)
    review = reported(flow, 4000)
    review.refresh_from_db()
    review_propose(
        actor=world.users["township"], review_id=review.pk, expected_version=review.version,
        findings="入户核查属实。", reasons="收入增加。",
    )  # fmt: skip
    page = client_as("township").get(step_url(review, "decide"))
    assert page.status_code == 200
    assert "您提出了本复核的意见，按规定不能再审批本复核" in page_html(page)
    assert actions(client_as("township").get(review_url(review))) == ["propose", "reject"]


# --- Other steps ---------------------------------------------------------------------------------------------------


def test_a_gradual_exit_may_be_replaced_by_a_stop(client_as, flow):
    review = reported(flow, 30000)  # wages lift per-capita income above the standard: gradual exit by default
    client = client_as("coordinator_a")
    page = client.get(step_url(review, "propose"))
    assert dict(page.context["form"].fields["outcome"].choices) == {"stop": "停发", "gradual_exit": "渐退"}
    assert page.context["trial"].outcome == "gradual_exit"
    done = post_step(client, review, "propose", findings="户主在县城稳定务工。", outcome="stop", reasons="收入稳定。")
    assert done.status_code == 302
    review.refresh_from_db()
    assert (review.outcome, review.amount_fen) == ("stop", 0)


def test_refusing_a_proposal_needs_a_reason_and_closes_the_review(client_as, flow):
    review = proposed(flow, reported(flow, 4000))
    approver = client_as("county_approver")
    before = state(review)
    empty = post_step(approver, review, "reject", reason="")
    assert empty.status_code == 400 and "请写明不同意复核意见的理由。" in text_near_field(page_html(empty), "reason")
    assert state(review) == before
    assert post_step(approver, review, "reject", reason="收入为一次性劳务报酬，不应计入。").status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.CLOSED and review.closed_reason == "收入为一次性劳务报酬，不应计入。"
    assert Entitlement.objects.get(pk=review.entitlement_id).monthly_amount_fen == 14400
    assert "收入为一次性劳务报酬" in page_html(approver.get(review_url(review)))


def test_a_review_is_opened_from_the_benefit_once(client_as, flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    client = client_as("coordinator_a")
    url = reverse("web:review-open", args=[entitlement.pk])
    assert client_as("county_approver").get(url).status_code == 403
    page = client.get(url)
    form = {"submission_token": page.context["form"]["submission_token"].value()}
    missing = client.post(url, {**form, "trigger": "other"})
    assert missing.status_code == 400 and "请说明发起复核的原因。" in text_near_field(page_html(missing), "note")
    assert not Review.objects.exists()
    done = client.post(url, {**form, "trigger": "other", "note": "村民反映家中购置了汽车。"})
    review = Review.objects.get()
    assert done.status_code == 302 and done.url == review_url(review)
    assert review.trigger == "other" and review.opened_by == flow.users["coordinator_a"]
    again = client.post(url, {**opened_form(client, url), "trigger": "other", "note": "再次发起。"})
    assert again.status_code == 409 and f"该家庭已有进行中的复核（编号 {review.pk}" in page_html(again)
    assert Review.objects.count() == 1


def test_the_move_out_of_the_county_stops_the_benefit(client_as, flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    url = reverse("web:benefit-transfer-out", args=[entitlement.pk])
    assert client_as("coordinator_a").get(url).status_code == 403
    township = client_as("township")
    entitlement.refresh_from_db()
    before = (entitlement.status, entitlement.version, Review.objects.count())
    empty = township.post(url, {**opened_form(township, url), "moved_on": "2026-11-10", "destination": ""})
    assert empty.status_code == 400 and "请填写迁往地点。" in text_near_field(page_html(empty), "destination")
    entitlement.refresh_from_db()
    assert (entitlement.status, entitlement.version, Review.objects.count()) == before

    done = township.post(url, {**opened_form(township, url), "moved_on": "2026-11-10", "destination": "达州市通川区"})
    review = Review.objects.get()
    assert done.status_code == 302 and done.url == review_url(review)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED and review.trigger == "move_out"
    assert AmountChange.objects.get(review=review).effective_month == D(2026, 12, 1)
    assert "已登记转出，低保自2026年12月起停发。" in page_html(township.get(done.url))
    text = pdf_text(township.get(reverse("web:review-notice-pdf", args=[review.pk])))
    assert "停发通知书" in text and "达州市通川区" in text and "60日" in text


# --- A member's death ------------------------------------------------------------------------------------------------


def test_the_death_page_stops_a_one_member_benefit(client_as, world):
    one = bulk(world, VILLAGE_A, 1)
    person = Person.objects.get(household_id=one.household_ids[0])
    client = client_as("coordinator_a")
    response = client.post(
        reverse("web:person-death", args=[person.pk]), {"death_date": "2026-05-20", "reason": "死亡医学证明 123"}
    )
    assert response.status_code == 302
    entitlement = Entitlement.objects.get(pk=one.entitlement_ids[0])
    assert entitlement.status == EntitlementStatus.STOPPED and entitlement.monthly_amount_fen == 0
    review = Review.objects.get(entitlement=entitlement)
    assert (review.status, review.outcome, review.stop_month) == ("decided", "stop", D(2026, 6, 1))
    html = page_html(client.get(response.url))
    assert f"已登记死亡。家庭无其他保障成员，低保自2026年6月起停发（复核 #{review.pk}）。" in html
    assert reverse("web:review-notice-pdf", args=[review.pk]) in html  # the stop in the amount history

    text = pdf_text(client.get(reverse("web:review-notice-pdf", args=[review.pk])))
    assert "停发通知书" in text and "72.00" in text and "2026年6月起" in text
    assert "行政复议" in text and "60日" in text and "6个月" in text


def test_the_death_of_one_of_two_members_opens_a_review(client_as, flow):
    in_force(flow)
    flow.travel(LATER)
    spouse = flow.household.members.get(relation="spouse")
    client = client_as("coordinator_a")
    response = client.post(
        reverse("web:person-death", args=[spouse.pk]), {"death_date": "2026-11-02", "reason": "死亡医学证明 456"}
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.trigger, review.status, review.person_id) == ("member_death", "open", spouse.pk)
    assert f"已登记死亡，已纳入低保复核（复核 #{review.pk}，须在 {review.due_on.isoformat()} 前完成）。" in page_html(
        client.get(response.url)
    )


def test_the_death_page_without_a_benefit_only_records_the_death(client_as, world, file_a):
    response = client_as("coordinator_a").post(
        reverse("web:person-death", args=[file_a.spouse.pk]), {"death_date": "2026-06-01", "reason": "死亡证明"}
    )
    assert response.status_code == 302
    assert not Review.objects.exists()
    file_a.spouse.refresh_from_db()
    assert file_a.spouse.death_date == START


# --- The yearly batch -------------------------------------------------------------------------------------------------


def test_the_batch_confirms_the_unchanged_and_lists_the_skipped_with_the_reason(client_as, world):
    village = bulk(world, VILLAGE_A, 3)
    township = client_as("township")
    assert client_as("coordinator_a").get(BATCH).status_code == 403
    opened = township.post(OPEN_DUE)
    assert opened.status_code == 302 and opened.url == BATCH
    assert "已发起 3 户定期复核。" in page_html(township.get(BATCH))
    changed = village.household_ids[1]
    income_item_add(
        actor=world.users["coordinator_a"],
        household_id=changed,
        data=IncomeData(kind="pension", monthly_amount_fen=20000),
    )

    page = township.get(BATCH)
    reviews = list(page.context["page"].object_list)
    assert len(reviews) == 3 and 'data-select-all="reviews"' in page_html(page)
    empty = township.post(BATCH, {"submission_token": page.context["form"]["submission_token"].value()})
    assert empty.status_code == 400 and "请至少选择一户。" in page_html(empty)
    assert Review.objects.filter(status=ReviewStatus.DECIDED).count() == 0

    picks = [f"{r.pk}:{r.version}" for r in reviews]
    response = township.post(BATCH, {**opened_form(township, BATCH), "reviews": picks})
    assert response.status_code == 200
    skipped = Review.objects.get(entitlement__household_id=changed)
    html = page_html(response)
    assert "已办结 2 户，维持原保障金额。" in html
    assert "重新核算结果为“停发”（0.00 元，现发放 72.00 元），请单独提出复核意见。" in html
    assert review_url(skipped) in html
    assert [row.review_id for row in response.context["skipped"]] == [skipped.pk]
    assert Review.objects.filter(status=ReviewStatus.DECIDED, outcome="no_change").count() == 2
    skipped.refresh_from_db()
    assert skipped.status == ReviewStatus.OPEN


def test_the_batch_skips_a_review_changed_since_the_page_was_opened(client_as, world):
    bulk(world, VILLAGE_A, 1)
    reviews_due_open(today=START)
    township = client_as("township")
    page = township.get(BATCH)
    review = page.context["page"].object_list[0]
    stale = f"{review.pk}:{review.version}"
    review_propose(
        actor=world.users["coordinator_a"], review_id=review.pk, expected_version=review.version, findings="核查中。"
    )
    response = township.post(BATCH, {**opened_form(township, BATCH), "reviews": [stale]})
    assert "已办结 0 户" in page_html(response) and "该复核已被他人修改，请刷新后重试。" in page_html(response)


def test_opening_the_due_reviews_is_scoped_to_the_jurisdiction(client_as, world):
    bulk(world, VILLAGE_A, 2)
    bulk(world, VILLAGE_B, 1)
    response = client_as("coordinator_a").post(OPEN_DUE)
    assert response.status_code == 302 and response.url == LIST  # coordinators do not confirm in batch
    assert Review.objects.count() == 2
    assert set(Review.objects.values_list("entitlement__region__code", flat=True)) == {VILLAGE_A}
    assert client_as("county_approver").post(OPEN_DUE).status_code == 403
    assert client_as("township").get(OPEN_DUE).status_code == 405


# --- Home, case page and household file ------------------------------------------------------------------------------


def test_the_todo_link_goes_to_the_review_page(client_as, flow):
    review = reported(flow, 4000)
    response = client_as("coordinator_a").get(reverse("web:home"))
    items = {s.key: s for s in response.context["sections"]}["reviews_owed"].items
    assert review_url(review) in [item.url for item in items]
    assert review_url(review) in page_html(response)


def test_case_page_and_household_file_show_the_review_facts_and_the_notices(client_as, world, flow):
    review = proposed(flow, reported(flow, 4000))
    review = review_decide_by_county(world, review)
    case_html = page_html(client_as("supervisor").get(case_url(flow.app)))
    assert "收入不稳定或有劳动能力（每半年复核）" in case_html
    entitlement = Entitlement.objects.get(pk=review.entitlement_id)
    assert entitlement.next_review_on.isoformat() in case_html and "2026-11-20" in case_html
    assert "新增" in case_html and "减发" in case_html and "104.00 元" in case_html
    assert reverse("web:review-notice-pdf", args=[review.pk]) in case_html
    assert reverse("web:case-decision-pdf", args=[flow.app.pk]) in case_html
    assert review_url(review) in case_html
    assert reverse("web:review-open", args=[entitlement.pk]) not in case_html  # the supervisor may not

    file_url = reverse("web:household-file", args=[flow.household.pk])
    coordinator = page_html(client_as("coordinator_a").get(file_url))
    assert reverse("web:review-open", args=[entitlement.pk]) in coordinator
    assert reverse("web:income-change-report", args=[flow.household.pk]) in coordinator
    assert reverse("web:benefit-transfer-out", args=[entitlement.pk]) not in coordinator
    assert reverse("web:benefit-transfer-out", args=[entitlement.pk]) in page_html(client_as("township").get(file_url))
    assert reverse("web:review-notice-pdf", args=[review.pk]) in coordinator

    open_review = review_open(actor=world.users["coordinator_a"], entitlement_id=entitlement.pk, note="抽查。")
    coordinator = page_html(client_as("coordinator_a").get(file_url))
    assert (
        review_url(open_review) in coordinator and reverse("web:review-open", args=[entitlement.pk]) not in coordinator
    )


def review_decide_by_county(world, review: Review) -> Review:  # type: ignore[no-untyped-def]
    review.refresh_from_db()
    return review_decide(actor=world.users["county_approver"], review_id=review.pk, expected_version=review.version)
