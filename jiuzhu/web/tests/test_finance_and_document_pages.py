from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.registry.models import Asset, Document, IncomeItem
from jiuzhu.web.tests.conftest import PNG_BYTES, FileObjects, png_upload
from jiuzhu.web.tests.html import page_html, text_near_field

pytestmark = pytest.mark.django_db


def _token(client, url: str) -> str:
    return client.get(url).context["form"]["submission_token"].value()


# --- income ---------------------------------------------------------------------------------------


def test_income_amount_typed_in_yuan_is_stored_in_fen(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:income-add", args=[file_a.household.pk])
    data = {
        "submission_token": _token(client, url),
        "kind": "pension",
        "person": file_a.head.pk,
        "monthly_amount": "1,200.5",
        "source": "verified",
    }
    assert client.post(url, data).status_code == 302
    item = IncomeItem.objects.get(kind="pension")
    assert item.monthly_amount_fen == 120050 and item.person_id == file_a.head.pk


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "收入金额不能为负数。"),
        ("12.345", "请输入以元为单位的金额，最多两位小数"),
        ("abc", "请输入以元为单位的金额"),
    ],
)
def test_bad_income_amounts_are_chinese_errors_next_to_the_amount(client_as, file_a: FileObjects, amount, message):
    client = client_as("coordinator_a")
    url = reverse("web:income-add", args=[file_a.household.pk])
    data = {"submission_token": _token(client, url), "kind": "wages", "monthly_amount": amount, "source": "declared"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in text_near_field(page_html(response), "monthly_amount")
    assert IncomeItem.objects.count() == 1


def test_income_edit_and_remove_with_reason(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    edit = reverse("web:income-edit", args=[file_a.income.pk])
    initial = client.get(edit).context["form"].initial
    assert initial["monthly_amount"] == "1,234.56"
    data = {k: v for k, v in initial.items() if v is not None} | {"monthly_amount": "2000", "reason": "复核"}
    assert client.post(edit, data).status_code == 302
    assert IncomeItem.objects.get(pk=file_a.income.pk).monthly_amount_fen == 200000
    remove = reverse("web:income-remove", args=[file_a.income.pk])
    assert "请填写原因。" in text_near_field(page_html(client.post(remove, {})), "reason")
    assert IncomeItem.objects.filter(pk=file_a.income.pk).exists()
    assert client.post(remove, {"reason": "重复录入"}).status_code == 302
    assert not IncomeItem.objects.filter(pk=file_a.income.pk).exists()


# --- assets ---------------------------------------------------------------------------------------


def test_asset_add_edit_remove(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    add = reverse("web:asset-add", args=[file_a.household.pk])
    data = {"submission_token": _token(client, add), "kind": "deposit", "value": "8000", "quantity": "1"}
    assert client.post(add, data).status_code == 302
    asset = Asset.objects.get(kind="deposit")
    assert asset.value_fen == 800000
    negative = client.post(add, {**data, "submission_token": _token(client, add), "value": "-1"})
    assert "财产价值不能为负数。" in text_near_field(page_html(negative), "value")
    edit = reverse("web:asset-edit", args=[asset.pk])
    initial = client.get(edit).context["form"].initial
    changed = {k: v for k, v in initial.items() if v is not None} | {"value": "9000.00"}
    assert client.post(edit, changed).status_code == 302
    assert Asset.objects.get(pk=asset.pk).value_fen == 900000
    assert client.post(reverse("web:asset-remove", args=[asset.pk]), {"reason": "已支取"}).status_code == 302
    assert not Asset.objects.filter(pk=asset.pk).exists()


# --- documents ------------------------------------------------------------------------------------


def test_upload_then_download_through_the_access_checked_view_which_logs(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:document-upload", args=[file_a.household.pk])
    data = {"submission_token": _token(client, url), "kind": "id_card", "file": png_upload("身份证.png")}
    assert client.post(url, data).status_code == 302
    document = Document.objects.get(kind="id_card")
    response = client.get(reverse("web:document-download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert "inline" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_VIEWED, subject_id=document.pk).count() == 1


def test_disguised_upload_is_refused_with_the_services_chinese_message(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:document-upload", args=[file_a.household.pk])
    fake = SimpleUploadedFile("scan.jpg", PNG_BYTES, content_type="image/jpeg")
    response = client.post(url, {"submission_token": _token(client, url), "kind": "photo", "file": fake})
    assert response.status_code == 400
    assert "文件内容与扩展名不符" in text_near_field(page_html(response), "file")
    text = SimpleUploadedFile("notes.pdf", b"just some text, not a pdf", content_type="application/pdf")
    response = client.post(url, {"submission_token": _token(client, url), "kind": "photo", "file": text})
    assert "不支持的文件类型" in text_near_field(page_html(response), "file")
    assert Document.objects.count() == 1


def test_oversized_upload_is_refused(client_as, file_a: FileObjects, settings):
    settings.JIUZHU_UPLOAD_MAX_BYTES = 1024 * 1024
    client = client_as("coordinator_a")
    url = reverse("web:document-upload", args=[file_a.household.pk])
    big = SimpleUploadedFile("big.png", PNG_BYTES + b"\0" * (1024 * 1024), content_type="image/png")
    response = client.post(url, {"submission_token": _token(client, url), "kind": "photo", "file": big})
    assert "文件过大：单个附件不能超过 1 MB。" in text_near_field(page_html(response), "file")
    assert Document.objects.count() == 1


def test_withdraw_needs_a_reason_and_hides_the_document(client_as, file_a: FileObjects):
    client = client_as("coordinator_a")
    url = reverse("web:document-withdraw", args=[file_a.document.pk])
    assert "请填写原因。" in text_near_field(page_html(client.post(url, {})), "reason")
    assert client.post(url, {"reason": "上传错误"}).status_code == 302
    assert Document.objects.get(pk=file_a.document.pk).is_removed
    assert client.get(reverse("web:document-download", args=[file_a.document.pk])).status_code == 404


def test_read_only_roles_may_download(client_as, file_a: FileObjects):
    assert client_as("supervisor").get(reverse("web:document-download", args=[file_a.document.pk])).status_code == 200
