"""The payroll process that test_faults kills: run as `python -m jiuzhu.payments.tests.faults.runner STEP`
with DJANGO_SETTINGS_MODULE and DATABASE_URL pointing at a throwaway database.

* `setup`: migrate, the test region tree, users, the county's quarterly rural dibao policy and
  CASES benefits in force (bulk, as the services leave them);
* `generate YYYY-MM`: print "ready" once Django is up, then generate the county's payroll for the
  quarter of that month as the job does (open, plan the parts, each part in its transaction,
  finish), printing "part CODE" after each part and "done" at the end;
* `check YYYY-MM`: print that quarter's payroll and lines as JSON figures;
* `setup-wide`: like `setup`, with monthly payment and WIDE_TOWNSHIPS more townships of WIDE_CASES
  cases each, so that a county payroll has many parts for several workers to share;
* `submit YYYY-MM`: submit the county's payroll generation as a background job (print its id);
* `job ID`: print the job's status and, per part, which worker process did it.
"""

from __future__ import annotations

import datetime
import json
import sys

import django

CASES = {"511723105201": 3000, "511723105202": 2000, "511723106201": 3000}
FIRST_DECISION = datetime.date(2026, 1, 10)  # benefits in force from February 2026
WIDE_TOWNSHIPS = 8
WIDE_CASES = 1500


def _say(*words: str) -> None:
    """One line to the parent test (it reads them as they come)."""
    sys.stdout.write(" ".join(words) + "\n")
    sys.stdout.flush()


def _setup() -> None:
    from django.core.management import call_command

    from jiuzhu.accounts.roles import Role
    from jiuzhu.programs.selectors import dibao_policy_get
    from jiuzhu.programs.services.policy import policy_version_create
    from jiuzhu.testing.beneficiaries import bulk_beneficiaries
    from jiuzhu.testing.builders import COUNTY, build_region_tree, make_user

    call_command("migrate", verbosity=0)
    regions = build_region_tree()
    approver = make_user("approver", Role.COUNTY_APPROVER, regions[COUNTY])
    make_user("officer", Role.COUNTY_OFFICER, regions[COUNTY])
    policy_version_create(
        actor=approver, region_code=COUNTY, program_code="dibao_rural", effective_from=datetime.date(2020, 1, 1),
        params={"standard_fen": 7200, "payment_frequency": "quarterly"}, note="故障测试",
    )  # fmt: skip
    policy = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=FIRST_DECISION)
    for code, count in CASES.items():
        bulk_beneficiaries(actor=approver, region=regions[code], policy=policy, count=count, decided_on=FIRST_DECISION)


def _setup_wide() -> None:
    from django.core.management import call_command

    from jiuzhu.accounts.roles import Role
    from jiuzhu.programs.selectors import dibao_policy_get
    from jiuzhu.programs.services.policy import policy_version_create
    from jiuzhu.regions.models import Region, RegionLevel
    from jiuzhu.testing.beneficiaries import bulk_beneficiaries
    from jiuzhu.testing.builders import COUNTY, build_region_tree, make_user

    call_command("migrate", verbosity=0)
    regions = build_region_tree()
    approver = make_user("approver", Role.COUNTY_APPROVER, regions[COUNTY])
    make_user("officer", Role.COUNTY_OFFICER, regions[COUNTY])
    policy_version_create(
        actor=approver, region_code=COUNTY, program_code="dibao_rural", effective_from=datetime.date(2020, 1, 1),
        params={"standard_fen": 7200}, note="多进程测试",
    )  # fmt: skip
    policy = dibao_policy_get(region_code=COUNTY, program_code="dibao_rural", on=FIRST_DECISION)
    for number in range(WIDE_TOWNSHIPS):
        code = f"{COUNTY}{110 + number}"
        township = Region.objects.create(
            code=code, name=f"测试{number + 1}镇", level=RegionLevel.TOWNSHIP, parent=regions[COUNTY]
        )
        village = Region.objects.create(
            code=f"{code}201", name=f"测试{number + 1}村", level=RegionLevel.VILLAGE, parent=township
        )
        bulk_beneficiaries(actor=approver, region=village, policy=policy, count=WIDE_CASES, decided_on=FIRST_DECISION)


def _submit(month: datetime.date) -> None:
    from jiuzhu.accounts.models import User
    from jiuzhu.payments.services.submission import payroll_generation_submit
    from jiuzhu.testing.builders import COUNTY

    officer = User.objects.select_related("region").get(username="officer")
    _payroll, job = payroll_generation_submit(
        actor=officer, program_code="dibao_rural", region_code=COUNTY, month=month
    )
    _say(str(job.pk))


def _job(job_id: int) -> None:
    from jiuzhu.jobs.models import Job
    from jiuzhu.payments.models import PayrollLine

    job = Job.objects.get(pk=job_id)
    chunks = list(job.chunks.order_by("index").values_list("index", "status", "worker"))
    _say(json.dumps({"status": job.status, "error": job.error, "chunks": chunks, "lines": PayrollLine.objects.count()}))


def _month(text: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{text}-01")


def _generate(month: datetime.date) -> None:
    from jiuzhu.accounts.models import User
    from jiuzhu.payments.services.generation import (
        payroll_generation_begin,
        payroll_generation_finish,
        payroll_lines_generate,
        payroll_open,
    )
    from jiuzhu.testing.builders import COUNTY

    officer = User.objects.select_related("region").get(username="officer")
    _say("ready")
    payroll = payroll_open(actor=officer, program_code="dibao_rural", region_code=COUNTY, month=month)
    payroll, parts = payroll_generation_begin(payroll_id=payroll.pk)
    for prefix in parts:
        payroll_lines_generate(payroll_id=payroll.pk, prefix=prefix)
        _say("part", prefix)
    payroll_generation_finish(actor=officer, payroll_id=payroll.pk)
    _say("done")


def _check(month: datetime.date) -> None:
    from django.db.models import Count, Sum

    from jiuzhu.payments.models import Payroll, PayrollLine
    from jiuzhu.payments.rules import period_for

    start = period_for(month, "quarterly").start
    payroll = Payroll.objects.filter(period_start=start).first()
    lines = PayrollLine.objects.filter(payroll=payroll)
    figures = lines.aggregate(n=Count("pk"), total=Sum("amount_fen"))
    every_month = PayrollLine.objects.values("entitlement_id", "month")
    _say(
        json.dumps(
            {
                "lines": figures["n"],
                "total_fen": figures["total"] or 0,
                "distinct": lines.values("entitlement_id", "month").distinct().count(),
                "all_lines": every_month.count(),
                "all_distinct": every_month.distinct().count(),
                "payrolls": Payroll.objects.count(),
                "status": payroll.status if payroll else None,
                "stored_lines": payroll.line_count if payroll else None,
                "stored_total_fen": payroll.total_fen if payroll else None,
            }
        )
    )


if __name__ == "__main__":
    django.setup()
    step = sys.argv[1]
    if step == "setup":
        _setup()
    elif step == "setup-wide":
        _setup_wide()
    elif step == "job":
        _job(int(sys.argv[2]))
    else:
        {"generate": _generate, "check": _check, "submit": _submit}[step](_month(sys.argv[2]))
