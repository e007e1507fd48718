"""From a dashboard figure to the households behind it, in the browser (issue 6 point 8).

The county approver opens 统计概况: March's bar of the households chart (drawn on the server as SVG)
leads to the list of the households in force that month, and a name there to the household's file."""

from __future__ import annotations

import datetime
import importlib
import os

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from jiuzhu.accounts.models import User
from jiuzhu.reports.services.snapshots import snapshot_build
from jiuzhu.reports.tests.fixtures import build_county
from jiuzhu.testing.builders import COUNTY, PASSWORD, build_region_tree

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("JIUZHU_E2E_SCREENSHOTS", "/tmp/jiuzhu-e2e")


def test_a_dashboard_bar_leads_to_the_households_behind_it(live_server, page: Page):
    importlib.import_module("jiuzhu.programs.migrations.0002_catalogue").forward(django_apps, None)
    county = build_county(build_region_tree())
    snapshot_build(actor=county.actor, region_code=COUNTY, month=datetime.date(2026, 3, 1), reason="月报")
    approver = User.objects.get(pk=county.actor.pk)
    approver.set_password(PASSWORD)
    approver.save()

    page.goto(live_server.url + "/login/")
    page.fill("#id_username", approver.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="统计概况").click()
    expect(page.locator("h1")).to_have_text("统计概况：开江县")
    bar = page.locator("#chart-households svg a").filter(has=page.locator("title", has_text="26.03"))
    expect(bar).to_have_count(1)
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "statistics-dashboard.png"), full_page=True)
    bar.click()
    expect(page.locator("h1")).to_have_text("统计数据明细")
    expect(page.locator("#cases-about")).to_contain_text("共 3 户")
    page.screenshot(path=os.path.join(SCREENSHOTS, "statistics-cases.png"), full_page=True)
    page.locator("#statistics-cases").get_by_role("link", name="甲").click()
    expect(page.locator("h1")).to_contain_text("甲")
