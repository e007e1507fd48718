#!/usr/bin/env python3
"""Payroll benchmark: N households from the demo generator, all in force, one county payroll.

    .venv/bin/python benchmarks/payroll.py [--households 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/payroll.py

Without DATABASE_URL a fresh SQLite file under a temporary JIUZHU_DATA_DIR is used (removed
afterwards unless --keep). With DATABASE_URL the database should be empty; it is migrated.

Set-up (not timed in the result): the demo generator builds N households over the townships of
开江县 (讲治镇 excluded); each gets a rural dibao benefit in force from January 2026 at the county
standard (applications, decisions, benefits and amount changes written in bulk, as the onboarding
of existing beneficiaries leaves them).

Timed, each on its own:
* generate — `payroll_generate` for the county and February 2026: the same service the workers run,
  part by part (one township at a time), set-based SQL;
* lock — `payroll_lock` by a finance officer: the total checked against the lines, the status set;
* export — `bank_file_export`: the credit union's CSV in GBK, every account and ID number decrypted,
  one row per household, the rows recorded for the return file.

The floor is the same number of line rows written into the same table (same indexes) with the
database driver's bulk path alone (sqlite3 `executemany`, PostgreSQL `COPY`); `ratio` is generate
over floor. The last line is machine-readable:

    payroll households=N lines=L generate_s=… lock_s=… export_s=… total_s=… floor_s=… ratio=… peak_mb=… db=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "511723"
FIRST_MONTH = datetime.date(2026, 1, 1)
PAYROLL_MONTH = datetime.date(2026, 2, 1)
BATCH = 50_000


def _setup(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["JIUZHU_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # no query log
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20121231)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    parser.add_argument(
        "--reuse",
        metavar="FOLDER",
        help="a folder kept by an earlier run (SQLite) or, with DATABASE_URL, that database: the households "
        "and benefits are reused, the payments are made again",
    )
    in_data_folder(parser.parse_args(), _run)


def in_data_folder(args: argparse.Namespace, run: Callable[[argparse.Namespace], None]) -> None:
    """Set Django up over the folder `--reuse` names (or a new temporary one), run the benchmark, and
    remove the folder afterwards unless `--keep` or `--reuse` says to keep it."""
    data_dir = args.reuse or tempfile.mkdtemp(prefix="jiuzhu-bench-")
    try:
        _setup(data_dir)
        run(args)
    finally:
        if args.keep or args.reuse:
            print(f"data folder kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def analyze() -> None:
    """On PostgreSQL, fresh planner statistics, as autovacuum keeps them (docs/deployment.md)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _users():  # type: ignore[no-untyped-def]
    from jiuzhu.accounts.models import User
    from jiuzhu.accounts.roles import Role
    from jiuzhu.regions.models import Region

    county = Region.objects.get(code=COUNTY)
    made = {}
    for username, role in (("bench-approver", Role.COUNTY_APPROVER), ("bench-officer", Role.COUNTY_OFFICER)):
        user = User(username=username, role=role, region=county)
        user.set_unusable_password()
        user.save()
        made[role] = user
    finance = User(username="bench-finance", role=Role.FINANCE_OFFICER, region=county)
    finance.set_unusable_password()
    finance.save()
    made[Role.FINANCE_OFFICER] = finance
    return made


def _in_force(approver, standard_fen: int) -> int:  # type: ignore[no-untyped-def]
    """Every generated household gets a rural dibao benefit in force from FIRST_MONTH (bulk rows)."""
    from django.db import transaction

    from jiuzhu.common.bulk import update_rows
    from jiuzhu.common.sensitive import seal_account_number
    from jiuzhu.programs.models import Program
    from jiuzhu.registry.models import Household

    program = Program.objects.get(code="dibao_rural")
    decided = FIRST_MONTH - datetime.timedelta(days=10)
    households = list(Household.objects.order_by("pk").values_list("pk", "region_id", "head_id"))
    fields = ["bank_name", "account_holder", "account_number_ciphertext", "account_number_digest"]
    fields.append("account_number_masked")
    for start in range(0, len(households), BATCH):  # an account for every household, a batch at a time
        with transaction.atomic():
            sealed = {pk: seal_account_number(f"88{pk:017d}") for pk, _r, _h in households[start : start + BATCH]}
            values = {pk: ("开江县农村信用合作联社", "", s.ciphertext, s.digest, s.masked) for pk, s in sealed.items()}
            update_rows(Household, fields, values)
    for start in range(0, len(households), BATCH):
        with transaction.atomic():
            _in_force_batch(households[start : start + BATCH], program, approver, standard_fen, decided)
    return len(households)


def _in_force_batch(batch, program, approver, standard_fen: int, decided: datetime.date) -> None:  # type: ignore[no-untyped-def]
    from jiuzhu.cases.choices import AmountChangeKind, ApplicationStatus, DecisionOutcome, EntitlementStatus
    from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement
    from jiuzhu.common.bulk import insert_rows

    insert_rows(
        Application,
        [{"household_id": h, "region_id": r, "applicant_id": p} for h, r, p in batch],
        defaults=Application(
            program=program, status=ApplicationStatus.IN_FORCE, submitted_on=decided, accepted_on=decided,
            decided_on=decided, published_on=decided, workflow_mode="county_confirms",
            appraisal_mode="when_disputed", created_by=approver,
        ),
    )  # fmt: skip
    ids = [h for h, _r, _p in batch]
    applications = list(Application.objects.filter(household_id__in=ids).values_list("pk", "household_id", "region_id"))
    insert_rows(
        Decision,
        [{"application_id": a} for a, _h, _r in applications],
        defaults=Decision(
            outcome=DecisionOutcome.APPROVED, decided_on=decided, decided_by=approver,
            monthly_amount_fen=standard_fen, first_payment_month=FIRST_MONTH, member_count=1,
        ),
    )  # fmt: skip
    insert_rows(
        Entitlement,
        [{"application_id": a, "household_id": h, "region_id": r} for a, h, r in applications],
        defaults=Entitlement(
            program=program, first_month=FIRST_MONTH, status=EntitlementStatus.ACTIVE,
            monthly_amount_fen=standard_fen, review_class="stable",
        ),
    )  # fmt: skip
    entitlements = Entitlement.objects.filter(household_id__in=ids).values_list("pk", flat=True)
    insert_rows(
        AmountChange,
        [{"entitlement_id": e} for e in entitlements],
        defaults=AmountChange(
            effective_month=FIRST_MONTH, amount_fen=standard_fen, kind=AmountChangeKind.GRANT,
            reason="存量对象建档（基准测试）", recorded_by=approver,
        ),
    )  # fmt: skip


def _floor(lines: int, payroll) -> float:  # type: ignore[no-untyped-def]
    """Write `lines` rows into the payroll-line table with the driver's bulk path alone; seconds."""
    from django.db import connection, transaction

    from jiuzhu.cases.models import Entitlement
    from jiuzhu.payments.models import PayrollLine

    source = list(Entitlement.objects.values_list("pk", "household_id", "program_id", "region_id")[:lines])
    month = datetime.date(1999, 1, 1)  # a month no real line has
    table = PayrollLine._meta.db_table
    columns = "payroll_id, entitlement_id, household_id, program_id, region_id, month, kind, amount_fen"
    postgres = connection.vendor == "postgresql"
    day = month if postgres else month.isoformat()
    rows = [(payroll.pk, e, h, p, r, day, "regular", 7200) for e, h, p, r in source]
    del source
    started = time.perf_counter()
    with transaction.atomic():
        raw = connection.cursor().cursor
        if postgres:
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            text_rows = rows
            sql = f"INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"  # noqa: S608 - our table
            raw.executemany(sql, text_rows)
    elapsed = time.perf_counter() - started
    _unlocked_delete(f"DELETE FROM {table} WHERE month = %s", [day])  # noqa: S608 - our table
    return elapsed


def _unlocked_delete(sql: str, params: list) -> None:  # type: ignore[type-arg]
    """Run a DELETE of payroll lines with their payrolls briefly back in draft: the database refuses
    to change a locked payroll's lines (payments/migrations/0006), and the benchmark's clean-up is
    the one place that must."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_status AS SELECT id, status FROM payments_payroll")
        cursor.execute("UPDATE payments_payroll SET status = 'draft'")
        cursor.execute(sql, params)
        cursor.execute(
            "UPDATE payments_payroll SET status = (SELECT status FROM bench_status b WHERE b.id = payments_payroll.id)"
        )
        cursor.execute("DROP TABLE bench_status")


def _run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from jiuzhu.accounts.models import User
    from jiuzhu.accounts.roles import Role
    from jiuzhu.cases.models import Entitlement
    from jiuzhu.demo.services import demo_bulk_generate, demo_regions_ensure
    from jiuzhu.payments.models import BankFile, BankFileRow, PaymentInstitution, PaymentOutcome, Payroll, PayrollLine
    from jiuzhu.payments.services.bank import bank_file_export
    from jiuzhu.payments.services.generation import payroll_generate
    from jiuzhu.payments.services.settlement import payroll_lock
    from jiuzhu.programs.services.policy import policy_version_create
    from jiuzhu.regions.models import Region

    db = connection.vendor
    print(f"database: {db} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    standard = 7200
    if args.reuse and Entitlement.objects.exists():
        users = {u.role: u for u in User.objects.filter(username__startswith="bench-")}
        in_force = Entitlement.objects.count()
        with connection.cursor() as cursor:  # the payments of the earlier run
            for model in (BankFileRow, BankFile, PaymentOutcome):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - our own tables
        _unlocked_delete(f"DELETE FROM {PayrollLine._meta.db_table}", [])  # noqa: S608 - our own table
        with connection.cursor() as cursor:
            for model in (Payroll, PaymentInstitution):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - our own tables
        print(f"set-up: reusing {in_force:,} benefits in force")
    else:
        demo_regions_ensure()
        started = time.perf_counter()
        built = demo_bulk_generate(households=args.households, region_code=COUNTY, seed=args.seed)
        elapsed = time.perf_counter() - started
        print(f"set-up: {built.households:,} households, {built.persons:,} persons in {elapsed:.1f} s")
        users = _users()
        policy_version_create(
            actor=users[Role.COUNTY_APPROVER], region_code=COUNTY, program_code="dibao_rural",
            effective_from=datetime.date(2020, 1, 1), params={"standard_fen": standard}, note="基准测试",
        )  # fmt: skip
        started = time.perf_counter()
        in_force = _in_force(users[Role.COUNTY_APPROVER], standard)
        print(f"set-up: {in_force:,} benefits in force in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    payroll = payroll_generate(
        actor=users[Role.COUNTY_OFFICER], program_code="dibao_rural", region_code=COUNTY, month=PAYROLL_MONTH
    )
    generate_s = time.perf_counter() - started
    print(f"generate: {payroll.line_count:,} lines, {payroll.total_fen / 100:,.2f} yuan in {generate_s:.2f} s")

    started = time.perf_counter()
    payroll = payroll_lock(actor=users[Role.FINANCE_OFFICER], payroll_id=payroll.pk, expected_version=payroll.version)
    lock_s = time.perf_counter() - started
    print(f"lock: {lock_s:.2f} s")
    institution = PaymentInstitution.objects.create(
        name="开江县农村信用合作联社", kind="credit_union", region=Region.objects.get(code=COUNTY), encoding="gbk"
    )
    started = time.perf_counter()
    made = bank_file_export(actor=users[Role.FINANCE_OFFICER], payroll_id=payroll.pk, institution_id=institution.pk)
    export_s = time.perf_counter() - started
    print(
        f"export: {made.bank_file.row_count:,} rows, {len(made.content) / 1e6:.1f} MB, "
        f"{made.bank_file.total_fen / 100:,.2f} yuan in {export_s:.2f} s"
    )
    payroll.refresh_from_db()
    peak_mb = _peak_mb()  # generation, lock and export (and, without --reuse, the set-up before them)
    del made
    print(f"peak memory so far: {peak_mb:.0f} MB")

    floor_s = _floor(payroll.line_count, payroll)
    ratio = generate_s / floor_s if floor_s else float("nan")
    print(f"floor: {payroll.line_count:,} rows with the driver's bulk path in {floor_s:.2f} s (ratio {ratio:.2f})")
    total_s = generate_s + lock_s + export_s
    print(
        f"payroll households={in_force} lines={payroll.line_count} generate_s={generate_s:.2f} lock_s={lock_s:.2f} "
        f"export_s={export_s:.2f} total_s={total_s:.2f} floor_s={floor_s:.2f} ratio={ratio:.2f} "
        f"peak_mb={peak_mb:.0f} db={db}"
    )


if __name__ == "__main__":
    main()
