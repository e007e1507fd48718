"""A dibao application of household_a driven to a refusal through the real services (the household's
income, 1,234.56 yuan a month in `file_a`, is far above the standard), for the case-document pages.
Import the fixture into a test module that needs it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from jiuzhu.cases.models import Application
from jiuzhu.cases.services.decision import application_refuse
from jiuzhu.cases.tests.conftest import Flow, make_policy
from jiuzhu.web.tests.conftest import FileObjects


@pytest.fixture
def refused_case_a(world, file_a: FileObjects) -> Application:  # type: ignore[no-untyped-def]
    make_policy(world.users)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        flow = Flow(world, clock)
        application = flow.awaiting_decision()
        clock.shift(datetime.timedelta(days=1))
        application_refuse(
            actor=world.users["county_approver"],
            application_id=application.pk,
            expected_version=flow.v,
            reason_codes=["income_above_standard"],
            reason_text="家庭月收入1234.56元，人均收入高于当地低保标准。",
        )
    return flow.refresh()
