"""The dibao application in the browser (issue 3 point 9).

A coordinator takes the application of a low-income household; a township officer accepts it, records the
home visit with the coordinator as co-investigator, the verification result, the opinion and the village
notice, is told that the file cannot go up before the notice ends, and forwards it once the (frozen) clock
has passed the notice period; the county approver sees the trial calculation and approves; the township
publishes; the household file shows the amount. Then a refusal: reasons are required, and the refusal
notice downloaded from the case page states them.

The live server runs in a thread of this process, so `time_machine` moves its clock too.
"""

from __future__ import annotations

import datetime
import importlib
import io
import os
import re

import pytest
import time_machine
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from jiuzhu.accounts.roles import Role
from jiuzhu.cases.models import Application
from jiuzhu.cases.tests.conftest import START, Flow, at, make_policy
from jiuzhu.registry.services.finances import IncomeData, income_item_add
from jiuzhu.testing.builders import (
    COUNTY,
    PASSWORD,
    TOWNSHIP,
    VILLAGE_A,
    World,
    build_region_tree,
    make_household,
    make_user,
    person,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("JIUZHU_E2E_SCREENSHOTS", "/tmp/jiuzhu-e2e")
STANDARD_FEN = 60000  # 600 yuan a person a month in the test county


def _shot(page: Page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"dibao-{name}.png"), full_page=True)


def _programme_catalogue() -> None:
    """The catalogue is a data migration, and a journey before this one flushed the tables. (Serialized
    rollback does not help: Playwright's event loop gives the test another database connection object.)"""
    importlib.import_module("jiuzhu.programs.migrations.0002_catalogue").forward(django_apps, None)


def _world() -> World:
    _programme_catalogue()
    regions = build_region_tree()
    names = {
        "coordinator_a": ("coord_dibao", Role.COORDINATOR, VILLAGE_A, "李协理"),
        "township": ("township_dibao", Role.TOWNSHIP_OFFICER, TOWNSHIP, "王经办"),
        "county_officer": ("county_dibao", Role.COUNTY_OFFICER, COUNTY, "赵核对"),
        "county_approver": ("approver_dibao", Role.COUNTY_APPROVER, COUNTY, "陈审批"),
    }
    users = {}
    for key, (username, role, code, display) in names.items():
        user = make_user(username, role, regions[code])
        user.first_name = display
        user.save(update_fields=["first_name"])
        users[key] = user
    make_policy(users, standard_fen=STANDARD_FEN)
    coordinator = users["coordinator_a"]
    low = make_household(coordinator, regions[VILLAGE_A], person("周德华"), person("吴桂兰", "spouse"))
    high = make_household(coordinator, regions[VILLAGE_A], person("孙富贵"), person("钱多多", "spouse"))
    for household, monthly_fen in ((low, 30000), (high, 300000)):
        income_item_add(
            actor=coordinator,
            household_id=household.pk,
            data=IncomeData(kind="wages", monthly_amount_fen=monthly_fen, person_id=household.head_id),
        )
    return World(regions=regions, users=users, household_a=low, household_b=high)


def _log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("待办事项")


def _take_step(page: Page, action: str, *, confirm: str | None = None) -> None:
    """On the case page: open the step's page from the action buttons and confirm it."""
    page.locator("#actions").get_by_role("link", name=action, exact=True).click()
    expect(page.locator("h1")).to_contain_text(action)
    page.get_by_role("button", name=confirm or f"确认{action}").click()


def _done(page: Page, action: str) -> None:
    expect(page.locator(".messages")).to_contain_text(f"已办理“{action}”。")


def test_application_from_intake_to_benefit_in_the_browser(live_server, page: Page) -> None:
    base = live_server.url
    with time_machine.travel(at(START), tick=True) as clock:
        world = _world()
        household = world.household_a

        # The coordinator takes the application from the household file.
        _log_in(page, base, "coord_dibao")
        page.get_by_role("link", name="家庭档案查询").first.click()
        page.fill("#id_q", "周德华")
        page.get_by_role("button", name="查询", exact=True).click()
        page.get_by_role("link", name="周德华").click()
        page.locator("#benefits").get_by_role("link", name="申请低保").click()
        expect(page.locator("#id_program")).to_have_value("dibao_rural")
        for material in ("低保申请书", "家庭成员身份证", "户口簿", "家庭收入情况说明或证明"):
            page.get_by_label(material, exact=True).check()
        page.fill("#id_authorisation_signed_on", START.isoformat())
        page.fill("#id_promise_signed_on", START.isoformat())
        _shot(page, "1-application-form")
        page.get_by_role("button", name="登记申请").click()
        expect(page.locator("h1")).to_contain_text("低保申请 #")
        expect(page.locator("#summary")).to_contain_text("已申请，待受理")
        case_path = re.sub(r"^https?://[^/]+", "", page.url)
        application = Application.objects.get(household=household)
        assert case_path == f"/cases/{application.pk}/"

        # The township officer finds it on the to-do list and takes the investigation steps.
        _log_in(page, base, "township_dibao")
        page.locator("#todo-cases_owed").get_by_role("link", name="周德华户：受理").click()
        expect(page.locator("#next-step")).to_contain_text("受理")
        _take_step(page, "受理")
        _done(page, "受理")
        _take_step(page, "提请经济状况核对")
        _done(page, "提请经济状况核对")

        page.locator("#actions").get_by_role("link", name="入户调查", exact=True).click()
        expect(page.get_by_role("checkbox", name=re.compile("^王经办"))).to_be_checked()  # the officer recording it
        page.get_by_role("checkbox", name=re.compile("^李协理")).check()  # the coordinator went along
        page.fill("#id_findings", "二人务农，丈夫打零工，月收入约300元；住房为土木结构旧房。")
        page.get_by_role("button", name="确认入户调查").click()
        _done(page, "入户调查")
        investigators = page.locator("#home-visits tbody tr").first.locator("td").nth(2)
        expect(investigators).to_contain_text("王经办")
        expect(investigators).to_contain_text("李协理")

        page.locator("#actions").get_by_role("link", name="登记核对结果", exact=True).click()
        page.get_by_role("radio", name="符合", exact=True).check()
        page.fill("#id_notes", "未发现车辆、房产和存款。")
        page.get_by_role("button", name="确认登记核对结果").click()
        _done(page, "登记核对结果")

        page.locator("#actions").get_by_role("link", name="乡镇初审意见", exact=True).click()
        page.get_by_role("radio", name="同意", exact=True).check()
        page.fill("#id_text", "经入户调查和经济状况核对，家庭人均收入低于当地低保标准，同意纳入。")
        page.get_by_role("button", name="确认乡镇初审意见").click()
        _done(page, "乡镇初审意见")
        _take_step(page, "村（社区）公示")
        _done(page, "村（社区）公示")
        expect(page.locator("#summary")).to_contain_text("村（社区）公示中")

        # Forwarding before the notice has ended is refused, and nothing changes.
        notice_ends = application.notices.get().ends_on
        _take_step(page, "报送审核确认")
        expect(page.locator(".errorlist")).to_contain_text(
            f"公示期至 {notice_ends.isoformat()} 结束，公示期满后方可报送审核确认。"
        )
        _shot(page, "2-forward-too-early")
        application.refresh_from_db()
        assert application.status == "in_notice"

        # The notice period passes.
        clock.move_to(at(notice_ends + datetime.timedelta(days=1)))
        _log_in(page, base, "township_dibao")
        page.goto(base + case_path)
        _take_step(page, "报送审核确认")
        _done(page, "报送审核确认")
        expect(page.locator("#summary")).to_contain_text("待审核确认")

        # The county approver sees the amount before confirming.
        _log_in(page, base, "approver_dibao")
        page.locator("#todo-cases_owed").get_by_role("link", name="周德华户：批准").click()
        page.locator("#actions").get_by_role("link", name="批准", exact=True).click()
        # (600 - 300 / 2) yuan × 2 members
        expect(page.locator("#approval-trial")).to_contain_text("符合低保条件，批准后每月保障金额为 900.00 元。")
        _shot(page, "3-approve-with-trial")
        page.fill("#id_comment", "符合农村低保条件，同意纳入。")
        page.get_by_role("button", name="确认批准").click()
        _done(page, "批准")
        expect(page.locator("#decision-amount")).to_have_text("900.00 元")
        expect(page.locator("#decision-lines")).to_contain_text("900.00 元")

        # The township publishes; the household file shows the benefit.
        _log_in(page, base, "township_dibao")
        page.goto(base + case_path)
        _take_step(page, "长期公示")
        _done(page, "长期公示")
        expect(page.locator("#summary")).to_contain_text("在保")
        expect(page.locator("#timeline tbody tr")).to_have_count(10)
        _shot(page, "4-case-in-force")
        page.locator(".page-head").get_by_role("link", name="家庭档案").click()
        benefits = page.locator("#benefits")
        expect(benefits.locator(".benefit-amount")).to_have_text("900.00 元")
        expect(benefits).to_contain_text("在保")
        expect(benefits.locator(".amount-history")).to_contain_text("新增")
        expect(benefits.get_by_role("link", name="申请低保")).to_have_count(0)
        _shot(page, "5-household-file-benefit")


def test_refusal_with_reasons_and_its_notice_in_the_browser(live_server, page: Page) -> None:
    base = live_server.url
    with time_machine.travel(at(START), tick=True) as clock:
        world = _world()
        flow = Flow(world, clock, household=world.household_b)  # 3,000 yuan a month for two
        application = flow.awaiting_decision()

        _log_in(page, base, "approver_dibao")
        page.goto(f"{base}/cases/{application.pk}/")
        page.locator("#actions").get_by_role("link", name="批准", exact=True).click()
        expect(page.locator("#approval-trial")).to_contain_text("该家庭不符合低保条件")
        expect(page.locator("#approval-trial")).to_contain_text("家庭人均收入不低于当地低保标准")
        page.get_by_role("link", name="返回申请").click()

        page.locator("#actions").get_by_role("link", name="不予批准", exact=True).click()
        page.get_by_role("button", name="确认不予批准").click()  # without reasons
        expect(page.locator('[data-field="reason_codes"]')).to_contain_text("请选择不予批准的原因。")
        expect(page.locator('[data-field="reason_text"]')).to_contain_text("请写明不予批准的理由。")
        application.refresh_from_db()
        assert application.status == "awaiting_decision"

        page.get_by_label("家庭人均收入不低于当地低保标准", exact=True).check()
        page.fill("#id_reason_text", "家庭月收入3000元，人均1500元，高于当地农村低保标准600元。")
        page.get_by_role("button", name="确认不予批准").click()
        _done(page, "不予批准")
        expect(page.locator("#refusal-reasons")).to_contain_text("家庭人均收入不低于当地低保标准")
        _shot(page, "6-refused")

        link = page.locator("#documents").get_by_role("link", name=re.compile("审批决定书"))
        response = page.request.get(base + link.get_attribute("href"))
        assert response.ok and response.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(response.body()))
        text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
        assert "不予批准通知书" in text
        assert "家庭人均收入不低于当地低保标准" in text
        assert "人均1500元，高于当地农村低保标准600元" in text
