#!/usr/bin/env python3
"""The two commands of the quick start.

    python3 dev.py run    # virtual environment, install, migrate, demo town, server on 127.0.0.1:8000
    python3 dev.py test   # test dependencies, linters, type check, import layers, the whole suite

Only the standard library is used here, so it runs on a fresh machine with Python 3.11+.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("JIUZHU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
CHROMIUM = os.environ.get("JIUZHU_CHROMIUM", "/usr/bin/chromium")


def say(text: str) -> None:
    print(f"\033[1;34m==>\033[0m {text}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("Jiuzhu needs Python 3.11 or newer.")
    if not PY.exists():
        say(f"creating the virtual environment in {VENV}")
        run(sys.executable, "-m", "venv", VENV)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say("installing Jiuzhu and its pinned dependencies")
        target = f".[{extras}]" if extras else "."
        run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
        stamp.write_text(digest)


def jiuzhu(*args: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    return run(BIN / "jiuzhu", *args, env=env, check=check)


def cmd_run(argv: list[str]) -> None:
    ensure_venv("")
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "jiuzhu.config.settings.local")
    say("migrating the database")
    jiuzhu("migrate", "--noinput", "-v", "0", env=env)
    say("preparing the fonts for printed documents (built once, about a minute; then cached)")
    jiuzhu("prepare_fonts", env=env)
    say("building the demo town 讲治镇 (skipped if it is already there)")
    jiuzhu("demo", env=env)
    say("collecting static files")
    jiuzhu("collectstatic", "--noinput", "-v", "0", env=env)
    port = argv[0] if argv else "8000"
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))  # stop the children too (finally below)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl+C, even when started in the background
    say("starting the background-job worker (jiuzhu db_worker) beside the server")
    children = [
        subprocess.Popen(
            [str(BIN / "jiuzhu"), "db_worker", "--queue-name", "*", "--no-reload"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
    ]
    say(f"starting Jiuzhu on http://127.0.0.1:{port}/  (Ctrl+C stops it)")
    try:
        server = subprocess.Popen(
            [str(BIN / "jiuzhu"), "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env, start_new_session=True
        )
        children.append(server)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:  # each in its own process group: the server's autoreloader has a child too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("JIUZHU_SKIP_BROWSER") == "1":
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        say("installing Debian's chromium for the browser tests")
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(apt, "update", "-qq", env=quiet)
        run(apt, "install", "-y", "-qq", "chromium", env=quiet)
        return
    sys.exit(
        f"The browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium). "
        "Set JIUZHU_CHROMIUM to its path, or JIUZHU_SKIP_BROWSER=1 to skip those tests."
    )


def workers(extra: list[str]) -> list[str]:
    """One pytest-xdist worker per core (at most four), unless the caller chose (`-n 0` runs in one process)."""
    if any(arg == "-n" or arg.startswith(("-n", "--numprocesses")) for arg in extra):
        return []
    return ["-n", str(max(1, min(os.cpu_count() or 1, 4)))]


def pytest(label: str, env: dict[str, str], extra: list[str]) -> None:
    say(f"test suite on {label}")
    code = run(PY, "-m", "pytest", *workers(extra), *extra, env=env, check=False)
    if code == 5:
        sys.exit(f"no test ran on {label}: failing rather than passing silently")
    if code != 0:
        sys.exit(code)


def cmd_test(argv: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "jiuzhu.config.settings.test"
    env.pop("DATABASE_URL", None)
    say("ruff (lint and format)")
    run(BIN / "ruff", "check", ".", env=env)
    run(BIN / "ruff", "format", "--check", ".", env=env)
    say("import layers (import-linter)")
    run(BIN / "lint-imports", env=env)
    say("mypy")
    run(BIN / "mypy", "jiuzhu", env=env)
    say("migrations are up to date")
    jiuzhu("makemigrations", "--check", "--dry-run", env=env)
    say("fonts for printed documents (built once into the user's cache, then reused)")
    jiuzhu("prepare_fonts", env=env)
    pytest("SQLite", env, argv)
    if os.environ.get("JIUZHU_SKIP_POSTGRES") != "1" and postgres_answers():
        pg_env = dict(env)
        user = os.environ.get("JIUZHU_TEST_PG_USER", "postgres")
        pg_env["DATABASE_URL"] = f"postgres://{user}@127.0.0.1:5432/jiuzhu_ci_{os.getpid()}"
        pytest("PostgreSQL (throwaway database)", pg_env, argv)
    else:
        say("no PostgreSQL on 127.0.0.1:5432: the suite ran on SQLite only")
    say("all checks passed")


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
