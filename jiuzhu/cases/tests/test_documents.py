"""The dibao documents as real PDFs: A4, Chinese text that extracts, the figures, no full ID number."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from jiuzhu.cases.choices import AmountChangeKind, NoticeStageKind
from jiuzhu.cases.documents import (
    AmountChangeNotice,
    NoticeEntry,
    acceptance_notice_pdf,
    amount_change_notice_for,
    amount_change_notice_pdf,
    approval_decision_pdf,
    county_bureau,
    document_number,
    home_visit_form_pdf,
    notice_list_pdf,
    proposed_amount_fen,
    refusal_notice_pdf,
    township_government,
    township_opinion_pdf,
    village_notice_pdf,
)
from jiuzhu.cases.models import AmountChange, Decision
from jiuzhu.cases.services.decision import application_refuse
from jiuzhu.common.sensitive import decrypt
from jiuzhu.testing.builders import VILLAGE_A

pytestmark = pytest.mark.django_db

A4 = (595, 842)


def read(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text)  # extraction may break lines anywhere


def full_ids(household) -> list[str]:
    ids = [decrypt(m.id_number_ciphertext) for m in household.members.all() if m.id_number_ciphertext]
    assert ids and all(len(i) == 18 for i in ids)
    return ids


def assert_no_full_id(text: str, household) -> None:
    for number in full_ids(household):
        assert number not in text
    assert not re.search(r"\d{17}[\dX]", text)


def test_issuers_and_numbers_come_from_the_region_tree(world):
    village = world.regions[VILLAGE_A]
    county = village.parent.parent
    assert county_bureau(village) == f"{county.name}民政局"
    assert township_government(village) == f"{village.parent.name}人民政府"
    assert document_number(village, "批", 2026, 12) == f"{county.name[0]}民低保批〔2026〕12号"


def test_acceptance_notice(flow):
    flow.submit()
    app = flow.accept()
    text = read(acceptance_notice_pdf(app))
    assert "受理通知书" in text
    assert "张三" in text and "2人" in text
    assert "2026年6月1日" in text  # accepted
    assert f"{app.region.parent.name}人民政府" in text
    assert "30个工作日" in text and "3个工作日" in text and "公示7日" in text
    assert f"〔2026〕{app.pk}号" in text
    assert_no_full_id(text, flow.household)


def test_acceptance_notice_needs_an_accepted_application(flow):
    app = flow.submit()
    with pytest.raises(ValueError):
        acceptance_notice_pdf(app)


def test_letters_are_chinese_even_for_an_english_user(flow):
    flow.submit()
    app = flow.accept()
    with translation.override("en"):
        text = read(acceptance_notice_pdf(app))
    assert "第1页共1页" in text and "Page" not in text


def test_home_visit_form(flow):
    app = flow.investigated()
    visit = app.home_visits.get()
    text = read(home_visit_form_pdf(visit))
    assert "入户调查表" in text
    assert "家中无劳动力" in text
    assert "张三" in text and "李梅" in text
    for member in flow.household.members.all():
        assert member.id_number_masked and member.id_number_masked in text
    for user in visit.investigators.all():
        assert user.display_name in text
    assert "调查人（签字）" in text and "申请人（签字）" in text
    assert_no_full_id(text, flow.household)


def test_township_opinion(flow):
    app = flow.investigated()
    opinion = flow.opinion()
    text = read(township_opinion_pdf(opinion))
    assert "乡镇初审意见" in text and "同意纳入最低生活保障" in text and "不同意" not in text
    assert "人均收入低于当地低保标准" in text
    assert f"{app.region.parent.name}人民政府" in text
    assert_no_full_id(text, flow.household)


def test_village_notice_list_prints_only_name_size_and_amount(flow):
    flow.income(6000)
    app = flow.in_notice()
    notice = app.notices.get()
    assert proposed_amount_fen(app, notice.starts_on) == 8400
    text = read(village_notice_pdf(notice, amount_fen=8400))
    assert "拟保对象公示名单" in text
    assert "张三" in text and "84.00" in text
    assert "2026年6月" in text and "异议" in text and "12349" in text
    # Nothing else personal: no ID number (not even masked), no address, no income, no other member.
    for member in flow.household.members.all():
        assert member.id_number_masked not in text
        assert member.id_number_masked[:6] + "*" not in text
    assert "*" not in text
    assert flow.household.address not in text and "1组8号" not in text
    assert "60.00" not in text and "收入" not in text
    assert "李梅" not in text
    assert_no_full_id(text, flow.household)


def test_no_proposed_amount_for_a_household_above_the_standard(flow):
    flow.income(20000)
    app = flow.in_notice()
    assert proposed_amount_fen(app, app.notices.get().starts_on) is None


def test_notice_list_dates_and_pending_amount(world):
    village = world.regions[VILLAGE_A]
    text = read(
        notice_list_pdf(
            region=village,
            entries=[NoticeEntry("王五", 1, None), NoticeEntry("赵六", 3, 30600)],
            starts_on=datetime.date(2026, 6, 3),
            ends_on=datetime.date(2026, 6, 10),
        )
    )
    assert "2026年6月3日至2026年6月10日" in text
    assert "待核定" in text and "306.00" in text and "王五" in text and "赵六" in text


def test_publication_list_after_approval(flow):
    flow.income(6000)
    flow.awaiting_decision()
    flow.approve()
    flow.publish()
    notice = flow.app.notices.get(stage=NoticeStageKind.PUBLICATION)
    text = read(village_notice_pdf(notice))
    assert "长期公示" in text and "84.00" in text and "张三" in text and "*" not in text


def test_approval_decision_with_calculation_lines(flow):
    flow.income(6000)
    flow.awaiting_decision()
    decision = flow.approve()
    text = read(approval_decision_pdf(decision))
    assert "最低生活保障审批决定书" in text
    assert "84.00" in text  # (72.00 − 30.00) × 2
    assert "补差" in text and "月保障金合计" in text
    assert "2026年7月起" in text  # the month after the decision
    assert "保障人数2人" in text
    assert "60日" in text and "6个月" in text
    assert f"{flow.app.region.parent.parent.name}民政局" in text
    assert f"批〔2026〕{flow.app.pk}号" in text
    assert_no_full_id(text, flow.household)
    with pytest.raises(ValueError):
        refusal_notice_pdf(decision)


def test_refusal_notice_with_reasons_and_appeal_rights(flow, users):
    app = flow.awaiting_decision()
    decision = application_refuse(
        actor=users["county_approver"],
        application_id=app.pk,
        expected_version=flow.v,
        reason_codes=["income_above_standard"],
        reason_text="家庭有经营性收入每月约900元，人均收入高于当地低保标准。",
    )
    text = read(refusal_notice_pdf(decision))
    assert "不予批准通知书" in text
    assert "家庭人均收入不低于当地低保标准" in text
    assert "经营性收入每月约900元" in text
    assert "60日内" in text and "行政复议" in text
    assert "6个月内" in text and "行政诉讼" in text
    assert_no_full_id(text, flow.household)
    with pytest.raises(ValueError):
        approval_decision_pdf(Decision.objects.get(pk=decision.pk))


def _notice(world, kind: str, amount_fen: int) -> AmountChangeNotice:
    return AmountChangeNotice(
        change_id=7,
        kind=kind,
        region=world.regions[VILLAGE_A],
        addressee="张三",
        program_name="农村最低生活保障",
        previous_amount_fen=8400,
        amount_fen=amount_fen,
        effective_month=datetime.date(2026, 9, 1),
        reason="家庭成员外出务工，月收入增加。",
        issued_on=datetime.date(2026, 8, 20),
    )


def test_decrease_notice(world):
    text = read(amount_change_notice_pdf(_notice(world, AmountChangeKind.DECREASE, 4200)))
    assert "变更（减发）通知书" in text
    assert "84.00元调整为42.00元" in text and "2026年9月起" in text
    assert "外出务工" in text and "60日" in text and "6个月" in text
    assert "变〔2026〕7号" in text


def test_increase_notice(world):
    text = read(amount_change_notice_pdf(_notice(world, AmountChangeKind.INCREASE, 14400)))
    assert "变更（增发）通知书" in text and "144.00" in text and "减发" not in text


def test_stop_notice(world):
    text = read(amount_change_notice_pdf(_notice(world, AmountChangeKind.STOP, 0)))
    assert "停发通知书" in text and "停发最低生活保障金" in text and "84.00" in text
    assert "停〔2026〕7号" in text and "行政复议" in text


def test_no_notice_for_the_first_grant(flow):
    flow.income(6000)
    flow.awaiting_decision()
    flow.approve()
    flow.publish()
    grant = AmountChange.objects.get(entitlement__application=flow.app)
    notice = amount_change_notice_for(grant, previous_amount_fen=0)
    assert notice.amount_fen == 8400 and notice.addressee == "张三"
    with pytest.raises(ValueError):
        amount_change_notice_pdf(notice)
