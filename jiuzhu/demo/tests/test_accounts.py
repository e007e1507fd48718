from __future__ import annotations

import pytest

from jiuzhu.accounts.models import User
from jiuzhu.demo.services import demo_accounts_ensure, demo_regions_ensure

pytestmark = pytest.mark.django_db


def test_an_account_of_the_same_name_made_otherwise_is_left_alone_and_its_password_not_printed():
    demo_regions_ensure()
    User.objects.create_superuser("admin", password="Other-pass-2026")
    lines = {line.username: line for line in demo_accounts_ensure()}
    assert lines["admin"].password == ""
    assert lines["coordinator"].password == "jiuzhu@2026"
    assert lines["coordinator"].region_label == "开江县讲治镇凤凰村"
    assert User.objects.get(username="admin").check_password("Other-pass-2026")
    assert User.objects.get(username="coordinator").check_password("jiuzhu@2026")
    again = {line.username: line for line in demo_accounts_ensure()}
    assert again["coordinator"].password == "jiuzhu@2026" and again["admin"].password == ""
    assert User.objects.count() == 9
