"""Moving, death, birth, marriage, head change and corrections: services with history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, RuleViolation, ValidationFailed
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.choices import HouseholdStatus, MaritalStatus, MembershipEndReason, Relation
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.registry.services.households import household_head_change
from jiuzhu.registry.services.persons import (
    person_add,
    person_data_from,
    person_move,
    person_record_death,
    person_record_marriage,
    person_register_birth,
    person_update,
)
from jiuzhu.registry.types import PersonData
from jiuzhu.testing.builders import make_household, new_id_number, person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _spouse(world) -> Person:
    return world.household_a.members.get(relation=Relation.SPOUSE)


def test_move_member_between_households_keeps_history(world):
    township = world.users["township"]
    mover = _spouse(world)
    person_move(
        actor=township,
        person_id=mover.pk,
        to_household_id=world.household_b.pk,
        relation=Relation.OTHER,
        moved_on=TODAY,
        reason="投靠亲属",
    )
    mover.refresh_from_db()
    assert mover.household_id == world.household_b.pk
    periods = list(MembershipPeriod.objects.filter(person=mover).order_by("id"))
    assert [(p.household_id, p.ended_on, p.end_reason) for p in periods] == [
        (world.household_a.pk, TODAY, MembershipEndReason.MOVED),
        (world.household_b.pk, None, ""),
    ]
    events = AuditEvent.objects.filter(event_type=AuditEventType.PERSON_MOVED, subject_id=mover.pk)
    assert {e.region_code for e in events} == {world.household_a.region.code, world.household_b.region.code}
    assert all(e.reason == "投靠亲属" for e in events)


def test_coordinator_cannot_move_a_member_into_another_village(world):
    with pytest.raises(NotFoundOrNoAccess):
        person_move(
            actor=world.users["coordinator_a"],
            person_id=_spouse(world).pk,
            to_household_id=world.household_b.pk,
            relation=Relation.OTHER,
            moved_on=TODAY,
            reason="x",
        )
    assert _spouse(world).household_id == world.household_a.pk


def test_head_cannot_move_away_while_others_remain(world):
    with pytest.raises(RuleViolation):
        person_move(
            actor=world.users["township"],
            person_id=world.household_a.head_id,
            to_household_id=world.household_b.pk,
            relation=Relation.OTHER,
            moved_on=TODAY,
            reason="x",
        )


def test_last_member_leaving_dissolves_the_household(world):
    person_move(
        actor=world.users["township"],
        person_id=world.household_b.head_id,
        to_household_id=world.household_a.pk,
        relation=Relation.OTHER,
        moved_on=TODAY,
        reason="合户",
    )
    world.household_b.refresh_from_db()
    assert world.household_b.status == HouseholdStatus.DISSOLVED
    assert world.household_b.head_id is None


def test_death_is_recorded_and_spouse_becomes_widowed(world):
    coordinator = world.users["coordinator_a"]
    head = world.household_a.head
    spouse = _spouse(world)
    for p in (head, spouse):
        Person.objects.filter(pk=p.pk).update(marital_status=MaritalStatus.MARRIED)
    person_record_death(actor=coordinator, person_id=head.pk, death_date=TODAY, reason="村委会证明")
    head.refresh_from_db()
    spouse.refresh_from_db()
    assert head.death_date == TODAY and not head.is_co_resident
    assert spouse.marital_status == MaritalStatus.WIDOWED
    assert MembershipPeriod.objects.get(person=head).end_reason == MembershipEndReason.DIED
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_DIED, subject_id=head.pk).count() == 1
    with pytest.raises(RuleViolation):
        person_record_death(actor=coordinator, person_id=head.pk, death_date=TODAY, reason="")


def test_death_in_the_future_is_refused_and_changes_nothing(world):
    head = world.household_a.head
    with pytest.raises(ValidationFailed) as caught:
        person_record_death(
            actor=world.users["coordinator_a"], person_id=head.pk, death_date=TODAY + datetime.timedelta(days=1)
        )
    assert caught.value.field_errors["death_date"] == ["死亡日期不能晚于今天。"]
    head.refresh_from_db()
    assert head.death_date is None


def test_death_before_the_member_joined_the_household_is_refused_and_changes_nothing(world):
    head = world.household_a.head
    joined = MembershipPeriod.objects.get(person=head, ended_on__isnull=True).started_on
    with pytest.raises(ValidationFailed) as caught:
        person_record_death(
            actor=world.users["coordinator_a"], person_id=head.pk, death_date=joined - datetime.timedelta(days=1)
        )
    assert "不能早于该成员在本户的起始日期" in caught.value.field_errors["death_date"][0]
    head.refresh_from_db()
    assert head.death_date is None
    assert MembershipPeriod.objects.get(person=head).ended_on is None


def test_birth_without_id_number_yet(world):
    baby = person_register_birth(
        actor=world.users["coordinator_a"],
        household_id=world.household_a.pk,
        data=PersonData(name="张小宝", relation=Relation.CHILD, sex="female", birth_date=TODAY),
    )
    assert baby.id_number_digest is None and baby.birth_date == TODAY
    assert MembershipPeriod.objects.get(person=baby).started_on == TODAY
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_BORN, subject_id=baby.pk).exists()
    # Two newborns without numbers do not collide on the unique ID constraint.
    person_register_birth(
        actor=world.users["coordinator_a"],
        household_id=world.household_a.pk,
        data=PersonData(name="张小贝", relation=Relation.CHILD, sex="male", birth_date=TODAY),
    )


def test_birth_in_the_future_is_refused(world):
    with pytest.raises(ValidationFailed):
        person_register_birth(
            actor=world.users["coordinator_a"],
            household_id=world.household_a.pk,
            data=PersonData(
                name="张未来", relation=Relation.CHILD, sex="male", birth_date=TODAY + datetime.timedelta(days=3)
            ),
        )


def test_marriage_moves_the_spouse_in(world, regions, users):
    township = users["township"]
    son = person_add(
        actor=township,
        household_id=world.household_a.pk,
        data=person("张一", "child", id_number=new_id_number(datetime.date(1995, 1, 1))),
    )
    bride_household = make_household(
        users["coordinator_b"],
        regions["511723105202"],
        person("赵敏", id_number=new_id_number(datetime.date(1996, 2, 2), male=False)),
        person("赵父", "parent"),
    )
    bride = bride_household.members.get(name="赵敏")
    # The bride is the head of her household, so she cannot leave it while her father remains.
    with pytest.raises(RuleViolation):
        person_record_marriage(
            actor=township, person_id=son.pk, married_on=TODAY, spouse_id=bride.pk, spouse_joins_household=True
        )
    father = bride_household.members.get(name="赵父")
    household_head_change(
        actor=township,
        household_id=bride_household.pk,
        expected_version=Household.objects.get(pk=bride_household.pk).version,
        new_head_id=father.pk,
        former_head_relation=Relation.CHILD,
        reason="女儿出嫁",
    )
    person_record_marriage(
        actor=township,
        person_id=son.pk,
        married_on=TODAY,
        spouse_id=bride.pk,
        spouse_joins_household=True,
        reason="结婚登记",
    )
    bride.refresh_from_db()
    son.refresh_from_db()
    assert bride.household_id == world.household_a.pk and bride.relation == Relation.CHILD_IN_LAW
    assert son.marital_status == bride.marital_status == MaritalStatus.MARRIED
    assert MembershipPeriod.objects.get(person=bride, ended_on__isnull=False).end_reason == MembershipEndReason.MARRIED
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_MARRIED, subject_id=son.pk).exists()


def test_update_with_stale_version_is_refused_and_changes_nothing(world):
    spouse = _spouse(world)
    data = person_data_from(spouse, phone="13800000000")
    person_update(actor=world.users["coordinator_a"], person_id=spouse.pk, expected_version=spouse.version, data=data)
    with pytest.raises(ConflictError):
        person_update(
            actor=world.users["coordinator_a"],
            person_id=spouse.pk,
            expected_version=spouse.version,
            data=person_data_from(spouse, phone="13900000000"),
        )
    spouse.refresh_from_db()
    assert spouse.phone == "13800000000"


def test_update_records_field_level_before_and_after(world):
    spouse = _spouse(world)
    person_update(
        actor=world.users["coordinator_a"],
        person_id=spouse.pk,
        expected_version=spouse.version,
        data=person_data_from(spouse, disability_category="physical", disability_grade=2),
        reason="新办残疾证",
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.PERSON_CHANGED, subject_id=spouse.pk)
    assert event.before == {"disability_category": "", "disability_grade": None}
    assert event.after == {"disability_category": "physical", "disability_grade": 2}
    assert event.reason == "新办残疾证" and event.actor_role == "coordinator"


def test_correcting_an_id_number_rederives_birth_date_and_keeps_it_unique(world):
    spouse = _spouse(world)
    corrected = new_id_number(datetime.date(1972, 8, 8), male=False)
    person_update(
        actor=world.users["coordinator_a"],
        person_id=spouse.pk,
        expected_version=spouse.version,
        data=person_data_from(spouse, id_number=corrected, birth_date=None, sex=""),
    )
    spouse.refresh_from_db()
    assert decrypt(spouse.id_number_ciphertext) == corrected
    assert spouse.birth_date == datetime.date(1972, 8, 8)
    other = world.household_b.head
    with pytest.raises(ValidationFailed) as caught:
        person_update(
            actor=world.users["coordinator_b"],
            person_id=other.pk,
            expected_version=other.version,
            data=person_data_from(other, id_number=corrected, birth_date=None, sex=""),
        )
    assert caught.value.data["existing_household_id"] == world.household_a.pk


def test_member_already_in_another_household_cannot_be_added_again(world):
    number = decrypt(world.household_b.head.id_number_ciphertext)
    before = Person.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        person_add(
            actor=world.users["township"],
            household_id=world.household_a.pk,
            data=person("王五", "other", id_number=number),
        )
    assert "已登记在" in caught.value.field_errors["id_number"][0]
    assert Person.objects.count() == before


def test_add_refuses_a_second_head(world):
    with pytest.raises(ValidationFailed):
        person_add(actor=world.users["coordinator_a"], household_id=world.household_a.pk, data=person("又一户主"))
