#!/usr/bin/env python3
"""Statistics benchmark: a month-end snapshot of N beneficiary households, then the province's report.

    .venv/bin/python benchmarks/reports.py [--households 1000000] [--keep]
    .venv/bin/python benchmarks/reports.py --reuse FOLDER     # a folder kept by this or benchmarks/verification.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/reports.py

Set-up (not timed): the households, persons and benefits in force of `benchmarks/payroll.py`'s
set-up (the demo generator over 开江县, about 2.2 persons a household, in force from January 2026),
and the county's payroll for February 2026, generated and locked.

Timed, each on its own:
* snapshot — `snapshot_build` of February 2026 for the province (all of it in 开江县): every case's amount, persons,
  categories of its members, standard and payment read from the records and written as rows, with
  the village sums;
* report — `monthly_report` for the province (四川省, 51) from that snapshot, one row a city; the
  report's page rendered for a user (Django's test client: the view, its queries and the template);
  the same report as the Excel workbook with every village.

The last line is machine-readable:

    reports households=N cases=C snapshot_s=… report_s=… page_s=… xlsx_s=… peak_mb=… db=…
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import payroll as base
import verification as cross

MONTH = base.PAYROLL_MONTH
PROVINCE = "51"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20121231)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", metavar="FOLDER", help="a data folder kept by benchmarks/payroll.py (or this)")
    base.in_data_folder(parser.parse_args(), _run)


def _payroll(users) -> None:  # type: ignore[no-untyped-def]
    from jiuzhu.accounts.roles import Role
    from jiuzhu.payments.models import Payroll
    from jiuzhu.payments.services.generation import payroll_generate
    from jiuzhu.payments.services.settlement import payroll_lock

    if Payroll.objects.filter(period_start=MONTH, region__code=base.COUNTY).exists():
        print("set-up: reusing the payroll of the month")
        return
    started = time.perf_counter()
    payroll = payroll_generate(
        actor=users[Role.COUNTY_OFFICER], program_code="dibao_rural", region_code=base.COUNTY, month=MONTH
    )
    payroll_lock(actor=users[Role.FINANCE_OFFICER], payroll_id=payroll.pk, expected_version=payroll.version)
    print(f"set-up: payroll of {payroll.line_count:,} lines in {time.perf_counter() - started:.1f} s")


def _run(args: argparse.Namespace) -> None:
    from django.db import connection

    from jiuzhu.cases.models import Entitlement
    from jiuzhu.reports.documents import report_xlsx
    from jiuzhu.reports.selectors import monthly_report
    from jiuzhu.reports.services.snapshots import snapshot_build

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    users = cross._households(args)
    _payroll(users)
    base.analyze()
    households = Entitlement.objects.count()
    admin = _admin()
    started = time.perf_counter()
    snapshot = snapshot_build(actor=admin, region_code=PROVINCE, month=MONTH, reason="基准测试")
    snapshot_s = time.perf_counter() - started
    print(f"snapshot: {snapshot.cases:,} cases in {snapshot_s:.2f} s")
    started = time.perf_counter()
    report = monthly_report(actor=admin, region_code=PROVINCE, month=MONTH)
    report_s = time.perf_counter() - started
    figures = report.total.figures("dibao_rural")
    print(
        f"report: {len(report.rows)} rows, {figures.households:,} households, {figures.persons:,} persons,"
        f" {figures.paid_fen / 100:,.2f} yuan paid in {report_s:.2f} s"
    )
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    started = time.perf_counter()
    page = client.get("/statistics/monthly/", {"region": PROVINCE, "month": MONTH.strftime("%Y-%m")})
    page_s = time.perf_counter() - started
    assert page.status_code == 200, page.status_code
    print(f"page: the report page for the province in {page_s:.2f} s")
    started = time.perf_counter()
    content = report_xlsx(report, monthly_report(actor=admin, region_code=PROVINCE, month=MONTH, villages=True))
    xlsx_s = time.perf_counter() - started
    print(f"xlsx: {len(content) / 1e3:,.0f} kB with every village in {xlsx_s:.2f} s")
    peak_mb = base._peak_mb()
    print(
        f"reports households={households} cases={snapshot.cases} snapshot_s={snapshot_s:.2f} report_s={report_s:.2f}"
        f" page_s={page_s:.2f}"
        f" xlsx_s={xlsx_s:.2f} peak_mb={peak_mb:.0f} db={connection.vendor}"
    )


def _admin():  # type: ignore[no-untyped-def]
    from jiuzhu.accounts.models import User

    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"role": "admin", "first_name": "基准"}
    )
    return admin


if __name__ == "__main__":
    main()
