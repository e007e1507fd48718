"""Onboarding an office's ledger in the browser (issue 5 point 7).

The county officer downloads the template, fills it in (here: with openpyxl, as Excel would), uploads
it with one mistake, starts the dry run and reads its outcome row by row while a worker does the job;
the county approver imports the good households; the household file holds the extract of its rows.
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
from jiuzhu.onboarding.models import BatchStatus, OnboardingBatch
from jiuzhu.payments.tests.conftest import at
from jiuzhu.programs.services.policy import policy_version_create
from jiuzhu.testing.builders import COUNTY, PASSWORD, build_region_tree, make_user
from jiuzhu.testing.jobs import work_the_queue

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("JIUZHU_E2E_SCREENSHOTS", "/tmp/jiuzhu-e2e")


def _shot(page: Page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"onboarding-{name}.png"), full_page=True)


def _world() -> None:
    importlib.import_module("jiuzhu.programs.migrations.0002_catalogue").forward(django_apps, None)
    regions = build_region_tree()
    approver = make_user("approver_onb", Role.COUNTY_APPROVER, regions[COUNTY])
    make_user("county_onb", Role.COUNTY_OFFICER, regions[COUNTY])
    policy_version_create(
        actor=approver, region_code=COUNTY, program_code="dibao_rural", effective_from=datetime.date(2000, 1, 1),
        params={"standard_fen": 40000}, note="测试",
    )  # fmt: skip


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("待办事项")


def _filled_in(template: bytes, path: str) -> None:
    """The template's two example households, moved to 凤凰村; the second one's head row loses its
    address (the mistake the dry run must name)."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["存量对象"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "示例村":
            row[1].value = "凤凰村"
        if row[0].value == "2" and row[7].value == "户主":
            row[3].value = None
    workbook.save(path)


def test_onboarding_a_ledger_in_the_browser(live_server, page: Page, tmp_path) -> None:
    base = live_server.url
    with time_machine.travel(at(datetime.date(2026, 6, 3)), tick=True):
        _world()
        _log_in(page, base, "county_onb")
        page.get_by_role("link", name="存量数据导入").click()
        with page.expect_download() as template:
            page.locator("#onboarding-template").click()
        ledger = str(tmp_path / "讲治镇低保台账.xlsx")
        _filled_in(open(template.value.path(), "rb").read(), ledger)

        page.select_option("#id_region", COUNTY)
        page.fill("#id_go_live", "2026-06-01")
        page.fill("#id_reason", "2026年5月低保台账")
        page.set_input_files("#id_file", ledger)
        page.locator("#onboarding-upload").get_by_role("button", name="上传").click()
        expect(page.locator(".messages")).to_contain_text("请核对列对应关系")
        expect(page.locator("#id_column_id_number")).to_have_value("身份证号")
        page.locator("#onboarding-columns").get_by_role("button", name="试导入").click()
        expect(page.locator("#onboarding-status")).to_contain_text("试导入中")
        _shot(page, "1-checking")

        work_the_queue()  # the page polls the job and reloads itself when it is done
        expect(page.locator("#onboarding-counts")).to_contain_text("新建家庭档案和在保低保 1 户", timeout=15_000)
        expect(page.locator("#onboarding-counts")).to_contain_text("有误，不导入 1 户")
        expect(page.locator("#onboarding-households")).to_contain_text("【家庭住址】户主行须填写家庭住址")
        _shot(page, "2-checked")

        _log_in(page, base, "approver_onb")
        batch = OnboardingBatch.objects.get()
        page.goto(base + f"/onboarding/{batch.pk}/")
        page.locator("#onboarding-apply").get_by_role("button", name="导入 1 户").click()
        expect(page.locator(".messages")).to_contain_text("已开始导入")
        work_the_queue()
        expect(page.locator("#onboarding-counts")).to_contain_text("已导入 1 户", timeout=15_000)
        assert OnboardingBatch.objects.get().status == BatchStatus.APPLIED
        page.locator("#onboarding-households").get_by_role("link", name="家庭档案").click()
        expect(page.locator("body")).to_contain_text("存量数据迁移来源")
        expect(page.locator("body")).to_contain_text("张大山")
        _shot(page, "3-household")
