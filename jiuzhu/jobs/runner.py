"""Running a job: claim it, run it whole or plan its chunks, run each chunk exactly once, finish.

Called by the tasks in `jiuzhu.jobs.tasks` (in a worker) or directly (`jiuzhu job --here`). Every
step is safe to repeat: a job is claimed only from "queued", a chunk's work and its "done" mark are
one transaction, and finishing happens once, when the last chunk is marked.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.jobs.choices import ChunkStatus, JobStatus
from jiuzhu.jobs.context import JobContext, ProgressListener
from jiuzhu.jobs.kinds import JobKind, job_kind_get
from jiuzhu.jobs.models import Job, JobChunk, JobLogEntry

logger = logging.getLogger(__name__)
EnqueueChunk = Callable[[int, int], None]


def worker_label() -> str:
    """This process, as the job and chunk rows record it (machine and process id)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def job_execute(job_id: int, *, enqueue_chunk: EnqueueChunk, listener: ProgressListener | None = None) -> None:
    """Claim a queued job and run it (or plan its chunks and hand them to `enqueue_chunk`)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.QUEUED).first()
        if job is None:
            return  # taken by another worker, or already finished
        now = timezone.now()
        job.status, job.started_at, job.heartbeat_at, job.error = JobStatus.RUNNING, now, now, ""
        job.attempts += 1
        job.worker = worker_label()
        job.save(update_fields=["status", "started_at", "heartbeat_at", "error", "attempts", "worker"])
    context = JobContext(job, listener=listener)
    try:
        kind = job_kind_get(job.kind)
        if kind.chunked:
            pending = _plan(job, kind, context)
            for index in pending:
                enqueue_chunk(job.pk, index)
            if not pending:
                _finish(job.pk, kind, context)
        else:
            assert kind.run is not None
            try:
                result = kind.run(context, context.params)
            finally:
                context.flush()
            _succeed(job.pk, result)
    except Exception as error:
        _fail(job.pk, error)


def _plan(job: Job, kind: JobKind, context: JobContext) -> list[int]:
    """The chunks not yet done; planned on the first run only (a re-run keeps the plan)."""
    assert kind.plan is not None
    with transaction.atomic():
        if not JobChunk.objects.filter(job=job).exists():
            plans = kind.plan(context, context.params)
            JobChunk.objects.bulk_create(JobChunk(job=job, index=i, params=p) for i, p in enumerate(plans))
            Job.objects.filter(pk=job.pk).update(chunks_total=len(plans))
        return list(
            JobChunk.objects.filter(job=job, status=ChunkStatus.PENDING)
            .order_by("index")
            .values_list("index", flat=True)
        )


def chunk_execute(job_id: int, index: int, *, listener: ProgressListener | None = None) -> None:
    """Run one chunk of a running job, at most once; the chunk that completes the job finishes it."""
    job = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None:
        return  # the job failed meanwhile (its re-run will send the chunk again) or is finished
    kind = job_kind_get(job.kind)
    assert kind.run_chunk is not None
    context = JobContext(job, listener=listener)
    try:
        with transaction.atomic():
            chunk = JobChunk.objects.select_for_update().filter(job_id=job_id, index=index).first()
            if chunk is None or chunk.status == ChunkStatus.DONE:
                return
            kind.run_chunk(context, context.params, chunk.params)
            chunk.status, chunk.finished_at, chunk.worker = ChunkStatus.DONE, timezone.now(), worker_label()
            chunk.save(update_fields=["status", "finished_at", "worker"])
            Job.objects.filter(pk=job_id).update(chunks_done=F("chunks_done") + 1, heartbeat_at=timezone.now())
            job = Job.objects.select_for_update().get(pk=job_id)
            last = job.chunks_done >= job.chunks_total
    except Exception as error:
        _fail(job_id, error, chunk=index)
        return
    if last:
        _finish(job_id, kind, context)


def _finish(job_id: int, kind: JobKind, context: JobContext) -> None:
    try:
        result = kind.finish(context, context.params) if kind.finish is not None else {}
    except Exception as error:
        _fail(job_id, error)
        return
    _succeed(job_id, result)


def _succeed(job_id: int, result: dict[str, object] | None) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.SUCCEEDED, finished_at=now, heartbeat_at=now, result=result or {}
    )


def _fail(job_id: int, error: Exception, *, chunk: int | None = None) -> None:
    logger.exception("job %s failed", job_id)
    message = getattr(error, "user_message", None) or f"{type(error).__name__}: {error}"
    where = _("（第 %(n)s 部分）") % {"n": chunk + 1} if chunk is not None else ""
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, finished_at=now, heartbeat_at=now, error=f"{message}{where}"
        )
        JobLogEntry.objects.create(
            job_id=job_id, level="error", message=f"{message}{where}\n{traceback.format_exc(limit=8)}"
        )
