"""Asking for payroll work to be done in the background (pages, API, command): generating a payroll;
and, for large payrolls, its bank file and its village rosters."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.common.exceptions import NotFoundOrNoAccess, TransitionNotAllowed
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_submit
from jiuzhu.payments.access import access_payroll_for_change, access_payroll_for_view
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.jobs import BANK_FILE_EXPORT, PAYROLL_GENERATE, ROSTER_BUILD
from jiuzhu.payments.models import Payroll
from jiuzhu.payments.rules import Period
from jiuzhu.payments.services.bank import institutions_for
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


def made_in_background(households: int) -> bool:
    """Whether a bank file or rosters for this many households are made by a job rather than in the
    request (`JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS`)."""
    return households > settings.JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS


def bank_file_export_submit(*, actor: Any, payroll_id: int, institution_id: int) -> Job:
    """Queue the bank file of a large payroll; the file is kept for the requester only. The checks
    the export makes are made here first too, so a request that cannot succeed is refused at once."""
    require_capability(actor, Capability.PAYROLL_EXPORT)
    payroll = access_payroll_for_change(actor, payroll_id)
    if payroll.status not in (PayrollStatus.LOCKED, PayrollStatus.EXPORTED):
        raise TransitionNotAllowed(_("只有已锁定、尚未对账完成的发放名册才能生成银行文件。"), code="payroll_not_locked")
    institution = next((i for i in institutions_for(payroll) if i.pk == int(institution_id)), None)
    if institution is None:
        raise NotFoundOrNoAccess()
    return job_submit(
        actor=actor,
        kind=BANK_FILE_EXPORT,
        title=_("生成银行发放文件：%(program)s %(region)s %(period)s（%(institution)s）")
        % {**_labels(payroll), "institution": institution.name},
        params={"payroll_id": payroll.pk, "institution_id": institution.pk},
        region_code=payroll.region.code,
        exclusive_key=f"payments.bank_file:{payroll.pk}",
    )


def roster_build_submit(*, actor: Any, payroll_id: int, region_code: str, file_format: str) -> Job:
    """Queue the village rosters of a large payroll (PDF or XLSX), within the actor's area."""
    require_capability(actor, Capability.PAYROLL_VIEW)
    payroll = access_payroll_for_view(actor, payroll_id)
    if file_format not in ("pdf", "xlsx"):
        raise NotFoundOrNoAccess()
    return job_submit(
        actor=actor,
        kind=ROSTER_BUILD,
        title=_("生成发放花名册：%(program)s %(region)s %(period)s") % _labels(payroll),
        params={"payroll_id": payroll.pk, "region_code": region_code, "format": file_format},
        region_code=region_code or _deeper(payroll.region.code, actor),
    )


def _deeper(payroll_region: str, actor: Any) -> str:
    """The payroll's region, or the actor's own when the payroll covers more (a village coordinator
    printing their village's part of a county payroll)."""
    own = getattr(getattr(actor, "region", None), "code", "")
    return own if own and own.startswith(payroll_region) else payroll_region


def _labels(payroll: Payroll) -> dict[str, str]:
    return {
        "program": payroll.program.name,
        "region": payroll.region.name,
        "period": Period(payroll.period_start, payroll.months).label(),
    }
