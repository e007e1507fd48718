"""Locking (four eyes, totals checked) and recording outcomes (reconciliation)."""

import pytest
from django.db import connection

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import (
    ConflictError,
    PermissionDeniedError,
    RuleViolation,
    TransitionNotAllowed,
    ValidationFailed,
)
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, PayrollLine
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payment_outcomes_record, payroll_lock
from jiuzhu.payments.tests.conftest import FEB
from jiuzhu.testing.builders import COUNTY

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(users, cases, clock):
    return payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)


def test_finance_officer_locks_with_the_total_checked(users, draft):
    locked = payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)
    assert locked.status == PayrollStatus.LOCKED and locked.locked_by == users["finance"]
    event = AuditEvent.objects.get(event_type=AuditEventType.PAYROLL_LOCKED)
    assert event.after["total_fen"] == draft.total_fen and event.actor == users["finance"]
    with pytest.raises(TransitionNotAllowed):
        payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=locked.version)


def test_the_generator_may_not_lock_their_own_payroll(users, cases, clock):
    admin_made = payroll_generate(actor=users["admin"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    with pytest.raises(RuleViolation) as error:
        payroll_lock(actor=users["admin"], payroll_id=admin_made.pk, expected_version=admin_made.version)
    assert "生成人以外" in error.value.user_message


def test_roles_without_the_capability_cannot_lock(users, draft):
    for who in ("county_officer", "township", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            payroll_lock(actor=users[who], payroll_id=draft.pk, expected_version=draft.version)


def test_a_total_that_does_not_match_its_lines_is_refused(users, draft):
    # A line changed behind the services' back after generation finished.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE payments_payrollline SET amount_fen = amount_fen + 1 WHERE id = %s",
            [PayrollLine.objects.filter(payroll=draft).first().pk],
        )
    with pytest.raises(ConflictError) as error:
        payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)
    assert "不符" in error.value.user_message
    draft.refresh_from_db()
    assert draft.status == PayrollStatus.DRAFT


def test_outcomes_reconcile_the_payroll_when_every_line_has_one(users, draft):
    with pytest.raises(TransitionNotAllowed):  # a draft has no outcomes
        payment_outcomes_record(actor=users["finance"], payroll_id=draft.pk, outcomes={})
    locked = payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)
    ids = list(PayrollLine.objects.filter(payroll=locked).order_by("pk").values_list("pk", flat=True))
    first = payment_outcomes_record(
        actor=users["finance"], payroll_id=locked.pk, outcomes={pk: ("paid", "") for pk in ids[:5]}
    )
    assert first.status == PayrollStatus.LOCKED
    with pytest.raises(ValidationFailed) as error:
        payment_outcomes_record(
            actor=users["finance"],
            payroll_id=locked.pk,
            outcomes={ids[0]: ("paid", ""), ids[5]: ("failed", " "), 999_999: ("paid", "")},
        )
    message = error.value.user_message
    assert "已登记过" in message and "须写明原因" in message and "不在本名册" in message
    assert PaymentOutcome.objects.count() == 5  # nothing of the refused batch was kept
    done = payment_outcomes_record(
        actor=users["finance"],
        payroll_id=locked.pk,
        outcomes={ids[5]: ("failed", "户名与账号不符"), ids[6]: ("paid", "")},
    )
    assert done.status == PayrollStatus.RECONCILED
    assert AuditEvent.objects.filter(event_type=AuditEventType.PAYROLL_RECONCILED, subject_id=locked.pk).exists()
