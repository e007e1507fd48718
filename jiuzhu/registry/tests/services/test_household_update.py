from __future__ import annotations

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.services.households import (
    household_account_number_reveal,
    household_update,
    person_id_number_reveal,
)
from jiuzhu.registry.types import HouseholdData
from jiuzhu.testing.builders import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


def _data(world, **changes) -> HouseholdData:
    h = world.household_a
    values = dict(region_id=h.region_id, hukou_type=h.hukou_type, address=h.address, phone=h.phone)
    values.update(changes)
    return HouseholdData(**values)


def test_update_changes_fields_with_diff_and_keeps_account_when_blank(world):
    actor = world.users["coordinator_a"]
    h = world.household_a
    household_update(
        actor=actor,
        household_id=h.pk,
        expected_version=h.version,
        data=_data(world, account_number="6217001234567890", bank_name="邮储银行"),
        reason="新开户",
    )
    h.refresh_from_db()
    household_update(
        actor=actor,
        household_id=h.pk,
        expected_version=h.version,
        data=_data(world, address="凤凰村2组1号", bank_name="邮储银行"),
        reason="搬家",
    )
    h.refresh_from_db()
    assert h.address == "凤凰村2组1号"
    assert decrypt(h.account_number_ciphertext) == "6217001234567890"
    event = AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_CHANGED, subject_id=h.pk).latest("id")
    assert event.after == {"address": "凤凰村2组1号"} and event.reason == "搬家"


def test_stale_version_is_a_conflict(world):
    h = world.household_a
    with pytest.raises(ConflictError):
        household_update(
            actor=world.users["coordinator_a"],
            household_id=h.pk,
            expected_version=h.version - 1,
            data=_data(world, address="x"),
        )
    h.refresh_from_db()
    assert h.address != "x"


def test_moving_a_household_to_a_village_outside_jurisdiction_is_refused(world):
    with pytest.raises(NotFoundOrNoAccess):
        household_update(
            actor=world.users["coordinator_a"],
            household_id=world.household_a.pk,
            expected_version=world.household_a.version,
            data=_data(world, region_id=world.regions[VILLAGE_B].pk),
        )
    world.household_a.refresh_from_db()
    assert world.household_a.region.code == VILLAGE_A


def test_bad_account_number_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        household_update(
            actor=world.users["coordinator_a"],
            household_id=world.household_a.pk,
            expected_version=world.household_a.version,
            data=_data(world, account_number="12ab", bank_name="x"),
        )
    assert "银行账号" in caught.value.field_errors["account_number"][0]


def test_revealing_an_id_number_needs_the_capability_and_is_logged(world):
    head = world.household_a.head
    number = person_id_number_reveal(actor=world.users["coordinator_a"], person_id=head.pk, reason="入户核对")
    assert number == decrypt(head.id_number_ciphertext)
    event = AuditEvent.objects.get(event_type=AuditEventType.PERSON_ID_REVEALED)
    assert event.actor == world.users["coordinator_a"] and event.reason == "入户核对"
    with pytest.raises(PermissionDeniedError):
        person_id_number_reveal(actor=world.users["institution"], person_id=head.pk)
    with pytest.raises(NotFoundOrNoAccess):
        person_id_number_reveal(actor=world.users["coordinator_b"], person_id=head.pk)
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_ID_REVEALED).count() == 1


def test_revealing_an_account_number_is_for_finance_and_logged(world):
    h = world.household_a
    household_update(
        actor=world.users["coordinator_a"],
        household_id=h.pk,
        expected_version=h.version,
        data=_data(world, account_number="6217001234567890", bank_name="邮储银行"),
    )
    with pytest.raises(PermissionDeniedError):
        household_account_number_reveal(actor=world.users["coordinator_a"], household_id=h.pk)
    assert household_account_number_reveal(actor=world.users["finance"], household_id=h.pk) == "6217001234567890"
    assert AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED).count() == 1
