"""Database triggers that refuse UPDATE and DELETE of a payroll's lines once the payroll is locked
(locked, exported or reconciled): corrections are new lines in a later payroll (ADR-008). The
services already refuse; the triggers make the rule hold for anything else that writes to the table.

The maintenance switch of the audit triggers (jiuzhu/audit/db_guard.py, on in test settings only, so
the test runner can flush tables) lets the same statements through. A later migration that makes
SQLite rebuild this table drops its triggers: `payments/tests/test_locked_lines.py` would fail.
"""

from __future__ import annotations

from django.db import migrations

MESSAGE = "已锁定的发放名册明细不能修改或删除，更正请在以后的名册中补发或追回 (payroll lines are immutable after lock)"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER payroll_line_locked_no_{op.lower()} BEFORE {op} ON payments_payrollline
        WHEN jiuzhu_audit_maintenance() = 0
         AND (SELECT status FROM payments_payroll WHERE id = OLD.payroll_id) <> 'draft'
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS payroll_line_locked_no_update;",
    "DROP TRIGGER IF EXISTS payroll_line_locked_no_delete;",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION payroll_line_locked_guard() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('jiuzhu.audit_maintenance', true), '') <> 'on'
           AND (SELECT status FROM payments_payroll WHERE id = OLD.payroll_id) <> 'draft' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER payroll_line_locked_guard BEFORE UPDATE OR DELETE ON payments_payrollline
        FOR EACH ROW EXECUTE FUNCTION payroll_line_locked_guard();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS payroll_line_locked_guard ON payments_payrollline;",
    "DROP FUNCTION IF EXISTS payroll_line_locked_guard();",
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
    dependencies = [("payments", "0005_copies_without_constraint"), ("audit", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forward, reverse)]
