"""What a running job's code sees: its parameters, and a way to report progress and write its log."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django.utils import timezone

from jiuzhu.jobs.models import Job, JobLogEntry

PROGRESS_EVERY_S = 0.5  # progress is written at most twice a second (pages poll once a second)
ProgressListener = Callable[[], None]  # told after each progress write (the command's bar reads it)


class JobContext:
    def __init__(self, job: Job, *, listener: ProgressListener | None = None) -> None:
        self.job_id = job.pk
        self._listener = listener
        self.params: dict[str, Any] = dict(job.params)
        self.region_code = job.region_code
        self.actor_id = job.created_by_id
        self._last_write = 0.0
        self._unwritten: int | None = None  # a figure `set_done` held back

    def actor(self) -> Any | None:
        """The user who submitted the job (with their region, for jurisdiction checks); None for a
        job from cron (`jiuzhu job`), which runs as the system."""
        from jiuzhu.accounts.models import User

        return User.objects.select_related("region").get(pk=self.actor_id) if self.actor_id else None

    def log(self, message: str, *, level: str = "info") -> None:
        JobLogEntry.objects.create(job_id=self.job_id, message=message, level=level)

    def total(self, total: int) -> None:
        Job.objects.filter(pk=self.job_id).update(progress_total=total, heartbeat_at=timezone.now())
        self._told()

    def advance(self, count: int = 1) -> None:
        """`count` more items done. Chunks of one job may run in several workers at once, so the
        figure is added in the database, not set."""
        Job.objects.filter(pk=self.job_id).update(progress_done=F("progress_done") + count, heartbeat_at=timezone.now())
        self._told()

    def set_done(self, done: int) -> None:
        """Progress of a job that runs whole, written at most twice a second."""
        now = time.monotonic()
        self._unwritten = done
        if now - self._last_write >= PROGRESS_EVERY_S:
            self.flush()
            self._last_write = now

    def flush(self) -> None:
        """Write the figure `set_done` last held back (the runner calls it when the job ends)."""
        if self._unwritten is not None:
            Job.objects.filter(pk=self.job_id).update(progress_done=self._unwritten, heartbeat_at=timezone.now())
            self._unwritten = None
            self._told()

    def output(self, *, name: str, content_type: str, content: bytes, sensitive: bool = False) -> None:
        """Keep a file the job made for its requester (encrypted; see `jiuzhu.jobs.files`)."""
        from jiuzhu.jobs.files import job_file_save

        job_file_save(job_id=self.job_id, name=name, content_type=content_type, content=content, sensitive=sensitive)

    def _told(self) -> None:
        if self._listener is not None:
            self._listener()
