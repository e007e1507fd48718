"""Code lists shared by the dibao rules: member categories, exclusion circumstances, income and
asset kinds. Stable English codes, Chinese labels (see `labels`).

Income and asset kinds are the registry's (`jiuzhu/registry/choices.py`, `IncomeKind`,
`AssetKind`) as plain strings; this module does not import the registry, and a test keeps the two
lists equal.
"""

from __future__ import annotations

from jiuzhu.programs.rules.labels import gettext_noop

# --- Member categories for classified supplements (分类施保, DOMAIN §4.3). ----------------------------
# Some are derived from a member's facts (age, disability grade, illness, studies); all may also be
# stated explicitly (the trial calculation takes them as a list).
SEVERE_DISABILITY = "severe_disability"
SERIOUS_ILLNESS = "serious_illness"
WIDOWED_ORPHANED = "widowed_orphaned"
STUDENT = "student"
ELDERLY = "elderly"
MINOR = "minor"

MEMBER_CATEGORIES: dict[str, str] = {
    SEVERE_DISABILITY: gettext_noop("重度残疾人"),
    SERIOUS_ILLNESS: gettext_noop("重病患者"),
    WIDOWED_ORPHANED: gettext_noop("鳏寡孤独人员"),
    STUDENT: gettext_noop("在校学生"),
    ELDERLY: gettext_noop("老年人"),
    MINOR: gettext_noop("未成年人"),
}

SUPPLEMENT_LINE_LABELS: dict[str, str] = {
    SEVERE_DISABILITY: gettext_noop("分类施保：重度残疾人"),
    SERIOUS_ILLNESS: gettext_noop("分类施保：重病患者"),
    WIDOWED_ORPHANED: gettext_noop("分类施保：鳏寡孤独人员"),
    STUDENT: gettext_noop("分类施保：在校学生"),
    ELDERLY: gettext_noop("分类施保：老年人"),
    MINOR: gettext_noop("分类施保：未成年人"),
}

# --- Circumstances that exclude a person from the co-residing family (DOMAIN §3.1). -----------------
CLERGY_AWAY = "clergy_away"
IMPRISONED = "imprisoned"
COMPULSORY_REHAB = "compulsory_rehab"
DECLARED_MISSING = "declared_missing"
CONSCRIPT = "conscript"
MISSING_REPORTED = "missing_reported"

EXCLUSION_CIRCUMSTANCES: dict[str, str] = {
    CLERGY_AWAY: gettext_noop("宗教教职人员离家在宗教场所连续居住满3年"),
    IMPRISONED: gettext_noop("在监狱服刑"),
    COMPULSORY_REHAB: gettext_noop("强制隔离戒毒"),
    DECLARED_MISSING: gettext_noop("被人民法院宣告失踪"),
    CONSCRIPT: gettext_noop("服义务兵役"),
    MISSING_REPORTED: gettext_noop("失踪满2年并已报案"),
}
# S2 Art. 7 excludes these everywhere; provinces may add the others (list them in `member_exclusions`).
NATIONAL_EXCLUSIONS: frozenset[str] = frozenset({CLERGY_AWAY, IMPRISONED, COMPULSORY_REHAB, DECLARED_MISSING})

# --- Income kinds (registry IncomeKind values) and what S2 Art. 13 / S16 Art. 4 exclude. -------------
INCOME_KINDS: dict[str, str] = {
    "wages": gettext_noop("工资性收入"),
    "business": gettext_noop("经营净收入"),
    "property": gettext_noop("财产净收入"),
    "transfer": gettext_noop("转移净收入"),
    "pension": gettext_noop("养老金/退休金"),
    "support": gettext_noop("赡养（抚养、扶养）费"),
    "assistance": gettext_noop("政府发放的社会救助款物"),
    "veteran_care": gettext_noop("优待抚恤金"),
    "basic_pension": gettext_noop("城乡居民基本养老保险基础养老金"),
    "family_planning": gettext_noop("计划生育奖励与扶助金"),
    "award": gettext_noop("奖学金、见义勇为等奖励"),
    "other": gettext_noop("其他收入"),
}
WAGES = "wages"
NATIONAL_EXCLUDED_INCOME_KINDS: frozenset[str] = frozenset(
    {"assistance", "veteran_care", "basic_pension", "family_planning", "award"}
)

# --- Asset kinds (registry AssetKind values). ---------------------------------------------------------
DEPOSIT = "deposit"
VEHICLE = "vehicle"
REAL_ESTATE = "real_estate"
BUSINESS = "business"
ASSET_KINDS: frozenset[str] = frozenset({DEPOSIT, VEHICLE, REAL_ESTATE, BUSINESS, "other"})

# --- Relations (registry Relation values) with a statutory duty of support (赡养/扶养/抚养). ----------
SUPPORT_DUTY_RELATIONS: frozenset[str] = frozenset(
    {"head", "spouse", "child", "child_in_law", "grandchild", "parent", "parent_in_law", "grandparent", "sibling"}
)
