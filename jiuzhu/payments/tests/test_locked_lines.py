"""A locked payroll's lines cannot be changed or deleted: the database itself refuses (triggers of
payments/migrations/0006), on SQLite and PostgreSQL, while a draft's lines stay writable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, transaction

from jiuzhu.audit import db_guard
from jiuzhu.payments.models import PayrollLine
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payroll_lock
from jiuzhu.payments.tests.conftest import FEB, STANDARD
from jiuzhu.testing.builders import COUNTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def guarded() -> Iterator[None]:
    """The guard on, as in production (test settings switch it off so tables can be flushed)."""
    db_guard.set_maintenance_override(False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jiuzhu.audit_maintenance = 'off'")
    yield
    db_guard.set_maintenance_override(None)


def test_draft_lines_change_and_locked_lines_do_not(users, cases, clock, guarded):
    draft = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    line = PayrollLine.objects.filter(payroll=draft).first()
    assert line is not None
    PayrollLine.objects.filter(pk=line.pk).update(amount_fen=STANDARD + 1)  # a draft: allowed
    PayrollLine.objects.filter(pk=line.pk).update(amount_fen=STANDARD)
    draft.refresh_from_db()
    payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)

    with pytest.raises(DatabaseError, match="immutable after lock"), transaction.atomic():
        PayrollLine.objects.filter(pk=line.pk).update(amount_fen=1)
    with pytest.raises(DatabaseError, match="immutable after lock"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM payments_payrollline WHERE payroll_id = %s", [draft.pk])
    assert PayrollLine.objects.filter(payroll=draft).count() == draft.line_count
    assert PayrollLine.objects.get(pk=line.pk).amount_fen == STANDARD
