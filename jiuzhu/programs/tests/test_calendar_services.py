"""Local working-day corrections: services, the calendar selector, the missing-years warning."""

from __future__ import annotations

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.programs.models import WorkingDayCorrection
from jiuzhu.programs.rules.working_days import add_working_days
from jiuzhu.programs.selectors import calendar_years_missing_official_data, working_calendar_get
from jiuzhu.programs.services.calendar import working_day_correction_remove, working_day_correction_set

pytestmark = pytest.mark.django_db
d = datetime.date


def test_a_correction_changes_deadlines_and_is_audited(users):
    admin = users["admin"]
    assert add_working_days(d(2012, 4, 27), 3, working_calendar_get()) == d(2012, 5, 3)
    correction = working_day_correction_set(actor=admin, day=d(2012, 5, 2), is_working_day=False, note="县庆放假")
    assert add_working_days(d(2012, 4, 27), 3, working_calendar_get()) == d(2012, 5, 4)
    event = AuditEvent.objects.get(event_type=AuditEventType.WORKING_DAY_CORRECTION_SET)
    assert (event.subject_id, event.before, event.after) == (
        correction.pk,
        {},
        {"day": "2012-05-02", "is_working_day": False, "note": "县庆放假"},
    )

    again = working_day_correction_set(actor=admin, day=d(2012, 5, 2), is_working_day=True, note="取消")
    assert again.pk == correction.pk and again.version == 2
    changed = AuditEvent.objects.filter(event_type=AuditEventType.WORKING_DAY_CORRECTION_SET).latest("id")
    assert changed.before == {"is_working_day": False, "note": "县庆放假"}
    assert changed.after == {"is_working_day": True, "note": "取消", "day": "2012-05-02"}

    working_day_correction_remove(actor=admin, correction_id=correction.pk, reason="录入错误")
    assert not WorkingDayCorrection.objects.exists()
    removed = AuditEvent.objects.get(event_type=AuditEventType.WORKING_DAY_CORRECTION_REMOVED)
    assert removed.before["day"] == "2012-05-02" and removed.reason == "录入错误"
    assert add_working_days(d(2012, 4, 27), 3, working_calendar_get()) == d(2012, 5, 3)


def test_only_administrators_correct_the_calendar_and_a_note_is_required(users):
    for role in ("county_approver", "county_officer", "coordinator_a"):
        with pytest.raises(PermissionDeniedError):
            working_day_correction_set(actor=users[role], day=d(2027, 1, 1), is_working_day=False, note="元旦")
    with pytest.raises(ValidationFailed) as caught:
        working_day_correction_set(actor=users["admin"], day=d(2027, 1, 1), is_working_day=False, note=" ")
    assert list(caught.value.field_errors) == ["note"]
    with pytest.raises(NotFoundOrNoAccess):
        working_day_correction_remove(actor=users["admin"], correction_id=999, reason="x")
    assert not WorkingDayCorrection.objects.exists() and not AuditEvent.objects.exists()


def test_years_without_official_data_are_reported_until_entered(users):
    assert calendar_years_missing_official_data(today=d(2026, 11, 28)) == [2027]
    assert calendar_years_missing_official_data(today=d(2012, 6, 1)) == []
    working_day_correction_set(
        actor=users["admin"], day=d(2027, 1, 1), is_working_day=False, note="国办发明电〔2026〕号"
    )
    assert calendar_years_missing_official_data(today=d(2026, 11, 28)) == []
    assert calendar_years_missing_official_data(today=d(2026, 11, 28), years_ahead=2) == [2028]
