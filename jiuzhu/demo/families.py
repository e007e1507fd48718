"""From a `PlanEntry` to a `HouseholdSpec`: who lives in the household, what they earn and own. Pure.

Beneficiary households (dibao, applicants, those cancelled in 2012, tekun) are built around the
persons the cohort counts (`entry.covered` of them, the living co-resident members); other members
are deceased or live elsewhere (a son working away), as in the real files. The seed's monthly
payments (45,805 yuan for 274 urban persons, 202,498 for 2,768 rural ones) are close to the full
standard per person, so counted incomes of dibao households are small and sparse (README.md).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from jiuzhu.demo.models import Cohort
from jiuzhu.demo.names import random_surname
from jiuzhu.demo.people import (
    AS_OF,
    REVIEW_2012,
    AssetSpec,
    HouseholdSpec,
    IncomeSpec,
    PersonFactory,
    PersonSpec,
    yuan,
)
from jiuzhu.demo.plan import (
    CADRE,
    CADRE_RELATIVE,
    DIBAO_KINDS,
    DIED,
    INCOME_CHANGED,
    INCOME_ROSE,
    LONGEVITY,
    MEMBER_ADDED,
    MEMBER_DIED,
    VETERAN,
    PlanEntry,
    random_date,
)
from jiuzhu.demo.town import CARE_HOME_NAME, CREDIT_UNION, POST_OFFICE
from jiuzhu.registry.choices import (
    AssetKind,
    Employment,
    HouseholdStatus,
    HukouType,
    IncomeKind,
    IncomeSource,
    MaritalStatus,
    Relation,
    Supporter,
    WorkAbility,
)

EARLIER_DEATHS_END = datetime.date(2011, 6, 30)
_STREETS = ("正街", "新街", "上街", "下街", "河街", "学府路", "滨河路")
_VERIFICATION_FINDINGS = (("vehicle", 10), ("business", 6), ("cadre_relative", 8), ("wages", 11))
_TEMPORARY_REASONS = ("因病", "意外事故", "火灾", "子女就学", "突发困难")
_NEEDY_SINGLE = (("elderly", 50), ("disabled", 20), ("ill", 12), ("poor_adult", 18))
_NEEDY_PAIR = (("couple", 45), ("parent_child", 30), ("carer", 25))
_RURAL_FAMILY = (("nuclear", 35), ("three_gen", 25), ("elderly_couple", 20), ("elderly_alone", 8), ("young", 12))
_URBAN_FAMILY = (("nuclear", 45), ("elderly_couple", 25), ("three_gen", 15), ("single", 15))


def _iso(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


class HouseholdBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = PersonFactory(rng)

    def _choose(self, options: tuple[tuple[str, int], ...]) -> str:
        x = self.rng.randrange(sum(w for _o, w in options))
        for option, weight in options:
            x -= weight
            if x < 0:
                return option
        return options[-1][0]

    # --- the household ---------------------------------------------------------------------

    def build(self, entry: PlanEntry) -> HouseholdSpec:
        rng = self.rng
        rural = not entry.village.is_urban
        self._surname = random_surname(rng)
        self._avoid: set[str] = set()
        self._rural = rural
        kind = entry.kind
        if kind == Cohort.ORDINARY:
            members, covered = self._ordinary(entry), []
        elif kind == Cohort.TEKUN:
            members = self._tekun(entry)
            covered = members[: entry.covered]
        else:
            members = self._needy(entry)
            covered = members[: entry.covered]
        household = HouseholdSpec(
            region_id=entry.village.region_id,
            region_code=entry.village.code,
            hukou_type=HukouType.RURAL if rural else HukouType.URBAN,
            address=self._address(entry),
            members=members,
        )
        attrs = {k: _iso(v) for k, v in entry.attrs.items() if k not in ("veteran", "care_home")}
        for person in covered:
            person.cohorts.append((kind, dict(attrs)))
        if kind == Cohort.TEKUN:
            self._tekun_details(entry, household, covered)
        elif kind != Cohort.ORDINARY:
            self._needy_details(entry, household, covered)
        else:
            household.cohorts.append((Cohort.ORDINARY, {}))
            for person in members:
                self.people.ordinary_incomes(person, rural)
            if rng.random() < 0.7:
                household.assets.append(self.people.dwelling(rural=rural, poor=False))
            self._ordinary_assets(household)
        members = household.members  # the story of a cancellation may have changed who is in the file
        self._special_cohorts(entry, members)
        self._tags(entry, household, covered or [p for p in members if p.is_alive and p.is_co_resident])
        household.members.sort(key=lambda p: p.relation != Relation.HEAD)
        _supporters(household.members, tekun=kind == Cohort.TEKUN)
        approved_on = entry.attrs.get("approved_on")
        self._memberships(household.members, latest=approved_on - datetime.timedelta(days=60) if approved_on else AS_OF)
        return household

    def _address(self, entry: PlanEntry) -> str:
        rng, v = self.rng, entry.village
        if v.is_urban:
            return f"{v.township_name}{v.name}{_STREETS[rng.randrange(len(_STREETS))]}{rng.randint(1, 180)}号"
        return f"{v.township_name}{v.name}{rng.randint(1, 9)}组{rng.randint(1, 60)}号"

    def _memberships(self, members: list[PersonSpec], *, latest: datetime.date = AS_OF) -> None:
        """Membership start: when the head set up the household (or birth, or marriage into it).

        Starts already set (a member who joined in 2012) are kept; nobody's starts after their death;
        a household on dibao was set up before it applied (`latest`).
        """
        head = members[0]
        established = max(datetime.date(head.birth_date.year + 20, 3, 1), datetime.date(1982, 7, 1))
        established = min(established + datetime.timedelta(days=self.rng.randrange(700)), latest)
        for person in members:
            start = person.started_on or max(established, person.birth_date)
            if person.started_on is None and person.relation == Relation.CHILD_IN_LAW:
                start = max(start, datetime.date(person.birth_date.year + 20, 10, 1))
            if person.death_date is not None:
                start = min(start, person.death_date)
            person.started_on = min(start, AS_OF)

    def _person(self, relation: str, male: bool, age: int, *, surname: str | None = None, **kw: Any) -> PersonSpec:
        return self.people.person(
            relation=relation,
            male=male,
            age=age,
            surname=surname or self._surname,
            rural=self._rural,
            avoid=self._avoid,
            **kw,
        )

    def _deceased(
        self, relation: str, male: bool, age: int, died_after: int, *, on: datetime.date | None = None
    ) -> PersonSpec:
        """A member who has died (kept in the file, membership closed on the death date)."""
        blood_relative = male and relation in (Relation.PARENT, Relation.CHILD, Relation.SIBLING)
        p = self._person(relation, male, age, surname=self._surname if blood_relative else random_surname(self.rng))
        earliest = max(datetime.date(p.birth_date.year + died_after, 1, 1), datetime.date(1995, 1, 1))
        # Deaths that change no benefit happened before 讲治镇's cases were onboarded (2012).
        p.death_date = on or random_date(self.rng, min(earliest, EARLIER_DEATHS_END), EARLIER_DEATHS_END)
        p.is_co_resident = False
        p.marital_status = MaritalStatus.MARRIED if relation == Relation.SPOUSE else p.marital_status
        return p

    # --- beneficiaries -------------------------------------------------------------------

    def _needy(self, entry: PlanEntry) -> list[PersonSpec]:
        rng = self.rng
        special = entry.special
        if special == LONGEVITY:
            head = self._person(Relation.HEAD, rng.random() < 0.3, _very_old_age(rng), marital=MaritalStatus.WIDOWED)
            head.employment, head.work_ability = Employment.UNEMPLOYED, WorkAbility.NONE
            return [head]
        if special == VETERAN:
            _name, (lo, hi), _sex = entry.attrs["veteran"]
            head = self._person(Relation.HEAD, True, rng.randint(max(lo, 60), hi), marital=MaritalStatus.WIDOWED)
            return [head, self._deceased(Relation.SPOUSE, False, head.age - rng.randint(0, 4), 50)]
        if entry.covered == 2:
            members = self._needy_pair(self._choose(_NEEDY_PAIR))
            if entry.attrs.get("change") == MEMBER_ADDED:
                members[1].started_on = entry.attrs["changed_on"]
            return members
        archetype = "elderly" if special == CADRE_RELATIVE else self._choose(_NEEDY_SINGLE)
        if entry.attrs.get("reason") == DIED:
            archetype = "elderly"
        elif entry.attrs.get("reason") == INCOME_ROSE and archetype in ("disabled", "ill"):
            archetype = "poor_adult"
        spouse_died_on = None
        if entry.attrs.get("change") == MEMBER_DIED:  # the death the change of 2012 follows
            spouse_died_on = entry.attrs["changed_on"] - datetime.timedelta(days=rng.randrange(15, 45))
            entry.attrs["member_died_on"] = spouse_died_on
        members = self._needy_single(archetype, spouse_died_on)
        if special == CADRE_RELATIVE:
            members[0].is_cadre_relative = True
        return members

    def _needy_single(self, archetype: str, spouse_died_on: datetime.date | None) -> list[PersonSpec]:
        rng = self.rng
        spouse_died_2012 = spouse_died_on is not None
        if archetype == "elderly" or spouse_died_2012:
            male = rng.random() < 0.45
            age = rng.randint(62 if spouse_died_2012 else 60, 89)
            x = rng.random()
            widowed = spouse_died_2012 or x < 0.7
            marital = (
                MaritalStatus.WIDOWED if widowed else (MaritalStatus.UNMARRIED if x < 0.85 else MaritalStatus.DIVORCED)
            )
            head = self._person(Relation.HEAD, male, age, marital=marital)
            head.employment = (
                Employment.FARMING if self._rural and age < 75 and rng.random() < 0.4 else Employment.UNEMPLOYED
            )
            members = [head]
            if widowed and (spouse_died_2012 or rng.random() < 0.5):
                died_on = spouse_died_on
                spouse_age = min(89, max(55, age + rng.randint(-4, 4)))
                spouse = self._deceased(Relation.SPOUSE, not male, spouse_age, 50, on=died_on)
                spouse.death_pending = died_on is not None
                members.append(spouse)
            if self._rural and rng.random() < 0.2 and age < 80:
                son = self._person(Relation.CHILD, True, rng.randint(max(18, age - 40), min(45, age - 20)))
                son.employment, son.is_co_resident, son.is_student = Employment.MIGRANT, False, False
                son.work_ability, son.disability_category, son.disability_grade = WorkAbility.FULL, "", None
                son.marital_status = MaritalStatus.UNMARRIED
                members.append(son)
            return members
        if archetype == "disabled":
            head = self._person(
                Relation.HEAD, rng.random() < 0.55, rng.randint(20, 59), marital=MaritalStatus.UNMARRIED
            )
            self.people.disable(head, grades=(1, 1, 2, 2, 2, 3))
            members = [head]
            if rng.random() < 0.4:
                members.append(self._deceased(Relation.PARENT, True, min(89, head.age + rng.randint(22, 32)), 45))
            return members
        if archetype == "ill":
            marital = (MaritalStatus.WIDOWED, MaritalStatus.DIVORCED, MaritalStatus.UNMARRIED)[rng.randrange(3)]
            head = self._person(Relation.HEAD, rng.random() < 0.5, rng.randint(35, 64), marital=marital)
            self.people.fall_ill(head, serious=True)
            head.employment = Employment.UNEMPLOYED
            return [head]
        marital = (MaritalStatus.DIVORCED, MaritalStatus.UNMARRIED, MaritalStatus.WIDOWED)[rng.randrange(3)]
        head = self._person(Relation.HEAD, rng.random() < 0.6, rng.randint(40, 59), marital=marital)
        head.employment = Employment.FARMING if self._rural else Employment.UNEMPLOYED
        self.people.fall_ill(head, serious=False)
        return [head]

    def _needy_pair(self, archetype: str) -> list[PersonSpec]:
        rng = self.rng
        if archetype == "couple":
            head = self._person(Relation.HEAD, True, rng.randint(60, 86), marital=MaritalStatus.MARRIED)
            wife = self._person(
                Relation.SPOUSE,
                False,
                max(55, head.age - rng.randint(0, 5)),
                surname=random_surname(rng),
                marital=MaritalStatus.MARRIED,
            )
            for p in (head, wife):
                p.employment = Employment.UNEMPLOYED
            return [head, wife]
        if archetype == "parent_child":
            male = rng.random() < 0.35
            marital = MaritalStatus.WIDOWED if rng.random() < 0.5 else MaritalStatus.DIVORCED
            head = self._person(Relation.HEAD, male, rng.randint(30, 50), marital=marital)
            self.people.fall_ill(head, serious=rng.random() < 0.3)
            child = self._person(Relation.CHILD, rng.random() < 0.5, rng.randint(6, min(17, head.age - 21)))
            return [head, child]
        head = self._person(Relation.HEAD, rng.random() < 0.4, rng.randint(58, 85), marital=MaritalStatus.WIDOWED)
        head.employment = Employment.UNEMPLOYED
        child = self._person(
            Relation.CHILD, rng.random() < 0.6, rng.randint(25, min(50, head.age - 22)), marital=MaritalStatus.UNMARRIED
        )
        self.people.disable(child, grades=(1, 1, 2))
        return [head, child]

    def _needy_details(self, entry: PlanEntry, household: HouseholdSpec, covered: list[PersonSpec]) -> None:
        """Counted incomes, accounts and the story of applicants and of those cancelled in 2012."""
        rng, kind = self.rng, entry.kind
        head = covered[0]
        rural = self._rural
        poor_home = self.people.dwelling(rural=rural, poor=True)
        household.assets.append(poor_home)
        if kind in DIBAO_KINDS or kind == Cohort.DIBAO_CANCELLED:
            household.bank_name, household.account_holder = CREDIT_UNION, head.name
            household.account_number = "88" + "".join(str(rng.randrange(10)) for _ in range(17))
        if kind in DIBAO_KINDS:
            recorded = entry.attrs["approved_on"] if entry.attrs["approved_on"].year == 2012 else None
            if entry.attrs.get("change") == INCOME_CHANGED:
                head.incomes.append(self._small_income(kind, entry.attrs["changed_on"]))
            elif rng.random() < (0.3 if kind == Cohort.DIBAO_URBAN else 0.15):
                head.incomes.append(self._small_income(kind, recorded))
            return
        if kind == Cohort.DIBAO_APPLICANT:
            filed = random_date(rng, datetime.date(2012, 11, 1), datetime.date(2012, 12, 28))
            for person in covered:
                person.cohorts[-1][1]["filed_on"] = filed.isoformat()
            if rng.random() < 0.4:
                head.incomes.append(
                    IncomeSpec(IncomeKind.SUPPORT, yuan(rng.randrange(20, 120, 10)), "子女赡养费", recorded_on=filed)
                )
            return
        self._cancelled_story(entry, household, covered)

    def _small_income(self, kind: str, recorded: datetime.date | None) -> IncomeSpec:
        rng = self.rng
        on = recorded or random_date(rng, *REVIEW_2012)
        if kind == Cohort.DIBAO_URBAN:
            if rng.random() < 0.5:
                return IncomeSpec(
                    IncomeKind.WAGES, yuan(rng.randrange(20, 110, 5)), "打零工收入", IncomeSource.VERIFIED, on
                )
            return IncomeSpec(
                IncomeKind.SUPPORT, yuan(rng.randrange(20, 110, 5)), "子女赡养费", IncomeSource.VERIFIED, on
            )
        if rng.random() < 0.5:
            return IncomeSpec(
                IncomeKind.BUSINESS, yuan(rng.randrange(10, 45, 5)), "零星种养殖收入", IncomeSource.IMPUTED, on
            )
        return IncomeSpec(IncomeKind.SUPPORT, yuan(rng.randrange(20, 55, 5)), "子女赡养费", IncomeSource.VERIFIED, on)

    def _cancelled_story(self, entry: PlanEntry, household: HouseholdSpec, covered: list[PersonSpec]) -> None:
        rng = self.rng
        cancelled_on = random_date(rng, datetime.date(2012, 1, 15), datetime.date(2012, 12, 20))
        approved_on = random_date(rng, datetime.date(2007, 7, 1), datetime.date(2011, 6, 30))
        reason = entry.attrs["reason"]
        detail = ""
        head = covered[0]
        if reason == DIED:
            head.death_date, head.is_co_resident, head.death_pending = cancelled_on, False, True
            household.status = HouseholdStatus.DISSOLVED  # nobody left: the file is closed
            household.members = [m for m in household.members if m is head or not m.is_alive]
            detail = "死亡"
        elif reason == INCOME_ROSE:
            if head.age < 60 and rng.random() < 0.5:
                head.employment, head.work_ability = Employment.EMPLOYED, WorkAbility.FULL
                head.illness_description = ""
                head.incomes.append(
                    IncomeSpec(
                        IncomeKind.WAGES,
                        yuan(rng.randrange(1500, 2600, 50)),
                        "本地务工收入",
                        IncomeSource.VERIFIED,
                        cancelled_on,
                    )
                )
                detail = "本人务工收入增加"
            else:
                son = self._person(
                    Relation.CHILD,
                    True,
                    rng.randint(22, max(22, min(40, head.age - 20))),
                    marital=MaritalStatus.UNMARRIED,
                )
                son.employment, son.is_student, son.work_ability = Employment.EMPLOYED, False, WorkAbility.FULL
                son.incomes.append(
                    IncomeSpec(
                        IncomeKind.WAGES,
                        yuan(rng.randrange(1800, 3100, 50)),
                        "返乡务工工资",
                        IncomeSource.VERIFIED,
                        cancelled_on,
                    )
                )
                household.members.append(son)
                son.started_on = cancelled_on  # came home with the job that ended the benefit
                detail = "子女返乡就业，家庭收入增加"
        else:
            finding = self._choose(_VERIFICATION_FINDINGS)
            if finding == "vehicle":
                household.assets.append(
                    AssetSpec(
                        AssetKind.VEHICLE, "小型轿车", yuan(rng.randrange(40000, 95000, 1000)), recorded_on=cancelled_on
                    )
                )
                detail = "核查发现家庭拥有机动车辆"
            elif finding == "business":
                household.assets.append(
                    AssetSpec(
                        AssetKind.BUSINESS,
                        "个体工商户（副食店）",
                        yuan(rng.randrange(20000, 60000, 1000)),
                        recorded_on=cancelled_on,
                    )
                )
                head.incomes.append(
                    IncomeSpec(
                        IncomeKind.BUSINESS,
                        yuan(rng.randrange(1200, 2600, 50)),
                        "个体经营纯收入",
                        IncomeSource.VERIFIED,
                        cancelled_on,
                    )
                )
                detail = "核查发现有工商登记经营收入"
            elif finding == "cadre_relative":
                head.is_cadre_relative = True
                head.incomes.append(
                    IncomeSpec(
                        IncomeKind.SUPPORT,
                        yuan(rng.randrange(300, 800, 10)),
                        "子女赡养费",
                        IncomeSource.VERIFIED,
                        cancelled_on,
                    )
                )
                detail = "基层干部近亲属，赡养人有能力赡养"
            else:
                head.incomes.append(
                    IncomeSpec(
                        IncomeKind.WAGES,
                        yuan(rng.randrange(1200, 2200, 50)),
                        "未申报的务工收入",
                        IncomeSource.VERIFIED,
                        cancelled_on,
                    )
                )
                detail = "核查发现未申报务工收入"
        for person in covered:
            person.cohorts[-1][1].update(
                {
                    "approved_on": approved_on.isoformat(),
                    "cancelled_on": cancelled_on.isoformat(),
                    "detail": detail,
                    "program": Cohort.DIBAO_RURAL,
                }
            )

    def _tekun(self, entry: PlanEntry) -> list[PersonSpec]:
        rng = self.rng
        if entry.covered == 2:
            head = self._person(Relation.HEAD, True, rng.randint(68, 86), marital=MaritalStatus.UNMARRIED)
            brother = self._person(
                Relation.SIBLING, True, rng.randint(60, head.age - 2), marital=MaritalStatus.UNMARRIED
            )
            members = [head, brother]
        elif entry.special == LONGEVITY:
            members = [
                self._person(Relation.HEAD, rng.random() < 0.4, _very_old_age(rng), marital=MaritalStatus.WIDOWED)
            ]
        elif rng.random() < 0.08 and not entry.attrs.get("care_home"):
            head = self._person(Relation.HEAD, rng.random() < 0.6, rng.randint(30, 59), marital=MaritalStatus.UNMARRIED)
            self.people.disable(head, grades=(1, 1, 2))
            members = [head]
        else:
            marital = MaritalStatus.UNMARRIED if rng.random() < 0.65 else MaritalStatus.WIDOWED
            head = self._person(Relation.HEAD, rng.random() < 0.75, rng.randint(60, 89), marital=marital)
            members = [head]
            if marital == MaritalStatus.WIDOWED and rng.random() < 0.3:
                members.append(
                    self._deceased(Relation.SPOUSE, not head.is_male, min(89, head.age + rng.randint(-3, 5)), 40)
                )
        for person in members:
            person.employment = Employment.UNEMPLOYED
            if person.work_ability == WorkAbility.FULL or rng.random() < 0.8:
                person.work_ability = WorkAbility.NONE if rng.random() < 0.8 else WorkAbility.PARTIAL
        return members

    def _tekun_details(self, entry: PlanEntry, household: HouseholdSpec, covered: list[PersonSpec]) -> None:
        rng = self.rng
        centralized = bool(entry.attrs.get("care_home"))
        since = random_date(rng, datetime.date(2000, 1, 1), datetime.date(2012, 6, 30))
        for person in covered:
            person.cohorts[-1][1].update(
                {
                    "support_mode": "centralized" if centralized else "dispersed",
                    "institution": CARE_HOME_NAME if centralized else "",
                    "approved_on": since.isoformat(),
                }
            )
        household.bank_name, household.account_holder = POST_OFFICE, covered[0].name
        household.account_number = "60" + "".join(str(rng.randrange(10)) for _ in range(17))
        if centralized:
            household.notes = f"集中供养于{CARE_HOME_NAME}"
        else:
            household.assets.append(self.people.dwelling(rural=True, poor=True))

    # --- ordinary households -------------------------------------------------------------

    def _ordinary(self, entry: PlanEntry) -> list[PersonSpec]:
        rng = self.rng
        if entry.special == VETERAN:
            return self._veteran_family(entry.attrs["veteran"])
        if entry.special == LONGEVITY:
            return self._longevity_family()
        if entry.special == CADRE:
            members = self._nuclear(rng.randint(35, 58), male=rng.random() < 0.8)
            members[0].is_cadre = True
            members[0].employment = Employment.EMPLOYED if not self._rural else Employment.FARMING
            return members
        archetype = self._choose(_RURAL_FAMILY if self._rural else _URBAN_FAMILY)
        if archetype == "nuclear":
            return self._nuclear(rng.randint(28, 55))
        if archetype == "three_gen":
            return self._three_generations(rng.randint(48, 68), with_parent=rng.random() < 0.3)
        if archetype == "elderly_couple":
            return self._couple(rng.randint(60, 84))
        if archetype == "elderly_alone":
            head = self._person(Relation.HEAD, rng.random() < 0.35, rng.randint(62, 89), marital=MaritalStatus.WIDOWED)
            head.incomes.append(IncomeSpec(IncomeKind.SUPPORT, yuan(rng.randrange(100, 400, 10)), "子女赡养费"))
            return [head]
        if archetype == "young":
            members = self._couple(rng.randint(22, 32))
            if rng.random() < 0.6:
                members += self._children(members[1].age, 1)
            return members
        marital = MaritalStatus.UNMARRIED if rng.random() < 0.6 else MaritalStatus.DIVORCED
        return [self._person(Relation.HEAD, rng.random() < 0.5, rng.randint(25, 59), marital=marital)]

    def _couple(self, head_age: int, *, male_head: bool = True) -> list[PersonSpec]:
        rng = self.rng
        head = self._person(Relation.HEAD, male_head, head_age, marital=MaritalStatus.MARRIED)
        spouse_age = min(89, max(20, head_age - rng.randint(0, 5) if male_head else head_age + rng.randint(0, 4)))
        spouse = self._person(
            Relation.SPOUSE, not male_head, spouse_age, surname=random_surname(rng), marital=MaritalStatus.MARRIED
        )
        return [head, spouse]

    def _children(self, mother_age: int, n: int, *, relation: str = Relation.CHILD) -> list[PersonSpec]:
        rng = self.rng
        children = []
        for _ in range(n):
            age = mother_age - rng.randint(21, 36)
            if age < 0:
                continue
            child = self._person(
                relation, rng.random() < 0.52, age, marital=MaritalStatus.UNMARRIED if age < 30 else None
            )
            if child.employment == Employment.MIGRANT and rng.random() < 0.5:
                child.is_co_resident = False
            children.append(child)
        return children

    def _nuclear(self, head_age: int, *, male: bool = True) -> list[PersonSpec]:
        members = self._couple(head_age, male_head=male)
        mother = members[1] if male else members[0]
        count = self.rng.choice((1, 1, 2, 2, 3) if self._rural else (1, 1, 1, 2))
        return members + self._children(mother.age, count)

    def _three_generations(self, head_age: int, *, with_parent: bool) -> list[PersonSpec]:
        rng = self.rng
        members = self._couple(head_age)
        son_age = rng.randint(22, max(22, members[1].age - 20))
        son = self._person(Relation.CHILD, True, son_age, marital=MaritalStatus.MARRIED)
        wife = self._person(
            Relation.CHILD_IN_LAW,
            False,
            max(20, son_age - rng.randint(0, 4)),
            surname=random_surname(rng),
            marital=MaritalStatus.MARRIED,
        )
        members += [son, wife, *self._children(wife.age, rng.choice((1, 1, 2)), relation=Relation.GRANDCHILD)]
        if with_parent and head_age + 20 <= 89:
            parent = self._person(
                Relation.PARENT,
                rng.random() < 0.3,
                rng.randint(head_age + 20, min(89, head_age + 32)),
                marital=MaritalStatus.WIDOWED,
            )
            members.append(parent)
        return members

    def _veteran_family(self, category: tuple[str, tuple[int, int], str]) -> list[PersonSpec]:
        rng = self.rng
        _name, (lo, hi), sex = category
        age = rng.randint(lo, hi)
        if sex == "female":
            head = self._person(Relation.HEAD, False, age, marital=MaritalStatus.WIDOWED)
            return [head] + (
                [self._deceased(Relation.SPOUSE, True, min(89, age + 3), 25)] if rng.random() < 0.5 else []
            )
        if age < 60:
            return self._nuclear(age)
        x = rng.random()
        if x < 0.6:
            return self._couple(age)
        if x < 0.8:
            return [self._person(Relation.HEAD, True, age, marital=MaritalStatus.WIDOWED)]
        return self._three_generations(min(age, 68), with_parent=False) if age <= 68 else self._couple(age)

    def _longevity_family(self) -> list[PersonSpec]:
        rng = self.rng
        age = _very_old_age(rng)
        if rng.random() < 0.25:
            head = self._person(Relation.HEAD, rng.random() < 0.3, age, marital=MaritalStatus.WIDOWED)
            head.incomes.append(IncomeSpec(IncomeKind.SUPPORT, yuan(rng.randrange(150, 400, 10)), "子女赡养费"))
            return [head]
        members = self._couple(max(56, min(79, age - rng.randint(22, 34))))
        parent = self._person(Relation.PARENT, rng.random() < 0.25, age, marital=MaritalStatus.WIDOWED)
        return [*members, parent]

    def _ordinary_assets(self, household: HouseholdSpec) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            household.assets.append(AssetSpec(AssetKind.DEPOSIT, "银行存款", yuan(rng.randrange(5000, 100000, 500))))
        x = rng.random()
        if x < (0.05 if self._rural else 0.15):
            household.assets.append(AssetSpec(AssetKind.VEHICLE, "小型轿车", yuan(rng.randrange(40000, 120000, 1000))))
        elif x < 0.2 and self._rural:
            household.assets.append(AssetSpec(AssetKind.VEHICLE, "二轮摩托车", yuan(rng.randrange(3000, 7000, 100))))

    # --- cohorts that cut across households ------------------------------------------------

    def _special_cohorts(self, entry: PlanEntry, members: list[PersonSpec]) -> None:
        rng = self.rng
        if entry.special == LONGEVITY:
            oldest = max(members, key=lambda p: p.age if p.is_alive else -1)
            oldest.cohorts.append((Cohort.LONGEVITY, {"age_on_2012_12_31": oldest.age}))
        elif entry.special == VETERAN:
            name, _ages, sex = entry.attrs["veteran"]
            veteran = members[0]
            attrs: dict[str, Any] = {"category": name}
            if sex == "female":
                attrs["relation_to_soldier"] = "配偶" if rng.random() < 0.6 else "母亲"
            else:
                enlisted = min(veteran.birth_date.year + rng.randint(17, 21), 1992)
                if name == "在乡复员军人":
                    enlisted = min(enlisted, 1951)
                service = rng.randint(3, 6)
                attrs.update(
                    {"enlisted_year": enlisted, "discharged_year": enlisted + service, "service_years": service}
                )
                if name == "残疾军人":
                    self.people.disable(veteran, grades=(2, 3, 3, 4))
            veteran.cohorts.append((Cohort.VETERAN, attrs))

    def _tags(self, entry: PlanEntry, household: HouseholdSpec, candidates: list[PersonSpec]) -> None:
        rng = self.rng
        adults = [p for p in candidates if p.age >= 16] or candidates
        for tag in sorted(entry.tags):
            if tag in (Cohort.MEDICAL, Cohort.OUTPATIENT):
                patient = adults[rng.randrange(len(adults))]
                diagnosis = self.people.fall_ill(patient, serious=tag == Cohort.MEDICAL)
                patient.cohorts.append((tag, {"diagnosis": diagnosis}))
            elif tag == Cohort.TEMPORARY:
                flood = bool({Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED} & entry.tags)
                reason = "洪灾" if flood else _TEMPORARY_REASONS[rng.randrange(len(_TEMPORARY_REASONS))]
                household.cohorts.append((tag, {"reason": reason}))
            elif tag in (Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED):
                collapsed = tag == Cohort.FLOOD_COLLAPSED
                rooms = rng.randint(2, 5) if collapsed else rng.randint(1, 3)
                household.cohorts.append((tag, {"disaster_on": "2012-07-04", "rooms": rooms}))
                household.notes = (
                    "2012年“7·4”洪灾房屋全垮，已灾后重建" if collapsed else "2012年“7·4”洪灾房屋受损，已维修加固"
                )
            else:
                grade_d = tag == Cohort.HOUSING_GRADE_D
                on = random_date(rng, datetime.date(2012, 3, 1), datetime.date(2012, 11, 30))
                household.cohorts.append(
                    (
                        tag,
                        {
                            "grade": "D" if grade_d else "C",
                            "structure": "土木结构",
                            ("renovated_on" if grade_d else "applied_on"): on.isoformat(),
                        },
                    )
                )
                for asset in household.assets:
                    if asset.kind == AssetKind.REAL_ESTATE:
                        asset.description = (
                            f"{asset.description}（{'D级危房，2012年已改造' if grade_d else 'C级危房'}）"
                        )


def _very_old_age(rng: random.Random) -> int:
    """90 to 101 on 2012-12-31, fewer at each year."""
    return min(101, 90 + int(rng.expovariate(1 / 2.5)))


def _supporters(members: list[PersonSpec], *, tekun: bool) -> None:
    """Who has no legal supporter (a 三无 fact), decided from the family drawn, without drawing again:
    特困 persons by definition, and an elderly head unmarried or widowed with no child or grandchild
    on the file (living, or away). Their work ability and own income decide the rest."""
    kin = {Relation.CHILD, Relation.GRANDCHILD, Relation.SPOUSE}
    for person in members:
        if not person.is_alive:
            continue
        alone = not any(p is not person and p.relation in kin and p.is_alive for p in members)
        single = person.marital_status in (MaritalStatus.UNMARRIED, MaritalStatus.WIDOWED)
        if tekun or (person.relation == Relation.HEAD and alone and single and person.age >= 60):
            person.supporter = Supporter.NONE
