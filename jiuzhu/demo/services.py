"""Building the demo: the region tree, the town 讲治镇, its staff accounts, and bulk registries.

The town build runs in one transaction, so a town is either there whole or not at all; bulk
generation commits batch by batch (bounded memory, progress survives an interruption).
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.accounts.services import user_create
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.demo.calibrate import GO_LIVE, calibrate_program, steady_through_year
from jiuzhu.demo.families import HouseholdBuilder
from jiuzhu.demo.ids import IdNumberAllocator
from jiuzhu.demo.models import Cohort, Dataset, DemoHousehold
from jiuzhu.demo.names import synthetic_village_name
from jiuzhu.demo.people import HouseholdSpec
from jiuzhu.demo.plan import BulkMix, PlanEntry, Village, bulk_plan_entry, town_plan
from jiuzhu.demo.town import (
    COMMUNITY_CODE,
    COUNTY_CODE,
    DEFAULT_SEED,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_POLICY_EFFECTIVE,
    DEMO_POLICY_NOTE,
    DEMO_STANDARDS_FEN,
    FIGURES,
    MONTHLY_FROM,
    MONTHLY_NOTE,
    TOWN_VILLAGES,
    TOWNSHIP_CODE,
    VILLAGE_WEIGHTS,
    demo_policy_params,
)
from jiuzhu.demo.writer import write_households
from jiuzhu.programs.models import PolicyVersion
from jiuzhu.programs.rules.policy import policy_from_values
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.regions.rules import region_row
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.regions.services import region_create, regions_import, regions_import_bundled_province

BATCH_HOUSEHOLDS = 5000
HOUSEHOLDS_PER_VILLAGE = 300
MAX_VILLAGES_PER_TOWNSHIP = 398  # codes 001–199 (communities) and 201–399 (villages)

Progress = Callable[[int, int], None]  # (households written so far, persons written so far)


@dataclass(frozen=True)
class BuildResult:
    households: int
    persons: int


@dataclass(frozen=True)
class AccountLine:
    username: str
    role_label: str
    region_label: str
    password: str  # "" when an account of that name existed and is not the demo account


def demo_regions_ensure() -> None:
    """The bundled Sichuan tree (province to township) and the 12 villages of 讲治镇."""
    if not Region.objects.filter(code=TOWNSHIP_CODE).exists():
        regions_import_bundled_province(actor=None)
    existing = set(Region.objects.filter(code__in=[c for c, _n in TOWN_VILLAGES]).values_list("code", flat=True))
    for code, name in TOWN_VILLAGES:
        if code not in existing:
            region_create(actor=None, code=code, name=name)


def demo_town_exists() -> bool:
    return DemoHousehold.objects.filter(dataset=Dataset.TOWN).exists()


def demo_accounts_ensure() -> list[AccountLine]:
    """One account per role (password `DEMO_PASSWORD`); accounts that exist are left alone.

    The password is printed for accounts this generator created (a USER_CREATED event without
    actor) with the demo role and region, not for a same-named account made another way.
    """
    codes = [a.region_code for a in DEMO_ACCOUNTS if a.region_code]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    users = {u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])}
    generated = set(
        AuditEvent.objects.filter(
            event_type=AuditEventType.USER_CREATED,
            actor__isnull=True,
            subject_type=User._meta.label_lower,
            subject_id__in=[u.pk for u in users.values()],
        ).values_list("subject_id", flat=True)
    )
    lines = []
    shared_hash = ""  # hashing takes about half a second on purpose: once for all the accounts
    for account in DEMO_ACCOUNTS:
        region = regions.get(account.region_code) if account.region_code else None
        user = users.get(account.username)
        if user is None:
            if not shared_hash:
                validate_password(DEMO_PASSWORD)
                shared_hash = make_password(DEMO_PASSWORD)
            user = user_create(
                actor=None,
                username=account.username,
                password=None,
                password_hash=shared_hash,
                role=account.role,
                region=region,
                full_name=account.full_name,
            )
            generated.add(user.pk)
        is_demo = (
            user.pk in generated and user.role == account.role and user.region_id == (region.pk if region else None)
        )
        lines.append(
            AccountLine(
                username=account.username,
                role_label=str(user.get_role_display()),
                region_label=_region_label(user.region) if user.region else _("全部区划"),
                password=DEMO_PASSWORD if is_demo else "",
            )
        )
    return lines


def _region_label(region: Region) -> str:
    names = []
    current: Region | None = region
    while current is not None and current.level >= RegionLevel.COUNTY:
        names.append(current.name)
        current = current.parent
    return "".join(reversed(names))


def _town_villages() -> tuple[Village, list[Village], list[int]]:
    township = Region.objects.get(code=TOWNSHIP_CODE)
    regions = {r.code: r for r in Region.objects.filter(code__in=[c for c, _n in TOWN_VILLAGES])}

    def village(code: str) -> Village:
        r = regions[code]
        return Village(r.pk, r.code, r.name, township.name, r.is_urban)

    rural_codes = list(VILLAGE_WEIGHTS)
    return village(COMMUNITY_CODE), [village(c) for c in rural_codes], [VILLAGE_WEIGHTS[c] for c in rural_codes]


def _write_in_batches(
    specs: Iterator[HouseholdSpec],
    *,
    dataset: str,
    batch_size: int,
    progress: Progress | None,
    defer_deaths: bool = False,
) -> BuildResult:
    allocator = IdNumberAllocator()
    households = persons = 0
    batch: list[HouseholdSpec] = []
    for spec in specs:
        batch.append(spec)
        if len(batch) >= batch_size:
            result = write_households(batch, allocator=allocator, dataset=dataset, defer_deaths=defer_deaths)
            households, persons, batch = households + result.households, persons + result.persons, []
            if progress:
                progress(households, persons)
    if batch:
        result = write_households(batch, allocator=allocator, dataset=dataset, defer_deaths=defer_deaths)
        households, persons = households + result.households, persons + result.persons
        if progress:
            progress(households, persons)
    return BuildResult(households=households, persons=persons)


def demo_town_build(
    *, seed: int = DEFAULT_SEED, progress: Progress | None = None, defer_deaths: bool = False
) -> BuildResult:
    """Build 讲治镇: regions, villages and every household behind the 2012 figures (one transaction)."""
    with transaction.atomic():
        demo_regions_ensure()
        community, villages, weights = _town_villages()
        rng = random.Random(seed)
        plan = town_plan(rng, community=community, villages=villages, weights=weights)
        builder = HouseholdBuilder(rng)
        built = [(entry, builder.build(entry)) for entry in plan]
        calibrate_town(random.Random(seed + 1), built)
        specs = (spec for _entry, spec in built)
        return _write_in_batches(
            specs, dataset=Dataset.TOWN, batch_size=BATCH_HOUSEHOLDS, progress=progress, defer_deaths=defer_deaths
        )


def calibrate_town(rng: random.Random, built: list[tuple[PlanEntry, HouseholdSpec]]) -> None:
    """Give the dibao households the small incomes that make their amounts add up to the seed's totals."""
    targets = {Cohort.DIBAO_URBAN: FIGURES.dibao_urban_monthly_fen, Cohort.DIBAO_RURAL: FIGURES.dibao_rural_monthly_fen}
    for kind, target in targets.items():
        policy = policy_from_values(demo_policy_params(str(kind)))
        calibrate_program(rng, [(e, s) for e, s in built if e.kind == kind], policy, target)
    rural = policy_from_values(demo_policy_params(Cohort.DIBAO_RURAL))
    for entry, spec in built:  # cancelled in 2012: unchanged until then
        if entry.kind == Cohort.DIBAO_CANCELLED:
            attrs = next(a for p in spec.members for c, a in p.cohorts if c == Cohort.DIBAO_CANCELLED)
            story = [datetime.date.fromisoformat(attrs["cancelled_on"])]  # and a son coming home before it
            story += [p.started_on for p in spec.members if p.started_on and p.started_on >= GO_LIVE]
            steady_through_year(spec, GO_LIVE, rural, until=min(story) - datetime.timedelta(days=1))


# --- Bulk registries for benchmarks ---------------------------------------------------------


def _village_codes(township: Region) -> list[str]:
    """Village codes in the national pattern (001–199 communities, 201–399 villages).

    A township (镇/乡) gets villages with a community every twelfth place, as 讲治镇 has 11 villages
    and 1 community; a subdistrict (街道) gets communities first.
    """
    communities = [f"{township.code}{n:03d}" for n in range(1, 200)]
    villages = [f"{township.code}{n:03d}" for n in range(201, 400)]
    if township.is_urban:
        return communities + villages
    codes: list[str] = []
    while villages or communities:
        source = communities if (len(codes) % 12 == 11 and communities) or not villages else villages
        codes.append(source.pop(0))
    return codes


def bulk_villages(*, region_code: str, households: int) -> list[Village]:
    """Villages to spread `households` over: existing ones first, synthetic ones created as needed."""
    root = Region.objects.filter(code=region_code).first()
    if root is None or root.level > RegionLevel.TOWNSHIP:
        raise ValidationFailed(_("区划 %(code)s 不存在或不是乡镇及以上区划。") % {"code": region_code})
    townships = list(
        Region.objects.filter(subtree_q(region_code), level=RegionLevel.TOWNSHIP)
        .exclude(code=TOWNSHIP_CODE)
        .order_by("code")
    )
    if not townships:
        raise ValidationFailed(_("区划 %(code)s 下没有可用的乡镇（讲治镇保留给演示镇）。") % {"code": region_code})
    wanted = max(1, math.ceil(households / HOUSEHOLDS_PER_VILLAGE))
    per_township = min(MAX_VILLAGES_PER_TOWNSHIP, math.ceil(wanted / len(townships)))
    existing: dict[str, Region] = {
        r.code: r for r in Region.objects.filter(subtree_q(region_code), level=RegionLevel.VILLAGE)
    }
    new_rows = []
    chosen: list[tuple[Region, str]] = []
    serial = 0
    for township in townships:
        for code in _village_codes(township)[:per_township]:
            serial += 1
            if code not in existing:
                is_community = int(code[9:]) < 200
                name = synthetic_village_name(serial)
                new_rows.append(region_row(code, name.replace("村", "社区") if is_community else name))
            chosen.append((township, code))
    if new_rows:
        regions_import(actor=None, rows=new_rows, source_name="demo-bulk-villages")
        existing.update({r.code: r for r in Region.objects.filter(code__in=[row.code for row in new_rows])})
    return [
        Village(existing[code].pk, code, existing[code].name, township.name, existing[code].is_urban)
        for township, code in chosen
    ]


def _bulk_specs(rng: random.Random, villages: list[Village], households: int) -> Iterator[HouseholdSpec]:
    mix = BulkMix.from_figures()
    builder = HouseholdBuilder(rng)
    count = len(villages)
    for i in range(households):
        entry: PlanEntry = bulk_plan_entry(rng, villages[i * count // households], mix)
        yield builder.build(entry)


def demo_bulk_generate(
    *,
    households: int,
    region_code: str = COUNTY_CODE,
    seed: int = DEFAULT_SEED,
    batch_size: int = BATCH_HOUSEHOLDS,
    progress: Progress | None = None,
) -> BuildResult:
    """Generate `households` households over the townships under `region_code` (讲治镇 excluded,
    so the demo town's figures stay exact). Commits every `batch_size` households."""
    if households < 1:
        raise ValidationFailed(_("家庭数量应为正整数。"))
    if region_code.startswith(TOWNSHIP_CODE):
        raise ValidationFailed(_("讲治镇保留给演示镇，批量数据请选择其他区划。"))
    demo_regions_ensure()
    villages = bulk_villages(region_code=region_code, households=households)
    rng = random.Random(seed)
    return _write_in_batches(
        _bulk_specs(rng, villages, households), dataset=Dataset.BULK, batch_size=batch_size, progress=progress
    )


def demo_policies_ensure() -> int:
    """The county's dibao policy of 2012 (paid quarterly) and of 2013 on (paid monthly), set through
    the policy service by the demo approver.

    Returns how many versions were created (0 when they exist already)."""
    if PolicyVersion.objects.filter(region__code=COUNTY_CODE).exists():
        return 0
    approver = User.objects.filter(username="approver", role=Role.COUNTY_APPROVER).first()
    if approver is None:
        return 0
    for program_code in DEMO_STANDARDS_FEN:
        policy_version_create(
            actor=approver,
            region_code=COUNTY_CODE,
            program_code=program_code,
            effective_from=DEMO_POLICY_EFFECTIVE,
            params=demo_policy_params(program_code),
            note=DEMO_POLICY_NOTE,
        )
        policy_version_create(
            actor=approver,
            region_code=COUNTY_CODE,
            program_code=program_code,
            effective_from=MONTHLY_FROM,
            params=demo_policy_params(program_code, monthly=True),
            note=MONTHLY_NOTE,
        )
    return 2 * len(DEMO_STANDARDS_FEN)
