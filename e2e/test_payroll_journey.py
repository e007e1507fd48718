"""The monthly payroll in the browser (issue 4 points 1, 2, 4 and 5).

The county officer asks for February's payroll; the page shows the background job's progress bar and,
when a worker has done the job, reloads itself with the totals by village. A finance officer (not the
one who generated it) locks it, downloads the credit union's bank file, and the roster as Excel.

The live server runs in a thread of this process, and so does the worker here (django-tasks-db's own
`db_worker`, until the queue is empty); `time_machine` moves both clocks.
"""

from __future__ import annotations

import datetime
import importlib
import io
import os

import openpyxl
import pytest
import time_machine
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from jiuzhu.accounts.roles import Role
from jiuzhu.common.sensitive import seal_account_number
from jiuzhu.payments.models import PaymentInstitution, Payroll
from jiuzhu.payments.tests.conftest import STANDARD, at
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.registry.models import Household
from jiuzhu.testing.beneficiaries import bulk_beneficiaries
from jiuzhu.testing.builders import COUNTY, OTHER_TOWNSHIP_VILLAGE, PASSWORD, VILLAGE_A, build_region_tree, make_user
from jiuzhu.testing.jobs import work_the_queue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("JIUZHU_E2E_SCREENSHOTS", "/tmp/jiuzhu-e2e")


def _shot(page: Page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"payroll-{name}.png"), full_page=True)


def _world() -> None:
    """Four households in force in village A and three in a village of the other township, each with an
    account at the county's credit union."""
    importlib.import_module("jiuzhu.programs.migrations.0002_catalogue").forward(django_apps, None)
    regions = build_region_tree()
    approver = make_user("approver_pay", Role.COUNTY_APPROVER, regions[COUNTY])
    make_user("county_pay", Role.COUNTY_OFFICER, regions[COUNTY])
    make_user("finance_pay", Role.FINANCE_OFFICER, regions[COUNTY])
    policy_version_create(
        actor=approver, region_code=COUNTY, program_code="dibao_rural", effective_from=datetime.date(2000, 1, 1),
        params={"standard_fen": STANDARD}, note="测试",
    )  # fmt: skip
    policy = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=datetime.date(2026, 1, 1))
    for code, count in ((VILLAGE_A, 4), (OTHER_TOWNSHIP_VILLAGE, 3)):
        bulk_beneficiaries(
            actor=approver, region=regions[code], policy=policy, count=count, decided_on=datetime.date(2026, 1, 15)
        )
    for household in Household.objects.all():
        sealed = seal_account_number(f"6228480012{household.pk:09d}")
        Household.objects.filter(pk=household.pk).update(
            account_number_ciphertext=sealed.ciphertext, account_number_digest=sealed.digest,
            account_number_masked=sealed.masked, bank_name="开江县农村信用合作联社",
        )  # fmt: skip
    PaymentInstitution.objects.create(
        name="开江县农村信用合作联社", kind="credit_union", region=regions[COUNTY], encoding="gbk"
    )


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("待办事项")


def test_payroll_from_generation_to_bank_file_in_the_browser(live_server, page: Page) -> None:
    base = live_server.url
    with time_machine.travel(at(datetime.date(2026, 2, 3)), tick=True):
        _world()

        # The county officer asks for February's payroll: a background job with a live bar.
        _log_in(page, base, "county_pay")
        page.goto(base + "/payments/new/")
        page.select_option("#id_program", "dibao_rural")
        page.select_option("#id_region", COUNTY)
        page.fill("#id_month", "2026-02")
        page.get_by_role("button", name="生成").click()
        expect(page.locator("#job-progress")).to_contain_text("名册正在后台生成")
        expect(page.locator("#job-progress progress")).to_be_visible()
        _shot(page, "1-generating")

        # A worker does the job; the page, polling once a second, reloads itself with the totals.
        work_the_queue()
        expect(page.locator("#job-progress")).to_have_count(0, timeout=15_000)
        expect(page.locator("body")).to_contain_text("7 户，7 行，504.00 元")
        expect(page.locator("body")).to_contain_text("凤凰村")
        _shot(page, "2-generated")
        payroll = Payroll.objects.get()
        assert (payroll.line_count, payroll.total_fen) == (7, 7 * STANDARD)

        # A finance officer locks it, then downloads the bank file and the roster.
        _log_in(page, base, "finance_pay")
        page.goto(base + f"/payments/{payroll.pk}/")
        page.locator("#payroll-lock").get_by_role("button").click()
        expect(page.locator(".messages")).to_contain_text("发放名册已锁定")
        with page.expect_download() as bank_download:
            page.locator("#bank-file-form").get_by_role("button").click()
        text = open(bank_download.value.path(), "rb").read().decode("gbk")
        assert text.count("6228480012") == 7 and "504.00" in text
        assert bank_download.value.suggested_filename.endswith(".csv")
        with page.expect_download() as roster_download:
            page.get_by_role("link", name="导出花名册（Excel）").click()
        workbook = openpyxl.load_workbook(io.BytesIO(open(roster_download.value.path(), "rb").read()))
        assert workbook.sheetnames[0] == "汇总" and "凤凰村" in workbook.sheetnames
        page.goto(base + f"/payments/{payroll.pk}/")
        expect(page.locator("#bank-files")).to_contain_text("7")
        _shot(page, "3-exported")
        assert Payroll.objects.get().status == "exported"
