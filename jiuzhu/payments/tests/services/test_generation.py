"""Payroll generation: lines per case and month, idempotence, stops, quarters, back pay, recovery,
carry-over, draft refresh, overlaps and permissions."""

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import AmountChangeKind
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, PermissionDeniedError, TransitionNotAllowed
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import PayrollLine
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payment_outcomes_record, payroll_lock
from jiuzhu.payments.tests.conftest import APR, FEB, MAR, MAY, STANDARD, at, change_amount, set_policy
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, TOWNSHIP, VILLAGE_A

pytestmark = pytest.mark.django_db


def generate(users, month, region=COUNTY, who="county_officer"):
    return payroll_generate(actor=users[who], program_code="dibao_rural", region_code=region, month=month)


def lines_of(payroll):
    return sorted(
        PayrollLine.objects.filter(payroll=payroll).values_list("entitlement_id", "month", "kind", "amount_fen")
    )


def lock(users, payroll):
    return payroll_lock(actor=users["finance"], payroll_id=payroll.pk, expected_version=payroll.version)


def test_one_line_per_case_in_force_and_a_rerun_adds_nothing(users, cases, clock):
    payroll = generate(users, FEB)
    everyone = sorted(i for ids in cases.values() for i in ids)
    assert lines_of(payroll) == [(i, FEB, "regular", STANDARD) for i in everyone]
    assert (payroll.line_count, payroll.household_count, payroll.total_fen) == (7, 7, 7 * STANDARD)
    again = generate(users, FEB)
    assert again.pk == payroll.pk and PayrollLine.objects.count() == 7
    event = AuditEvent.objects.filter(event_type=AuditEventType.PAYROLL_GENERATED).last()
    assert event.after["lines"] == 7 and event.after["regular_added"] == 0


def test_nothing_before_the_first_month_or_after_a_stop(users, cases, clock):
    january = generate(users, datetime.date(2026, 1, 1))
    assert january.line_count == 0
    assert generate(users, FEB).line_count == 7
    stopped = cases[VILLAGE_A][0]
    change_amount(users, stopped, MAR, 0, kind=AmountChangeKind.STOP)
    clock.move_to(at(datetime.date(2026, 2, 25)))
    march = generate(users, MAR)
    assert stopped not in {line[0] for line in lines_of(march)}
    assert march.line_count == 6


def test_a_month_without_payroll_is_paid_as_back_pay_next_time(users, cases, clock):
    generate(users, FEB)
    clock.move_to(at(datetime.date(2026, 3, 25)))
    april = generate(users, APR)  # March was never generated
    arrears = [line for line in lines_of(april) if line[2] == "arrears"]
    assert len(arrears) == 7 and {line[1] for line in arrears} == {MAR}


def test_a_township_payroll_covers_its_villages_only(users, cases, clock):
    payroll = generate(users, FEB, region=TOWNSHIP)
    assert {line[0] for line in lines_of(payroll)} == set(cases[VILLAGE_A] + cases["511723105202"])


def test_quarterly_payroll_pays_each_month_at_its_amount(users, cases, clock):
    set_policy(users, effective_from=datetime.date(2026, 1, 1), payment_frequency="quarterly")
    target = cases[VILLAGE_A][0]
    change_amount(users, target, MAY, 5000)
    payroll = generate(users, MAY)
    assert (payroll.period_start, payroll.months, payroll.pay_on) == (APR, 3, datetime.date(2026, 4, 10))
    mine = [line for line in lines_of(payroll) if line[0] == target]
    assert [(m.month, amount) for _id, m, _kind, amount in mine] == [(4, 7200), (5, 5000), (6, 5000)]
    assert payroll.line_count == 21


def test_back_pay_recovery_after_a_change_recorded_late(users, cases, clock):
    lock(users, generate(users, FEB))
    clock.move_to(at(datetime.date(2026, 2, 25)))
    lock(users, generate(users, MAR))
    clock.move_to(at(datetime.date(2026, 3, 20)))
    up, down = cases[VILLAGE_A][0], cases[VILLAGE_A][1]
    change_amount(users, up, MAR, 9000, kind=AmountChangeKind.INCREASE)  # decided late, effective March
    change_amount(users, down, MAR, 5000)
    clock.move_to(at(datetime.date(2026, 3, 25)))
    april = generate(users, APR)
    adjustments = [line for line in lines_of(april) if line[2] != "regular"]
    assert adjustments == sorted([(up, MAR, "arrears", 1800), (down, MAR, "recovery", -2200)])
    assert (up, APR, "regular", 9000) in lines_of(april)
    assert april.total_fen == 5 * STANDARD + 9000 + 5000 + 1800 - 2200
    # Generating the same draft again changes nothing; the next month owes nothing more.
    assert lines_of(generate(users, APR)) == lines_of(april)
    with pytest.raises(ConflictError):  # the page showed the payroll before it was generated again
        lock(users, april)
    april.refresh_from_db()
    lock(users, april)
    clock.move_to(at(datetime.date(2026, 4, 25)))
    may = generate(users, MAY)
    assert [line for line in lines_of(may) if line[2] != "regular"] == []


def test_a_failed_payment_is_carried_over_once(users, cases, clock):
    february = lock(users, generate(users, FEB))
    line_ids = dict(PayrollLine.objects.filter(payroll=february).values_list("entitlement_id", "pk"))
    failed_case = cases[VILLAGE_A][2]
    outcomes = {pk: ("paid", "") for pk in line_ids.values()}
    outcomes[line_ids[failed_case]] = ("failed", "账户已销户")
    settled = payment_outcomes_record(actor=users["finance"], payroll_id=february.pk, outcomes=outcomes)
    assert settled.status == PayrollStatus.RECONCILED
    clock.move_to(at(datetime.date(2026, 2, 25)))
    march = generate(users, MAR)
    assert [line for line in lines_of(march) if line[2] != "regular"] == [(failed_case, FEB, "carry_over", STANDARD)]
    lock(users, march)
    clock.move_to(at(datetime.date(2026, 3, 25)))
    april = generate(users, APR)
    assert [line for line in lines_of(april) if line[2] != "regular"] == []


def test_a_draft_rerun_follows_changes_in_its_own_period(users, cases, clock):
    march = generate(users, MAR)
    changed, stopped = cases[VILLAGE_A][0], cases[VILLAGE_A][1]
    change_amount(users, changed, MAR, 6000)
    change_amount(users, stopped, MAR, 0, kind=AmountChangeKind.STOP)
    march = generate(users, MAR)
    amounts = {line[0]: line[3] for line in lines_of(march)}
    assert amounts[changed] == 6000 and stopped not in amounts
    assert march.total_fen == 5 * STANDARD + 6000


def test_locked_payroll_is_not_generated_again(users, cases, clock):
    lock(users, generate(users, FEB))
    with pytest.raises(TransitionNotAllowed) as error:
        generate(users, FEB)
    assert "已锁定" in error.value.user_message


def test_overlapping_payrolls_are_refused(users, cases, clock):
    generate(users, FEB, region=TOWNSHIP)
    with pytest.raises(ConflictError) as error:
        generate(users, FEB)  # the county contains the township
    assert "重叠" in error.value.user_message
    generate(users, FEB, region=OTHER_TOWNSHIP_VILLAGE[:9])  # the other township does not overlap


def test_who_may_generate(users, cases, clock):
    with pytest.raises(PermissionDeniedError):
        generate(users, FEB, who="coordinator_a")
    with pytest.raises(PermissionDeniedError):
        generate(users, FEB, who="finance")
    with pytest.raises(NotFoundOrNoAccess):
        payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code="5101", month=FEB)
