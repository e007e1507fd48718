"""Builders for tests: a small region tree, staff of every role, households through the services."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from jiuzhu.accounts.models import User
from jiuzhu.regions.models import Region
from jiuzhu.regions.rules import region_row
from jiuzhu.registry.models import Household
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.registry.services.households import household_create
from jiuzhu.registry.types import HouseholdData, PersonData

TREE = [
    ("51", "四川省"),
    ("5117", "达州市"),
    ("511723", "开江县"),
    ("511723105", "讲治镇"),
    ("511723105001", "讲治社区"),
    ("511723105201", "凤凰村"),
    ("511723105202", "石桥村"),
    ("511723106", "甘棠镇"),
    ("511723106201", "白岩村"),
]
VILLAGE_A = "511723105201"
VILLAGE_B = "511723105202"
COMMUNITY = "511723105001"
TOWNSHIP = "511723105"
OTHER_TOWNSHIP_VILLAGE = "511723106201"
COUNTY = "511723"
PASSWORD = "Jiuzhu-test-2026"


def build_region_tree() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name in TREE:
        row = region_row(code, name)
        regions[code] = Region.objects.create(
            code=code, name=name, level=row.level, is_urban=row.is_urban,
            parent=regions.get(row.parent_code or ""),
        )  # fmt: skip
    return regions


def make_user(username: str, role: str, region: Region | None) -> User:
    user = User(username=username, role=role, region=region, first_name=username)
    user.set_password(PASSWORD)
    user.save()
    return user


_sequence = itertools.count(1)


# Address codes of 开江县's neighbours: when one code's 500 sequences per birth date and sex are used up,
# the next code is taken, so the birth date a test asks for is always the one in the number.
_ADDRESS_CODES = ("511723", "511702", "511703", "511721", "511722", "511724", "511725", "511781")


def new_id_number(birth: datetime.date = datetime.date(1970, 5, 17), male: bool = True) -> str:
    """A fresh valid ID number for tests with exactly this birth date and sex (odd sequence = male)."""
    n = next(_sequence)
    seq = 2 * (n % 500) + (1 if male else 0)
    return make_id_number(_ADDRESS_CODES[(n // 500) % len(_ADDRESS_CODES)], birth, seq)


def person(name: str, relation: str = "head", **kwargs: Any) -> PersonData:
    kwargs.setdefault("id_number", new_id_number())
    return PersonData(name=name, relation=relation, **kwargs)


def make_household(actor: Any, region: Region, *members: PersonData, **kwargs: Any) -> Household:
    if not members:
        members = (person("张三"),)
    data = HouseholdData(
        region_id=region.pk,
        hukou_type=kwargs.pop("hukou_type", "rural"),
        address=kwargs.pop("address", f"{region.name}1组8号"),
        members=tuple(members),
        **kwargs,
    )
    return household_create(actor=actor, data=data)


@dataclass
class World:
    regions: dict[str, Region]
    users: dict[str, User]
    household_a: Household
    household_b: Household
