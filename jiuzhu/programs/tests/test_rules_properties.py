"""Invariants of the benefit calculation over random policies and families (hypothesis)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuzhu.common.money import round_fraction_to_fen
from jiuzhu.programs.rules.codes import MEMBER_CATEGORIES
from jiuzhu.programs.rules.dibao import HouseholdFacts, assess_dibao
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.members import MemberFacts
from jiuzhu.programs.rules.policy import policy_from_values

ON = datetime.date(2024, 6, 1)

rates = st.one_of(
    st.builds(lambda bp: {"percent_bp": bp}, st.integers(1, 5_000)),
    st.builds(lambda fen: {"fixed_fen": fen}, st.integers(1, 50_000)),
)
policies = st.fixed_dictionaries(
    {
        "standard_fen": st.integers(1, 200_000),
        "rounding_point": st.sampled_from(["per_person", "household"]),
        "rounding_mode": st.sampled_from(["half_up", "up", "down"]),
        "rounding_unit": st.sampled_from(["fen", "yuan"]),
        "minimum_payment_fen": st.integers(0, 5_000),
        "supplement_stacking": st.sampled_from(["highest", "sum"]),
        "supplements": st.dictionaries(st.sampled_from(sorted(MEMBER_CATEGORIES)), rates, max_size=4),
        "income_reference_months": st.integers(1, 12),
    }
)
members = st.lists(
    st.builds(
        lambda birth, categories: (birth, frozenset(categories)),
        st.dates(datetime.date(1920, 1, 1), ON),
        st.sets(st.sampled_from(sorted(MEMBER_CATEGORIES)), max_size=3),
    ),
    min_size=1,
    max_size=8,
)
incomes = st.lists(
    st.builds(
        IncomeFacts,
        kind=st.sampled_from(["wages", "pension", "assistance", "support"]),
        monthly_fen=st.integers(0, 300_000),
        period_total_fen=st.integers(0, 1_000_000),
    ),
    max_size=5,
)


def _facts(people, income_items) -> HouseholdFacts:
    relations = ["head", "spouse"] + ["child"] * 10
    return HouseholdFacts(
        members=tuple(
            MemberFacts(
                ref=str(i), birth_date=birth, relation=relations[i], categories=categories, can_live_independently=False
            )
            for i, (birth, categories) in enumerate(people)
        ),
        incomes=tuple(income_items),
    )


@settings(max_examples=150, deadline=None)
@given(policies, members, incomes)
def test_lines_always_sum_to_the_total_which_is_never_negative(values, people, income_items):
    policy = policy_from_values(values)
    result = assess_dibao(_facts(people, income_items), policy, ON)
    assert result.total_fen == sum(line.amount_fen for line in result.lines)
    assert result.total_fen >= 0
    assert all(line.amount_fen >= 0 for line in result.lines if line.code != "rounding")
    if result.eligible:
        assert result.total_fen >= policy.minimum_payment_fen
        assert result.lines[0].code == "gap"
        if policy.rounding_unit == "yuan" and "minimum_top_up" not in [line.code for line in result.lines]:
            assert result.total_fen % 100 == 0
        if policy.rounding_point == "per_person":
            assert all(line.amount_fen == line.unit_fen * line.count for line in result.lines if line.unit_fen)
    else:
        assert result.lines == () and result.total_fen == 0


@settings(max_examples=100, deadline=None)
@given(policies, members, st.integers(0, 400_000), st.integers(1, 50_000))
def test_more_income_never_means_more_benefit(values, people, monthly_fen, raise_fen):
    policy = policy_from_values(values)
    before = assess_dibao(_facts(people, [IncomeFacts("wages", monthly_fen=monthly_fen)]), policy, ON)
    after = assess_dibao(_facts(people, [IncomeFacts("wages", monthly_fen=monthly_fen + raise_fen)]), policy, ON)
    assert after.total_fen <= before.total_fen


@pytest.mark.parametrize(
    ("value", "mode", "unit", "expected"),
    [
        (Fraction(1, 2), "ROUND_HALF_UP", 1, 1),
        (Fraction(-1, 2), "ROUND_HALF_UP", 1, -1),
        (Fraction(149, 100), "ROUND_HALF_UP", 1, 1),
        (Fraction(1, 3), "ROUND_UP", 1, 1),
        (Fraction(5, 3), "ROUND_DOWN", 1, 1),
        (Fraction(80_000), "ROUND_DOWN", 100, 80_000),
        (Fraction(8_950), "ROUND_HALF_UP", 100, 9_000),
        (Fraction(8_949), "ROUND_HALF_UP", 100, 8_900),
        (Fraction(8_901), "ROUND_UP", 100, 9_000),
    ],
)
def test_round_fraction_to_fen(value, mode, unit, expected):
    assert round_fraction_to_fen(value, mode, unit) == expected


def test_round_fraction_refuses_unknown_modes_and_units():
    with pytest.raises(ValueError):
        round_fraction_to_fen(Fraction(1, 3), "ROUND_HALF_EVEN")
    with pytest.raises(ValueError):
        round_fraction_to_fen(Fraction(1, 3), "ROUND_UP", 0)


@given(st.fractions(min_value=-(10**6), max_value=10**6), st.sampled_from([1, 100]))
def test_rounding_modes_bracket_the_exact_value(value, unit):
    down = round_fraction_to_fen(value, "ROUND_DOWN", unit)
    up = round_fraction_to_fen(value, "ROUND_UP", unit)
    half = round_fraction_to_fen(value, "ROUND_HALF_UP", unit)
    assert abs(down) <= abs(value) <= abs(up)
    assert abs(up - down) in (0, unit)
    assert abs(half - value) <= unit / 2
    assert down % unit == up % unit == half % unit == 0
