"""What to generate: one `PlanEntry` per household, naming its cohort and what it must contain.

Two planners share the household builder (`families.py`):
- `town_plan` builds 讲治镇 to the exact figures of the 2012 summary (a list of ~7,000 entries);
- `bulk_plan_entry` draws one household at a time with the town's proportions, for the
  benchmark registries (millions of households, never held in memory at once).
Pure: no database; the randomness comes from the caller's `random.Random`.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from jiuzhu.demo.models import Cohort
from jiuzhu.demo.town import FIGURES, FLOOD_VILLAGES, TownFigures

# Primary kinds: every household has exactly one.
PRIMARY_KINDS = (
    Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL, Cohort.DIBAO_CANCELLED, Cohort.DIBAO_APPLICANT, Cohort.TEKUN,
    Cohort.ORDINARY,
)  # fmt: skip
DIBAO_KINDS = (Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL)

# Special members (at most one per household).
VETERAN = "veteran"
LONGEVITY = "longevity"
CADRE = "cadre"
CADRE_RELATIVE = "cadre_relative"

# Cancellation reasons (rural dibao, 2012).
DIED = "died"
INCOME_ROSE = "income_rose"
VERIFICATION = "verification"

# Changes to continuing rural dibao households in 2012 (变更).
MEMBER_DIED = "member_died"
MEMBER_ADDED = "member_added"
INCOME_CHANGED = "income_changed"

# 153 entitled veterans by category: (category, count, age range on 2012-12-31, sex).
VETERAN_CATEGORIES: tuple[tuple[str, int, tuple[int, int], str], ...] = (
    ("在乡复员军人", 15, (78, 88), "male"),
    ("带病回乡退伍军人", 10, (55, 80), "male"),
    ("参战退役人员", 20, (47, 57), "male"),
    ("农村籍退役士兵（60周岁以上）", 80, (60, 85), "male"),
    ("残疾军人", 10, (45, 80), "male"),
    ("烈士遗属", 8, (68, 89), "female"),
    ("病故军人遗属", 5, (65, 89), "female"),
    ("退伍军人", 5, (40, 59), "male"),
)


@dataclass(slots=True)
class Village:
    region_id: int
    code: str
    name: str
    township_name: str
    is_urban: bool


@dataclass(slots=True)
class PlanEntry:
    kind: str
    village: Village
    covered: int = 0  # persons in the kind's person cohort (0 for ordinary households)
    tags: set[str] = field(default_factory=set)  # household-level cohorts and the patient cohorts
    special: str = ""  # veteran | longevity | cadre | cadre_relative
    attrs: dict[str, Any] = field(default_factory=dict)


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return datetime.date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def _d(year: int, month: int = 1, day: int = 1) -> datetime.date:
    return datetime.date(year, month, day)


def _spread(rng: random.Random, villages: Sequence[Village], weights: Sequence[int], n: int) -> list[Village]:
    """`n` villages in proportion to `weights` (largest remainder), in random order."""
    total = sum(weights)
    shares = [n * w / total for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    out = [v for v, c in zip(villages, counts, strict=True) for _ in range(c)]
    rng.shuffle(out)
    return out


def _pick(
    rng: random.Random, entries: Sequence[PlanEntry], n: int, accept: Callable[[PlanEntry], bool]
) -> list[PlanEntry]:
    candidates = [e for e in entries if accept(e)]
    if len(candidates) < n:
        raise ValueError(f"not enough households to pick {n} from ({len(candidates)})")
    return rng.sample(candidates, n)


# (tag, kind, households in the town). Overlaps follow the seed: medical assistance went to
# "低保、五保等困难家庭"; house programmes to rural households; the flood hit three river villages.
TAG_QUOTAS: tuple[tuple[str, str, int], ...] = (
    (Cohort.MEDICAL, Cohort.DIBAO_URBAN, 20), (Cohort.MEDICAL, Cohort.DIBAO_RURAL, 120),
    (Cohort.MEDICAL, Cohort.TEKUN, 30), (Cohort.MEDICAL, Cohort.ORDINARY, 15),
    (Cohort.OUTPATIENT, Cohort.DIBAO_URBAN, 25), (Cohort.OUTPATIENT, Cohort.DIBAO_RURAL, 125),
    (Cohort.OUTPATIENT, Cohort.TEKUN, 40), (Cohort.OUTPATIENT, Cohort.ORDINARY, 20),
    (Cohort.FLOOD_COLLAPSED, Cohort.DIBAO_RURAL, 8), (Cohort.FLOOD_COLLAPSED, Cohort.ORDINARY, 22),
    (Cohort.FLOOD_REPAIRED, Cohort.DIBAO_RURAL, 12), (Cohort.FLOOD_REPAIRED, Cohort.ORDINARY, 34),
    (Cohort.HOUSING_GRADE_D, Cohort.DIBAO_RURAL, 70), (Cohort.HOUSING_GRADE_D, Cohort.TEKUN, 25),
    (Cohort.HOUSING_GRADE_D, Cohort.ORDINARY, 92),
    (Cohort.HOUSING_GRADE_C, Cohort.DIBAO_RURAL, 60), (Cohort.HOUSING_GRADE_C, Cohort.TEKUN, 15),
    (Cohort.HOUSING_GRADE_C, Cohort.ORDINARY, 95),
    (Cohort.TEMPORARY, Cohort.DIBAO_URBAN, 6), (Cohort.TEMPORARY, Cohort.DIBAO_RURAL, 30),
    (Cohort.TEMPORARY, Cohort.ORDINARY, 45),
)  # fmt: skip
# (special, kind, where, count): veterans and the very old live mostly in ordinary village households.
SPECIAL_QUOTAS: tuple[tuple[str, str, str, int], ...] = (
    (VETERAN, Cohort.DIBAO_RURAL, "rural", 15), (VETERAN, Cohort.DIBAO_URBAN, "urban", 3),
    (VETERAN, Cohort.ORDINARY, "rural", 127), (VETERAN, Cohort.ORDINARY, "urban", 8),
    (LONGEVITY, Cohort.DIBAO_URBAN, "urban", 1), (LONGEVITY, Cohort.DIBAO_RURAL, "rural", 5),
    (LONGEVITY, Cohort.TEKUN, "rural", 3), (LONGEVITY, Cohort.ORDINARY, "any", 22),
    (CADRE, Cohort.ORDINARY, "any", 60), (CADRE_RELATIVE, Cohort.DIBAO_RURAL, "rural", 10),
)  # fmt: skip
# Cancelled in 2012: (reason, single-person households, two-person households) -> 128 persons.
CANCELLED_PLAN: tuple[tuple[str, int, int], ...] = ((DIED, 30, 0), (INCOME_ROSE, 44, 8), (VERIFICATION, 32, 3))
CHANGES_PLAN: tuple[tuple[str, int], ...] = ((MEMBER_DIED, 6), (MEMBER_ADDED, 4), (INCOME_CHANGED, 4))
TEKUN_PAIRS = 5  # households of two unmarried brothers, both 五保
APPLICANT_URBAN_HOUSEHOLDS = 6  # in the community; one of them a two-person application
APPLICANT_PAIRS = 5


def _tag_allowed(tag: str, entry: PlanEntry, *, flood_villages: frozenset[str] | None) -> bool:
    """Which households a tag may go to (shared by both planners)."""
    rural = not entry.village.is_urban
    if tag in (Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED):
        in_flood_area = flood_villages is None or entry.village.code in flood_villages
        return rural and in_flood_area and not ({Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED} & entry.tags)
    if tag in (Cohort.HOUSING_GRADE_D, Cohort.HOUSING_GRADE_C):
        taken = {Cohort.HOUSING_GRADE_D, Cohort.HOUSING_GRADE_C, Cohort.FLOOD_COLLAPSED} & entry.tags
        return rural and not taken and not entry.attrs.get("care_home")
    if tag in (Cohort.MEDICAL, Cohort.OUTPATIENT, Cohort.TEMPORARY):
        return tag not in entry.tags
    return True


def _special_allowed(special: str, entry: PlanEntry) -> bool:
    if entry.special or entry.attrs.get("care_home"):
        return False
    if special in (VETERAN, LONGEVITY, CADRE_RELATIVE) and entry.kind != Cohort.ORDINARY:
        return entry.covered == 1 and not entry.attrs.get("change")
    return True


def town_plan(
    rng: random.Random, *, community: Village, villages: Sequence[Village], weights: Sequence[int],
    figures: TownFigures = FIGURES,
) -> list[PlanEntry]:  # fmt: skip
    """Every household of 讲治镇, with exact counts per cohort."""
    f = figures
    entries: list[PlanEntry] = []

    def add(kind: str, where: list[Village], doubles: int, single: int = 1, **attrs: Any) -> list[PlanEntry]:
        made = [PlanEntry(kind, v, 2 if i < doubles else single, attrs=dict(attrs)) for i, v in enumerate(where)]
        entries.extend(made)
        return made

    urban_doubles = f.dibao_urban_persons - f.dibao_urban_households
    rural_doubles = f.dibao_rural_persons - f.dibao_rural_households
    urban = add(Cohort.DIBAO_URBAN, [community] * f.dibao_urban_households, urban_doubles)
    rural = add(Cohort.DIBAO_RURAL, _spread(rng, villages, weights, f.dibao_rural_households), rural_doubles)
    for reason, singles, pairs in CANCELLED_PLAN:
        add(Cohort.DIBAO_CANCELLED, _spread(rng, villages, weights, singles + pairs), pairs, reason=reason)
    rural_applicants = f.dibao_applicant_persons - APPLICANT_PAIRS - APPLICANT_URBAN_HOUSEHOLDS
    add(Cohort.DIBAO_APPLICANT, [community] * APPLICANT_URBAN_HOUSEHOLDS, 1, program=Cohort.DIBAO_URBAN)
    rural_where = _spread(rng, villages, weights, rural_applicants)
    add(Cohort.DIBAO_APPLICANT, rural_where, APPLICANT_PAIRS - 1, program=Cohort.DIBAO_RURAL)
    tekun = add(Cohort.TEKUN, _spread(rng, villages, weights, f.tekun_persons - TEKUN_PAIRS), TEKUN_PAIRS)
    for entry in tekun[TEKUN_PAIRS : TEKUN_PAIRS + f.tekun_in_care_home]:
        entry.attrs["care_home"] = True
    add(Cohort.ORDINARY, [community] * f.ordinary_households_urban, 0, single=0)
    add(Cohort.ORDINARY, _spread(rng, villages, weights, f.ordinary_households_rural), 0, single=0)

    for entry in urban:
        approved = random_date(rng, _d(2003), _d(2012, 11, 30))
        # Jiuzhu went live on 1 January 2012: an approval of January was applied for before it.
        entry.attrs["approved_on"] = (
            approved + datetime.timedelta(days=31) if approved.year == 2012 and approved.month == 1 else approved
        )
    _plan_rural_dibao_dates(rng, rural, f)

    by_kind: dict[str, list[PlanEntry]] = {}
    for entry in entries:
        by_kind.setdefault(entry.kind, []).append(entry)
    flood = frozenset(FLOOD_VILLAGES)
    for special, kind, where, n in SPECIAL_QUOTAS:
        accept = lambda e, s=special, w=where: _special_allowed(s, e) and _is_in(e, w)  # noqa: E731
        for entry in _pick(rng, by_kind[kind], n, accept):
            entry.special = special
    for tag, kind, n in TAG_QUOTAS:
        if tag == Cohort.TEMPORARY and kind == Cohort.ORDINARY:
            # A third of the ordinary households helped were hit by the flood.
            flood_hit = _pick(
                rng,
                by_kind[kind],
                15,
                lambda e: _tag_allowed(Cohort.TEMPORARY, e, flood_villages=flood) and _flood_hit(e),
            )
            rest = _pick(
                rng,
                by_kind[kind],
                n - 15,
                lambda e: _tag_allowed(Cohort.TEMPORARY, e, flood_villages=flood) and not _flood_hit(e),
            )
            chosen = flood_hit + rest
        else:
            chosen = _pick(rng, by_kind[kind], n, lambda e, t=tag: _tag_allowed(t, e, flood_villages=flood))  # type: ignore[misc]
        for entry in chosen:
            entry.tags.add(tag)
    _assign_veteran_categories(rng, [e for e in entries if e.special == VETERAN])
    rng.shuffle(entries)
    return entries


def _is_in(entry: PlanEntry, where: str) -> bool:
    return where == "any" or entry.village.is_urban == (where == "urban")


def _flood_hit(entry: PlanEntry) -> bool:
    return bool({Cohort.FLOOD_COLLAPSED, Cohort.FLOOD_REPAIRED} & entry.tags)


def _plan_rural_dibao_dates(rng: random.Random, rural: list[PlanEntry], f: TownFigures) -> None:
    """Approval dates: exactly `dibao_rural_new_2012_persons` persons approved in 2012; 14 changes."""
    order = list(rural)
    rng.shuffle(order)
    remaining = f.dibao_rural_new_2012_persons
    for entry in order:
        if remaining == 0:
            break
        if entry.covered <= remaining:
            entry.attrs["approved_on"] = random_date(rng, _d(2012, 2, 1), _d(2012, 12, 20))
            remaining -= entry.covered
    for entry in rural:
        entry.attrs.setdefault("approved_on", random_date(rng, _d(2007, 7), _d(2011, 12, 20)))
    earlier = [e for e in rural if e.attrs["approved_on"].year < 2012]
    for change, n in CHANGES_PLAN:
        want = 2 if change == MEMBER_ADDED else 1
        for entry in _pick(rng, earlier, n, lambda e, w=want: e.covered == w and "change" not in e.attrs):  # type: ignore[misc]
            entry.attrs["change"] = change
            entry.attrs["changed_on"] = random_date(rng, _d(2012, 2), _d(2012, 11, 30))


def _assign_veteran_categories(rng: random.Random, veterans: list[PlanEntry]) -> None:
    categories = [(name, ages, sex) for name, count, ages, sex in VETERAN_CATEGORIES for _ in range(count)]
    # Veterans on dibao are old rural soldiers; the rest are shuffled over ordinary households.
    on_dibao = [e for e in veterans if e.kind != "ordinary"]
    others = [e for e in veterans if e.kind == "ordinary"]
    old_soldiers = [c for c in categories if c[0].startswith("农村籍")]
    rest = [c for c in categories if not c[0].startswith("农村籍")] + old_soldiers[len(on_dibao) :]
    rng.shuffle(rest)
    for entry, category in zip(on_dibao + others, old_soldiers[: len(on_dibao)] + rest, strict=True):
        entry.attrs["veteran"] = category


# --- Bulk planner: the same mix, one household at a time ------------------------------------


@dataclass(frozen=True)
class BulkMix:
    """Probabilities derived from the town plan, so a bulk registry looks like many 讲治镇s."""

    urban_kinds: tuple[tuple[str, float], ...]
    rural_kinds: tuple[tuple[str, float], ...]
    doubles: dict[str, float]
    tags: tuple[tuple[str, str, float], ...]
    specials: tuple[tuple[str, str, float], ...]

    @classmethod
    def from_figures(cls, f: TownFigures = FIGURES) -> BulkMix:
        cancelled = sum(s + p for _r, s, p in CANCELLED_PLAN)
        applicants_rural = f.dibao_applicant_persons - APPLICANT_PAIRS - APPLICANT_URBAN_HOUSEHOLDS
        tekun = f.tekun_persons - TEKUN_PAIRS
        urban = {
            Cohort.DIBAO_URBAN: f.dibao_urban_households,
            Cohort.DIBAO_APPLICANT: APPLICANT_URBAN_HOUSEHOLDS,
            Cohort.ORDINARY: f.ordinary_households_urban,
        }
        rural = {
            Cohort.DIBAO_RURAL: f.dibao_rural_households, Cohort.DIBAO_CANCELLED: cancelled,
            Cohort.DIBAO_APPLICANT: applicants_rural, Cohort.TEKUN: tekun, Cohort.ORDINARY: f.ordinary_households_rural,
        }  # fmt: skip
        kind_sizes: dict[str, int] = {
            Cohort.DIBAO_URBAN: f.dibao_urban_households, Cohort.DIBAO_RURAL: f.dibao_rural_households,
            Cohort.TEKUN: tekun, Cohort.ORDINARY: f.ordinary_households_urban + f.ordinary_households_rural,
        }  # fmt: skip
        return cls(
            urban_kinds=tuple((k, n / sum(urban.values())) for k, n in urban.items()),
            rural_kinds=tuple((k, n / sum(rural.values())) for k, n in rural.items()),
            doubles={
                Cohort.DIBAO_URBAN: (f.dibao_urban_persons - f.dibao_urban_households) / f.dibao_urban_households,
                Cohort.DIBAO_RURAL: (f.dibao_rural_persons - f.dibao_rural_households) / f.dibao_rural_households,
                Cohort.DIBAO_CANCELLED: 11 / cancelled,
                Cohort.DIBAO_APPLICANT: APPLICANT_PAIRS / (applicants_rural + APPLICANT_URBAN_HOUSEHOLDS),
                Cohort.TEKUN: TEKUN_PAIRS / tekun,
            },
            tags=tuple((tag, kind, n / kind_sizes[kind]) for tag, kind, n in TAG_QUOTAS),
            specials=tuple(_special_shares(kind_sizes)),
        )


def _special_shares(kind_sizes: dict[str, int]) -> list[tuple[str, str, float]]:
    totals: dict[tuple[str, str], int] = {}
    for special, kind, _where, n in SPECIAL_QUOTAS:
        totals[special, kind] = totals.get((special, kind), 0) + n
    return [(special, kind, n / kind_sizes[kind]) for (special, kind), n in totals.items()]


def _weighted(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    x = rng.random()
    for value, p in options:
        x -= p
        if x < 0:
            return value
    return options[-1][0]


def bulk_plan_entry(rng: random.Random, village: Village, mix: BulkMix) -> PlanEntry:
    kind = _weighted(rng, mix.urban_kinds if village.is_urban else mix.rural_kinds)
    covered = 0 if kind == Cohort.ORDINARY else (2 if rng.random() < mix.doubles.get(kind, 0.0) else 1)
    entry = PlanEntry(kind, village, covered)
    if kind in DIBAO_KINDS:
        new = kind == Cohort.DIBAO_RURAL and rng.random() < 0.32
        start, end = (_d(2012), _d(2012, 12, 20)) if new else (_d(2005), _d(2011, 12, 20))
        entry.attrs["approved_on"] = random_date(rng, start, end)
    elif kind == Cohort.DIBAO_CANCELLED:
        entry.attrs["reason"] = _weighted(rng, ((DIED, 30 / 117), (INCOME_ROSE, 52 / 117), (VERIFICATION, 35 / 117)))
        if entry.attrs["reason"] == DIED:
            entry.covered = 1
    elif kind == Cohort.DIBAO_APPLICANT:
        entry.attrs["program"] = Cohort.DIBAO_URBAN if village.is_urban else Cohort.DIBAO_RURAL
    elif kind == Cohort.TEKUN and covered == 1 and rng.random() < 48 / 210:
        entry.attrs["care_home"] = True
    for special, special_kind, p in mix.specials:
        if special_kind == kind and rng.random() < p and _special_allowed(special, entry):
            entry.special = special
            if special == VETERAN:
                entry.attrs["veteran"] = _random_veteran_category(rng, kind)
    for tag, tag_kind, p in mix.tags:
        if tag_kind == kind and rng.random() < p and _tag_allowed(tag, entry, flood_villages=None):
            entry.tags.add(tag)
    return entry


def _random_veteran_category(rng: random.Random, kind: str) -> tuple[str, tuple[int, int], str]:
    if kind != Cohort.ORDINARY:
        name, _n, ages, sex = VETERAN_CATEGORIES[3]
        return name, ages, sex
    total = sum(c[1] for c in VETERAN_CATEGORIES)
    x = rng.randrange(total)
    for name, count, ages, sex in VETERAN_CATEGORIES:
        x -= count
        if x < 0:
            return name, ages, sex
    raise AssertionError("unreachable")
