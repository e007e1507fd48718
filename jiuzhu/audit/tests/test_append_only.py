"""Audit events cannot be changed or deleted: the database itself refuses, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from jiuzhu.audit import db_guard
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded() -> Iterator[None]:
    """Turn the guard on as in production (test settings switch it off so tables can be flushed)."""
    db_guard.set_maintenance_override(False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jiuzhu.audit_maintenance = 'off'")
    yield
    db_guard.set_maintenance_override(None)


def _event() -> AuditEvent:
    return audit_event_record(
        actor=None,
        event_type=AuditEventType.HOUSEHOLD_VIEWED,
        subject_type="registry.household",
        subject_id=1,
        reason="原因",
    )


def test_update_is_refused_by_the_database(guarded):
    event = _event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="篡改")
    event.refresh_from_db()
    assert event.reason == "原因"


def test_delete_is_refused_by_the_database(guarded):
    event = _event()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_is_refused_too(guarded):
    event = _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["x", event.pk])
    event.refresh_from_db()
    assert event.reason == "原因"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_truncate_is_refused_on_postgresql(guarded):
    _event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


def test_inserts_still_work_under_the_guard(guarded):
    _event()
    _event()
    assert AuditEvent.objects.count() == 2


def test_without_the_guard_the_same_update_goes_through():
    """The passing case: proves the refusals above come from the guard, not from something else."""
    event = _event()
    AuditEvent.objects.filter(pk=event.pk).update(reason="维护")
    event.refresh_from_db()
    assert event.reason == "维护"
