"""Background-job pages: the list, a job's live progress (its status JSON), the re-run of a failed job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.accounts.roles import Capability
from jiuzhu.jobs.choices import JobStatus
from jiuzhu.jobs.kinds import JobKind, job_kind_register
from jiuzhu.jobs.models import Job
from jiuzhu.jobs.services import job_submit
from jiuzhu.testing.builders import TOWNSHIP
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db

BROKEN = {"fail": True}


def _count(context, params):
    context.total(40)
    for done in range(1, 41):
        context.set_done(done)
    if BROKEN["fail"]:
        raise RuntimeError("导出文件写入失败")
    return {"rows": 40}


job_kind_register(
    JobKind(
        name="test.pages",
        label="页面测试任务",
        capabilities=frozenset({Capability.CASE_TOWNSHIP_REVIEW}),
        run=_count,
    )
)


def test_the_list_the_progress_json_and_a_rerun(users, client_as):
    BROKEN["fail"] = True
    township = client_as("township")
    job = job_submit(actor=users["township"], kind="test.pages", title="导出家庭名单", region_code=TOWNSHIP)
    page = township.get(reverse("web:job-list"))
    assert page.status_code == 200 and "导出家庭名单" in page.content.decode() and "排队中" in page.content.decode()
    detail = township.get(reverse("web:job-detail", args=[job.pk])).content.decode()
    assert "data-job-status-url" in detail  # an active job's page polls its status
    status = township.get(reverse("web:job-status", args=[job.pk])).json()
    assert status == {
        "status": "queued", "status_label": "排队中", "done": 0, "total": None, "percent": None, "active": True,
        "error": "",
    }  # fmt: skip

    work_the_queue()
    status = township.get(reverse("web:job-status", args=[job.pk])).json()
    assert status["status"] == "failed" and not status["active"] and "导出文件写入失败" in status["error"]
    detail = township.get(reverse("web:job-detail", args=[job.pk])).content.decode()
    assert "重新运行" in detail and "data-job-status-url" not in detail

    BROKEN["fail"] = False
    response = township.post(reverse("web:job-rerun", args=[job.pk]))
    assert response.status_code == 302
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"rows": 40} and job.attempts == 2
    status = township.get(reverse("web:job-status", args=[job.pk])).json()
    assert (status["done"], status["total"], status["percent"]) == (40, 40, 100)


def test_others_do_not_see_the_job_and_may_not_rerun_it(users, client_as):
    job = job_submit(actor=users["township"], kind="test.pages", title="导出", region_code=TOWNSHIP)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    other = client_as("coordinator_other")
    assert other.get(reverse("web:job-detail", args=[job.pk])).status_code == 404
    assert other.get(reverse("web:job-status", args=[job.pk])).status_code == 404
    assert other.post(reverse("web:job-rerun", args=[job.pk])).status_code == 404
    assert "导出" not in other.get(reverse("web:job-list")).content.decode()
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_a_finished_job_page_says_its_result_in_words(users, client_as, finished_review_job):
    job = finished_review_job
    page = client_as("township").get(reverse("web:job-detail", args=[job.pk])).content.decode()
    assert "已发起定期复核 0 户。" in page and "opened" not in page


@pytest.fixture
def finished_review_job(users):
    from jiuzhu.cases.jobs import REVIEWS_OPEN_DUE

    job = job_submit(actor=users["township"], kind=REVIEWS_OPEN_DUE, title="开启到期复核", region_code=TOWNSHIP)
    work_the_queue()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    return job
