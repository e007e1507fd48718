"""The embedded database really runs in WAL mode, and audit events carry the request's id."""

from __future__ import annotations

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.config.settings import base


@pytest.mark.django_db
@pytest.mark.skipif(base.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3", reason="SQLite only")
def test_sqlite_file_database_opens_in_wal_mode_with_foreign_keys(tmp_path):
    settings_dict = {**base.DATABASES["default"], "NAME": str(tmp_path / "jiuzhu.sqlite3")}
    settings_dict.setdefault("TIME_ZONE", None)
    settings_dict.setdefault("CONN_MAX_AGE", 0)
    settings_dict.setdefault("CONN_HEALTH_CHECKS", False)
    settings_dict.setdefault("AUTOCOMMIT", True)
    wrapper = DatabaseWrapper(settings_dict, alias="wal-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1
    finally:
        wrapper.close()


def test_time_zone_is_shanghai_and_datetimes_are_aware(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_TZ
    assert timezone.is_aware(timezone.now())


@pytest.mark.django_db
def test_audit_events_carry_the_request_id(client, world):
    client.force_login(world.users["coordinator_a"])
    response = client.get(
        reverse("web:household-file", kwargs={"household_id": world.household_a.pk}), HTTP_X_REQUEST_ID="req-42abc"
    )
    assert response.status_code == 200 and response["X-Request-ID"] == "req-42abc"
    viewed = AuditEvent.objects.get(event_type=AuditEventType.HOUSEHOLD_VIEWED, subject_id=world.household_a.pk)
    assert viewed.request_id == "req-42abc"
