"""The pure parts: the town plan and the household builder, without a database."""

from __future__ import annotations

import random
from collections import Counter

from jiuzhu.demo.families import HouseholdBuilder
from jiuzhu.demo.models import Cohort
from jiuzhu.demo.plan import Village, town_plan
from jiuzhu.demo.town import COMMUNITY_CODE, FIGURES, VILLAGE_WEIGHTS

COMMUNITY = Village(1, COMMUNITY_CODE, "讲治社区", "讲治镇", True)
VILLAGES = [Village(i + 2, code, f"村{i}", "讲治镇", False) for i, code in enumerate(VILLAGE_WEIGHTS)]
WEIGHTS = list(VILLAGE_WEIGHTS.values())


def _specs(seed: int):
    rng = random.Random(seed)
    plan = town_plan(rng, community=COMMUNITY, villages=VILLAGES, weights=WEIGHTS)
    builder = HouseholdBuilder(rng)
    return [builder.build(entry) for entry in plan]


def _fingerprint(specs) -> list[tuple]:
    return [
        (
            s.region_code,
            s.address,
            tuple((p.name, p.birth_date, p.relation, tuple(i.amount_fen for i in p.incomes)) for p in s.members),
        )
        for s in specs
    ]


def test_the_same_seed_builds_the_same_town_and_another_seed_does_not():
    first = _fingerprint(_specs(7))
    assert first == _fingerprint(_specs(7))
    assert first != _fingerprint(_specs(8))


def test_person_cohorts_hold_exactly_the_planned_persons():
    specs = _specs(3)
    persons = Counter(c for s in specs for p in s.members for c, _a in p.cohorts)
    assert persons[Cohort.DIBAO_URBAN] == FIGURES.dibao_urban_persons
    assert persons[Cohort.DIBAO_RURAL] == FIGURES.dibao_rural_persons
    assert persons[Cohort.TEKUN] == FIGURES.tekun_persons
    assert persons[Cohort.VETERAN] == FIGURES.veterans
    # Nobody but the planned very old is 90 or older on 2012-12-31.
    very_old = [p for s in specs for p in s.members if p.is_alive and p.age >= 90]
    assert len(very_old) == FIGURES.aged_90_plus
    assert all(any(c == Cohort.LONGEVITY for c, _a in p.cohorts) for p in very_old)


def test_members_are_consistent():
    for spec in _specs(11):
        heads = [p for p in spec.members if p.relation == "head"]
        assert len(heads) == 1 and spec.members[0] is heads[0]
        names = [p.name for p in spec.members]
        assert len(names) == len(set(names))
        for p in spec.members:
            assert p.started_on is not None and p.birth_date <= p.started_on
            if p.death_date is not None:
                assert p.started_on <= p.death_date and not p.is_co_resident
            assert (p.disability_grade is None) == (p.disability_category == "")
            assert all(i.amount_fen > 0 and i.amount_fen % 100 == 0 for i in p.incomes)
