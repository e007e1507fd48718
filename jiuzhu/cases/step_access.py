"""Who may take which workflow step: the one answer the services, the pages and the API all use.

`workflow.TRANSITIONS` says which capability takes a step from which status, per workflow mode;
these functions apply it to a user. A role that may never take a step gets a 403 before anything
is read (`require_may_ever_take`); the steps open on a case now are `steps_open_to`.
"""

from __future__ import annotations

from typing import Any

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.cases.choices import ApplicationStatus, Step
from jiuzhu.cases.models import Application
from jiuzhu.cases.workflow import COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS, TRANSITIONS, capabilities_for, step_needs_any_of
from jiuzhu.common.exceptions import PermissionDeniedError

COUNTY_LEVEL = 3  # regions: 1 province, 2 city, 3 county, 4 township, 5 village


def is_county_level(actor: Any) -> bool:
    """County (or higher) staff: their visits are the county's own home visits (DOMAIN §3.8)."""
    region = getattr(actor, "region", None)
    return region is None or region.level <= COUNTY_LEVEL


def may_ever_take(actor: Any, step: str, mode: str | None = None) -> bool:
    """The actor's role takes `step` from some status, in `mode` (None: in either workflow mode)."""
    modes = (mode,) if mode is not None else (COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS)
    return any(has_capability(actor, c) for m in modes for c in step_needs_any_of(step, m))


def require_may_ever_take(actor: Any, step: str, mode: str | None = None) -> None:
    if not may_ever_take(actor, step, mode):
        raise PermissionDeniedError()


def steps_open_to(actor: Any, application: Application) -> list[Step]:
    """Steps the workflow allows from the case's status that the actor's role may take (in the case's
    workflow mode). After forwarding, only county-level staff record a home visit (the county's own)."""
    status = ApplicationStatus(application.status)
    steps = []
    for transition in TRANSITIONS.get(status, ()):
        if not any(has_capability(actor, c) for c in capabilities_for(transition, application.workflow_mode)):
            continue
        if transition.step == Step.HOME_VISIT and status == ApplicationStatus.AWAITING_DECISION:
            if not is_county_level(actor):
                continue
        steps.append(Step(transition.step))
    return steps
