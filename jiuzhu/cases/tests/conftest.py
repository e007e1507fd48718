"""Fixtures for case tests: a frozen clock, a dibao policy for the test county, and `Flow`, which moves
an application through the workflow with the real services (never by saving a status)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jiuzhu.cases.models import Application
from jiuzhu.cases.services.decision import application_approve, application_publish
from jiuzhu.cases.services.intake import application_accept, application_submit
from jiuzhu.cases.services.investigation import home_visit_record, verification_request, verification_result_record
from jiuzhu.cases.services.review import application_forward, notice_start, township_opinion_give
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.builders import COUNTY

TZ = ZoneInfo("Asia/Shanghai")
START = datetime.date(2026, 6, 1)  # a Monday
ALL_MATERIALS = ("application_form", "id_cards", "hukou_book", "income_proof")


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(at(START), tick=False) as traveller:
        yield traveller


def make_policy(users, **params):
    return policy_version_create(
        actor=users["county_approver"],
        region_code=COUNTY,
        program_code="dibao_rural",
        effective_from=datetime.date(2000, 1, 1),
        params={"standard_fen": 7200, **params},
        note="开江县民政局关于农村低保标准的通知（测试）",
    )


@pytest.fixture
def policy(clock, users):
    return make_policy(users)


class Flow:
    """One household's application driven step by step; `app` is re-read after every step."""

    def __init__(self, world, clock, household=None):
        self.world = world
        self.users = world.users
        self.clock = clock
        self.household = household or world.household_a
        self.app: Application | None = None

    def refresh(self) -> Application:
        assert self.app is not None
        self.app.refresh_from_db()
        return self.app

    @property
    def v(self) -> int:
        return self.refresh().version

    def travel(self, day: datetime.date) -> None:
        self.clock.move_to(at(day))

    def income(self, monthly_fen: int) -> None:
        head = self.household.members.get(relation="head")
        income_item_add(
            actor=self.users["coordinator_a"],
            household_id=self.household.pk,
            data=IncomeData(kind="wages", monthly_amount_fen=monthly_fen, person_id=head.pk),
        )

    def submit(self, actor_key="coordinator_a", materials=ALL_MATERIALS, **kwargs) -> Application:
        head = self.household.members.get(relation="head")
        kwargs.setdefault("authorisation_signed_on", START)
        kwargs.setdefault("authorisation_signers", ["张三", "李梅"])
        kwargs.setdefault("promise_signed_on", START)
        self.app = application_submit(
            actor=self.users[actor_key],
            household_id=self.household.pk,
            applicant_id=head.pk,
            materials_provided=materials,
            **kwargs,
        )
        return self.app

    def accept(self, actor_key="township") -> Application:
        return application_accept(actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v)

    def request_verification(self, actor_key="township"):
        return verification_request(actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v)

    def visit(self, actor_key="coordinator_a", investigators=("coordinator_a", "township"), **kwargs):
        return home_visit_record(
            actor=self.users[actor_key],
            application_id=self.app.pk,
            expected_version=self.v,
            visited_on=kwargs.pop("visited_on", None) or self._today(),
            findings=kwargs.pop("findings", "家中无劳动力，房屋破旧，收入来源为零工。"),
            investigator_ids=[self.users[k].pk for k in investigators],
            **kwargs,
        )

    def verification_result(self, actor_key="county_officer", passed=True, notes="未发现财产和收入异常"):
        return verification_result_record(
            actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v, passed=passed, notes=notes
        )

    def opinion(self, actor_key="township", agrees=True):
        return township_opinion_give(
            actor=self.users[actor_key],
            application_id=self.app.pk,
            expected_version=self.v,
            agrees=agrees,
            text="经调查，家庭人均收入低于当地低保标准，同意纳入。" if agrees else "家庭收入高于标准，不同意。",
        )

    def notice(self, actor_key="township"):
        return notice_start(actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v)

    def forward(self, actor_key="township"):
        return application_forward(actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v)

    def approve(self, actor_key="county_approver", **kwargs):
        return application_approve(
            actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v, **kwargs
        )

    def publish(self, actor_key="township"):
        return application_publish(actor=self.users[actor_key], application_id=self.app.pk, expected_version=self.v)

    def _today(self) -> datetime.date:
        from django.utils import timezone

        return timezone.localdate()

    # Composite stages ------------------------------------------------------------------------------
    def investigated(self) -> Application:
        self.submit()
        self.accept()
        self.request_verification()
        self.visit()
        self.verification_result()
        return self.refresh()

    def in_notice(self) -> Application:
        self.investigated()
        self.opinion()
        self.notice()
        return self.refresh()

    def awaiting_decision(self) -> Application:
        notice = self.in_notice().notices.get()
        self.travel(notice.ends_on + datetime.timedelta(days=1))
        self.forward()
        return self.refresh()


@pytest.fixture
def flow(clock, world, policy):
    return Flow(world, clock)
