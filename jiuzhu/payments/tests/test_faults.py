"""A crash mid-payroll loses nothing and pays nothing twice. The generating process is killed
(SIGKILL) at a random point of its run — inside the first part, inside the second, or while
finishing — then run again, on a database of its own (a SQLite file, or a PostgreSQL database, like
the suite's). After each kill, a part's lines are all there or none are, and never two lines for
one case and month; after the re-run, exactly one line per case and month with the right total, and
the stored total equals the lines'. Each round is a new quarter, so each kill hits a generation
that is writing lines."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from jiuzhu.payments.tests.faults.runner import CASES

ROOT = Path(__file__).resolve().parents[3]
STANDARD = 7200
# Lines of a quarter per part (township): 讲治镇 (two villages), then 甘棠镇.
PART_LINES = [3 * (CASES["511723105201"] + CASES["511723105202"]), 3 * CASES["511723106201"]]
ALL_LINES = sum(PART_LINES)
QUARTERS = ["2026-04", "2026-07", "2026-10"]  # one kill inside part 1, one inside part 2, one while finishing
SEED = 20260401


@pytest.fixture
def database_url() -> Iterator[str]:
    """A throwaway database of the same kind as the suite's."""
    default = settings.DATABASES["default"]
    if not default["ENGINE"].endswith("postgresql"):
        with tempfile.TemporaryDirectory(prefix="jiuzhu-fault-") as folder:
            yield f"sqlite:///{folder}/fault.sqlite3"
        return
    import psycopg

    name = f"jiuzhu_fault_{os.getpid()}"
    port = default.get("PORT") or 5432
    admin = {"host": default["HOST"], "port": port, "user": default["USER"], "dbname": "postgres"}
    if default.get("PASSWORD"):
        admin["password"] = default["PASSWORD"]
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    password = f":{default['PASSWORD']}" if default.get("PASSWORD") else ""
    yield f"postgres://{default['USER']}{password}@{default['HOST']}:{port}/{name}"
    with psycopg.connect(**admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="jiuzhu.config.settings.test")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _runner(*args: str) -> list[str]:
    return [sys.executable, "-m", "jiuzhu.payments.tests.faults.runner", *args]


def _step(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(_runner(*args), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _check(env: dict[str, str], month: str) -> dict[str, object]:
    return json.loads(_step(env, "check", month).strip().splitlines()[-1])


def _generate_and_kill(env: dict[str, str], month: str, *, after_parts: int, delay: float) -> list[str]:
    """Start generating a quarter; SIGKILL the process `delay` seconds after it has reported
    `after_parts` parts done (0: after it is ready). Returns what it printed."""
    process = subprocess.Popen(
        _runner("generate", month), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    said = [process.stdout.readline().strip()]
    assert said == ["ready"]
    while len(said) - 1 < after_parts:
        said.append(process.stdout.readline().strip())
    timer = threading.Timer(delay, lambda: process.send_signal(signal.SIGKILL))
    timer.start()
    out, _err = process.communicate(timeout=600)
    timer.cancel()
    return said + out.split()


def test_killed_payroll_generation_is_rerun_without_loss_or_double_payment(database_url):
    env = _env(database_url)
    _step(env, "setup")
    rng = random.Random(SEED)
    states = set()
    for round_number, month in enumerate(QUARTERS):
        after_parts = round_number % (len(PART_LINES) + 1)  # inside part 1, inside part 2, while finishing
        delay = rng.uniform(0.0, 0.05)
        said = _generate_and_kill(env, month, after_parts=after_parts, delay=delay)
        after_kill = _check(env, month)
        lines = after_kill["lines"] or 0
        # A part is written whole or not at all; no case and month is ever paid twice.
        assert lines in (0, PART_LINES[0], ALL_LINES), (month, after_parts, delay, said, after_kill)
        assert after_kill["all_lines"] == after_kill["all_distinct"], (month, after_kill)
        states.add(lines)

        _step(env, "generate", month)  # the re-run
        rerun = _check(env, month)
        assert (rerun["lines"], rerun["distinct"], rerun["total_fen"]) == (ALL_LINES, ALL_LINES, ALL_LINES * STANDARD)
        assert (rerun["stored_lines"], rerun["stored_total_fen"]) == (ALL_LINES, ALL_LINES * STANDARD)
        assert rerun["all_lines"] == rerun["all_distinct"] and rerun["status"] == "draft"
    # The kills interrupted generations half-way (one part written, the other not), not only before or after.
    assert PART_LINES[0] in states, states
