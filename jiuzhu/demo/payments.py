"""The demo town's payments, made with the payment services as 讲治镇's staff would (DEMO.md).

* 2012: dibao is paid quarterly through the rural credit union (the seed). At the start of each
  quarter the county officer generates the township's payroll for each programme, the finance
  officer locks it, produces the credit union's bank file and imports its return file. The
  credit union returns a few payments as failed (a frozen account, a name that does not match the
  account); the next quarter's payroll carries them over.
* 2013 to last month: paid monthly, as the rules now require. Every month is generated and locked;
  the credit union's returns are recorded as paid (the last three months through bank and return
  files, the earlier ones as the finance officer's entry of the outcomes, to keep the build short).
* This month: generated, locked and sent to the bank; the return file has not come back yet.

The figures of DEMO.md come out of these payrolls: the regular lines of January 2013, the first
monthly payroll, are the year-end roll of 2012 (demo/tests/test_history.py).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db.models import Q

from jiuzhu.accounts.models import User
from jiuzhu.demo.town import COUNTY_CODE, TOWNSHIP_CODE
from jiuzhu.payments.models import BankFile, PaymentInstitution, Payroll, PayrollLine
from jiuzhu.payments.services.bank import bank_file_export, bank_return_import, reference_of
from jiuzhu.payments.services.generation import payroll_generate
from jiuzhu.payments.services.institutions import payment_institution_save
from jiuzhu.payments.services.settlement import payment_outcomes_record, payroll_lock
from jiuzhu.regions.models import Region

PROGRAMS = ("dibao_urban", "dibao_rural")
CREDIT_UNION = "开江县农村信用合作联社"
PAY_DAY = 5  # payrolls are generated a few days before the 10th
BANK_FILE_MONTHS = 3  # the last months paid through bank and return files
# The credit union's failed payments of 2012: (programme, quarter's first month, row of the file, reason).
FAILURES = (
    ("dibao_rural", 1, 17, "账户已冻结"),
    ("dibao_rural", 1, 941, "户名与账号不符"),
    ("dibao_urban", 7, 40, "账户已销户"),
)


@dataclass
class PaymentsResult:
    payrolls: int = 0
    lines: int = 0
    failed: int = 0


def demo_institution_ensure() -> PaymentInstitution:
    """The credit union paying 开江县's dibao (CSV in GBK, as rural credit unions take it)."""
    existing = PaymentInstitution.objects.filter(name=CREDIT_UNION).first()
    if existing is not None:
        return existing
    admin = User.objects.get(username="admin")
    institution = PaymentInstitution(
        name=CREDIT_UNION, kind="credit_union", region=Region.objects.get(code=COUNTY_CODE), encoding="gbk"
    )
    return payment_institution_save(actor=admin, institution=institution, reason="演示：信用社代发低保金")


class DemoPayments:
    """Runs the town's payrolls with the services; `pay` for one period and both programmes."""

    def __init__(self) -> None:
        users = {
            u.username: u for u in User.objects.filter(username__in=["county", "finance"]).select_related("region")
        }
        self.officer, self.finance = users["county"], users["finance"]
        self.institution = demo_institution_ensure()
        self.result = PaymentsResult()

    def pay(self, month: datetime.date, *, bank: bool, returned: bool = True) -> None:
        for program in PROGRAMS:
            payroll = payroll_generate(actor=self.officer, program_code=program, region_code=TOWNSHIP_CODE, month=month)
            if payroll.line_count == 0:
                continue
            payroll = payroll_lock(actor=self.finance, payroll_id=payroll.pk, expected_version=payroll.version)
            self.result.payrolls += 1
            self.result.lines += payroll.line_count
            if bank:
                made = bank_file_export(actor=self.finance, payroll_id=payroll.pk, institution_id=self.institution.pk)
                if returned:
                    content = self._return_file(made.bank_file, program, month)
                    bank_return_import(
                        actor=self.finance,
                        payroll_id=payroll.pk,
                        file_name=f"{CREDIT_UNION}回盘{month:%Y%m}{program}.csv",
                        content=content,
                    )
            elif returned:
                lines = PayrollLine.objects.filter(payroll=payroll, outcome__isnull=True).values_list("pk", flat=True)
                payment_outcomes_record(
                    actor=self.finance,
                    payroll_id=payroll.pk,
                    outcomes={pk: ("paid", "") for pk in lines},
                    source=f"{CREDIT_UNION}代发结果",
                )

    def _return_file(self, bank_file: BankFile, program: str, month: datetime.date) -> bytes:
        """The credit union's return file: one row per row of the bank file (its reference and
        amount, in the file's order), each paid unless listed in FAILURES."""
        failures = {
            at: reason
            for code, start, at, reason in FAILURES
            if code == program and month.year == 2012 and start == month.month
        }
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["流水号", "金额", "处理结果", "失败原因"])
        sent = bank_file.rows.order_by("pk").values_list("household_id", "amount_fen")
        for position, (household_id, amount_fen) in enumerate(sent, start=1):
            reason = failures.get(position)
            self.result.failed += 1 if reason else 0
            writer.writerow(
                [
                    reference_of(bank_file.payroll_id, household_id),
                    f"{amount_fen // 100}.{amount_fen % 100:02d}",  # amounts sent are positive
                    "失败" if reason else "成功",
                    reason or "",
                ]
            )
        return out.getvalue().encode("gbk")


def quarter_starts(year: int) -> list[datetime.date]:
    return [datetime.date(year, month, PAY_DAY) for month in (1, 4, 7, 10)]


def demo_payments_exist() -> bool:
    return Payroll.objects.filter(Q(region__code=TOWNSHIP_CODE)).exists()
