"""Region scoping: table-driven over users of every level against households of every village."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jiuzhu.accounts.jurisdiction import has_capability, region_code_in_jurisdiction
from jiuzhu.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from jiuzhu.registry.access import households_visible_to
from jiuzhu.testing.builders import COMMUNITY, OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, VILLAGE_B, make_household, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(regions, users):
    admin = users["admin"]
    return {
        code: make_household(admin, regions[code], person(f"户主{code[-3:]}"))
        for code in (VILLAGE_A, VILLAGE_B, COMMUNITY, OTHER_TOWNSHIP_VILLAGE)
    }


@pytest.mark.parametrize(
    ("user_key", "visible"),
    [
        ("coordinator_a", {VILLAGE_A}),
        ("coordinator_b", {VILLAGE_B}),
        ("coordinator_other", {OTHER_TOWNSHIP_VILLAGE}),
        ("township", {VILLAGE_A, VILLAGE_B, COMMUNITY}),
        ("supervisor", {VILLAGE_A, VILLAGE_B, COMMUNITY}),
        ("county_officer", {VILLAGE_A, VILLAGE_B, COMMUNITY, OTHER_TOWNSHIP_VILLAGE}),
        ("admin", {VILLAGE_A, VILLAGE_B, COMMUNITY, OTHER_TOWNSHIP_VILLAGE}),
    ],
)
def test_each_user_sees_exactly_their_subtree(users, households, user_key, visible):
    seen = {h.region.code for h in households_visible_to(users[user_key]).select_related("region")}
    assert seen == visible
    for code in visible:
        assert region_code_in_jurisdiction(users[user_key], code)
    for code in set(households) - visible:
        assert not region_code_in_jurisdiction(users[user_key], code)


def test_inactive_or_anonymous_users_see_nothing(users, households):
    user = users["county_officer"]
    user.is_active = False
    assert not households_visible_to(user).exists()
    assert not households_visible_to(AnonymousUser()).exists()


def test_a_non_admin_without_region_sees_nothing(users, households):
    user = users["coordinator_a"]
    user.region = None
    user.region_id = None
    assert not households_visible_to(user).exists()


def test_supervisor_is_read_only_but_may_read_the_audit_trail(users):
    supervisor = users["supervisor"]
    assert has_capability(supervisor, Capability.REGISTRY_VIEW)
    assert has_capability(supervisor, Capability.AUDIT_VIEW)
    assert not has_capability(supervisor, Capability.REGISTRY_EDIT)
    assert not has_capability(supervisor, Capability.DOCUMENT_UPLOAD)


def test_every_role_has_a_capability_row():
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    assert ROLE_CAPABILITIES[Role.ADMIN] == frozenset(Capability)
