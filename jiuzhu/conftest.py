"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.utils import translation

from jiuzhu.accounts.roles import Role
from jiuzhu.testing.builders import (
    COUNTY,
    OTHER_TOWNSHIP_VILLAGE,
    TOWNSHIP,
    VILLAGE_A,
    VILLAGE_B,
    World,
    build_region_tree,
    make_household,
    make_user,
    person,
)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language: a request with another language (the
    locale middleware activates it for the thread) must not leak into the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def regions(db):  # type: ignore[no-untyped-def]
    return build_region_tree()


@pytest.fixture
def users(regions):  # type: ignore[no-untyped-def]
    """One user per role; coordinators in two villages of the same township."""
    return {
        "coordinator_a": make_user("coord_a", Role.COORDINATOR, regions[VILLAGE_A]),
        "coordinator_b": make_user("coord_b", Role.COORDINATOR, regions[VILLAGE_B]),
        "coordinator_other": make_user("coord_other", Role.COORDINATOR, regions[OTHER_TOWNSHIP_VILLAGE]),
        "township": make_user("township", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP]),
        "county_officer": make_user("county_officer", Role.COUNTY_OFFICER, regions[COUNTY]),
        "county_approver": make_user("county_approver", Role.COUNTY_APPROVER, regions[COUNTY]),
        "finance": make_user("finance", Role.FINANCE_OFFICER, regions[COUNTY]),
        "institution": make_user("institution", Role.INSTITUTION_STAFF, regions[TOWNSHIP]),
        "supervisor": make_user("supervisor", Role.SUPERVISOR, regions[TOWNSHIP]),
        "admin": make_user("admin", Role.ADMIN, None),
    }


@pytest.fixture
def world(regions, users):  # type: ignore[no-untyped-def]
    household_a = make_household(users["coordinator_a"], regions[VILLAGE_A], person("张三"), person("李梅", "spouse"))
    household_b = make_household(users["coordinator_b"], regions[VILLAGE_B], person("王五"))
    return World(regions=regions, users=users, household_a=household_a, household_b=household_b)
