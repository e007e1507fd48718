"""Person use cases: add, edit, move between households, birth, death, marriage."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, RuleViolation, ValidationFailed
from jiuzhu.common.sensitive import lookup_digest, seal_id_number
from jiuzhu.registry.access import access_household_for_edit, access_person_for_edit
from jiuzhu.registry.choices import HouseholdStatus, MaritalStatus, MembershipEndReason, Relation
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.registry.rules.names import name_initials
from jiuzhu.registry.rules.person_facts import CheckedPersonFacts, PersonFactsInput, check_person_facts
from jiuzhu.registry.services.snapshots import person_snapshot
from jiuzhu.registry.types import PersonData

_PLAIN_FIELDS = (
    "name", "relation", "ethnicity", "marital_status", "education", "is_student", "employment",
    "work_ability", "supporter", "disability_category", "disability_grade", "has_serious_illness",
    "illness_description", "is_cadre", "is_cadre_relative", "is_co_resident", "death_date", "phone",
)  # fmt: skip


def check_person_data(
    data: PersonData, *, prefix: str = "", id_required: bool = True
) -> tuple[CheckedPersonFacts, dict[str, list[str]]]:
    """Validate one person's input; field errors are keyed `prefix + field`."""
    checked, errors = check_person_facts(
        PersonFactsInput(
            id_number=data.id_number,
            sex=data.sex,
            birth_date=data.birth_date,
            death_date=data.death_date,
            disability_category=data.disability_category,
            disability_grade=data.disability_grade,
        ),
        today=timezone.localdate(),
        id_required=id_required,
    )
    if not data.name.strip():
        errors.setdefault("name", []).append(_("请填写姓名。"))
    if data.relation not in Relation.values:
        errors.setdefault("relation", []).append(_("请选择与户主关系。"))
    return checked, {prefix + k: v for k, v in errors.items()}


def existing_id_message(number: str, person: Person) -> str:
    household = person.household
    return _(
        "身份证号 %(masked)s 已登记在 %(village)s %(head)s户（家庭编号 %(household_id)s，成员 %(name)s），"
        "同一人不能重复登记。如该人员已迁入本户，请在原家庭档案中办理迁移。"
    ) % {
        "masked": person.id_number_masked,
        "village": household.region.name,
        "head": household.head_name or "—",
        "household_id": household.pk,
        "name": person.name,
    }


def assert_id_numbers_unused(numbers: Sequence[tuple[str, str]], *, ignore_person_id: int | None = None) -> None:
    """`numbers` are (field key, normalised number). Refuse any already in the registry,
    with a pointer to the household that holds it, or repeated within the same input."""
    errors: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    pointer: dict[str, Any] = {}
    for key, number in numbers:
        if number in seen:
            errors.setdefault(key, []).append(_("同一身份证号在本次录入中出现了两次。"))
            continue
        seen[number] = key
        holders = Person.objects.select_related("household", "household__region").filter(
            id_number_digest=lookup_digest(number)
        )
        if ignore_person_id is not None:
            holders = holders.exclude(pk=ignore_person_id)
        holder = holders.first()
        if holder is not None:
            errors.setdefault(key, []).append(existing_id_message(number, holder))
            pointer = {"existing_household_id": holder.household_id, "existing_person_id": holder.pk}
    if errors:
        raise ValidationFailed(field_errors=errors, code="id_number_exists" if pointer else None, **pointer)


def build_person(household: Household, data: PersonData, checked: CheckedPersonFacts) -> Person:
    person = Person(household=household, name_initials=name_initials(data.name))
    for name in _PLAIN_FIELDS:
        setattr(person, name, getattr(data, name))
    person.name = data.name.strip()
    assert checked.birth_date is not None
    person.birth_date = checked.birth_date
    person.sex = checked.sex
    if checked.id_facts is not None:
        sealed = seal_id_number(checked.id_facts.number)
        person.id_number_ciphertext = sealed.ciphertext
        person.id_number_digest = sealed.digest
        person.id_number_masked = sealed.masked
    else:
        person.id_number_digest = None
    return person


def save_new_person(person: Person, *, started_on: datetime.date) -> Person:
    """Insert a person and open their membership; a concurrent duplicate ID becomes a clear error."""
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationFailed(
            field_errors={"id_number": [_("该身份证号刚刚已被其他人登记，请刷新后核对。")]},
            code="id_number_exists",
        ) from None
    MembershipPeriod.objects.create(
        person=person, household_id=person.household_id, relation=person.relation, started_on=started_on
    )
    return person


def _check_version(obj: Any, expected_version: int) -> None:
    if obj.version != expected_version:
        raise ConflictError()


def _close_membership(person: Person, *, on: datetime.date, reason: str) -> None:
    MembershipPeriod.objects.filter(person=person, ended_on__isnull=True).update(ended_on=on, end_reason=reason)


def _bump(household: Household) -> None:
    household.version += 1
    household.save(update_fields=["version", "updated_at"])


@transaction.atomic(durable=True)
def person_add(*, actor: Any, household_id: int, data: PersonData, reason: str = "") -> Person:
    """Add a member to a household. Writes PERSON_ADDED."""
    household = access_household_for_edit(actor, household_id, lock=True)
    if household.status != HouseholdStatus.ACTIVE:
        raise RuleViolation(_("该家庭档案已注销，不能添加成员。"))
    if data.relation == Relation.HEAD:
        raise ValidationFailed(field_errors={"relation": [_("一户只能有一名户主；如需变更户主，请使用“变更户主”。")]})
    checked, errors = check_person_data(data)
    if errors:
        raise ValidationFailed(field_errors=errors)
    assert checked.id_facts is not None
    assert_id_numbers_unused([("id_number", checked.id_facts.number)])
    person = save_new_person(build_person(household, data, checked), started_on=timezone.localdate())
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_ADDED, subject=person,
        region_code=household.region.code, after=person_snapshot(person), reason=reason,
    )  # fmt: skip
    return person


@transaction.atomic(durable=True)
def person_update(*, actor: Any, person_id: int, expected_version: int, data: PersonData, reason: str = "") -> Person:
    """Correct a member's facts (ID number included). Writes PERSON_CHANGED with field diffs."""
    person = access_person_for_edit(actor, person_id, lock=True)
    _check_version(person, expected_version)
    if data.relation == Relation.HEAD and person.relation != Relation.HEAD:
        raise ValidationFailed(field_errors={"relation": [_("变更户主请使用“变更户主”。")]})
    if person.relation == Relation.HEAD and data.relation != Relation.HEAD:
        raise ValidationFailed(field_errors={"relation": [_("变更户主请使用“变更户主”。")]})
    if data.death_date != person.death_date:
        # A death closes the membership and reviews or stops the household's benefit: its own service.
        raise ValidationFailed(
            field_errors={"death_date": [_("登记死亡请使用“登记死亡”；已登记的死亡日期不能在此修改。")]}
        )
    if not data.id_number.strip() and person.id_number_digest:
        # The number is kept; sex and birth date stay those derived from it.
        data = dataclasses.replace(data, sex=person.sex, birth_date=person.birth_date)
    checked, errors = check_person_data(data, id_required=False)
    if errors:
        raise ValidationFailed(field_errors=errors)
    before = person_snapshot(person)
    if checked.id_facts is not None:
        assert_id_numbers_unused([("id_number", checked.id_facts.number)], ignore_person_id=person.pk)
        sealed = seal_id_number(checked.id_facts.number)
        person.id_number_ciphertext = sealed.ciphertext
        person.id_number_digest = sealed.digest
        person.id_number_masked = sealed.masked
    for name in _PLAIN_FIELDS:
        setattr(person, name, getattr(data, name))
    person.name = data.name.strip()
    person.name_initials = name_initials(person.name)
    assert checked.birth_date is not None
    person.birth_date = checked.birth_date
    person.sex = checked.sex
    person.version += 1
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        raise ValidationFailed(field_errors={"id_number": [_("该身份证号已被其他人登记。")]}) from None
    household = Household.objects.select_for_update().select_related("region").get(pk=person.household_id)
    if person.relation == Relation.HEAD and household.head_name != person.name:
        household.head_name = person.name
        household.head_name_initials = person.name_initials
        household.save(update_fields=["head_name", "head_name_initials", "updated_at"])
    _bump(household)
    old, new = changed_fields(before, person_snapshot(person))
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_CHANGED, subject=person,
        region_code=household.region.code, before=old, after=new, reason=reason,
    )  # fmt: skip
    return person


@transaction.atomic(durable=True)
def person_move(
    *,
    actor: Any,
    person_id: int,
    to_household_id: int,
    relation: str,
    moved_on: datetime.date,
    reason: str,
    end_reason: str = MembershipEndReason.MOVED,
) -> Person:
    """Move a member to another household (both in the actor's jurisdiction). Writes PERSON_MOVED."""
    return _move(
        actor=actor, person_id=person_id, to_household_id=to_household_id, relation=relation,
        moved_on=moved_on, reason=reason, end_reason=end_reason, event=AuditEventType.PERSON_MOVED,
    )  # fmt: skip


def _move(
    *,
    actor: Any,
    person_id: int,
    to_household_id: int,
    relation: str,
    moved_on: datetime.date,
    reason: str,
    end_reason: str,
    event: AuditEventType,
    extra_after: dict[str, Any] | None = None,
) -> Person:
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请填写迁移原因。")]})
    if moved_on > timezone.localdate():
        raise ValidationFailed(field_errors={"moved_on": [_("迁移日期不能晚于今天。")]})
    if relation == Relation.HEAD or relation not in Relation.values:
        raise ValidationFailed(field_errors={"relation": [_("请选择在新家庭中与户主的关系（不能为户主）。")]})
    # Lock both households in primary-key order, then the person.
    person_hint = access_person_for_edit(actor, person_id)
    target = access_household_for_edit(actor, to_household_id)
    ids = sorted({person_hint.household_id, target.pk})
    locked = {
        h.pk: h
        for h in Household.objects.select_for_update().select_related("region").filter(pk__in=ids).order_by("pk")
    }
    person = access_person_for_edit(actor, person_id, lock=True)
    source, target = locked[person.household_id], locked[target.pk]
    if source.pk == target.pk:
        raise RuleViolation(_("该成员已在这个家庭中。"))
    if person.is_deceased:
        raise RuleViolation(_("已故人员不能迁移。"))
    if target.status != HouseholdStatus.ACTIVE:
        raise RuleViolation(_("目标家庭档案已注销。"))
    if source.head_id == person.pk and source.members.filter(death_date__isnull=True).exclude(pk=person.pk).exists():
        raise RuleViolation(_("该成员是户主，请先为原家庭变更户主，再办理迁移。"))
    before = person_snapshot(person)
    _close_membership(person, on=moved_on, reason=end_reason)
    person.household = target
    person.relation = relation
    person.version += 1
    person.save(update_fields=["household", "relation", "version", "updated_at"])
    MembershipPeriod.objects.create(person=person, household=target, relation=relation, started_on=moved_on)
    if source.head_id == person.pk:
        source.head = None
        source.head_name = ""
        source.head_name_initials = ""
        source.status = HouseholdStatus.DISSOLVED
        source.save(update_fields=["head", "head_name", "head_name_initials", "status", "updated_at"])
    _bump(source)
    _bump(target)
    old, new = changed_fields(before, person_snapshot(person))
    new.update(extra_after or {})
    for region_code in {source.region.code, target.region.code}:
        audit_event_record(
            actor=actor, event_type=event, subject=person, region_code=region_code,
            before=old | {"household_id": source.pk}, after=new | {"household_id": target.pk}, reason=reason,
        )  # fmt: skip
    return person


@transaction.atomic(durable=True)
def person_record_death(*, actor: Any, person_id: int, death_date: datetime.date, reason: str = "") -> Person:
    """Record a member's death; the person stays in the file, marked deceased. Writes PERSON_DIED."""
    return apply_person_death(actor=actor, person_id=person_id, death_date=death_date, reason=reason)


@transaction.atomic
def apply_person_death(*, actor: Any, person_id: int, death_date: datetime.date, reason: str = "") -> Person:
    """`person_record_death` inside a larger service's transaction (cases.services.dynamic_events records
    the death and reviews or stops the household's benefit in one transaction)."""
    person = access_person_for_edit(actor, person_id, lock=True)
    if person.death_date is not None:
        raise RuleViolation(_("该成员的死亡已登记（%(date)s）。") % {"date": person.death_date.isoformat()})
    if death_date > timezone.localdate():
        raise ValidationFailed(field_errors={"death_date": [_("死亡日期不能晚于今天。")]})
    if death_date < person.birth_date:
        raise ValidationFailed(field_errors={"death_date": [_("死亡日期不能早于出生日期。")]})
    joined = (
        MembershipPeriod.objects.filter(person=person, ended_on__isnull=True)
        .values_list("started_on", flat=True)
        .first()
    )
    if joined is not None and death_date < joined:
        raise ValidationFailed(
            field_errors={
                "death_date": [
                    _("死亡日期不能早于该成员在本户的起始日期（%(date)s）；如登记有误，请先更正成员信息。")
                    % {"date": joined.isoformat()}
                ]
            }
        )
    household = Household.objects.select_for_update().select_related("region").get(pk=person.household_id)
    person.death_date = death_date
    person.is_co_resident = False
    person.version += 1
    person.save(update_fields=["death_date", "is_co_resident", "version", "updated_at"])
    _close_membership(person, on=death_date, reason=MembershipEndReason.DIED)
    if person.marital_status == MaritalStatus.MARRIED:
        spouses = household.members.filter(
            relation__in=_spouse_relations(person), death_date__isnull=True, marital_status=MaritalStatus.MARRIED
        )
        for spouse in spouses:
            spouse.marital_status = MaritalStatus.WIDOWED
            spouse.version += 1
            spouse.save(update_fields=["marital_status", "version", "updated_at"])
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_DIED, subject=person,
        region_code=household.region.code, after={"death_date": death_date.isoformat()}, reason=reason,
    )  # fmt: skip
    return person


def _spouse_relations(person: Person) -> list[str]:
    if person.relation == Relation.HEAD:
        return [Relation.SPOUSE]
    if person.relation == Relation.SPOUSE:
        return [Relation.HEAD]
    return []


@transaction.atomic(durable=True)
def person_register_birth(*, actor: Any, household_id: int, data: PersonData, reason: str = "") -> Person:
    """Register a newborn (ID number optional until the hukou is registered). Writes PERSON_BORN."""
    household = access_household_for_edit(actor, household_id, lock=True)
    if household.status != HouseholdStatus.ACTIVE:
        raise RuleViolation(_("该家庭档案已注销。"))
    if data.relation not in (Relation.CHILD, Relation.GRANDCHILD, Relation.OTHER):
        raise ValidationFailed(field_errors={"relation": [_("新生儿与户主的关系应为子女、孙子女或其他。")]})
    checked, errors = check_person_data(data, id_required=False)
    if errors:
        raise ValidationFailed(field_errors=errors)
    if checked.id_facts is not None:
        assert_id_numbers_unused([("id_number", checked.id_facts.number)])
    assert checked.birth_date is not None
    person = save_new_person(build_person(household, data, checked), started_on=checked.birth_date)
    _bump(household)
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_BORN, subject=person,
        region_code=household.region.code, after=person_snapshot(person), reason=reason,
    )  # fmt: skip
    return person


@transaction.atomic(durable=True)
def person_record_marriage(
    *,
    actor: Any,
    person_id: int,
    married_on: datetime.date,
    spouse_id: int | None = None,
    spouse_joins_household: bool = False,
    reason: str = "",
) -> Person:
    """Record a marriage. If the spouse is in the registry and joins this household, they are
    moved here as spouse (or as child-in-law). Writes PERSON_MARRIED."""
    person = access_person_for_edit(actor, person_id, lock=True)
    if person.is_deceased:
        raise RuleViolation(_("已故人员不能登记结婚。"))
    if person.marital_status == MaritalStatus.MARRIED:
        raise RuleViolation(_("该成员已是已婚状态。"))
    if married_on > timezone.localdate():
        raise ValidationFailed(field_errors={"married_on": [_("结婚日期不能晚于今天。")]})
    household = Household.objects.select_for_update().select_related("region").get(pk=person.household_id)
    spouse: Person | None = None
    if spouse_id is not None:
        spouse = access_person_for_edit(actor, spouse_id, lock=True)
        if spouse.pk == person.pk or spouse.is_deceased or spouse.marital_status == MaritalStatus.MARRIED:
            raise RuleViolation(_("所选配偶不能登记结婚（已故、已婚或为本人）。"))
    before = person_snapshot(person)
    person.marital_status = MaritalStatus.MARRIED
    person.version += 1
    person.save(update_fields=["marital_status", "version", "updated_at"])
    _bump(household)
    after: dict[str, Any] = {"marital_status": MaritalStatus.MARRIED, "married_on": married_on.isoformat()}
    if spouse is not None:
        spouse.marital_status = MaritalStatus.MARRIED
        spouse.version += 1
        spouse.save(update_fields=["marital_status", "version", "updated_at"])
        after["spouse_id"] = spouse.pk
    audit_event_record(
        actor=actor, event_type=AuditEventType.PERSON_MARRIED, subject=person,
        region_code=household.region.code, before={"marital_status": before["marital_status"]},
        after=after, reason=reason,
    )  # fmt: skip
    if spouse is not None and spouse_joins_household and spouse.household_id != household.pk:
        relation = Relation.SPOUSE if person.relation == Relation.HEAD else Relation.CHILD_IN_LAW
        _move(
            actor=actor, person_id=spouse.pk, to_household_id=household.pk, relation=relation,
            moved_on=married_on if married_on <= timezone.localdate() else timezone.localdate(),
            reason=reason or _("婚嫁迁入"), end_reason=MembershipEndReason.MARRIED,
            event=AuditEventType.PERSON_MOVED, extra_after={"married_to": person.pk},
        )  # fmt: skip
    return person


def person_data_from(person: Person, **changes: Any) -> PersonData:
    """The current facts of a person as service input, with some fields replaced."""
    values = {f.name: getattr(person, f.name) for f in dataclasses.fields(PersonData) if f.name != "id_number"}
    values["id_number"] = ""
    values.update(changes)
    return PersonData(**values)
