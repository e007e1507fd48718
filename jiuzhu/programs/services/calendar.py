"""Local corrections of the working-day calendar (each audited).

The official calendar comes from the `chinese_calendar` package; a correction overrides one day
for everybody (a late State Council notice, a year the package does not know yet, a local
holiday). Administrators (`CONFIGURE`) keep them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, ValidationFailed
from jiuzhu.programs.models import WorkingDayCorrection


def _snapshot(correction: WorkingDayCorrection) -> dict[str, Any]:
    return {"day": correction.day.isoformat(), "is_working_day": correction.is_working_day, "note": correction.note}


# Not durable: the admin runs the services inside its own transaction.
@transaction.atomic
def working_day_correction_set(
    *, actor: Any, day: datetime.date, is_working_day: bool, note: str
) -> WorkingDayCorrection:
    """Make `day` a working day or a day off, overriding the official calendar.
    Writes WORKING_DAY_CORRECTION_SET (with the previous setting when there was one)."""
    require_capability(actor, Capability.CONFIGURE)
    note = note.strip()
    if not note:
        raise ValidationFailed(field_errors={"note": [_("请说明调整依据，例如国务院办公厅通知的文号。")]})
    correction = WorkingDayCorrection.objects.select_for_update().filter(day=day).first()
    if correction is None:
        correction = WorkingDayCorrection.objects.create(
            day=day, is_working_day=is_working_day, note=note, created_by=actor
        )
        before: dict[str, Any] = {}
        after = _snapshot(correction)
    else:
        old = _snapshot(correction)
        correction.is_working_day = is_working_day
        correction.note = note
        correction.version += 1
        correction.save(update_fields=["is_working_day", "note", "version", "updated_at"])
        before, after = changed_fields(old, _snapshot(correction))
        after["day"] = correction.day.isoformat()
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.WORKING_DAY_CORRECTION_SET,
        subject=correction,
        before=before,
        after=after,
    )
    return correction


@transaction.atomic
def working_day_correction_remove(*, actor: Any, correction_id: int, reason: str) -> None:
    """Drop a correction; the official calendar applies to that day again. Writes WORKING_DAY_CORRECTION_REMOVED."""
    require_capability(actor, Capability.CONFIGURE)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(field_errors={"reason": [_("请填写删除原因。")]})
    correction = WorkingDayCorrection.objects.select_for_update().filter(pk=correction_id).first()
    if correction is None:
        raise NotFoundOrNoAccess()
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.WORKING_DAY_CORRECTION_REMOVED,
        subject=correction,
        before=_snapshot(correction),
        reason=reason,
    )
    correction.delete()
