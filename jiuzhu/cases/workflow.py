"""The application workflow as data: which steps each status allows, who may take them, where they lead.

Pure: no database, no clock. Services call `assert_step_allowed` before changing anything; the
to-do lists use `capabilities_for` with the case's stored `next_step`. Roles reach a step through
capabilities (accounts.roles.ROLE_CAPABILITIES), so "which role may do which step" has one source;
`roles_for` derives it for tests and screens.

Order inside the investigation stage (home visit, verification, appraisal before the township
opinion) and the notice period are data conditions checked by the services with `cases.rules`.
Policy: DOMAIN §4.5 (county-confirm and township-confirm modes), §3.6–§3.8.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import ROLE_CAPABILITIES, Capability
from jiuzhu.cases.choices import ApplicationStatus as S
from jiuzhu.cases.choices import Step
from jiuzhu.common.exceptions import TransitionNotAllowed

COUNTY_CONFIRMS = "county_confirms"
TOWNSHIP_CONFIRMS = "township_confirms"


@dataclass(frozen=True)
class Transition:
    """`to_status` None: the step records something and the status stays."""

    step: Step
    to_status: S | None
    capabilities: frozenset[Capability]  # any one of them suffices
    delegated_capabilities: frozenset[Capability] = frozenset()  # added in township-confirm mode


def _t(step: Step, to: S | None, *caps: Capability, delegated: tuple[Capability, ...] = ()) -> Transition:
    return Transition(step, to, frozenset(caps), frozenset(delegated))


INTAKE = Capability.CASE_INTAKE
REVIEW = Capability.CASE_TOWNSHIP_REVIEW
DECIDE = Capability.CASE_DECIDE

_WITHDRAW = _t(Step.WITHDRAW, S.WITHDRAWN, INTAKE)
_TERMINATE = _t(Step.TERMINATE, S.TERMINATED, REVIEW, DECIDE)
_FILING = _t(Step.CADRE_FILING, None, REVIEW)
_SPECIAL = _t(Step.MARK_SPECIAL, None, REVIEW, DECIDE)
_OPEN_SIDE_STEPS = (_FILING, _SPECIAL, _WITHDRAW, _TERMINATE)

TRANSITIONS: dict[S, tuple[Transition, ...]] = {
    S.MATERIALS_INCOMPLETE: (_t(Step.COMPLETE_MATERIALS, S.SUBMITTED, INTAKE), _WITHDRAW),
    S.SUBMITTED: (_t(Step.ACCEPT, S.INVESTIGATING, Capability.CASE_ACCEPT), _FILING, _WITHDRAW),
    S.INVESTIGATING: (
        _t(Step.VERIFICATION_REQUEST, None, Capability.CASE_INVESTIGATE),
        _t(Step.HOME_VISIT, None, Capability.CASE_INVESTIGATE),
        _t(Step.VERIFICATION_RESULT, None, Capability.CASE_VERIFY),
        _t(Step.MARK_DISPUTED, None, REVIEW),
        _t(Step.APPRAISAL, None, REVIEW),
        _t(Step.TOWNSHIP_OPINION, S.OPINION_GIVEN, REVIEW),
        *_OPEN_SIDE_STEPS,
    ),
    S.OPINION_GIVEN: (
        _t(Step.NOTICE_START, S.IN_NOTICE, REVIEW),
        _t(Step.FORWARD, S.AWAITING_DECISION, REVIEW),  # only after a disagreeing opinion (no notice)
        *_OPEN_SIDE_STEPS,
    ),
    S.IN_NOTICE: (
        _t(Step.NOTICE_OBJECTION, S.INVESTIGATING, REVIEW),
        _t(Step.FORWARD, S.AWAITING_DECISION, REVIEW),  # only after the notice period
        *_OPEN_SIDE_STEPS,
    ),
    S.AWAITING_DECISION: (
        _t(Step.HOME_VISIT, None, Capability.CASE_INVESTIGATE),  # the county's own visit (cadre relatives)
        _t(Step.APPROVE, S.APPROVED, DECIDE, delegated=(Capability.CASE_CONFIRM_DELEGATED,)),
        _t(Step.REFUSE, S.REFUSED, DECIDE, delegated=(Capability.CASE_CONFIRM_DELEGATED,)),
        *_OPEN_SIDE_STEPS,
    ),
    S.APPROVED: (_t(Step.PUBLISH, S.IN_FORCE, REVIEW),),
    S.IN_FORCE: (),  # reviews, changes and stops go through cases.services.dynamic (DOMAIN §4.7)
    S.STOPPED: (),
    S.REFUSED: (),
    S.WITHDRAWN: (),
    S.TERMINATED: (),
}

FINAL_STATUSES = frozenset(status for status, steps in TRANSITIONS.items() if not steps)
# Statuses in which a household has an application going or a benefit in force: one at a time.
ACTIVE_STATUSES = frozenset(set(S) - {S.REFUSED, S.WITHDRAWN, S.TERMINATED, S.STOPPED})
UNDECIDED_STATUSES = frozenset(
    {S.MATERIALS_INCOMPLETE, S.SUBMITTED, S.INVESTIGATING, S.OPINION_GIVEN, S.IN_NOTICE, S.AWAITING_DECISION}
)


def transition_for(status: str, step: str) -> Transition | None:
    return next((t for t in TRANSITIONS.get(S(status), ()) if t.step == step), None)


def capabilities_for(transition: Transition, mode: str) -> frozenset[Capability]:
    if mode == TOWNSHIP_CONFIRMS:
        return transition.capabilities | transition.delegated_capabilities
    return transition.capabilities


def step_capabilities(status: str, step: str, mode: str) -> frozenset[Capability]:
    transition = transition_for(status, step)
    return capabilities_for(transition, mode) if transition else frozenset()


def roles_for(status: str, step: str, mode: str = COUNTY_CONFIRMS) -> frozenset[str]:
    """Roles that may take `step` from `status` (derived from the capabilities)."""
    needed = step_capabilities(status, step, mode)
    return frozenset(str(role) for role, caps in ROLE_CAPABILITIES.items() if caps & needed)


def allowed_steps(status: str) -> tuple[Step, ...]:
    return tuple(t.step for t in TRANSITIONS.get(S(status), ()))


def assert_step_allowed(status: str, step: str) -> Transition:
    """The transition from `status` by `step`, or TransitionNotAllowed with a Chinese message."""
    transition = transition_for(status, step)
    if transition is None:
        raise TransitionNotAllowed(
            _("申请当前状态为“%(status)s”，不能进行“%(step)s”。")
            % {"status": S(status).label, "step": Step(step).label},
            status=str(status),
            step=str(step),
        )
    return transition


def step_needs_any_of(step: str, mode: str) -> frozenset[Capability]:
    """Every capability that may take `step` in some status (to tell 'no permission' from 'wrong order')."""
    found: set[Capability] = set()
    for transitions in TRANSITIONS.values():
        for transition in transitions:
            if transition.step == step:
                found |= capabilities_for(transition, mode)
    return frozenset(found)
