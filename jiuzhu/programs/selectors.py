"""Reads of programme configuration: the policy in force, the working-day calendar.

The policy in force is public configuration (standards are published), so these selectors take no
actor: services that decide cases, the trial calculation and the pages all call the same
`dibao_policy_get`. Lists of versions for screens are scoped (`access.policy_versions_visible_to`).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.programs.calendar_source import official_calendar
from jiuzhu.programs.models import PolicyVersion, WorkingDayCorrection
from jiuzhu.programs.rules.policy import DibaoPolicy, PolicyError
from jiuzhu.programs.rules.resolution import PolicyRow, ResolvedPolicy, ancestor_codes, resolve_policy
from jiuzhu.programs.rules.working_days import WorkingCalendar, years_without_official_data


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
    corrections = dict(WorkingDayCorrection.objects.values_list("day", "is_working_day"))
    return official_calendar().with_corrections(corrections)


def calendar_years_missing_official_data(*, today: datetime.date, years_ahead: int = 1) -> list[int]:
    """This year and the next `years_ahead` years that have neither official data nor a local correction:
    deadlines there count Monday to Friday only until the State Council's notice is entered."""
    return years_without_official_data(range(today.year, today.year + years_ahead + 1), working_calendar_get())
