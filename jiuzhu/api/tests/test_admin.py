"""The Django admin: configuration data only, never a way around the services.

Registry records, the audit trail and the region tree are view-only for everybody (a superuser
included) and scoped by jurisdiction; staff accounts and the programme catalogue are edited by
administrators, staff accounts through the account services.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.programs.models import Program
from jiuzhu.regions.models import Region
from jiuzhu.registry.models import Asset, Household, IncomeItem, MembershipPeriod, Person
from jiuzhu.testing.builders import COUNTY, PASSWORD, TOWNSHIP, VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db
User = get_user_model()


def _staff(user, *, superuser: bool = False):
    user.is_staff = True
    user.is_superuser = superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    client = Client()
    client.force_login(user)
    return client


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser_client(world):
    return _staff(world.users["admin"], superuser=True)


def _read_only_objects(world, finances):
    household = world.household_a
    return [
        (Household, household, {"address": "改掉的地址"}),
        (Person, household.head, {"name": "改名"}),
        (MembershipPeriod, MembershipPeriod.objects.filter(household=household).first(), {"relation": "other"}),
        (IncomeItem, finances["income"], {"monthly_amount_fen": "1"}),
        (Asset, finances["asset"], {"value_fen": "1"}),
        (AuditEvent, AuditEvent.objects.filter(region_code=VILLAGE_A).first(), {"reason": "篡改"}),
        (Region, Region.objects.get(code=VILLAGE_A), {"name": "改名村"}),
    ]


def test_superuser_cannot_add_change_or_delete_registry_audit_or_region_rows(world, finances, superuser_client):
    for model, obj, change in _read_only_objects(world, finances):
        before = model.objects.filter(pk=obj.pk).values().get()
        assert superuser_client.get(_url(model, "change", obj.pk)).status_code == 200, model  # view only
        assert superuser_client.get(_url(model, "add")).status_code == 403, model
        assert superuser_client.post(_url(model, "add"), change).status_code == 403, model
        assert superuser_client.post(_url(model, "change", obj.pk), change).status_code == 403, model
        assert superuser_client.get(_url(model, "delete", obj.pk)).status_code == 403, model
        assert superuser_client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403, model
        bulk = {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        superuser_client.post(_url(model, "changelist"), bulk)
        assert model.objects.filter(pk=obj.pk).values().get() == before, model


def test_view_only_pages_offer_no_save_or_delete(world, superuser_client):
    page = superuser_client.get(_url(Household, "change", world.household_a.pk)).content.decode()
    assert 'name="_save"' not in page and "deletelink" not in page
    changelist = superuser_client.get(_url(Household, "changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_household_list_for_village_staff_shows_only_that_village(world):
    client = _staff(world.users["coordinator_a"])
    response = client.get(_url(Household, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {world.household_a.pk}
    township = _staff(world.users["township"]).get(_url(Household, "changelist"))
    assert {obj.pk for obj in township.context["cl"].result_list} == {world.household_a.pk, world.household_b.pk}


def test_household_of_another_village_is_like_a_missing_one(world):
    client = _staff(world.users["coordinator_a"])
    other = client.get(_url(Household, "change", world.household_b.pk))
    missing = client.get(_url(Household, "change", 999_999))
    assert other.status_code == missing.status_code == 302
    assert other["Location"] == missing["Location"] == reverse("admin:index")
    persons = client.get(_url(Person, "changelist")).context["cl"].result_list
    assert {p.household_id for p in persons} == {world.household_a.pk}


def test_opening_a_household_in_the_admin_is_logged_and_shows_masked_numbers_only(world):
    client = _staff(world.users["coordinator_a"])
    head = world.household_a.head
    page = client.get(_url(Person, "change", head.pk)).content.decode()
    assert head.id_number_masked in page
    assert decrypt(head.id_number_ciphertext) not in page
    assert client.get(_url(Household, "change", world.household_a.pk)).status_code == 200
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.HOUSEHOLD_VIEWED, subject_id=world.household_a.pk, actor=world.users["coordinator_a"]
    ).exists()


def test_audit_trail_is_scoped_and_needs_the_audit_capability(world):
    assert _staff(world.users["coordinator_a"]).get(_url(AuditEvent, "changelist")).status_code == 403
    response = _staff(world.users["township"]).get(_url(AuditEvent, "changelist"))
    assert response.status_code == 200
    codes = {event.region_code for event in response.context["cl"].result_list}
    assert codes and all(code.startswith(TOWNSHIP) for code in codes)
    everything = _staff(world.users["admin"], superuser=True).get(_url(AuditEvent, "changelist"))
    assert len(everything.context["cl"].result_list) >= len(response.context["cl"].result_list)


def test_audit_trail_filters_by_event_type_and_region(world):
    client = _staff(world.users["township"])
    response = client.get(_url(AuditEvent, "changelist"), {"region": VILLAGE_B})
    events = response.context["cl"].result_list
    assert events and {e.region_code for e in events} == {VILLAGE_B}
    created = client.get(_url(AuditEvent, "changelist"), {"event_type__exact": AuditEventType.HOUSEHOLD_CREATED})
    assert {e.event_type for e in created.context["cl"].result_list} == {AuditEventType.HOUSEHOLD_CREATED}


# --- Staff accounts ---------------------------------------------------------------------------------


def _new_user_form(**overrides):
    region = Region.objects.get(code=VILLAGE_A)
    return {
        "username": "new_coord",
        "first_name": "新协理员",
        "role": "coordinator",
        "region": region.pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def test_admin_creates_a_staff_account_with_a_checked_password_and_an_audit_event(world, superuser_client):
    form_page = superuser_client.get(_url(User, "add"))
    assert form_page.status_code == 200
    assert {"username", "role", "region", "password1", "password2"} <= set(form_page.context["adminform"].form.fields)
    response = superuser_client.post(_url(User, "add"), _new_user_form())
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    user = User.objects.get(username="new_coord")
    assert user.role == "coordinator" and user.region.code == VILLAGE_A and user.first_name == "新协理员"
    assert user.check_password(PASSWORD)
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_CREATED, subject_id=user.pk)
    assert event.actor == world.users["admin"] and event.region_code == VILLAGE_A


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password1": "12345", "password2": "12345"}, "password2"),
        ({"password2": "Different-pass-9"}, "password2"),
        ({"region": ""}, "region"),
    ],
)
def test_admin_user_form_refuses_weak_passwords_and_missing_regions(world, superuser_client, overrides, field):
    response = superuser_client.post(_url(User, "add"), _new_user_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new_coord").exists()


def test_admin_changes_role_and_region_through_the_service(world, superuser_client):
    target = world.users["coordinator_b"]
    page = superuser_client.get(_url(User, "change", target.pk))
    assert page.status_code == 200
    form = {
        "username": target.username,
        "first_name": target.first_name,
        "email": "",
        "phone": "",
        "role": "township_officer",
        "region": Region.objects.get(code=TOWNSHIP).pk,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
    }
    response = superuser_client.post(_url(User, "change", target.pk), form)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    target.refresh_from_db()
    assert target.role == "township_officer" and target.region.code == TOWNSHIP
    event = AuditEvent.objects.get(event_type=AuditEventType.USER_CHANGED, subject_id=target.pk)
    assert event.before == {"role": "coordinator", "region_code": VILLAGE_B}
    assert event.after == {"role": "township_officer", "region_code": TOWNSHIP}


def test_staff_accounts_cannot_be_deleted(world, superuser_client):
    target = world.users["coordinator_b"]
    assert superuser_client.post(_url(User, "delete", target.pk), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=target.pk).exists()


def test_non_admin_staff_cannot_manage_accounts_or_the_catalogue(world):
    client = _staff(world.users["county_officer"])
    assert client.get(_url(User, "changelist")).status_code == 403
    assert client.get(_url(User, "add")).status_code == 403
    assert client.get(_url(Program, "changelist")).status_code == 403
    assert client.get(_url(Region, "changelist")).status_code == 200  # reference data


def test_a_regional_administrator_manages_only_accounts_in_the_region(world):
    county_admin = User(username="county_admin", role="admin", region=Region.objects.get(code=COUNTY))
    county_admin.set_password(PASSWORD)
    county_admin.save()
    client = _staff(county_admin)
    listed = {u.username for u in client.get(_url(User, "changelist")).context["cl"].result_list}
    assert "coord_a" in listed and "admin" not in listed
    # A whole-tree account (no region) cannot be created from a region.
    response = client.post(_url(User, "add"), _new_user_form(role="admin", region=""))
    assert response.status_code == 200
    assert "region" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="new_coord").exists()


# --- Programme catalogue ----------------------------------------------------------------------------


def test_admin_edits_the_catalogue_but_never_deletes_from_it(world, superuser_client):
    program = Program.objects.get(code="temporary")
    form = {"name": "临时救助（含急难型）", "is_recurring": "", "is_active": "on"}
    assert superuser_client.post(_url(Program, "change", program.pk), form).status_code == 302
    program.refresh_from_db()
    assert program.name == "临时救助（含急难型）" and program.code == "temporary"
    assert superuser_client.post(_url(Program, "delete", program.pk), {"post": "yes"}).status_code == 403
    assert Program.objects.filter(pk=program.pk).exists()
