"""Onboarding the existing caseload (存量对象建档): amounts by the calculator, everything or nothing."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import ApplicationStatus, Step
from jiuzhu.cases.models import AmountChange, Application, Entitlement
from jiuzhu.cases.selectors import amount_in_force_get
from jiuzhu.cases.services.onboarding import OnboardItem, entitlements_onboard
from jiuzhu.cases.tests.conftest import START, Flow
from jiuzhu.common.exceptions import PermissionDeniedError, ValidationFailed
from jiuzhu.registry.services.finances import IncomeData, income_item_add

pytestmark = pytest.mark.django_db

GO_LIVE = START  # the members were registered that day


def _items(world, approved_on=datetime.date(2019, 3, 12)):
    return [
        OnboardItem(world.household_a.pk, "dibao_rural", approved_on),
        OnboardItem(world.household_b.pk, "dibao_rural", approved_on, datetime.date(2019, 4, 1)),
    ]


def test_onboarding_puts_the_caseload_in_force_with_calculated_amounts(policy, world):
    entitlements = entitlements_onboard(
        actor=world.users["county_approver"], items=_items(world), go_live=GO_LIVE, reason="2025年底纸质台账"
    )
    by_household = {e.household_id: e for e in entitlements}
    a, b = by_household[world.household_a.pk], by_household[world.household_b.pk]
    assert (a.monthly_amount_fen, b.monthly_amount_fen) == (14400, 7200)  # 72 yuan × 2 and × 1, no income
    assert a.first_month == datetime.date(2019, 4, 1) and a.next_review_on is not None
    assert amount_in_force_get(entitlement=a, month=datetime.date(2026, 6, 1)) == 14400
    assert amount_in_force_get(entitlement=a, month=datetime.date(2026, 5, 1)) == 0  # before go-live: not in the system
    app = Application.objects.get(household=world.household_a)
    assert app.status == ApplicationStatus.IN_FORCE and app.decided_on == datetime.date(2019, 3, 12)
    assert app.decision.lines and app.decision.policy_snapshot["onboarded"] is True
    assert list(app.status_changes.values_list("step", flat=True)) == [Step.ONBOARD]
    events = AuditEvent.objects.filter(event_type=AuditEventType.APPLICATION_ONBOARDED)
    assert events.count() == 2 and {e.reason for e in events} == {"2025年底纸质台账"}


def test_one_bad_household_refuses_the_whole_batch_in_chinese(policy, world):
    rich = world.household_b.members.get(relation="head")
    income_item_add(
        actor=world.users["coordinator_b"],
        household_id=world.household_b.pk,
        data=IncomeData(kind="wages", monthly_amount_fen=300_000, person_id=rich.pk),
    )
    with pytest.raises(ValidationFailed) as error:
        entitlements_onboard(actor=world.users["county_approver"], items=_items(world), go_live=GO_LIVE, reason="台账")
    assert "王五户按现行标准不符合低保条件" in error.value.user_message
    assert not Application.objects.exists() and not Entitlement.objects.exists() and not AmountChange.objects.exists()


def test_households_with_a_case_or_outside_the_jurisdiction_are_refused(clock, policy, world):
    Flow(world, clock).submit()
    with pytest.raises(ValidationFailed) as error:
        entitlements_onboard(actor=world.users["county_approver"], items=_items(world), go_live=GO_LIVE, reason="台账")
    assert "已有正在办理的申请" in error.value.user_message
    assert Application.objects.count() == 1
    with pytest.raises(PermissionDeniedError):
        entitlements_onboard(actor=world.users["township"], items=_items(world), go_live=GO_LIVE, reason="台账")
    with pytest.raises(ValidationFailed):
        entitlements_onboard(
            actor=world.users["county_approver"],
            items=_items(world),
            go_live=START + datetime.timedelta(days=1),
            reason="台账",
        )
