"""The tables the checks read (`verification.checks`), built for one region in a DuckDB connection.

From the database, with one streamed query each (written to a temporary CSV file that DuckDB
reads: DuckDB's own database connectors are extensions that intranets cannot download):
`cases` (the cases in force, with their policy thresholds), `members`, `accounts`. From the
imported datasets: `ext_<source>`, the latest imported dataset of each source whose region covers
the swept region (its own, or a region above it), read from its Parquet file.
"""

from __future__ import annotations

import csv
import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
from django.core.files.storage import default_storage
from django.db import connection

from jiuzhu.cases.models import CadreFiling, Entitlement
from jiuzhu.payments.models import PayrollLine
from jiuzhu.payments.scope import code_range
from jiuzhu.programs.models import PolicyVersion, Program
from jiuzhu.programs.rules.policy import PolicyError
from jiuzhu.programs.rules.resolution import PolicyRow, ancestor_codes, latest_versions, resolve_policy
from jiuzhu.regions.models import Region
from jiuzhu.registry.models import Household, MembershipPeriod, Person
from jiuzhu.verification.checks import EXCLUSIVE_PROGRAMS
from jiuzhu.verification.models import DatasetStatus, ExternalDataset
from jiuzhu.verification.records import DUCK_TYPES, literal, stored_name
from jiuzhu.verification.sources import DatasetSource, fields_of

IN_FORCE = ("active", "exiting")
CASE_COLUMNS = {
    "entitlement_id": "BIGINT", "household_id": "BIGINT", "application_id": "BIGINT", "program": "VARCHAR",
    "program_name": "VARCHAR", "region_code": "VARCHAR", "members": "INTEGER", "last_paid_month": "DATE",
    "cadre_filed": "BOOLEAN",
}  # fmt: skip
THRESHOLD_COLUMNS = {
    "standard_fen": "BIGINT", "deposit_limit_months": "INTEGER", "max_dwellings": "INTEGER",
    "vehicles_allowed": "BOOLEAN", "businesses_allowed": "BOOLEAN",
}  # fmt: skip
MEMBER_COLUMNS = {"person_id": "BIGINT", "household_id": "BIGINT", "id_hash": "VARCHAR", "name": "VARCHAR",
                  "birth_date": "DATE"}  # fmt: skip
ACCOUNT_COLUMNS = {"household_id": "BIGINT", "account_digest": "VARCHAR"}


@dataclass(frozen=True)
class Snapshot:
    cases: int
    members: int
    datasets: dict[str, int]  # source -> the dataset read


def _q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _export(sql: str, params: Sequence[Any], path: str) -> int:
    """Stream a query's rows into a CSV file (NULL as empty); the number of rows."""
    rows = 0
    with open(path, "w", newline="", encoding="utf-8") as out, connection.chunked_cursor() as cursor:
        writer = csv.writer(out)
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            writer.writerows(["" if value is None else _plain(value) for value in row] for row in batch)
            rows += len(batch)
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _load(db: duckdb.DuckDBPyConnection, table: str, path: str, columns: dict[str, str]) -> None:
    if os.path.getsize(path) == 0:
        db.execute(f"CREATE TABLE {table} ({', '.join(f'{k} {t}' for k, t in columns.items())})")
        return
    db.execute(
        f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = false, columns = ?, nullstr = '')",  # noqa: S608
        [path, columns],
    )


def build(db: duckdb.DuckDBPyConnection, *, region_code: str, today: datetime.date, work: str) -> Snapshot:
    low, high = code_range(region_code)
    region_ids = f"SELECT id FROM {_q(Region)} WHERE code >= %s AND code < %s"  # noqa: S608
    membership, line, filing = _q(MembershipPeriod), _q(PayrollLine), _q(CadreFiling)
    in_force = ", ".join("%s" for _ in IN_FORCE)
    cases_sql = (
        "SELECT e.id, e.household_id, e.application_id, p.code, p.name, r.code,"  # noqa: S608 - table names
        f" (SELECT count(*) FROM {membership} mp WHERE mp.household_id = e.household_id AND mp.ended_on IS NULL),"
        f" (SELECT max(l.month) FROM {line} l WHERE l.entitlement_id = e.id),"
        f" CASE WHEN EXISTS (SELECT 1 FROM {filing} f WHERE f.application_id = e.application_id) THEN 1 ELSE 0 END"
        f" FROM {_q(Entitlement)} e JOIN {_q(Program)} p ON p.id = e.program_id"
        f" JOIN {_q(Region)} r ON r.id = e.region_id"
        f" WHERE e.status IN ({in_force}) AND e.region_id IN ({region_ids})"
    )
    cases_path = os.path.join(work, "cases.csv")
    count = _export(cases_sql, [*IN_FORCE, low, high], cases_path)
    _load(db, "cases_raw", cases_path, {**CASE_COLUMNS, "cadre_filed": "INTEGER"})
    _thresholds(db, today)
    db.execute(
        "CREATE TABLE cases AS SELECT c.* EXCLUDE (cadre_filed), c.cadre_filed = 1 AS cadre_filed,"
        " t.* EXCLUDE (program, region_code) FROM cases_raw c LEFT JOIN thresholds t USING (program, region_code)"
    )
    households = (
        f"SELECT e.household_id FROM {_q(Entitlement)} e WHERE e.status IN ({in_force})"  # noqa: S608
        f" AND e.region_id IN ({region_ids})"
    )
    members_path = os.path.join(work, "members.csv")
    members = _export(
        f"SELECT p.id, mp.household_id, p.id_number_digest, p.name, p.birth_date FROM {membership} mp"  # noqa: S608
        f" JOIN {_q(Person)} p ON p.id = mp.person_id WHERE mp.ended_on IS NULL AND mp.household_id IN ({households})",
        [*IN_FORCE, low, high],
        members_path,
    )
    _load(db, "members", members_path, MEMBER_COLUMNS)
    accounts_path = os.path.join(work, "accounts.csv")
    _export(
        f"SELECT h.id, h.account_number_digest FROM {_q(Household)} h"  # noqa: S608
        f" WHERE h.account_number_digest <> '' AND h.id IN ({households})",
        [*IN_FORCE, low, high],
        accounts_path,
    )
    _load(db, "accounts", accounts_path, ACCOUNT_COLUMNS)
    db.execute("CREATE TABLE exclusive_programs (a VARCHAR, b VARCHAR)")
    db.executemany("INSERT INTO exclusive_programs VALUES (?, ?)", [list(pair) for pair in EXCLUSIVE_PROGRAMS])
    datasets = _external(db, region_code)
    return Snapshot(cases=count, members=members, datasets=datasets)


def _thresholds(db: duckdb.DuckDBPyConnection, today: datetime.date) -> None:
    """The policy thresholds of each (programme, region) of the cases: the versions are read once and
    resolved per region (a province has tens of thousands of villages, most sharing a county's)."""
    pairs = db.execute("SELECT DISTINCT program, region_code FROM cases_raw").fetchall()
    programs = {program for program, _region in pairs}
    rows: dict[str, list[PolicyRow]] = {}
    for program, pk, code, effective_from, params in PolicyVersion.objects.filter(
        program__code__in=programs
    ).values_list("program__code", "pk", "region__code", "effective_from", "params"):
        rows.setdefault(program, []).append(
            PolicyRow(version_id=pk, region_code=code, effective_from=effective_from, params=params)
        )
    resolved: dict[tuple[str, tuple[int, ...]], tuple[Any, ...]] = {}
    values = []
    for program, region in pairs:
        chain = [row for row in rows.get(program, []) if row.region_code in ancestor_codes(region)]
        key = (program, tuple(sorted(row.version_id for row in latest_versions(chain, today).values())))
        if key not in resolved:
            try:
                policy = resolve_policy(region, today, chain).policy()
                resolved[key] = (
                    policy.standard_fen, policy.deposit_limit_months, policy.max_dwellings,
                    policy.vehicles_allowed, policy.businesses_allowed,
                )  # fmt: skip
            except PolicyError:  # no complete dibao policy here (another programme): those checks skip it
                resolved[key] = (None, None, None, None, None)
        values.append([program, region, *resolved[key]])
    columns = {"program": "VARCHAR", "region_code": "VARCHAR", **THRESHOLD_COLUMNS}
    db.execute(f"CREATE TABLE thresholds ({', '.join(f'{k} {t}' for k, t in columns.items())})")
    if values:
        marks = ", ".join("?" for _ in columns)
        db.executemany(f"INSERT INTO thresholds VALUES ({marks})", values)  # noqa: S608 - placeholders only


def latest_datasets(region_code: str) -> dict[str, ExternalDataset]:
    """Per source, the latest imported dataset covering the region (its own or a region above it)."""
    latest: dict[str, ExternalDataset] = {}
    for dataset in ExternalDataset.objects.filter(
        status=DatasetStatus.IMPORTED, region__code__in=ancestor_codes(region_code)
    ).order_by("source", "-as_of", "-pk"):
        latest.setdefault(dataset.source, dataset)
    return latest


def _external(db: duckdb.DuckDBPyConnection, region_code: str) -> dict[str, int]:
    found = latest_datasets(region_code)
    for source in DatasetSource:
        dataset = found.get(source)
        if dataset is not None and dataset.records_file:
            path = default_storage.path(dataset.records_file)
            db.execute(f"CREATE VIEW ext_{source.value} AS SELECT * FROM read_parquet({literal(path)})")  # noqa: S608
            continue
        columns = [
            f"{stored_name(field.key)} {DUCK_TYPES[field.kind]}" for field in fields_of(source) if field.key != "name"
        ]
        db.execute(f"CREATE TABLE ext_{source.value} ({', '.join([*columns, 'line BIGINT'])})")
    return {source: dataset.pk for source, dataset in found.items()}
