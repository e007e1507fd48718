"""Writing many rows fast: one parametrised statement run with `executemany`.

Django's `bulk_update` builds a CASE WHEN per field and row (milliseconds a row for a wide model)
and `bulk_create` compiles every value of every row; batch services that write thousands of rows a
second (the yearly review of a whole county) use these instead. Values are prepared by each field
exactly as `save()` prepares them (`get_db_prep_save`), so JSON, dates and foreign keys are stored
the same way. No signals, no `auto_now`: callers give every value they write (or a `defaults`
instance, whose values are prepared once for all rows).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field, Model

# Fields whose int, str, bool or None values go to the database as they are on every backend
# (`get_db_prep_save` would return them unchanged, at some cost per value: thousands of rows a call).
_PLAIN_FIELDS = frozenset(
    {
        "AutoField", "BigAutoField", "SmallAutoField", "BigIntegerField", "IntegerField", "SmallIntegerField",
        "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "CharField",
        "TextField", "BooleanField", "ForeignKey",
    }
)  # fmt: skip
_PLAIN_VALUES = (int, str, bool, type(None))


def _preparer(field: Field[Any, Any]) -> Callable[[Any], Any]:
    """How one column's values are prepared, decided once per call (not once per value)."""
    prepare = field.get_db_prep_save
    if field.get_internal_type() in _PLAIN_FIELDS:
        return lambda value: value if type(value) in _PLAIN_VALUES else prepare(value, connection)
    return lambda value: prepare(value, connection)


def _prepare(field: Field[Any, Any], value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def update_rows(model: type[Model], fields: Sequence[str], values_by_pk: Mapping[Any, Sequence[Any]]) -> int:
    """Set `fields` (field names) of each row to its values, by primary key; returns the row count."""
    if not values_by_pk:
        return 0
    meta = model._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    columns = [by_name[name] for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    preparers = [_preparer(column) for column in columns]
    rows = [
        [prepare(value) for prepare, value in zip(preparers, values, strict=True)] + [pk]
        for pk, values in values_by_pk.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]], *, defaults: Model | None = None) -> int:
    """Insert one row per mapping of field attname (`actor_id` for a foreign key) to value; every row
    has the same keys. With `defaults`, every other concrete field (but an automatic primary key)
    takes that instance's value, prepared once. Returns the row count; new ids are not read back."""
    if not rows:
        return 0
    meta = model._meta
    names = list(rows[0])
    by_attname = {field.attname: field for field in meta.concrete_fields}
    columns = [by_attname[name] for name in names]
    fixed: list[tuple[Field[Any, Any], Any]] = []
    if defaults is not None:
        for field in meta.concrete_fields:
            if field.attname in names or (field.primary_key and getattr(defaults, field.attname) is None):
                continue
            fixed.append((field, _prepare(field, field.pre_save(defaults, True))))
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(column.column) for column in [*columns, *(field for field, _value in fixed)])
    placeholders = ", ".join(["%s"] * (len(columns) + len(fixed)))
    sql = f"INSERT INTO {quote(meta.db_table)} ({column_list}) VALUES ({placeholders})"  # noqa: S608
    tail = [value for _field, value in fixed]
    preparers = [_preparer(column) for column in columns]
    values = [[prepare(row[name]) for name, prepare in zip(names, preparers, strict=True)] + tail for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    return len(values)
