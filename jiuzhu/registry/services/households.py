"""Household use cases: create (with members), edit, change head, file views and reveals."""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, RuleViolation, ValidationFailed
from jiuzhu.common.sensitive import decrypt, seal_account_number
from jiuzhu.regions.models import Region, RegionLevel
from jiuzhu.registry.access import access_household_for_edit, access_household_for_view, access_person_for_view
from jiuzhu.registry.choices import HouseholdStatus, HukouType, Relation
from jiuzhu.registry.models import Household, Person
from jiuzhu.registry.services.persons import (
    assert_id_numbers_unused,
    build_person,
    check_person_data,
    save_new_person,
)
from jiuzhu.registry.services.snapshots import household_snapshot, person_snapshot
from jiuzhu.registry.types import HouseholdData

_ACCOUNT_RE = re.compile(r"^\d{8,30}$")


def check_household_fields(data: HouseholdData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.hukou_type not in HukouType.values:
        errors["hukou_type"] = [_("请选择户籍类型。")]
    if not data.address.strip():
        errors["address"] = [_("请填写家庭住址。")]
    number = data.account_number.replace(" ", "")
    if number and not _ACCOUNT_RE.match(number):
        errors["account_number"] = [_("银行账号应为8至30位数字。")]
    if number and not data.bank_name.strip():
        errors.setdefault("bank_name", []).append(_("填写银行账号时须填写开户机构。"))
    return errors


def _village_in_jurisdiction(actor: Any, region_id: int) -> Region:
    region = Region.objects.filter(pk=region_id).first()
    if region is None:
        raise ValidationFailed(field_errors={"region": [_("请选择所属村（社区）。")]})
    require_region_in_jurisdiction(actor, region.code)
    if region.level != RegionLevel.VILLAGE:
        raise ValidationFailed(field_errors={"region": [_("家庭应登记到村（社区）一级。")]})
    return region


def _apply_account(household: Household, number: str) -> None:
    number = number.replace(" ", "")
    if number:
        sealed = seal_account_number(number)
        household.account_number_ciphertext = sealed.ciphertext
        household.account_number_digest = sealed.digest
        household.account_number_masked = sealed.masked
    else:
        household.account_number_ciphertext = ""
        household.account_number_digest = ""
        household.account_number_masked = ""


@transaction.atomic(durable=True)
def household_create(*, actor: Any, data: HouseholdData, reason: str = "") -> Household:
    """Open a household file with its head (the first member) and other members.

    Everything is checked before anything is written, so a bad member saves nothing.
    Writes HOUSEHOLD_CREATED (and PERSON_ADDED per member).
    """
    require_capability(actor, Capability.REGISTRY_EDIT)
    return household_insert(actor=actor, data=data, reason=reason)


def household_insert(*, actor: Any, data: HouseholdData, reason: str = "") -> Household:
    """`household_create` inside the caller's transaction, for a service that has checked the actor's
    capability itself (the onboarding of a spreadsheet writes a household and its case together).
    The village must be in the actor's jurisdiction; the data are checked as in `household_create`."""
    region = _village_in_jurisdiction(actor, data.region_id)
    errors = check_household_fields(data)
    if not data.members:
        errors.setdefault("members", []).append(_("请至少录入户主一人。"))
    heads = [m for m in data.members if m.relation == Relation.HEAD]
    if data.members and len(heads) != 1:
        errors.setdefault("members", []).append(_("一户应有且只有一名户主。"))
    checked_members = []
    for index, member in enumerate(data.members):
        checked, member_errors = check_person_data(member, prefix=f"members-{index}-")
        errors.update(member_errors)
        checked_members.append(checked)
    if errors:
        raise ValidationFailed(field_errors=errors)
    assert_id_numbers_unused(
        [(f"members-{i}-id_number", c.id_facts.number) for i, c in enumerate(checked_members) if c.id_facts]
    )

    household = Household(
        region=region, hukou_type=data.hukou_type, address=data.address.strip(), phone=data.phone.strip(),
        bank_name=data.bank_name.strip(), account_holder=data.account_holder.strip(), notes=data.notes,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    _apply_account(household, data.account_number)
    household.save()
    today = timezone.localdate()
    persons = [
        save_new_person(build_person(household, member, checked), started_on=today)
        for member, checked in zip(data.members, checked_members, strict=True)
    ]
    head = next(p for p in persons if p.relation == Relation.HEAD)
    household.head = head
    household.head_name = head.name
    household.head_name_initials = head.name_initials
    household.save(update_fields=["head", "head_name", "head_name_initials"])
    audit_event_record(
        actor=actor, event_type=AuditEventType.HOUSEHOLD_CREATED, subject=household,
        region_code=region.code, after=household_snapshot(household), reason=reason,
    )  # fmt: skip
    for person in persons:
        audit_event_record(
            actor=actor, event_type=AuditEventType.PERSON_ADDED, subject=person,
            region_code=region.code, after=person_snapshot(person), reason=reason,
        )  # fmt: skip
    return household


@transaction.atomic(durable=True)
def household_update(
    *, actor: Any, household_id: int, expected_version: int, data: HouseholdData, reason: str = ""
) -> Household:
    """Change a household's address, contact, registration, village or payment account.

    An empty `account_number` keeps the stored account. Writes HOUSEHOLD_CHANGED with field diffs.
    """
    household = access_household_for_edit(actor, household_id, lock=True)
    if household.version != expected_version:
        raise ConflictError()
    errors = check_household_fields(data)
    if errors:
        raise ValidationFailed(field_errors=errors)
    region = _village_in_jurisdiction(actor, data.region_id)
    before = household_snapshot(household)
    old_region_code = household.region.code
    household.region = region
    household.hukou_type = data.hukou_type
    household.address = data.address.strip()
    household.phone = data.phone.strip()
    household.bank_name = data.bank_name.strip()
    household.account_holder = data.account_holder.strip()
    household.notes = data.notes
    if data.account_number.strip():
        _apply_account(household, data.account_number)
    household.version += 1
    household.save()
    old, new = changed_fields(before, household_snapshot(household))
    for code in {old_region_code, region.code}:
        audit_event_record(
            actor=actor, event_type=AuditEventType.HOUSEHOLD_CHANGED, subject=household,
            region_code=code, before=old, after=new, reason=reason,
        )  # fmt: skip
    return household


@transaction.atomic(durable=True)
def household_head_change(
    *, actor: Any, household_id: int, expected_version: int, new_head_id: int, former_head_relation: str, reason: str
) -> Household:
    """Make another living member the head. Writes HEAD_CHANGED."""
    household = access_household_for_edit(actor, household_id, lock=True)
    if household.version != expected_version:
        raise ConflictError()
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请填写变更原因。")]})
    new_head = household.members.select_for_update().filter(pk=new_head_id).first()
    if new_head is None or new_head.is_deceased:
        raise ValidationFailed(field_errors={"new_head": [_("新户主须为本户在世成员。")]})
    if former_head_relation == Relation.HEAD or former_head_relation not in Relation.values:
        raise ValidationFailed(field_errors={"former_head_relation": [_("请选择原户主与新户主的关系。")]})
    if household.head_id == new_head.pk:
        raise RuleViolation(_("该成员已是户主。"))
    old_head = household.members.select_for_update().filter(pk=household.head_id).first() if household.head_id else None
    before = {"head_id": household.head_id, "head_name": household.head_name}
    if old_head is not None:
        old_head.relation = former_head_relation
        old_head.version += 1
        old_head.save(update_fields=["relation", "version", "updated_at"])
    new_head.relation = Relation.HEAD
    new_head.version += 1
    new_head.save(update_fields=["relation", "version", "updated_at"])
    household.head = new_head
    household.head_name = new_head.name
    household.head_name_initials = new_head.name_initials
    household.version += 1
    household.save(update_fields=["head", "head_name", "head_name_initials", "version", "updated_at"])
    audit_event_record(
        actor=actor, event_type=AuditEventType.HEAD_CHANGED, subject=household,
        region_code=household.region.code, before=before,
        after={"head_id": new_head.pk, "head_name": new_head.name}, reason=reason,
    )  # fmt: skip
    return household


@transaction.atomic
def household_file_viewed(*, actor: Any, household: Household) -> None:
    """Log that the actor opened a household file (the audit trail covers reads too)."""
    audit_event_record(
        actor=actor, event_type=AuditEventType.HOUSEHOLD_VIEWED, subject=household,
        region_code=household.region.code,
    )  # fmt: skip


@transaction.atomic
def person_id_number_reveal(*, actor: Any, person_id: int, reason: str = "") -> str:
    """Show a full ID number: needs the capability, and is logged (PERSON_ID_REVEALED)."""
    person: Person = access_person_for_view(actor, person_id)
    require_capability(actor, Capability.ID_NUMBER_REVEAL)
    if not person.id_number_ciphertext:
        raise RuleViolation(_("该成员尚未登记身份证号。"))
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_ID_REVEALED, subject=person,
        region_code=person.household.region.code, reason=reason,
    )  # fmt: skip
    return decrypt(person.id_number_ciphertext)


@transaction.atomic
def household_account_number_reveal(*, actor: Any, household_id: int, reason: str = "") -> str:
    """Show a full payment account number: needs the capability, and is logged."""
    household = access_household_for_view(actor, household_id)
    require_capability(actor, Capability.ACCOUNT_NUMBER_REVEAL)
    if not household.account_number_ciphertext:
        raise RuleViolation(_("该家庭尚未登记银行账号。"))
    audit_event_record(
        actor=actor, event_type=AuditEventType.HOUSEHOLD_ACCOUNT_REVEALED, subject=household,
        region_code=household.region.code, reason=reason,
    )  # fmt: skip
    return decrypt(household.account_number_ciphertext)


def household_is_active(household: Household) -> bool:
    return household.status == HouseholdStatus.ACTIVE
