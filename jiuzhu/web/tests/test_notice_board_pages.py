"""Notice boards: the township officer sees the boards of the benefits paid this month, prints one
village's list, and has all boards of the township made in one job; names, sizes and amounts only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from jiuzhu.jobs.files import job_file_open
from jiuzhu.jobs.models import Job, JobFile
from jiuzhu.reports.tests.fixtures import build_county
from jiuzhu.testing.builders import TOWNSHIP, VILLAGE_A, VILLAGE_B
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace(" ", "")


def test_boards_of_a_township_one_village_and_the_job(client_as, regions, users):  # type: ignore[no-untyped-def]
    build_county(regions)  # this month: A1 (3 living, 1,000 yuan) and A2 (1, 500) in village A; B1 stopped
    township = client_as("township")
    page = township.get(reverse("web:notice-boards"), {"region": TOWNSHIP})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="notice-boards"' in html
    assert "凤凰村" in html and "1,500.00" in html and "石桥村" not in html.split('id="notice-boards"')[1]

    village = township.get(reverse("web:notice-boards-pdf"), {"region": VILLAGE_A})
    text = _text(village.content)
    assert "凤凰村农村最低生活保障对象长期公示名单" in text and "1,000.00" in text and "500.00" in text
    assert "丙" not in text and "讲治镇人民政府" in text

    queued = township.post(reverse("web:notice-boards-job"), {"region": TOWNSHIP})
    assert queued.status_code == 302
    work_the_queue()
    job = Job.objects.get()
    assert job.status == "succeeded" and job.result == {"boards": 1, "households": 2}
    file = JobFile.objects.get(job=job)
    opened = job_file_open(actor=users["township"], job_id=job.pk, file_id=file.pk)
    assert "凤凰村农村最低生活保障对象长期公示名单" in _text(opened.content)


def test_a_village_coordinator_sees_only_her_own_board(client_as, regions):  # type: ignore[no-untyped-def]
    build_county(regions)
    other = client_as("coordinator_b")
    asked = other.get(reverse("web:notice-boards-pdf"), {"region": VILLAGE_A})  # not hers: her own list instead
    assert "凤凰村" not in _text(asked.content) and "本地区本月没有在保对象" in _text(asked.content)
    page = other.get(reverse("web:notice-boards"), {"region": VILLAGE_A})
    assert "甲" not in page.content.decode().split('id="boards-job"')[0].split("<h1>")[1]
    assert client_as("coordinator_a").get(reverse("web:notice-boards"), {"region": VILLAGE_B}).status_code == 200
    assert other.get(reverse("web:notice-boards-job")).status_code == 405
