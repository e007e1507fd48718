"""Database-level guard for the audit table.

SQLite triggers call `jiuzhu_audit_maintenance()`, registered here on every connection; it
returns 1 only when settings.JIUZHU_AUDIT_MAINTENANCE is on (test settings, so the test runner
can flush tables between tests). PostgreSQL triggers read the `jiuzhu.audit_maintenance` setting,
which only the test settings pass at connection time. Production has neither, so every UPDATE,
DELETE or TRUNCATE of audit rows fails in the database itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.backends.signals import connection_created

_override: bool | None = None


def maintenance_allowed() -> bool:
    if _override is not None:
        return _override
    return bool(getattr(settings, "JIUZHU_AUDIT_MAINTENANCE", False))


def set_maintenance_override(value: bool | None) -> None:
    """Tests only: force the SQLite guard on (False) or restore the settings value (None)."""
    global _override
    _override = value


def _register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("jiuzhu_audit_maintenance", 0, lambda: 1 if maintenance_allowed() else 0)


def connect() -> None:
    connection_created.connect(_register_sqlite_function, dispatch_uid="jiuzhu_audit_guard")
