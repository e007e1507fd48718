"""Dibao eligibility and amounts: DOMAIN §16a worked examples, the seed's standards, boundaries.

Pure rules: no database; the whole file runs in well under a second (plus the property tests).
"""

from __future__ import annotations

import datetime
import json
from fractions import Fraction

import pytest

from jiuzhu.programs.rules.dibao import (
    REASON_LABELS,
    HouseholdFacts,
    assess_dibao,
    check_individual_application,
    near_poor_line,
)
from jiuzhu.programs.rules.dynamic import (
    add_months,
    death_review_due_on,
    first_payment_month,
    grace_period,
    next_review_on,
)
from jiuzhu.programs.rules.income import IncomeFacts
from jiuzhu.programs.rules.property import AssetFacts
from jiuzhu.programs.tests.factories import ON, family, member, policy

# --- §16a example 1: the gap method, rounding point, a classified supplement -------------------------

EXAMPLE_1 = HouseholdFacts(
    members=(
        member("1", "head"),
        member("2", "spouse", disability_category="physical", disability_grade=1),
        member("3", "child", datetime.date(2015, 1, 1)),
    ),
    # 12 000 yuan over the last 12 months; the 优抚 pension and the assistance are not counted.
    incomes=(
        IncomeFacts("wages", period_total_fen=1_200_000),
        IncomeFacts("veteran_care", monthly_fen=50_000),
        IncomeFacts("assistance", monthly_fen=30_000),
    ),
)
SEVERE_15 = {"severe_disability": {"percent_bp": 1500}}


@pytest.mark.parametrize(
    ("case", "values", "lines", "total_fen"),
    [
        ("household rounding (default): 800.00 + 90", {}, [("gap", 80_000), ("supplement", 9_000)], 89_000),
        (
            "per-person rounding half up: 266.67 x 3 = 800.01",
            {"rounding_point": "per_person"},
            [("gap", 80_001), ("supplement", 9_000)],
            89_001,
        ),
        (
            "per-person, up",
            {"rounding_point": "per_person", "rounding_mode": "up"},
            [("gap", 80_001), ("supplement", 9_000)],
            89_001,
        ),
        (
            "per-person, down",
            {"rounding_point": "per_person", "rounding_mode": "down"},
            [("gap", 79_998), ("supplement", 9_000)],
            88_998,
        ),
        ("household, to the yuan", {"rounding_unit": "yuan"}, [("gap", 80_000), ("supplement", 9_000)], 89_000),
        (
            "per-person, up to the yuan: 267 x 3",
            {"rounding_point": "per_person", "rounding_mode": "up", "rounding_unit": "yuan"},
            [("gap", 80_100), ("supplement", 9_000)],
            89_100,
        ),
    ],
)
def test_example_1_gap_method_with_supplement(case, values, lines, total_fen):
    result = assess_dibao(EXAMPLE_1, policy(60_000, supplements=SEVERE_15, **values), ON)
    assert result.eligible and result.reasons == ()
    assert result.per_capita_income_fen == 33_333  # 333.33 yuan, shown rounded
    assert [(line.code, line.amount_fen) for line in result.lines] == lines, case
    assert result.total_fen == total_fen == sum(line.amount_fen for line in result.lines)
    supplement = result.lines[1]
    assert (supplement.member_ref, supplement.category, supplement.label) == (
        "2",
        "severe_disability",
        "分类施保：重度残疾人",
    )
    assert supplement.render_basis() == "低保标准 600.00 元 × 15%"


def test_example_1_lines_explain_themselves():
    gap = assess_dibao(EXAMPLE_1, policy(60_000), ON).lines[0]
    assert gap.label == "补差" and gap.count == 3 and gap.unit_fen is None  # household rounding: no per-person unit
    assert gap.render_basis() == "（低保标准 600.00 元 − 人均收入 333.33 元）× 3 人"
    assert gap.render_basis(lambda s: s.replace("低保标准", "standard")).startswith("（standard 600.00")
    per_person = assess_dibao(EXAMPLE_1, policy(60_000, rounding_point="per_person"), ON).lines[0]
    assert (per_person.unit_fen, per_person.count, per_person.amount_fen) == (26_667, 3, 80_001)
    assert gap.to_json()["basis_params"] == {"standard": "600.00", "income": "333.33", "count": "3"}


# --- The seed's standards (讲治镇 2012: urban 170, rural 72 yuan) --------------------------------------

SEED_ON = datetime.date(2012, 6, 1)
RURAL = 7_200
URBAN = 17_000


def test_seed_rural_trial_calculation_from_the_issue():
    """The trial-calculation example of issue 3: gap 8 400 fen for 2 persons, plus the disability supplement."""
    facts = HouseholdFacts(
        members=(
            member("1", birth=datetime.date(1950, 3, 1), categories=frozenset({"severe_disability"})),
            member("2", "spouse", birth=datetime.date(1980, 1, 1)),
        ),
        incomes=(IncomeFacts("wages", monthly_fen=6_000),),
        assets=(AssetFacts("deposit", value_fen=100_000),),
    )
    result = assess_dibao(facts, policy(RURAL, supplements={"severe_disability": {"percent_bp": 2000}}), SEED_ON)
    assert result.eligible and result.per_capita_income_fen == 3_000
    assert [(line.code, line.label, line.amount_fen) for line in result.lines] == [
        ("gap", "补差", 8_400),
        ("supplement", "分类施保：重度残疾人", 1_440),
    ]
    assert result.total_fen == 9_840
    stored = result.to_json()
    assert json.loads(json.dumps(stored)) == stored  # plain JSON, as a decision stores it
    assert {k: stored[k] for k in ("eligible", "reasons", "per_capita_income_fen", "total_fen")} == {
        "eligible": True,
        "reasons": [],
        "per_capita_income_fen": 3_000,
        "total_fen": 9_840,
    }
    assert [(line["code"], line["label"], line["amount_fen"]) for line in stored["lines"]] == [
        ("gap", "补差", 8_400),
        ("supplement", "分类施保：重度残疾人", 1_440),
    ]
    assert [p["rule"] for p in stored["property"] if p["passed"]] == ["deposits", "dwellings", "vehicles", "businesses"]


@pytest.mark.parametrize(
    ("case", "standard", "size", "monthly_fen", "eligible", "total_fen"),
    [
        ("urban, one person, no income: the full standard", URBAN, 1, 0, True, 17_000),
        ("rural, one person, no income", RURAL, 1, 0, True, 7_200),
        ("rural, income exactly at the standard: not eligible", RURAL, 1, 7_200, False, 0),
        ("rural, one fen below the standard: 1 fen", RURAL, 1, 7_199, True, 1),
        ("rural, family of 4 at exactly the standard each", RURAL, 4, 28_800, False, 0),
        ("rural, family of 4, 10 yuan each", RURAL, 4, 4_000, True, 4 * 6_200),
        ("urban, family of 3 with 300 yuan", URBAN, 3, 30_000, True, 3 * 17_000 - 30_000),
        ("urban, income far above", URBAN, 2, 100_000, False, 0),
    ],
)
def test_seed_standards_and_the_line_itself(case, standard, size, monthly_fen, eligible, total_fen):
    result = assess_dibao(family(size, monthly_fen=monthly_fen), policy(standard), SEED_ON)
    assert result.eligible is eligible, case
    assert result.total_fen == total_fen, case
    if not eligible:
        assert [r.code for r in result.reasons] == ["income_at_or_above_standard"]
        assert result.reasons[0].label == "家庭人均收入不低于当地低保标准"
        assert result.benefit is None


# --- Rounding ties -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "size", "income", "values", "amounts", "total_fen"),
    [
        # 2 persons, 70.01 yuan: per-capita 35.005 yuan, so each person's gap is 36.995 yuan (3699.5 fen).
        ("tie per person, half up", 2, {"monthly_fen": 7_001}, {"rounding_point": "per_person"}, [7_400], 7_400),
        (
            "tie per person, down",
            2,
            {"monthly_fen": 7_001},
            {"rounding_point": "per_person", "rounding_mode": "down"},
            [7_398],
            7_398,
        ),
        (
            "tie per person, up",
            2,
            {"monthly_fen": 7_001},
            {"rounding_point": "per_person", "rounding_mode": "up"},
            [7_400],
            7_400,
        ),
        ("same household, exact: no tie", 2, {"monthly_fen": 7_001}, {}, [7_399], 7_399),
        ("household to the yuan, half up", 2, {"monthly_fen": 7_001}, {"rounding_unit": "yuan"}, [7_399, 1], 7_400),
        (
            "household to the yuan, down",
            2,
            {"monthly_fen": 7_001},
            {"rounding_unit": "yuan", "rounding_mode": "down"},
            [7_399, -99],
            7_300,
        ),
        # 6 fen over 12 months: half a fen a month; the gap is 7199.5 fen.
        ("half a fen, household half up", 1, {"period_total_fen": 6}, {}, [7_200], 7_200),
        ("half a fen, household down", 1, {"period_total_fen": 6}, {"rounding_mode": "down"}, [7_200, -1], 7_199),
        ("half a fen, household up", 1, {"period_total_fen": 6}, {"rounding_mode": "up"}, [7_200], 7_200),
        (
            "half a fen, per person down",
            1,
            {"period_total_fen": 6},
            {"rounding_point": "per_person", "rounding_mode": "down"},
            [7_199],
            7_199,
        ),
    ],
)
def test_rounding_ties(case, size, income, values, amounts, total_fen):
    result = assess_dibao(family(size, **income), policy(RURAL, **values), ON)
    assert [line.amount_fen for line in result.lines] == amounts, case
    assert result.total_fen == total_fen, case


def test_rounding_line_appears_only_when_rounding_changes_the_sum():
    exact = assess_dibao(family(2, monthly_fen=7_001), policy(RURAL), ON)
    assert "rounding" not in [line.code for line in exact.lines]
    to_yuan = assess_dibao(family(2, monthly_fen=7_001), policy(RURAL, rounding_unit="yuan"), ON)
    assert to_yuan.lines[-1].code == "rounding" and to_yuan.lines[-1].label == "取整调整"


# --- Minimum payment ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "monthly_fen", "minimum_fen", "lines"),
    [
        ("gap below the minimum is topped up", 7_100, 1_000, [("gap", 100), ("minimum_top_up", 900)]),
        ("gap at the minimum: no top-up", 6_200, 1_000, [("gap", 1_000)]),
        ("gap above the minimum", 6_000, 1_000, [("gap", 1_200)]),
        ("income at the standard: no minimum either", 7_200, 1_000, []),
    ],
)
def test_minimum_payment(case, monthly_fen, minimum_fen, lines):
    result = assess_dibao(family(1, monthly_fen=monthly_fen), policy(RURAL, minimum_payment_fen=minimum_fen), ON)
    assert [(line.code, line.amount_fen) for line in result.lines] == lines, case
    assert result.total_fen == sum(amount for _, amount in lines)


# --- Bands ---------------------------------------------------------------------------------------------

BANDS = [
    {"below_fen": 20_000, "amount_fen": 22_000},
    {"below_fen": 40_000, "amount_fen": 19_000},
    {"below_fen": None, "amount_fen": 16_000},
]


@pytest.mark.parametrize(
    ("case", "monthly_fen", "per_person_fen"),
    [
        ("lowest band", 3 * 19_999, 22_000),
        ("band bound is exclusive", 3 * 20_000, 19_000),
        ("example 1 income in the middle band", 100_000, 19_000),
        ("last band up to the standard", 3 * 59_999, 16_000),
    ],
)
def test_band_method(case, monthly_fen, per_person_fen):
    result = assess_dibao(family(3, monthly_fen=monthly_fen), policy(60_000, benefit_method="bands", bands=BANDS), ON)
    assert [(line.code, line.label, line.count) for line in result.lines] == [("band", "分档补助", 3)]
    assert result.total_fen == 3 * per_person_fen, case


def test_bands_do_not_apply_at_the_standard():
    result = assess_dibao(family(3, monthly_fen=180_000), policy(60_000, benefit_method="bands", bands=BANDS), ON)
    assert not result.eligible and result.total_fen == 0


# --- Supplements ---------------------------------------------------------------------------------------


def _supplements(result):
    return [(line.member_ref, line.category, line.amount_fen) for line in result.lines if line.code == "supplement"]


def test_supplement_stacking_highest_or_sum():
    old_and_disabled = HouseholdFacts(
        members=(member("1", birth=datetime.date(1950, 1, 1), disability_category="visual", disability_grade=2),)
    )
    rates = {
        "elderly": {"percent_bp": 1000},
        "severe_disability": {"percent_bp": 2000},
        "student": {"fixed_fen": 5_000},
    }
    highest = assess_dibao(old_and_disabled, policy(60_000, supplements=rates), ON)
    assert _supplements(highest) == [("1", "severe_disability", 12_000)]
    both = assess_dibao(old_and_disabled, policy(60_000, supplements=rates, supplement_stacking="sum"), ON)
    assert _supplements(both) == [("1", "severe_disability", 12_000), ("1", "elderly", 6_000)]
    assert both.total_fen == 60_000 + 18_000


def test_categories_follow_from_facts_and_age_threshold_is_policy():
    facts = HouseholdFacts(
        members=(
            member("1", birth=datetime.date(1954, 6, 2)),  # 69 on ON, 70 the next day
            member("2", "child", datetime.date(2006, 1, 1), is_fulltime_student=True),
            member("3", "child", datetime.date(2010, 1, 1), has_serious_illness=True),
        )
    )
    rates = {"elderly": {"percent_bp": 1000}, "student": {"fixed_fen": 5_000}, "serious_illness": {"percent_bp": 2000}}
    assert _supplements(assess_dibao(facts, policy(60_000, supplements=rates), ON)) == [
        ("2", "student", 5_000),
        ("3", "serious_illness", 12_000),
    ]
    next_day = assess_dibao(facts, policy(60_000, supplements=rates), ON + datetime.timedelta(days=1))
    assert ("1", "elderly", 6_000) in _supplements(next_day)
    assert ("1", "elderly", 6_000) in _supplements(
        assess_dibao(facts, policy(60_000, supplements=rates, elderly_age=65), ON)
    )


def test_supplement_percent_that_is_not_whole_fen_rounds_per_policy():
    facts = HouseholdFacts(members=(member("1", categories=frozenset({"widowed_orphaned"})),))
    rates = {"widowed_orphaned": {"percent_bp": 1250}}  # 12.5% of 72.01 yuan = 900.125 fen
    per_person = assess_dibao(facts, policy(7_201, supplements=rates, rounding_point="per_person"), ON)
    assert _supplements(per_person) == [("1", "widowed_orphaned", 900)]
    up = assess_dibao(facts, policy(7_201, supplements=rates, rounding_point="per_person", rounding_mode="up"), ON)
    assert _supplements(up) == [("1", "widowed_orphaned", 901)]


# --- Reasons for refusal --------------------------------------------------------------------------------


def test_every_failed_test_gives_a_reason():
    facts = family(
        2,
        monthly_fen=200_000,
        assets=(AssetFacts("vehicle", value_fen=5_000_000), AssetFacts("real_estate", quantity=2)),
    )
    result = assess_dibao(facts, policy(60_000), ON)
    assert [(r.code, r.label) for r in result.reasons] == [
        ("income_at_or_above_standard", "家庭人均收入不低于当地低保标准"),
        ("too_many_dwellings", "住房超过规定套数"),
        ("vehicle_owned", "拥有机动车辆"),
    ]
    assert not result.eligible and result.benefit is None and result.total_fen == 0


def test_property_alone_refuses_a_poor_family():
    result = assess_dibao(family(2, assets=(AssetFacts("business"),)), policy(60_000), ON)
    assert [r.code for r in result.reasons] == ["business_registered"]
    waived = family(2, assets=(AssetFacts("business"),), waived_property_rules=frozenset({"businesses"}))
    assert assess_dibao(waived, policy(60_000), ON).eligible


def test_no_counted_member():
    facts = HouseholdFacts(members=(member("1", circumstances=frozenset({"imprisoned"})),))
    result = assess_dibao(facts, policy(60_000), ON)
    assert [r.code for r in result.reasons] == ["no_counted_members"]
    assert result.per_capita_income_fen == 0 and result.counted_member_count == 0


def test_every_reason_code_has_a_chinese_label():
    assert all(code.isascii() and label and not label.isascii() for code, label in REASON_LABELS.items())


def test_excluded_member_neither_counts_nor_brings_income():
    facts = HouseholdFacts(
        members=(member("1"), member("2", "spouse", circumstances=frozenset({"imprisoned"}))),
        incomes=(IncomeFacts("wages", monthly_fen=90_000, member_ref="2"), IncomeFacts("wages", monthly_fen=10_000)),
    )
    result = assess_dibao(facts, policy(60_000), ON)
    assert result.counted_member_count == 1
    assert result.per_capita_income_fen == 10_000 and result.total_fen == 50_000


# --- §16a example 2: edge households and individual applications ----------------------------------------


@pytest.mark.parametrize(
    ("case", "monthly_fen", "values", "assets", "near_poor"),
    [
        ("example 2: 750 < 900", 150_000, {}, (), True),
        ("exactly 1.5 x the standard is not an edge household", 180_000, {}, (), False),
        ("one fen below the edge line", 179_998, {}, (), True),
        ("eligible for dibao is not an edge household", 100_000, {}, (), False),
        ("property must comply", 150_000, {}, (AssetFacts("vehicle"),), False),
        ("a local cap below 1.5 x", 170_000, {"near_poor_income_cap_fen": 80_000}, (), False),
        ("a wider multiple", 190_000, {"near_poor_multiple_bp": 20_000}, (), True),
    ],
)
def test_edge_household_classification(case, monthly_fen, values, assets, near_poor):
    result = assess_dibao(family(2, monthly_fen=monthly_fen, assets=assets), policy(60_000, **values), ON)
    assert result.is_near_poor is near_poor, case


def test_edge_line_is_a_multiple_of_the_standard():
    assert near_poor_line(policy(60_000)) == 90_000
    assert assess_dibao(family(1), policy(60_000), ON).near_poor_line_fen == 90_000
    assert near_poor_line(policy(7_201)) == Fraction(21_603, 2)


def _edge_family(**second_member):
    """Per-capita income 750 against a standard of 600: an edge household (§16a example 2)."""
    return HouseholdFacts(
        members=(member("1"), member("2", "spouse", **second_member)),
        incomes=(IncomeFacts("wages", monthly_fen=150_000, member_ref="1"),),
    )


@pytest.mark.parametrize(
    ("case", "facts", "allowed", "reasons"),
    [
        (
            "grade-2 disability in an edge family",
            _edge_family(disability_category="physical", disability_grade=2),
            True,
            [],
        ),
        ("grade-3 intellectual", _edge_family(disability_category="intellectual", disability_grade=3), True, []),
        (
            "grade-3 physical is not severe",
            _edge_family(disability_category="physical", disability_grade=3),
            False,
            ["not_severely_disabled_or_ill"],
        ),
        ("serious illness", _edge_family(has_serious_illness=True), True, []),
        ("stated category", _edge_family(categories=frozenset({"severe_disability"})), True, []),
        ("neither disabled nor ill", _edge_family(), False, ["not_severely_disabled_or_ill"]),
    ],
)
def test_individual_application(case, facts, allowed, reasons):
    check = check_individual_application(facts, "2", policy(60_000), ON)
    assert check.family.is_near_poor
    assert check.allowed is allowed, case
    assert [r.code for r in check.reasons] == reasons
    if allowed:
        assert check.individual is not None and check.individual.individual
        assert check.individual.eligible and check.individual.counted_member_count == 1
        assert check.individual.total_fen == 60_000  # no own income: treated as a one-person dibao case
    else:
        assert check.individual is None


def test_individual_application_refused_when_the_whole_family_qualifies_or_is_above_the_edge():
    whole = HouseholdFacts(
        members=(member("1"), member("2", "spouse", disability_grade=1, disability_category="visual")),
        incomes=(IncomeFacts("wages", monthly_fen=60_000),),
    )
    assert [r.code for r in check_individual_application(whole, "2", policy(60_000), ON).reasons] == [
        "household_eligible_as_whole"
    ]
    rich = HouseholdFacts(members=whole.members, incomes=(IncomeFacts("wages", monthly_fen=200_000, member_ref="1"),))
    assert [r.code for r in check_individual_application(rich, "2", policy(60_000), ON).reasons] == [
        "household_at_or_above_near_poor_line"
    ]
    with_car = HouseholdFacts(members=rich.members, incomes=_edge_family().incomes, assets=(AssetFacts("vehicle"),))
    assert [r.code for r in check_individual_application(with_car, "2", policy(60_000), ON).reasons] == [
        "vehicle_owned"
    ]
    assert [r.code for r in check_individual_application(rich, "9", policy(60_000), ON).reasons] == ["member_not_found"]


def test_individual_case_uses_own_income_and_the_local_amount_rule():
    facts = HouseholdFacts(
        members=(member("1"), member("2", "spouse", disability_grade=1, disability_category="visual")),
        incomes=(
            IncomeFacts("wages", monthly_fen=140_000, member_ref="1"),
            IncomeFacts("support", monthly_fen=8_000),  # paid by relatives to the family: disregarded
            IncomeFacts("pension", monthly_fen=10_000, member_ref="2"),
        ),
    )
    gap = check_individual_application(facts, "2", policy(60_000), ON)
    assert gap.allowed and gap.individual is not None
    assert [(line.code, line.amount_fen) for line in gap.individual.lines] == [("gap", 50_000)]
    full = check_individual_application(facts, "2", policy(60_000, individual_amount_rule="full_standard"), ON)
    assert full.individual is not None
    assert [(line.code, line.label, line.amount_fen) for line in full.individual.lines] == [
        ("full_standard", "按低保标准全额保障", 60_000)
    ]


# --- §16a example 3: gradual exit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grace_months", "first", "last", "stop"),
    [
        (6, datetime.date(2024, 4, 1), datetime.date(2024, 9, 1), datetime.date(2024, 10, 1)),  # national ceiling
        (3, datetime.date(2024, 4, 1), datetime.date(2024, 6, 1), datetime.date(2024, 7, 1)),  # the seed locality
        (0, None, None, datetime.date(2024, 4, 1)),
    ],
)
def test_example_3_gradual_exit(grace_months, first, last, stop):
    found_work = HouseholdFacts(members=family(2).members, incomes=(IncomeFacts("wages", monthly_fen=130_000),))
    assert assess_dibao(found_work, policy(60_000), ON).reasons[0].code == "income_at_or_above_standard"  # 650 > 600
    period = grace_period(datetime.date(2024, 3, 14), policy(60_000, grace_months=grace_months))
    assert (period.first_month, period.last_month, period.stop_month) == (first, last, stop)


def test_example_1_first_paid_in_the_month_after_the_decision():
    assert first_payment_month(datetime.date(2012, 12, 31)) == datetime.date(2013, 1, 1)
    assert first_payment_month(datetime.date(2012, 6, 1)) == datetime.date(2012, 7, 1)


def test_review_and_death_re_check_dates_follow_the_policy():
    stable = policy(60_000)
    assert next_review_on(datetime.date(2024, 1, 31), unstable=False, policy=stable) == datetime.date(2025, 1, 31)
    assert next_review_on(datetime.date(2024, 8, 31), unstable=True, policy=stable) == datetime.date(2025, 2, 28)
    quarterly = policy(60_000, review_months_stable=6, review_months_unstable=3)
    assert next_review_on(datetime.date(2024, 1, 15), unstable=True, policy=quarterly) == datetime.date(2024, 4, 15)
    assert death_review_due_on(datetime.date(2024, 11, 30), stable) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
