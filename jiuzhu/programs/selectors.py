"""Reads of programme configuration: the policy in force, the working-day calendar.

The policy in force is public configuration (standards are published), so these selectors take no
actor: services that decide cases, the trial calculation and the pages all call the same
`dibao_policy_get`. Lists of versions for screens are scoped (`access.policy_versions_visible_to`).
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.programs.calendar_source import official_calendar
from jiuzhu.programs.models import PolicyVersion, WorkingDayCorrection
from jiuzhu.programs.rules.policy import DibaoPolicy, PolicyError
from jiuzhu.programs.rules.resolution import (
    PolicyRow,
    ResolvedPolicy,
    ancestor_codes,
    latest_versions,
    resolve_policy,
)
from jiuzhu.programs.rules.working_days import WorkingCalendar, years_without_official_data

T = TypeVar("T")
_held: contextvars.ContextVar[dict[Any, Any] | None] = contextvars.ContextVar("policy_held", default=None)


@contextmanager
def configuration_held() -> Iterator[None]:
    """Within the block, the policy in force and the working-day calendar are read once and reused.

    For long runs that decide many cases (batch jobs, the demo history): each step would otherwise
    read and parse the same policy again. Only for code that does not change the configuration
    itself, since a change made inside the block is not seen until it ends. Nested blocks share
    the outer one's values."""
    if _held.get() is not None:
        yield
        return
    token = _held.set({})
    try:
        yield
    finally:
        _held.reset(token)


def _remembered(key: Hashable, read: Callable[[], T]) -> T:
    held = _held.get()
    if held is None:
        return read()
    if key not in held:
        held[key] = read()
    return held[key]


def policy_rows_get(*, region_code: str, program_code: str, on: datetime.date | None = None) -> list[PolicyRow]:
    """Stored versions of the region and its ancestors for the programme (one query); up to `on` if given."""
    versions = PolicyVersion.objects.filter(program__code=program_code, region__code__in=ancestor_codes(region_code))
    if on is not None:
        versions = versions.filter(effective_from__lte=on)
    return [
        PolicyRow(version_id=pk, region_code=code, effective_from=effective_from, params=params)
        for pk, code, effective_from, params in versions.values_list("pk", "region__code", "effective_from", "params")
    ]


def dibao_policy_resolve(*, region_code: str, program_code: str, on: datetime.date) -> ResolvedPolicy:
    """Every parameter's value for the region on the date, and where it comes from."""
    rows = policy_rows_get(region_code=region_code, program_code=program_code, on=on)
    return resolve_policy(region_code, on, rows)


def dibao_policy_get(*, region_code: str, program_code: str, on: datetime.date) -> DibaoPolicy:
    """The typed policy in force; RuleViolation (code `policy_incomplete`) when no standard is set there."""
    if _held.get() is None:
        return _dibao_policy_read(region_code=region_code, program_code=program_code, on=on)
    # Held: the versions of the region's chain are read once; a policy is parsed once per set of
    # versions in force (the same for every day between two changes).
    rows = _remembered(
        ("rows", region_code, program_code),
        lambda: policy_rows_get(region_code=region_code, program_code=program_code),
    )
    in_force = tuple(sorted(row.version_id for row in latest_versions(rows, on).values()))
    return _remembered(
        ("dibao", region_code, program_code, in_force),
        lambda: _dibao_policy_read(region_code=region_code, program_code=program_code, on=on),
    )


def _dibao_policy_read(*, region_code: str, program_code: str, on: datetime.date) -> DibaoPolicy:
    resolved = dibao_policy_resolve(region_code=region_code, program_code=program_code, on=on)
    try:
        return resolved.policy()
    except PolicyError as error:
        problems = "；".join(problem.render(_) for problem in error.problems)
        raise RuleViolation(
            _("%(region)s 在 %(date)s 没有完整的低保政策参数：%(problems)s")
            % {"region": region_code, "date": on.isoformat(), "problems": problems},
            code="policy_incomplete",
        ) from error


def working_calendar_get() -> WorkingCalendar:
    """The official calendar with every local correction applied (one small query)."""
    return _remembered("calendar", _working_calendar_read)


def _working_calendar_read() -> WorkingCalendar:
    corrections = dict(WorkingDayCorrection.objects.values_list("day", "is_working_day"))
    return official_calendar().with_corrections(corrections)


def calendar_years_missing_official_data(*, today: datetime.date, years_ahead: int = 1) -> list[int]:
    """This year and the next `years_ahead` years that have neither official data nor a local correction:
    deadlines there count Monday to Friday only until the State Council's notice is entered."""
    return years_without_official_data(range(today.year, today.year + years_ahead + 1), working_calendar_get())
