from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.common.sensitive import decrypt, lookup_digest
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.registry.rules.id_numbers import convert_15_to_18
from jiuzhu.testing.builders import VILLAGE_A, VILLAGE_B, make_household, new_id_number, person

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Household.objects.count(), Person.objects.count(), AuditEvent.objects.count()


def test_creates_household_with_members_encrypted_ids_and_audit(regions, users):
    number = new_id_number(datetime.date(1961, 3, 9))
    household = make_household(
        users["coordinator_a"],
        regions[VILLAGE_A],
        person("张三", id_number=number),
        person("李梅", "spouse"),
        account_number="6228480012345678901",
        bank_name="开江县农村信用社",
    )
    household.refresh_from_db()
    head = household.head
    assert head is not None and head.name == "张三"
    assert head.birth_date == datetime.date(1961, 3, 9)
    assert head.id_number_digest == lookup_digest(number)
    assert number not in head.id_number_ciphertext
    assert decrypt(head.id_number_ciphertext) == number
    assert head.id_number_masked == number[:6] + "********" + number[-4:]
    assert head.name_initials == "zs"
    assert household.account_number_masked == "6228***********8901"
    assert MembershipPeriod.objects.filter(household=household, ended_on__isnull=True).count() == 2
    created = AuditEvent.objects.get(event_type=AuditEventType.HOUSEHOLD_CREATED, subject_id=household.pk)
    assert created.actor == users["coordinator_a"]
    assert created.region_code == VILLAGE_A
    assert "6228480012345678901" not in str(created.after)
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_ADDED).count() == 2


def test_refuses_existing_id_number_with_pointer_and_saves_nothing(world):
    existing = world.household_a.head
    number = decrypt(existing.id_number_ciphertext)
    before = _counts()
    with pytest.raises(ValidationFailed) as caught:
        make_household(
            world.users["coordinator_b"],
            world.regions[VILLAGE_B],
            person("王二"),
            person("张三", "sibling", id_number=number),
        )
    assert caught.value.data["existing_household_id"] == world.household_a.pk
    message = caught.value.field_errors["members-1-id_number"][0]
    assert "已登记在" in message and "凤凰村" in message and str(world.household_a.pk) in message
    assert _counts() == before


def test_refuses_the_same_id_twice_in_one_entry(regions, users):
    number = new_id_number()
    with pytest.raises(ValidationFailed) as caught:
        make_household(
            users["coordinator_a"],
            regions[VILLAGE_A],
            person("甲", id_number=number),
            person("乙", "child", id_number=number),
        )
    assert "出现了两次" in caught.value.field_errors["members-1-id_number"][0]
    assert Household.objects.count() == 0


def test_wrong_check_digit_is_a_chinese_field_error_and_saves_nothing(regions, users):
    good = new_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationFailed) as caught:
        make_household(
            users["coordinator_a"], regions[VILLAGE_A], person("张三"), person("李四", "child", id_number=bad)
        )
    assert caught.value.field_errors["members-1-id_number"] == ["身份证号校验位错误，请核对号码是否录入有误。"]
    assert _counts() == (0, 0, 0)


def test_birth_date_that_does_not_match_the_id_is_refused(regions, users):
    number = new_id_number(datetime.date(1980, 1, 1))
    with pytest.raises(ValidationFailed) as caught:
        make_household(
            users["coordinator_a"],
            regions[VILLAGE_A],
            person("张三", id_number=number, birth_date=datetime.date(1981, 1, 1)),
        )
    assert "出生日期与身份证号不符" in caught.value.field_errors["members-0-birth_date"][0]
    assert Household.objects.count() == 0


def test_death_date_in_the_future_is_refused(regions, users):
    with pytest.raises(ValidationFailed) as caught:
        make_household(users["coordinator_a"], regions[VILLAGE_A], person("张三", death_date=datetime.date(2999, 1, 1)))
    assert caught.value.field_errors["members-0-death_date"] == ["死亡日期不能晚于今天。"]


def test_household_needs_exactly_one_head(regions, users):
    with pytest.raises(ValidationFailed) as caught:
        make_household(users["coordinator_a"], regions[VILLAGE_A], person("张三", "child"))
    assert "户主" in caught.value.field_errors["members"][0]


def test_household_must_be_registered_at_village_level(regions, users):
    with pytest.raises(ValidationFailed) as caught:
        make_household(users["township"], regions["511723105"], person("张三"))
    assert "村（社区）" in caught.value.field_errors["region"][0]


def test_coordinator_cannot_create_in_another_village(regions, users):
    with pytest.raises(NotFoundOrNoAccess):
        make_household(users["coordinator_a"], regions[VILLAGE_B], person("张三"))
    assert Household.objects.count() == 0


@pytest.mark.parametrize("role", ["supervisor", "county_approver", "finance", "institution"])
def test_read_only_roles_cannot_create(regions, users, role):
    with pytest.raises(PermissionDeniedError):
        make_household(users[role], regions[VILLAGE_A], person("张三"))


def test_fifteen_digit_id_is_stored_as_eighteen(regions, users):
    household = make_household(users["coordinator_a"], regions[VILLAGE_A], person("张三", id_number="511723700101123"))
    head = Person.objects.get(pk=household.head_id)
    assert decrypt(head.id_number_ciphertext) == convert_15_to_18("511723700101123")
    assert decrypt(head.id_number_ciphertext).startswith("51172319700101123")
    assert head.birth_date == datetime.date(1970, 1, 1)
