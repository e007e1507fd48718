"""Asking for a payroll to be generated in the background (pages, API, command)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_submit
from jiuzhu.payments.jobs import PAYROLL_GENERATE
from jiuzhu.payments.models import Payroll
from jiuzhu.payments.rules import Period
from jiuzhu.payments.services.generation import generation_job_key, payroll_open


def payroll_generation_submit(
    *, actor: Any | None, program_code: str, region_code: str, month: datetime.date
) -> tuple[Payroll, Job]:
    """Open the draft (checks and audit in `payroll_open`) and queue its generation. A second request
    while one is queued or running is refused in Chinese (ConflictError `job_running`)."""
    payroll = payroll_open(actor=actor, program_code=program_code, region_code=region_code, month=month)
    job = job_submit(
        actor=actor,
        kind=PAYROLL_GENERATE,
        title=_("生成发放名册：%(program)s %(region)s %(period)s")
        % {
            "program": payroll.program.name,
            "region": payroll.region.name,
            "period": Period(payroll.period_start, payroll.months).label(),
        },
        params={"payroll_id": payroll.pk},
        region_code=payroll.region.code,
        exclusive_key=generation_job_key(payroll.pk),
    )
    return payroll, job
