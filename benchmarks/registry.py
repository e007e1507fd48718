#!/usr/bin/env python3
"""Registry benchmark: build N households with the demo generator, then time household search.

    .venv/bin/python benchmarks/registry.py [--households 100000] [--region-code 511723] [--seed N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiuzhu_bench .venv/bin/python benchmarks/registry.py

Without DATABASE_URL the registry goes into a fresh SQLite file under a temporary JIUZHU_DATA_DIR
(removed afterwards unless --keep). With DATABASE_URL the database should be empty; it is migrated.
Searches go through `registry.selectors.household_search` with an administrator as actor, and
each timing is what a list page does: the first page of 20 plus the total count (median of 5
runs after one warm-up). The last line is machine-readable:

    registry households=N persons=P generate_s=… search_name_ms=… search_initials_ms=… search_id_ms=… peak_mb=… db=…
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REPEATS = 5
PAGE = 20


def _setup(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["JIUZHU_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # no query log
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _time_search(run: Callable[[], Any]) -> tuple[float, Any]:
    result = run()  # warm-up (and the answer)
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--region-code", default="511723")
    parser.add_argument("--seed", type=int, default=20121231)
    parser.add_argument("--batch-size", type=int, default=5000)
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
    from django.db import connection

    from jiuzhu.accounts.models import User
    from jiuzhu.accounts.roles import Role
    from jiuzhu.common.sensitive import decrypt
    from jiuzhu.demo.services import demo_bulk_generate, demo_regions_ensure
    from jiuzhu.registry.models import Person
    from jiuzhu.registry.selectors import household_search

    db = connection.vendor
    print(f"database: {db} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    demo_regions_ensure()
    total = args.households
    step = max(args.batch_size, total // 10)
    last = [0]
    started = time.perf_counter()

    def progress(done: int, persons: int) -> None:
        if done - last[0] >= step or done == total:
            last[0] = done
            elapsed = time.perf_counter() - started
            print(
                f"  {done:>9,} households {persons:>10,} persons  {elapsed:7.1f} s  {done / elapsed:7.0f} households/s"
            )

    result = demo_bulk_generate(
        households=total, region_code=args.region_code, seed=args.seed, batch_size=args.batch_size, progress=progress
    )
    generate_s = time.perf_counter() - started
    print(
        f"generated {result.households:,} households and {result.persons:,} persons in {generate_s:.1f} s "
        f"({result.households / generate_s:.0f} households/s, {result.persons / generate_s:.0f} persons/s)"
    )

    admin = User(username="bench-admin", role=Role.ADMIN, region=None)
    admin.set_unusable_password()
    admin.save()
    middle = Person.objects.order_by("pk").values_list("pk", flat=True)[result.persons // 2]
    sample = Person.objects.get(pk=middle)
    id_number = decrypt(sample.id_number_ciphertext)
    queries = {"name": sample.name, "initials": sample.name_initials, "id": id_number}
    timings: dict[str, float] = {}
    for label, query in queries.items():

        def page_and_count(q: str = query) -> tuple[int, int]:
            households = household_search(actor=admin, query=q)
            return len(list(households[:PAGE])), households.count()

        timings[label], (_shown, matches) = _time_search(page_and_count)
        shown_query = query if label != "id" else sample.id_number_masked
        print(f"search by {label:<8} {shown_query!r:<24} {matches:>7,} households  {timings[label]:8.1f} ms")

    print(
        f"registry households={result.households} persons={result.persons} generate_s={generate_s:.1f} "
        f"search_name_ms={timings['name']:.1f} search_initials_ms={timings['initials']:.1f} "
        f"search_id_ms={timings['id']:.1f} peak_mb={_peak_mb():.0f} db={db}"
    )


if __name__ == "__main__":
    main()
