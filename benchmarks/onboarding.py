#!/usr/bin/env python3
"""Onboarding benchmark: a county's ledger of N households (about 2.5 persons each, two in three on
dibao) as an XLSX file, through the dry run and the import.

    .venv/bin/python benchmarks/onboarding.py [--households 2000] [--format xlsx|csv]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/onboarding.py

Without DATABASE_URL a fresh SQLite file under a temporary JIUZHU_DATA_DIR is used (removed afterwards
unless --keep). The dry run and the import are the jobs the pages start (`batch_check_run`,
`batch_apply_run`), run here in this process; a second dry run of the same file (every household
"unchanged") shows what re-importing costs. The last line is machine-readable:

    onboarding households=N rows=R check_s=… apply_s=… apply_per_s=… recheck_s=… peak_mb=… db=…
"""

from __future__ import annotations

import argparse
import datetime
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import payroll as base  # the shared set-up of the benchmarks (settings, data folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="jiuzhu-bench-")
    try:
        base._setup(data_dir)
        _run(args)
    finally:
        if args.keep:
            print(f"data folder kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _ledger(households: int, fmt: str) -> tuple[bytes, int]:
    """The ledger in the template's columns: heads with village, address and (two in three) a case."""
    import xlsxwriter

    from jiuzhu.onboarding.fields import FIELDS
    from jiuzhu.registry.rules.id_numbers import make_id_number

    villages = ("凤凰村", "石桥村", "讲治社区", "白岩村")
    codes = ("511723", "511702", "511703", "511721", "511722")  # 420 birth dates × 999 sequences each
    rows = []
    serial = 0
    for n in range(households):
        size = 1 + n % 4
        for member in range(size):
            serial += 1
            birth = datetime.date(1940 + serial % 60, 1 + serial % 12, 1 + serial % 28)
            values = {
                "household_key": f"H{n + 1}", "name": f"成员{serial}", "relation": "户主" if member == 0 else "子女",
                "id_number": make_id_number(codes[serial // 419_580], birth, serial // 420 % 999 + 1),
            }  # fmt: skip
            if member == 0:
                values |= {"village": villages[n % 4], "hukou_type": "农村", "address": f"{villages[n % 4]}{n}号"}
                if n % 3:
                    values |= {"program": "农村低保", "amount": f"{72 * size}.00", "first_month": "2019-03"}
            rows.append([values.get(field.key, "") for field in FIELDS])
    header = [field.label for field in FIELDS]
    if fmt == "csv":
        text = "\r\n".join(",".join(row) for row in [header, *rows]) + "\r\n"
        return text.encode("gbk"), len(rows)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("存量对象")
    for line, row in enumerate([header, *rows]):
        for column, cell in enumerate(row):
            if cell:
                sheet.write_string(line, column, cell)
    workbook.close()
    return buffer.getvalue(), len(rows)


def _run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from jiuzhu.accounts.roles import Role
    from jiuzhu.onboarding.models import OnboardingBatch
    from jiuzhu.onboarding.services.batches import batch_apply_run, batch_check_run, batch_upload
    from jiuzhu.programs.services.policy import policy_version_create
    from jiuzhu.testing.builders import COUNTY, build_region_tree, make_user

    db = connection.vendor
    print(f"database: {db} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    call_command("prepare_fonts", verbosity=0)  # once per machine, as the two commands do
    regions = build_region_tree()
    approver = make_user("bench-approver", Role.COUNTY_APPROVER, regions[COUNTY])
    policy_version_create(
        actor=approver, region_code=COUNTY, program_code="dibao_rural", effective_from=datetime.date(2000, 1, 1),
        params={"standard_fen": 7200}, note="benchmark",
    )  # fmt: skip
    content, rows = _ledger(args.households, args.format)
    print(f"ledger: {args.households:,} households, {rows:,} rows, {len(content) / 1e6:.1f} MB {args.format}")

    def upload() -> OnboardingBatch:
        batch = batch_upload(
            actor=approver, region_code=COUNTY, go_live=datetime.date(2026, 6, 1), reason="benchmark",
            upload=io.BytesIO(content), file_name=f"ledger.{args.format}",
        )  # fmt: skip
        OnboardingBatch.objects.filter(pk=batch.pk).update(applied_by=approver)  # as batch_apply records
        return batch

    batch = upload()
    started = time.perf_counter()
    batch = batch_check_run(batch_id=batch.pk)
    check_s = time.perf_counter() - started
    print(f"dry run: {check_s:.2f} s, {batch.counts}")
    started = time.perf_counter()
    batch = batch_apply_run(batch_id=batch.pk)
    apply_s = time.perf_counter() - started
    print(f"import: {apply_s:.2f} s, {batch.counts}")
    again = upload()
    started = time.perf_counter()
    again = batch_check_run(batch_id=again.pk)
    recheck_s = time.perf_counter() - started
    print(f"dry run of the same file again: {recheck_s:.2f} s, {again.counts}")
    peak_mb = base._peak_mb()
    print(
        f"onboarding households={args.households} rows={rows} check_s={check_s:.2f} apply_s={apply_s:.2f} "
        f"apply_per_s={args.households / apply_s:.0f} recheck_s={recheck_s:.2f} peak_mb={peak_mb:.0f} db={db}"
    )


if __name__ == "__main__":
    main()
