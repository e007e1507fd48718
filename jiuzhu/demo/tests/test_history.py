"""The demo town's dibao history, made by `jiuzhu demo` with the workflow services, counted from the
case records (applications, decisions, benefits and their amount history) — never from the plan.

The 2012 figures of the seed (DEMO.md) must come out as of 2012-12-31, and the town must be carried
on to today with a current to-do list. One build (about three minutes), so one test; it runs on
SQLite, the database the quick start builds the demo in (the services themselves are tested on both).
"""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q, Sum
from django.utils import timezone

from jiuzhu.accounts.models import User
from jiuzhu.cases.choices import AmountChangeKind, DecisionOutcome, ReviewStatus, Step
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, Review, StatusChange
from jiuzhu.cases.review_selectors import reviews_owed_by
from jiuzhu.cases.selectors import amount_in_force_get, household_facts_get
from jiuzhu.demo.verification import PROVIDERS
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.reports.selectors import monthly_report
from jiuzhu.verification.models import ExternalDataset, Flag

YEAR_END = datetime.date(2012, 12, 31)
# The roll at the end of 2012: households approved in December are paid from January, and those
# stopped in December are not; nothing decided in 2013 takes effect before February.
ROLL_MONTH = datetime.date(2013, 1, 1)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the demo is built on SQLite; services run on both"),
]


def _members_paid(change: AmountChange) -> int:
    """Persons covered by the decision or review behind an amount entry."""
    if change.review_id:
        return change.review.member_count
    assert change.decision is not None
    return change.decision.member_count


def _in_force_on(month: datetime.date) -> dict[str, tuple[int, int, int]]:
    """(households, persons, fen a month) paid per programme in `month`."""
    figures: dict[str, list[int]] = {}
    for entitlement in Entitlement.objects.select_related("program"):
        amount = amount_in_force_get(entitlement=entitlement, month=month)
        if amount == 0:
            continue
        latest = (
            AmountChange.objects.filter(entitlement=entitlement, effective_month__lte=month)
            .select_related("review", "decision")
            .order_by("-effective_month", "-id")
            .first()
        )
        assert latest is not None
        row = figures.setdefault(entitlement.program.code, [0, 0, 0])
        row[0] += 1
        row[1] += _members_paid(latest)
        row[2] += amount
    return {code: (h, p, f) for code, (h, p, f) in figures.items()}


def _payrolls_pay_the_roll(roll: dict[str, tuple[int, int, int]]) -> None:
    """The town's payrolls (demo/payments.py): quarterly through the credit union in 2012, monthly
    from 2013; the first monthly payroll pays exactly the year-end roll."""
    quarters = Payroll.objects.filter(region__code="511723105", period_start__year=2012)
    assert sorted(quarters.values_list("period_start__month", "months", "program__code")) == sorted(
        (month, 3, code) for month in (1, 4, 7, 10) for code in ("dibao_urban", "dibao_rural")
    )
    assert set(quarters.values_list("status", flat=True)) == {PayrollStatus.RECONCILED}
    # The credit union returned two payments of the first quarter as failed: carried over in the second.
    failed = PaymentOutcome.objects.filter(status="failed", line__payroll__period_start=datetime.date(2012, 1, 1))
    households = set(failed.values_list("line__household_id", flat=True))
    assert len(households) == 2
    carried = PayrollLine.objects.filter(payroll__period_start=datetime.date(2012, 4, 1), kind="carry_over")
    assert set(carried.values_list("household_id", flat=True)) == households
    assert (
        carried.aggregate(total=Sum("amount_fen"))["total"] == failed.aggregate(total=Sum("line__amount_fen"))["total"]
    )
    for code, (households_paid, _persons, fen) in roll.items():
        january = PayrollLine.objects.filter(
            payroll__program__code=code, payroll__period_start=ROLL_MONTH, payroll__months=1, kind="regular"
        )
        assert january.values("household_id").distinct().count() == households_paid
        assert january.aggregate(total=Sum("amount_fen"))["total"] == fen
    # Every month since is paid and reconciled; this month's bank file is out, its return not yet in.
    today = timezone.localdate()
    monthly = Payroll.objects.filter(region__code="511723105", period_start__gte=ROLL_MONTH)
    months = (today.year - 2013) * 12 + today.month
    assert monthly.filter(program__code="dibao_rural").count() == months
    current = monthly.filter(period_start=today.replace(day=1))
    assert set(current.values_list("status", flat=True)) == {PayrollStatus.EXPORTED}
    assert not monthly.exclude(period_start=today.replace(day=1)).exclude(status=PayrollStatus.RECONCILED).exists()


def test_the_demo_history_reproduces_2012_and_reaches_today():
    out = StringIO()
    call_command("demo", stdout=out)
    output = out.getvalue()
    assert re.search(r"\[\s*\d+\.\ds\] 2012-01-01 存量对象建档", output)  # progress with the time taken

    # Beneficiaries and monthly amounts on the roll at the end of 2012 (DEMO.md).
    assert (
        not AmountChange.objects.filter(effective_month__lte=ROLL_MONTH, recorded_at__year__gt=2012)
        .filter(Q(decision__decided_on__gt=YEAR_END) | Q(review__decided_on__gt=YEAR_END))
        .exists()
    )
    roll = _in_force_on(ROLL_MONTH)
    assert roll["dibao_urban"] == (261, 274, 4_580_500)
    assert roll["dibao_rural"] == (2680, 2768, 20_249_800)
    _payrolls_pay_the_roll(roll)

    # Rural dibao in 2012: 891 persons newly approved, 14 households changed, 128 persons cancelled.
    new_2012 = Decision.objects.filter(
        outcome=DecisionOutcome.APPROVED, decided_on__year=2012, application__program__code="dibao_rural"
    )
    assert sum(new_2012.values_list("member_count", flat=True)) == 891
    assert not StatusChange.objects.filter(step=Step.ONBOARD, application__decided_on__year=2012).exists()
    changed = AmountChange.objects.filter(
        kind__in=[AmountChangeKind.INCREASE, AmountChangeKind.DECREASE],
        review__decided_on__year=2012,
        entitlement__program__code="dibao_rural",
    )
    assert changed.values("entitlement__household_id").distinct().count() == 14
    stops = AmountChange.objects.filter(kind=AmountChangeKind.STOP, review__decided_on__year=2012).select_related(
        "entitlement"
    )
    cancelled_persons = 0
    for stop in stops:
        before = (
            AmountChange.objects.filter(entitlement=stop.entitlement, effective_month__lt=stop.effective_month)
            .select_related("review", "decision")
            .order_by("-effective_month", "-id")
            .first()
        )
        assert before is not None
        cancelled_persons += _members_paid(before)
    assert (stops.count(), cancelled_persons) == (117, 128)

    # Applications filed and awaiting decision at the end of 2012: 55 persons.
    waiting = Application.objects.filter(submitted_on__lte=YEAR_END).filter(
        Q(decided_on__isnull=True) | Q(decided_on__gt=YEAR_END)
    )
    persons = 0
    for application in waiting.select_related("region", "program"):
        policy = dibao_policy_get(
            region_code=application.region.code, program_code=application.program.code, on=YEAR_END
        )
        facts = household_facts_get(household_id=application.household_id, as_of=YEAR_END)
        persons += assess_dibao(facts, policy, YEAR_END).counted_member_count
    assert (waiting.count(), persons) == (50, 55)

    # Carried on to today: nothing from 2012 is left undecided, reviews were done on time, and the
    # reviews falling due now are on the coordinators' lists.
    today = timezone.localdate()
    assert (
        not Application.objects.filter(submitted_on__lte=YEAR_END, decided_on__isnull=True)
        .exclude(status="in_force")
        .exists()
    )
    assert Review.objects.filter(status=ReviewStatus.DECIDED, decided_on__year=today.year - 1).count() > 2000
    open_now = Review.objects.filter(status=ReviewStatus.OPEN)
    assert 0 < open_now.count() < 400
    assert not open_now.filter(due_on__lt=today.replace(day=1)).exists()  # none left over from earlier months
    coordinator = User.objects.get(username="coordinator")
    assert list(reviews_owed_by(actor=coordinator))

    # The cross-check (清理核查): the agencies' files were imported with the import services, two rows
    # with mistakes left out and listed, and a sweep of the town flagged one household per check.
    datasets = ExternalDataset.objects.filter(provider__in=PROVIDERS.values())
    assert datasets.count() == len(PROVIDERS) and set(datasets.values_list("status", flat=True)) == {"imported"}
    assert sum(datasets.values_list("invalid_count", flat=True)) == 2
    flagged = sorted(Flag.objects.values_list("check_code", flat=True))
    assert flagged == sorted(
        ["death_still_paid", "moved_out", "vehicle", "dwellings", "business", "income_above_line",
         "deposits_above_limit", "cadre_relative_unfiled"]
    )  # fmt: skip
    assert "交叉核查：导入部门数据 7 批" in out.getvalue()

    # The monthly statistics report, from the month-end snapshots the demo builds, says the same: the
    # roll of January 2013, and 2012's movements summed over its twelve months.
    approver = User.objects.get(username="approver")
    january = monthly_report(actor=approver, region_code="511723", month=ROLL_MONTH)
    for code in ("dibao_urban", "dibao_rural"):
        figures = january.total.figures(code)
        assert (figures.households, figures.persons, figures.amount_fen) == roll[code]
    december = monthly_report(actor=approver, region_code="511723", month=datetime.date(2012, 12, 1))
    assert december.missing_months == []
    year = december.total.to_date("dibao_rural")
    assert (year.new_persons, year.changed_households, year.changed_persons) == (891, 14, 14)
    assert (year.stopped_households, year.stopped_persons) == (117, 128)
    assert "月末统计快照" in output

    # Dibao-edge households: the refused households the rules put between the standard and the edge
    # line were recognised with the service, and again each year while they still qualify; this
    # month's report counts those whose recognition is valid on its last day.
    assert re.search(r"低保边缘家庭：因收入不予批准的家庭经核算认定 \d+ 户", output)
    recognitions = NearPoorHousehold.objects.select_related("application__decision")
    assert recognitions.exists()
    for row in recognitions:
        assert row.assessment["is_near_poor"] and row.standard_fen <= row.per_capita_income_fen < row.line_fen
        assert row.application.decision.outcome == DecisionOutcome.REFUSED
    this_month = today.replace(day=1)
    last_day = (this_month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    now = monthly_report(actor=approver, region_code="511723", month=this_month).total
    valid = [r for r in recognitions if r.in_force_on(last_day)]
    assert sum(now.figures(code).households for code in ("near_poor_urban", "near_poor_rural")) == len(valid)
    # …and the 三无 members of the benefits in force are counted from the registry's facts.
    assert january.total.figures("dibao_rural").three_no > 0
