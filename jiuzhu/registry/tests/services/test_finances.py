from __future__ import annotations

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.registry.models import Asset, IncomeItem
from jiuzhu.registry.selectors import household_file_get
from jiuzhu.registry.services.finances import (
    AssetData,
    IncomeData,
    asset_add,
    asset_remove,
    asset_update,
    income_item_add,
    income_item_remove,
    income_item_update,
)

pytestmark = pytest.mark.django_db


def test_income_lines_add_change_remove_with_audit(world):
    actor = world.users["coordinator_a"]
    h = world.household_a
    item = income_item_add(
        actor=actor, household_id=h.pk, data=IncomeData(kind="wages", monthly_amount_fen=150_000, person_id=h.head_id)
    )
    item = income_item_update(
        actor=actor,
        item_id=item.pk,
        expected_version=item.version,
        data=IncomeData(kind="wages", monthly_amount_fen=120_000, person_id=h.head_id),
    )
    assert IncomeItem.objects.get(pk=item.pk).monthly_amount_fen == 120_000
    changed = AuditEvent.objects.get(event_type=AuditEventType.INCOME_ITEM_CHANGED)
    assert changed.before == {"monthly_amount_fen": 150_000} and changed.after == {"monthly_amount_fen": 120_000}
    with pytest.raises(ValidationFailed):
        income_item_remove(actor=actor, item_id=item.pk, reason=" ")
    income_item_remove(actor=actor, item_id=item.pk, reason="重复录入")
    assert not IncomeItem.objects.exists()
    history = household_file_get(actor=actor, household=h).history
    assert AuditEventType.INCOME_ITEM_REMOVED in [e.event_type for e in history]


def test_negative_income_is_refused_and_saves_nothing(world):
    with pytest.raises(ValidationFailed) as caught:
        income_item_add(
            actor=world.users["coordinator_a"],
            household_id=world.household_a.pk,
            data=IncomeData(kind="wages", monthly_amount_fen=-1),
        )
    assert caught.value.field_errors["monthly_amount"] == ["收入金额不能为负数。"]
    assert not IncomeItem.objects.exists()


def test_income_for_a_person_of_another_household_is_refused(world):
    with pytest.raises(ValidationFailed):
        income_item_add(
            actor=world.users["township"],
            household_id=world.household_a.pk,
            data=IncomeData(kind="pension", monthly_amount_fen=100, person_id=world.household_b.head_id),
        )


def test_income_of_another_village_is_not_found(world):
    item = income_item_add(
        actor=world.users["coordinator_a"],
        household_id=world.household_a.pk,
        data=IncomeData(kind="pension", monthly_amount_fen=100),
    )
    with pytest.raises(NotFoundOrNoAccess):
        income_item_update(
            actor=world.users["coordinator_b"],
            item_id=item.pk,
            expected_version=item.version,
            data=IncomeData(kind="pension", monthly_amount_fen=999),
        )
    with pytest.raises(PermissionDeniedError):
        income_item_remove(actor=world.users["supervisor"], item_id=item.pk, reason="x")
    assert IncomeItem.objects.get(pk=item.pk).monthly_amount_fen == 100


def test_assets_add_change_remove(world):
    actor = world.users["coordinator_a"]
    asset = asset_add(
        actor=actor,
        household_id=world.household_a.pk,
        data=AssetData(kind="vehicle", value_fen=3_000_000, registration_number="川S12345"),
    )
    with pytest.raises(ConflictError):
        asset_update(actor=actor, asset_id=asset.pk, expected_version=asset.version + 1, data=AssetData(kind="vehicle"))
    asset_update(
        actor=actor,
        asset_id=asset.pk,
        expected_version=asset.version,
        data=AssetData(kind="vehicle", value_fen=2_000_000, registration_number="川S12345"),
    )
    with pytest.raises(ValidationFailed):
        asset_add(actor=actor, household_id=world.household_a.pk, data=AssetData(kind="deposit", value_fen=-5))
    asset_remove(actor=actor, asset_id=asset.pk, reason="车辆已报废")
    assert not Asset.objects.exists()
    types = list(AuditEvent.objects.filter(subject_type="registry.asset").values_list("event_type", flat=True))
    assert sorted(types) == [AuditEventType.ASSET_ADDED, AuditEventType.ASSET_CHANGED, AuditEventType.ASSET_REMOVED]
