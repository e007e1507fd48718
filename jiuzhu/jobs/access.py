"""Who sees which job: the ones they submitted, and those of regions in their jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.common.exceptions import NotFoundOrNoAccess
from jiuzhu.jobs.models import Job


def jobs_visible_to(actor: Any) -> QuerySet[Job]:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Job.objects.none()
    if getattr(actor, "role", "") == "admin":
        return Job.objects.all()
    mine = Q(created_by=actor)
    regional = ~Q(region_code="") & jurisdiction_q(actor, "region_code")
    return Job.objects.filter(mine | regional)


def access_job_for_view(actor: Any, job_id: Any) -> Job:
    try:
        return jobs_visible_to(actor).get(pk=int(job_id))
    except (ValueError, TypeError, Job.DoesNotExist):
        raise NotFoundOrNoAccess() from None
