"""The job machinery on the real database-backed queue: a worker (django-tasks-db's `db_worker`,
run here with --batch) takes the queued tasks; chunks run once each; a failed job re-runs safely."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, PermissionDeniedError, TransitionNotAllowed
from jiuzhu.jobs.access import access_job_for_view, jobs_visible_to
from jiuzhu.jobs.choices import ChunkStatus, JobStatus
from jiuzhu.jobs.kinds import JobKind, job_kind_register
from jiuzhu.jobs.models import Job, JobChunk, JobLogEntry
from jiuzhu.jobs.services import job_rerun, job_submit
from jiuzhu.testing.builders import OTHER_TOWNSHIP_VILLAGE, TOWNSHIP
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db

CHUNKS = 5
WORK: list[tuple[int, int]] = []  # (job, chunk) each time a chunk's work is done
FAIL_ONCE: set[tuple[int, int]] = set()


def _plan(context, params):
    context.total(CHUNKS * 10)
    return [{"part": i} for i in range(CHUNKS)]


def _chunk(context, params, chunk):
    key = (context.job_id, chunk["part"])
    if key in FAIL_ONCE:
        FAIL_ONCE.discard(key)
        raise RuntimeError("银行文件服务器无响应")
    WORK.append(key)
    context.advance(10)


def _finish(context, params):
    return {"parts": sorted(part for job, part in WORK if job == context.job_id)}


job_kind_register(
    JobKind(
        name="test.chunked",
        label="分块测试任务",
        capabilities=frozenset({Capability.CASE_TOWNSHIP_REVIEW}),
        plan=_plan,
        run_chunk=_chunk,
        finish=_finish,
    )
)
job_kind_register(
    JobKind(
        name="test.whole",
        label="整体测试任务",
        capabilities=frozenset({Capability.CASE_TOWNSHIP_REVIEW}),
        run=lambda context, params: {"echo": params},
    )
)


@pytest.fixture(autouse=True)
def _clean():
    WORK.clear()
    FAIL_ONCE.clear()


def test_a_job_is_queued_with_its_row_and_run_by_the_worker(users):
    township = users["township"]
    job = job_submit(actor=township, kind="test.whole", title="测试", params={"a": 1}, region_code=TOWNSHIP)
    assert job.status == JobStatus.QUEUED
    assert DBTaskResult.objects.filter(args_kwargs__args=[job.pk]).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.JOB_SUBMITTED, subject_id=job.pk).exists()
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"echo": {"a": 1}} and job.attempts == 1
    assert job.started_at is not None and job.finished_at >= job.started_at


def test_chunks_run_once_each_and_a_failed_job_reruns_only_what_is_missing(users):
    township = users["township"]
    job = job_submit(actor=township, kind="test.chunked", title="分块", region_code=TOWNSHIP)
    FAIL_ONCE.add((job.pk, 3))
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "银行文件服务器无响应" in job.error and "第 4 部分" in job.error
    assert JobLogEntry.objects.filter(job=job, level="error").exists()
    done_before = {part for _job, part in WORK}
    assert 3 not in done_before
    assert JobChunk.objects.filter(job=job, status=ChunkStatus.DONE).count() == len(done_before)

    job_rerun(actor=township, job_id=job.pk)
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert sorted(part for _job, part in WORK) == list(range(CHUNKS))  # every chunk's work exactly once
    assert job.result == {"parts": list(range(CHUNKS))}
    assert (job.chunks_done, job.chunks_total) == (CHUNKS, CHUNKS)
    assert job.progress_done == job.progress_total == CHUNKS * 10 and job.percent == 100
    assert AuditEvent.objects.filter(event_type=AuditEventType.JOB_RERUN, subject_id=job.pk).count() == 1


def test_a_second_job_with_the_same_key_is_refused_while_the_first_is_active(users):
    township = users["township"]
    first = job_submit(actor=township, kind="test.whole", title="生成名册", exclusive_key="payroll:511723105:2026-06")
    with pytest.raises(ConflictError) as raised:
        job_submit(actor=township, kind="test.whole", title="生成名册", exclusive_key="payroll:511723105:2026-06")
    assert raised.value.code == "job_running" and str(first.pk) in raised.value.user_message
    assert Job.objects.count() == 1
    work_the_queue()
    again = job_submit(actor=township, kind="test.whole", title="生成名册", exclusive_key="payroll:511723105:2026-06")
    assert again.pk != first.pk


def test_who_may_submit_see_and_rerun(users):
    with pytest.raises(PermissionDeniedError):
        job_submit(actor=users["coordinator_a"], kind="test.chunked", title="x")
    with pytest.raises(NotFoundOrNoAccess):
        job_submit(actor=users["township"], kind="test.chunked", title="x", region_code=OTHER_TOWNSHIP_VILLAGE)
    job = job_submit(actor=users["township"], kind="test.chunked", title="x", region_code=TOWNSHIP)
    assert list(jobs_visible_to(users["township"])) == [job]
    assert not jobs_visible_to(users["coordinator_other"]).exists()
    with pytest.raises(NotFoundOrNoAccess):
        access_job_for_view(users["coordinator_other"], job.pk)
    with pytest.raises(TransitionNotAllowed):
        job_rerun(actor=users["township"], job_id=job.pk)  # queued: nothing to re-run
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_a_job_whose_worker_died_can_be_rerun_after_the_stall_limit(users, settings):
    settings.JIUZHU_JOB_STALL_SECONDS = 60
    township = users["township"]
    job = job_submit(actor=township, kind="test.chunked", title="x", region_code=TOWNSHIP)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    with pytest.raises(TransitionNotAllowed):
        job_rerun(actor=township, job_id=job.pk)  # still alive
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    job_rerun(actor=township, job_id=job.pk)
    work_the_queue()
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
