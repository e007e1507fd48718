"""To-do lists: the cases whose next step the actor may take, due dates over a holiday, overdue flags."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.cases.selectors import applications_overdue, todo_cases
from jiuzhu.web.todos import cases_owed

pytestmark = pytest.mark.django_db
D = datetime.date


def _owed(flow, key, today):
    return [(c.application.pk, str(c.step)) for c in todo_cases(actor=flow.users[key], today=today)]


def test_each_step_shows_on_the_list_of_who_owes_it(flow):
    app = flow.submit()
    today = app.submitted_on
    assert _owed(flow, "township", today) == [(app.pk, "accept")]
    assert _owed(flow, "coordinator_a", today) == []
    assert _owed(flow, "coordinator_b", today) == []  # another village
    flow.accept()
    flow.request_verification()
    assert _owed(flow, "coordinator_a", today) == [(app.pk, "home_visit")]
    flow.visit()
    assert _owed(flow, "county_officer", today) == [(app.pk, "verification_result")]
    assert _owed(flow, "coordinator_a", today) == []
    assert _owed(flow, "coordinator_other", today) == []
    flow.verification_result()
    assert _owed(flow, "township", today) == [(app.pk, "township_opinion")]
    assert _owed(flow, "county_approver", today) == []


def test_due_dates_over_national_day_and_overdue_flags(clock, world, policy):
    from jiuzhu.cases.tests.conftest import Flow, at

    clock.move_to(at(D(2026, 9, 29)))
    flow = Flow(world, clock)
    flow.submit(authorisation_signed_on=D(2026, 9, 29), promise_signed_on=D(2026, 9, 29))
    app = flow.accept()
    assert app.accepted_on == D(2026, 9, 29) and app.next_step == "verification_request"
    assert app.due_on == D(2026, 10, 9)  # 3 working days: 30 Sep, 8 Oct, 9 Oct
    assert app.overall_due_on is not None

    on_time = todo_cases(actor=flow.users["township"], today=D(2026, 10, 9))
    assert [c.is_overdue for c in on_time] == [False]
    late = todo_cases(actor=flow.users["township"], today=D(2026, 10, 10))
    assert [c.is_overdue for c in late] == [True] and not late[0].is_overall_overdue
    assert list(applications_overdue(actor=flow.users["township"], today=D(2026, 10, 10))) == [app]
    assert list(applications_overdue(actor=flow.users["township"], today=D(2026, 10, 9))) == []
    assert list(applications_overdue(actor=flow.users["coordinator_b"], today=D(2026, 10, 10))) == []
    very_late = todo_cases(actor=flow.users["township"], today=app.overall_due_on + datetime.timedelta(days=1))
    assert very_late[0].is_overall_overdue

    clock.move_to(at(D(2026, 10, 12)))
    section = cases_owed(flow.users["township"])
    assert section is not None and section.total == 1
    assert "已超期" in section.items[0].detail and "提请经济状况核对" in section.items[0].label
    assert cases_owed(flow.users["finance"]) is None
