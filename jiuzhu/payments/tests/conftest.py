"""Fixtures for payment tests: the test county's rural dibao policy, benefits in force in three
villages of two townships (written in bulk, as the services leave them), and a clock."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jiuzhu.cases.choices import AmountChangeKind
from jiuzhu.cases.models import AmountChange, Entitlement
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.testing.beneficiaries import bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, VILLAGE_B

TZ = ZoneInfo("Asia/Shanghai")
STANDARD = 7200
FEB, MAR, APR, MAY = (datetime.date(2026, m, 1) for m in (2, 3, 4, 5))


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(at(datetime.date(2026, 1, 20)), tick=False) as traveller:
        yield traveller


def set_policy(users, effective_from=datetime.date(2000, 1, 1), **params):
    return policy_version_create(
        actor=users["county_approver"],
        region_code=COUNTY,
        program_code="dibao_rural",
        effective_from=effective_from,
        params={"standard_fen": STANDARD, **params},
        note="开江县民政局关于农村低保标准的通知（测试）",
    )


@pytest.fixture
def policy(clock, users):
    set_policy(users)
    return dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=datetime.date(2026, 1, 1))


@pytest.fixture
def cases(policy, regions, users):
    """Benefits in force from February 2026 at the standard: 3 in village A, 2 in village B (same
    township), 2 in the other township. Returns {village code: [entitlement ids]}."""
    by_village = {}
    for code, count in ((VILLAGE_A, 3), (VILLAGE_B, 2), (OTHER_TOWNSHIP_VILLAGE, 2)):
        made = bulk_beneficiaries(
            actor=users["county_approver"],
            region=regions[code],
            policy=policy,
            count=count,
            decided_on=datetime.date(2026, 1, 15),
        )
        by_village[code] = made.entitlement_ids
    return by_village


def change_amount(users, entitlement_id: int, month: datetime.date, amount_fen: int, kind=AmountChangeKind.DECREASE):
    """An amount change as the dynamic-management services record it (effective `month`)."""
    entitlement = Entitlement.objects.get(pk=entitlement_id)
    AmountChange.objects.create(
        entitlement=entitlement,
        effective_month=month,
        amount_fen=amount_fen,
        kind=kind,
        reason="复核调整（测试）",
        recorded_by=users["county_approver"],
    )
    entitlement.monthly_amount_fen = amount_fen
    entitlement.save(update_fields=["monthly_amount_fen"])
