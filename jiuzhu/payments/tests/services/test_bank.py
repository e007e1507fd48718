"""Bank files and return files: who may, what the file holds, what is left out and why, the return
file applied row by row, reconciliation, and the carry-over of failures."""

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import Entitlement
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from jiuzhu.common.sensitive import seal_account_number, seal_id_number
from jiuzhu.payments.choices import PayrollStatus
from jiuzhu.payments.models import BankFileRow, PaymentInstitution, PaymentOutcome, PayrollLine
from jiuzhu.payments.services.bank import bank_file_export, bank_return_import, reference_of
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payroll_lock
from jiuzhu.payments.tests.conftest import FEB, MAR, STANDARD, at
from jiuzhu.registry.models import Household, Person
from jiuzhu.testing.builders import COUNTY, VILLAGE_A

pytestmark = pytest.mark.django_db
ACCOUNT = "62284800123456{:05d}"


@pytest.fixture
def institution(regions):
    return PaymentInstitution.objects.create(
        name="开江县农村信用合作联社", kind="credit_union", region=regions[COUNTY], encoding="gbk"
    )


@pytest.fixture
def accounts(cases):
    """Every household but the last of village A has an account; the first head has an ID number."""
    households = list(Entitlement.objects.order_by("pk").values_list("household_id", flat=True))
    no_account = Entitlement.objects.get(pk=cases[VILLAGE_A][-1]).household_id
    for household_id in households:
        if household_id == no_account:
            continue
        sealed = seal_account_number(ACCOUNT.format(household_id))
        Household.objects.filter(pk=household_id).update(
            account_number_ciphertext=sealed.ciphertext, account_number_digest=sealed.digest,
            account_number_masked=sealed.masked, bank_name="开江县农村信用合作联社",
        )  # fmt: skip
    first = Household.objects.get(pk=households[0])
    sealed_id = seal_id_number("51172319500101123X")
    Person.objects.filter(pk=first.head_id).update(
        id_number_ciphertext=sealed_id.ciphertext, id_number_digest=sealed_id.digest, id_number_masked=sealed_id.masked
    )
    return households, no_account


@pytest.fixture
def locked(users, cases, clock, accounts):
    payroll = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    return payroll_lock(actor=users["finance"], payroll_id=payroll.pk, expected_version=payroll.version)


def export(users, payroll, institution):
    return bank_file_export(actor=users["finance"], payroll_id=payroll.pk, institution_id=institution.pk)


def test_the_bank_file_holds_full_numbers_only_in_the_file(users, locked, institution, accounts):
    households, no_account = accounts
    made = export(users, locked, institution)
    text = made.content.decode("gbk")
    lines = text.splitlines()
    assert len(lines) == 1 + 6 + 1  # header, six households with an account, totals
    assert ACCOUNT.format(households[0]) in text and "51172319500101123X" in text
    assert lines[-1].startswith("合计 6 笔") and "432.00" in lines[-1]
    assert made.bank_file.row_count == 6 and made.bank_file.total_fen == 6 * STANDARD
    assert made.content_type == "text/csv"
    locked.refresh_from_db()
    assert locked.status == PayrollStatus.EXPORTED and locked.exported_by == users["finance"]
    event = AuditEvent.objects.get(event_type=AuditEventType.BANK_FILE_EXPORTED)
    assert event.after["rows"] == 6 and event.after["sha256"] == made.bank_file.sha256
    assert ACCOUNT.format(households[0]) not in str(event.after)
    # The household without an account is left out, its line failed with the reason (carried over later).
    outcome = PaymentOutcome.objects.get(line__household_id=no_account)
    assert outcome.status == "failed" and "未登记银行账号" in outcome.reason
    assert set(BankFileRow.objects.values_list("account_digest", flat=True)) == {
        seal_account_number(ACCOUNT.format(h)).digest for h in households if h != no_account
    }


def test_who_may_export_and_when(users, cases, clock, accounts, institution):
    draft = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    with pytest.raises(TransitionNotAllowed):
        export(users, draft, institution)
    locked = payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)
    for who in ("county_officer", "county_approver", "township", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            bank_file_export(actor=users[who], payroll_id=locked.pk, institution_id=institution.pk)


def test_a_name_gbk_cannot_write_is_refused_with_its_name(users, locked, institution, accounts):
    households, _none = accounts
    Household.objects.filter(pk=households[1]).update(account_holder="王𠮷")
    with pytest.raises(ValidationFailed) as error:
        export(users, locked, institution)
    assert "王𠮷" in error.value.user_message and "GB18030" in error.value.user_message
    locked.refresh_from_db()
    assert locked.status == PayrollStatus.LOCKED and not PaymentOutcome.objects.exists()


def _return_file(rows):
    lines = ["流水号,账号,户名,金额,处理结果,失败原因"]
    lines += [",".join(str(v) for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def test_the_return_file_is_applied_row_by_row(users, locked, institution, accounts, clock):
    households, no_account = accounts
    export(users, locked, institution)
    sent = {row.household_id: reference_of(locked.pk, row.household_id) for row in BankFileRow.objects.all()}
    paid = [h for h in households if h != no_account]
    first, second, third = paid[0], paid[1], paid[2]
    content = _return_file(
        [
            (sent[first], ACCOUNT.format(first), "甲", "72.00", "成功", ""),
            (sent[second], ACCOUNT.format(second), "乙", "72.00", "失败", "账户已冻结"),
            ("999-1", "6228480099999999999", "丙", "72.00", "成功", ""),  # matches nothing
            (sent[third], ACCOUNT.format(third), "丁", "70.00", "成功", ""),  # wrong amount
            (sent[paid[3]], "6228480099999999998", "戊", "72.00", "成功", ""),  # wrong account
        ]
    )
    report = bank_return_import(actor=users["finance"], payroll_id=locked.pk, file_name="回盘.csv", content=content)
    assert (report.paid_count, report.failed_count) == (1, 1)
    assert report.problems == [
        "第 4 行：流水号“999-1”、账号尾号“9999”在本名册的银行文件中找不到，未处理。",
        "第 5 行：金额 70.00 元与银行文件中的 72.00 元不符，未处理。",
        "第 6 行：账号与银行文件中的不一致，未处理。",
    ]
    outcomes = dict(PaymentOutcome.objects.values_list("line__household_id", "status"))
    assert outcomes[first] == "paid" and outcomes[second] == "failed"
    assert third not in outcomes and paid[3] not in outcomes
    locked.refresh_from_db()
    assert locked.status == PayrollStatus.EXPORTED
    # The rest come back in a second file (found by account alone); then the payroll is reconciled.
    rest = [h for h in paid if h not in (first, second)]
    again = bank_return_import(
        actor=users["finance"],
        payroll_id=locked.pk,
        file_name="回盘2.csv",
        content=_return_file([("", ACCOUNT.format(h), "", "72.00", "成功", "") for h in [*rest, first]]),
    )
    assert again.paid_count == len(rest) and again.problems == [
        f"第 {len(rest) + 2} 行：这一笔（{sent[first]}）已登记过发放结果，未处理。"
    ]
    locked.refresh_from_db()
    assert locked.status == PayrollStatus.RECONCILED
    # Next month pays the failed and the left-out households their February as a carry-over.
    clock.move_to(at(datetime.date(2026, 2, 25)))
    march = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=MAR)
    carried = sorted(
        PayrollLine.objects.filter(payroll=march, kind="carry_over").values_list("household_id", "month", "amount_fen")
    )
    assert carried == sorted([(second, FEB, STANDARD), (no_account, FEB, STANDARD)])


def test_a_return_file_that_cannot_be_read_changes_nothing(users, locked, institution, accounts):
    export(users, locked, institution)
    with pytest.raises(ValidationFailed) as error:
        bank_return_import(
            actor=users["finance"], payroll_id=locked.pk, file_name="x.csv", content="流水号,金额\n".encode("utf-16")
        )
    assert "编码无法识别" in error.value.user_message
    assert PaymentOutcome.objects.filter(status="paid").count() == 0
