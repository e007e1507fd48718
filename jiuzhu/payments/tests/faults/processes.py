"""Running the payroll in other processes for the out-of-process tests (kills, several workers): a
throwaway database of the suite's kind, the environment pointing at it, and the runner's steps."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture
def database_url() -> Iterator[str]:
    """A throwaway database of the same kind as the suite's (a SQLite file, or a PostgreSQL database)."""
    default = settings.DATABASES["default"]
    if not default["ENGINE"].endswith("postgresql"):
        with tempfile.TemporaryDirectory(prefix="jiuzhu-processes-") as folder:
            yield f"sqlite:///{folder}/processes.sqlite3"
        return
    import psycopg

    name = f"jiuzhu_processes_{os.getpid()}"
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


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="jiuzhu.config.settings.test")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def runner(*args: str) -> list[str]:
    return [sys.executable, "-m", "jiuzhu.payments.tests.faults.runner", *args]


def step(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(runner(*args), env=env, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
