"""Income items and assets of a household: add, change, remove (each audited)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, ValidationFailed
from jiuzhu.registry.access import access_asset_for_edit, access_household_for_edit, access_income_item_for_edit
from jiuzhu.registry.choices import AssetKind, IncomeKind, IncomeSource
from jiuzhu.registry.models import Asset, Household, IncomeItem
from jiuzhu.registry.services.snapshots import asset_snapshot, income_snapshot


@dataclass(frozen=True)
class IncomeData:
    kind: str
    monthly_amount_fen: int
    person_id: int | None = None
    source: str = IncomeSource.DECLARED
    description: str = ""
    recorded_on: datetime.date | None = None


@dataclass(frozen=True)
class AssetData:
    kind: str
    value_fen: int = 0
    person_id: int | None = None
    description: str = ""
    quantity: int = 1
    floor_area_sqm: Decimal | None = None
    registration_number: str = ""
    recorded_on: datetime.date | None = None


def _check_member(household: Household, person_id: int | None, errors: dict[str, list[str]]) -> None:
    if person_id is not None and not household.members.filter(pk=person_id).exists():
        errors.setdefault("person", []).append(_("所选成员不属于该家庭。"))


def _check_income(household: Household, data: IncomeData) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in IncomeKind.values:
        errors["kind"] = [_("请选择收入类型。")]
    if data.source not in IncomeSource.values:
        errors["source"] = [_("请选择收入来源。")]
    if data.monthly_amount_fen < 0:
        errors["monthly_amount"] = [_("收入金额不能为负数。")]
    if data.recorded_on and data.recorded_on > timezone.localdate():
        errors["recorded_on"] = [_("登记日期不能晚于今天。")]
    _check_member(household, data.person_id, errors)
    if errors:
        raise ValidationFailed(field_errors=errors)


def _check_asset(household: Household, data: AssetData) -> None:
    errors: dict[str, list[str]] = {}
    if data.kind not in AssetKind.values:
        errors["kind"] = [_("请选择财产类型。")]
    if data.value_fen < 0:
        errors["value"] = [_("财产价值不能为负数。")]
    if data.quantity < 1:
        errors["quantity"] = [_("数量至少为1。")]
    if data.floor_area_sqm is not None and data.floor_area_sqm <= 0:
        errors["floor_area_sqm"] = [_("建筑面积应大于0。")]
    _check_member(household, data.person_id, errors)
    if errors:
        raise ValidationFailed(field_errors=errors)


def _bump(household: Household) -> None:
    household.version += 1
    household.save(update_fields=["version", "updated_at"])


@transaction.atomic(durable=True)
def income_item_add(*, actor: Any, household_id: int, data: IncomeData, reason: str = "") -> IncomeItem:
    """Record a monthly income line. Writes INCOME_ITEM_ADDED."""
    return apply_income_item_add(actor=actor, household_id=household_id, data=data, reason=reason)


@transaction.atomic
def apply_income_item_add(*, actor: Any, household_id: int, data: IncomeData, reason: str = "") -> IncomeItem:
    """`income_item_add` inside a larger service's transaction (a reported income change, cases)."""
    household = access_household_for_edit(actor, household_id, lock=True)
    _check_income(household, data)
    item = IncomeItem.objects.create(
        household=household, person_id=data.person_id, kind=data.kind, monthly_amount_fen=data.monthly_amount_fen,
        source=data.source, description=data.description.strip(), recorded_on=data.recorded_on or timezone.localdate(),
    )  # fmt: skip
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.INCOME_ITEM_ADDED, subject=item,
        region_code=household.region.code, after=income_snapshot(item), reason=reason,
    )  # fmt: skip
    return item


@transaction.atomic(durable=True)
def income_item_update(
    *, actor: Any, item_id: int, expected_version: int, data: IncomeData, reason: str = ""
) -> IncomeItem:
    """Correct an income line. Writes INCOME_ITEM_CHANGED with field diffs."""
    return apply_income_item_update(
        actor=actor, item_id=item_id, expected_version=expected_version, data=data, reason=reason
    )


@transaction.atomic
def apply_income_item_update(
    *, actor: Any, item_id: int, expected_version: int, data: IncomeData, reason: str = ""
) -> IncomeItem:
    """`income_item_update` inside a larger service's transaction (a reported income change, cases)."""
    item = access_income_item_for_edit(actor, item_id, lock=True)
    if item.version != expected_version:
        raise ConflictError()
    household = Household.objects.select_for_update().select_related("region").get(pk=item.household_id)
    _check_income(household, data)
    before = income_snapshot(item)
    item.person_id = data.person_id
    item.kind = data.kind
    item.monthly_amount_fen = data.monthly_amount_fen
    item.source = data.source
    item.description = data.description.strip()
    item.recorded_on = data.recorded_on or item.recorded_on
    item.version += 1
    item.save()
    _bump(household)
    old, new = changed_fields(before, income_snapshot(item))
    audit_event_record(
        actor=actor, event_type=AuditEventType.INCOME_ITEM_CHANGED, subject=item,
        region_code=household.region.code, before=old, after=new, reason=reason,
    )  # fmt: skip
    return item


@transaction.atomic(durable=True)
def income_item_remove(*, actor: Any, item_id: int, reason: str) -> None:
    """Remove an income line entered in error; the audit event keeps what it said."""
    item = access_income_item_for_edit(actor, item_id, lock=True)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("删除收入须填写原因。")]})
    household = Household.objects.select_for_update().select_related("region").get(pk=item.household_id)
    before = income_snapshot(item)
    item_pk = item.pk
    item.delete()
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.INCOME_ITEM_REMOVED, subject_type="registry.incomeitem",
        subject_id=item_pk, region_code=household.region.code, before=before | {"household_id": household.pk},
        reason=reason,
    )  # fmt: skip


@transaction.atomic(durable=True)
def asset_add(*, actor: Any, household_id: int, data: AssetData, reason: str = "") -> Asset:
    """Record an asset. Writes ASSET_ADDED."""
    household = access_household_for_edit(actor, household_id, lock=True)
    _check_asset(household, data)
    asset = Asset.objects.create(
        household=household, person_id=data.person_id, kind=data.kind, description=data.description.strip(),
        value_fen=data.value_fen, quantity=data.quantity, floor_area_sqm=data.floor_area_sqm,
        registration_number=data.registration_number.strip(), recorded_on=data.recorded_on or timezone.localdate(),
    )  # fmt: skip
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.ASSET_ADDED, subject=asset,
        region_code=household.region.code, after=asset_snapshot(asset), reason=reason,
    )  # fmt: skip
    return asset


@transaction.atomic(durable=True)
def asset_update(*, actor: Any, asset_id: int, expected_version: int, data: AssetData, reason: str = "") -> Asset:
    """Correct an asset. Writes ASSET_CHANGED with field diffs."""
    asset = access_asset_for_edit(actor, asset_id, lock=True)
    if asset.version != expected_version:
        raise ConflictError()
    household = Household.objects.select_for_update().select_related("region").get(pk=asset.household_id)
    _check_asset(household, data)
    before = asset_snapshot(asset)
    for name in ("kind", "value_fen", "quantity", "floor_area_sqm"):
        setattr(asset, name, getattr(data, name))
    asset.person_id = data.person_id
    asset.description = data.description.strip()
    asset.registration_number = data.registration_number.strip()
    asset.recorded_on = data.recorded_on or asset.recorded_on
    asset.version += 1
    asset.save()
    _bump(household)
    old, new = changed_fields(before, asset_snapshot(asset))
    audit_event_record(
        actor=actor, event_type=AuditEventType.ASSET_CHANGED, subject=asset,
        region_code=household.region.code, before=old, after=new, reason=reason,
    )  # fmt: skip
    return asset


@transaction.atomic(durable=True)
def asset_remove(*, actor: Any, asset_id: int, reason: str) -> None:
    """Remove an asset entered in error or disposed of; the audit event keeps what it said."""
    asset = access_asset_for_edit(actor, asset_id, lock=True)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("删除财产须填写原因。")]})
    household = Household.objects.select_for_update().select_related("region").get(pk=asset.household_id)
    before = asset_snapshot(asset)
    asset_pk = asset.pk
    asset.delete()
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.ASSET_REMOVED, subject_type="registry.asset",
        subject_id=asset_pk, region_code=household.region.code, before=before | {"household_id": household.pk},
        reason=reason,
    )  # fmt: skip
