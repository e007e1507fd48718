"""Policy parameters: defaults, validation with Chinese messages, resolution down the region tree."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.programs.rules.policy import (
    PARAMETERS,
    BenefitMethod,
    NoticeStage,
    PolicyError,
    WorkflowMode,
    describe_value,
    params_problems,
    policy_from_values,
    policy_to_values,
    resolved_values_problems,
)
from jiuzhu.programs.rules.resolution import PolicyRow, ancestor_codes, resolve_policy

PROVINCE, CITY, COUNTY, TOWNSHIP, VILLAGE = "51", "5117", "511723", "511723105", "511723105201"


def test_national_defaults():
    policy = policy_from_values({"standard_fen": 7_200})
    assert policy.benefit_method == BenefitMethod.GAP
    assert (policy.notice_days, policy.county_decision_wd, policy.investigation_start_wd) == (7, 10, 3)
    assert (policy.overall_wd, policy.overall_special_wd, policy.delegated_overall_wd) == (30, 45, 20)
    assert (policy.review_months_stable, policy.review_months_unstable, policy.grace_months) == (12, 6, 6)
    assert policy.near_poor_multiple_bp == 15_000
    assert policy.workflow_mode == WorkflowMode.COUNTY_CONFIRMS and policy.appraisal_mode == "when_disputed"
    assert policy.notice_stages == (NoticeStage.VILLAGE_NOTICE, NoticeStage.PUBLICATION)
    assert policy.income_excluded_kinds == {"assistance", "veteran_care", "basic_pension", "family_planning", "award"}
    assert policy.member_exclusions == {"clergy_away", "imprisoned", "compulsory_rehab", "declared_missing"}
    assert policy.overall_limit_wd() == 30 and policy.overall_limit_wd(special=True) == 45


def test_delegated_mode_has_its_own_overall_limit():
    policy = policy_from_values({"standard_fen": 7_200, "workflow_mode": "township_confirms"})
    assert policy.overall_limit_wd() == 20 and policy.overall_limit_wd(special=True) == 45


def test_every_parameter_has_a_label_a_reference_and_a_valid_default():
    for spec in PARAMETERS:
        assert spec.label and not spec.label.isascii(), spec.key
        assert spec.origin in {"N", "L"} and spec.ref.startswith(("DOMAIN", "DEMO")), spec.key
    values = policy_to_values(policy_from_values({"standard_fen": 1}))
    assert values == {spec.key: spec.default if spec.key != "standard_fen" else 1 for spec in PARAMETERS}


def test_policy_round_trips_through_json_values():
    values = {
        "standard_fen": 60_000,
        "benefit_method": "bands",
        "bands": [{"below_fen": 20_000, "amount_fen": 22_000}, {"below_fen": None, "amount_fen": 16_000}],
        "supplements": {"severe_disability": {"percent_bp": 2000}, "student": {"fixed_fen": 3000}},
        "notice_stages": ["publication", "county_notice", "village_notice"],
        "near_poor_income_cap_fen": 190_000,
    }
    policy = policy_from_values(values)
    again = policy_from_values(policy_to_values(policy))
    assert again == policy
    assert policy.notice_stages == ("village_notice", "county_notice", "publication")  # canonical order


@pytest.mark.parametrize(
    ("params", "key", "message"),
    [
        ({"standard_fen": -1}, "standard_fen", "应在 1 至 10000000000 之间。"),
        ({"standard_fen": "170"}, "standard_fen", "应为整数。"),
        ({"standard_fen": 170.5}, "standard_fen", "应为整数。"),
        ({"standard_fen": True}, "standard_fen", "应为整数。"),
        ({"standard_fen": None}, "standard_fen", "不能为空。"),
        ({"rounding_mode": "bankers"}, "rounding_mode", "应为以下之一：half_up、up、down。"),
        ({"vehicles_allowed": "yes"}, "vehicles_allowed", "应为 true（是）或 false（否）。"),
        ({"grace_months": 7}, "grace_months", "应在 0 至 6 之间。"),
        ({"income_excluded_kinds": ["salary"]}, "income_excluded_kinds", "“salary”不是可用的代码；可用："),
        ({"member_exclusions": ["imprisoned", "imprisoned"]}, "member_exclusions", "列表中有重复的代码。"),
        ({"notice_stages": ["village_notice"]}, "notice_stages", "公示环节须包括村（社区）公示"),
        ({"supplements": {"student": {"percent_bp": 100, "fixed_fen": 1}}}, "supplements", "类别“student”须且只能设置"),
        ({"supplements": {"pilot": {"fixed_fen": 1}}}, "supplements", "“pilot”不是可用的代码"),
        ({"bands": [{"below_fen": 100, "amount_fen": 1}]}, "bands", "最后一档的上限应为 null"),
        (
            {
                "bands": [
                    {"below_fen": 200, "amount_fen": 1},
                    {"below_fen": 100, "amount_fen": 1},
                    {"below_fen": None, "amount_fen": 1},
                ]
            },
            "bands",
            "各档的收入上限应逐档递增。",
        ),
        (
            {"bands": [{"below_fen": None, "amount_fen": 1}, {"below_fen": None, "amount_fen": 1}]},
            "bands",
            "只有最后一档",
        ),
        ({"bands": [{"amount_fen": 1}]}, "bands", "分档应为列表"),
        ({"benefit_method": "bands", "bands": []}, "bands", "按分档计发时须设置分档标准。"),
        (
            {"review_months_stable": 6, "review_months_unstable": 12},
            "review_months_unstable",
            "收入不稳定家庭的复核间隔不应长于",
        ),
        ({"overall_wd": 30, "overall_special_wd": 20}, "overall_special_wd", "特殊情况总时限不应短于一般总时限。"),
        ({"colour": "red"}, "colour", "未知参数“colour”。"),
    ],
)
def test_invalid_parameters_are_refused_with_a_chinese_message(params, key, message):
    problems = params_problems(params)
    assert [p.key for p in problems] == [key]
    assert problems[0].render().startswith(message)


def test_valid_parameters_have_no_problem():
    assert params_problems({"standard_fen": 17_000, "grace_months": 3, "supplements": {}, "bands": []}) == []
    assert params_problems({"benefit_method": "bands"}) == []  # the bands may come from an ancestor
    assert [p.key for p in resolved_values_problems({"benefit_method": "bands"}, require_standard=False)] == ["bands"]


def test_policy_needs_a_standard_and_collects_every_problem():
    with pytest.raises(PolicyError) as caught:
        policy_from_values({"grace_months": 9})
    assert [(p.key, p.render()) for p in caught.value.problems] == [
        ("grace_months", "应在 0 至 6 之间。"),
        ("standard_fen", "未设置低保标准。"),
    ]
    assert resolved_values_problems({"grace_months": 3}, require_standard=False) == []


def test_problem_messages_are_translated_before_interpolation():
    problem = params_problems({"grace_months": 9})[0]
    english = {"应在 %(low)s 至 %(high)s 之间。": "Must be between %(low)s and %(high)s."}
    assert problem.render(lambda s: english.get(s, s)) == "Must be between 0 and 6."


# --- Resolution --------------------------------------------------------------------------------------


def test_ancestor_codes_deepest_first():
    assert ancestor_codes(VILLAGE) == (VILLAGE, TOWNSHIP, COUNTY, CITY, PROVINCE)
    assert ancestor_codes(PROVINCE) == (PROVINCE,)
    assert ancestor_codes("") == ()


def _row(pk, region, on, **params):
    return PolicyRow(version_id=pk, region_code=region, effective_from=on, params=params)


ROWS = [
    _row(1, PROVINCE, datetime.date(2012, 1, 1), standard_fen=15_000, grace_months=5, notice_days=7),
    _row(2, CITY, datetime.date(2012, 1, 1), standard_fen=16_000),
    _row(3, COUNTY, datetime.date(2012, 1, 1), standard_fen=17_000, grace_months=3),
    _row(4, COUNTY, datetime.date(2013, 1, 1), standard_fen=20_000),  # restates only the standard
    _row(5, PROVINCE, datetime.date(2014, 1, 1), notice_days=10),
    _row(6, "511724", datetime.date(2012, 1, 1), standard_fen=99_999),  # a neighbouring county
]


@pytest.mark.parametrize(
    ("case", "region", "on", "key", "value"),
    [
        ("deepest region that sets it", VILLAGE, datetime.date(2012, 6, 1), "standard_fen", 17_000),
        ("county override", VILLAGE, datetime.date(2012, 6, 1), "grace_months", 3),
        ("inherited from the province", VILLAGE, datetime.date(2012, 6, 1), "notice_days", 7),
        ("national default", VILLAGE, datetime.date(2012, 6, 1), "overall_wd", 30),
        ("newer county version", VILLAGE, datetime.date(2013, 1, 1), "standard_fen", 20_000),
        ("newer version replaces the older as a whole", VILLAGE, datetime.date(2013, 1, 1), "grace_months", 5),
        ("day before the new version", VILLAGE, datetime.date(2012, 12, 31), "standard_fen", 17_000),
        ("province's later version drops its other keys", VILLAGE, datetime.date(2014, 1, 1), "grace_months", 6),
        ("future versions do not apply", VILLAGE, datetime.date(2011, 12, 31), "standard_fen", None),
        ("the city itself", CITY, datetime.date(2012, 6, 1), "standard_fen", 16_000),
        ("other county's rows are ignored", "511725", datetime.date(2012, 6, 1), "standard_fen", 16_000),
    ],
)
def test_resolution_per_key(case, region, on, key, value):
    assert resolve_policy(on=on, region_code=region, rows=ROWS).get(key).value == value, case


def test_resolution_reports_where_each_value_comes_from():
    resolved = resolve_policy(VILLAGE, datetime.date(2014, 6, 1), ROWS)
    standard = resolved.get("standard_fen")
    assert (standard.region_code, standard.effective_from, standard.version_id) == (
        COUNTY,
        datetime.date(2013, 1, 1),
        4,
    )
    notice = resolved.get("notice_days")
    assert (notice.value, notice.region_code, notice.version_id) == (10, PROVINCE, 5)
    grace = resolved.get("grace_months")
    assert grace.is_default and grace.value == 6 and grace.version_id is None
    assert resolved.policy().standard_fen == 20_000
    assert [v.key for v in resolved.values] == [spec.key for spec in PARAMETERS]


def test_unknown_stored_keys_are_ignored_and_missing_standard_is_reported():
    resolved = resolve_policy(
        VILLAGE, datetime.date(2011, 6, 1), [_row(9, COUNTY, datetime.date(2011, 1, 1), old_key=1)]
    )
    with pytest.raises(PolicyError) as caught:
        resolved.policy()
    assert [p.render() for p in caught.value.problems] == ["未设置低保标准。"]


@pytest.mark.parametrize(
    ("key", "value", "text"),
    [
        ("standard_fen", 17_000, "170.00 元"),
        ("near_poor_multiple_bp", 15_000, "150%"),
        ("vehicles_allowed", False, "否"),
        ("rounding_point", "per_person", "按人取整"),
        ("income_excluded_kinds", ["assistance", "award"], "政府发放的社会救助款物、奖学金、见义勇为等奖励"),
        ("notice_stages", ["village_notice", "publication"], "村（社区）公示、长期公示"),
        (
            "supplements",
            {"severe_disability": {"percent_bp": 1500}, "student": {"fixed_fen": 2000}},
            "重度残疾人 15%；在校学生 20.00 元",
        ),
        (
            "bands",
            [{"below_fen": 20_000, "amount_fen": 22_000}, {"below_fen": None, "amount_fen": 16_000}],
            "人均收入低于 200.00 元：每人 220.00 元；其余：每人 160.00 元",
        ),
        ("near_poor_income_cap_fen", None, "—"),
        ("notice_days", 7, "7"),
    ],
)
def test_values_are_described_in_chinese(key, value, text):
    assert describe_value(key, value) == text
