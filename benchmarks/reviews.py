#!/usr/bin/env python3
"""Dynamic-management benchmark: open and confirm the yearly review of N unchanged households.

    .venv/bin/python benchmarks/reviews.py [--households 5000] [--years 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/reviews.py

Without DATABASE_URL a fresh SQLite file under a temporary JIUZHU_DATA_DIR is used (removed
afterwards unless --keep). N one-person households are put in force in bulk
(`jiuzhu.testing.beneficiaries`), then, year after year, the monthly job opens their periodic reviews
(`reviews_due_open`) and the township confirms them all as "no change"
(`reviews_confirm_no_change_batch`: every household re-assessed, rows and audit events in bulk).
The last line is machine-readable:

    reviews households=N years=Y open_per_s=… confirm_per_s=… confirm_per_cpu_s=… db=…

(per wall-clock second, and per second of this process's CPU time, which a busy machine disturbs less).
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["JIUZHU_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # no query log
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="jiuzhu-bench-")
    try:
        _setup(data_dir)
        _run(args)
    finally:
        if args.keep:
            print(f"data folder kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from jiuzhu.accounts.roles import Role
    from jiuzhu.cases.services.dynamic_batch import reviews_confirm_no_change_batch, reviews_due_open
    from jiuzhu.programs.selectors import dibao_policy_get
    from jiuzhu.programs.services.policy import policy_version_create
    from jiuzhu.testing.beneficiaries import bulk_beneficiaries
    from jiuzhu.testing.builders import COUNTY, TOWNSHIP, VILLAGE_A, build_region_tree, make_user

    db = connection.vendor
    print(f"database: {db} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    regions = build_region_tree()
    approver = make_user("bench-approver", Role.COUNTY_APPROVER, regions[COUNTY])
    township = make_user("bench-township", Role.TOWNSHIP_OFFICER, regions[TOWNSHIP])
    start = datetime.date(2012, 1, 1)
    policy_version_create(
        actor=approver,
        region_code=COUNTY,
        program_code="dibao_rural",
        effective_from=datetime.date(2000, 1, 1),
        params={"standard_fen": 7200},
        note="benchmark",
    )
    policy = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=start)
    with transaction.atomic():
        made = bulk_beneficiaries(
            actor=township, region=regions[VILLAGE_A], policy=policy, count=args.households, decided_on=start
        )
    print(f"{len(made.entitlement_ids):,} benefits in force")
    open_s = confirm_s = confirm_cpu = 0.0
    for year in range(1, args.years + 1):
        day = datetime.date(start.year + year, 1, 1)
        with mock.patch("django.utils.timezone.localdate", return_value=day):
            started = time.perf_counter()
            opened = reviews_due_open(today=day)
            opened_s = time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            result = reviews_confirm_no_change_batch(actor=township, review_ids=opened, decided_on=day)
            confirmed_s, confirmed_cpu = time.perf_counter() - started, time.process_time() - cpu
        open_s += opened_s
        confirm_s += confirmed_s
        confirm_cpu += confirmed_cpu
        print(
            f"{day.year}: opened {len(opened):,} in {opened_s:.2f} s ({len(opened) / opened_s:,.0f}/s), "
            f"confirmed {len(result.confirmed):,} in {confirmed_s:.2f} s "
            f"({len(result.confirmed) / confirmed_s:,.0f}/s; {confirmed_cpu:.2f} s CPU), "
            f"skipped {len(result.skipped)}"
        )
    total = args.households * args.years
    print(
        f"reviews households={args.households} years={args.years} open_per_s={total / open_s:.0f} "
        f"confirm_per_s={total / confirm_s:.0f} confirm_per_cpu_s={total / confirm_cpu:.0f} db={db}"
    )


if __name__ == "__main__":
    main()
