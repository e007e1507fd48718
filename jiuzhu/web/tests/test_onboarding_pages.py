"""Onboarding pages: the county officer downloads the template, uploads the office's ledger, confirms
the columns and reads the dry run row by row (also as a workbook); the county approver imports it;
the household file and the case say where the record came from. Others see what their role allows."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Application
from jiuzhu.cases.tests.conftest import make_policy
from jiuzhu.onboarding.fields import FIELDS
from jiuzhu.onboarding.models import BatchStatus, OnboardingBatch
from jiuzhu.onboarding.tests.test_batches import _file, make_people
from jiuzhu.testing.builders import COUNTY
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def policy(users):
    return make_policy(users)  # rural dibao, 72 yuan, since 2000


def test_the_whole_journey_from_template_to_household_file(client_as, policy, people):
    officer = client_as("county_officer")
    listing = officer.get(reverse("web:onboarding-list"))
    assert listing.status_code == 200 and b'id="onboarding-upload"' in listing.content
    template = officer.get(reverse("web:onboarding-template"))
    assert template["Content-Disposition"].startswith("attachment")
    header = next(openpyxl.load_workbook(io.BytesIO(template.content))["存量对象"].iter_rows(values_only=True))
    assert list(header) == [field.label for field in FIELDS]

    content = _file(people)
    uploaded = officer.post(
        reverse("web:onboarding-list"),
        {"region": COUNTY, "go_live": "2026-06-01", "reason": "2026年5月低保台账",
         "file": SimpleUploadedFile("台账.csv", content, content_type="text/csv")},
    )  # fmt: skip
    batch = OnboardingBatch.objects.get()
    assert uploaded.status_code == 302 and uploaded.url == reverse("web:onboarding-detail", args=[batch.pk])
    form = officer.get(uploaded.url).context["form"]
    assert form["column_id_number"].initial == "身份证号" and "save_as" not in form.fields
    columns = {f"column_{key}": name for key, name in batch.columns.items()}
    assert officer.post(uploaded.url, columns).status_code == 302
    work_the_queue()
    html = officer.get(uploaded.url).content.decode()
    assert "新建家庭档案和在保低保 1 户" in html and "有误，不导入 1 户" in html
    assert "【身份证号】" in html and "【与户主关系】" in html and "“外甥”不是可用的值" in html
    assert people[0] not in html  # masked in the table
    assert "导入须由县级审批人确认" not in html and "导入会建立在保对象，须由县级审批人确认导入。" in html
    results = officer.get(reverse("web:onboarding-results", args=[batch.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(results.content)).active.iter_rows(min_row=4, values_only=True))
    assert [(r[0], r[1], r[5], r[6]) for r in rows if r[6]] == [
        (6, "A3", "有误，不导入", "身份证号"),
        (7, "A3", "有误，不导入", "与户主关系"),
    ]
    assert officer.post(reverse("web:onboarding-apply", args=[batch.pk])).status_code == 403

    approver = client_as("county_approver")
    assert approver.post(reverse("web:onboarding-apply", args=[batch.pk])).status_code == 302
    work_the_queue()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPLIED
    page = approver.get(reverse("web:onboarding-detail", args=[batch.pk])).content.decode()
    assert "已导入 2 户" in page and "家庭档案" in page
    household_id = batch.households.get(key="A1").household_id
    file_page = approver.get(reverse("web:household-file", args=[household_id])).content.decode()
    assert "存量数据迁移来源" in file_page
    application = Application.objects.get(household_id=household_id)
    case_page = approver.get(reverse("web:case-detail", args=[application.pk])).content.decode()
    assert 'id="case-origin"' in case_page and "存量数据迁移" in case_page and "台账.csv 第 2–3 行" in case_page
    original = approver.get(reverse("web:onboarding-original", args=[batch.pk]))
    assert b"".join(original.streaming_content) == content
    assert AuditEvent.objects.filter(event_type=AuditEventType.ONBOARDING_DOWNLOADED).count() == 1


def test_roles_without_onboarding_get_403(client_as):
    for role in ("coordinator_a", "township", "finance", "supervisor"):
        assert client_as(role).get(reverse("web:onboarding-list")).status_code == 403, role
        assert client_as(role).get(reverse("web:onboarding-template")).status_code == 403, role
