import datetime

import pytest

from jiuzhu.payments.rules import (
    LineKind,
    PaidLine,
    Period,
    adjustments_owed,
    amount_for_month,
    months_between,
    period_for,
)

D = datetime.date


@pytest.mark.parametrize(
    ("month", "frequency", "start", "months", "label"),
    [
        (D(2012, 5, 17), "monthly", D(2012, 5, 1), 1, "2012年5月"),
        (D(2012, 5, 17), "quarterly", D(2012, 4, 1), 3, "2012年第2季度"),
        (D(2012, 1, 1), "quarterly", D(2012, 1, 1), 3, "2012年第1季度"),
        (D(2012, 12, 31), "quarterly", D(2012, 10, 1), 3, "2012年第4季度"),
    ],
)
def test_period_for(month, frequency, start, months, label):
    period = period_for(month, frequency)
    assert (period.start, period.months, period.label()) == (start, months, label)


def test_quarter_months_and_end():
    period = Period(D(2012, 10, 1), 3)
    assert period.month_list == [D(2012, 10, 1), D(2012, 11, 1), D(2012, 12, 1)]
    assert period.end == D(2013, 1, 1)
    assert months_between(D(2012, 11, 15), D(2013, 2, 1)) == [D(2012, 11, 1), D(2012, 12, 1), D(2013, 1, 1)]


def test_amount_for_month_takes_the_latest_change_on_or_before():
    changes = [(D(2026, 5, 1), 0), (D(2026, 2, 1), 7200), (D(2026, 4, 1), 5000)]
    assert [amount_for_month(changes, D(2026, m, 1)) for m in (1, 2, 3, 4, 5, 6)] == [0, 7200, 7200, 5000, 0, 0]


def test_nothing_owed_when_paid():
    changes = [(D(2026, 2, 1), 7200)]
    lines = [PaidLine(D(2026, 2, 1), 7200), PaidLine(D(2026, 3, 1), 7200)]
    assert adjustments_owed(changes=changes, lines=lines, months=[D(2026, 2, 1), D(2026, 3, 1)]) == []


def test_back_dated_grant_is_back_pay():
    changes = [(D(2026, 2, 1), 7200)]
    owed = adjustments_owed(changes=changes, lines=[], months=[D(2026, 2, 1), D(2026, 3, 1)])
    assert [(a.month.month, a.amount_fen, a.kind) for a in owed] == [
        (2, 7200, LineKind.ARREARS),
        (3, 7200, LineKind.ARREARS),
    ]


def test_back_dated_decrease_is_a_recovery_and_increase_back_pay():
    changes = [(D(2026, 2, 1), 7200), (D(2026, 3, 1), 5000), (D(2026, 4, 1), 8000)]
    lines = [PaidLine(D(2026, m, 1), 7200) for m in (2, 3, 4)]
    owed = adjustments_owed(changes=changes, lines=lines, months=[D(2026, m, 1) for m in (2, 3, 4)])
    assert [(a.month.month, a.amount_fen, a.kind) for a in owed] == [
        (3, -2200, LineKind.RECOVERY),
        (4, 800, LineKind.ARREARS),
    ]


def test_failed_payment_carries_over_and_counts_earlier_adjustments():
    changes = [(D(2026, 2, 1), 7200)]
    lines = [PaidLine(D(2026, 2, 1), 7200, failed=True), PaidLine(D(2026, 3, 1), 7000), PaidLine(D(2026, 3, 1), 200)]
    owed = adjustments_owed(changes=changes, lines=lines, months=[D(2026, 2, 1), D(2026, 3, 1)])
    assert [(a.month.month, a.amount_fen, a.kind) for a in owed] == [(2, 7200, LineKind.CARRY_OVER)]
