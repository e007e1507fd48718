"""The demo town's dibao history, made by the real services from go-live (1 January 2012) to today.

- 1 January 2012: the existing caseload (households on dibao before 2012) is onboarded
  (`cases.services.onboarding`), amounts worked out by the calculator.
- 2012: every new household goes through the whole application workflow on the dates its plan gives
  (intake by the village coordinator, acceptance, verification, a home visit by two staff, the
  township's opinion, the village notice, forwarding, the county's approval, publication); deaths,
  members joining, incomes rising and verification findings go through the dynamic-management
  services (reviews, increases, decreases, stops); periodic reviews fall due and are confirmed; the
  55 applications of November and December are taken and left undecided at the year end.
- 2013 to today: those 55 are decided, and every month's periodic reviews are confirmed, except the
  ones falling due in the present month, which stay on the coordinators' to-do lists.

Nothing here writes a case row itself: every change is a service call, with its audit trail.
"""

from __future__ import annotations

import datetime
import functools
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.accounts.services import user_create
from jiuzhu.cases.choices import EntitlementStatus, ReviewOutcome, ReviewStatus, Step
from jiuzhu.cases.models import Application, Entitlement, Review
from jiuzhu.cases.services.batch_steps import (
    StepBatchResult,
    applications_forward_many,
    applications_publish_many,
    notices_start_many,
)
from jiuzhu.cases.services.decision import application_approve, application_publish, application_refuse
from jiuzhu.cases.services.dynamic import review_decide, review_open, review_propose
from jiuzhu.cases.services.dynamic_batch import reviews_confirm_no_change_batch, reviews_due_open
from jiuzhu.cases.services.dynamic_events import member_death_record
from jiuzhu.cases.services.intake import application_accept, application_submit
from jiuzhu.cases.services.investigation import (
    cadre_filing_record,
    home_visit_record,
    verification_request,
    verification_result_record,
)
from jiuzhu.cases.services.onboarding import OnboardItem, entitlements_onboard
from jiuzhu.cases.services.review import application_forward, notice_start, township_opinion_give
from jiuzhu.cases.workflow import UNDECIDED_STATUSES
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.demo.calibrate import GO_LIVE
from jiuzhu.demo.models import Cohort, Dataset, DemoHousehold
from jiuzhu.demo.names import random_full_name
from jiuzhu.demo.payments import BANK_FILE_MONTHS, DemoPayments, quarter_starts
from jiuzhu.demo.plan import DIED, MEMBER_ADDED, MEMBER_DIED
from jiuzhu.demo.town import TOWN_VILLAGES
from jiuzhu.programs.rules.dynamic import add_months, month_of
from jiuzhu.programs.selectors import configuration_held
from jiuzhu.regions.models import Region
from jiuzhu.registry.models import Person

YEAR_END = datetime.date(2012, 12, 31)
NEXT_YEAR = datetime.date(2013, 1, 4)  # the first working day of 2013
MATERIALS = ("application_form", "id_cards", "hukou_book", "income_proof")
ONBOARD_REASON = "讲治镇低保对象纸质台账（2011年12月全面核查），系统上线时建档"
Progress = Callable[[str], None]


@dataclass
class Staff:
    coordinators: dict[str, User]  # village code → its coordinator (协理员)
    township: User
    county: User
    approver: User
    versions: dict[int, int] = field(default_factory=dict)  # application id → its version now

    def next_version(self, application_id: int) -> int:
        """The version a step on the application must expect; every step adds one."""
        if application_id not in self.versions:
            self.versions[application_id] = Application.objects.values_list("version", flat=True).get(pk=application_id)
        version = self.versions[application_id]
        self.versions[application_id] = version + 1
        return version


@dataclass
class HistoryResult:
    onboarded: int = 0
    approved: int = 0
    refused: int = 0
    changed: int = 0
    stopped: int = 0
    pending_2012: int = 0
    reviews_confirmed: int = 0
    reviews_open: int = 0


def demo_village_staff_ensure() -> dict[str, User]:
    """A coordinator for every village of 讲治镇 (the two demo logins plus one per other village)."""
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for c, _n in TOWN_VILLAGES])}
    existing = {
        u.region.code: u
        for u in User.objects.filter(role=Role.COORDINATOR, region__in=regions.values()).select_related("region")
        if u.region is not None
    }
    rng = random.Random(2012)
    for code, _name in TOWN_VILLAGES:
        if code not in existing:
            existing[code] = user_create(  # no password: an administrator sets one when it is needed
                actor=None,
                username=f"coordinator{code[-3:]}",
                password=None,
                role=Role.COORDINATOR,
                region=regions[code],
                full_name=random_full_name(rng, male=rng.random() < 0.5, birth_year=rng.randint(1965, 1988)),
            )
    return existing


def _staff() -> Staff:
    users = {u.username: u for u in User.objects.filter(username__in=["township", "county", "approver"])}
    return Staff(demo_village_staff_ensure(), users["township"], users["county"], users["approver"])


def _take_application(staff: Staff, household_id: int, village: str, submitted: datetime.date) -> Application:
    head = Person.objects.filter(household_id=household_id, relation="head").values_list("pk", flat=True).get()
    return application_submit(
        actor=staff.coordinators[village],
        household_id=household_id,
        applicant_id=head,
        materials_provided=_materials(household_id),
        authorisation_signed_on=submitted,
        authorisation_signers=list(Person.objects.filter(household_id=household_id).values_list("name", flat=True)),
        promise_signed_on=submitted,
        submitted_on=submitted,
    )


def _materials(household_id: int) -> list[str]:
    members = Person.objects.filter(household_id=household_id, death_date__isnull=True)
    extra = []
    if any(p.disability_category for p in members):
        extra.append("disability_certificate")
    if any(p.has_serious_illness for p in members):
        extra.append("medical_record")
    return [*MATERIALS, *extra]


def _workflow_steps(
    staff: Staff, app: Application, village: str
) -> list[tuple[int, str, Callable[[datetime.date], Any]]]:
    """Acceptance to forwarding, with the day offset of each step from the application day."""
    coordinator = staff.coordinators[village]
    return [
        (
            1,
            "accept",
            lambda d: application_accept(
                actor=staff.township, application_id=app.pk, expected_version=staff.next_version(app.pk), accepted_on=d
            ),
        ),
        (
            1,
            "verification_request",
            lambda d: verification_request(
                actor=staff.township, application_id=app.pk, expected_version=staff.next_version(app.pk), requested_on=d
            ),
        ),
        (
            4,
            "home_visit",
            lambda d: home_visit_record(
                actor=coordinator,
                application_id=app.pk,
                expected_version=staff.next_version(app.pk),
                visited_on=d,
                findings="入户核实：家庭成员、收入与申报一致，住房简陋，无大额财产。",
                investigator_ids=[coordinator.pk, staff.township.pk],
            ),
        ),
        (
            8,
            "verification_result",
            lambda d: verification_result_record(
                actor=staff.county,
                application_id=app.pk,
                expected_version=staff.next_version(app.pk),
                passed=True,
                notes="经济状况核对未发现异常。",
                result_on=d,
            ),
        ),
        (
            10,
            "township_opinion",
            lambda d: township_opinion_give(
                actor=staff.township,
                application_id=app.pk,
                expected_version=staff.next_version(app.pk),
                agrees=True,
                text="经调查核实，家庭人均收入低于当地低保标准，同意纳入。",
                given_on=d,
            ),
        ),
        (
            11,
            "notice_start",
            lambda d: notice_start(
                actor=staff.township, application_id=app.pk, expected_version=staff.next_version(app.pk), starts_on=d
            ),
        ),
        (
            19,
            "forward",
            lambda d: application_forward(
                actor=staff.township, application_id=app.pk, expected_version=staff.next_version(app.pk), forwarded_on=d
            ),
        ),
    ]


Batch = Callable[[datetime.date, Step, int], None]
BATCHED = {"notice_start": Step.NOTICE_START, "forward": Step.FORWARD}  # the township's lists


def _investigate(
    staff: Staff,
    app: Application,
    village: str,
    start: datetime.date,
    *,
    upto: datetime.date,
    later: datetime.date | None = None,
    batch: Batch | None = None,
) -> None:
    """Take the steps from acceptance to forwarding that fall on or before `upto` (offsets from `start`);
    with `later`, the steps not yet taken are taken from that day on instead. With `batch`, the steps
    the township takes for lists of cases (notice, forwarding) are put on that day's list instead."""
    taken = set(app.status_changes.values_list("step", flat=True))
    remaining = [
        (offset, name, call) for offset, name, call in _workflow_steps(staff, app, village) if name not in taken
    ]
    shift = datetime.timedelta(0)
    if later is not None and remaining:  # resume: keep the steps' spacing, from `later` on
        shift = max(shift, later - (start + datetime.timedelta(days=remaining[0][0])))
    for offset, name, call in remaining:
        day = start + datetime.timedelta(days=offset) + shift
        if day > upto:
            break
        if batch is not None and name in BATCHED:
            batch(day, BATCHED[name], app.pk)
        else:
            call(day)


def _cadre_checks(staff: Staff, app: Application, on: datetime.date) -> None:
    """A member is a cadre's close relative: the township's separate filing and the county's own visit."""
    if not app.is_cadre_case:  # marked at intake and acceptance; the demo's families do not change in between
        return
    cadre_filing_record(
        actor=staff.township,
        application_id=app.pk,
        expected_version=staff.next_version(app.pk),
        note="申请家庭成员为村干部近亲属，已单独登记备案。",
        filed_on=on - datetime.timedelta(days=2),
    )
    home_visit_record(
        actor=staff.county,
        application_id=app.pk,
        expected_version=staff.next_version(app.pk),
        visited_on=on - datetime.timedelta(days=1),
        findings="县民政局入户核查：家庭情况属实。",
        investigator_ids=[staff.county.pk, staff.township.pk],
    )


def _approve(staff: Staff, app: Application, approved_on: datetime.date) -> None:
    _cadre_checks(staff, app, approved_on)
    application_approve(
        actor=staff.approver,
        application_id=app.pk,
        expected_version=staff.next_version(app.pk),
        decided_on=approved_on,
    )


def _decide(staff: Staff, app: Application, approved_on: datetime.date, *, approve: bool = True) -> None:
    if approve:
        _approve(staff, app, approved_on)
        application_publish(
            actor=staff.township,
            application_id=app.pk,
            expected_version=staff.next_version(app.pk),
            published_on=approved_on + datetime.timedelta(days=1),
        )
    else:
        application_refuse(
            actor=staff.approver,
            application_id=app.pk,
            expected_version=staff.next_version(app.pk),
            reason_codes=["income_above_standard"],
            reason_text="经核对，家庭有赡养义务人按月给付赡养费，家庭人均收入不低于当地低保标准。",
            decided_on=approved_on,
        )


_BATCH_SERVICES: dict[Step, Callable[..., StepBatchResult]] = {
    Step.NOTICE_START: lambda actor, items, day: notices_start_many(actor=actor, items=items, starts_on=day),
    Step.FORWARD: lambda actor, items, day: applications_forward_many(actor=actor, items=items, forwarded_on=day),
    Step.PUBLISH: lambda actor, items, day: applications_publish_many(actor=actor, items=items, published_on=day),
}


def _run_batch(staff: Staff, step: Step, day: datetime.date, items: dict[int, int]) -> None:
    """The township takes one step for the day's list of cases (the village notice list, the files
    forwarded, the month's publication)."""
    done = _BATCH_SERVICES[step](staff.township, items, day)
    if done.skipped:  # every case on the list was made ready for the step: a skip is a bug here
        raise RuntimeError(f"{step} {day}: {done.skipped}")


def _review_change(
    staff: Staff,
    entitlement: Entitlement,
    village: str,
    on: datetime.date,
    findings: str,
    *,
    outcome: str | None = None,
    reasons: str = "",
) -> Review:
    review = Review.objects.filter(entitlement=entitlement, status=ReviewStatus.OPEN).first() or review_open(
        actor=staff.township, entitlement_id=entitlement.pk, note=findings, event_on=on, opened_on=on
    )
    return _propose_and_decide(staff, review, village, on, findings, reasons=reasons, outcome=outcome)


def _propose_and_decide(
    staff: Staff,
    review: Review,
    village: str,
    on: datetime.date,
    findings: str,
    *,
    reasons: str = "",
    outcome: str | None = None,
) -> Review:
    """The village's coordinator proposes what the calculator gives (or `outcome`); a change goes to the
    county approver, who decides three days later."""
    review = review_propose(
        actor=staff.coordinators[village],
        review_id=review.pk,
        expected_version=review.version,
        findings=findings,
        reasons=reasons,
        outcome=outcome,
        proposed_on=on,
    )
    if review.status == ReviewStatus.PROPOSED:
        review = review_decide(
            actor=staff.approver,
            review_id=review.pk,
            expected_version=review.version,
            decided_on=on + datetime.timedelta(days=3),
        )
    return review


def _confirm_due_reviews(staff: Staff, day: datetime.date, result: HistoryResult, *, leave_open: bool) -> None:
    """Open the periodic reviews falling due by `day` and confirm those without a change."""
    reviews_due_open(actor=staff.township, today=day, lead_days=0)
    if leave_open:
        return
    ids = list(Review.objects.filter(status=ReviewStatus.OPEN, due_on__lte=day).values_list("pk", flat=True))
    if ids:
        done = reviews_confirm_no_change_batch(
            actor=staff.township, review_ids=ids, decided_on=day, note="定期复核：家庭情况无重大变化，维持原保障金额。"
        )
        result.reviews_confirmed += len(done.confirmed)
        for review_id in done.skipped:
            _settle(staff, Review.objects.select_related("entitlement__region").get(pk=review_id), day, result)


def _settle(staff: Staff, review: Review, day: datetime.date, result: HistoryResult) -> None:
    """A periodic review the batch could not confirm (the household's amount has changed, for example a
    member turned 70 or a child 18): the coordinator proposes what the calculator gives, the county decides."""
    _propose_and_decide(
        staff,
        review,
        review.entitlement.region.code,
        day,
        "定期复核：家庭成员年龄等情况变化，重新核算保障金额。",
        reasons="按现行标准重新核算，保障金额发生变化。",
    )
    result.changed += 1


def _cohort_rows(cohort: str) -> dict[int, tuple[str, dict[str, Any], int | None]]:
    rows: dict[int, tuple[str, dict[str, Any], int | None]] = {}
    for household_id, village, attrs, person_id in DemoHousehold.objects.filter(
        dataset=Dataset.TOWN, cohort=cohort
    ).values_list("household_id", "household__region__code", "attributes", "person_id"):
        rows.setdefault(household_id, (village, attrs, person_id))
    return rows


def demo_history_exists() -> bool:
    return Application.objects.filter(
        household_id__in=DemoHousehold.objects.filter(dataset=Dataset.TOWN).values("household_id")
    ).exists()


def demo_history_build(*, today: datetime.date | None = None, progress: Progress | None = None) -> HistoryResult:
    """Make 讲治镇's dibao history with the services (see the module text). Run once, after the town."""
    with configuration_held():  # the demo policy is set before and not changed here
        return _history_build(today=today, progress=progress)


def _history_build(*, today: datetime.date | None, progress: Progress | None) -> HistoryResult:
    today = today or timezone.localdate()
    say = progress or (lambda _text: None)
    staff = _staff()
    result = HistoryResult()
    urban, rural = _cohort_rows(Cohort.DIBAO_URBAN), _cohort_rows(Cohort.DIBAO_RURAL)
    cancelled, applicants = _cohort_rows(Cohort.DIBAO_CANCELLED), _cohort_rows(Cohort.DIBAO_APPLICANT)

    # 1 January 2012: the existing caseload.
    items = []
    for program, rows in (("dibao_urban", urban), ("dibao_rural", rural), ("dibao_rural", cancelled)):
        for household_id, (_village, attrs, _person) in sorted(rows.items()):
            approved_on = datetime.date.fromisoformat(attrs["approved_on"])
            if approved_on < GO_LIVE:
                items.append(OnboardItem(household_id, program, approved_on))
    entitlements_onboard(actor=staff.approver, items=items, go_live=GO_LIVE, reason=ONBOARD_REASON)
    result.onboarded = len(items)
    say(f"2012-01-01 存量对象建档 {len(items)} 户")
    payments = DemoPayments()

    # 2012, event by event in date order; the township's list steps run as one batch a day.
    queue: list[tuple[datetime.date, int, Callable[[], None]]] = []
    counter = itertools.count()
    lists: dict[tuple[datetime.date, Step], dict[int, int]] = {}

    def add(day: datetime.date, call: Callable[[], None]) -> None:
        heapq.heappush(queue, (day, next(counter), call))

    def batch(day: datetime.date, step: Step, application_id: int) -> None:
        if (day, step) not in lists:
            lists[(day, step)] = {}
            add(day, lambda: _run_batch(staff, step, day, lists.pop((day, step))))
        lists[(day, step)][application_id] = staff.next_version(application_id)

    for quarter in quarter_starts(2012):  # paid quarterly through the credit union, before the day's cases
        add(quarter, functools.partial(payments.pay, month_of(quarter), bank=True))
    total = 0
    for rows in (urban, rural):
        for household_id, (village, attrs, _person) in rows.items():
            approved_on = datetime.date.fromisoformat(attrs["approved_on"])
            if approved_on >= GO_LIVE:
                add(
                    approved_on - datetime.timedelta(days=28),
                    _new_case(staff, household_id, village, approved_on, result, add, batch),
                )
                total += 1
            if "change" in attrs:
                add(
                    datetime.date.fromisoformat(attrs["changed_on"]),
                    _change(staff, household_id, village, attrs, result),
                )
                total += 1
    for household_id, (village, attrs, person_id) in cancelled.items():
        add(
            datetime.date.fromisoformat(attrs["cancelled_on"]),
            _cancel(staff, household_id, village, attrs, person_id, result),
        )
        total += 1
    for household_id, (village, attrs, _person) in applicants.items():
        filed = datetime.date.fromisoformat(attrs["filed_on"])
        add(filed, _pending(staff, household_id, village, filed, result))
        total += 1

    month = month_of(GO_LIVE)
    done = 0
    while queue:
        day, _n, call = heapq.heappop(queue)
        while add_months(month, 1) <= day:
            month = add_months(month, 1)
            _confirm_due_reviews(staff, month, result, leave_open=False)
        call()
        done += 1
        if done % 500 == 0:
            say(f"{day.isoformat()} 已办理 {done} 件（含 {total} 户的申请和变动）")
    say(
        f"2012 年办理完毕：新批准 {result.approved} 户，变更 {result.changed} 户，"
        f"停保 {result.stopped} 户，年底待审批 {result.pending_2012} 户"
    )
    say(
        f"2012 年按季发放：发放名册 {payments.result.payrolls} 份，{payments.result.lines} 行，"
        f"信用社回盘失败 {payments.result.failed} 笔（下季结转）"
    )
    return result  # 2013 onwards: demo_history_continue


def _new_case(
    staff: Staff,
    household_id: int,
    village: str,
    approved_on: datetime.date,
    result: HistoryResult,
    add: Callable[[datetime.date, Callable[[], None]], None],
    batch: Batch,
) -> Callable[[], None]:
    """Intake to the township's opinion now; the notice and forwarding on the township's lists of their
    days; the county's approval on `approved_on`; publication on the next day's list."""

    def run() -> None:
        start = approved_on - datetime.timedelta(days=28)
        app = _take_application(staff, household_id, village, start)
        _investigate(staff, app, village, start, upto=approved_on, batch=batch)

        def approve() -> None:
            _approve(staff, app, approved_on)
            batch(approved_on + datetime.timedelta(days=1), Step.PUBLISH, app.pk)
            result.approved += 1

        add(approved_on, approve)

    return run


def _entitlement(household_id: int) -> Entitlement:
    return Entitlement.objects.get(
        household_id=household_id, status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.EXITING]
    )


def _change(
    staff: Staff, household_id: int, village: str, attrs: dict[str, Any], result: HistoryResult
) -> Callable[[], None]:
    def run() -> None:
        on = datetime.date.fromisoformat(attrs["changed_on"])
        change = attrs["change"]
        if change == MEMBER_DIED:
            died_on = datetime.date.fromisoformat(attrs["member_died_on"])
            spouse = Person.objects.get(household_id=household_id, relation="spouse", death_date__isnull=True)
            review = member_death_record(
                actor=staff.coordinators[village], person_id=spouse.pk, death_date=died_on, recorded_on=died_on
            )
            assert review is not None
            _propose_and_decide(
                staff,
                review,
                village,
                on,
                "配偶去世，家庭保障人数减为1人。",
                reasons="家庭成员死亡，保障人数减少，按规定减发。",
            )
        elif change == MEMBER_ADDED:
            _review_change(staff, _entitlement(household_id), village, on, "家庭新增成员，申请增加保障人数。")
        else:
            _review_change(
                staff,
                _entitlement(household_id),
                village,
                on,
                "家庭收入发生变化，重新核定保障金额。",
                reasons="家庭人均收入增加，按规定减发。",
            )
        result.changed += 1

    return run


def _cancel(
    staff: Staff, household_id: int, village: str, attrs: dict[str, Any], person_id: int | None, result: HistoryResult
) -> Callable[[], None]:
    def run() -> None:
        on = datetime.date.fromisoformat(attrs["cancelled_on"])
        if attrs.get("reason") == DIED:
            assert person_id is not None
            member_death_record(actor=staff.coordinators[village], person_id=person_id, death_date=on, recorded_on=on)
        else:
            detail = attrs.get("detail", "家庭经济状况发生变化")
            _review_change(
                staff,
                _entitlement(household_id),
                village,
                on,
                f"复核发现：{detail}。",
                outcome=ReviewOutcome.STOP,
                reasons=f"{detail}，家庭人均收入或财产超过规定，停发最低生活保障金。",
            )
        result.stopped += 1

    return run


def _pending(
    staff: Staff, household_id: int, village: str, filed: datetime.date, result: HistoryResult
) -> Callable[[], None]:
    def run() -> None:
        app = _take_application(staff, household_id, village, filed)
        _investigate(staff, app, village, filed, upto=YEAR_END)
        result.pending_2012 += 1

    return run


def demo_history_continue(*, today: datetime.date | None = None, progress: Progress | None = None) -> HistoryResult:
    """From 2013 to the present month: the applications of late 2012 decided, the periodic reviews of
    every month confirmed; the reviews falling due this month stay open on the to-do lists."""
    with configuration_held():
        return _history_continue(today=today, progress=progress)


def _history_continue(*, today: datetime.date | None, progress: Progress | None) -> HistoryResult:
    today = today or timezone.localdate()
    say = progress or (lambda _text: None)
    staff = _staff()
    result = HistoryResult()
    rng = random.Random(2013)
    pending = list(
        Application.objects.filter(
            submitted_on__lte=YEAR_END, decided_on__isnull=True, status__in=sorted(UNDECIDED_STATUSES)
        ).order_by("pk")
    )
    villages = dict(Region.objects.filter(pk__in=[a.region_id for a in pending]).values_list("pk", "code"))
    for app in pending:
        village = villages[app.region_id]
        resumed = NEXT_YEAR + datetime.timedelta(days=rng.randrange(0, 10))
        _investigate(staff, app, village, app.submitted_on, upto=today, later=resumed)
        decided_on = max(app.submitted_on + datetime.timedelta(days=28), resumed + datetime.timedelta(days=21))
        approve = rng.random() > 0.06
        try:
            _decide(staff, app, decided_on, approve=approve)
        except RuleViolation:  # the calculator finds the household above the standard
            staff.versions.pop(app.pk, None)  # the refused step did not change the application
            approve = False
            _decide(staff, app, decided_on, approve=False)
        if approve:
            result.approved += 1
        else:
            result.refused += 1
    say(f"2013 年初：2012 年底待审批的申请已审批，批准 {result.approved} 户，不予批准 {result.refused} 户")
    month = datetime.date(2013, 1, 1)
    current = month_of(today)
    payments = DemoPayments()
    while month < current:
        payments.pay(month, bank=add_months(month, BANK_FILE_MONTHS) >= current)
        _confirm_due_reviews(staff, month, result, leave_open=False)
        if month.month == 1:
            say(f"{month.year} 年定期复核完成（累计 {result.reviews_confirmed} 次）")
        month = add_months(month, 1)
    payments.pay(current, bank=True, returned=False)  # this month's bank file is out; no return yet
    say(f"2013 年起按月发放：发放名册 {payments.result.payrolls} 份，{payments.result.lines} 行")
    _confirm_due_reviews(staff, today, result, leave_open=True)
    result.reviews_open = Review.objects.filter(status=ReviewStatus.OPEN).count()
    say(f"当前待复核 {result.reviews_open} 户")
    return result
