"""The household file as a PDF (一户一档 printout): in the user's jurisdiction only, logged, masked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.sensitive import decrypt
from jiuzhu.printing.fonts import BOLD, REGULAR
from jiuzhu.printing.tests.pdf import A4_POINTS, embedded_fonts, page_size, page_texts, read_pdf, squeeze
from jiuzhu.registry.services.documents import document_upload
from jiuzhu.registry.services.finances import AssetData, IncomeData, asset_add, income_item_add
from jiuzhu.registry.services.households import household_update
from jiuzhu.registry.types import HouseholdData
from jiuzhu.web.tests.conftest import png_upload

pytestmark = pytest.mark.django_db


def pdf_url(household_id: int) -> str:
    return reverse("web:household-file-pdf", kwargs={"household_id": household_id})


@pytest.fixture
def household(world):
    """household_a (张三, 李梅) with two incomes (1,000 + 500 a month), an asset, a scan and a change."""
    actor = world.users["coordinator_a"]
    household = world.household_a
    spouse = household.members.get(name="李梅")
    income_item_add(actor=actor, household_id=household.pk, data=IncomeData(kind="wages", monthly_amount_fen=100000))
    income_item_add(
        actor=actor, household_id=household.pk,
        data=IncomeData(kind="pension", monthly_amount_fen=50000, person_id=spouse.pk, description="城乡居民养老金"),
    )  # fmt: skip
    asset_add(
        actor=actor, household_id=household.pk, data=AssetData(kind="vehicle", value_fen=500000, description="三轮车")
    )
    document_upload(actor=actor, household_id=household.pk, upload=png_upload("户口簿.png"), kind="hukou_book")
    household.refresh_from_db()
    head_number = decrypt(household.head.id_number_ciphertext)
    household_update(
        actor=actor, household_id=household.pk, expected_version=household.version,
        data=HouseholdData(
            region_id=household.region_id, hukou_type=household.hukou_type, address="凤凰村2组5号",
            phone="13800000000", bank_name="开江县农村信用社", account_holder="张三",
            account_number="6228480012345678901",
        ),
        reason=f"搬家（户主身份证 {head_number}）",  # a full number typed into free text
    )  # fmt: skip
    household.refresh_from_db()
    return household


def test_household_file_pdf_is_an_a4_pdf_with_the_file_in_it(client_as, household):
    response = client_as("coordinator_a").get(pdf_url(household.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert "no-store" in response["Cache-Control"]
    reader = read_pdf(response.content)
    assert page_size(reader) == A4_POINTS
    assert embedded_fonts(reader) == {REGULAR: True, BOLD: True}

    pages = page_texts(reader)
    text = squeeze("".join(pages))
    head, spouse = household.head, household.members.get(name="李梅")
    for expected in (
        "开江县民政局",
        "家庭档案（一户一档）",
        f"档案编号：{household.pk}",
        "户主张三",
        "所属区划讲治镇凤凰村",
        "家庭住址凤凰村2组5号",
        "银行账号6228***********8901",
        "张三户主",
        "李梅配偶",
        head.id_number_masked,
        spouse.id_number_masked,
        "月收入合计1,500.00",
        "工资性收入全家",
        "城乡居民养老金",
        "1,000.00",
        "500.00",
        "三轮车",
        "户口簿.png",
        "变更历史",
        "家庭住址：凤凰村1组8号→凤凰村2组5号",
        "打印人：coord_a（村（社区）协理员）",
    ):
        assert squeeze(expected) in text, expected
    assert f"第 1 页 共 {len(pages)} 页" in pages[0]


def test_household_file_pdf_never_prints_a_full_id_or_account_number(client_as, household):
    text = squeeze("".join(page_texts(read_pdf(client_as("coordinator_a").get(pdf_url(household.pk)).content))))
    for member in household.members.all():
        number = decrypt(member.id_number_ciphertext)
        assert number not in text
        assert number[:6] + "********" + number[-4:] in text  # the masked form is there instead
    assert "6228480012345678901" not in text
    assert "搬家（户主身份证" in text  # the reason is printed, with the number in it masked


def test_printing_is_logged_as_viewing_the_file(client_as, household):
    before = AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_VIEWED).count()
    client_as("township").get(pdf_url(household.pk))
    viewed = AuditEvent.objects.filter(event_type=AuditEventType.HOUSEHOLD_VIEWED).order_by("-id")
    assert viewed.count() == before + 1
    assert viewed[0].subject_id == household.pk and viewed[0].actor.username == "township"


def test_another_village_gets_404_and_nothing_is_logged(client_as, household):
    before = AuditEvent.objects.count()
    response = client_as("coordinator_b").get(pdf_url(household.pk))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert AuditEvent.objects.count() == before
    assert client_as("coordinator_a").get(pdf_url(household.pk)).status_code == 200


def test_post_is_not_allowed_and_anonymous_users_are_sent_to_log_in(client, client_as, household):
    assert client_as("coordinator_a").post(pdf_url(household.pk)).status_code == 405
    response = client.get(pdf_url(household.pk))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_the_household_file_page_links_to_the_pdf(client_as, household):
    html = client_as("supervisor").get(reverse("web:household-file", args=[household.pk])).content.decode()
    assert f'href="{pdf_url(household.pk)}"' in html
    assert "打印 PDF" in html


def test_pdf_goes_without_the_page_content_security_policy(client_as, household):
    # Chromium's PDF viewer cannot run under object-src 'none'; the HTML pages keep their policy.
    client = client_as("coordinator_a")
    assert "Content-Security-Policy" not in client.get(pdf_url(household.pk)).headers
    page = client.get(reverse("web:household-file", args=[household.pk]))
    assert "object-src 'none'" in page.headers["Content-Security-Policy"]
