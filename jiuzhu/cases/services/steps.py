"""What every workflow step does around its own work: fetch and lock the case, check capability,
version and order; afterwards recompute the next step and its due dates, bump the version, and
write the timeline row and the audit event. Used inside the step services' durable transactions."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.audit.services import AuditEntry, audit_event_record, audit_events_record_bulk
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import access_application_for_step
from jiuzhu.cases.choices import NoticeStageKind, Step, VerificationResult
from jiuzhu.cases.models import (
    Application,
    Appraisal,
    CadreFiling,
    HomeVisit,
    PublicNotice,
    StatusChange,
    TownshipOpinion,
    VerificationRequest,
)
from jiuzhu.cases.rules import CaseState, ClockLimits, next_due_on, next_step, overall_due_on
from jiuzhu.cases.step_access import require_may_ever_take
from jiuzhu.cases.workflow import (
    TOWNSHIP_CONFIRMS,
    Transition,
    assert_step_allowed,
    capabilities_for,
)
from jiuzhu.common.bulk import insert_rows, update_rows
from jiuzhu.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from jiuzhu.programs.selectors import working_calendar_get


def begin_step(*, actor: Any, application_id: int, expected_version: int, step: Step) -> tuple[Application, Transition]:
    """Jurisdiction (404), capability (403), version (409 conflict), order (409 transition) — in that order."""
    application = access_application_for_step(actor, application_id)
    return application, check_step(actor=actor, application=application, expected_version=expected_version, step=step)


def check_step(*, actor: Any, application: Application, expected_version: int, step: Step) -> Transition:
    """Capability, version and order of a step on an application fetched (and locked) through access."""
    mode = application.workflow_mode
    require_may_ever_take(actor, step, mode)
    if application.version != expected_version:
        raise ConflictError()
    transition = assert_step_allowed(application.status, step)
    if not any(has_capability(actor, c) for c in capabilities_for(transition, mode)):
        raise PermissionDeniedError()
    return transition


def step_date(value: datetime.date | None, application: Application, field: str) -> datetime.date:
    """The date a step happened: today by default; never in the future nor before the application."""
    today = timezone.localdate()
    day = value or today
    if day > today:
        raise ValidationFailed(field_errors={field: [_("日期不能晚于今天。")]})
    if day < application.submitted_on:
        raise ValidationFailed(
            field_errors={
                field: [_("日期不能早于申请日期 %(date)s。") % {"date": application.submitted_on.isoformat()}]
            }
        )
    return day


def _day(value: Any) -> datetime.date | None:
    """A date column as read by a raw query (SQLite returns text, PostgreSQL a date)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def case_state(application: Application) -> CaseState:
    """The facts that decide the next step and its due date, read from the case's rows.

    Every workflow step calls this, so it reads with a few plain SQL statements instead of the ORM
    (building the ORM queries cost more than running them: see benchmarks and the demo history). The
    cadre filing is read only for cadre cases, the only ones whose next step it decides."""
    pk, current_round = application.pk, application.round
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT requested_on, result, result_on FROM {_table(VerificationRequest)} "  # noqa: S608
            "WHERE application_id = %s ORDER BY requested_on DESC, id DESC LIMIT 1",
            [pk],
        )
        verification = cursor.fetchone()
        cursor.execute(
            f"SELECT round, visited_on, is_county_visit FROM {_table(HomeVisit)} "  # noqa: S608
            "WHERE application_id = %s ORDER BY visited_on DESC, id DESC",
            [pk],
        )
        visits = [(int(r), _day(on), bool(county)) for r, on, county in cursor.fetchall()]
        cursor.execute(
            f"SELECT held_on FROM {_table(Appraisal)} WHERE application_id = %s AND round = %s "  # noqa: S608
            "ORDER BY held_on DESC, id DESC LIMIT 1",
            [pk, current_round],
        )
        appraisal = cursor.fetchone()
        cursor.execute(
            f"SELECT given_on, agrees FROM {_table(TownshipOpinion)} WHERE application_id = %s AND round = %s "  # noqa: S608
            "ORDER BY given_on DESC, id DESC LIMIT 1",
            [pk, current_round],
        )
        opinion = cursor.fetchone()
        cursor.execute(
            f"SELECT ends_on FROM {_table(PublicNotice)} WHERE application_id = %s AND stage = %s "  # noqa: S608
            "ORDER BY starts_on DESC, id DESC LIMIT 1",
            [pk, str(NoticeStageKind.VILLAGE_NOTICE)],
        )
        notice = cursor.fetchone()
        has_filing = False
        if application.is_cadre_case:
            cursor.execute(f"SELECT 1 FROM {_table(CadreFiling)} WHERE application_id = %s", [pk])  # noqa: S608
            has_filing = cursor.fetchone() is not None
    pending = verification is not None and verification[1] == VerificationResult.PENDING
    return CaseState(
        status=application.status,
        delegated=application.workflow_mode == TOWNSHIP_CONFIRMS,
        is_special=application.is_special,
        appraisal_mode=application.appraisal_mode,
        is_disputed=application.is_disputed,
        is_cadre_case=application.is_cadre_case,
        has_cadre_filing=has_filing,
        has_county_visit=any(county for _round, _on, county in visits),
        submitted_on=application.materials_complete_on or application.submitted_on,
        accepted_on=application.accepted_on,
        round_started_on=application.round_started_on,
        verification_requested_on=_day(verification[0]) if verification else None,
        verification_pending=pending,
        verification_recorded_on=_day(verification[2]) if verification and not pending else None,
        home_visit_on=next((on for round_, on, _county in visits if round_ == current_round), None),
        appraisal_on=_day(appraisal[0]) if appraisal else None,
        opinion_on=_day(opinion[0]) if opinion else None,
        opinion_agrees=bool(opinion and opinion[1]),
        notice_ends_on=_day(notice[0]) if notice else None,
        forwarded_on=application.forwarded_on,
        decided_on=application.decided_on,
    )


def refresh_clocks(application: Application) -> None:
    """Recompute `next_step`, `due_on` and `overall_due_on` (not saved)."""
    state = case_state(application)
    calendar = working_calendar_get()
    limits = ClockLimits.from_json(application.clock_limits)
    application.next_step = next_step(state) or ""
    application.due_on = next_due_on(state, limits, calendar)
    application.overall_due_on = overall_due_on(state, limits, calendar)


CLOCK_FIELDS = ["next_step", "due_on", "overall_due_on"]


def finish_steps_many(
    *,
    actor: Any,
    applications: Sequence[Application],
    from_statuses: Mapping[int, str],
    step: Step,
    on: datetime.date,
    event_type: AuditEventType,
    fields: list[str],
    after: Mapping[int, dict[str, Any]] | None = None,
    note: str = "",
) -> None:
    """`finish_step` for many applications at once: one UPDATE, one INSERT of timeline rows and one of
    audit events, run over all of them (`common.bulk`)."""
    if not applications:
        return
    now = timezone.now()
    for application in applications:
        refresh_clocks(application)
        application.version += 1
        application.updated_at = now
    names = sorted({*fields, *CLOCK_FIELDS, "version", "updated_at"})
    update_rows(Application, names, {a.pk: [getattr(a, name) for name in names] for a in applications})
    insert_rows(
        StatusChange,
        [
            {
                "application_id": a.pk,
                "step": str(step),
                "from_status": str(from_statuses[a.pk]),
                "to_status": str(a.status),
                "occurred_on": on,
                "occurred_at": now,
                "actor_id": actor.pk,
                "note": note,
            }
            for a in applications
        ],
    )
    audit_events_record_bulk(
        actor=actor,
        event_type=event_type,
        entries=(
            AuditEntry(
                subject_type=Application._meta.label_lower,
                subject_id=a.pk,
                region_code=a.region.code,
                before={"status": str(from_statuses[a.pk])},
                after={
                    "status": str(a.status),
                    "step": str(step),
                    "on": on.isoformat(),
                    "batch": True,
                    **((after or {}).get(a.pk) or {}),
                },
                reason=note,
            )
            for a in applications
        ),
    )


def finish_step(
    *,
    actor: Any,
    application: Application,
    step: Step,
    from_status: str,
    on: datetime.date,
    event_type: AuditEventType,
    fields: list[str],
    after: dict[str, Any] | None = None,
    note: str = "",
) -> Application:
    """Save the changed `fields` with the recomputed clocks and a new version; timeline row; audit event."""
    refresh_clocks(application)
    application.version += 1
    application.save(update_fields=sorted({*fields, *CLOCK_FIELDS, "version", "updated_at"}))
    StatusChange.objects.create(
        application=application,
        step=step,
        from_status=from_status,
        to_status=application.status,
        occurred_on=on,
        occurred_at=timezone.now(),
        actor=actor,
        note=note,
    )
    audit_event_record(
        actor=actor,
        event_type=event_type,
        subject=application,
        region_code=application.region.code,
        before={"status": from_status} if from_status else {},
        after={"status": application.status, "step": str(step), "on": on.isoformat(), **(after or {})},
        reason=note,
    )
    return application
