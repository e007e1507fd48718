"""What a review of the statistics found, each kept fixed: approvals published in a later month, money
paid later for an earlier month, withdrawn applications, January approvals at the year's end, standards
of programmes without cases, and areas that do not exist."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    DecisionOutcome,
    EntitlementStatus,
    Step,
)
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, StatusChange
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.payments.choices import OutcomeStatus, PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.programs.models import Program
from jiuzhu.regions.models import Region
from jiuzhu.reports.models import SnapshotCase
from jiuzhu.reports.selectors import monthly_report
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.summary import build_work_summary
from jiuzhu.reports.tests.fixtures import MARCH, _household, _review, build_county
from jiuzhu.reports.tests.test_snapshots import TODAY
from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A

pytestmark = pytest.mark.django_db
APRIL = datetime.date(2026, 4, 1)


def _build(county, month):  # type: ignore[no-untyped-def]
    return snapshot_build(actor=county.actor, region_code=COUNTY, month=month, today=TODAY)


def _application(county, household, decided_on, *, status=ApplicationStatus.APPROVED):  # type: ignore[no-untyped-def]
    return Application.objects.create(
        household=household, region=household.region, program=Program.objects.get(code="dibao_rural"),
        applicant=household.head, status=status, submitted_on=datetime.date(2026, 2, 1), decided_on=decided_on,
        created_by=county.actor,
    )  # fmt: skip


def test_an_approval_published_the_next_month_is_new_in_its_own_month(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    household = _household(county.actor, regions[VILLAGE_A], "庚", [("head", datetime.date(1985, 1, 1), None)])
    application = _application(county, household, datetime.date(2026, 3, 30))
    Decision.objects.create(
        application=application, outcome=DecisionOutcome.APPROVED, decided_on=datetime.date(2026, 3, 30),
        decided_by=county.actor, monthly_amount_fen=50_000, first_payment_month=APRIL, member_count=2, lines=[],
    )  # fmt: skip
    march = _build(county, MARCH)  # at the end of March it has no benefit yet: published on 2 April
    row = SnapshotCase.objects.get(snapshot=march, application=application)
    assert row.entitlement_id is None and (row.new_households, row.new_persons, row.households) == (1, 2, 0)
    figures = monthly_report(actor=county.actor, region_code=COUNTY, month=MARCH).total.figures("dibao_rural")
    assert (figures.new_households, figures.new_persons) == (2, 3)  # A2 (1 person) and 庚 (2)


def test_money_is_counted_in_the_month_it_is_paid(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)  # March: A1's 900 paid, B1's 600 returned as failed
    b1 = county.entitlements["B1"]
    april = Payroll.objects.create(
        program=b1.program, region=Region.objects.get(code=COUNTY), period_start=APRIL, months=1,
        pay_on=datetime.date(2026, 4, 10), status=PayrollStatus.RECONCILED, created_by=county.actor,
    )  # fmt: skip
    carried = PayrollLine.objects.create(
        payroll=april, entitlement=b1, household_id=b1.household_id, program_id=b1.program_id, region_id=b1.region_id,
        month=MARCH, kind="carry_over", amount_fen=60_000,
    )  # fmt: skip
    PaymentOutcome.objects.create(line=carried, status=OutcomeStatus.PAID)
    _build(county, MARCH)
    _build(county, APRIL)
    report = monthly_report(actor=county.actor, region_code=COUNTY, month=APRIL)
    assert report.total.figures("dibao_rural").paid_fen == 60_000  # March's money, paid in April
    assert report.total.to_date("dibao_rural").paid_fen == 150_000


def test_withdrawn_applications_do_not_wait_and_january_approvals_are_not_on_last_years_roll(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    withdrawn = _household(county.actor, regions[VILLAGE_A], "辛", [("head", datetime.date(1970, 1, 1), None)])
    application = _application(county, withdrawn, None, status=ApplicationStatus.WITHDRAWN)
    StatusChange.objects.create(
        application=application, step=Step.WITHDRAW, from_status=ApplicationStatus.SUBMITTED,
        to_status=ApplicationStatus.WITHDRAWN, occurred_on=datetime.date(2025, 11, 3),
        occurred_at=datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC), actor=county.actor,
    )  # fmt: skip
    january = _household(county.actor, regions[VILLAGE_A], "壬", [("head", datetime.date(1960, 1, 1), None)])
    approved = _application(county, january, datetime.date(2026, 1, 20), status=ApplicationStatus.IN_FORCE)
    decision = Decision.objects.create(
        application=approved, outcome=DecisionOutcome.APPROVED, decided_on=datetime.date(2026, 1, 20),
        decided_by=county.actor, monthly_amount_fen=70_000, first_payment_month=datetime.date(2026, 1, 1),
        member_count=1, lines=[],
    )  # fmt: skip
    benefit = Entitlement.objects.create(
        application=approved, household=january, program=approved.program, region=january.region,
        first_month=datetime.date(2026, 1, 1), status=EntitlementStatus.ACTIVE, monthly_amount_fen=70_000,
    )  # fmt: skip
    AmountChange.objects.create(
        entitlement=benefit, effective_month=datetime.date(2026, 1, 1), amount_fen=70_000,
        kind=AmountChangeKind.GRANT, reason="批准", decision=decision, recorded_by=county.actor,
    )  # fmt: skip
    for month in [datetime.date(2025, m, 1) for m in range(1, 13)] + [datetime.date(2026, 1, 1)]:
        _build(county, month)
    summary = build_work_summary(region=Region.objects.get(code=COUNTY), year=2025)
    roll, moves, *_ = ["".join(p.text for p in paragraph) for paragraph in summary.sections[0].paragraphs]
    assert "农村低保对象2户5人，月发放低保金1500元" in roll  # A1 and B1; 壬 was approved on 20 January
    assert "年末已申报待审批0户0人" in moves  # 辛 withdrew in November


def test_a_programme_without_cases_still_has_its_standard(regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    for month in (datetime.date(2025, 12, 1), datetime.date(2026, 1, 1)):
        _build(county, month)
    township = build_work_summary(region=Region.objects.get(code=TOWNSHIP), year=2025)  # no urban cases here
    money = "".join(p.text for p in township.sections[0].paragraphs[2])
    assert "城市低保标准为900元/人·月，农村低保标准为800元/人·月" in money


def test_an_area_that_does_not_exist_is_not_found(regions, users):  # type: ignore[no-untyped-def]
    build_county(regions)
    with pytest.raises(NotFoundOrNoAccess):
        monthly_report(actor=users["county_officer"], region_code=TOWNSHIP + "209", month=MARCH)
    with pytest.raises(NotFoundOrNoAccess):
        snapshot_build(actor=users["county_officer"], region_code=TOWNSHIP + "209", month=MARCH, today=TODAY)


def test_two_changes_in_a_month_count_the_persons_once(regions):  # type: ignore[no-untyped-def]
    """A1 is raised on 5 March (3 persons, from April) and, on 25 March, a member leaves (2 persons,
    from May): March counts one household changed and one person, not 3 + 1."""
    county = build_county(regions)
    _review(
        county.actor, county.entitlements["A1"], datetime.date(2026, 3, 25), 2, 90_000, datetime.date(2026, 5, 1),
        AmountChangeKind.DECREASE,
    )  # fmt: skip
    row = SnapshotCase.objects.get(snapshot=_build(county, MARCH), household=county.households["A1"])
    assert (row.changed_households, row.changed_persons) == (1, 1)
