"""Reads about jobs for other apps (no actor: callers check their own access)."""

from __future__ import annotations

from jiuzhu.jobs.choices import ACTIVE_STATUSES
from jiuzhu.jobs.models import Job


def job_active_for_key(exclusive_key: str) -> Job | None:
    """The queued or running job holding `exclusive_key`, if any."""
    return Job.objects.filter(exclusive_key=exclusive_key, status__in=list(ACTIVE_STATUSES)).first()
