"""Payroll pages: generate (a background job with a progress bar), read the totals by village and kind,
lock (finance, four eyes), and see each month's payment on the household file."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Entitlement
from jiuzhu.common.sensitive import seal_account_number
from jiuzhu.jobs.models import Job
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import BankFileRow, PaymentInstitution, Payroll
from jiuzhu.payments.tests.conftest import FEB, STANDARD, cases, clock, policy  # noqa: F401 (fixtures)
from jiuzhu.registry.models import Household
from jiuzhu.testing.builders import COUNTY, VILLAGE_A
from jiuzhu.testing.jobs import work_the_queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cases")]


def _generate(client_as):
    officer = client_as("county_officer")
    form = officer.get(reverse("web:payroll-generate"))
    assert form.status_code == 200
    assert ("511723", "开江县") in form.context["form"].fields["region"].choices
    response = officer.post(
        reverse("web:payroll-generate"), {"program": "dibao_rural", "region": COUNTY, "month": "2026-02"}
    )
    payroll = Payroll.objects.get()
    assert response.status_code == 302 and response.url == reverse("web:payroll-detail", args=[payroll.pk])
    return officer, payroll


def test_generate_lock_and_read(client_as, request):
    officer, payroll = _generate(client_as)
    waiting = officer.get(reverse("web:payroll-detail", args=[payroll.pk]))
    assert waiting.context["job"] is not None and b"data-job-status-url" in waiting.content
    assert not waiting.context["may_lock"]
    # Asked again while queued: told so, nothing new.
    again = officer.post(
        reverse("web:payroll-generate"), {"program": "dibao_rural", "region": COUNTY, "month": "2026-02"}
    )
    assert again.status_code == 302 and Job.objects.count() == 1
    work_the_queue()
    job_page = officer.get(reverse("web:job-detail", args=[Job.objects.get().pk])).content.decode()
    assert 'id="job-chunks"' in job_page and job_page.count("511723105") >= 1 and "已完成" in job_page

    page = officer.get(reverse("web:payroll-detail", args=[payroll.pk]))
    summary = page.context["summary"]
    assert (summary.households, summary.lines, summary.total_fen, summary.whole) == (7, 7, 7 * STANDARD, True)
    assert [(v.name, v.households) for v in summary.villages] == [("凤凰村", 3), ("石桥村", 2), ("白岩村", 2)]
    assert "7 户，7 行，504.00 元" in page.content.decode()
    assert not page.context["may_lock"]  # the officer may not lock

    finance = client_as("finance")
    shown = finance.get(reverse("web:payroll-detail", args=[payroll.pk]))
    assert shown.context["may_lock"] and b'id="payroll-lock"' in shown.content
    assert officer.post(reverse("web:payroll-lock", args=[payroll.pk]), {"expected_version": "0"}).status_code == 403
    stale = finance.post(reverse("web:payroll-lock", args=[payroll.pk]), {"expected_version": "1"})
    assert stale.status_code == 302
    assert Payroll.objects.get().status == PayrollStatus.DRAFT
    payroll.refresh_from_db()
    locked = finance.post(
        reverse("web:payroll-lock", args=[payroll.pk]), {"expected_version": str(payroll.version)}, follow=True
    )
    assert "发放名册已锁定" in locked.content.decode()
    assert Payroll.objects.get().status == PayrollStatus.LOCKED


def test_a_village_sees_its_own_lines_of_the_county_payroll(client_as, request):
    _officer, payroll = _generate(client_as)
    work_the_queue()
    coordinator = client_as("coordinator_a")
    listed = coordinator.get(reverse("web:payroll-list"))
    assert [p.pk for p, _period in listed.context["rows"]] == [payroll.pk]
    page = coordinator.get(reverse("web:payroll-detail", args=[payroll.pk]))
    summary = page.context["summary"]
    assert (summary.households, summary.total_fen, summary.whole) == (3, 3 * STANDARD, False)
    assert {line.region.code for line in page.context["page"].object_list} == {VILLAGE_A}
    assert "本辖区合计" in page.content.decode()
    assert client_as("coordinator_other").get(reverse("web:payroll-detail", args=[payroll.pk])).status_code == 200
    assert coordinator.get(reverse("web:payroll-generate")).status_code == 403


def test_household_file_shows_each_month(client_as, request):
    _officer, payroll = _generate(client_as)
    work_the_queue()
    household_id = Entitlement.objects.get(pk=request.getfixturevalue("cases")[VILLAGE_A][0]).household_id
    page = client_as("coordinator_a").get(reverse("web:household-file", args=[household_id]))
    [line] = page.context["payments"]
    assert (line.month, line.amount_fen, line.payroll_id) == (FEB, STANDARD, payroll.pk)
    html = page.content.decode()
    assert "发放记录" in html and "2026-02" in html and "待锁定" in html


def test_bank_file_download_and_return_upload(client_as, request):
    _officer, payroll = _generate(client_as)
    work_the_queue()
    for household_id in Entitlement.objects.values_list("household_id", flat=True):
        sealed = seal_account_number(f"6228480012{household_id:09d}")
        Household.objects.filter(pk=household_id).update(
            account_number_ciphertext=sealed.ciphertext, account_number_digest=sealed.digest,
            account_number_masked=sealed.masked,
        )  # fmt: skip
    institution = PaymentInstitution.objects.create(
        name="开江县农村信用合作联社", kind="credit_union", region=request.getfixturevalue("regions")[COUNTY],
        file_format="xlsx",
    )  # fmt: skip
    finance = client_as("finance")
    payroll.refresh_from_db()
    finance.post(reverse("web:payroll-lock", args=[payroll.pk]), {"expected_version": str(payroll.version)})
    page = finance.get(reverse("web:payroll-detail", args=[payroll.pk]))
    assert page.context["may_export"] and b'id="bank-file-form"' in page.content
    download = finance.post(reverse("web:payroll-bank-file", args=[payroll.pk]), {"institution": str(institution.pk)})
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == 1 + 7 + 1
    rows = list(BankFileRow.objects.order_by("pk"))
    lines = ["流水号,金额,处理结果,失败原因"] + [f"{payroll.pk}-{r.household_id},72.00,成功," for r in rows[:6]]
    lines.append("9-9,1.00,成功,")
    upload = SimpleUploadedFile("回盘.csv", "\n".join(lines).encode("gbk"), content_type="text/csv")
    done = finance.post(reverse("web:payroll-bank-return", args=[payroll.pk]), {"file": upload}, follow=True)
    html = done.content.decode()
    assert "回盘已导入：成功 6 笔，失败 0 笔，未处理 1 行。" in html
    assert "第 8 行：流水号“9-9”" in html
    # A township officer sees the payroll but neither the bank forms nor the right to use them.
    township = client_as("township")
    assert not township.get(reverse("web:payroll-detail", args=[payroll.pk])).context["may_export"]
    assert township.post(reverse("web:payroll-bank-file", args=[payroll.pk]), {"institution": "1"}).status_code == 403


def test_village_rosters_print_as_pdf_and_xlsx(client_as):
    _officer, payroll = _generate(client_as)
    work_the_queue()
    township = client_as("township")
    pdf = township.get(reverse("web:payroll-roster-pdf", args=[payroll.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "农村最低生活保障发放花名册（2026年2月）" in text
    assert "凤凰村" in text and "石桥村" in text and "白岩村" not in text  # the township's villages only
    assert "合计" in text and "216.00" in text and "领款人签字" in text
    workbook = openpyxl.load_workbook(
        io.BytesIO(township.get(reverse("web:payroll-roster-xlsx", args=[payroll.pk])).content)
    )
    assert workbook.sheetnames == ["汇总", "凤凰村", "石桥村"]
    summary = [[c.value for c in row] for row in workbook["汇总"].iter_rows(min_row=4)]
    assert summary[-1][0] == "合计" and summary[-1][2] == 5 and summary[-1][3] == 360
    village = client_as("coordinator_a").get(
        reverse("web:payroll-roster-xlsx", args=[payroll.pk]) + "?region=511723105201"
    )
    assert openpyxl.load_workbook(io.BytesIO(village.content)).sheetnames == ["汇总", "凤凰村"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.PAYROLL_ROSTER_PRINTED).count() == 3


def _with_accounts():
    for household_id in Entitlement.objects.values_list("household_id", flat=True):
        sealed = seal_account_number(f"6228480012{household_id:09d}")
        Household.objects.filter(pk=household_id).update(
            account_number_ciphertext=sealed.ciphertext, account_number_digest=sealed.digest,
            account_number_masked=sealed.masked,
        )  # fmt: skip


def test_a_large_payrolls_bank_file_and_rosters_are_made_in_the_background(client_as, request, settings):
    settings.JIUZHU_INLINE_FILE_MAX_HOUSEHOLDS = 3  # the county's 7 households count as large here
    _officer, payroll = _generate(client_as)
    work_the_queue()
    _with_accounts()
    institution = PaymentInstitution.objects.create(
        name="开江县农村信用合作联社", kind="credit_union", region=request.getfixturevalue("regions")[COUNTY],
        encoding="gbk",
    )  # fmt: skip
    finance = client_as("finance")
    payroll.refresh_from_db()
    finance.post(reverse("web:payroll-lock", args=[payroll.pk]), {"expected_version": str(payroll.version)})
    page = finance.get(reverse("web:payroll-detail", args=[payroll.pk])).content.decode()
    assert "银行文件在后台生成" in page and 'id="roster-job"' in page

    queued = finance.post(reverse("web:payroll-bank-file", args=[payroll.pk]), {"institution": str(institution.pk)})
    job = Job.objects.get(kind="payments.bank_file_export")
    assert queued.status_code == 302 and queued.url == reverse("web:job-detail", args=[job.pk])
    assert Payroll.objects.get().status == PayrollStatus.LOCKED  # nothing exported before a worker runs it
    work_the_queue()
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result["rows"] == 7 and job.progress_done == 7
    assert Payroll.objects.get().status == PayrollStatus.EXPORTED and BankFileRow.objects.count() == 7
    file = job.files.get()
    assert file.sensitive and file.name.endswith(".csv")
    # Kept encrypted: no account number is readable in the stored bytes.
    stored = (settings.MEDIA_ROOT + "/" + file.storage_name).encode()
    raw = open(stored, "rb").read()
    assert b"6228480012" not in raw and len(raw) > file.size

    job_page = finance.get(reverse("web:job-detail", args=[job.pk])).content.decode()
    assert "银行文件已生成：7 笔，合计 504.00 元" in job_page
    assert reverse("web:job-file", args=[job.pk, file.pk]) in job_page
    download = finance.get(reverse("web:job-file", args=[job.pk, file.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    text = download.content.decode("gbk")
    assert text.count("6228480012") == 7 and "504.00" in text
    assert AuditEvent.objects.filter(event_type=AuditEventType.JOB_FILE_DOWNLOADED, subject_id=job.pk).count() == 1
    # The county approver sees the job (same county) but not the full account numbers in its file.
    approver = client_as("county_approver")
    assert "仅提交人可下载" in approver.get(reverse("web:job-detail", args=[job.pk])).content.decode()
    assert approver.get(reverse("web:job-file", args=[job.pk, file.pk])).status_code == 403
    # Someone outside the county does not see the job at all.
    assert client_as("coordinator_other").get(reverse("web:job-file", args=[job.pk, file.pk])).status_code == 404

    # Rosters: the township's 5 households are "large" too; the direct link sends back to the page.
    township = client_as("township")
    redirected = township.get(reverse("web:payroll-roster-pdf", args=[payroll.pk]), follow=True)
    assert "后台生成花名册" in redirected.content.decode()
    submitted = township.post(reverse("web:payroll-roster-job", args=[payroll.pk]), {"format": "pdf"})
    roster_job = Job.objects.get(kind="payments.roster_build")
    assert submitted.url == reverse("web:job-detail", args=[roster_job.pk]) and roster_job.region_code == "511723105"
    work_the_queue()
    roster_file = roster_job.files.get()
    assert not roster_file.sensitive
    pdf = township.get(reverse("web:job-file", args=[roster_job.pk, roster_file.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "凤凰村" in text and "石桥村" in text and "白岩村" not in text and "216.00" in text
    # A small part (one village) still prints at once.
    village = client_as("coordinator_a").get(
        reverse("web:payroll-roster-xlsx", args=[payroll.pk]) + "?region=511723105201"
    )
    assert village.status_code == 200 and openpyxl.load_workbook(io.BytesIO(village.content)).sheetnames[1] == "凤凰村"
