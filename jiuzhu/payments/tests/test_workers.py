"""Two worker processes share one payroll's generation: the job is planned into parts (one per
township) and each `jiuzhu db_worker` takes parts from the shared queue in the database. On
PostgreSQL this is the many-machines mode (docs/deployment.md); SQLite runs the same, one writer
at a time."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

from jiuzhu.payments.tests.faults import processes
from jiuzhu.payments.tests.faults.processes import environment, step
from jiuzhu.payments.tests.faults.runner import WIDE_CASES, WIDE_TOWNSHIPS

TOWNSHIPS = WIDE_TOWNSHIPS + 2  # and the two of the test tree, without cases
LINES = WIDE_TOWNSHIPS * WIDE_CASES


def _worker(env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "jiuzhu", "db_worker", "--queue-name", "*", "--interval", "0.1"]
    command += ["--no-reload", "--no-startup-delay", *extra]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _state(env: dict[str, str], job_id: int) -> dict[str, object]:
    return json.loads(step(env, "job", str(job_id)).strip().splitlines()[-1])


database_url = processes.database_url  # the fixture


def test_two_workers_share_the_parts_of_a_payroll(database_url):
    """The first worker takes the job (plans its parts) and one part, then stops (`--max-tasks 2`, as a
    machine taken out of service would); the second, on its own, finishes the rest. Parts done by a
    process that has gone are kept; nothing is done twice."""
    env = environment(database_url)
    step(env, "setup-wide")
    job_id = int(step(env, "submit", "2026-02").split()[-1])
    first = _worker(env, "--max-tasks", "2")
    try:
        first.wait(timeout=180)
    finally:
        if first.poll() is None:
            first.kill()
    halfway = _state(env, job_id)
    assert halfway["status"] == "running" and [c[1] for c in halfway["chunks"]].count("done") == 1, halfway
    state = _until_finished(env, job_id, [_worker(env)])
    assert state["status"] == "succeeded", state
    assert len(state["chunks"]) == TOWNSHIPS and {status for _i, status, _w in state["chunks"]} == {"done"}
    by_worker = {worker for _i, _s, worker in state["chunks"]}
    assert len(by_worker) == 2, f"one process did every part: {by_worker}"
    assert state["lines"] == LINES

    # The next month with both workers started at once: whichever takes which part, every part is
    # done and every case is paid once (the queue's SKIP LOCKED, the parts' own transactions).
    job_id = int(step(env, "submit", "2026-03").split()[-1])
    state = _until_finished(env, job_id, [_worker(env), _worker(env)])
    assert state["status"] == "succeeded", state
    assert len(state["chunks"]) == TOWNSHIPS and {status for _i, status, _w in state["chunks"]} == {"done"}
    assert state["lines"] == 2 * LINES


def _until_finished(env: dict[str, str], job_id: int, workers: list[subprocess.Popen[str]]) -> dict[str, object]:
    """Wait (three minutes at most) until the job has succeeded or failed, then stop the workers."""
    try:
        deadline = time.monotonic() + 180
        while True:
            state = _state(env, job_id)
            if state["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
                return state
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
