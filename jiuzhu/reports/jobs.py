"""The snapshot build as a background job (a province's month takes tens of seconds)."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from jiuzhu.accounts.roles import Capability
from jiuzhu.jobs.context import JobContext
from jiuzhu.jobs.kinds import JobKind, Params, job_kind_register
from jiuzhu.reports.services.snapshots import SNAPSHOT_JOB, snapshot_build_run


def _build(context: JobContext, params: Params) -> Params:
    snapshot = snapshot_build_run(
        actor=context.actor(), region_code=str(params["region_code"]),
        month=datetime.date.fromisoformat(str(params["month"])), reason=str(params.get("reason", "")),
        job_id=context.job_id,
    )  # fmt: skip
    return {"snapshot_id": snapshot.pk, "cases": snapshot.cases, "month": f"{snapshot.month:%Y-%m}"}


def _describe(result: Params) -> str:
    return _("%(month)s 月末快照已生成：%(cases)s 条记录。") % {
        "month": result.get("month", ""),
        "cases": result.get("cases", 0),
    }


job_kind_register(
    JobKind(
        name=SNAPSHOT_JOB,
        label=_("生成月末统计快照"),
        capabilities=frozenset({Capability.STATISTICS_BUILD}),
        run=_build,
        describe=_describe,
    )
)
