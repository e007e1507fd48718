"""Reads of the audit trail."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jiuzhu.audit.models import AuditEvent


def audit_events_for_subjects(*, subjects: list[tuple[str, int]]) -> QuerySet[AuditEvent]:
    """Events of the given (subject_type, subject_id) pairs, newest first.

    Callers have already checked access to the subjects (e.g. the household file).
    """
    condition = Q(pk__in=[])
    for subject_type, subject_id in subjects:
        condition |= Q(subject_type=subject_type, subject_id=subject_id)
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-occurred_at", "-id")
