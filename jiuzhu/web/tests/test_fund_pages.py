"""Fund pages: a ledger kept by the finance officer, charged from the payroll page, exported to
Excel, and the finance dashboard with what is left to do."""

import io

import openpyxl
import pytest
from django.urls import reverse

from jiuzhu.payments.models import Fund, FundEntry, Payroll
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.settlement import payroll_lock
from jiuzhu.payments.tests.conftest import FEB, STANDARD, cases, clock, policy  # noqa: F401 (fixtures)
from jiuzhu.testing.builders import COUNTY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cases")]


def _locked(users) -> Payroll:
    draft = payroll_generate(actor=users["county_officer"], program_code="dibao_rural", region_code=COUNTY, month=FEB)
    return payroll_lock(actor=users["finance"], payroll_id=draft.pk, expected_version=draft.version)


def test_a_fund_is_kept_charged_and_exported(client_as, users):
    finance = client_as("finance")
    created = finance.post(
        reverse("web:fund-list"), {"program": "dibao_rural", "region": COUNTY, "year": "2026", "source": "central"}
    )
    fund = Fund.objects.get()
    assert created.status_code == 302 and created.url == reverse("web:fund-detail", args=[fund.pk])
    detail = reverse("web:fund-detail", args=[fund.pk])
    finance.post(
        detail, {"kind": "allocation", "amount": "300", "entered_on": "2026-02-01", "document_no": "川财社〔2026〕1号"}
    )
    finance.post(
        detail, {"kind": "advance", "amount": "300", "entered_on": "2026-02-03", "note": "中央资金未到位，县财政垫付"}
    )
    refused = finance.post(detail, {"kind": "allocation", "amount": "-5", "entered_on": "2026-02-03"})
    assert refused.status_code == 400 and FundEntry.objects.count() == 2
    page = finance.get(detail)
    assert [line.balance_fen for line in page.context["ledger"]] == [30000, 60000]

    payroll = _locked(users)
    shown = finance.get(reverse("web:payroll-detail", args=[payroll.pk]))
    assert shown.context["may_charge"] and b'id="charge-form"' in shown.content
    charged = finance.post(
        reverse("web:payroll-charge", args=[payroll.pk]),
        {"entered_on": "2026-02-08", "fund_1": str(fund.pk), "amount_1": "504"},
        follow=True,
    )
    assert "已列支" in charged.content.decode()
    assert finance.get(detail).context["balance"] == 60000 - 7 * STANDARD
    # Charged once: the page no longer offers it.
    assert not finance.get(reverse("web:payroll-detail", args=[payroll.pk])).context["may_charge"]

    xlsx = finance.get(reverse("web:fund-ledger-xlsx", args=[fund.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[1] for row in rows] == ["资金拨入", "垫付", "发放支出"]
    assert rows[-1][6] == 96 and rows[0][2] == "川财社〔2026〕1号"

    # Others read the ledger but keep nothing in it.
    officer = client_as("county_officer")
    assert officer.get(detail).status_code == 200
    assert officer.post(detail, {"kind": "allocation", "amount": "1", "entered_on": "2026-02-01"}).status_code == 403
    assert FundEntry.objects.count() == 3


def test_the_dashboard_lists_what_is_left_to_do(client_as, users):
    payroll = _locked(users)
    board = client_as("finance").get(reverse("web:finance-dashboard")).context["board"]
    assert [(s.status, s.count, s.total_fen) for s in board.statuses] == [("locked", 1, payroll.total_fen)]
    assert [p.pk for p in board.uncharged] == [payroll.pk]
    assert board.no_account == 7  # none of the test households has a bank account
    assert client_as("coordinator_a").get(reverse("web:finance-dashboard")).status_code == 200
