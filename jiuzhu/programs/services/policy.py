"""Policy versions: create, and change before they take effect (each audited).

A version already in force (effective today or earlier) is never edited: the region makes a new
version instead, so every past decision can be explained by the policy it was made under.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, RuleViolation, ValidationFailed
from jiuzhu.programs.access import access_policy_version_for_edit
from jiuzhu.programs.models import DIBAO_PROGRAMS, PolicyVersion, Program
from jiuzhu.programs.rules.policy import PARAMETERS_BY_KEY, PolicyProblem, params_problems, resolved_values_problems
from jiuzhu.programs.rules.resolution import PolicyRow, resolve_policy
from jiuzhu.programs.selectors import policy_rows_get
from jiuzhu.regions.models import Region


def policy_version_snapshot(version: PolicyVersion) -> dict[str, Any]:
    return {
        "region": version.region.code,
        "program": version.program.code,
        "effective_from": version.effective_from.isoformat(),
        "params": version.params,
        "note": version.note,
    }


def _problem_text(problem: PolicyProblem) -> str:
    spec = PARAMETERS_BY_KEY.get(problem.key)
    message = problem.render(_)
    return f"{_(spec.label)}（{problem.key}）：{message}" if spec else message


def _check_params(
    *,
    region: Region,
    program: Program,
    effective_from: datetime.date,
    params: Mapping[str, Any],
    exclude_id: int | None,
) -> dict[str, list[str]]:
    """Field errors: the version's own values, then the policy it makes at its region on its first day."""
    problems = params_problems(params)
    if not problems:
        rows = [
            row
            for row in policy_rows_get(region_code=region.code, program_code=program.code, on=effective_from)
            if row.version_id != exclude_id
            and not (row.region_code == region.code and row.effective_from == effective_from)
        ]
        rows.append(PolicyRow(version_id=0, region_code=region.code, effective_from=effective_from, params=params))
        resolved = resolve_policy(region.code, effective_from, rows)
        problems = resolved_values_problems(resolved.value_map(), require_standard=False)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(f"params.{problem.key}" if problem.key else "params", []).append(_problem_text(problem))
    return errors


def _check_date_free(
    *,
    region: Region,
    program: Program,
    effective_from: datetime.date,
    exclude_id: int | None,
    errors: dict[str, list[str]],
) -> None:
    clash = PolicyVersion.objects.filter(region=region, program=program, effective_from=effective_from)
    if exclude_id is not None:
        clash = clash.exclude(pk=exclude_id)
    if clash.exists():
        errors.setdefault("effective_from", []).append(
            _("该区划在这一天已有该项目的政策参数版本，请修改那个版本或另选生效日期。")
        )


def _program(program_code: str) -> Program:
    if program_code not in DIBAO_PROGRAMS:
        raise ValidationFailed(field_errors={"program": [_("只有城市低保和农村低保可以设置低保政策参数。")]})
    return Program.objects.get(code=program_code)


def _params_dict(params: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(params, Mapping):
        raise ValidationFailed(field_errors={"params": [_("参数应为 JSON 对象（键为参数名）。")]})
    return dict(params)


def policy_version_errors(
    *,
    region: Region,
    program: Program,
    effective_from: datetime.date,
    params: Mapping[str, Any],
    note: str,
    version: PolicyVersion | None = None,
) -> dict[str, list[str]]:
    """Every reason the version (a new one, or `version` changed) cannot be saved, by field.

    The services check this before writing; the admin form shows it in place.
    """
    exclude_id = version.pk if version is not None else None
    errors = _check_params(
        region=region, program=program, effective_from=effective_from, params=params, exclude_id=exclude_id
    )
    _check_date_free(
        region=region, program=program, effective_from=effective_from, exclude_id=exclude_id, errors=errors
    )
    today = timezone.localdate()
    if version is None and effective_from < today and not note.strip():
        errors.setdefault("note", []).append(_("追溯生效的版本须在说明中写明依据（文件名称和文号）。"))
    if version is not None and effective_from <= today:
        errors.setdefault("effective_from", []).append(
            _("修改后的生效日期须晚于今天；要追溯生效，请新建一个版本并写明依据。")
        )
    return errors


# Not durable: the admin's change form runs the services inside its own transaction.
@transaction.atomic
def policy_version_create(
    *,
    actor: Any,
    region_code: str,
    program_code: str,
    effective_from: datetime.date,
    params: Mapping[str, Any],
    note: str = "",
) -> PolicyVersion:
    """A region's overrides for a programme from a date on (params: only the keys it sets). A
    back-dated version needs a note (the document that set it). Writes POLICY_VERSION_CREATED."""
    require_capability(actor, Capability.POLICY_EDIT)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFoundOrNoAccess()
    require_region_in_jurisdiction(actor, region.code)
    program = _program(program_code)
    values = _params_dict(params)
    errors = policy_version_errors(
        region=region, program=program, effective_from=effective_from, params=values, note=note
    )
    if errors:
        raise ValidationFailed(field_errors=errors)
    version = PolicyVersion.objects.create(
        region=region,
        program=program,
        effective_from=effective_from,
        params=values,
        note=note.strip(),
        created_by=actor,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.POLICY_VERSION_CREATED,
        subject=version,
        region_code=region.code,
        after=policy_version_snapshot(version),
    )
    return version


@transaction.atomic
def policy_version_update(
    *,
    actor: Any,
    version_id: int,
    expected_version: int,
    params: Mapping[str, Any],
    note: str,
    effective_from: datetime.date | None = None,
) -> PolicyVersion:
    """Correct a version that has not taken effect yet (its date and the new date after today).
    A version in force is refused: make a new version. Writes POLICY_VERSION_CHANGED."""
    version = access_policy_version_for_edit(actor, version_id, lock=True)
    if version.version != expected_version:
        raise ConflictError()
    if version.effective_from <= timezone.localdate():
        raise RuleViolation(
            _("该版本已于 %(date)s 生效，不能修改；请新建一个版本。") % {"date": version.effective_from.isoformat()},
            code="policy_version_in_force",
        )
    new_from = effective_from or version.effective_from
    values = _params_dict(params)
    errors = policy_version_errors(
        region=version.region, program=version.program, effective_from=new_from, params=values, note=note,
        version=version,
    )  # fmt: skip
    if errors:
        raise ValidationFailed(field_errors=errors)
    before = policy_version_snapshot(version)
    version.params = values
    version.note = note.strip()
    version.effective_from = new_from
    version.version += 1
    version.save(update_fields=["params", "note", "effective_from", "version", "updated_at"])
    changed_before, changed_after = changed_fields(before, policy_version_snapshot(version))
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.POLICY_VERSION_CHANGED,
        subject=version,
        region_code=version.region.code,
        before=changed_before,
        after=changed_after,
    )
    return version
