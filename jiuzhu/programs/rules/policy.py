"""The dibao policy (低保政策参数) as data: parameters, national defaults, validation, resolution.

Pure: no Django, no database, no clock.

Policy sources (DOMAIN.md): Social Assistance Interim Measures (S1, State Council decree 649, 2014),
Measures for Dibao Review and Confirmation (S2, MCA 2021), MCA opinions on improving dibao (S7/S8),
Regulations on Preferential Treatment of Servicemen (S16). Every parameter below names the DOMAIN
section it comes from and whether its default is a national rule ("N") or, where the national text
leaves the value to localities, a typical local value ("L") that a province, city or county is
expected to override. The dibao standard itself has no default: a region must set it.

A region's policy for a date is resolved per key (`resolution.resolve_policy`): the value comes from the
deepest ancestor-or-self region whose latest version effective on that date sets the key; the
defaults below apply where no region sets it. A version holds only the keys its region overrides,
and a later version of the same region replaces the earlier one as a whole.

Money is in fen, ratios in basis points (1 % = 100 bp), time limits in working days (`_wd`,
counted with `working_days`) or calendar days (`_days`), intervals in months.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.codes import (
    EXCLUSION_CIRCUMSTANCES,
    INCOME_KINDS,
    MEMBER_CATEGORIES,
    NATIONAL_EXCLUDED_INCOME_KINDS,
    NATIONAL_EXCLUSIONS,
)
from jiuzhu.programs.rules.labels import (
    LabelParams,
    Translate,
    gettext_noop,
    label_params,
    no_translation,
    render_label,
)


class BenefitMethod(StrEnum):
    GAP = "gap"  # (standard − per-capita income) × members  [N, S2 Art. 23]
    BANDS = "bands"  # an amount per person by per-capita income band (分档)  [N, S7 item 5]


class RoundingPoint(StrEnum):
    PER_PERSON = "per_person"  # round each person's amount, then multiply
    HOUSEHOLD = "household"  # compute exactly, round the household total once


class RoundingMode(StrEnum):
    HALF_UP = "half_up"
    UP = "up"
    DOWN = "down"


class RoundingUnit(StrEnum):
    FEN = "fen"
    YUAN = "yuan"


class SupplementStacking(StrEnum):
    HIGHEST = "highest"  # a member in several categories gets the highest supplement (就高不重复)
    SUM = "sum"  # every category's supplement


class IndividualAmountRule(StrEnum):
    GAP = "gap"  # a one-person case (单人保) gets the gap like any household
    FULL_STANDARD = "full_standard"  # a one-person case gets the full standard


class WorkflowMode(StrEnum):
    COUNTY_CONFIRMS = "county_confirms"
    TOWNSHIP_CONFIRMS = "township_confirms"  # confirmation delegated to townships (S8 §4(1))


class PaymentFrequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"  # allowed historically in rural areas with poor banking (DOMAIN §4.6)


class AppraisalMode(StrEnum):
    NEVER = "never"
    WHEN_DISPUTED = "when_disputed"
    ALWAYS = "always"


class NoticeStage(StrEnum):
    VILLAGE_NOTICE = "village_notice"  # 7-day notice of the township's opinion in the village [N]
    TOWNSHIP_NOTICE = "township_notice"  # local extra stage (三级公示)
    COUNTY_NOTICE = "county_notice"  # local extra stage: county notice of proposed approvals
    PUBLICATION = "publication"  # long-term publication of beneficiaries (长期公示) [N]


NOTICE_STAGE_ORDER = tuple(NoticeStage)
REQUIRED_NOTICE_STAGES = frozenset({NoticeStage.VILLAGE_NOTICE, NoticeStage.PUBLICATION})


@dataclass(frozen=True)
class Band:
    """Per-capita monthly income below `below_fen` (the last band: below the standard) → amount per person."""

    below_fen: int | None
    amount_fen: int


@dataclass(frozen=True)
class Supplement:
    """Classified supplement for one member category: a share of the standard or a fixed amount."""

    category: str
    percent_bp: int | None = None
    fixed_fen: int | None = None

    def exact_amount(self, standard_fen: int) -> tuple[int, int]:
        """(numerator, denominator) of the monthly amount in fen, exact."""
        if self.fixed_fen is not None:
            return self.fixed_fen, 1
        return standard_fen * (self.percent_bp or 0), 10_000


@dataclass(frozen=True)
class DibaoPolicy:
    """The dibao policy in force for one region, programme and date. Built by `policy_from_values`."""

    standard_fen: int
    benefit_method: BenefitMethod
    bands: tuple[Band, ...]
    supplements: tuple[Supplement, ...]
    supplement_stacking: SupplementStacking
    elderly_age: int
    rounding_point: RoundingPoint
    rounding_mode: RoundingMode
    rounding_unit: RoundingUnit
    minimum_payment_fen: int
    individual_amount_rule: IndividualAmountRule
    member_exclusions: frozenset[str]
    income_reference_months: int
    income_excluded_kinds: frozenset[str]
    employment_disregard_months: int
    employment_disregard_cap_bp: int
    deposit_limit_months: int
    max_dwellings: int
    vehicles_allowed: bool
    businesses_allowed: bool
    near_poor_multiple_bp: int
    near_poor_income_cap_fen: int | None
    near_poor_valid_months: int
    grace_months: int
    review_months_stable: int
    review_months_unstable: int
    death_review_months: int
    acceptance_wd: int
    investigation_start_wd: int
    verification_start_wd: int
    investigation_wd: int
    township_opinion_wd: int
    notice_days: int
    township_forward_wd: int
    county_decision_wd: int
    decision_notice_wd: int
    overall_wd: int
    overall_special_wd: int
    delegated_overall_wd: int
    delegated_special_wd: int
    workflow_mode: WorkflowMode
    appraisal_mode: AppraisalMode
    notice_stages: tuple[NoticeStage, ...]
    payment_frequency: PaymentFrequency
    payment_day: int

    def supplement_for(self, category: str) -> Supplement | None:
        return next((s for s in self.supplements if s.category == category), None)

    def overall_limit_wd(self, *, special: bool = False) -> int:
        """Acceptance → decision, in working days, for this policy's workflow mode (DOMAIN §4.5)."""
        if self.workflow_mode == WorkflowMode.TOWNSHIP_CONFIRMS:
            return self.delegated_special_wd if special else self.delegated_overall_wd
        return self.overall_special_wd if special else self.overall_wd


# --- Problems (validation errors) ----------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyProblem:
    """One invalid parameter: `key` is the parameter ("" for the whole policy), `message` a Chinese msgid."""

    key: str
    message: str
    params: LabelParams = ()

    def render(self, translate: Translate = no_translation) -> str:
        return render_label(self.message, self.params, translate)


class PolicyError(ValueError):
    def __init__(self, problems: Iterable[PolicyProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.key}: {p.render()}" for p in self.problems))


class _Invalid(Exception):
    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = label_params(**params)
        super().__init__(message)


# --- Parsers: JSON value → typed value, or _Invalid with a Chinese message ---------------------------


def _int_in(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid(gettext_noop("应为整数。"))
        if not low <= value <= high:
            raise _Invalid(gettext_noop("应在 %(low)s 至 %(high)s 之间。"), low=low, high=high)
        return value

    return parse


_MAX_FEN = 10**10  # 100 million yuan: any larger monthly amount is a typing error


def _fen(value: Any) -> int:
    return _int_in(0, _MAX_FEN)(value)


def _positive_fen(value: Any) -> int:
    return _int_in(1, _MAX_FEN)(value)


def _optional_fen(value: Any) -> int | None:
    return None if value is None else _positive_fen(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(gettext_noop("应为 true（是）或 false（否）。"))
    return value


def _choice(enum: type[StrEnum]) -> Callable[[Any], Any]:
    def parse(value: Any) -> Any:
        try:
            return enum(value)
        except ValueError:
            raise _Invalid(
                gettext_noop("应为以下之一：%(choices)s。"), choices="、".join(member.value for member in enum)
            ) from None

    return parse


def _code_list(value: Any, vocabulary: Iterable[str]) -> tuple[str, ...]:
    known = tuple(vocabulary)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Invalid(gettext_noop('应为代码列表，例如 ["%(example)s"]。'), example=known[0])
    for item in value:
        if item not in known:
            raise _Invalid(
                gettext_noop("“%(code)s”不是可用的代码；可用：%(choices)s。"), code=item, choices="、".join(known)
            )
    if len(set(value)) != len(value):
        raise _Invalid(gettext_noop("列表中有重复的代码。"))
    return tuple(value)


def _code_set(vocabulary: Iterable[str]) -> Callable[[Any], frozenset[str]]:
    known = tuple(vocabulary)
    return lambda value: frozenset(_code_list(value, known))


def _bands(value: Any) -> tuple[Band, ...]:
    shape = gettext_noop(
        "分档应为列表，每档包括 below_fen（人均月收入上限，分，不含；最后一档为 null，即至低保标准）"
        "和 amount_fen（每人每月金额，分）。"
    )
    if not isinstance(value, list):
        raise _Invalid(shape)
    bands: list[Band] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"below_fen", "amount_fen"}:
            raise _Invalid(shape)
        below = item["below_fen"]
        bands.append(
            Band(below_fen=None if below is None else _positive_fen(below), amount_fen=_fen(item["amount_fen"]))
        )
    if bands and bands[-1].below_fen is not None:
        raise _Invalid(gettext_noop("最后一档的上限应为 null（至低保标准）。"))
    bounds = [b.below_fen for b in bands[:-1]]
    if None in bounds:
        raise _Invalid(gettext_noop("只有最后一档的上限可以为 null。"))
    if any(lower >= upper for lower, upper in itertools.pairwise(bounds)):  # type: ignore[operator]
        raise _Invalid(gettext_noop("各档的收入上限应逐档递增。"))
    return tuple(bands)


def _supplements(value: Any) -> tuple[Supplement, ...]:
    if not isinstance(value, dict):
        raise _Invalid(
            gettext_noop(
                "分类施保应为对象：键为类别代码，值为 percent_bp（占低保标准的基点）或 fixed_fen（每月金额，分）之一。"
            )
        )
    supplements: list[Supplement] = []
    for category in MEMBER_CATEGORIES:  # canonical order
        if category not in value:
            continue
        rate = value[category]
        if not isinstance(rate, dict) or len(rate) != 1 or not set(rate) <= {"percent_bp", "fixed_fen"}:
            raise _Invalid(gettext_noop("类别“%(code)s”须且只能设置 percent_bp 或 fixed_fen 之一。"), code=category)
        if "percent_bp" in rate:
            supplements.append(Supplement(category, percent_bp=_int_in(1, 100_000)(rate["percent_bp"])))
        else:
            supplements.append(Supplement(category, fixed_fen=_positive_fen(rate["fixed_fen"])))
    unknown = sorted(set(value) - set(MEMBER_CATEGORIES))
    if unknown:
        raise _Invalid(
            gettext_noop("“%(code)s”不是可用的代码；可用：%(choices)s。"),
            code=unknown[0],
            choices="、".join(MEMBER_CATEGORIES),
        )
    return tuple(supplements)


def _notice_stages(value: Any) -> tuple[NoticeStage, ...]:
    stages = frozenset(NoticeStage(code) for code in _code_list(value, (s.value for s in NoticeStage)))
    if not REQUIRED_NOTICE_STAGES <= stages:
        raise _Invalid(gettext_noop("公示环节须包括村（社区）公示（village_notice）和长期公示（publication）。"))
    return tuple(stage for stage in NOTICE_STAGE_ORDER if stage in stages)


# --- The parameters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamSpec:
    key: str
    label: str  # Chinese msgid
    default: Any  # JSON value; None for the standard (no national value)
    origin: str  # "N": national rule; "L": typical local value, to be overridden
    ref: str  # where the rule is described
    parse: Callable[[Any], Any] = field(repr=False)
    required: bool = False


def _p(key: str, label: str, default: Any, origin: str, ref: str, parse: Callable[[Any], Any]) -> ParamSpec:
    return ParamSpec(key=key, label=label, default=default, origin=origin, ref=ref, parse=parse)


WD = _int_in(0, 90)

PARAMETERS: tuple[ParamSpec, ...] = (
    ParamSpec(
        "standard_fen", gettext_noop("低保标准（分/人·月）"), None, "L", "DOMAIN §4.2", _positive_fen, required=True
    ),
    # Benefit computation (DOMAIN §4.3)
    _p("benefit_method", gettext_noop("计发方式"), "gap", "N", "DOMAIN §4.3", _choice(BenefitMethod)),
    _p("bands", gettext_noop("分档标准"), [], "L", "DOMAIN §4.3", _bands),
    _p("supplements", gettext_noop("分类施保"), {}, "L", "DOMAIN §4.3", _supplements),
    _p(
        "supplement_stacking",
        gettext_noop("分类施保叠加方式"),
        "highest",
        "L",
        "DOMAIN §4.3",
        _choice(SupplementStacking),
    ),
    _p("elderly_age", gettext_noop("老年人分类施保起始年龄"), 70, "L", "DEMO.md; DOMAIN §4.3", _int_in(50, 120)),
    _p("rounding_point", gettext_noop("取整环节"), "household", "L", "DOMAIN §4.3", _choice(RoundingPoint)),
    _p("rounding_mode", gettext_noop("取整方式"), "half_up", "L", "DOMAIN §4.3; ADR-006", _choice(RoundingMode)),
    _p("rounding_unit", gettext_noop("取整单位"), "fen", "L", "DOMAIN §4.3", _choice(RoundingUnit)),
    _p("minimum_payment_fen", gettext_noop("最低发放额（分/户·月）"), 0, "L", "DOMAIN §4.3", _fen),
    _p(
        "individual_amount_rule",
        gettext_noop("单人保计发方式"),
        "gap",
        "L",
        "DOMAIN §3.1, §4.3",
        _choice(IndividualAmountRule),
    ),
    # Household and income (DOMAIN §3.1, §3.2)
    _p(
        "member_exclusions",
        gettext_noop("不计入共同生活家庭成员的情形"),
        sorted(NATIONAL_EXCLUSIONS),
        "N",
        "DOMAIN §3.1",
        _code_set(EXCLUSION_CIRCUMSTANCES),
    ),
    _p("income_reference_months", gettext_noop("收入计算期（月）"), 12, "L", "DOMAIN §3.2", _int_in(1, 24)),
    _p(
        "income_excluded_kinds",
        gettext_noop("不计入家庭收入的收入类型"),
        sorted(NATIONAL_EXCLUDED_INCOME_KINDS),
        "N",
        "DOMAIN §3.2",
        _code_set(INCOME_KINDS),
    ),
    _p(
        "employment_disregard_months",
        gettext_noop("新就业收入豁免期（月，0为不豁免）"),
        0,
        "L",
        "DOMAIN §3.2",
        _int_in(0, 12),
    ),
    _p(
        "employment_disregard_cap_bp",
        gettext_noop("新就业收入每月豁免上限（低保标准的基点）"),
        30_000,
        "L",
        "DOMAIN §3.2",
        _int_in(0, 100_000),
    ),
    # Property (DOMAIN §3.3)
    _p(
        "deposit_limit_months",
        gettext_noop("人均存款等金融资产上限（月低保标准的倍数）"),
        24,
        "L",
        "DOMAIN §3.3",
        _int_in(0, 240),
    ),
    _p("max_dwellings", gettext_noop("住房上限（套）"), 1, "L", "DOMAIN §3.3", _int_in(0, 10)),
    _p("vehicles_allowed", gettext_noop("允许拥有机动车"), False, "L", "DOMAIN §3.3", _bool),
    _p("businesses_allowed", gettext_noop("允许有工商登记的经营实体"), False, "L", "DOMAIN §3.3", _bool),
    # Edge households (DOMAIN §5.1)
    _p(
        "near_poor_multiple_bp",
        gettext_noop("低保边缘家庭收入上限（低保标准的基点）"),
        15_000,
        "N",
        "DOMAIN §5.1",
        _int_in(10_000, 30_000),
    ),
    _p(
        "near_poor_income_cap_fen",
        gettext_noop("低保边缘家庭人均收入封顶（分，空为不封顶）"),
        None,
        "L",
        "DOMAIN §5.1",
        _optional_fen,
    ),
    _p("near_poor_valid_months", gettext_noop("低保边缘家庭认定有效期（月）"), 12, "L", "DOMAIN §5.1", _int_in(1, 36)),
    # Dynamic management (DOMAIN §4.7)
    _p("grace_months", gettext_noop("渐退期（月）"), 6, "N", "DOMAIN §4.7", _int_in(0, 6)),
    _p("review_months_stable", gettext_noop("收入稳定家庭复核间隔（月）"), 12, "N", "DOMAIN §4.7", _int_in(1, 24)),
    _p(
        "review_months_unstable",
        gettext_noop("收入不稳定或有劳动能力成员家庭复核间隔（月）"),
        6,
        "N",
        "DOMAIN §4.7",
        _int_in(1, 24),
    ),
    _p("death_review_months", gettext_noop("成员死亡后复核时限（月）"), 3, "N", "DOMAIN §4.7", _int_in(1, 12)),
    # Statutory clocks (DOMAIN §4.5, §15)
    _p("acceptance_wd", gettext_noop("受理时限（工作日）"), 3, "L", "DOMAIN §4.5 step 2", WD),
    _p(
        "investigation_start_wd",
        gettext_noop("受理后启动家庭经济状况调查时限（工作日）"),
        3,
        "N",
        "DOMAIN §4.5 step 3",
        WD,
    ),
    _p("verification_start_wd", gettext_noop("核对申请后启动信息核对时限（工作日）"), 3, "N", "DOMAIN §4.5 step 4", WD),
    _p("investigation_wd", gettext_noop("入户调查完成时限（工作日）"), 10, "L", "DOMAIN §4.5 step 5", WD),
    _p(
        "township_opinion_wd",
        gettext_noop("调查结束后乡镇提出初审意见时限（工作日）"),
        5,
        "L",
        "DOMAIN §4.5 step 6",
        WD,
    ),
    _p("notice_days", gettext_noop("村（社区）公示期（自然日）"), 7, "N", "DOMAIN §4.5 step 6", _int_in(1, 30)),
    _p("township_forward_wd", gettext_noop("公示结束后乡镇报送县级时限（工作日）"), 3, "L", "DOMAIN §4.5 step 7a", WD),
    _p("county_decision_wd", gettext_noop("县级收到材料后审批时限（工作日）"), 10, "N", "DOMAIN §4.5 step 8", WD),
    _p("decision_notice_wd", gettext_noop("不予批准决定书面告知时限（工作日）"), 3, "N", "DOMAIN §4.5 step 9b", WD),
    _p("overall_wd", gettext_noop("受理至审批总时限（工作日）"), 30, "N", "DOMAIN §4.5", WD),
    _p("overall_special_wd", gettext_noop("特殊情况总时限（工作日）"), 45, "N", "DOMAIN §4.5", WD),
    _p("delegated_overall_wd", gettext_noop("乡镇确认模式总时限（工作日）"), 20, "N", "DOMAIN §4.5", WD),
    _p("delegated_special_wd", gettext_noop("乡镇确认模式特殊情况总时限（工作日）"), 45, "N", "DOMAIN §4.5", WD),
    # Workflow (DOMAIN §4.5, §3.6, §3.7)
    _p("workflow_mode", gettext_noop("审核确认模式"), "county_confirms", "N", "DOMAIN §4.5", _choice(WorkflowMode)),
    _p("appraisal_mode", gettext_noop("民主评议"), "when_disputed", "N", "DOMAIN §3.6, §15", _choice(AppraisalMode)),
    _p(
        "notice_stages",
        gettext_noop("公示环节"),
        ["village_notice", "publication"],
        "N",
        "DOMAIN §3.7, §15",
        _notice_stages,
    ),
    # Payment (DOMAIN §4.6)
    _p("payment_frequency", gettext_noop("发放周期"), "monthly", "N", "DOMAIN §4.6", _choice(PaymentFrequency)),
    _p("payment_day", gettext_noop("每期发放日（日）"), 10, "N", "DOMAIN §4.6", _int_in(1, 28)),
)

PARAMETERS_BY_KEY: dict[str, ParamSpec] = {spec.key: spec for spec in PARAMETERS}

# Labels of the coded values, for the admin and printed policy tables.
VALUE_LABELS: dict[str, str] = {
    BenefitMethod.GAP: gettext_noop("补差"),
    BenefitMethod.BANDS: gettext_noop("分档"),
    RoundingPoint.PER_PERSON: gettext_noop("按人取整"),
    RoundingPoint.HOUSEHOLD: gettext_noop("按户取整"),
    RoundingMode.HALF_UP: gettext_noop("四舍五入"),
    RoundingMode.UP: gettext_noop("进位"),
    RoundingMode.DOWN: gettext_noop("舍去"),
    RoundingUnit.FEN: gettext_noop("到分"),
    RoundingUnit.YUAN: gettext_noop("到元"),
    SupplementStacking.HIGHEST: gettext_noop("就高，不重复享受"),
    SupplementStacking.SUM: gettext_noop("累加"),
    IndividualAmountRule.FULL_STANDARD: gettext_noop("按低保标准全额"),
    WorkflowMode.COUNTY_CONFIRMS: gettext_noop("县级审核确认"),
    WorkflowMode.TOWNSHIP_CONFIRMS: gettext_noop("乡镇审核确认（委托下放）"),
    AppraisalMode.NEVER: gettext_noop("不进行"),
    AppraisalMode.WHEN_DISPUTED: gettext_noop("有异议时进行"),
    AppraisalMode.ALWAYS: gettext_noop("每件申请都进行"),
    PaymentFrequency.MONTHLY: gettext_noop("按月发放"),
    PaymentFrequency.QUARTERLY: gettext_noop("按季发放"),
    NoticeStage.VILLAGE_NOTICE: gettext_noop("村（社区）公示"),
    NoticeStage.TOWNSHIP_NOTICE: gettext_noop("乡镇公示"),
    NoticeStage.COUNTY_NOTICE: gettext_noop("县级公示"),
    NoticeStage.PUBLICATION: gettext_noop("长期公示"),
}


# --- Validation and building ---------------------------------------------------------------------------


def _parse_keys(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[PolicyProblem]]:
    typed: dict[str, Any] = {}
    problems: list[PolicyProblem] = []
    for key, value in values.items():
        spec = PARAMETERS_BY_KEY.get(key)
        if spec is None:
            problems.append(PolicyProblem(key, gettext_noop("未知参数“%(key)s”。"), label_params(key=key)))
            continue
        if value is None and spec.required:
            continue
        try:
            typed[key] = spec.parse(value)
        except _Invalid as invalid:
            problems.append(PolicyProblem(key, invalid.message, invalid.params))
    return typed, problems


def _cross_problems(typed: Mapping[str, Any]) -> list[PolicyProblem]:
    problems: list[PolicyProblem] = []
    # Only keys present are compared: a version may switch to bands that an ancestor sets.
    if typed.get("benefit_method") == BenefitMethod.BANDS and "bands" in typed and not typed["bands"]:
        problems.append(PolicyProblem("bands", gettext_noop("按分档计发时须设置分档标准。")))
    stable, unstable = typed.get("review_months_stable"), typed.get("review_months_unstable")
    if stable is not None and unstable is not None and unstable > stable:
        problems.append(
            PolicyProblem("review_months_unstable", gettext_noop("收入不稳定家庭的复核间隔不应长于收入稳定家庭。"))
        )
    for normal, special in (("overall_wd", "overall_special_wd"), ("delegated_overall_wd", "delegated_special_wd")):
        if normal in typed and special in typed and typed[special] < typed[normal]:
            problems.append(PolicyProblem(special, gettext_noop("特殊情况总时限不应短于一般总时限。")))
    return problems


def params_problems(params: Mapping[str, Any]) -> list[PolicyProblem]:
    """Problems of one version's own parameters (keys known, values valid), without inheritance."""
    typed, problems = _parse_keys(params)
    required = [spec.key for spec in PARAMETERS if spec.required and spec.key in params and params[spec.key] is None]
    problems += [PolicyProblem(key, gettext_noop("不能为空。")) for key in required]
    return problems + _cross_problems(typed)


def values_with_defaults(values: Mapping[str, Any]) -> dict[str, Any]:
    return {spec.key: values.get(spec.key, spec.default) for spec in PARAMETERS}


def resolved_values_problems(values: Mapping[str, Any], *, require_standard: bool) -> list[PolicyProblem]:
    """Problems of a complete set of values (after inheritance and defaults)."""
    typed, problems = _parse_keys(
        {k: v for k, v in values_with_defaults(values).items() if v is not None or k != "standard_fen"}
    )
    problems += _cross_problems(typed)
    if require_standard and "standard_fen" not in typed and not any(p.key == "standard_fen" for p in problems):
        problems.append(PolicyProblem("standard_fen", gettext_noop("未设置低保标准。")))
    return problems


def policy_from_values(values: Mapping[str, Any]) -> DibaoPolicy:
    """Build the typed policy from JSON values (missing keys take the defaults); raise PolicyError."""
    problems = resolved_values_problems(values, require_standard=True)
    if problems:
        raise PolicyError(problems)
    typed, _ = _parse_keys(values_with_defaults(values))
    return DibaoPolicy(**typed)


def policy_to_values(policy: DibaoPolicy) -> dict[str, Any]:
    """The JSON values of a policy (the inverse of `policy_from_values`)."""
    values: dict[str, Any] = {}
    for spec in PARAMETERS:
        value = getattr(policy, spec.key)
        if spec.key == "bands":
            value = [{"below_fen": b.below_fen, "amount_fen": b.amount_fen} for b in value]
        elif spec.key == "supplements":
            value = {
                s.category: {"percent_bp": s.percent_bp} if s.percent_bp is not None else {"fixed_fen": s.fixed_fen}
                for s in value
            }
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        elif isinstance(value, StrEnum):
            value = value.value
        values[spec.key] = value
    return values


def percent_text(basis_points: int) -> str:
    """15000 → "150%", 1250 → "12.5%"."""
    return f"{(Decimal(basis_points) / 100).normalize():f}%"


def describe_value(key: str, value: Any, translate: Translate = no_translation) -> str:
    """A value as a short Chinese text for tables (admin, printed policy)."""
    if value is None:
        return "—"
    if key.endswith("_fen") and isinstance(value, int):
        return f"{fen_to_yuan_text(value)} " + translate(gettext_noop("元"))
    if key.endswith("_bp") and isinstance(value, int):
        return percent_text(value)
    if isinstance(value, bool):
        return translate(gettext_noop("是") if value else gettext_noop("否"))
    if key == "bands":
        return (
            "；".join(
                render_label(
                    gettext_noop("人均收入低于 %(below)s 元：每人 %(amount)s 元")
                    if band["below_fen"] is not None
                    else gettext_noop("其余：每人 %(amount)s 元"),
                    label_params(
                        below=fen_to_yuan_text(band["below_fen"] or 0), amount=fen_to_yuan_text(band["amount_fen"])
                    ),
                    translate,
                )
                for band in value
            )
            or "—"
        )
    if key == "supplements":
        parts = []
        for category, rate in value.items():
            name = translate(MEMBER_CATEGORIES.get(category, category))
            if "percent_bp" in rate:
                parts.append(f"{name} {percent_text(rate['percent_bp'])}")
            else:
                parts.append(f"{name} {fen_to_yuan_text(rate['fixed_fen'])} " + translate(gettext_noop("元")))
        return "；".join(parts) or "—"
    if isinstance(value, list):
        labels: dict[str, str] = {**EXCLUSION_CIRCUMSTANCES, **INCOME_KINDS, **VALUE_LABELS}
        return "、".join(translate(labels.get(str(item), str(item))) for item in value) or "—"
    if isinstance(value, str) and value in VALUE_LABELS:
        return translate(VALUE_LABELS[value])
    return str(value)
