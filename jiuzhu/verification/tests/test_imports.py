"""Importing agencies' files: versioned datasets, the original kept encrypted, columns matched or
saved, bad rows listed by line and column and left out, duplicates imported once, files that
cannot be read refused whole with a Chinese reason; ID numbers kept only as the keyed hash."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import duckdb
import pytest
import xlsxwriter
from django.core.files.storage import default_storage

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.common.sensitive import lookup_digest
from jiuzhu.registry.rules.id_numbers import make_id_number
from jiuzhu.testing.builders import COUNTY, TOWNSHIP
from jiuzhu.testing.jobs import work_the_queue
from jiuzhu.verification.models import ColumnMapping, DatasetStatus, ExternalDataset
from jiuzhu.verification.services.imports import dataset_columns_confirm, dataset_import_run, dataset_upload

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 10, 31)
PEOPLE = [make_id_number("511723", datetime.date(1950 + n, 1, 1), n) for n in range(4)]
OLD_STYLE = PEOPLE[1][:6] + PEOPLE[1][8:17]  # the same person's 15-digit number


def _upload(users, content: bytes, source="hukou", name="户籍注销.csv", **extra):
    return dataset_upload(
        actor=users["county_officer"], source=source, region_code=COUNTY, as_of=AS_OF,
        upload=io.BytesIO(content), file_name=name, provider="开江县公安局", **extra,
    )  # fmt: skip


def _records(dataset: ExternalDataset) -> list[tuple]:
    path = default_storage.path(dataset.records_file)
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY line").fetchall()


HUKOU = (
    "序号,公民身份号码,姓名,变动类型,变动日期,备注\r\n"
    f"1,{PEOPLE[0]},张一,死亡,2026-03-05,\r\n"
    f"2,{OLD_STYLE},张二,迁出,2026年4月1日,\r\n"
    f"3,{PEOPLE[2][:-1]}{'0' if PEOPLE[2][-1] != '0' else '1'},张三,死亡,2026-03-05,校验位错\r\n"
    f"4,{PEOPLE[3]},张四,离婚,2026-02-30,两处错误\r\n"
    f"5,{PEOPLE[0]},张一,死亡,2026-03-05,\r\n"
)


def test_a_gbk_file_is_imported_with_its_bad_rows_listed_and_duplicates_once(users):
    dataset = _upload(users, HUKOU.encode("gbk"))
    assert dataset.status == DatasetStatus.UPLOADED
    assert dataset.columns == {
        "id_number": "公民身份号码",
        "name": "姓名",
        "event": "变动类型",
        "event_date": "变动日期",
    }
    with default_storage.open(dataset.stored_file, "rb") as stored:
        assert PEOPLE[0].encode() not in stored.read()  # the original is kept encrypted

    dataset = dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    assert dataset.status == DatasetStatus.QUEUED and dataset.job is not None
    work_the_queue()
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.IMPORTED and dataset.encoding == "gb18030"
    # Five rows after the header (lines 2–6): two good, one repeated, two with problems.
    assert (dataset.row_count, dataset.imported_count, dataset.invalid_count, dataset.duplicate_count) == (5, 2, 2, 1)
    assert dataset.unused_columns == ["序号", "备注"]
    problems = [(p.line, p.column, p.kind) for p in dataset.problems.all()]
    assert problems == [
        (4, "公民身份号码", "invalid"),
        (5, "变动类型", "invalid"),
        (5, "变动日期", "invalid"),
        (6, "", "duplicate"),
    ]
    assert "与第 2 行完全相同" in dataset.problems.get(kind="duplicate").message
    # Records: ID numbers normalised (15 to 18 digits) and only their keyed hash; no names.
    assert _records(dataset) == [
        (lookup_digest(PEOPLE[0]), "death", datetime.date(2026, 3, 5), 2),
        (lookup_digest(PEOPLE[1]), "move_out", datetime.date(2026, 4, 1), 3),
    ]
    events = AuditEvent.objects.filter(subject_type="verification.externaldataset", subject_id=dataset.pk)
    assert list(events.order_by("pk").values_list("event_type", flat=True)) == [
        AuditEventType.DATASET_UPLOADED, AuditEventType.DATASET_IMPORTED,
    ]  # fmt: skip

    # Running the job again starts the dataset over: the same figures, nothing counted twice.
    dataset.status = DatasetStatus.QUEUED
    dataset.save(update_fields=["status"])
    again = dataset_import_run(dataset_id=dataset.pk)
    assert (again.row_count, again.imported_count, again.invalid_count, again.duplicate_count) == (5, 2, 2, 1)
    assert again.problems.count() == 4


def test_missing_columns_are_refused_before_anything_is_read(users):
    dataset = _upload(users, "公民身份号码,姓名\r\n".encode() + f"{PEOPLE[0]},张一\r\n".encode())
    with pytest.raises(ValidationFailed, match="缺少必需的列：变动类型、变动日期"):
        dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    dataset.refresh_from_db()
    assert dataset.status == DatasetStatus.UPLOADED and dataset.job is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (HUKOU.encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "不是文本文件"),
        ("姓名".encode("gbk") + b"\xff\xfe\xfd\x80\x80", "编码无法识别"),
    ],
)
def test_files_that_cannot_be_read_are_refused_at_upload_and_leave_nothing(users, content, message):
    with pytest.raises(ValidationFailed, match=message):
        _upload(users, content)
    assert not ExternalDataset.objects.exists()


def _workbook(formula: bool) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["证件号码", "姓名", "存款余额（元）"])
    sheet.write_string(1, 0, PEOPLE[0])
    sheet.write_row(1, 1, ["张一", 50000])
    if formula:
        sheet.write_formula(2, 2, "=C2*2")
    book.close()
    return out.getvalue()


def test_a_workbook_with_formulas_is_refused_and_one_without_is_imported(users):
    with pytest.raises(ValidationFailed, match="表格含有公式（C3"):
        _upload(users, _workbook(formula=True), source="deposits", name="存款.xlsx")
    dataset = _upload(users, _workbook(formula=False), source="deposits", name="存款.xlsx")
    dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    work_the_queue()
    dataset.refresh_from_db()
    assert dataset.encoding == "xlsx" and dataset.imported_count == 1
    assert _records(dataset) == [(lookup_digest(PEOPLE[0]), None, None, 5_000_000, 2)]


def test_a_saved_mapping_matches_next_months_file_with_other_headers(users):
    first = "证件号,变动原因,日期\r\n".encode() + f"{PEOPLE[0]},死亡,2026-03-05\r\n".encode()
    dataset = _upload(users, first)
    dataset_columns_confirm(
        actor=users["county_officer"], dataset_id=dataset.pk, save_as="县公安局户籍注销",
        columns={"id_number": "证件号", "event": "变动原因", "event_date": "日期"},
    )  # fmt: skip
    saved = ColumnMapping.objects.get()
    second = _upload(
        users, "日期,证件号,变动原因\r\n".encode() + f"2026-04-05,{PEOPLE[1]},迁出\r\n".encode(), mapping_id=saved.pk
    )
    assert second.columns == {"id_number": "证件号", "event": "变动原因", "event_date": "日期"}


def test_who_may_import(users):
    with pytest.raises(PermissionDeniedError):
        dataset_upload(
            actor=users["township"], source="hukou", region_code=TOWNSHIP, as_of=AS_OF,
            upload=io.BytesIO(HUKOU.encode()), file_name="a.csv",
        )  # fmt: skip
    with pytest.raises(NotFoundOrNoAccess):
        dataset_upload(
            actor=users["county_officer"], source="hukou", region_code="511722", as_of=AS_OF,
            upload=io.BytesIO(HUKOU.encode()), file_name="a.csv",
        )  # fmt: skip
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        dataset_upload(
            actor=users["county_officer"], source="hukou", region_code=COUNTY,
            as_of=datetime.date(2999, 1, 1), upload=io.BytesIO(HUKOU.encode()), file_name="a.csv",
        )  # fmt: skip


def test_an_unforeseen_error_refuses_the_dataset_instead_of_leaving_it_importing(users):
    dataset = _upload(users, HUKOU.encode())
    dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    with mock.patch("jiuzhu.verification.services.imports.write_records", side_effect=RuntimeError("disk full")):
        refused = dataset_import_run(dataset_id=dataset.pk)
    assert refused.status == DatasetStatus.REFUSED and "导入时出错（RuntimeError）" in refused.refusal
    # The cause gone, the import runs again from the start (as when the columns are confirmed again).
    again = dataset_import_run(dataset_id=dataset.pk)
    assert again.status == DatasetStatus.IMPORTED and again.imported_count == 2


def test_datasets_are_county_wide_and_a_leap_day_keeps(users):
    with pytest.raises(ValidationFailed, match="按县（市、区）或以上导入"):
        dataset_upload(
            actor=users["county_officer"], source="hukou", region_code=TOWNSHIP, as_of=AS_OF,
            upload=io.BytesIO(HUKOU.encode()), file_name="a.csv",
        )  # fmt: skip
    leap = dataset_upload(
        actor=users["county_officer"], source="hukou", region_code=COUNTY, as_of=datetime.date(2024, 2, 29),
        upload=io.BytesIO(HUKOU.encode()), file_name="a.csv",
    )  # fmt: skip
    assert leap.retain_until == datetime.date(2029, 2, 28)


def test_two_deposits_alike_but_for_their_accounts_are_both_kept(users):
    content = (
        "客户证件号码,金融机构,账号,存款余额（元）\n"
        f"{PEOPLE[0]},开江县农村信用合作联社,6228480012345678901,50000.00\n"
        f"{PEOPLE[0]},开江县农村信用合作联社,6228 4800 1234 5678 902,50000.00\n"
        f"{PEOPLE[0]},开江县农村信用合作联社,6228480012345678901,50000.00\n"
        f"{PEOPLE[1]},开江县农村信用合作联社,62284800123456789X,10.00\n"
    )
    dataset = _upload(users, content.encode(), source="deposits", name="存款.csv")
    dataset = dataset_columns_confirm(actor=users["county_officer"], dataset_id=dataset.pk, columns=dataset.columns)
    dataset = dataset_import_run(dataset_id=dataset.pk)
    assert (dataset.imported_count, dataset.duplicate_count, dataset.invalid_count) == (2, 1, 1)
    accounts = {row[2] for row in _records(dataset)}
    assert accounts == {lookup_digest("6228480012345678901"), lookup_digest("6228480012345678902")}
    problem = dataset.problems.get(kind="invalid")
    assert problem.column == "账号" and "62284800123456789X" not in problem.message
