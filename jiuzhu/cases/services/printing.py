"""Opening a case file and printing its letters and forms are logged, like opening a household file."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Application


@transaction.atomic
def application_document_printed(*, actor: Any, application: Application, document: str) -> None:
    """Record that the actor printed one of the application's documents (APPLICATION_DOCUMENT_PRINTED)."""
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.APPLICATION_DOCUMENT_PRINTED,
        subject=application,
        region_code=application.region.code,
        after={"document": document},
    )


@transaction.atomic
def application_file_viewed(*, actor: Any, application: Application) -> None:
    """Record that the actor opened the case page of an application (APPLICATION_VIEWED)."""
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.APPLICATION_VIEWED,
        subject=application,
        region_code=application.region.code,
    )
