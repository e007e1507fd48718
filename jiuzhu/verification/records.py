"""The imported records of a dataset as a Parquet file, written and read with DuckDB.

One file per dataset, sorted by the ID hash: the checks join them to the beneficiaries by that
hash. The columns are the source's fields without the name, ID numbers as `id_hash` (and
`cadre_id_hash`), money in fen, dates as dates, and `line`, the first line of the file that held
the record. Exact duplicates (every field the same) are written once and listed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

import duckdb

from jiuzhu.verification.sources import DatasetSource, FieldKind, fields_of

DUCK_TYPES = {
    FieldKind.ID_NUMBER: "VARCHAR",
    FieldKind.ACCOUNT: "VARCHAR",
    FieldKind.TEXT: "VARCHAR",
    FieldKind.DATE: "DATE",
    FieldKind.MONTH: "DATE",
    FieldKind.MONEY: "BIGINT",
    FieldKind.DECIMAL: "DECIMAL(18, 2)",
    FieldKind.CHOICE: "VARCHAR",
}
RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    source: ("line", *(field.key for field in fields_of(source) if field.key != "name")) for source in DatasetSource
}
MEMORY_LIMIT = "1GB"  # DuckDB spills to a temporary folder beyond it


@dataclass(frozen=True)
class Written:
    records: int
    duplicate_count: int
    duplicates: list[tuple[int, int]]  # (line, the line it repeats), the first `duplicates_listed`


def stored_name(key: str) -> str:
    """The Parquet column of a field: identifiers are stored as their keyed hash."""
    return "account_hash" if key == "account" else key.replace("id_number", "id_hash")


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory, spilling to a temporary folder; no extensions are
    loaded (intranets are offline: DuckDB's extension downloads would fail)."""
    connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": max(1, os.cpu_count() or 1)})
    connection.execute(f"SET temp_directory = {literal(tempfile.gettempdir())}")
    return connection


def write_records(source: str, csv_path: str, parquet_path: str, *, duplicates_listed: int = 10_000) -> Written:
    """Read the checked rows (CSV: line, then the source's columns, as `RECORD_COLUMNS`) and write
    the distinct records to `parquet_path`."""
    kinds = {field.key: field.kind for field in fields_of(source)}
    columns = RECORD_COLUMNS[source]
    types = {key: ("BIGINT" if key == "line" else DUCK_TYPES[kinds[key]]) for key in columns}
    values = [key for key in columns if key != "line"]
    quoted = ", ".join(f'"{key}"' for key in values)
    renamed = ", ".join(f'"{key}" AS "{stored_name(key)}"' for key in values)
    with connect() as db:
        if os.path.getsize(csv_path) == 0:
            db.execute(f"CREATE TABLE r ({', '.join(f'{k} {t}' for k, t in types.items())})")
        else:
            db.execute(
                "CREATE TABLE r AS SELECT * FROM read_csv(?, header = false, columns = ?, nullstr = '', quote = '\"')",
                [csv_path, types],
            )
        repeated = db.execute(
            f"SELECT line, first FROM (SELECT line, min(line) OVER (PARTITION BY {quoted}) AS first FROM r)"  # noqa: S608
            " WHERE line <> first ORDER BY line LIMIT ?",
            [duplicates_listed],
        ).fetchall()
        duplicate_total = db.execute(f"SELECT count(*) - count(DISTINCT ({quoted})) FROM r").fetchall()[0][0]  # noqa: S608
        db.execute(
            f"COPY (SELECT {renamed}, min(line) AS line FROM r GROUP BY {quoted} ORDER BY {quoted})"  # noqa: S608
            f" TO {literal(parquet_path)} (FORMAT parquet, COMPRESSION zstd)"
        )
        records = db.execute("SELECT count(*) FROM read_parquet(?)", [parquet_path]).fetchall()[0][0]
    duplicates = [(int(line), int(first)) for line, first in repeated]
    return Written(records=int(records), duplicate_count=int(duplicate_total), duplicates=duplicates)


def literal(path: str) -> str:
    """A file path as a DuckDB string literal (COPY and SET take no parameters)."""
    return "'" + path.replace("'", "''") + "'"
