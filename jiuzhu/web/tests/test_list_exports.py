"""导出 Excel on the list pages: what the page shows with its filters, IDs as masked text (in full
only for a role that may see them, and then audited), formulas neutralised; long lists as a job."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.jobs.files import job_file_open
from jiuzhu.jobs.models import Job, JobFile
from jiuzhu.reports.tests.fixtures import build_county
from jiuzhu.testing.builders import VILLAGE_A, make_household, person
from jiuzhu.testing.jobs import work_the_queue

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[tuple]:  # type: ignore[type-arg]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_households_as_the_page_filters_them_masked_and_neutralised(client_as, world, users):  # type: ignore[no-untyped-def]
    make_household(
        users["coordinator_a"], world.regions[VILLAGE_A], person('=HYPERLINK("http://x")'), address="@SUM(1)"
    )
    coordinator = client_as("coordinator_a")
    answer = coordinator.get(reverse("web:export-households"))
    assert answer.status_code == 200 and answer["Content-Disposition"].startswith("attachment")
    header, *rows = _rows(answer.content)
    assert header[:2] == ("户主", "户主身份证号")
    heads = {row[0] for row in rows}
    assert heads == {"张三", '\'=HYPERLINK("http://x")'}  # village A only; the formula made text
    zhang = next(row for row in rows if row[0] == "张三")
    assert "*" in zhang[1] and len(zhang[1]) == 18  # masked unless asked for in full
    assert any(row[6] == "'@SUM(1)" for row in rows)
    # The finance officer may not see full numbers: asking for them still gives masked ones, unaudited.
    finance = client_as("finance").get(reverse("web:export-households"), {"ids": "full"})
    assert all("*" in row[1] for row in _rows(finance.content)[1:])
    assert not AuditEvent.objects.filter(event_type=AuditEventType.LIST_EXPORTED_WITH_IDS).exists()
    filtered = coordinator.get(reverse("web:export-households"), {"q": "张三"})
    assert [row[0] for row in _rows(filtered.content)[1:]] == ["张三"]


def test_full_numbers_for_a_role_that_may_see_them_are_audited(client_as, world):  # type: ignore[no-untyped-def]
    supervisor = client_as("supervisor")
    # Never by a link: a GET asking for full numbers gets masked ones.
    linked = supervisor.get(reverse("web:export-households"), {"ids": "full", "reason": "x"})
    assert all("*" in row[1] for row in _rows(linked.content)[1:])
    refused = supervisor.post(reverse("web:export-households"), {"reason": " "})
    assert refused.status_code == 302
    assert client_as("finance").post(reverse("web:export-households"), {"reason": "核对"}).status_code == 403
    answer = supervisor.post(reverse("web:export-households") + "?q=张三", {"reason": "纪检核查"})
    rows = _rows(answer.content)[1:]
    full = decrypt(world.household_a.head.id_number_ciphertext)
    assert any(row[1] == full for row in rows)
    cell = openpyxl.load_workbook(io.BytesIO(answer.content)).active.cell(row=4, column=2)
    assert cell.number_format == "@" and isinstance(cell.value, str)
    event = AuditEvent.objects.get(event_type=AuditEventType.LIST_EXPORTED_WITH_IDS)
    assert event.after == {"list": "家庭档案", "rows": len(rows), "filters": "q=张三"} and event.reason == "纪检核查"


def test_a_long_list_is_exported_by_a_job(client_as, world, users, settings):  # type: ignore[no-untyped-def]
    settings.JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS = 1
    supervisor = client_as("supervisor")
    queued = supervisor.post(reverse("web:export-households"), {"reason": "纪检核查"})
    assert queued.status_code == 302 and "/jobs/" in queued["Location"]
    work_the_queue()
    job = Job.objects.get()
    file = JobFile.objects.get(job=job)
    assert job.status == "succeeded" and file.sensitive  # full numbers: for its requester only
    rows = _rows(job_file_open(actor=users["supervisor"], job_id=job.pk, file_id=file.pk).content)[1:]
    assert {row[0] for row in rows} >= {"张三", "王五"}


def test_cases_and_payroll_lines(client_as, regions):  # type: ignore[no-untyped-def]
    county = build_county(regions)
    officer = client_as("county_officer")
    cases = _rows(officer.get(reverse("web:export-cases")).content)
    assert cases[0][:4] == ("编号", "家庭", "村（社区）", "救助项目") and len(cases) == 5
    payroll = county.entitlements["A1"].payroll_lines.get().payroll
    lines = _rows(officer.get(reverse("web:export-payroll-lines"), {"payroll": payroll.pk}).content)
    assert lines[0][5] == "金额（元）"
    assert sorted(row[5] for row in lines[1:]) == [600, 900] and {row[6] for row in lines[1:]} == {"已到账", "发放失败"}
    # A coordinator of another township sees the county's payroll, but none of its lines are hers.
    outsider = client_as("coordinator_other")
    assert _rows(outsider.get(reverse("web:export-payroll-lines"), {"payroll": payroll.pk}).content)[1:] == []
    assert client_as("coordinator_other").get(reverse("web:export-payroll-lines"), {"payroll": 9999}).status_code == 404
