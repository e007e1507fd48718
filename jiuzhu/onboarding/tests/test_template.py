"""The template offices download: Chinese headers in the order of the fields, text cells, examples
that import as they are once their village is one of ours, and the instructions sheet."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jiuzhu.cases.tests.conftest import make_policy
from jiuzhu.onboarding.documents import template_xlsx
from jiuzhu.onboarding.fields import FIELDS
from jiuzhu.onboarding.models import BatchStatus, Outcome
from jiuzhu.onboarding.tests.test_batches import _apply, _dry_run
from jiuzhu.registry.choices import Supporter
from jiuzhu.registry.models import Person


def test_the_template_has_the_headers_examples_and_instructions():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["存量对象", "填写说明"]
    sheet = workbook["存量对象"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [field.label for field in FIELDS]
    assert len(rows) == 5 and all(isinstance(cell, str) for row in rows[1:] for cell in row if cell is not None)
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("户主" in formula for formula in validations.values())
    notes = [row[0] for row in workbook["填写说明"].iter_rows(values_only=True)]
    assert "身份证号" in notes and any(note and "试导入" in note for note in notes)


@pytest.mark.django_db
def test_the_filled_in_template_imports(clock, users):
    make_policy(users, standard_fen=40000)  # 400 yuan: the example's 960 yuan for three is within it
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["存量对象"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "示例村":
            row[1].value = "凤凰村"
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _dry_run(users, buffer.getvalue(), name="模板.xlsx")
    assert batch.status == BatchStatus.CHECKED and batch.row_count == 4
    outcomes = {h.key: h.outcome for h in batch.households.all()}
    assert outcomes == {"1": Outcome.NEW_WITH_CASE, "2": Outcome.NEW}
    first = batch.households.get(key="1")
    assert first.amount_fen == 96000 and first.notes == []


@pytest.mark.django_db
def test_the_legal_supporter_column_is_read_into_the_registry(clock, users):
    """The second example (王老五: no work ability, no legal supporter) comes in with his supporter
    recorded, so the statistics count him 三无; the first household's members default to "有"."""
    make_policy(users, standard_fen=40000)
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    for row in workbook["存量对象"].iter_rows(min_row=2):
        if row[1].value == "示例村":
            row[1].value = "凤凰村"
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = _apply(users, _dry_run(users, buffer.getvalue(), name="模板.xlsx"))
    assert batch.status == BatchStatus.APPLIED
    assert Person.objects.get(name="王老五").supporter == Supporter.NONE
    assert set(Person.objects.filter(name__in=["张大山", "李秀英", "张小明"]).values_list("supporter", flat=True)) == {
        Supporter.ABLE
    }
