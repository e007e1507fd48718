"""The transition table, row by row: which steps each status allows, where they lead, who may take them."""

from __future__ import annotations

import pytest

from jiuzhu.cases.choices import ApplicationStatus as S
from jiuzhu.cases.choices import Step
from jiuzhu.cases.workflow import (
    FINAL_STATUSES,
    TOWNSHIP_CONFIRMS,
    TRANSITIONS,
    allowed_steps,
    assert_step_allowed,
    roles_for,
    transition_for,
)
from jiuzhu.common.exceptions import TransitionNotAllowed

SIDE = {Step.CADRE_FILING: None, Step.MARK_SPECIAL: None, Step.WITHDRAW: S.WITHDRAWN, Step.TERMINATE: S.TERMINATED}

ROWS = {
    S.MATERIALS_INCOMPLETE: {Step.COMPLETE_MATERIALS: S.SUBMITTED, Step.WITHDRAW: S.WITHDRAWN},
    S.SUBMITTED: {Step.ACCEPT: S.INVESTIGATING, Step.CADRE_FILING: None, Step.WITHDRAW: S.WITHDRAWN},
    S.INVESTIGATING: {
        Step.VERIFICATION_REQUEST: None, Step.HOME_VISIT: None, Step.VERIFICATION_RESULT: None,
        Step.MARK_DISPUTED: None, Step.APPRAISAL: None, Step.TOWNSHIP_OPINION: S.OPINION_GIVEN, **SIDE,
    },
    S.OPINION_GIVEN: {Step.NOTICE_START: S.IN_NOTICE, Step.FORWARD: S.AWAITING_DECISION, **SIDE},
    S.IN_NOTICE: {Step.NOTICE_OBJECTION: S.INVESTIGATING, Step.FORWARD: S.AWAITING_DECISION, **SIDE},
    S.AWAITING_DECISION: {Step.HOME_VISIT: None, Step.APPROVE: S.APPROVED, Step.REFUSE: S.REFUSED, **SIDE},
    S.APPROVED: {Step.PUBLISH: S.IN_FORCE},
    S.IN_FORCE: {},
    S.STOPPED: {},
    S.REFUSED: {},
    S.WITHDRAWN: {},
    S.TERMINATED: {},
}  # fmt: skip

TOWNSHIP_ONLY = frozenset({"township_officer", "admin"})
INTAKE_ROLES = frozenset({"coordinator", "township_officer", "admin"})
DECIDERS = frozenset({"county_approver", "admin"})
DELEGATED = {"county_approver", "township_officer", "admin"}
INVESTIGATORS = frozenset({"coordinator", "township_officer", "county_officer", "admin"})

# (status, step) → roles in county-confirm mode, and in township-confirm mode where different.
ROLES = [
    (S.MATERIALS_INCOMPLETE, Step.COMPLETE_MATERIALS, INTAKE_ROLES, None),
    (S.SUBMITTED, Step.ACCEPT, TOWNSHIP_ONLY, None),
    (S.SUBMITTED, Step.WITHDRAW, INTAKE_ROLES, None),
    (S.INVESTIGATING, Step.HOME_VISIT, INVESTIGATORS, None),
    (S.INVESTIGATING, Step.VERIFICATION_REQUEST, INVESTIGATORS, None),
    (S.INVESTIGATING, Step.VERIFICATION_RESULT, frozenset({"township_officer", "county_officer", "admin"}), None),
    (S.INVESTIGATING, Step.TOWNSHIP_OPINION, TOWNSHIP_ONLY, None),
    (S.INVESTIGATING, Step.APPRAISAL, TOWNSHIP_ONLY, None),
    (S.INVESTIGATING, Step.TERMINATE, frozenset({"township_officer", "county_approver", "admin"}), None),
    (S.IN_NOTICE, Step.NOTICE_OBJECTION, TOWNSHIP_ONLY, None),
    (S.IN_NOTICE, Step.FORWARD, TOWNSHIP_ONLY, None),
    (S.AWAITING_DECISION, Step.APPROVE, DECIDERS, DELEGATED),
    (S.AWAITING_DECISION, Step.REFUSE, DECIDERS, DELEGATED),
    (S.APPROVED, Step.PUBLISH, TOWNSHIP_ONLY, None),
    (S.IN_NOTICE, Step.APPROVE, frozenset(), None),
]  # fmt: skip


def test_table_covers_every_status():
    assert set(TRANSITIONS) == set(S) == set(ROWS)


@pytest.mark.parametrize("status", list(S))
def test_each_status_allows_exactly_its_steps_and_leads_where_expected(status):
    assert set(allowed_steps(status)) == set(ROWS[status])
    for step, to in ROWS[status].items():
        transition = transition_for(status, step)
        assert transition is not None and transition.to_status == to


@pytest.mark.parametrize(("status", "step", "county", "township"), ROLES)
def test_roles_per_step_and_mode(status, step, county, township):
    assert roles_for(status, step) == county
    assert roles_for(status, step, TOWNSHIP_CONFIRMS) == frozenset(township or county)


def test_final_statuses_allow_nothing():
    assert {S.IN_FORCE, S.STOPPED, S.REFUSED, S.WITHDRAWN, S.TERMINATED} == FINAL_STATUSES


def test_step_out_of_order_raises_with_chinese_message():
    with pytest.raises(TransitionNotAllowed) as raised:
        assert_step_allowed(S.SUBMITTED, Step.APPROVE)
    assert "已申请，待受理" in raised.value.user_message and "批准" in raised.value.user_message
    assert assert_step_allowed(S.AWAITING_DECISION, Step.APPROVE).to_status == S.APPROVED
