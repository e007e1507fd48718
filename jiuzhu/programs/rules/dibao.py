"""Dibao (低保) eligibility, the monthly amount as itemised lines, edge households, individual applications.

Pure: no Django, no database, no clock; money in integer fen, exact fractions until rounding.
Policy (DOMAIN.md): Social Assistance Interim Measures (State Council decree 649, 2014) Art. 9–12;
Measures for Dibao Review and Confirmation (MCA, 2021) Art. 7–8, 13–14, 23, 27; MCA opinions on
improving dibao (S8 §1). Values come from the resolved `DibaoPolicy` (programs.rules.policy).

Eligibility (§4.1): at least one counted member, per-capita monthly countable income strictly
below the standard (income exactly at the standard is not eligible), and every property rule
passed. Each failed test gives a reason (stable code + Chinese label).

Amount (§4.3): a base line — the gap (standard − per-capita income) × covered members, or the
band amount × members, or (one-person cases where the policy says so) the full standard — plus one
supplement line per member and category (分类施保: a share of the standard or a fixed amount; with
`supplement_stacking` "highest" only a member's highest one). Rounding follows the policy:
* `per_person`: each person's amount is rounded (mode, unit), then multiplied;
* `household`: every line is computed exactly and shown rounded half up to the fen; the exact
  total is rounded once (mode, unit) and a "rounding" line holds the difference.
Then a "minimum_top_up" line lifts the total to `minimum_payment_fen`. The lines always sum
exactly to the total (checked when a `Benefit` is built), and the total is never negative.
§16a example 1: standard 600, 3 members, 12 000 yuan over 12 months → per-capita 333.33…;
household rounding gives a gap of 800.00, per-person rounding 266.67 × 3 = 800.01.

Edge households (§5.1): not eligible, property passed, per-capita income below
`near_poor_multiple_bp` × standard (and below `near_poor_income_cap_fen` where set).
Individual applications (§3.1, S8 §1(1),(4)): a severely disabled (certificate grade 1–2, grade 3
intellectual or mental) or seriously ill member of an edge household may be assessed alone as a
one-person case, with his or her own income and assets; a family that qualifies as a whole must be
enrolled as a whole.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP
from fractions import Fraction
from typing import Any

from jiuzhu.common.money import fen_to_yuan_text, round_fraction_to_fen
from jiuzhu.programs.rules.codes import MEMBER_CATEGORIES, SUPPLEMENT_LINE_LABELS
from jiuzhu.programs.rules.income import IncomeAssessment, IncomeFacts, assess_income
from jiuzhu.programs.rules.labels import (
    LabelParams,
    Translate,
    gettext_noop,
    label_params,
    no_translation,
    render_label,
)
from jiuzhu.programs.rules.members import (
    MemberDecision,
    MemberFacts,
    decide_members,
    is_seriously_ill,
    is_severely_disabled,
    member_categories,
)
from jiuzhu.programs.rules.policy import (
    BenefitMethod,
    DibaoPolicy,
    IndividualAmountRule,
    RoundingMode,
    RoundingPoint,
    RoundingUnit,
    Supplement,
    SupplementStacking,
    percent_text,
)
from jiuzhu.programs.rules.property import PROPERTY_FAILURES, AssetFacts, PropertyAssessment, assess_property

# --- Inputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdFacts:
    """Everything the assessment needs about one family; built by a selector or by the trial calculation."""

    members: tuple[MemberFacts, ...]
    incomes: tuple[IncomeFacts, ...] = ()
    assets: tuple[AssetFacts, ...] = ()
    waived_property_rules: frozenset[str] = frozenset()


# --- Reasons -----------------------------------------------------------------------------------------

NO_COUNTED_MEMBERS = "no_counted_members"
INCOME_AT_OR_ABOVE_STANDARD = "income_at_or_above_standard"
MEMBER_NOT_FOUND = "member_not_found"
MEMBER_NOT_COUNTED = "member_not_counted"
NOT_SEVERELY_DISABLED_OR_ILL = "not_severely_disabled_or_ill"
HOUSEHOLD_ELIGIBLE_AS_WHOLE = "household_eligible_as_whole"
HOUSEHOLD_NOT_NEAR_POOR = "household_at_or_above_near_poor_line"

REASON_LABELS: dict[str, str] = {
    NO_COUNTED_MEMBERS: gettext_noop("没有共同生活的家庭成员"),
    INCOME_AT_OR_ABOVE_STANDARD: gettext_noop("家庭人均收入不低于当地低保标准"),
    **{code: label for code, label in PROPERTY_FAILURES.values()},
    MEMBER_NOT_FOUND: gettext_noop("该成员不在本家庭"),
    MEMBER_NOT_COUNTED: gettext_noop("该成员不属于共同生活的家庭成员"),
    NOT_SEVERELY_DISABLED_OR_ILL: gettext_noop("该成员不是重度残疾人或重病患者"),
    HOUSEHOLD_ELIGIBLE_AS_WHOLE: gettext_noop("家庭整体符合低保条件，应整户纳入，不得只纳入部分成员"),
    HOUSEHOLD_NOT_NEAR_POOR: gettext_noop("家庭人均收入不低于低保边缘家庭标准"),
}


@dataclass(frozen=True)
class Reason:
    code: str
    label: str

    @classmethod
    def of(cls, code: str) -> Reason:
        return cls(code, REASON_LABELS[code])


# --- Benefit lines -----------------------------------------------------------------------------------

GAP_LINE = "gap"
BAND_LINE = "band"
FULL_STANDARD_LINE = "full_standard"
SUPPLEMENT_LINE = "supplement"
ROUNDING_LINE = "rounding"
MINIMUM_TOP_UP_LINE = "minimum_top_up"

LINE_LABELS: dict[str, str] = {
    GAP_LINE: gettext_noop("补差"),
    BAND_LINE: gettext_noop("分档补助"),
    FULL_STANDARD_LINE: gettext_noop("按低保标准全额保障"),
    ROUNDING_LINE: gettext_noop("取整调整"),
    MINIMUM_TOP_UP_LINE: gettext_noop("补足最低发放额"),
}


@dataclass(frozen=True)
class BenefitLine:
    """One line of the monthly amount, as stored with a decision and printed on it.

    `count` persons at `unit_fen` each (per-person rounding), or an amount for the household;
    `basis` is a Chinese msgid with placeholders (`basis_params`) explaining the figure.
    """

    code: str
    label: str
    amount_fen: int
    count: int = 1
    unit_fen: int | None = None
    member_ref: str | None = None
    category: str | None = None
    basis: str = ""
    basis_params: LabelParams = ()

    def render_basis(self, translate: Translate = no_translation) -> str:
        return render_label(self.basis, self.basis_params, translate) if self.basis else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "amount_fen": self.amount_fen,
            "count": self.count,
            "unit_fen": self.unit_fen,
            "member_ref": self.member_ref,
            "category": self.category,
            "basis": self.basis,
            "basis_params": dict(self.basis_params),
        }


@dataclass(frozen=True)
class Benefit:
    lines: tuple[BenefitLine, ...]
    total_fen: int

    def __post_init__(self) -> None:
        if sum(line.amount_fen for line in self.lines) != self.total_fen:
            raise ValueError("benefit lines must sum to the total")
        if self.total_fen < 0:
            raise ValueError("a benefit is never negative")


_ROUNDING = {RoundingMode.HALF_UP: ROUND_HALF_UP, RoundingMode.UP: ROUND_UP, RoundingMode.DOWN: ROUND_DOWN}


def _round(value: Fraction, policy: DibaoPolicy) -> int:
    unit = 100 if policy.rounding_unit == RoundingUnit.YUAN else 1
    return round_fraction_to_fen(value, _ROUNDING[policy.rounding_mode], unit)


@dataclass(frozen=True)
class _ExactLine:
    code: str
    label: str
    per_person: Fraction
    count: int
    basis: str
    basis_params: LabelParams
    member_ref: str | None = None
    category: str | None = None


def _yuan(value: Fraction | int) -> str:
    return fen_to_yuan_text(round_fraction_to_fen(Fraction(value)))


def _base_line(per_capita: Fraction, count: int, policy: DibaoPolicy, individual: bool) -> _ExactLine:
    standard = policy.standard_fen
    if individual and policy.individual_amount_rule == IndividualAmountRule.FULL_STANDARD:
        return _ExactLine(
            FULL_STANDARD_LINE,
            LINE_LABELS[FULL_STANDARD_LINE],
            Fraction(standard),
            count,
            gettext_noop("低保标准 %(standard)s 元 × %(count)s 人"),
            label_params(standard=_yuan(standard), count=count),
        )
    if policy.benefit_method == BenefitMethod.BANDS:
        band = next(b for b in policy.bands if b.below_fen is None or per_capita < b.below_fen)
        return _ExactLine(
            BAND_LINE,
            LINE_LABELS[BAND_LINE],
            Fraction(band.amount_fen),
            count,
            gettext_noop("人均收入 %(income)s 元所在档，每人 %(amount)s 元 × %(count)s 人"),
            label_params(income=_yuan(per_capita), amount=_yuan(band.amount_fen), count=count),
        )
    return _ExactLine(
        GAP_LINE,
        LINE_LABELS[GAP_LINE],
        max(Fraction(standard) - per_capita, Fraction(0)),
        count,
        gettext_noop("（低保标准 %(standard)s 元 − 人均收入 %(income)s 元）× %(count)s 人"),
        label_params(standard=_yuan(standard), income=_yuan(per_capita), count=count),
    )


def _supplement_amount(supplement: Supplement, standard_fen: int) -> Fraction:
    numerator, denominator = supplement.exact_amount(standard_fen)
    return Fraction(numerator, denominator)


def _supplement_lines(ref: str, categories: frozenset[str], policy: DibaoPolicy) -> list[_ExactLine]:
    found = [
        supplement
        for category in MEMBER_CATEGORIES  # canonical order: on a tie, the first category wins
        if category in categories and (supplement := policy.supplement_for(category)) is not None
    ]
    if policy.supplement_stacking == SupplementStacking.HIGHEST and found:
        best = max(_supplement_amount(s, policy.standard_fen) for s in found)
        found = [next(s for s in found if _supplement_amount(s, policy.standard_fen) == best)]
    lines = []
    for supplement in found:
        if supplement.percent_bp is not None:
            basis = gettext_noop("低保标准 %(standard)s 元 × %(percent)s")
            params = label_params(standard=_yuan(policy.standard_fen), percent=percent_text(supplement.percent_bp))
        else:
            basis = gettext_noop("定额 %(amount)s 元")
            params = label_params(amount=_yuan(supplement.fixed_fen or 0))
        lines.append(
            _ExactLine(
                SUPPLEMENT_LINE,
                SUPPLEMENT_LINE_LABELS[supplement.category],
                _supplement_amount(supplement, policy.standard_fen),
                1,
                basis,
                params,
                member_ref=ref,
                category=supplement.category,
            )
        )
    return lines


def calculate_benefit(
    *,
    per_capita: Fraction,
    covered: tuple[tuple[str, frozenset[str]], ...],
    policy: DibaoPolicy,
    individual: bool = False,
) -> Benefit:
    """The monthly amount for `covered` members (ref, supplement categories) at exact per-capita income."""
    if not covered:
        raise ValueError("a benefit needs at least one covered member")
    exact = [_base_line(per_capita, len(covered), policy, individual)]
    for ref, categories in covered:
        exact += _supplement_lines(ref, categories, policy)

    lines: list[BenefitLine] = []
    if policy.rounding_point == RoundingPoint.PER_PERSON:
        for line in exact:
            unit = _round(line.per_person, policy)
            lines.append(_line(line, unit * line.count, unit))
    else:
        for line in exact:
            lines.append(_line(line, round_fraction_to_fen(line.per_person * line.count), None))
        total = _round(sum((line.per_person * line.count for line in exact), Fraction(0)), policy)
        difference = total - sum(line.amount_fen for line in lines)
        if difference:
            lines.append(BenefitLine(ROUNDING_LINE, LINE_LABELS[ROUNDING_LINE], difference))

    subtotal = sum(line.amount_fen for line in lines)
    if subtotal < policy.minimum_payment_fen:
        lines.append(
            BenefitLine(
                MINIMUM_TOP_UP_LINE,
                LINE_LABELS[MINIMUM_TOP_UP_LINE],
                policy.minimum_payment_fen - subtotal,
                basis=gettext_noop("最低发放额 %(minimum)s 元"),
                basis_params=label_params(minimum=_yuan(policy.minimum_payment_fen)),
            )
        )
    return Benefit(lines=tuple(lines), total_fen=sum(line.amount_fen for line in lines))


def _line(line: _ExactLine, amount: int, unit: int | None) -> BenefitLine:
    return BenefitLine(
        code=line.code,
        label=line.label,
        amount_fen=amount,
        count=line.count,
        unit_fen=unit,
        member_ref=line.member_ref,
        category=line.category,
        basis=line.basis,
        basis_params=line.basis_params,
    )


# --- Assessment --------------------------------------------------------------------------------------


def near_poor_line(policy: DibaoPolicy) -> Fraction:
    """Per-capita income below which a family that is not eligible is an edge household (§5.1)."""
    line = Fraction(policy.standard_fen * policy.near_poor_multiple_bp, 10_000)
    if policy.near_poor_income_cap_fen is not None:
        line = min(line, Fraction(policy.near_poor_income_cap_fen))
    return line


@dataclass(frozen=True)
class Assessment:
    """The result of assessing one family (or one person, `individual`) on a date."""

    on: datetime.date
    standard_fen: int
    members: tuple[MemberDecision, ...]
    income: IncomeAssessment
    property_test: PropertyAssessment
    reasons: tuple[Reason, ...]
    benefit: Benefit | None
    is_near_poor: bool
    near_poor_line_fen: int
    individual: bool = False

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def counted_member_count(self) -> int:
        return sum(1 for m in self.members if m.counted)

    @property
    def per_capita_income_fen(self) -> int:
        """Rounded half up to the fen, for display; decisions use the exact value (`income.per_capita`)."""
        return self.income.per_capita_fen if self.counted_member_count else 0

    @property
    def lines(self) -> tuple[BenefitLine, ...]:
        return self.benefit.lines if self.benefit else ()

    @property
    def total_fen(self) -> int:
        return self.benefit.total_fen if self.benefit else 0

    def to_json(self) -> dict[str, Any]:
        """The result as stored with a decision and answered by the trial calculation (labels untranslated)."""
        return {
            "on": self.on.isoformat(),
            "eligible": self.eligible,
            "reasons": [{"code": r.code, "label": r.label} for r in self.reasons],
            "standard_fen": self.standard_fen,
            "per_capita_income_fen": self.per_capita_income_fen,
            "lines": [line.to_json() for line in self.lines],
            "total_fen": self.total_fen,
            "is_near_poor": self.is_near_poor,
            "near_poor_line_fen": self.near_poor_line_fen,
            "individual": self.individual,
            "members": [{"ref": m.ref, "counted": m.counted, "code": m.code, "label": m.label} for m in self.members],
            "income": [
                {
                    "kind": line.kind,
                    "member_ref": line.member_ref,
                    "monthly_fen": line.monthly_fen,
                    "countable_fen": line.countable_fen,
                    "treatment": line.treatment,
                    "label": line.label,
                }
                for line in self.income.lines
            ],
            "property": [
                {
                    "rule": r.rule,
                    "label": r.label,
                    "passed": r.passed,
                    "waived": r.waived,
                    "explanation": r.explanation,
                    "params": dict(r.params),
                }
                for r in self.property_test.rules
            ],
        }


def assess_dibao(
    facts: HouseholdFacts, policy: DibaoPolicy, on: datetime.date, *, individual: bool = False
) -> Assessment:
    decisions = decide_members(facts.members, policy, on)
    counted = [m for m, d in zip(facts.members, decisions, strict=True) if d.counted]
    count = len(counted)
    income = assess_income(
        facts.incomes, counted_refs=frozenset(m.ref for m in counted), member_count=count, policy=policy, on=on
    )
    property_ = assess_property(facts.assets, member_count=count, policy=policy, waived=facts.waived_property_rules)

    reasons: list[Reason] = []
    if count == 0:
        reasons.append(Reason.of(NO_COUNTED_MEMBERS))
    elif income.per_capita >= policy.standard_fen:
        reasons.append(Reason.of(INCOME_AT_OR_ABOVE_STANDARD))
    reasons += [Reason.of(result.reason_code) for result in property_.failed]

    benefit = None
    if not reasons:
        covered = tuple((m.ref, member_categories(m, policy, on)) for m in counted)
        benefit = calculate_benefit(per_capita=income.per_capita, covered=covered, policy=policy, individual=individual)

    edge = near_poor_line(policy)
    is_near_poor = bool(reasons) and count > 0 and property_.passed and policy.standard_fen <= income.per_capita < edge
    return Assessment(
        on=on,
        standard_fen=policy.standard_fen,
        members=decisions,
        income=income,
        property_test=property_,
        reasons=tuple(reasons),
        benefit=benefit,
        is_near_poor=is_near_poor,
        near_poor_line_fen=round_fraction_to_fen(edge),
        individual=individual,
    )


# --- Individual applications (单独申请 / 单人保) ----------------------------------------------------------


@dataclass(frozen=True)
class IndividualApplicationCheck:
    member_ref: str
    reasons: tuple[Reason, ...]
    family: Assessment
    individual: Assessment | None  # the one-person case, when the application is allowed

    @property
    def allowed(self) -> bool:
        return not self.reasons


def individual_household_facts(facts: HouseholdFacts, member_ref: str) -> HouseholdFacts:
    """The one-person case: the member alone, with his or her own income and assets.

    Support paid by siblings or parents (household-level items) is left out (S8 §1(4)).
    """
    member = next(m for m in facts.members if m.ref == member_ref)
    alone = replace(member, relation="head")
    return HouseholdFacts(
        members=(alone,),
        incomes=tuple(i for i in facts.incomes if i.member_ref == member_ref),
        assets=tuple(a for a in facts.assets if a.member_ref == member_ref),
        waived_property_rules=facts.waived_property_rules,
    )


def check_individual_application(
    facts: HouseholdFacts, member_ref: str, policy: DibaoPolicy, on: datetime.date
) -> IndividualApplicationCheck:
    family = assess_dibao(facts, policy, on)
    member = next((m for m in facts.members if m.ref == member_ref), None)
    reasons: list[Reason] = []
    if member is None:
        return IndividualApplicationCheck(member_ref, (Reason.of(MEMBER_NOT_FOUND),), family, None)
    if not next(d for d in family.members if d.ref == member_ref).counted:
        reasons.append(Reason.of(MEMBER_NOT_COUNTED))
    if not (is_severely_disabled(member) or is_seriously_ill(member)):
        reasons.append(Reason.of(NOT_SEVERELY_DISABLED_OR_ILL))
    if family.eligible:
        reasons.append(Reason.of(HOUSEHOLD_ELIGIBLE_AS_WHOLE))
    elif not family.is_near_poor:
        if family.counted_member_count and family.income.per_capita >= near_poor_line(policy):
            reasons.append(Reason.of(HOUSEHOLD_NOT_NEAR_POOR))
        reasons += [Reason.of(result.reason_code) for result in family.property_test.failed]
    if reasons:
        return IndividualApplicationCheck(member_ref, tuple(reasons), family, None)
    alone = assess_dibao(individual_household_facts(facts, member_ref), policy, on, individual=True)
    return IndividualApplicationCheck(member_ref, (), family, alone)
