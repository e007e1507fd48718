"""Plain input shapes for registry services (built by forms, the API and the demo generator)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from jiuzhu.registry.choices import Relation, Supporter, WorkAbility


@dataclass(frozen=True)
class PersonData:
    name: str
    id_number: str = ""
    relation: str = Relation.HEAD
    sex: str = ""
    birth_date: datetime.date | None = None
    ethnicity: str = "01"
    marital_status: str = "unmarried"
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
    death_date: datetime.date | None = None
    phone: str = ""


@dataclass(frozen=True)
class HouseholdData:
    region_id: int
    hukou_type: str
    address: str
    phone: str = ""
    bank_name: str = ""
    account_holder: str = ""
    account_number: str = ""
    notes: str = ""
    members: tuple[PersonData, ...] = field(default_factory=tuple)
