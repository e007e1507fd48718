"""Dynamic management: reviews, their outcomes and who may decide them, gradual exit, deaths, moves,
reported income changes, and the yearly batch — all through the real services."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.accounts.roles import Role
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    EntitlementStatus,
    ReviewOutcome,
    ReviewStatus,
    ReviewTrigger,
    Step,
)
from jiuzhu.cases.models import AmountChange, Application, Entitlement, Review, StatusChange
from jiuzhu.cases.selectors import amount_in_force_get
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose, review_reject
from jiuzhu.cases.services.dynamic_batch import gradual_exits_finish, reviews_due_open
from jiuzhu.cases.services.dynamic_events import (
    entitlement_transfer_out,
    income_change_report,
    member_death_record,
)
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.common.exceptions import (
    ConflictError,
    NotFoundOrNoAccess,
    PermissionDeniedError,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from jiuzhu.registry.models import IncomeItem, Person
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.builders import TOWNSHIP, VILLAGE_A, make_household, make_user, new_id_number, person

pytestmark = pytest.mark.django_db

D = datetime.date
DECIDED = D(2026, 6, 9)  # the Flow's approval day (the day after the village notice)
LATER = D(2026, 11, 20)  # when the reviews below are done


def in_force(flow: Flow, income_fen: int = 0, kind: str = "wages") -> Entitlement:
    if income_fen:
        head = flow.household.members.get(relation="head")
        income_item_add(
            actor=flow.users["coordinator_a"],
            household_id=flow.household.pk,
            data=IncomeData(kind=kind, monthly_amount_fen=income_fen, person_id=head.pk),
        )
    flow.awaiting_decision()
    flow.approve()
    return flow.publish()


def report_income(flow: Flow, monthly_fen: int, kind: str = "wages", actor_key: str = "coordinator_a"):
    """Change the head's income through a reported change (adds the item or corrects the existing one)."""
    head = flow.household.members.get(relation="head")
    item = IncomeItem.objects.filter(household=flow.household, person=head).first()
    return income_change_report(
        actor=flow.users[actor_key],
        household_id=flow.household.pk,
        data=IncomeData(kind=kind, monthly_amount_fen=monthly_fen, person_id=head.pk),
        item_id=item.pk if item else None,
        expected_item_version=item.version if item else None,
        note="户主外出务工，收入变化。",
    )


def propose(flow: Flow, review: Review, actor_key: str = "coordinator_a", **kwargs) -> Review:
    review.refresh_from_db()
    kwargs.setdefault("findings", "入户核查：家庭人口无变化，收入情况如登记。")
    return review_propose(actor=flow.users[actor_key], review_id=review.pk, expected_version=review.version, **kwargs)


def decide(flow: Flow, review: Review, actor_key: str = "county_approver", **kwargs) -> Review:
    review.refresh_from_db()
    return review_decide(actor=flow.users[actor_key], review_id=review.pk, expected_version=review.version, **kwargs)


# --- Schedule --------------------------------------------------------------------------------------------


def test_publication_schedules_unstable_household_in_six_months(flow):
    entitlement = in_force(flow)  # two adults born 1970, able to work
    assert entitlement.review_class == "unstable"
    assert entitlement.last_reviewed_on == DECIDED
    assert entitlement.next_review_on == D(2026, 12, 9)


def test_publication_schedules_stable_household_in_twelve_months(clock, world, policy):
    household = make_household(
        world.users["coordinator_a"],
        world.regions[VILLAGE_A],
        person("孙老汉", id_number=new_id_number(D(1948, 3, 2))),
        person("周大娘", "spouse", id_number=new_id_number(D(1950, 8, 9), male=False), work_ability="none"),
    )
    entitlement = in_force(Flow(world, clock, household=household))
    assert entitlement.review_class == "stable"
    assert entitlement.next_review_on == D(2027, 6, 9)


def test_policy_intervals_are_used(clock, world, users):
    make_policy(users, review_months_unstable=3, review_months_stable=9)
    entitlement = in_force(Flow(world, clock))
    assert entitlement.next_review_on == D(2026, 9, 9)


def test_completed_review_schedules_the_next_one_from_its_day(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    assert review.due_on == D(2026, 12, 9)
    propose(flow, review)
    decide(flow, review, actor_key="township")
    entitlement.refresh_from_db()
    assert entitlement.last_reviewed_on == LATER and entitlement.next_review_on == D(2027, 5, 20)


# --- Outcomes ----------------------------------------------------------------------------------------------

# (income at entry, reported income, its kind, expected outcome, amount after, entitlement status)
OUTCOMES = [
    pytest.param(0, 0, "wages", ReviewOutcome.NO_CHANGE, 14400, EntitlementStatus.ACTIVE, id="no-change"),
    pytest.param(6000, 0, "wages", ReviewOutcome.INCREASE, 14400, EntitlementStatus.ACTIVE, id="increase"),
    pytest.param(0, 4000, "wages", ReviewOutcome.DECREASE, 10400, EntitlementStatus.ACTIVE, id="decrease"),
    pytest.param(0, 20000, "pension", ReviewOutcome.STOP, 0, EntitlementStatus.STOPPED, id="stop"),
    pytest.param(0, 20000, "wages", ReviewOutcome.GRADUAL_EXIT, 14400, EntitlementStatus.EXITING, id="gradual"),
]


@pytest.mark.parametrize(("entry", "reported", "kind", "outcome", "amount", "status"), OUTCOMES)
def test_outcome_follows_the_recomputed_amount(flow, entry, reported, kind, outcome, amount, status):
    entitlement = in_force(flow, income_fen=entry)
    before = entitlement.monthly_amount_fen
    flow.travel(LATER)
    reported_change = report_income(flow, reported, kind)
    review = reported_change.review
    assert review.trigger == ReviewTrigger.INCOME_CHANGE and review.due_on == D(2027, 2, 20)
    review = propose(flow, review, reasons="户主外出务工，家庭收入增加。")
    assert review.outcome == outcome and review.amount_before_fen == before
    decide(flow, review)
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount_fen == amount and entitlement.status == status
    changes = list(AmountChange.objects.filter(review=review).values_list("kind", "effective_month", "amount_fen"))
    december = D(2026, 12, 1)
    expected = {
        ReviewOutcome.NO_CHANGE: [],
        ReviewOutcome.INCREASE: [(AmountChangeKind.INCREASE, december, 14400)],
        ReviewOutcome.DECREASE: [(AmountChangeKind.DECREASE, december, 10400)],
        ReviewOutcome.STOP: [(AmountChangeKind.STOP, december, 0)],
        ReviewOutcome.GRADUAL_EXIT: [(AmountChangeKind.STOP, D(2027, 6, 1), 0)],
    }[outcome]
    assert changes == expected
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 11, 1)) == before
    after_december = {ReviewOutcome.STOP: 0, ReviewOutcome.GRADUAL_EXIT: before}.get(outcome, amount)
    assert amount_in_force_get(entitlement=entitlement, month=december) == after_december
    app = Application.objects.get(pk=flow.app.pk)
    assert (app.status == ApplicationStatus.STOPPED) == (outcome == ReviewOutcome.STOP)
    decided = AuditEvent.objects.get(event_type=AuditEventType.REVIEW_DECIDED, subject_id=review.pk)
    assert decided.after["outcome"] == outcome and decided.actor == flow.users["county_approver"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_PROPOSED, subject_id=review.pk).count() == 1


def test_gradual_exit_pays_the_grace_months_then_nothing(clock, world, users):
    make_policy(users, grace_months=3)
    flow = Flow(world, clock)
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 30000).review, reasons="户主在县城务工，月收入300元。")
    assert review.outcome == ReviewOutcome.GRADUAL_EXIT and review.grace_months == 3
    decide(flow, review)
    review.refresh_from_db()
    assert review.effective_month == D(2026, 12, 1) and review.stop_month == D(2027, 3, 1)
    paid = {
        month: amount_in_force_get(entitlement=entitlement, month=month)
        for month in [D(2026, 11, 1), D(2026, 12, 1), D(2027, 1, 1), D(2027, 2, 1), D(2027, 3, 1), D(2027, 9, 1)]
    }
    assert paid == {
        D(2026, 11, 1): 14400, D(2026, 12, 1): 14400, D(2027, 1, 1): 14400, D(2027, 2, 1): 14400,
        D(2027, 3, 1): 0, D(2027, 9, 1): 0,
    }  # fmt: skip
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.EXITING and entitlement.next_review_on is None
    assert gradual_exits_finish(today=D(2027, 2, 28)) == []  # still paying in February
    assert gradual_exits_finish(today=D(2027, 3, 1)) == [entitlement.pk]
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED and entitlement.monthly_amount_fen == 0
    assert Application.objects.get(pk=flow.app.pk).status == ApplicationStatus.STOPPED
    assert AuditEvent.objects.filter(event_type=AuditEventType.GRADUAL_EXIT_FINISHED, subject_id=entitlement.pk)


def test_proposer_may_choose_stop_instead_of_gradual_exit_but_nothing_else(flow):
    in_force(flow)
    flow.travel(LATER)
    review = report_income(flow, 30000).review
    with pytest.raises(ValidationFailed) as raised:
        propose(flow, review, outcome=ReviewOutcome.DECREASE, reasons="收入增加")
    assert "渐退" in raised.value.field_errors["outcome"][0]
    review = propose(flow, review, outcome=ReviewOutcome.STOP, reasons="户主已稳定就业，家庭同意退出。")
    assert review.outcome == ReviewOutcome.STOP


def test_no_gradual_exit_when_the_policy_grants_none(clock, world, users):
    make_policy(users, grace_months=0)
    flow = Flow(world, clock)
    in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 30000).review, reasons="收入超过标准")
    assert review.outcome == ReviewOutcome.STOP


def test_decrease_needs_written_reasons_and_nothing_is_saved(flow):
    in_force(flow)
    flow.travel(LATER)
    review = report_income(flow, 4000).review
    version = review.version
    with pytest.raises(ValidationFailed) as raised:
        propose(flow, review, reasons="  ", findings="")
    assert set(raised.value.field_errors) == {"reasons", "findings"}
    assert "理由" in raised.value.field_errors["reasons"][0]
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN and review.version == version and review.outcome == ""
    assert not AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_PROPOSED).exists()


# --- Who decides -------------------------------------------------------------------------------------------


def test_no_change_is_completed_by_the_township_without_the_county(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    review = propose(flow, review)  # the coordinator
    assert review.outcome == ReviewOutcome.NO_CHANGE
    with pytest.raises(PermissionDeniedError):
        decide(flow, review, actor_key="coordinator_a")
    review = decide(flow, review, actor_key="township")
    assert review.status == ReviewStatus.DECIDED and review.decided_by == flow.users["township"]
    assert not AmountChange.objects.filter(review=review).exists()
    assert AmountChange.objects.filter(entitlement=entitlement).count() == 1  # the grant only


def test_decrease_by_the_township_in_county_confirm_mode_is_refused_and_changes_nothing(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 4000).review, reasons="户主务工收入每月40元。")
    assert review.outcome == ReviewOutcome.DECREASE
    version = review.version
    with pytest.raises(PermissionDeniedError):
        decide(flow, review, actor_key="township")
    review.refresh_from_db()
    entitlement.refresh_from_db()
    assert review.status == ReviewStatus.PROPOSED and review.version == version
    assert entitlement.monthly_amount_fen == 14400 and entitlement.version == 1
    assert not AmountChange.objects.filter(review=review).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_DECIDED).exists()


def test_township_decides_a_decrease_where_confirmation_is_delegated_but_not_its_own(clock, world, regions, users):
    make_policy(users, workflow_mode="township_confirms")
    flow = Flow(world, clock)
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 4000).review, actor_key="township", reasons="务工收入增加")
    with pytest.raises(RuleViolation) as raised:
        decide(flow, review, actor_key="township")  # the proposer
    assert "不能再审批" in raised.value.user_message
    colleague = make_user("township_2", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    review.refresh_from_db()
    review_decide(actor=colleague, review_id=review.pk, expected_version=review.version)
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount_fen == 10400


def test_stale_version_is_a_conflict(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    with pytest.raises(ConflictError):
        review_propose(
            actor=flow.users["coordinator_a"], review_id=review.pk, expected_version=review.version + 1,
            findings="核查",
        )  # fmt: skip
    review = propose(flow, review)
    with pytest.raises(ConflictError):
        review_decide(actor=flow.users["township"], review_id=review.pk, expected_version=review.version - 1)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PROPOSED


def test_decide_before_propose_is_out_of_order(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    with pytest.raises(TransitionNotAllowed) as raised:
        review_decide(actor=flow.users["county_approver"], review_id=review.pk, expected_version=review.version)
    assert raised.value.user_message == "复核当前状态为“待核查”，不能进行“复核审批”。"
    review.refresh_from_db()
    assert review.status == ReviewStatus.OPEN and review.decided_on is None


def test_reviews_outside_the_jurisdiction_do_not_exist(flow, world):
    entitlement = in_force(flow)
    with pytest.raises(NotFoundOrNoAccess):
        review_open(actor=world.users["coordinator_b"], entitlement_id=entitlement.pk, trigger="periodic")
    review = review_open(actor=world.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    with pytest.raises(NotFoundOrNoAccess):
        review_propose(actor=world.users["coordinator_other"], review_id=review.pk, expected_version=1, findings="x")


def test_one_open_review_per_benefit(flow):
    entitlement = in_force(flow)
    review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    with pytest.raises(RuleViolation) as raised:
        review_open(
            actor=flow.users["township"], entitlement_id=entitlement.pk, trigger="other", note="群众反映家庭新购车辆"
        )
    assert raised.value.code == "review_already_open"
    assert Review.objects.filter(entitlement=entitlement).count() == 1


def test_rejected_proposal_closes_the_review_with_reasons(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 4000).review, reasons="务工收入")
    with pytest.raises(ValidationFailed):
        review_reject(
            actor=flow.users["county_approver"], review_id=review.pk, expected_version=review.version, reason=""
        )
    review = review_reject(
        actor=flow.users["county_approver"], review_id=review.pk, expected_version=review.version,
        reason="务工收入为临时性收入，请核实后重新提出。",
    )  # fmt: skip
    assert review.status == ReviewStatus.CLOSED and "临时性" in review.closed_reason
    entitlement.refresh_from_db()
    assert entitlement.monthly_amount_fen == 14400 and entitlement.next_review_on == D(2026, 12, 9)
    assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_REJECTED, subject_id=review.pk).exists()


def test_effective_month_must_be_a_first_after_the_last_change(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 4000).review, reasons="务工收入")
    with pytest.raises(ValidationFailed) as raised:
        decide(flow, review, effective_month=D(2026, 12, 15))
    assert raised.value.field_errors["effective_month"] == ["生效月份须为某月1日。"]
    with pytest.raises(ValidationFailed) as raised:
        decide(flow, review, effective_month=D(2026, 7, 1))  # the grant's month
    assert "2026年7月" in raised.value.field_errors["effective_month"][0]
    decide(flow, review, effective_month=D(2027, 1, 1))
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 12, 1)) == 14400
    assert amount_in_force_get(entitlement=entitlement, month=D(2027, 1, 1)) == 10400


# --- Periodic reviews opened by the monthly job ------------------------------------------------------------


def test_due_reviews_are_opened_once(flow, world):
    entitlement = in_force(flow)
    flow.travel(D(2026, 11, 1))
    assert reviews_due_open(today=D(2026, 11, 1)) == []  # due 9 December: not yet within 30 days
    opened = reviews_due_open(today=D(2026, 11, 10))
    assert len(opened) == 1
    review = Review.objects.get(pk=opened[0])
    assert review.trigger == ReviewTrigger.PERIODIC and review.due_on == D(2026, 12, 9)
    assert review.opened_by is None and review.entitlement == entitlement
    assert reviews_due_open(today=D(2026, 11, 20)) == []  # idempotent
    event = AuditEvent.objects.get(event_type=AuditEventType.REVIEW_OPENED, subject_id=review.pk)
    assert event.actor is None and event.after["entitlement"] == entitlement.pk
    assert reviews_due_open(actor=world.users["township"], today=D(2026, 11, 20)) == []
    with pytest.raises(PermissionDeniedError):
        reviews_due_open(actor=world.users["finance"], today=D(2026, 11, 20))


# --- Events ------------------------------------------------------------------------------------------------


def test_death_of_the_only_member_stops_the_benefit_next_month(clock, world, policy):
    household = make_household(world.users["coordinator_a"], world.regions[VILLAGE_A], person("吴孤老"))
    flow = Flow(world, clock, household=household)
    entitlement = in_force(flow)
    flow.travel(D(2026, 9, 20))
    deceased = household.members.get()
    review = member_death_record(actor=world.users["coordinator_a"], person_id=deceased.pk, death_date=D(2026, 9, 12))
    assert review.trigger == ReviewTrigger.MEMBER_DEATH and review.outcome == ReviewOutcome.STOP
    assert review.status == ReviewStatus.DECIDED and review.effective_month == D(2026, 10, 1)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED and entitlement.next_review_on is None
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 9, 1)) == 7200
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 10, 1)) == 0
    stop = AmountChange.objects.get(entitlement=entitlement, kind=AmountChangeKind.STOP)
    assert stop.review == review and "吴孤老" in stop.reason
    assert Person.objects.get(pk=deceased.pk).death_date == D(2026, 9, 12)
    app = Application.objects.get(pk=flow.app.pk)
    assert app.status == ApplicationStatus.STOPPED
    assert StatusChange.objects.filter(application=app, step=Step.STOP).exists()
    types = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {AuditEventType.PERSON_DIED, AuditEventType.BENEFIT_STOPPED} <= types


def test_death_in_a_two_person_household_opens_a_review_due_in_three_months(flow):
    entitlement = in_force(flow)
    flow.travel(D(2026, 9, 20))
    spouse = flow.household.members.get(relation="spouse")
    review = member_death_record(actor=flow.users["coordinator_a"], person_id=spouse.pk, death_date=D(2026, 9, 12))
    assert review.status == ReviewStatus.OPEN and review.due_on == D(2026, 12, 12)
    assert review.person == spouse and "李梅" in review.note
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE and entitlement.monthly_amount_fen == 14400
    review = propose(flow, review, reasons="配偶死亡，保障人数减为1人。")
    assert review.outcome == ReviewOutcome.DECREASE and review.amount_fen == 7200


def test_death_pulls_an_open_periodic_review_forward_and_reopens_its_proposal(flow):
    entitlement = in_force(flow)
    flow.travel(D(2026, 11, 20))
    review = review_open(actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, trigger="periodic")
    propose(flow, review)
    spouse = flow.household.members.get(relation="spouse")
    joined = member_death_record(actor=flow.users["coordinator_a"], person_id=spouse.pk, death_date=D(2026, 11, 18))
    assert joined.pk == review.pk and joined.status == ReviewStatus.OPEN and joined.outcome == ""
    assert joined.due_on == D(2026, 12, 9)  # the periodic due date is earlier than 18 February
    assert AuditEvent.objects.filter(event_type=AuditEventType.REVIEW_EVENT_ADDED, subject_id=review.pk).exists()


def test_death_without_a_benefit_only_records_the_death(clock, world, policy):
    member = world.household_a.members.get(relation="spouse")
    recorded = member_death_record(actor=world.users["coordinator_a"], person_id=member.pk, death_date=D(2026, 6, 1))
    assert recorded is None
    assert Person.objects.get(pk=member.pk).death_date == D(2026, 6, 1)


def test_transfer_out_stops_the_benefit_with_reason(flow):
    entitlement = in_force(flow)
    flow.travel(D(2026, 10, 10))
    with pytest.raises(PermissionDeniedError):
        entitlement_transfer_out(
            actor=flow.users["coordinator_a"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
            moved_on=D(2026, 10, 3), destination="达州市通川区",
        )  # fmt: skip
    with pytest.raises(ValidationFailed) as raised:
        entitlement_transfer_out(
            actor=flow.users["township"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
            moved_on=D(2026, 10, 3), destination=" ",
        )  # fmt: skip
    assert "destination" in raised.value.field_errors
    review = entitlement_transfer_out(
        actor=flow.users["township"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
        moved_on=D(2026, 10, 3), destination="达州市通川区",
    )  # fmt: skip
    assert review.trigger == ReviewTrigger.MOVE_OUT and "转出" in review.reasons and "通川区" in review.reasons
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 10, 1)) == 14400
    assert amount_in_force_get(entitlement=entitlement, month=D(2026, 11, 1)) == 0
    with pytest.raises(ConflictError):
        entitlement_transfer_out(
            actor=flow.users["township"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
            moved_on=D(2026, 10, 3), destination="达州市通川区",
        )  # fmt: skip


def test_income_change_without_a_benefit_records_the_income_only(clock, world, policy):
    head = world.household_a.members.get(relation="head")
    reported = income_change_report(
        actor=world.users["coordinator_a"],
        household_id=world.household_a.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=5000, person_id=head.pk),
    )
    assert reported.review is None and reported.item.monthly_amount_fen == 5000


def test_an_event_on_a_stopped_benefit_opens_nothing(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 20000, "pension").review, reasons="家庭养老金收入超过标准。")
    decide(flow, review)
    with pytest.raises(RuleViolation):
        review_open(actor=flow.users["township"], entitlement_id=entitlement.pk, trigger="other", note="复查")
    assert report_income(flow, 25000, "pension").review is None


def test_a_stopped_household_may_apply_again(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 20000, "pension").review, reasons="养老金收入超过标准。")
    decide(flow, review)
    assert Entitlement.objects.get(pk=entitlement.pk).status == EntitlementStatus.STOPPED
    again = Flow(flow.world, flow.clock)
    app = again.submit()
    assert app.status == ApplicationStatus.SUBMITTED and app.pk != flow.app.pk


def test_the_flow_approves_on_the_day_the_constants_assume(flow):
    """DECIDED follows from the Flow: approval the day after the village notice ends."""
    in_force(flow)
    assert flow.refresh().decided_on == DECIDED


def test_transfer_during_a_gradual_exit_stops_before_the_grace_months_end(flow):
    entitlement = in_force(flow)
    flow.travel(LATER)
    review = propose(flow, report_income(flow, 30000).review, reasons="户主务工，收入超过标准。")
    decide(flow, review)  # paid December–May, stopped from June 2027
    flow.travel(D(2027, 1, 10))
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.EXITING
    with pytest.raises(ValidationFailed) as raised:
        entitlement_transfer_out(
            actor=flow.users["township"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
            moved_on=D(2027, 1, 5), destination="重庆市", effective_month=D(2026, 7, 1),
        )  # fmt: skip
    assert "2026年7月" in raised.value.field_errors["effective_month"][0]  # the grant's month
    entitlement_transfer_out(
        actor=flow.users["township"], entitlement_id=entitlement.pk, expected_version=entitlement.version,
        moved_on=D(2027, 1, 5), destination="重庆市",
    )  # fmt: skip
    paid = [amount_in_force_get(entitlement=entitlement, month=D(2027, m, 1)) for m in (1, 2, 6)]
    assert paid == [14400, 0, 0]
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED
