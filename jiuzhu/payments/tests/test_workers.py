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


def _worker(env: dict[str, str]) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "jiuzhu", "db_worker", "--queue-name", "*", "--interval", "0.1"]
    command += ["--no-reload", "--no-startup-delay"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


database_url = processes.database_url  # the fixture


def test_two_workers_share_the_parts_of_a_payroll(database_url):
    env = environment(database_url)
    step(env, "setup-wide")
    workers = [_worker(env), _worker(env)]
    try:
        for worker in workers:  # both are up and polling the queue before the job is submitted
            assert worker.stderr is not None
            assert "Starting worker" in worker.stderr.readline()
        job_id = int(step(env, "submit", "2026-02").split()[-1])
        deadline = time.monotonic() + 180
        while True:
            state = json.loads(step(env, "job", str(job_id)).strip().splitlines()[-1])
            if state["status"] in ("succeeded", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
    assert state["status"] == "succeeded", state
    assert len(state["chunks"]) == TOWNSHIPS and {status for _i, status, _w in state["chunks"]} == {"done"}
    by_worker = {worker for _i, _s, worker in state["chunks"]}
    assert len(by_worker) == 2, f"one process did every part: {by_worker}"
    assert state["lines"] == LINES
