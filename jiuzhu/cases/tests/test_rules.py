"""Pure case rules: the completeness checklist, next step, due dates across holidays, overdue flags."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.cases.rules import (
    CaseState,
    ChecklistFacts,
    ClockLimits,
    amount_in_force,
    check_completeness,
    is_overdue,
    month_after,
    next_due_on,
    next_step,
    notice_end,
    notice_has_ended,
    overall_due_on,
)
from jiuzhu.programs.calendar_source import official_calendar
from jiuzhu.programs.rules.working_days import WorkingCalendar

D = datetime.date
LIMITS = ClockLimits(
    acceptance_wd=3, investigation_start_wd=3, verification_start_wd=3, investigation_wd=10, township_opinion_wd=5,
    notice_days=7, township_forward_wd=3, county_decision_wd=10, decision_notice_wd=3, overall_wd=30,
    overall_special_wd=45, delegated_overall_wd=20, delegated_special_wd=45,
)  # fmt: skip
CALENDAR = official_calendar()
WEEKDAYS_ONLY = WorkingCalendar()


def test_complete_materials_need_signed_authorisation_and_promise():
    provided = ["application_form", "id_cards", "hukou_book", "income_proof", "authorisation", "promise"]
    unsigned = check_completeness(provided, ChecklistFacts())
    assert unsigned.missing == ("authorisation", "promise")
    signed = check_completeness(provided, ChecklistFacts(authorisation_signed=True, promise_signed=True))
    assert signed.is_complete


def test_conditional_materials_for_disability_illness_and_agents():
    facts = ChecklistFacts(
        has_disabled_member=True, has_seriously_ill_member=True, applied_by_agent=True,
        authorisation_signed=True, promise_signed=True,
    )  # fmt: skip
    result = check_completeness(["application_form", "id_cards", "hukou_book", "income_proof"], facts)
    assert result.missing == ("disability_certificate", "medical_record", "entrustment")


def test_unknown_material_is_a_programming_error():
    with pytest.raises(ValueError):
        check_completeness(["passport"], ChecklistFacts())


def test_deadlines_skip_the_national_day_holiday():
    # Accepted Tuesday 2026-09-29: 30 September works, 1–7 October are off, 8 October works.
    state = CaseState(status="investigating", accepted_on=D(2026, 9, 29), round_started_on=D(2026, 9, 29))
    assert next_step(state) == "verification_request"
    assert next_due_on(state, LIMITS, CALENDAR) == D(2026, 10, 9)
    assert next_due_on(state, LIMITS, WEEKDAYS_ONLY) == D(2026, 10, 2)  # what a weekday count would say
    requested = CaseState(
        status="investigating", accepted_on=D(2026, 9, 29), round_started_on=D(2026, 9, 29),
        verification_requested_on=D(2026, 9, 30), verification_pending=True,
    )  # fmt: skip
    assert next_step(requested) == "home_visit"
    # 10 working days: 30 Sep, 8, 9, 10 (make-up Saturday), 12, 13, 14, 15, 16, 19 Oct.
    assert next_due_on(requested, LIMITS, CALENDAR) == D(2026, 10, 19)


def test_overall_limit_by_mode_and_special_cases():
    accepted = D(2026, 6, 1)
    normal = CaseState(status="investigating", accepted_on=accepted)
    special = CaseState(status="investigating", accepted_on=accepted, is_special=True)
    delegated = CaseState(status="investigating", accepted_on=accepted, delegated=True)
    assert overall_due_on(normal, LIMITS, WEEKDAYS_ONLY) == D(2026, 7, 13)  # 30 weekdays
    assert overall_due_on(special, LIMITS, WEEKDAYS_ONLY) == D(2026, 8, 3)  # 45
    assert overall_due_on(delegated, LIMITS, WEEKDAYS_ONLY) == D(2026, 6, 29)  # 20
    assert overall_due_on(CaseState(status="submitted"), LIMITS, WEEKDAYS_ONLY) is None


@pytest.mark.parametrize(
    ("state", "step"),
    [
        (CaseState(status="materials_incomplete"), "complete_materials"),
        (CaseState(status="submitted"), "accept"),
        (CaseState(status="investigating", verification_requested_on=D(2026, 6, 2), home_visit_on=D(2026, 6, 3),
                   verification_recorded_on=D(2026, 6, 4)), "township_opinion"),
        (CaseState(status="investigating", verification_requested_on=D(2026, 6, 2), home_visit_on=D(2026, 6, 3),
                   verification_recorded_on=D(2026, 6, 4), is_disputed=True), "appraisal"),
        (CaseState(status="investigating", verification_requested_on=D(2026, 6, 2), home_visit_on=D(2026, 6, 3),
                   verification_pending=True), "verification_result"),
        (CaseState(status="opinion_given", opinion_agrees=True), "notice_start"),
        (CaseState(status="opinion_given", opinion_agrees=False), "forward"),
        (CaseState(status="in_notice"), "forward"),
        (CaseState(status="awaiting_decision"), "approve"),
        (CaseState(status="awaiting_decision", is_cadre_case=True), "cadre_filing"),
        (CaseState(status="awaiting_decision", is_cadre_case=True, has_cadre_filing=True), "home_visit"),
        (CaseState(status="awaiting_decision", is_cadre_case=True, has_cadre_filing=True, has_county_visit=True),
         "approve"),
        (CaseState(status="approved"), "publish"),
        (CaseState(status="in_force"), None),
        (CaseState(status="refused"), None),
    ],
)  # fmt: skip
def test_next_step(state, step):
    assert next_step(state) == step


def test_notice_period_is_calendar_days_and_ends_after_its_last_day():
    ends = notice_end(D(2026, 9, 28), LIMITS)
    assert ends == D(2026, 10, 5)  # calendar days, holidays included
    assert not notice_has_ended(ends, ends)
    assert notice_has_ended(ends, ends + datetime.timedelta(days=1))


def test_overdue_only_after_the_due_day():
    assert not is_overdue(D(2026, 6, 4), D(2026, 6, 4))
    assert is_overdue(D(2026, 6, 4), D(2026, 6, 5))
    assert not is_overdue(None, D(2026, 6, 5))


def test_month_after_and_amount_in_force():
    assert month_after(D(2026, 12, 15)) == D(2027, 1, 1)
    assert month_after(D(2026, 6, 1)) == D(2026, 7, 1)
    history = [(D(2026, 7, 1), 8400), (D(2027, 1, 1), 6000), (D(2027, 7, 1), 0)]
    assert amount_in_force(history, D(2026, 6, 1)) == 0
    assert amount_in_force(history, D(2026, 12, 1)) == 8400
    assert amount_in_force(history, D(2027, 1, 1)) == 6000
    assert amount_in_force(history, D(2028, 1, 1)) == 0
