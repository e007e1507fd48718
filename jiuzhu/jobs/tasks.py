"""The django-tasks tasks that carry jobs to the workers (Django 6: `from django.tasks import task`)."""

from __future__ import annotations

from django_tasks import task

from jiuzhu.jobs.runner import chunk_execute, job_execute


def _enqueue_chunk(job_id: int, index: int) -> None:
    run_job_chunk.enqueue(job_id, index)


@task()
def run_job(job_id: int) -> None:
    job_execute(job_id, enqueue_chunk=_enqueue_chunk)


@task()
def run_job_chunk(job_id: int, index: int) -> None:
    chunk_execute(job_id, index)
