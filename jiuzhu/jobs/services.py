"""Submitting and re-running jobs. The job row and its queue entry are written in one transaction,
so a job is never queued without its row nor recorded without being queued."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability, require_region_in_jurisdiction
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, PermissionDeniedError, TransitionNotAllowed
from jiuzhu.jobs.access import access_job_for_view
from jiuzhu.jobs.choices import ACTIVE_STATUSES, JobStatus
from jiuzhu.jobs.kinds import JobKind, job_kind_get
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.tasks import run_job

DEFAULT_STALL_SECONDS = 600


def _may_submit(actor: Any | None, kind: JobKind) -> bool:
    if actor is None:  # a command or the scheduler
        return True
    if getattr(actor, "role", "") == "admin":
        return True
    return any(has_capability(actor, capability) for capability in kind.capabilities)


def require_may_submit(actor: Any | None, kind: str) -> None:
    """PermissionDeniedError unless the actor may submit (or re-run) jobs of this kind."""
    if not _may_submit(actor, job_kind_get(kind)):
        raise PermissionDeniedError()


def _running_conflict(exclusive_key: str) -> ConflictError:
    running = Job.objects.filter(exclusive_key=exclusive_key, status__in=list(ACTIVE_STATUSES)).first()
    return ConflictError(
        _("同一任务“%(title)s”正在进行（任务编号 %(id)s），请等它完成后再提交。")
        % {"title": running.title if running else exclusive_key, "id": running.pk if running else "—"},
        code="job_running",
        job=running.pk if running else None,
    )


@transaction.atomic
def job_submit(
    *,
    actor: Any | None,
    kind: str,
    title: str,
    params: dict[str, Any] | None = None,
    region_code: str = "",
    exclusive_key: str = "",
) -> Job:
    """Queue a job of a registered kind. With `exclusive_key`, a second job with the same key while
    one is queued or running is refused (ConflictError, code `job_running`) — for example two
    payroll generations of one county and month. Writes JOB_SUBMITTED."""
    job_kind = job_kind_get(kind)
    if not _may_submit(actor, job_kind):
        raise PermissionDeniedError()
    if actor is not None and region_code:
        require_region_in_jurisdiction(actor, region_code)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                title=title,
                params=params or {},
                region_code=region_code,
                exclusive_key=exclusive_key,
                created_by=actor if actor is not None and getattr(actor, "pk", None) else None,
            )
    except IntegrityError:
        raise _running_conflict(exclusive_key) from None
    run_job.enqueue(job.pk)
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.JOB_SUBMITTED,
        subject=job,
        region_code=region_code,
        after={"kind": kind, "title": title, "params": job.params},
    )
    return job


def job_is_stalled(job: Job, now: datetime.datetime | None = None) -> bool:
    """A running job whose worker has shown no sign of life for a while (it died)."""
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    limit = getattr(settings, "JIUZHU_JOB_STALL_SECONDS", DEFAULT_STALL_SECONDS)
    return ((now or timezone.now()) - job.heartbeat_at).total_seconds() > limit


@transaction.atomic
def job_rerun(*, actor: Any | None, job_id: int) -> Job:
    """Queue a failed job again, or a stalled one (its worker died); the chunks already done are
    kept and skipped. Writes JOB_RERUN."""
    if actor is not None:
        access_job_for_view(actor, job_id)  # 404 outside what the actor sees
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        raise NotFoundOrNoAccess()
    if not _may_submit(actor, job_kind_get(job.kind)):
        raise PermissionDeniedError()
    if job.status != JobStatus.FAILED and not job_is_stalled(job):
        raise TransitionNotAllowed(
            _("任务状态为“%(status)s”，只有失败或中断的任务可以重新运行。") % {"status": JobStatus(job.status).label},
            code="job_not_rerunnable",
        )
    before = job.status
    job.status, job.finished_at, job.error = JobStatus.QUEUED, None, ""
    job.save(update_fields=["status", "finished_at", "error"])
    run_job.enqueue(job.pk)
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.JOB_RERUN,
        subject=job,
        region_code=job.region_code,
        before={"status": before},
        after={"status": JobStatus.QUEUED, "attempts": job.attempts},
    )
    return job
