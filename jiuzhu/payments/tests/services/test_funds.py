"""Fund ledgers: allocations, advances and their repayment, and charging a payroll to its own
programme's funds only (专款专用), within their balances, exactly its total."""

import datetime

import pytest

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import PermissionDeniedError, RuleViolation, TransitionNotAllowed, ValidationFailed
from jiuzhu.payments.fund_rules import running_balances
from jiuzhu.payments.models import FundEntry
from jiuzhu.payments.services.funds import fund_balance, fund_create, fund_entry_record, payroll_charge
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payroll_lock
from jiuzhu.payments.tests.conftest import FEB, STANDARD
from jiuzhu.testing.builders import COUNTY

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 2, 5)


def _fund(users, source="central", program="dibao_rural", year=2026):
    return fund_create(actor=users["finance"], program_code=program, region_code=COUNTY, year=year, source=source)


def _entry(users, fund, kind, yuan):
    return fund_entry_record(actor=users["finance"], fund_id=fund.pk, kind=kind, amount_fen=yuan * 100, entered_on=DAY)


@pytest.fixture
def locked(users, cases, clock):
    draft = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    return payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)


def test_allocations_advances_and_repayments_keep_a_running_balance(users):
    fund = _fund(users)
    assert fund.name == "2026年中央农村最低生活保障资金"
    _entry(users, fund, "allocation", 300)
    _entry(users, fund, "advance", 200)  # the transfer is late: the county treasury advances it
    with pytest.raises(RuleViolation) as error:
        _entry(users, fund, "advance_repaid", 250)
    assert "超过尚未归还的垫付款" in error.value.user_message
    _entry(users, fund, "advance_repaid", 200)
    amounts = list(FundEntry.objects.filter(fund=fund).values_list("amount_fen", flat=True))
    assert running_balances(amounts) == [30000, 50000, 30000] and fund_balance(fund.pk) == 30000
    assert AuditEvent.objects.filter(event_type=AuditEventType.FUND_ENTRY_RECORDED).count() == 3
    with pytest.raises(ValidationFailed):
        _entry(users, fund, "payroll", 10)  # payroll charges come from payroll_charge only
    with pytest.raises(ValidationFailed):
        _entry(users, fund, "allocation", 0)
    with pytest.raises(ValidationFailed):  # one fund per programme, region, year and source
        _fund(users)


def test_only_finance_keeps_the_ledgers(users):
    for who in ("county_officer", "county_approver", "township", "supervisor"):
        with pytest.raises(PermissionDeniedError):
            fund_create(actor=users[who], program_code="dibao_rural", region_code=COUNTY, year=2026, source="county")


def test_a_payroll_is_charged_to_its_own_programmes_funds_only(users, locked):
    central, county = _fund(users), _fund(users, source="county")
    urban = _fund(users, program="dibao_urban")
    for fund in (central, county, urban):
        _entry(users, fund, "allocation", 400)
    total = locked.total_fen  # 7 cases × 72 yuan = 504 yuan
    assert total == 7 * STANDARD

    def charge(charges):
        return payroll_charge(actor=users["finance"], payroll_id=locked.pk, charges=charges, entered_on=DAY)

    with pytest.raises(RuleViolation) as error:
        charge({urban.pk: total})
    assert "专款专用" in error.value.user_message
    with pytest.raises(RuleViolation) as error:
        charge({central.pk: total})  # 504 yuan from a fund holding 400
    assert "余额 400.00 元，不足列支 504.00 元" in error.value.user_message
    with pytest.raises(RuleViolation) as error:
        charge({central.pk: 30000, county.pk: 10000})
    assert "列支合计须等于名册尚未列支的金额 504.00 元" in error.value.user_message
    assert not FundEntry.objects.filter(kind="payroll").exists()
    charge({central.pk: 40000, county.pk: total - 40000})
    assert (fund_balance(central.pk), fund_balance(county.pk)) == (0, 40000 - (total - 40000))
    with pytest.raises(RuleViolation):  # charged once
        charge({county.pk: 1})
    assert AuditEvent.objects.filter(event_type=AuditEventType.PAYROLL_CHARGED, subject_id=locked.pk).exists()


def test_a_draft_is_not_charged(users, cases, clock):
    draft = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    fund = _fund(users)
    _entry(users, fund, "allocation", 1000)
    with pytest.raises(TransitionNotAllowed):
        payroll_charge(actor=users["finance"], payroll_id=draft.pk, charges={fund.pk: draft.total_fen}, entered_on=DAY)
