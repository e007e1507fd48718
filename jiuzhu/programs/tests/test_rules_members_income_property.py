"""Co-residing members (§3.1), countable income (§3.2) and the property test (§3.3)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from jiuzhu.programs.rules.income import IncomeFacts, assess_income, months_since
from jiuzhu.programs.rules.members import age_on, decide_member, member_categories
from jiuzhu.programs.rules.property import AssetFacts, assess_property
from jiuzhu.programs.tests.factories import ON, member, policy

# --- Members -------------------------------------------------------------------------------------------

MINOR_BIRTH = datetime.date(2010, 1, 1)
ADULT_CHILD_BIRTH = datetime.date(2003, 1, 1)


@pytest.mark.parametrize(
    ("case", "facts", "counted", "code"),
    [
        ("head", member("1"), True, "head_or_spouse"),
        (
            "spouse working away from home still counts",
            member("1", "spouse", is_co_resident=False),
            True,
            "head_or_spouse",
        ),
        (
            "minor child living with grandparents",
            member("1", "child", MINOR_BIRTH, is_co_resident=False),
            True,
            "minor_child",
        ),
        (
            "adult child at university, away",
            member("1", "child", ADULT_CHILD_BIRTH, is_co_resident=False, is_fulltime_student=True),
            True,
            "dependent_adult_child",
        ),
        (
            "adult child in a master's programme, away",
            member(
                "1",
                "child",
                ADULT_CHILD_BIRTH,
                is_co_resident=False,
                is_fulltime_student=True,
                studies_above_bachelor=True,
            ),
            False,
            "not_co_resident",
        ),
        (
            "adult child who cannot live alone",
            member("1", "child", ADULT_CHILD_BIRTH, is_co_resident=False, can_live_independently=False),
            True,
            "dependent_adult_child",
        ),
        (
            "independent adult child living at home",
            member("1", "child", ADULT_CHILD_BIRTH),
            True,
            "co_resident_relative",
        ),
        (
            "independent adult child living elsewhere",
            member("1", "child", ADULT_CHILD_BIRTH, is_co_resident=False),
            False,
            "not_co_resident",
        ),
        (
            "parent living with the family",
            member("1", "parent", datetime.date(1940, 1, 1)),
            True,
            "co_resident_relative",
        ),
        ("lodger without a duty of support", member("1", "other"), False, "no_support_duty"),
        (
            "other relative with a duty of support",
            member("1", "other", has_support_duty=True),
            True,
            "co_resident_relative",
        ),
        ("prisoner", member("1", "spouse", circumstances=frozenset({"imprisoned"})), False, "imprisoned"),
        (
            "clergy away 3 years",
            member("1", "child", MINOR_BIRTH, circumstances=frozenset({"clergy_away"})),
            False,
            "clergy_away",
        ),
        ("declared missing", member("1", circumstances=frozenset({"declared_missing"})), False, "declared_missing"),
        (
            "compulsory rehabilitation",
            member("1", circumstances=frozenset({"compulsory_rehab"})),
            False,
            "compulsory_rehab",
        ),
        (
            "conscript: counted unless the province excludes",
            member("1", "child", ADULT_CHILD_BIRTH, circumstances=frozenset({"conscript"})),
            True,
            "co_resident_relative",
        ),
        ("deceased", member("1", death_date=ON), False, "deceased"),
        ("dies after the date", member("1", death_date=ON + datetime.timedelta(days=1)), True, "head_or_spouse"),
    ],
)
def test_who_counts_as_a_co_residing_member(case, facts, counted, code):
    decision = decide_member(facts, policy(), ON)
    assert (decision.counted, decision.code) == (counted, code), case
    assert decision.label and not decision.label.isascii()


def test_exclusion_list_is_configurable():
    conscript = member("1", "child", ADULT_CHILD_BIRTH, circumstances=frozenset({"conscript"}))
    local = policy(member_exclusions=["imprisoned", "conscript"])
    assert decide_member(conscript, local, ON).code == "conscript"
    released_rule = policy(member_exclusions=[])
    assert decide_member(member("1", circumstances=frozenset({"imprisoned"})), released_rule, ON).counted


def test_unknown_codes_are_programming_errors():
    with pytest.raises(ValueError):
        member("1", categories=frozenset({"vip"}))
    with pytest.raises(ValueError):
        member("1", disability_grade=5, disability_category="visual")


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (datetime.date(2000, 6, 1), datetime.date(2018, 5, 31), 17),
        (datetime.date(2000, 6, 1), datetime.date(2018, 6, 1), 18),
        (datetime.date(2000, 2, 29), datetime.date(2018, 2, 28), 17),
        (datetime.date(2000, 2, 29), datetime.date(2018, 3, 1), 18),
    ],
)
def test_age_in_full_years(birth, on, age):
    assert age_on(birth, on) == age


def test_member_categories_derived_and_stated():
    facts = member(
        "1",
        birth=datetime.date(1950, 1, 1),
        disability_grade=3,
        disability_category="mental",
        categories=frozenset({"widowed_orphaned"}),
    )
    assert member_categories(facts, policy(), ON) == {"elderly", "severe_disability", "widowed_orphaned"}
    assert member_categories(member("2", "child", MINOR_BIRTH), policy(), ON) == {"minor"}
    assert member_categories(member("3", disability_grade=3, disability_category="physical"), policy(), ON) == set()


# --- Income --------------------------------------------------------------------------------------------


def _income(*items, counted=frozenset({"1", "2"}), count=2, on=ON, **values):
    return assess_income(items, counted_refs=counted, member_count=count, policy=policy(60_000, **values), on=on)


@pytest.mark.parametrize(
    ("kind", "counted"),
    [
        ("wages", True),
        ("business", True),
        ("property", True),
        ("transfer", True),
        ("pension", True),
        ("support", True),
        ("other", True),
        ("assistance", False),
        ("veteran_care", False),
        ("basic_pension", False),
        ("family_planning", False),
        ("award", False),
    ],
)
def test_national_income_exclusions(kind, counted):
    result = _income(IncomeFacts(kind, monthly_fen=10_000))
    assert result.countable_monthly == (10_000 if counted else 0)
    assert result.lines[0].treatment == ("counted" if counted else "excluded_kind")


def test_a_locality_may_count_the_basic_pension_again():
    result = _income(IncomeFacts("basic_pension", monthly_fen=10_000), income_excluded_kinds=["assistance"])
    assert result.countable_monthly_fen == 10_000


def test_period_totals_are_averaged_over_the_reference_period():
    items = (IncomeFacts("wages", period_total_fen=1_200_000), IncomeFacts("pension", monthly_fen=1_000))
    assert _income(*items).countable_monthly == 101_000
    assert _income(*items, income_reference_months=3).countable_monthly == 401_000
    three = _income(IncomeFacts("wages", period_total_fen=100), count=3)
    assert three.per_capita == Fraction(100, 36) and three.per_capita_fen == 3


def test_income_of_a_person_who_does_not_count_is_left_out():
    result = _income(IncomeFacts("wages", monthly_fen=50_000, member_ref="9"), IncomeFacts("wages", monthly_fen=1))
    assert result.countable_monthly == 1
    assert [line.treatment for line in result.lines] == ["member_not_counted", "counted"]


@pytest.mark.parametrize(
    ("case", "started", "monthly_fen", "countable"),
    [
        ("first month of the job, below the cap", datetime.date(2024, 6, 3), 100_000, 0),
        ("above the cap of 3 x 600", datetime.date(2024, 6, 3), 200_000, 20_000),
        ("last month of a 6-month disregard", datetime.date(2024, 1, 31), 100_000, 0),
        ("after the disregard", datetime.date(2023, 12, 1), 100_000, 100_000),
    ],
)
def test_employment_income_disregard(case, started, monthly_fen, countable):
    item = IncomeFacts("wages", monthly_fen=monthly_fen, employment_started_on=started)
    assert _income(item, employment_disregard_months=6).countable_monthly == countable, case
    assert _income(item).countable_monthly == monthly_fen  # off by default


def test_months_since():
    assert months_since(datetime.date(2024, 1, 31), datetime.date(2024, 2, 1)) == 1
    assert months_since(datetime.date(2023, 12, 1), datetime.date(2024, 6, 30)) == 6


def test_negative_or_unknown_income_is_refused():
    with pytest.raises(ValueError):
        IncomeFacts("wages", monthly_fen=-1)
    with pytest.raises(ValueError):
        IncomeFacts("lottery")


# --- Property ------------------------------------------------------------------------------------------


def _property(*assets, count=2, waived=frozenset(), **values):
    return assess_property(assets, member_count=count, policy=policy(7_200, **values), waived=waived)


def test_deposit_limit_is_per_person_months_of_the_standard():
    limit = 24 * 7_200 * 2
    at_limit = _property(AssetFacts("deposit", value_fen=limit))
    assert at_limit.passed
    assert at_limit.rules[0].render() == "存款等金融资产合计 3,456.00 元；上限 3,456.00 元（24 个月低保标准 × 2 人）。"
    over = _property(AssetFacts("deposit", value_fen=limit - 100), AssetFacts("deposit", value_fen=101))
    assert not over.passed and [r.reason_code for r in over.failed] == ["deposits_above_limit"]
    assert _property(AssetFacts("deposit", value_fen=limit + 1), deposit_limit_months=36).passed


@pytest.mark.parametrize(
    ("case", "assets", "values", "failed"),
    [
        ("one dwelling", (AssetFacts("real_estate"),), {}, []),
        ("two dwellings", (AssetFacts("real_estate", quantity=2),), {}, ["too_many_dwellings"]),
        (
            "two dwellings where two are allowed",
            (AssetFacts("real_estate"), AssetFacts("real_estate")),
            {"max_dwellings": 2},
            [],
        ),
        (
            "unused ancestral house is exempt",
            (AssetFacts("real_estate"), AssetFacts("real_estate", is_exempt=True)),
            {},
            [],
        ),
        ("a car", (AssetFacts("vehicle", value_fen=3_000_000),), {}, ["vehicle_owned"]),
        ("a disabled person's mobility vehicle", (AssetFacts("vehicle", is_exempt=True),), {}, []),
        ("a car where cars are allowed", (AssetFacts("vehicle"),), {"vehicles_allowed": True}, []),
        ("a registered business", (AssetFacts("business"),), {}, ["business_registered"]),
        ("a business where allowed", (AssetFacts("business"),), {"businesses_allowed": True}, []),
        ("other property is not tested", (AssetFacts("other", value_fen=10**9),), {}, []),
    ],
)
def test_property_rules(case, assets, values, failed):
    result = _property(*assets, **values)
    assert [r.reason_code for r in result.failed] == failed, case
    assert [r.rule for r in result.rules] == ["deposits", "dwellings", "vehicles", "businesses"]
    assert all(r.render() and r.label for r in result.rules)


def test_a_waived_rule_passes_and_says_so():
    result = _property(AssetFacts("vehicle"), waived=frozenset({"vehicles"}))
    assert result.passed
    vehicles = result.rules[2]
    assert (
        vehicles.waived and vehicles.render() == "机动车 1 辆（不含残疾人功能性代步车等豁免车辆）；本地规定不得拥有。"
    )
    with pytest.raises(ValueError):
        _property(waived=frozenset({"boats"}))
