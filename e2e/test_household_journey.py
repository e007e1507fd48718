"""A coordinator opens a household file with two members, fixes a mistyped ID number, and finds
the household again by the head's pinyin initials."""

from __future__ import annotations

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from jiuzhu.accounts.roles import Role
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.testing.builders import PASSWORD, VILLAGE_A, build_region_tree, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("JIUZHU_E2E_SCREENSHOTS", "/tmp/jiuzhu-e2e")
HEAD_ID = make_id_number("511723", datetime.date(1968, 4, 2), 31)
SPOUSE_ID = make_id_number("511723", datetime.date(1970, 9, 15), 42)
SPOUSE_ID_TYPO = SPOUSE_ID[:-1] + ("0" if SPOUSE_ID[-1] != "0" else "1")


def _shot(page: Page, name: str) -> None:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def _fill_member(page: Page, index: int, name: str, id_number: str, relation: str) -> None:
    page.fill(f"#id_members-{index}-name", name)
    page.fill(f"#id_members-{index}-id_number", id_number)
    page.select_option(f"#id_members-{index}-relation", relation)


def test_coordinator_creates_household_fixes_check_digit_and_finds_it_by_initials(live_server, page: Page) -> None:
    regions = build_region_tree()
    make_user("coord_e2e", Role.COORDINATOR, regions[VILLAGE_A])

    page.goto(live_server.url + "/")
    page.fill("#id_username", "coord_e2e")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("h1")).to_have_text("待办事项")

    page.get_by_role("link", name="新建家庭档案").first.click()
    page.select_option("#id_region", label="讲治镇 凤凰村")
    page.select_option("#id_hukou_type", "rural")
    page.fill("#id_address", "凤凰村5组21号")
    _fill_member(page, 0, "周德华", HEAD_ID, "head")
    page.select_option("#id_members-0-marital_status", "married")
    page.get_by_role("button", name="＋ 添加成员").click()
    _fill_member(page, 1, "吴桂兰", SPOUSE_ID_TYPO, "spouse")
    page.select_option("#id_members-1-marital_status", "married")
    page.get_by_role("button", name="保存并建档").click()

    spouse_id_field = page.locator('[data-field="members-1-id_number"]')
    expect(spouse_id_field).to_contain_text("身份证号校验位错误，请核对号码是否录入有误。")
    expect(page.locator('[data-field="members-0-id_number"] .errorlist')).to_have_count(0)
    _shot(page, "1-create-check-digit-error")

    page.fill("#id_members-1-id_number", SPOUSE_ID)
    page.get_by_role("button", name="保存并建档").click()
    expect(page.locator("h1")).to_contain_text("周德华户")
    expect(page.locator("#members")).to_contain_text("吴桂兰")
    expect(page.locator("#members")).to_contain_text(SPOUSE_ID[:6] + "********" + SPOUSE_ID[-4:])

    page.get_by_role("link", name="登记收入").click()
    page.select_option("#id_kind", "wages")
    page.fill("#id_monthly_amount", "-100")
    page.get_by_role("button", name="保存").click()
    expect(page.locator('[data-field="monthly_amount"]')).to_contain_text("收入金额不能为负数。")
    page.fill("#id_monthly_amount", "1500")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#incomes")).to_contain_text("1,500.00 元")
    _shot(page, "2-household-file")

    # The printed file: no navigation, no buttons.
    page.emulate_media(media="print")
    expect(page.locator(".sidenav")).to_be_hidden()
    expect(page.get_by_role("button", name="打印")).to_be_hidden()
    expect(page.locator("#members")).to_be_visible()
    _shot(page, "2b-household-file-print")
    page.emulate_media(media="screen")

    page.get_by_role("link", name="家庭档案查询").first.click()
    page.fill("#id_q", "zdh")
    page.get_by_role("button", name="查询", exact=True).click()
    results = page.locator("table.grid tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("周德华")
    expect(results.first).to_contain_text("凤凰村")
    _shot(page, "3-search-by-initials")
