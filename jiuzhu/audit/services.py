"""The one write path for audit events. Call it inside the service's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.bulk import insert_rows
from jiuzhu.common.request_context import current_request_id


def audit_event_record(
    *,
    actor: Any | None,
    event_type: AuditEventType,
    subject: models.Model | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit event. `before`/`after` must already be masked (no full ID numbers)."""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = subject.pk
    if not subject_type or subject_id is None:
        raise ValueError("an audit event needs a subject")
    return AuditEvent.objects.create(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_role=str(getattr(actor, "role", "") or ""),
        event_type=event_type,
        subject_type=subject_type,
        subject_id=subject_id,
        region_code=region_code,
        before=before or {},
        after=after or {},
        reason=reason,
        request_id=current_request_id.get(),
    )


@dataclass(frozen=True)
class AuditEntry:
    """One event of a batch written by `audit_events_record_bulk` (the subject by type and id)."""

    subject_type: str
    subject_id: int
    region_code: str = ""
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def audit_events_record_bulk(
    *, actor: Any | None, event_type: AuditEventType, entries: Iterable[AuditEntry], batch_size: int = 2000
) -> int:
    """Append one event per entry, all of one type by one actor, with one INSERT run over all of them
    (batch services such as the yearly review of many households; `common.bulk`). Same rules as
    `audit_event_record`; returns the count."""
    defaults = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=getattr(actor, "pk", None) if actor is not None else None,
        actor_role=str(getattr(actor, "role", "") or ""),
        event_type=int(event_type),
        request_id=current_request_id.get(),
    )
    rows = [
        {
            "subject_type": entry.subject_type,
            "subject_id": entry.subject_id,
            "region_code": entry.region_code,
            "before": entry.before,
            "after": entry.after,
            "reason": entry.reason,
        }
        for entry in entries
    ]
    for start in range(0, len(rows), batch_size):
        insert_rows(AuditEvent, rows[start : start + batch_size], defaults=defaults)
    return len(rows)


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value differs: the field-level before/after of an event."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
