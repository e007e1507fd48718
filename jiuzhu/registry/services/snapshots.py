"""JSON snapshots of registry rows for audit before/after. Identifiers are masked."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from jiuzhu.registry.models import Asset, Household, IncomeItem, Person

_PERSON_FIELDS = (
    "name", "relation", "sex", "birth_date", "ethnicity", "marital_status", "education", "is_student",
    "employment", "work_ability", "supporter", "disability_category", "disability_grade", "has_serious_illness",
    "illness_description", "is_cadre", "is_cadre_relative", "is_co_resident", "death_date", "phone",
    "id_number_masked", "household_id",
)  # fmt: skip
_HOUSEHOLD_FIELDS = (
    "region_id", "hukou_type", "address", "phone", "head_id", "head_name", "status", "bank_name",
    "account_holder", "account_number_masked", "notes",
)  # fmt: skip
_INCOME_FIELDS = ("person_id", "kind", "monthly_amount_fen", "source", "description", "recorded_on")
_ASSET_FIELDS = (
    "person_id", "kind", "description", "value_fen", "quantity", "floor_area_sqm",
    "registration_number", "recorded_on",
)  # fmt: skip


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def _snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: _json(getattr(obj, f)) for f in fields}


def person_snapshot(person: Person) -> dict[str, Any]:
    return _snapshot(person, _PERSON_FIELDS)


def household_snapshot(household: Household) -> dict[str, Any]:
    return _snapshot(household, _HOUSEHOLD_FIELDS)


def income_snapshot(item: IncomeItem) -> dict[str, Any]:
    return _snapshot(item, _INCOME_FIELDS)


def asset_snapshot(asset: Asset) -> dict[str, Any]:
    return _snapshot(asset, _ASSET_FIELDS)
