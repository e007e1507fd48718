"""Who counts as a co-residing family member (共同生活的家庭成员), and member categories.

Pure: no Django, no database, no clock (the reference date `on` is a parameter).
Policy: Measures for Dibao Review and Confirmation (MCA 2021, S2) Art. 7; DOMAIN §3.1.

Included: the head and the spouse; minor children; adult children who cannot live independently,
including those in full-time education at bachelor level or below; other persons with a statutory
duty of support (赡养/扶养/抚养) who live with the family long-term. Excluded, whatever the
relation: deceased persons and the circumstances listed in the policy's `member_exclusions` (the
national ones — clergy away ≥3 years, prisoners, compulsory drug rehabilitation, declared missing —
plus what the province adds, e.g. conscripts).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from jiuzhu.programs.rules.codes import (
    ELDERLY,
    EXCLUSION_CIRCUMSTANCES,
    MEMBER_CATEGORIES,
    MINOR,
    SERIOUS_ILLNESS,
    SEVERE_DISABILITY,
    STUDENT,
    SUPPORT_DUTY_RELATIONS,
)
from jiuzhu.programs.rules.labels import gettext_noop
from jiuzhu.programs.rules.policy import DibaoPolicy

ADULT_AGE = 18
_SEVERE_GRADES = frozenset({1, 2})
_GRADE_3_SEVERE_CATEGORIES = frozenset({"intellectual", "mental"})  # S8 §1(4): grade 3 intellectual or mental


@dataclass(frozen=True)
class MemberFacts:
    """One person of the applying family, as recorded (registry `Person`, or trial-calculation input).

    `ref` identifies the member within the household (the person id as text, or a position).
    `circumstances` holds exclusion codes (`codes.EXCLUSION_CIRCUMSTANCES`); `categories` holds
    supplement categories stated explicitly (others are derived, see `member_categories`).
    """

    ref: str
    birth_date: datetime.date
    relation: str = "head"
    is_co_resident: bool = True
    is_fulltime_student: bool = False
    studies_above_bachelor: bool = False
    can_live_independently: bool = True
    has_support_duty: bool | None = None  # None: follows from the relation
    circumstances: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    disability_category: str = ""
    disability_grade: int | None = None
    has_serious_illness: bool = False
    death_date: datetime.date | None = None

    def __post_init__(self) -> None:
        unknown = (self.categories - MEMBER_CATEGORIES.keys()) | (self.circumstances - EXCLUSION_CIRCUMSTANCES.keys())
        if unknown:
            raise ValueError(f"unknown member codes: {sorted(unknown)}")
        if self.disability_grade is not None and not 1 <= self.disability_grade <= 4:
            raise ValueError("a disability grade is 1 to 4")


@dataclass(frozen=True)
class MemberDecision:
    """Whether a member counts, with a stable code and its Chinese label."""

    ref: str
    counted: bool
    code: str
    label: str


MEMBER_DECISION_LABELS: dict[str, str] = {
    "head_or_spouse": gettext_noop("户主或配偶"),
    "minor_child": gettext_noop("未成年子女"),
    "dependent_adult_child": gettext_noop("不能独立生活的成年子女（含在校接受本科及以下全日制教育）"),
    "co_resident_relative": gettext_noop("长期共同居住且有法定赡养、扶养或抚养关系"),
    "deceased": gettext_noop("已死亡"),
    "not_co_resident": gettext_noop("未长期共同居住"),
    "no_support_duty": gettext_noop("无法定赡养、扶养或抚养关系"),
    **EXCLUSION_CIRCUMSTANCES,
}


def age_on(birth_date: datetime.date, on: datetime.date) -> int:
    """Full years of age on `on` (a person born on 29 February turns a year older on 1 March)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_severely_disabled(member: MemberFacts) -> bool:
    """Certificate grade 1–2, or grade 3 intellectual or mental disability (S8 §1(4)); or stated."""
    if SEVERE_DISABILITY in member.categories:
        return True
    grade = member.disability_grade
    if grade in _SEVERE_GRADES:
        return True
    return grade == 3 and member.disability_category in _GRADE_3_SEVERE_CATEGORIES


def is_seriously_ill(member: MemberFacts) -> bool:
    return member.has_serious_illness or SERIOUS_ILLNESS in member.categories


def decide_member(member: MemberFacts, policy: DibaoPolicy, on: datetime.date) -> MemberDecision:
    def decision(counted: bool, code: str) -> MemberDecision:
        return MemberDecision(member.ref, counted, code, MEMBER_DECISION_LABELS[code])

    if member.death_date is not None and member.death_date <= on:
        return decision(False, "deceased")
    for circumstance in EXCLUSION_CIRCUMSTANCES:  # canonical order: the first one found is reported
        if circumstance in member.circumstances and circumstance in policy.member_exclusions:
            return decision(False, circumstance)
    if member.relation in ("head", "spouse"):
        return decision(True, "head_or_spouse")
    age = age_on(member.birth_date, on)
    if member.relation == "child":
        if age < ADULT_AGE:
            return decision(True, "minor_child")
        in_education = member.is_fulltime_student and not member.studies_above_bachelor
        if in_education or not member.can_live_independently:
            return decision(True, "dependent_adult_child")
    has_duty = member.has_support_duty
    if has_duty is None:
        has_duty = member.relation in SUPPORT_DUTY_RELATIONS
    if not member.is_co_resident:
        return decision(False, "not_co_resident")
    if not has_duty:
        return decision(False, "no_support_duty")
    return decision(True, "co_resident_relative")


def decide_members(
    members: tuple[MemberFacts, ...], policy: DibaoPolicy, on: datetime.date
) -> tuple[MemberDecision, ...]:
    refs = [m.ref for m in members]
    if len(set(refs)) != len(refs):
        raise ValueError("member refs must be unique within a household")
    return tuple(decide_member(member, policy, on) for member in members)


def member_categories(member: MemberFacts, policy: DibaoPolicy, on: datetime.date) -> frozenset[str]:
    """Supplement categories: those stated, plus those that follow from the member's facts."""
    categories = set(member.categories)
    age = age_on(member.birth_date, on)
    if age >= policy.elderly_age:
        categories.add(ELDERLY)
    if age < ADULT_AGE:
        categories.add(MINOR)
    if is_severely_disabled(member):
        categories.add(SEVERE_DISABILITY)
    if is_seriously_ill(member):
        categories.add(SERIOUS_ILLNESS)
    if member.is_fulltime_student:
        categories.add(STUDENT)
    return frozenset(categories)
