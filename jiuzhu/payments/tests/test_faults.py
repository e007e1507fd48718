"""A crash mid-payroll loses nothing and pays nothing twice. The generating process is killed
(SIGKILL) at a random point of its run — inside the first part, inside the second, or while
finishing — then run again, on a database of its own (a SQLite file, or a PostgreSQL database, like
the suite's). After each kill, a part's lines are all there or none are, and never two lines for
one case and month; after the re-run, exactly one line per case and month with the right total, and
the stored total equals the lines'. Each round is a new quarter, so each kill hits a generation
that is writing lines."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import threading
from pathlib import Path

from jiuzhu.payments.tests.faults import processes
from jiuzhu.payments.tests.faults.processes import environment, runner, step
from jiuzhu.payments.tests.faults.runner import CASES

ROOT = Path(__file__).resolve().parents[3]
STANDARD = 7200
# Lines of a quarter per part (township): 讲治镇 (two villages), then 甘棠镇.
PART_LINES = [3 * (CASES["511723105201"] + CASES["511723105202"]), 3 * CASES["511723106201"]]
ALL_LINES = sum(PART_LINES)
QUARTERS = ["2026-04", "2026-07", "2026-10"]  # one kill inside part 1, one inside part 2, one while finishing
SEED = 20260401


def _check(env: dict[str, str], month: str) -> dict[str, object]:
    return json.loads(step(env, "check", month).strip().splitlines()[-1])


def _generate_and_kill(env: dict[str, str], month: str, *, after_parts: int, delay: float) -> list[str]:
    """Start generating a quarter; SIGKILL the process `delay` seconds after it has reported
    `after_parts` parts done (0: after it is ready). Returns what it printed."""
    process = subprocess.Popen(
        runner("generate", month), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
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


database_url = processes.database_url  # the fixture


def test_killed_payroll_generation_is_rerun_without_loss_or_double_payment(database_url):
    env = environment(database_url)
    step(env, "setup")
    rng = random.Random(SEED)
    states = set()
    for round_number, month in enumerate(QUARTERS):
        after_parts = round_number % (len(PART_LINES) + 1)  # inside part 1, inside part 2, while finishing
        # Inside part 2 the kill must land within a few milliseconds of part 1's report: part 2 (9,000
        # lines) takes longer than that, however fast the machine (a 50 ms delay let it finish first).
        delay = rng.uniform(0.0, 0.005 if after_parts == 1 else 0.05)
        said = _generate_and_kill(env, month, after_parts=after_parts, delay=delay)
        after_kill = _check(env, month)
        lines = after_kill["lines"] or 0
        # A part is written whole or not at all; no case and month is ever paid twice.
        assert lines in (0, PART_LINES[0], ALL_LINES), (month, after_parts, delay, said, after_kill)
        assert after_kill["all_lines"] == after_kill["all_distinct"], (month, after_kill)
        states.add(lines)

        step(env, "generate", month)  # the re-run
        rerun = _check(env, month)
        assert (rerun["lines"], rerun["distinct"], rerun["total_fen"]) == (ALL_LINES, ALL_LINES, ALL_LINES * STANDARD)
        assert (rerun["stored_lines"], rerun["stored_total_fen"]) == (ALL_LINES, ALL_LINES * STANDARD)
        assert rerun["all_lines"] == rerun["all_distinct"] and rerun["status"] == "draft"
    # The kills interrupted generations half-way (one part written, the other not), not only before or after.
    assert PART_LINES[0] in states, states
