from __future__ import annotations

import pytest
from django.core.management import call_command

from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Role
from jiuzhu.registry.access import households_visible_to
from jiuzhu.testing.builders import OTHER_TOWNSHIP_VILLAGE, VILLAGE_A, make_household, person

pytestmark = pytest.mark.django_db


def test_createsuperuser_noinput_makes_an_administrator_of_the_whole_tree(monkeypatch, regions, users):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root_admin")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Strong-pass-2026")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "admin@example.gov.cn")
    call_command("createsuperuser", "--noinput", verbosity=0)
    admin = User.objects.get(username="root_admin")
    assert admin.role == Role.ADMIN and admin.region is None and admin.is_superuser
    assert admin.jurisdiction_prefix == ""
    make_household(users["admin"], regions[VILLAGE_A], person("甲"))
    make_household(users["admin"], regions[OTHER_TOWNSHIP_VILLAGE], person("乙"))
    assert households_visible_to(admin).count() == 2
