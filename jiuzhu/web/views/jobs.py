"""Background jobs (后台任务): the list, one job with its live progress bar, log and files, a re-run,
and the download of a file the job made."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.jobs.access import access_job_for_view, jobs_visible_to
from jiuzhu.jobs.choices import JobStatus
from jiuzhu.jobs.files import job_file_open, job_files_of, may_download
from jiuzhu.jobs.kinds import job_kind_get
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_is_stalled, job_rerun, require_may_submit
from jiuzhu.web.errors import domain_errors
from jiuzhu.web.views.printing import download_response

PAGE_SIZE = 50


def _label(job: Job) -> str:
    try:
        return str(job_kind_get(job.kind).label)
    except LookupError:
        return job.kind


def _result_text(job: Job) -> str:
    """The kind's sentence for the result; "" when the kind has none (the page lists the figures)."""
    try:
        describe = job_kind_get(job.kind).describe
    except LookupError:
        return ""
    return describe(job.result) if describe is not None and job.status == JobStatus.SUCCEEDED else ""


@login_required
@domain_errors()
def job_list_page(request: HttpRequest) -> HttpResponse:
    jobs = jobs_visible_to(request.user).select_related("created_by")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(job, _label(job)) for job in page]
    return render(request, "web/job_list.html", {"page": page, "rows": rows, "title": _("后台任务")})


@login_required
@domain_errors()
def job_detail_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job_for_view(request.user, job_id)
    context = {
        "job": job,
        "label": _label(job),
        "result_text": _result_text(job),
        "log": job.log.all()[:500],
        "chunks": job.chunks.all()[:1000],
        "files": [(file, may_download(request.user, file, job)) for file in job_files_of(job)],
        "now": timezone.now(),
        "may_rerun": job.status == JobStatus.FAILED or job_is_stalled(job),
        "active": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        "title": job.title,
    }
    return render(request, "web/job_detail.html", context)


@login_required
@domain_errors()
def job_status_json(request: HttpRequest, job_id: int) -> JsonResponse:
    """What the progress bar polls once a second."""
    job = access_job_for_view(request.user, job_id)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": str(JobStatus(job.status).label),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent,
            "active": job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
            "error": job.error,
        }
    )


@login_required
@domain_errors()
def job_rerun_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """POST only; a job out of sight is a 404 whatever the method (the scope is checked first)."""
    require_may_submit(request.user, access_job_for_view(request.user, job_id).kind)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = job_rerun(actor=request.user, job_id=job_id)
    messages.success(request, _("任务已重新排队，已完成的部分不会重复处理。"))
    return redirect("web:job-detail", job.pk)


@login_required
@domain_errors()
def job_file_download(request: HttpRequest, job_id: int, file_id: int) -> HttpResponse:
    """A file the job made, decrypted for the download (audited); never cached."""
    opened = job_file_open(actor=request.user, job_id=job_id, file_id=file_id)
    return download_response(opened.content, opened.file.content_type, opened.file.name)
