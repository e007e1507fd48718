from __future__ import annotations

import datetime

import pytest

from jiuzhu.accounts.models import User
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.demo.services import demo_accounts_ensure, demo_policies_ensure, demo_regions_ensure
from jiuzhu.programs.selectors import dibao_policy_get

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


def test_the_2012_standards_are_set_once_through_the_policy_service():
    demo_regions_ensure()
    assert demo_policies_ensure() == 0  # no approver account yet: nothing is set behind the services' back
    demo_accounts_ensure()
    assert demo_policies_ensure() == 4  # urban and rural: quarterly payment in 2012, monthly from 2013
    assert demo_policies_ensure() == 0
    village = "511723105201"
    on = datetime.date(2012, 12, 31)
    assert dibao_policy_get(region_code=village, program_code="dibao_rural", on=on).standard_fen == 7_200
    urban = dibao_policy_get(region_code="511723105001", program_code="dibao_urban", on=on)
    assert urban.standard_fen == 17_000 and urban.grace_months == 3
    assert urban.payment_frequency == "quarterly"  # through the credit union, as the seed says
    later = dibao_policy_get(region_code=village, program_code="dibao_rural", on=datetime.date(2013, 1, 1))
    assert (later.payment_frequency, later.standard_fen) == ("monthly", 7_200)
    events = AuditEvent.objects.filter(event_type=AuditEventType.POLICY_VERSION_CREATED)
    assert events.count() == 4 and {e.actor.username for e in events} == {"approver"}
