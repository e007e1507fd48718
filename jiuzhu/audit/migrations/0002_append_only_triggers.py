"""Database triggers that refuse UPDATE, DELETE (and TRUNCATE) of audit events.

See jiuzhu/audit/db_guard.py for the maintenance switch that only test settings turn on.
"""

from __future__ import annotations

from django.db import migrations

MESSAGE = "审计记录只能追加，不能修改或删除 (audit events are append-only)"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
        WHEN jiuzhu_audit_maintenance() = 0
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
        WHEN jiuzhu_audit_maintenance() = 0
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update;",
    "DROP TRIGGER IF EXISTS audit_event_no_delete;",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('jiuzhu.audit_maintenance', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_auditevent
        FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();""",
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;",
    "DROP FUNCTION IF EXISTS audit_event_append_only();",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def reverse(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, reverse)]
