"""Synthetic persons: the plain specs the writer turns into rows, and the facts of one life. Pure.

Everything is decided from age on `AS_OF` (2012-12-31) and whether the person lives in a village
or the town's community: schooling, work, ability to work, disability, incomes in integer fen.
Nobody is drawn older than 89 here; the 31 people over 90 are placed on purpose (plan.LONGEVITY).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jiuzhu.demo.names import random_full_name
from jiuzhu.demo.town import AS_OF
from jiuzhu.registry.choices import (
    AssetKind,
    DisabilityCategory,
    Education,
    Employment,
    IncomeKind,
    IncomeSource,
    MaritalStatus,
    Relation,
    Sex,
    Supporter,
    WorkAbility,
)

MAX_ORDINARY_AGE = 89
REVIEW_2012 = (datetime.date(2012, 4, 1), datetime.date(2012, 4, 30))  # the April 2012 清理核查


@dataclass(slots=True)
class IncomeSpec:
    kind: str
    amount_fen: int
    description: str
    source: str = IncomeSource.DECLARED
    recorded_on: datetime.date = datetime.date(2012, 4, 15)


@dataclass(slots=True)
class AssetSpec:
    kind: str
    description: str
    value_fen: int
    floor_area_sqm: Decimal | None = None
    quantity: int = 1
    recorded_on: datetime.date = datetime.date(2012, 4, 15)


@dataclass(slots=True)
class PersonSpec:
    relation: str
    name: str
    sex: str
    birth_date: datetime.date
    marital_status: str = MaritalStatus.UNMARRIED
    education: str = ""
    is_student: bool = False
    employment: str = ""
    work_ability: str = WorkAbility.FULL
    supporter: str = Supporter.ABLE
    disability_category: str = ""
    disability_grade: int | None = None
    has_serious_illness: bool = False
    illness_description: str = ""
    is_cadre: bool = False
    is_cadre_relative: bool = False
    is_co_resident: bool = True
    ethnicity: str = "01"
    death_date: datetime.date | None = None
    started_on: datetime.date | None = None  # membership start; filled in when the household is complete
    incomes: list[IncomeSpec] = field(default_factory=list)
    cohorts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    id_number: str = ""
    death_pending: bool = False  # died in 2012 in a way that changes a benefit: recorded by the demo history

    @property
    def age(self) -> int:
        return age_on_as_of(self.birth_date)

    @property
    def is_alive(self) -> bool:
        return self.death_date is None

    @property
    def is_male(self) -> bool:
        return self.sex == Sex.MALE


@dataclass(slots=True)
class HouseholdSpec:
    region_id: int
    region_code: str
    hukou_type: str
    address: str
    members: list[PersonSpec]
    status: str = "active"
    bank_name: str = ""
    account_holder: str = ""
    account_number: str = ""
    notes: str = ""
    assets: list[AssetSpec] = field(default_factory=list)
    cohorts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def head(self) -> PersonSpec:
        return next(p for p in self.members if p.relation == Relation.HEAD)


def age_on_as_of(birth: datetime.date) -> int:
    return AS_OF.year - birth.year  # AS_OF is 31 December: everyone has had this year's birthday


def birth_for_age(rng: random.Random, age: int) -> datetime.date:
    """A birth date giving exactly `age` on 2012-12-31."""
    year = AS_OF.year - age
    start = datetime.date(year, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(year, 12, 31).toordinal()))


def yuan(amount: int) -> int:
    return amount * 100


_MINORITIES = ("15", "06", "07", "03", "04")  # 土家族, 苗族, 彝族, 回族, 藏族
_DISABILITY = (
    (DisabilityCategory.PHYSICAL, 30), (DisabilityCategory.HEARING, 18), (DisabilityCategory.VISUAL, 14),
    (DisabilityCategory.MULTIPLE, 12), (DisabilityCategory.MENTAL, 12), (DisabilityCategory.INTELLECTUAL, 10),
    (DisabilityCategory.SPEECH, 4),
)  # fmt: skip
SERIOUS_ILLNESSES = (
    "尿毒症", "恶性肿瘤（肺癌）", "恶性肿瘤（胃癌）", "恶性肿瘤（肝癌）", "白血病", "脑梗塞后遗症", "重症肝炎",
    "慢性肾功能衰竭", "乳腺癌", "宫颈癌", "先天性心脏病", "重度精神分裂症",
)  # fmt: skip
CHRONIC_ILLNESSES = (
    "高血压", "糖尿病", "慢性支气管炎", "风湿性关节炎", "冠心病", "慢性胃炎", "腰椎间盘突出", "慢性阻塞性肺病",
)  # fmt: skip


class PersonFactory:
    """Draws persons with consistent facts. One instance per generation run (it holds the rng)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(
        self, *, relation: str, male: bool, age: int, surname: str | None, rural: bool,
        avoid: set[str] | None = None, marital: str | None = None,
    ) -> PersonSpec:  # fmt: skip
        rng = self.rng
        birth = birth_for_age(rng, age)
        taken = frozenset(avoid or ())
        name = random_full_name(rng, male=male, birth_year=birth.year, surname=surname, avoid=taken)
        if avoid is not None:
            avoid.add(name)
        p = PersonSpec(relation=relation, name=name, sex=Sex.MALE if male else Sex.FEMALE, birth_date=birth)
        if rng.random() < 0.005:
            p.ethnicity = _MINORITIES[rng.randrange(len(_MINORITIES))]
        p.marital_status = marital or self._marital(age)
        self._schooling(p, age, rural)
        self._work(p, age, rural)
        if age >= 1 and rng.random() < (0.03 if age < 60 else 0.07):
            self.disable(p)
        return p

    def _marital(self, age: int) -> str:
        if age < 22:
            return MaritalStatus.UNMARRIED
        x = self.rng.random()
        if age < 30:
            return MaritalStatus.MARRIED if x < 0.6 else MaritalStatus.UNMARRIED
        if age >= 70:
            return MaritalStatus.WIDOWED if x < 0.45 else MaritalStatus.MARRIED
        return MaritalStatus.MARRIED if x < 0.88 else (MaritalStatus.DIVORCED if x < 0.94 else MaritalStatus.UNMARRIED)

    def _schooling(self, p: PersonSpec, age: int, rural: bool) -> None:
        rng = self.rng
        if age < 3:
            p.education = Education.NONE
        elif age < 6:
            p.education = Education.PRESCHOOL
        elif age < 12:
            p.education, p.is_student = Education.PRIMARY, True
        elif age < 15:
            p.education, p.is_student = Education.JUNIOR, True
        elif age < 18:
            enrolled = rng.random() < (0.9 if not rural else 0.75)
            p.education, p.is_student = (Education.SENIOR, True) if enrolled else (Education.JUNIOR, False)
        elif age < 22 and rng.random() < (0.4 if not rural else 0.2):
            p.education, p.is_student = (Education.COLLEGE if rng.random() < 0.5 else Education.BACHELOR), True
        else:
            p.education = self._adult_education(p.birth_date.year, rural)

    def _adult_education(self, year: int, rural: bool) -> str:
        x = self.rng.random() + (0.0 if rural else 0.15)
        steps: tuple[tuple[float, str], ...]
        if year <= 1940:
            steps = ((0.45, Education.NONE), (0.9, Education.PRIMARY), (9, Education.JUNIOR))
        elif year <= 1960:
            steps = ((0.15, Education.NONE), (0.6, Education.PRIMARY), (0.9, Education.JUNIOR), (9, Education.SENIOR))
        elif year <= 1980:
            steps = ((0.25, Education.PRIMARY), (0.75, Education.JUNIOR), (0.93, Education.SENIOR),
                     (0.98, Education.COLLEGE), (9, Education.BACHELOR))  # fmt: skip
        else:
            steps = ((0.4, Education.JUNIOR), (0.7, Education.SENIOR), (0.88, Education.COLLEGE),
                     (0.98, Education.BACHELOR), (9, Education.POSTGRADUATE))  # fmt: skip
        return next(level for limit, level in steps if x < limit)

    def _work(self, p: PersonSpec, age: int, rural: bool) -> None:
        rng = self.rng
        if age < 6:
            p.employment, p.work_ability = Employment.PRESCHOOL_CHILD, WorkAbility.NONE
            return
        if p.is_student:
            p.employment = Employment.STUDENT
            p.work_ability = WorkAbility.NONE if age < 16 else WorkAbility.FULL
            return
        if age < 16:
            p.employment, p.work_ability = Employment.STUDENT, WorkAbility.NONE
            return
        x = rng.random()
        if rural:
            if age <= 50:
                p.employment = Employment.MIGRANT if x < 0.45 else (Employment.FARMING if x < 0.9 else (
                    Employment.SELF_EMPLOYED if x < 0.95 else Employment.UNEMPLOYED))  # fmt: skip
            elif age <= 70:
                p.employment = (
                    Employment.FARMING if x < 0.8 else (Employment.MIGRANT if x < 0.9 else Employment.UNEMPLOYED)
                )
            else:
                p.employment = Employment.FARMING if x < 0.25 else Employment.UNEMPLOYED
        else:
            retire_at = 60 if p.is_male else 55
            if age >= retire_at:
                p.employment = Employment.RETIRED if x < 0.7 else Employment.UNEMPLOYED
            else:
                p.employment = Employment.EMPLOYED if x < 0.5 else (Employment.SELF_EMPLOYED if x < 0.7 else (
                    Employment.MIGRANT if x < 0.75 else Employment.UNEMPLOYED))  # fmt: skip
        if age >= 80:
            p.work_ability = WorkAbility.NONE
        elif age >= 70:
            p.work_ability = WorkAbility.NONE if x < 0.6 else WorkAbility.PARTIAL
        elif age >= 60:
            p.work_ability = WorkAbility.PARTIAL if x < 0.5 else WorkAbility.FULL

    def disable(self, p: PersonSpec, grades: tuple[int, ...] = (1, 2, 2, 3, 3, 3, 4, 4, 4, 4)) -> None:
        rng = self.rng
        x = rng.randrange(100)
        for category, weight in _DISABILITY:
            x -= weight
            if x < 0:
                p.disability_category = category
                break
        else:
            p.disability_category = DisabilityCategory.PHYSICAL
        p.disability_grade = grades[rng.randrange(len(grades))]
        if p.disability_grade <= 2:
            p.work_ability = WorkAbility.NONE
            if p.employment not in (Employment.STUDENT, Employment.PRESCHOOL_CHILD, Employment.RETIRED):
                p.employment = Employment.UNEMPLOYED
        elif p.work_ability == WorkAbility.FULL:
            p.work_ability = WorkAbility.PARTIAL

    def fall_ill(self, p: PersonSpec, *, serious: bool) -> str:
        rng = self.rng
        if serious:
            p.has_serious_illness = True
            p.illness_description = SERIOUS_ILLNESSES[rng.randrange(len(SERIOUS_ILLNESSES))]
            p.work_ability = WorkAbility.NONE
        elif not p.illness_description:
            p.illness_description = CHRONIC_ILLNESSES[rng.randrange(len(CHRONIC_ILLNESSES))]
            if p.work_ability == WorkAbility.FULL:
                p.work_ability = WorkAbility.PARTIAL
        return p.illness_description

    def ordinary_incomes(self, p: PersonSpec, rural: bool) -> None:
        """Monthly incomes of a member of a household that receives nothing (integer fen)."""
        rng = self.rng
        if not p.is_alive or p.employment in ("", Employment.STUDENT, Employment.PRESCHOOL_CHILD):
            if rural and p.is_alive and p.age >= 60:
                p.incomes.append(IncomeSpec(IncomeKind.PENSION, yuan(55), "城乡居民基础养老金"))
            return
        e = p.employment
        if e == Employment.MIGRANT:
            p.incomes.append(IncomeSpec(IncomeKind.WAGES, yuan(rng.randrange(1500, 3300, 50)), "外出务工收入"))
        elif e == Employment.FARMING:
            amount = yuan(rng.randrange(120, 420, 10))
            p.incomes.append(IncomeSpec(IncomeKind.BUSINESS, amount, "种养殖纯收入", IncomeSource.IMPUTED))
        elif e == Employment.SELF_EMPLOYED:
            p.incomes.append(IncomeSpec(IncomeKind.BUSINESS, yuan(rng.randrange(1000, 3200, 50)), "个体经营纯收入"))
        elif e == Employment.EMPLOYED:
            p.incomes.append(IncomeSpec(IncomeKind.WAGES, yuan(rng.randrange(1200, 3600, 50)), "工资收入"))
        elif e == Employment.RETIRED:
            p.incomes.append(IncomeSpec(IncomeKind.PENSION, yuan(rng.randrange(1100, 2300, 10)), "企业退休养老金"))
        if rural and p.age >= 60 and e != Employment.RETIRED:
            p.incomes.append(IncomeSpec(IncomeKind.PENSION, yuan(55), "城乡居民基础养老金"))

    def dwelling(self, *, rural: bool, poor: bool) -> AssetSpec:
        rng = self.rng
        if rural:
            area = rng.randrange(40, 95) if poor else rng.randrange(70, 220)
            structure = "土木结构住房" if poor or rng.random() < 0.3 else "砖混结构住房"
            value = area * (rng.randrange(150, 350) if "土木" in structure else rng.randrange(500, 900))
        else:
            area = rng.randrange(35, 70) if poor else rng.randrange(55, 130)
            structure = "单位旧宿舍" if poor else "商品住房"
            value = area * (rng.randrange(600, 1000) if poor else rng.randrange(1500, 2600))
        return AssetSpec(AssetKind.REAL_ESTATE, structure, yuan(value), Decimal(area))
