"""The pure rules of dynamic management, table by table: review class, outcome, gradual exit, who decides."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.accounts.roles import Capability
from jiuzhu.cases.review_rules import (
    DECREASE,
    GRADUAL_EXIT,
    INCREASE,
    NO_CHANGE,
    STABLE,
    STOP,
    UNSTABLE,
    ClassIncome,
    ClassMember,
    allowed_overrides,
    decide_capabilities,
    derive_outcome,
    gradual_exit_stop_month,
    month_after_day,
    next_review_due,
    review_class_of,
    review_step_allowed,
)
from jiuzhu.programs.rules.dibao import HouseholdFacts, assess_dibao
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.programs.tests.factories import policy

D = datetime.date
ON = D(2026, 6, 1)


# --- Review class ------------------------------------------------------------------------------------------

CLASSES = [
    ("able adult", [ClassMember(D(1980, 1, 1))], [], UNSTABLE),
    ("aged 59", [ClassMember(D(1966, 6, 2))], [], UNSTABLE),
    ("aged 60", [ClassMember(D(1966, 6, 1))], [], STABLE),
    ("aged 15", [ClassMember(D(2010, 6, 2))], [], STABLE),
    ("aged 16", [ClassMember(D(2010, 6, 1))], [], UNSTABLE),
    ("partial ability", [ClassMember(D(1980, 1, 1), work_ability="partial")], [], STABLE),
    ("no ability", [ClassMember(D(1980, 1, 1), work_ability="none")], [], STABLE),
    ("student", [ClassMember(D(2005, 1, 1), is_fulltime_student=True)], [], STABLE),
    ("away", [ClassMember(D(1980, 1, 1), is_co_resident=False)], [], STABLE),
    ("deceased", [ClassMember(D(1980, 1, 1), death_date=D(2026, 5, 1))], [], STABLE),
    ("dies later", [ClassMember(D(1980, 1, 1), death_date=D(2026, 7, 1))], [], UNSTABLE),
    ("old with wages", [ClassMember(D(1950, 1, 1))], [ClassIncome("wages", 5000)], UNSTABLE),
    ("old with business", [ClassMember(D(1950, 1, 1))], [ClassIncome("business", 100)], UNSTABLE),
    ("old with pension", [ClassMember(D(1950, 1, 1))], [ClassIncome("pension", 50000)], STABLE),
    ("wages of 0", [ClassMember(D(1950, 1, 1))], [ClassIncome("wages", 0)], STABLE),
]


@pytest.mark.parametrize(("label", "members", "incomes", "expected"), CLASSES, ids=[c[0] for c in CLASSES])
def test_review_class(label, members, incomes, expected):
    assert review_class_of(members, incomes, ON) == expected


def test_next_review_by_class():
    assert next_review_due(D(2026, 6, 9), STABLE, months_stable=12, months_unstable=6) == D(2027, 6, 9)
    assert next_review_due(D(2026, 6, 9), UNSTABLE, months_stable=12, months_unstable=6) == D(2026, 12, 9)
    assert next_review_due(D(2026, 8, 31), UNSTABLE, months_stable=12, months_unstable=6) == D(2027, 2, 28)


# --- Outcome -----------------------------------------------------------------------------------------------

HEAD = MemberFacts(ref="1", birth_date=D(1975, 1, 1))
SPOUSE = MemberFacts(ref="2", birth_date=D(1977, 1, 1), relation="spouse")


def facts(*incomes: tuple[str, int], assets: tuple[AssetFacts, ...] = ()) -> HouseholdFacts:
    return HouseholdFacts(
        members=(HEAD, SPOUSE),
        incomes=tuple(IncomeFacts(kind=kind, monthly_fen=fen, member_ref="1") for kind, fen in incomes),
        assets=assets,
    )


# Standard 600 yuan; two members. Current amount 800 yuan unless stated.
OUTCOMES = [
    ("same amount", facts(("wages", 40000)), 80000, 6, NO_CHANGE),
    ("higher", facts(("wages", 20000)), 80000, 6, INCREASE),  # gap 500 × 2 = 1000
    ("lower", facts(("wages", 60000)), 80000, 6, DECREASE),  # gap 300 × 2 = 600
    ("wages above the line", facts(("wages", 130000)), 80000, 6, GRADUAL_EXIT),
    ("business above the line", facts(("business", 130000)), 80000, 6, GRADUAL_EXIT),
    ("no grace months", facts(("wages", 130000)), 80000, 0, STOP),
    ("pension above the line", facts(("pension", 130000)), 80000, 6, STOP),
    ("pension alone above the line", facts(("pension", 125000), ("wages", 10000)), 80000, 6, STOP),
    ("wages tipped it over", facts(("pension", 100000), ("wages", 30000)), 80000, 6, GRADUAL_EXIT),
    ("car", facts(assets=(AssetFacts(kind="vehicle", value_fen=5_000_000),)), 120000, 6, STOP),
    (
        "wages and a car",
        facts(("wages", 130000), assets=(AssetFacts(kind="vehicle", value_fen=5_000_000),)),
        80000,
        6,
        STOP,
    ),
]


@pytest.mark.parametrize(("label", "household", "current", "grace", "expected"), OUTCOMES, ids=[o[0] for o in OUTCOMES])
def test_outcome(label, household, current, grace, expected):
    assessment = assess_dibao(household, policy(), ON)
    assert derive_outcome(current_fen=current, assessment=assessment, grace_months=grace) == expected


def test_only_gradual_exit_may_be_replaced_and_only_by_stop():
    assert allowed_overrides(GRADUAL_EXIT) == {GRADUAL_EXIT, STOP}
    for outcome in (NO_CHANGE, INCREASE, DECREASE, STOP):
        assert allowed_overrides(outcome) == {outcome}


def test_gradual_exit_months():
    # §16a example 3: decided in March, effective April, 6 months → paid April–September, stopped October.
    assert gradual_exit_stop_month(D(2024, 4, 1), 6) == D(2024, 10, 1)
    assert gradual_exit_stop_month(D(2026, 11, 1), 3) == D(2027, 2, 1)
    assert month_after_day(D(2026, 12, 31)) == D(2027, 1, 1)


# --- Workflow and who decides ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "step", "allowed"),
    [
        ("open", "propose", True),
        ("open", "decide", False),
        ("open", "reject", False),
        ("proposed", "propose", True),
        ("proposed", "decide", True),
        ("proposed", "reject", True),
        ("decided", "propose", False),
        ("decided", "decide", False),
        ("closed", "decide", False),
    ],
)
def test_review_steps(status, step, allowed):
    assert review_step_allowed(status, step) is allowed


def test_who_decides():
    township, county, delegated = (
        Capability.CASE_TOWNSHIP_REVIEW,
        Capability.CASE_DECIDE,
        Capability.CASE_CONFIRM_DELEGATED,
    )
    assert decide_capabilities(NO_CHANGE, "county_confirms") == {township, county}
    for outcome in (INCREASE, DECREASE, STOP, GRADUAL_EXIT):
        assert decide_capabilities(outcome, "county_confirms") == {county}
        assert decide_capabilities(outcome, "township_confirms") == {county, delegated}
