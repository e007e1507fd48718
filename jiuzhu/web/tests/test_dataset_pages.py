"""Agency data pages: a county officer uploads a GBK file, confirms the proposed columns, and reads
what was imported and every row that was not; others see what their role allows."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.testing.builders import COUNTY
from jiuzhu.testing.jobs import work_the_queue
from jiuzhu.verification.models import ColumnMapping, DatasetStatus, ExternalDataset

pytestmark = pytest.mark.django_db

IDS = [make_id_number("511723", datetime.date(1960, 5, n + 1), n) for n in range(3)]
CONTENT = (
    "号牌号码,所有人身份证号码,姓名,车辆类型,登记日期\r\n"
    f"川S12345,{IDS[0]},张一,小型轿车,2025-06-01\r\n"
    f"川S23456,{IDS[1][:-1]}{'0' if IDS[1][-1] != '0' else '1'},张二,摩托车,2025-06-02\r\n"
    f"川S34567,{IDS[2]},张三,小型轿车,2025年6月31日\r\n"
).encode("gbk")


def test_upload_confirm_columns_and_read_the_result(client_as):
    officer = client_as("county_officer")
    page = officer.get(reverse("web:dataset-list"))
    assert page.status_code == 200 and b'id="dataset-upload"' in page.content
    uploaded = officer.post(
        reverse("web:dataset-list"),
        {
            "source": "vehicle", "region": COUNTY, "as_of": "2026-10-31", "provider": "开江县公安局交警大队",
            "retention_class": "daily_5y", "mapping": "",
            "file": SimpleUploadedFile("车辆.csv", CONTENT, content_type="text/csv"),
        },
    )  # fmt: skip
    dataset = ExternalDataset.objects.get()
    assert uploaded.status_code == 302 and uploaded.url == reverse("web:dataset-detail", args=[dataset.pk])
    detail = officer.get(uploaded.url)
    form = detail.context["form"]
    assert form["column_id_number"].initial == "所有人身份证号码" and form["column_plate"].initial == "号牌号码"
    confirmed = officer.post(
        uploaded.url,
        {"column_id_number": "所有人身份证号码", "column_plate": "号牌号码", "column_vehicle_type": "车辆类型",
         "column_registered_on": "登记日期", "column_name": "", "save_as": "交警大队车辆月报"},
    )  # fmt: skip
    assert confirmed.status_code == 302
    assert ColumnMapping.objects.get().name == "交警大队车辆月报"
    work_the_queue()
    html = officer.get(uploaded.url).content.decode()
    assert "共 3 行：导入 1 条，有误 2 行（未导入），重复 0 行" in html
    assert "校验" in html and "日期“2025年6月31日”无法识别" in html and "姓名" in html  # unused column listed
    assert ExternalDataset.objects.get().status == DatasetStatus.IMPORTED
    original = officer.get(reverse("web:dataset-original", args=[dataset.pk]))
    assert b"".join(original.streaming_content) == CONTENT
    assert AuditEvent.objects.filter(event_type=AuditEventType.DATASET_DOWNLOADED).count() == 1


def test_a_required_column_left_out_is_refused_on_the_page(client_as):
    officer = client_as("county_officer")
    officer.post(
        reverse("web:dataset-list"),
        {"source": "vehicle", "region": COUNTY, "as_of": "2026-10-31", "retention_class": "daily_5y",
         "file": SimpleUploadedFile("车辆.csv", CONTENT, content_type="text/csv")},
    )  # fmt: skip
    dataset = ExternalDataset.objects.get()
    refused = officer.post(
        reverse("web:dataset-detail", args=[dataset.pk]),
        {"column_id_number": "所有人身份证号码", "column_plate": ""},
    )
    assert refused.status_code == 400 and "缺少必需的列：号牌号码" in refused.content.decode()
    assert ExternalDataset.objects.get().status == DatasetStatus.UPLOADED


def test_an_unreadable_file_is_refused_on_the_upload_form(client_as):
    officer = client_as("county_officer")
    refused = officer.post(
        reverse("web:dataset-list"),
        {"source": "vehicle", "region": COUNTY, "as_of": "2026-10-31", "retention_class": "daily_5y",
         "file": SimpleUploadedFile("车辆.csv", CONTENT.decode("gbk").encode("utf-16"), content_type="text/csv")},
    )  # fmt: skip
    assert refused.status_code == 400 and "UTF-16" in refused.content.decode()
    assert not ExternalDataset.objects.exists()


def test_who_sees_the_pages(client_as):
    assert client_as("township").get(reverse("web:dataset-list")).status_code == 403
    assert client_as("coordinator_a").get(reverse("web:dataset-list")).status_code == 403
    supervisor = client_as("supervisor").get(reverse("web:dataset-list"))
    assert supervisor.status_code == 200 and b'id="dataset-upload"' not in supervisor.content
