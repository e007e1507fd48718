"""The property test (家庭财产). Each rule returns pass/fail with an explanation.

Pure: no Django, no database, no clock.
Policy: S2 Art. 14 defines property (MCA 2021); the thresholds are local (DOMAIN §3.3):
financial assets per person ≤ `deposit_limit_months` × the monthly standard; at most
`max_dwellings` dwellings; no motor vehicle unless `vehicles_allowed`; no registered business
unless `businesses_allowed`. Assets marked `is_exempt` (property needed for basic production and
living: a disabled person's mobility vehicle, an unused ancestral mud-brick house, a small stall
reviewed and disregarded) are left out of every rule. A case may waive a rule after review
(一事一议): `waived` rules pass, marked as waived; the caller records who approved it and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.codes import ASSET_KINDS, BUSINESS, DEPOSIT, REAL_ESTATE, VEHICLE
from jiuzhu.programs.rules.labels import (
    LabelParams,
    Translate,
    gettext_noop,
    label_params,
    no_translation,
    render_label,
)
from jiuzhu.programs.rules.policy import DibaoPolicy


@dataclass(frozen=True)
class AssetFacts:
    kind: str
    value_fen: int = 0
    quantity: int = 1
    member_ref: str | None = None
    is_exempt: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ASSET_KINDS:
            raise ValueError(f"unknown asset kind: {self.kind}")
        if self.value_fen < 0 or self.quantity < 1:
            raise ValueError("asset value is not negative and quantity is at least 1")


DEPOSITS_RULE = "deposits"
DWELLINGS_RULE = "dwellings"
VEHICLES_RULE = "vehicles"
BUSINESSES_RULE = "businesses"
PROPERTY_RULES = (DEPOSITS_RULE, DWELLINGS_RULE, VEHICLES_RULE, BUSINESSES_RULE)

# Rule → (reason code when it fails, Chinese label of the failure).
PROPERTY_FAILURES: dict[str, tuple[str, str]] = {
    DEPOSITS_RULE: ("deposits_above_limit", gettext_noop("存款等金融资产超过规定标准")),
    DWELLINGS_RULE: ("too_many_dwellings", gettext_noop("住房超过规定套数")),
    VEHICLES_RULE: ("vehicle_owned", gettext_noop("拥有机动车辆")),
    BUSINESSES_RULE: ("business_registered", gettext_noop("有工商登记的经营实体")),
}
PROPERTY_RULE_LABELS: dict[str, str] = {
    DEPOSITS_RULE: gettext_noop("存款等金融资产"),
    DWELLINGS_RULE: gettext_noop("住房"),
    VEHICLES_RULE: gettext_noop("机动车辆"),
    BUSINESSES_RULE: gettext_noop("经营实体"),
}


@dataclass(frozen=True)
class PropertyRuleResult:
    rule: str
    passed: bool
    explanation: str  # Chinese msgid with placeholders
    params: LabelParams = ()
    waived: bool = False

    @property
    def label(self) -> str:
        return PROPERTY_RULE_LABELS[self.rule]

    @property
    def reason_code(self) -> str:
        return PROPERTY_FAILURES[self.rule][0]

    def render(self, translate: Translate = no_translation) -> str:
        return render_label(self.explanation, self.params, translate)


@dataclass(frozen=True)
class PropertyAssessment:
    rules: tuple[PropertyRuleResult, ...]

    @property
    def passed(self) -> bool:
        return all(result.passed for result in self.rules)

    @property
    def failed(self) -> tuple[PropertyRuleResult, ...]:
        return tuple(result for result in self.rules if not result.passed)


def _count(assets: Iterable[AssetFacts], kind: str) -> int:
    return sum(asset.quantity for asset in assets if asset.kind == kind)


def assess_property(
    assets: Iterable[AssetFacts], *, member_count: int, policy: DibaoPolicy, waived: frozenset[str] = frozenset()
) -> PropertyAssessment:
    unknown = waived - set(PROPERTY_RULES)
    if unknown:
        raise ValueError(f"unknown property rules: {sorted(unknown)}")
    countable = [asset for asset in assets if not asset.is_exempt]
    results: list[PropertyRuleResult] = []

    deposits = sum(asset.value_fen for asset in countable if asset.kind == DEPOSIT)
    limit = policy.deposit_limit_months * policy.standard_fen * max(member_count, 0)
    results.append(
        PropertyRuleResult(
            DEPOSITS_RULE,
            deposits <= limit,
            gettext_noop(
                "存款等金融资产合计 %(total)s 元；上限 %(limit)s 元（%(months)s 个月低保标准 × %(members)s 人）。"
            ),
            label_params(
                total=fen_to_yuan_text(deposits),
                limit=fen_to_yuan_text(limit),
                months=policy.deposit_limit_months,
                members=member_count,
            ),
        )
    )

    dwellings = _count(countable, REAL_ESTATE)
    results.append(
        PropertyRuleResult(
            DWELLINGS_RULE,
            dwellings <= policy.max_dwellings,
            gettext_noop("房产 %(count)s 套（处）；本地规定至多 %(max)s 套。"),
            label_params(count=dwellings, max=policy.max_dwellings),
        )
    )

    vehicles = _count(countable, VEHICLE)
    results.append(
        PropertyRuleResult(
            VEHICLES_RULE,
            policy.vehicles_allowed or vehicles == 0,
            gettext_noop("机动车 %(count)s 辆（不含残疾人功能性代步车等豁免车辆）；本地规定允许拥有。")
            if policy.vehicles_allowed
            else gettext_noop("机动车 %(count)s 辆（不含残疾人功能性代步车等豁免车辆）；本地规定不得拥有。"),
            label_params(count=vehicles),
        )
    )

    businesses = _count(countable, BUSINESS)
    results.append(
        PropertyRuleResult(
            BUSINESSES_RULE,
            policy.businesses_allowed or businesses == 0,
            gettext_noop("有工商登记的经营实体 %(count)s 个；本地规定允许。")
            if policy.businesses_allowed
            else gettext_noop("有工商登记的经营实体 %(count)s 个；本地规定不得有。"),
            label_params(count=businesses),
        )
    )

    return PropertyAssessment(
        rules=tuple(
            PropertyRuleResult(r.rule, True, r.explanation, r.params, waived=True)
            if r.rule in waived and not r.passed
            else r
            for r in results
        )
    )
