"""The sweep (拉网式交叉核查): every check over every case in force of a region, as one job.

The database's cases, members and accounts and the latest imported records of each source are put
in an in-memory DuckDB (`verification.snapshot`); each check is one query there
(`verification.checks`); what they find becomes flags, each finding once (its fingerprint), due
for an answer in `JIUZHU_FLAG_DUE_DAYS` days. Findings already flagged — open, confirmed or
dismissed — are not raised again: a dismissed finding returns only when its facts change.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_submit
from jiuzhu.regions.models import Region
from jiuzhu.verification import snapshot
from jiuzhu.verification.checks import CHECKS, Check
from jiuzhu.verification.models import Flag, FlagStatus, Sweep
from jiuzhu.verification.records import connect

SWEEP_JOB = "verification.sweep"


@dataclass(frozen=True)
class Finding:
    check: Check
    household_id: int
    entitlement_id: int
    region_id: int
    person_id: int | None
    key: str
    facts: dict[str, Any]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(f"{self.check.code}|{self.key}".encode()).hexdigest()


@dataclass(frozen=True)
class SweepTimes:
    snapshot_s: float
    checks_s: float
    flags_s: float


def sweep_submit(*, actor: Any, region_code: str) -> Job:
    require_capability(actor, Capability.VERIFICATION_IMPORT)
    require_region_in_jurisdiction(actor, region_code)
    region = Region.objects.get(code=region_code)
    return job_submit(
        actor=actor,
        kind=SWEEP_JOB,
        title=_("交叉核查：%(region)s") % {"region": region.name},
        params={"region_code": region_code},
        region_code=region_code,
        exclusive_key=f"{SWEEP_JOB}:{region_code}",
    )


def find(db: Any) -> list[Finding]:
    """Run every check on the snapshot in `db`."""
    findings: list[Finding] = []
    for check in CHECKS:
        result = db.execute(check.sql)
        names = [column[0] for column in result.description]
        for row in result.fetchall():
            facts = dict(zip(names, row, strict=True))
            findings.append(
                Finding(
                    check=check,
                    household_id=int(facts.pop("household_id")),
                    entitlement_id=int(facts.pop("entitlement_id")),
                    region_id=int(facts.pop("region_id")),
                    person_id=int(facts["person_id"]) if facts.get("person_id") is not None else None,
                    key=str(facts.pop("key")),
                    facts=facts,
                )
            )
    return findings


def sweep_run(
    *, region_code: str, actor_id: int | None = None, job_id: int | None = None,
    today: datetime.date | None = None, progress: Callable[[int], None] | None = None,
) -> tuple[Sweep, SweepTimes]:  # fmt: skip
    """The job's work. Helper service: the actor and region were checked on submit."""
    today = today or timezone.localdate()
    region = Region.objects.get(code=region_code)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jiuzhu-sweep-") as work, connect() as db:
        built = snapshot.build(db, region_code=region_code, today=today, work=work)
        taken = time.perf_counter()
        findings = find(db)
    add_names(findings)
    checked = time.perf_counter()
    sweep, _raised = _record(region, built, findings, actor_id=actor_id, job_id=job_id, today=today)
    if progress is not None:
        progress(len(findings))
    done = time.perf_counter()
    return sweep, SweepTimes(snapshot_s=taken - started, checks_s=checked - taken, flags_s=done - checked)


def _record(
    region: Region, built: snapshot.Snapshot, findings: list[Finding], *, actor_id: int | None,
    job_id: int | None, today: datetime.date,
) -> tuple[Sweep, int]:  # fmt: skip
    """Flags for the findings not flagged before: the unique fingerprint decides (INSERT … ON
    CONFLICT DO NOTHING), so two sweeps at once cannot raise one finding twice either."""
    due_on = today + datetime.timedelta(days=settings.JIUZHU_FLAG_DUE_DAYS)
    with transaction.atomic():
        sweep = Sweep.objects.create(
            region=region, cases=built.cases, members=built.members, datasets=built.datasets,
            found=len(findings), created_by_id=actor_id, job_id=job_id,
        )  # fmt: skip
        _insert_flags(sweep, findings, due_on)
        sweep.raised, sweep.finished_at = Flag.objects.filter(sweep=sweep).count(), timezone.now()
        sweep.save(update_fields=["raised", "finished_at"])
        audit_event_record(
            actor=None,
            event_type=AuditEventType.SWEEP_FINISHED,
            subject=sweep,
            region_code=region.code,
            after={"cases": built.cases, "found": len(findings), "raised": sweep.raised, "datasets": built.datasets},
        )
    return sweep, sweep.raised


FLAG_COLUMNS = (
    "check_code", "severity", "fingerprint", "household_id", "entitlement_id", "person_id", "region_id",
    "explanation", "facts", "sweep_id", "raised_at", "due_on", "status", "resolution",
)  # fmt: skip


def _insert_flags(sweep: Sweep, findings: list[Finding], due_on: datetime.date) -> None:
    """INSERT … ON CONFLICT (fingerprint) DO NOTHING with the driver's executemany: a province's sweep
    may write tens of thousands (the ORM's bulk_create costs four times as much here)."""
    table = connection.ops.quote_name(Flag._meta.db_table)
    marks = ", ".join(["%s"] * len(FLAG_COLUMNS))
    sql = (
        f"INSERT INTO {table} ({', '.join(FLAG_COLUMNS)}) VALUES ({marks})"  # noqa: S608 - our table and columns
        " ON CONFLICT (fingerprint) DO NOTHING"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    due = connection.ops.adapt_datefield_value(due_on)
    rows = [
        (
            f.check.code,
            f.check.severity,
            f.fingerprint,
            f.household_id,
            f.entitlement_id,
            f.person_id,
            f.region_id,
            f.check.explain(f.facts),
            json.dumps(_json(f.facts), ensure_ascii=False),
            sweep.pk,
            now,
            due,
            FlagStatus.OPEN.value,
            "",
        )
        for f in findings
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY into a scratch table, then one INSERT … SELECT
            columns = ", ".join(FLAG_COLUMNS)
            cursor.execute(f"CREATE TEMPORARY TABLE flag_new AS SELECT {columns} FROM {table} LIMIT 0")  # noqa: S608
            with cursor.cursor.copy(f"COPY flag_new ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM flag_new"  # noqa: S608
                " ON CONFLICT (fingerprint) DO NOTHING"
            )
            cursor.execute("DROP TABLE flag_new")
            return
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def add_names(findings: list[Finding]) -> None:
    """The person's name and the case's last paid month, for the findings only (reading them for
    every member of a province would double the sweep)."""
    names = snapshot.names_of({f.person_id for f in findings if f.person_id is not None})
    deaths = {f.entitlement_id for f in findings if f.check.code == "death_still_paid"}
    paid = snapshot.last_paid_months(deaths)
    for finding in findings:
        if finding.person_id is not None:
            finding.facts.setdefault("name", names.get(finding.person_id, ""))
        if finding.check.code == "death_still_paid":
            finding.facts["last_paid_month"] = paid.get(finding.entitlement_id)


def _json(facts: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else _plain(value) for key, value in facts.items()
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
