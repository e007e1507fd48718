#!/usr/bin/env python3
"""Cross-check benchmark: the sweep over N beneficiary households against 10 million agency records.

    .venv/bin/python benchmarks/verification.py [--households 1000000] [--external 10000000]
    .venv/bin/python benchmarks/verification.py --reuse FOLDER     # a folder kept by benchmarks/payroll.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/verification.py

Set-up (not timed): the households, persons and benefits in force of `benchmarks/payroll.py`'s set-up
(the demo generator over 开江县, about 2.2 persons a household), and, per agency source, records in
the Parquet form an import leaves (`verification.records`) with the dataset rows that point to them:
10 million in all, about 1 % of them naming a beneficiary, the rest other people.

Timed: `sweep_run` for the county — the cases, members and accounts read from the database into
DuckDB, every check, the flags written. The floor is the bare minimum of the same work in the same
engine: the persons' ID hashes read from the database the same way, and a hash join of them with
the ID hashes of every agency record. The last line is machine-readable:

    verification households=N persons=P external=E flags=F sweep_s=… floor_s=… ratio=… peak_mb=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import payroll as base

# Records per source, in proportion to what a county's agencies hold (10 million in all by default).
SHARES = {
    "hukou": 0.05, "vehicle": 0.12, "real_estate": 0.15, "business": 0.06, "tax_wages": 0.25,
    "social_insurance": 0.20, "housing_fund": 0.05, "deposits": 0.10, "cadres": 0.02,
}  # fmt: skip
MATCHED = 0.01  # the share of records that name a beneficiary


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--external", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=20121231)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", metavar="FOLDER", help="a data folder kept by benchmarks/payroll.py (or this)")
    base.in_data_folder(parser.parse_args(), _run)


def _households(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    from jiuzhu.accounts.models import User
    from jiuzhu.accounts.roles import Role
    from jiuzhu.cases.models import Entitlement
    from jiuzhu.demo.services import demo_bulk_generate, demo_regions_ensure
    from jiuzhu.programs.services.policy import policy_version_create

    call_command("migrate", verbosity=0)
    if Entitlement.objects.exists():
        users = {u.role: u for u in User.objects.filter(username__startswith="bench-")}
        print(f"set-up: reusing {Entitlement.objects.count():,} benefits in force")
        return users
    demo_regions_ensure()
    started = time.perf_counter()
    built = demo_bulk_generate(households=args.households, region_code=base.COUNTY, seed=args.seed)
    print(
        f"set-up: {built.households:,} households, {built.persons:,} persons in {time.perf_counter() - started:.1f} s"
    )
    users = base._users()
    policy_version_create(
        actor=users[Role.COUNTY_APPROVER], region_code=base.COUNTY, program_code="dibao_rural",
        effective_from=datetime.date(2020, 1, 1), params={"standard_fen": 7200}, note="基准测试",
    )  # fmt: skip
    started = time.perf_counter()
    in_force = base._in_force(users[Role.COUNTY_APPROVER], 7200)
    print(f"set-up: {in_force:,} benefits in force in {time.perf_counter() - started:.1f} s")
    return users


def _external(total: int, users, seed: int) -> int:  # type: ignore[no-untyped-def]
    """Agency records as Parquet, one dataset per source (previous benchmark datasets replaced)."""
    from django.core.files.storage import default_storage
    from django.db import connection

    from jiuzhu.accounts.roles import Role
    from jiuzhu.regions.models import Region
    from jiuzhu.registry.models import Person
    from jiuzhu.verification.models import DatasetStatus, ExternalDataset, Flag, Sweep
    from jiuzhu.verification.records import DUCK_TYPES, connect, literal, stored_name
    from jiuzhu.verification.sources import fields_of

    with connection.cursor() as cursor:
        for model in (Flag, Sweep):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - our own tables
    ExternalDataset.objects.filter(provider="基准测试").delete()
    started = time.perf_counter()
    folder = Path(default_storage.path("verification/bench"))
    folder.mkdir(parents=True, exist_ok=True)
    hashes = folder / "persons.csv"
    with open(hashes, "w") as out:
        for digest in (
            Person.objects.exclude(id_number_digest=None)
            .values_list("id_number_digest", flat=True)
            .iterator(chunk_size=50_000)
        ):
            out.write(digest + "\n")
    county = Region.objects.get(code=base.COUNTY)
    officer = users[Role.COUNTY_OFFICER]
    written = 0
    with connect() as db:
        db.execute(f"SELECT setseed({(seed % 1000) / 1000})")
        db.execute(
            "CREATE TABLE persons AS SELECT row_number() OVER () - 1 AS n, column0 AS h"  # noqa: S608 - our path
            f" FROM read_csv({literal(str(hashes))}, header = false)"
        )
        people = db.execute("SELECT count(*) FROM persons").fetchall()[0][0]
        for source, share in SHARES.items():
            rows = int(total * share)
            columns = []
            for field in fields_of(source):
                if field.key == "name":
                    continue
                name, kind = stored_name(field.key), DUCK_TYPES[field.kind]
                columns.append(f"({_value(source, field.key, kind)})::{kind} AS {name}")
            path = folder / f"{source}.parquet"
            matched = f"CASE WHEN random() < {MATCHED} THEN p.h ELSE sha256(i::VARCHAR || '{source}') END"
            db.execute(
                f"COPY (SELECT {', '.join(columns)}, i AS line FROM ("  # noqa: S608 - constants
                f" SELECT i, {matched} AS id_hash"
                f" FROM range({rows}) t(i) LEFT JOIN persons p ON p.n = hash(i || '{source}') % {people})"
                f" ORDER BY id_hash) TO {literal(str(path))} (FORMAT parquet)"
            )
            ExternalDataset.objects.create(
                source=source, region=county, as_of=datetime.date(2026, 10, 31), provider="基准测试",
                file_name=path.name, file_size=path.stat().st_size, sha256="", stored_file="",
                retain_until=datetime.date(2031, 10, 31), status=DatasetStatus.IMPORTED, imported_count=rows,
                records_file=str(path.relative_to(default_storage.location)), uploaded_by=officer,
            )  # fmt: skip
            written += rows
    print(f"set-up: {written:,} agency records in {len(SHARES)} sources in {time.perf_counter() - started:.1f} s")
    return written


def _value(source: str, key: str, kind: str) -> str:
    """A plausible value per column (the ID hash comes from the subquery)."""
    if key in ("id_number",):
        return "id_hash"
    if key == "cadre_id_number":
        return "sha256(i::VARCHAR || 'cadre')"
    if key == "event":
        return "CASE WHEN i % 3 = 0 THEN 'death' ELSE 'move_out' END"
    if key == "kind":
        return "CASE WHEN i % 2 = 0 THEN 'pension' ELSE 'contribution' END"
    if key == "relation":
        return "'spouse'"
    if key == "use":
        return "'住宅'"
    if key == "status":
        return "CASE WHEN i % 5 = 0 THEN '注销' ELSE '存续' END"
    if kind == "DATE":
        return "DATE '2020-01-01' + (i % 2000)::INTEGER"
    if kind == "BIGINT":
        return "(i % 500000)"
    if kind.startswith("DECIMAL"):
        return "(60 + i % 90)"
    return f"'{source}-' || i"


def _floor(external: int) -> float:
    """The persons' ID hashes read from the database into DuckDB as the sweep reads them, joined with
    every agency record's ID hash."""
    from django.core.files.storage import default_storage

    from jiuzhu.registry.models import Person
    from jiuzhu.verification import snapshot
    from jiuzhu.verification.records import connect, literal

    with tempfile.TemporaryDirectory() as work, connect() as db:
        started = time.perf_counter()
        path = os.path.join(work, "ids.csv")
        snapshot._export(f"SELECT id_number_digest AS h FROM {Person._meta.db_table}", [], path, plain=["h"])  # noqa: S608
        db.execute(
            f"CREATE TABLE m AS SELECT * FROM read_csv({literal(path)}, header = false, columns = {{'h': 'VARCHAR'}})"  # noqa: S608
        )

        files = ", ".join(literal(str(p)) for p in Path(default_storage.path("verification/bench")).glob("*.parquet"))
        found = db.execute(
            f"SELECT count(*) FROM read_parquet([{files}], union_by_name = true) e JOIN m ON m.h = e.id_hash"  # noqa: S608
        ).fetchall()[0][0]
        elapsed = time.perf_counter() - started
    print(f"floor: {found:,} matches of {external:,} records in {elapsed:.2f} s")
    return elapsed


def _run(args: argparse.Namespace) -> None:
    from django.db import connection

    from jiuzhu.cases.models import Entitlement
    from jiuzhu.registry.models import Person
    from jiuzhu.verification.services.sweep import sweep_run

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    users = _households(args)
    external = _external(args.external, users, args.seed)
    base.analyze()
    households = Entitlement.objects.count()
    persons = Person.objects.count()
    started = time.perf_counter()
    sweep, times = sweep_run(region_code=base.COUNTY, today=datetime.date(2026, 11, 20))
    sweep_s = time.perf_counter() - started
    peak_mb = _peak_mb()
    print(
        f"sweep: {sweep.cases:,} cases, {sweep.members:,} persons, {sweep.found:,} findings, {sweep.raised:,} flags"
        f" in {sweep_s:.2f} s (reading {times.snapshot_s:.2f}, checks {times.checks_s:.2f}, flags {times.flags_s:.2f})"
    )
    floor_s = _floor(external)
    ratio = sweep_s / floor_s if floor_s else float("nan")
    print(
        f"verification households={households} persons={persons} external={external} flags={sweep.raised}"
        f" sweep_s={sweep_s:.2f} floor_s={floor_s:.2f} ratio={ratio:.2f} peak_mb={peak_mb:.0f} db={connection.vendor}"
    )


if __name__ == "__main__":
    main()
