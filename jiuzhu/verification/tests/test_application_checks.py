"""The checks at an application's verification step: the county's verification centre compares the
applicant household with the latest agency data; the report (PDF) goes into the household file and
the findings stay with the run; the case page offers it while a verification request is pending."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from jiuzhu.cases.tests.conftest import clock, flow, policy  # noqa: F401 (fixtures)
from jiuzhu.common.exceptions import PermissionDeniedError, RuleViolation
from jiuzhu.common.sensitive import decrypt
from jiuzhu.registry.models import Document
from jiuzhu.testing.builders import COUNTY
from jiuzhu.verification.services.application_checks import application_check_run
from jiuzhu.verification.services.imports import dataset_columns_confirm, dataset_import_run, dataset_upload

pytestmark = pytest.mark.django_db


def _vehicles(users, id_number: str) -> None:
    dataset = dataset_upload(
        actor=users["county_officer"], source="vehicle", region_code=COUNTY, as_of=datetime.date(2025, 12, 31),
        upload=io.BytesIO(f"所有人身份证号码,号牌号码\n{id_number},川S88888\n".encode()), file_name="车辆.csv",
        provider="开江县公安局交警大队",
    )  # fmt: skip
    dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    dataset_import_run(dataset_id=dataset.pk)


def _text(document: Document) -> str:
    with document.file.open("rb") as stored:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored.read())).pages)


def test_the_verification_centre_checks_the_applicant_household(flow, users):  # noqa: F811 - the fixture
    flow.submit()
    flow.accept()
    with pytest.raises(RuleViolation, match="请先由乡镇提请核对"):
        application_check_run(actor=users["county_officer"], application_id=flow.app.pk)
    flow.request_verification()
    head = flow.app.household.head
    clean = application_check_run(actor=users["county_officer"], application_id=flow.app.pk)
    assert clean.findings == [] and clean.report.kind == "verification_report"
    assert "尚未导入任何部门数据" in _text(clean.report)

    _vehicles(users, decrypt(head.id_number_ciphertext))
    with pytest.raises(PermissionDeniedError):
        application_check_run(actor=users["coordinator_a"], application_id=flow.app.pk)
    check = application_check_run(actor=users["county_officer"], application_id=flow.app.pk)
    assert [f["check"] for f in check.findings] == ["vehicle"]
    assert "川S88888" in check.findings[0]["explanation"]
    text = _text(check.report)
    assert "家庭经济状况核对报告" in text and "开江县公安局交警大队" in text and "川S88888" in text
    assert "无数据，未核对" in text and "发现问题" in text
    assert Document.objects.filter(household=flow.app.household, kind="verification_report").count() == 2


def test_a_member_registered_dead_is_named_as_an_applicant_not_a_beneficiary(flow, users):  # noqa: F811
    flow.submit()
    flow.accept()
    flow.request_verification()
    head = flow.app.household.head
    dataset = dataset_upload(
        actor=users["county_officer"], source="hukou", region_code=COUNTY, as_of=datetime.date(2025, 12, 31),
        upload=io.BytesIO(f"公民身份号码,变动类型,变动日期\n{decrypt(head.id_number_ciphertext)},死亡,2025-11-02\n".encode()),
        file_name="户籍.csv",
    )  # fmt: skip
    dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    dataset_import_run(dataset_id=dataset.pk)
    check = application_check_run(actor=users["county_officer"], application_id=flow.app.pk)
    assert [f["explanation"] for f in check.findings] == [
        f"{head.name} 户籍于 2025-11-02 登记死亡，仍列为申请家庭成员。"
    ]
