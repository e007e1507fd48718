"""A benefit in force in village A with a decided review (a decrease after a reported income change, decided
by the county, so it has a change notice), driven through the real services, for the review pages of the
jurisdiction matrix. Import the fixture into a test module that needs it.

The household is not household_a: that one carries the refused application of `refused_case_a`, and a
household has one application going at a time. The county's policy is set from 2 January 2000, so this
fixture and `refused_case_a` (which sets it from 1 January) may both run in one test, in either order."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from jiuzhu.cases.models import Review
from jiuzhu.cases.services.dynamic import review_decide, review_propose
from jiuzhu.cases.services.dynamic_events import income_change_report
from jiuzhu.cases.tests.conftest import Flow
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.services.finances import IncomeData
from jiuzhu.testing.builders import COUNTY, VILLAGE_A, make_household, person


@pytest.fixture
def reviewed_benefit_a(world) -> Review:  # type: ignore[no-untyped-def]
    users = world.users
    policy_version_create(
        actor=users["county_approver"], region_code=COUNTY, program_code="dibao_rural",
        effective_from=datetime.date(2000, 1, 2), params={"standard_fen": 7200}, note="复核页面测试用低保标准",
    )  # fmt: skip
    household = make_household(
        users["coordinator_a"], world.regions[VILLAGE_A], person("赵六"), person("钱七", "spouse")
    )
    with time_machine.travel(timezone.now(), tick=False) as clock:
        flow = Flow(world, clock, household=household)
        flow.awaiting_decision()
        flow.approve()
        flow.publish()
        clock.shift(datetime.timedelta(days=40))  # the change takes effect after the first month paid
        head = household.members.get(relation="head")
        reported = income_change_report(
            actor=users["coordinator_a"],
            household_id=household.pk,
            data=IncomeData(kind="wages", monthly_amount_fen=4000, person_id=head.pk),
            note="户主打零工。",
        )
        assert reported.review is not None
        review = review_propose(
            actor=users["coordinator_a"], review_id=reported.review.pk, expected_version=reported.review.version,
            findings="入户核查属实。", reasons="户主打零工，月收入40元。",
        )  # fmt: skip
        return review_decide(actor=users["county_approver"], review_id=review.pk, expected_version=review.version)
