"""Recording that a payment roster was printed or downloaded (names and amounts of a village's
beneficiaries leave the system on paper): an audit event, like every printed case document."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.payments.models import Payroll


@transaction.atomic
def payroll_roster_printed(
    *, actor: Any, payroll: Payroll, region_code: str, file_format: str, households: int
) -> None:
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYROLL_ROSTER_PRINTED,
        subject=payroll,
        region_code=region_code or payroll.region.code,
        after={"format": file_format, "region": region_code, "households": households},
    )
