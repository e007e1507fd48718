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
from django.db.models import Max

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
    "entitlement_id": "BIGINT", "household_id": "BIGINT", "application_id": "BIGINT", "program_id": "BIGINT",
    "region_id": "BIGINT",
}  # fmt: skip
THRESHOLD_COLUMNS = {
    "standard_fen": "BIGINT", "deposit_limit_months": "INTEGER", "max_dwellings": "INTEGER",
    "vehicles_allowed": "BOOLEAN", "businesses_allowed": "BOOLEAN",
}  # fmt: skip
MEMBER_COLUMNS = {"person_id": "BIGINT", "household_id": "BIGINT", "id_hash": "VARCHAR"}
LOOKALIKE_COLUMNS = {**MEMBER_COLUMNS, "name": "VARCHAR", "birth_date": "DATE"}
ACCOUNT_COLUMNS = {"household_id": "BIGINT", "account_digest": "VARCHAR"}


@dataclass(frozen=True)
class Snapshot:
    cases: int
    members: int
    datasets: dict[str, int]  # source -> the dataset read


def _q(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _export(sql: str, params: Sequence[Any], path: str, *, plain: Sequence[str] = ()) -> int:
    """Stream a query's rows into a CSV file (NULL as empty); the number of rows. PostgreSQL writes
    the CSV itself (COPY … TO STDOUT). SQLite joins the fields of each row itself when the query's
    columns (named `plain`) hold only numbers and hex digests, which need no quoting: a Python
    driver's cost is per value fetched, and one text per row halves it. Otherwise the csv module
    writes each fetched batch whole."""
    rows = 0
    if connection.vendor == "sqlite" and plain:
        joined = " || ',' || ".join(f"coalesce(CAST({name} AS TEXT), '')" for name in plain)
        with open(path, "w", encoding="utf-8") as out, connection.chunked_cursor() as cursor:
            cursor.execute(f"SELECT {joined} FROM ({sql})", params)  # noqa: S608 - our own query and names
            while batch := cursor.fetchmany(50_000):
                out.write("\n".join(row[0] for row in batch))
                out.write("\n")
                rows += len(batch)
        return rows
    if connection.vendor == "postgresql":
        with open(path, "wb") as out, connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for data in copy:
                    out.write(data)
                    rows += bytes(data).count(b"\n")
        return rows
    with open(path, "w", newline="", encoding="utf-8") as out, connection.chunked_cursor() as cursor:
        writer = csv.writer(out)
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            writer.writerows(batch)  # None is written as an empty field, dates as ISO dates
            rows += len(batch)
    return rows


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
    membership, person = _q(MembershipPeriod), _q(Person)
    in_force = ", ".join("%s" for _ in IN_FORCE)
    scope = [*IN_FORCE, low, high]
    cases_sql = (
        "SELECT e.id AS entitlement_id, e.household_id, e.application_id, e.program_id, e.region_id"  # noqa: S608
        f" FROM {_q(Entitlement)} e WHERE e.status IN ({in_force}) AND e.region_id IN ({region_ids})"
    )
    count = _table(db, "cases_raw", cases_sql, scope, work, CASE_COLUMNS, plain=True)
    households = (
        f"SELECT e.household_id FROM {_q(Entitlement)} e WHERE e.status IN ({in_force})"  # noqa: S608
        f" AND e.region_id IN ({region_ids})"
    )
    members = _table(
        db, "members",
        f"SELECT mp.person_id, mp.household_id, p.id_number_digest AS id_hash FROM {membership} mp"  # noqa: S608
        f" JOIN {person} p ON p.id = mp.person_id WHERE mp.ended_on IS NULL AND mp.household_id IN ({households})",
        scope, work, MEMBER_COLUMNS, plain=True,
    )  # fmt: skip
    # Name and birth date only of members without an ID number and of those who share both with one
    # (the duplicate check); the names in explanations are read for the findings alone (`names_of`).
    unnamed = db.execute("SELECT count(*) FROM members WHERE id_hash IS NULL").fetchall()[0][0]
    lookalikes = (
        f"SELECT mp.person_id, mp.household_id, p.id_number_digest, p.name, p.birth_date FROM {membership} mp"  # noqa: S608
        f" JOIN {person} p ON p.id = mp.person_id WHERE mp.ended_on IS NULL AND mp.household_id IN ({households})"
        f" AND p.name || '|' || p.birth_date IN (SELECT name || '|' || birth_date FROM {person}"
        " WHERE id_number_digest IS NULL)"
    )
    _table(db, "lookalikes", lookalikes if unnamed else "", scope, work, LOOKALIKE_COLUMNS)
    # Accounts only where two households share one (the shared-account check), kept for the households
    # swept (filtered here: a list of a province's households in the query would cost more than the scan).
    shared = (
        f"SELECT account_number_digest FROM {_q(Household)} WHERE account_number_digest <> ''"  # noqa: S608
        " GROUP BY account_number_digest HAVING count(*) > 1"
    )
    _table(
        db, "accounts",
        f"SELECT h.id AS household_id, h.account_number_digest AS account_digest FROM {_q(Household)} h"  # noqa: S608
        f" WHERE h.account_number_digest IN ({shared})",
        [], work, ACCOUNT_COLUMNS, plain=True,
    )  # fmt: skip
    db.execute("DELETE FROM accounts WHERE household_id NOT IN (SELECT household_id FROM cases_raw)")
    filings = f"SELECT application_id FROM {_q(CadreFiling)}"  # noqa: S608
    _table(db, "filings", filings, [], work, {"application_id": "BIGINT"}, plain=True)
    _names(db)
    _thresholds(db, today, work)
    _cases(db)
    datasets = _external(db, region_code)
    return Snapshot(cases=count, members=members, datasets=datasets)


def _cases(db: duckdb.DuckDBPyConnection) -> None:
    """`cases` from `cases_raw`, the programmes, the thresholds and the member counts."""
    db.execute(
        "CREATE TABLE cases AS SELECT c.entitlement_id, c.household_id, c.application_id, c.region_id, n.program,"
        " n.program_name, coalesce(m.members, 0) AS members,"
        " c.application_id IN (SELECT application_id FROM filings) AS cadre_filed, t.* EXCLUDE (program_id, region_id)"
        " FROM cases_raw c JOIN programs n USING (program_id)"
        " LEFT JOIN thresholds t USING (program_id, region_id)"
        " LEFT JOIN (SELECT household_id, count(*) AS members FROM members GROUP BY household_id) m"
        " USING (household_id)"
    )
    db.execute("CREATE TABLE exclusive_programs (a VARCHAR, b VARCHAR)")
    db.executemany("INSERT INTO exclusive_programs VALUES (?, ?)", [list(pair) for pair in EXCLUSIVE_PROGRAMS])


def _names(db: duckdb.DuckDBPyConnection) -> None:
    """Programme codes and names (a handful of rows)."""
    db.execute("CREATE TABLE programs (program_id BIGINT, program VARCHAR, program_name VARCHAR)")
    rows = [list(row) for row in Program.objects.values_list("pk", "code", "name")]
    if rows:
        db.executemany("INSERT INTO programs VALUES (?, ?, ?)", rows)


def _table(
    db: duckdb.DuckDBPyConnection, name: str, sql: str, params: Sequence[Any], work: str, columns: dict[str, str],
    *, plain: bool = False,
) -> int:  # fmt: skip
    """`plain`: the query names its columns as `columns` does and they hold numbers and digests only."""
    path = os.path.join(work, f"{name}.csv")
    if sql:
        rows = _export(sql, params, path, plain=list(columns) if plain else ())
    else:  # nothing to read: an empty table
        open(path, "w").close()
        rows = 0
    _load(db, name, path, columns)
    return rows


def names_of(person_ids: set[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    ids = sorted(person_ids)
    for start in range(0, len(ids), 5000):
        names.update(Person.objects.filter(pk__in=ids[start : start + 5000]).values_list("pk", "name"))
    return names


def last_paid_months(entitlement_ids: set[int]) -> dict[int, datetime.date]:
    """The latest month a payroll line pays each case (read for the findings that name it)."""
    months: dict[int, datetime.date] = {}
    ids = sorted(entitlement_ids)
    for start in range(0, len(ids), 5000):
        months.update(
            PayrollLine.objects.filter(entitlement_id__in=ids[start : start + 5000])
            .values("entitlement_id")
            .annotate(last=Max("month"))
            .values_list("entitlement_id", "last")
        )
    return months


def _thresholds(db: duckdb.DuckDBPyConnection, today: datetime.date, work: str) -> None:
    """The policy thresholds of each (programme, region) of the cases: the versions are read once and
    resolved per region (a province has tens of thousands of villages, most sharing a county's)."""
    pairs = db.execute("SELECT DISTINCT program_id, region_id FROM cases_raw").fetchall()
    codes = dict(Region.objects.filter(pk__in={region for _p, region in pairs}).values_list("pk", "code"))
    rows: dict[int, list[PolicyRow]] = {}
    for program, pk, code, effective_from, params in PolicyVersion.objects.filter(
        program_id__in={program for program, _r in pairs}
    ).values_list("program_id", "pk", "region__code", "effective_from", "params"):
        rows.setdefault(program, []).append(
            PolicyRow(version_id=pk, region_code=code, effective_from=effective_from, params=params)
        )
    resolved: dict[tuple[int, tuple[int, ...]], tuple[Any, ...]] = {}
    path = os.path.join(work, "thresholds.csv")
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        for program, region in pairs:
            code = codes[region]
            chain = [row for row in rows.get(program, []) if row.region_code in ancestor_codes(code)]
            key = (program, tuple(sorted(row.version_id for row in latest_versions(chain, today).values())))
            if key not in resolved:
                try:
                    policy = resolve_policy(code, today, chain).policy()
                    resolved[key] = (
                        policy.standard_fen, policy.deposit_limit_months, policy.max_dwellings,
                        policy.vehicles_allowed, policy.businesses_allowed,
                    )  # fmt: skip
                except PolicyError:  # no complete dibao policy here (another programme): those checks skip it
                    resolved[key] = (None, None, None, None, None)
            writer.writerow([program, region, *resolved[key]])
    _load(db, "thresholds", path, {"program_id": "BIGINT", "region_id": "BIGINT", **THRESHOLD_COLUMNS})


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
            # Only the records that name a member are kept (one hash join per file); the checks then
            # work on those.
            path = default_storage.path(dataset.records_file)
            db.execute(
                f"CREATE TABLE ext_{source.value} AS SELECT e.* FROM read_parquet({literal(path)}) e"  # noqa: S608
                " SEMI JOIN members m ON m.id_hash = e.id_hash"
            )
            continue
        columns = [
            f"{stored_name(field.key)} {DUCK_TYPES[field.kind]}" for field in fields_of(source) if field.key != "name"
        ]
        db.execute(f"CREATE TABLE ext_{source.value} ({', '.join([*columns, 'line BIGINT'])})")
    return {source: dataset.pk for source, dataset in found.items()}


def build_for_application(
    db: duckdb.DuckDBPyConnection, *, application: Any, today: datetime.date, work: str
) -> Snapshot:
    """The same tables for one applicant household (the verification step of an application): the
    application as a case (entitlement 0), with the household's cases in force and those of the
    households that share its bank account; the household's members; the latest agency records
    covering the application's region. The caller keeps the findings of this household only."""
    household_id = application.household_id
    membership, person, household = _q(MembershipPeriod), _q(Person), _q(Household)
    in_force = ", ".join("%s" for _ in IN_FORCE)
    sharing = (
        f"SELECT o.id FROM {household} o JOIN {household} h ON h.account_number_digest = o.account_number_digest"  # noqa: S608
        " WHERE h.id = %s AND h.account_number_digest <> ''"
    )
    others = (
        "SELECT e.id, e.household_id, e.application_id, e.program_id, e.region_id"  # noqa: S608 - table names
        f" FROM {_q(Entitlement)} e WHERE e.status IN ({in_force})"
        f" AND (e.household_id = %s OR e.household_id IN ({sharing}))"
    )
    path = os.path.join(work, "cases_raw.csv")
    rows = _export(others, [*IN_FORCE, household_id, household_id], path)
    with open(path, "a", newline="", encoding="utf-8") as out:
        csv.writer(out).writerow([0, household_id, application.pk, application.program_id, application.region_id])
    _load(db, "cases_raw", path, CASE_COLUMNS)
    households_sql = "SELECT DISTINCT household_id FROM cases_raw"
    ids = [row[0] for row in db.execute(households_sql).fetchall()]
    marks = ", ".join("%s" for _ in ids)
    members = _table(
        db, "members",
        f"SELECT mp.person_id, mp.household_id, p.id_number_digest FROM {membership} mp"  # noqa: S608
        f" JOIN {person} p ON p.id = mp.person_id WHERE mp.ended_on IS NULL AND mp.household_id IN ({marks})",
        ids, work, MEMBER_COLUMNS,
    )  # fmt: skip
    # Anyone registered under the name and birth date of a member of this household without an ID
    # number (or the other way round), in a household with a case in force.
    _table(
        db, "lookalikes",
        f"SELECT mp.person_id, mp.household_id, p.id_number_digest, p.name, p.birth_date FROM {membership} mp"  # noqa: S608
        f" JOIN {person} p ON p.id = mp.person_id WHERE mp.ended_on IS NULL AND (mp.household_id = %s OR"
        f" (mp.household_id IN (SELECT household_id FROM {_q(Entitlement)} WHERE status IN ({in_force}))"
        f" AND p.name || '|' || p.birth_date IN (SELECT q.name || '|' || q.birth_date FROM {person} q"
        f" JOIN {membership} qm ON qm.person_id = q.id AND qm.ended_on IS NULL WHERE qm.household_id = %s)))",
        [household_id, *IN_FORCE, household_id], work, LOOKALIKE_COLUMNS,
    )  # fmt: skip
    _table(
        db, "accounts",
        f"SELECT h.id, h.account_number_digest FROM {household} h WHERE h.account_number_digest <> ''"  # noqa: S608
        f" AND h.id IN ({marks})",
        ids, work, ACCOUNT_COLUMNS,
    )  # fmt: skip
    _table(db, "filings", f"SELECT application_id FROM {_q(CadreFiling)}", [], work, {"application_id": "BIGINT"})  # noqa: S608
    _names(db)
    _thresholds(db, today, work)
    _cases(db)
    datasets = _external(db, application.region.code)
    return Snapshot(cases=rows + 1, members=members, datasets=datasets)
