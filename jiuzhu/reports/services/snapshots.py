"""Building a month's snapshot (生成月末快照) for a region's subtree, from the case records.

The records are read in a few streamed queries (cases, their amount history, the decisions and
reviews behind it, the month's movements, payroll lines, members, standards); each case's month is
worked out by the pure rules (`reports.rules`); the rows are written in one transaction with the
village sums, and the build is audited. A build that fails leaves its snapshot marked failed and
the earlier ones untouched.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import fields
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import AmountChangeKind, DecisionOutcome
from jiuzhu.cases.models import AmountChange, Application, Decision, Entitlement, Review
from jiuzhu.common.exceptions import RuleViolation
from jiuzhu.jobs.services import job_submit
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.rules import NEAR_POOR_LINES
from jiuzhu.payments.choices import OutcomeStatus, PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.payments.scope import code_range
from jiuzhu.programs.models import PolicyVersion, Program, ProgramCode
from jiuzhu.programs.rules.policy import PolicyError
from jiuzhu.programs.rules.resolution import PolicyRow, ancestor_codes, resolve_policy
from jiuzhu.regions.models import Region
from jiuzhu.registry.choices import WorkAbility
from jiuzhu.registry.models import IncomeItem, MembershipPeriod, Person
from jiuzhu.registry.rules.categories import NO_SUPPORT, NOT_A_LIVING
from jiuzhu.reports.models import MonthSnapshot, SnapshotArea, SnapshotCase, SnapshotStandard, SnapshotStatus
from jiuzhu.reports.regions import region_of
from jiuzhu.reports.rules import ADULT_AGE, ELDERLY_AGE, Figures, HistoryEntry, born_by, month_end, movement_persons

BATCH = 5000
SNAPSHOT_JOB = "reports.snapshot_build"
FIGURES = [f.name for f in fields(Figures)]


def snapshot_build(
    *, actor: Any, region_code: str, month: datetime.date, reason: str = "", today: datetime.date | None = None
) -> MonthSnapshot:
    """Build the snapshot of `month` for the subtree of `region_code` (the actor's jurisdiction)."""
    require_capability(actor, Capability.STATISTICS_BUILD)
    require_region_in_jurisdiction(actor, region_code)
    return snapshot_build_run(region_code=region_code, month=month, reason=reason, actor=actor, today=today)


def snapshot_build_run(
    *, region_code: str, month: datetime.date, reason: str = "", actor: Any | None = None, job_id: int | None = None,
    today: datetime.date | None = None,
) -> MonthSnapshot:  # fmt: skip
    """The build itself. Helper service: the job runs it (its submitter was checked on submit; a
    build from cron, `jiuzhu job reports.snapshot_build`, has no actor and is recorded as the system's)."""
    month = month.replace(day=1)
    today = today or timezone.localdate()
    if month > today.replace(day=1):
        label = f"{month:%Y年%m月}"
        raise RuleViolation(_("%(month)s 尚未到来，不能生成快照。") % {"month": label}, code="future_month")
    region = region_of(region_code)
    snapshot = MonthSnapshot.objects.create(
        region=region, month=month, reason=reason[:200], built_by=actor, job_id=job_id
    )
    try:
        with transaction.atomic():
            count = _fill(snapshot)
            snapshot.status, snapshot.cases, snapshot.finished_at = SnapshotStatus.READY, count, timezone.now()
            snapshot.save(update_fields=["status", "cases", "finished_at"])
            audit_event_record(
                actor=actor,
                event_type=AuditEventType.SNAPSHOT_BUILT,
                subject=snapshot,
                region_code=region_code,
                after={"month": f"{month:%Y-%m}", "cases": count},
                reason=reason,
            )
    except BaseException:
        MonthSnapshot.objects.filter(pk=snapshot.pk).update(status=SnapshotStatus.FAILED, finished_at=timezone.now())
        raise
    return snapshot


def _fill(snapshot: MonthSnapshot) -> int:
    """The case rows in one INSERT … SELECT (as the payroll's lines are made: a province's month is
    a million rows), the stopped cases' persons, then the village sums."""
    month, last_day = snapshot.month, month_end(snapshot.month)
    low, high = code_range(snapshot.region.code)
    _store_standards(snapshot, low, high, last_day)
    t = _tables()
    date = connection.ops.adapt_datefield_value
    region_ids = f"SELECT id FROM {t['region']} WHERE code >= %s AND code < %s"  # noqa: S608
    households = f"SELECT e3.household_id FROM {t['entitlement']} e3 WHERE e3.region_id IN ({region_ids})"  # noqa: S608
    members_sql, members_params = _members_sql(t, last_day, households, [low, high])
    moved = (
        f"EXISTS (SELECT 1 FROM {t['change']} x JOIN {t['review']} y ON y.id = x.review_id"  # noqa: S608
        " WHERE x.entitlement_id = e.id AND x.kind IN ({kinds}) AND y.decided_on >= %s AND y.decided_on <= %s)"
    )
    sql = (
        f"INSERT INTO {t['case']} (snapshot_id, entitlement_id, application_id, household_id, program, region_code,"  # noqa: S608
        " households,"
        " persons, amount_fen, standard_persons_fen, paid_fen, elderly, minors, working_age, disabled, three_no,"
        " new_households, new_persons, changed_households, changed_persons, stopped_households, stopped_persons)"
        " SELECT %s, s.id, s.application_id, s.household_id, s.program, s.region_code, s.on_roll,"
        " s.on_roll * s.persons,"
        " s.on_roll * s.amount, s.on_roll * s.persons * s.standard, s.paid, s.on_roll * s.elderly,"
        " s.on_roll * s.minors, s.on_roll * s.working_age, s.on_roll * s.disabled, s.on_roll * s.three_no,"
        " CASE WHEN s.approved IS NULL THEN 0 ELSE 1 END, coalesce(s.approved, 0), s.changed, 0, s.stopped, 0"
        " FROM (SELECT e.id, e.application_id, e.household_id, p.code AS program, r.code AS region_code,"
        " CASE WHEN coalesce(c.amount_fen, 0) > 0 THEN 1 ELSE 0 END AS on_roll, coalesce(c.amount_fen, 0) AS amount,"
        " coalesce(CASE WHEN c.review_id IS NOT NULL THEN v.member_count ELSE d.member_count END, 0) AS persons,"
        " coalesce(st.standard_fen, 0) AS standard, coalesce(pd.paid, 0) AS paid,"
        " coalesce(m.elderly, 0) AS elderly, coalesce(m.minors, 0) AS minors,"
        " coalesce(m.working_age, 0) AS working_age, coalesce(m.disabled, 0) AS disabled,"
        " coalesce(m.three_no, 0) AS three_no,"
        " ap.member_count AS approved,"
        f" CASE WHEN {moved.format(kinds='%s, %s')} THEN 1 ELSE 0 END AS changed,"
        f" CASE WHEN {moved.format(kinds='%s')} THEN 1 ELSE 0 END AS stopped"
        f" FROM {t['entitlement']} e JOIN {t['region']} r ON r.id = e.region_id"
        f" JOIN {t['program']} p ON p.id = e.program_id"
        f" LEFT JOIN {t['change']} c ON c.id = (SELECT c2.id FROM {t['change']} c2 WHERE c2.entitlement_id = e.id"
        " AND c2.effective_month <= %s ORDER BY c2.effective_month DESC, c2.id DESC LIMIT 1)"
        f" LEFT JOIN {t['decision']} d ON d.application_id = e.application_id"
        f" LEFT JOIN {t['review']} v ON v.id = c.review_id"
        f" LEFT JOIN {t['standard']} st ON st.snapshot_id = %s AND st.program_id = e.program_id"
        " AND st.region_id = e.region_id"
        f" LEFT JOIN (SELECT pl.entitlement_id, sum(pl.amount_fen) AS paid FROM {t['line']} pl"
        f" JOIN {t['payroll']} py ON py.id = pl.payroll_id LEFT JOIN {t['outcome']} po ON po.line_id = pl.id"
        f" WHERE py.pay_on >= %s AND py.pay_on <= %s AND py.status <> %s AND (po.status IS NULL OR po.status <> %s)"
        f" AND pl.region_id IN ({region_ids}) GROUP BY pl.entitlement_id) pd ON pd.entitlement_id = e.id"
        f" LEFT JOIN ({members_sql}) m ON m.household_id = e.household_id"
        f" LEFT JOIN (SELECT dd.application_id, dd.member_count FROM {t['decision']} dd"
        " WHERE dd.outcome = %s AND dd.decided_on >= %s AND dd.decided_on <= %s) ap"
        " ON ap.application_id = e.application_id"
        f" WHERE e.region_id IN ({region_ids})) s"
        " WHERE s.on_roll = 1 OR s.approved IS NOT NULL OR s.changed = 1 OR s.stopped = 1 OR s.paid <> 0"
    )
    first, last = date(month), date(last_day)
    params: list[Any] = [
        snapshot.pk,
        AmountChangeKind.INCREASE, AmountChangeKind.DECREASE, first, last,
        AmountChangeKind.STOP, first, last,
        first, snapshot.pk,
        first, last, PayrollStatus.DRAFT, OutcomeStatus.FAILED, low, high,
        *members_params,
        DecisionOutcome.APPROVED, first, last,
        low, high,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(*_approved_unpublished(snapshot, t, first, last, low, high))
        cursor.execute(*_near_poor(snapshot, t, month, last_day, low, high))
    _movement_persons(snapshot, month, last_day)
    sums = ", ".join(f"sum({name})" for name in FIGURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {t['area']} (snapshot_id, region_code, program, cases, {', '.join(FIGURES)})"  # noqa: S608
            f" SELECT snapshot_id, region_code, program, count(*), {sums} FROM {t['case']} WHERE snapshot_id = %s"
            " GROUP BY snapshot_id, region_code, program",
            [snapshot.pk],
        )
    return SnapshotCase.objects.filter(snapshot=snapshot).count()


def _members_sql(
    t: dict[str, str], last_day: datetime.date, households: str, households_params: list[Any]
) -> tuple[str, list[Any]]:
    """Per household (of the subquery `households`), its members by category on `last_day`
    (`reports.rules.categories_on` in SQL)."""
    date = connection.ops.adapt_datefield_value
    three_no, three_no_params = _three_no_sql(t, date(last_day))
    sql = (
        "SELECT mp.household_id,"  # noqa: S608
        " sum(CASE WHEN q.birth_date <= %s THEN 1 ELSE 0 END) AS elderly,"
        " sum(CASE WHEN q.birth_date > %s THEN 1 ELSE 0 END) AS minors,"
        " sum(CASE WHEN q.birth_date > %s AND q.birth_date <= %s THEN 1 ELSE 0 END) AS working_age,"
        " sum(CASE WHEN q.disability_grade IS NOT NULL THEN 1 ELSE 0 END) AS disabled,"
        f" sum(CASE WHEN {three_no} THEN 1 ELSE 0 END) AS three_no"
        f" FROM {t['membership']} mp JOIN {t['person']} q ON q.id = mp.person_id"
        " WHERE mp.started_on <= %s AND (mp.ended_on IS NULL OR mp.ended_on > %s) AND q.is_co_resident"
        " AND (q.death_date IS NULL OR q.death_date > %s) AND q.birth_date <= %s"
        f" AND mp.household_id IN ({households}) GROUP BY mp.household_id"
    )
    last = date(last_day)
    elderly, adult = date(born_by(last_day, ELDERLY_AGE)), date(born_by(last_day, ADULT_AGE))
    params = [elderly, adult, elderly, adult, *three_no_params, last, last, last, last, *households_params]
    return sql, params


def _near_poor(
    snapshot: MonthSnapshot, t: dict[str, str], month: datetime.date, last_day: datetime.date, low: str, high: str
) -> tuple[str, list[Any]]:
    """Rows for the edge households (`lowincome`): in force on the month's last day, recognised in
    the month (new) or no longer counted from a day of the month (ended, or past their validity)."""
    date = connection.ops.adapt_datefield_value
    region_ids = f"SELECT id FROM {t['region']} WHERE code >= %s AND code < %s"  # noqa: S608
    households = f"SELECT n3.household_id FROM {t['near_poor']} n3 WHERE n3.region_id IN ({region_ids})"  # noqa: S608
    members_sql, members_params = _members_sql(t, last_day, households, [low, high])
    zeros = ("amount_fen", "standard_persons_fen", "paid_fen", "changed_households", "changed_persons")
    sql = (
        f"INSERT INTO {t['case']} (snapshot_id, near_poor_id, household_id, program, region_code, households,"  # noqa: S608
        " persons, elderly, minors, working_age, disabled, three_no, new_households, new_persons,"
        f" stopped_households, stopped_persons, {', '.join(zeros)})"
        " SELECT %s, s.id, s.household_id, s.program, s.region_code, s.on_roll, s.on_roll * s.persons,"
        " s.on_roll * s.elderly, s.on_roll * s.minors, s.on_roll * s.working_age, s.on_roll * s.disabled,"
        " s.on_roll * s.three_no, s.new, s.new * s.persons, s.stopped, s.stopped * s.persons"
        f"{', 0' * len(zeros)}"
        " FROM (SELECT n.id, n.household_id, r.code AS region_code, n.member_count AS persons,"
        " CASE WHEN p.code = %s THEN %s ELSE %s END AS program,"
        " CASE WHEN n.recognised_on <= %s AND n.valid_until >= %s AND (n.ended_on IS NULL OR n.ended_on > %s)"
        f" AND NOT EXISTS (SELECT 1 FROM {t['case']} sc WHERE sc.snapshot_id = %s AND sc.household_id = n.household_id"
        " AND sc.households = 1) THEN 1 ELSE 0 END AS on_roll,"
        " CASE WHEN n.recognised_on >= %s AND n.recognised_on <= %s AND n.renews_id IS NULL THEN 1 ELSE 0 END AS new,"
        " CASE WHEN (n.ended_on >= %s AND n.ended_on <= %s) OR ((n.ended_on IS NULL OR n.ended_on > n.valid_until)"
        " AND n.valid_until >= %s AND n.valid_until <= %s"
        f" AND NOT EXISTS (SELECT 1 FROM {t['near_poor']} n2 WHERE n2.renews_id = n.id)) THEN 1 ELSE 0 END AS stopped,"
        " coalesce(m.elderly, 0) AS elderly, coalesce(m.minors, 0) AS minors,"
        " coalesce(m.working_age, 0) AS working_age, coalesce(m.disabled, 0) AS disabled,"
        " coalesce(m.three_no, 0) AS three_no"
        f" FROM {t['near_poor']} n JOIN {t['region']} r ON r.id = n.region_id"
        f" JOIN {t['program']} p ON p.id = n.program_id"
        f" LEFT JOIN ({members_sql}) m ON m.household_id = n.household_id"
        f" WHERE n.region_id IN ({region_ids})) s"
        " WHERE s.on_roll = 1 OR s.new = 1 OR s.stopped = 1"
    )
    first, last = date(month), date(last_day)
    day_before = datetime.timedelta(days=1)
    # Past its validity from a day of the month: its last day is the day before that day.
    params = [
        snapshot.pk,
        ProgramCode.DIBAO_URBAN, NEAR_POOR_LINES[ProgramCode.DIBAO_URBAN], NEAR_POOR_LINES[ProgramCode.DIBAO_RURAL],
        last, last, last, snapshot.pk, first, last, first, last, date(month - day_before), date(last_day - day_before),
        *members_params, low, high,
    ]  # fmt: skip
    return sql, params


def _three_no_sql(t: dict[str, str], last: Any) -> tuple[str, list[Any]]:
    """`registry.rules.categories.is_three_no` of the person `q`, in SQL."""
    kinds = sorted(NOT_A_LIVING)
    sql = (
        f"q.work_ability = %s AND q.supporter IN (%s, %s) AND NOT EXISTS (SELECT 1 FROM {t['income']} i"  # noqa: S608
        f" WHERE i.person_id = q.id AND i.monthly_amount_fen > 0 AND i.recorded_on <= %s"
        f" AND i.kind NOT IN ({', '.join(['%s'] * len(kinds))}))"
    )
    return sql, [WorkAbility.NONE, *sorted(NO_SUPPORT), last, *kinds]


def _approved_unpublished(
    snapshot: MonthSnapshot, t: dict[str, str], first: Any, last: Any, low: str, high: str
) -> tuple[str, list[Any]]:
    """Rows for the cases approved this month that have no benefit yet (it is made at the long-term
    notice, which may fall in a later month): counted as new in the month of their approval."""
    zeros = [name for name in FIGURES if name not in ("new_households", "new_persons")]
    sql = (
        f"INSERT INTO {t['case']} (snapshot_id, entitlement_id, application_id, household_id, program,"  # noqa: S608
        f" region_code, new_households, new_persons, {', '.join(zeros)})"
        f" SELECT %s, NULL, a.id, a.household_id, p.code, r.code, 1, d.member_count{', 0' * len(zeros)}"
        f" FROM {t['decision']} d JOIN {t['application']} a ON a.id = d.application_id"
        f" JOIN {t['region']} r ON r.id = a.region_id JOIN {t['program']} p ON p.id = a.program_id"
        " WHERE d.outcome = %s AND d.decided_on >= %s AND d.decided_on <= %s"
        f" AND a.region_id IN (SELECT id FROM {t['region']} WHERE code >= %s AND code < %s)"
        f" AND NOT EXISTS (SELECT 1 FROM {t['entitlement']} e WHERE e.application_id = a.id)"
    )
    return sql, [snapshot.pk, DecisionOutcome.APPROVED, first, last, low, high]


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    models = {
        "case": SnapshotCase, "area": SnapshotArea, "standard": SnapshotStandard, "entitlement": Entitlement,
        "application": Application,
        "region": Region, "program": Program, "change": AmountChange, "decision": Decision, "review": Review,
        "line": PayrollLine, "payroll": Payroll, "outcome": PaymentOutcome, "membership": MembershipPeriod,
        "person": Person, "income": IncomeItem, "near_poor": NearPoorHousehold,
    }  # fmt: skip
    return {key: quote(model._meta.db_table) for key, model in models.items()}


def _store_standards(snapshot: MonthSnapshot, low: str, high: str, day: datetime.date) -> None:
    """The local standard of each (programme, village) of the cases, resolved once per pair."""
    pairs = set(
        Entitlement.objects.filter(region__code__gte=low, region__code__lt=high)
        .values_list("program_id", "region_id", "region__code")
        .distinct()
    )
    standards = _standards({(program, code) for program, _r, code in pairs}, day)
    SnapshotStandard.objects.bulk_create(
        [
            SnapshotStandard(
                snapshot=snapshot, program_id=program, region_id=region, standard_fen=standards[(program, code)]
            )
            for program, region, code in pairs
        ],
        batch_size=BATCH,
    )


def _movement_persons(snapshot: MonthSnapshot, month: datetime.date, last_day: datetime.date) -> None:
    """The persons of the month's stops and changes (`reports.rules.movement_persons`), from the amount
    histories of the cases stopped or changed, read in one query and written back in batches."""
    moved = SnapshotCase.objects.filter(snapshot=snapshot, entitlement__isnull=False).filter(
        Q(stopped_households=1) | Q(changed_households=1)
    )
    rows = {row.entitlement_id: row for row in moved.only("pk", "entitlement_id")}
    if not rows:
        return
    histories: dict[int, list[HistoryEntry]] = defaultdict(list)
    entries = (
        AmountChange.objects.filter(entitlement_id__in=moved.values("entitlement_id"))
        .order_by("entitlement_id", "effective_month", "pk")
        .values_list("entitlement_id", "kind", "decision__member_count", "review__member_count", "review__decided_on")
    )
    for entitlement, kind, granted, reviewed, decided_on in entries.iterator(chunk_size=BATCH):
        persons = int(reviewed if reviewed is not None else granted or 0)
        histories[entitlement].append(HistoryEntry(kind=kind, persons=persons, decided_on=decided_on))
    for case, row in rows.items():
        row.stopped_persons, row.changed_persons = movement_persons(histories[case or 0], month, last_day)
    SnapshotCase.objects.bulk_update(list(rows.values()), ["stopped_persons", "changed_persons"], batch_size=BATCH)


def _standards(pairs: set[tuple[int, str]], day: datetime.date) -> dict[tuple[int, str], int]:
    """The local standard (fen a person a month) of each (programme, village) on `day`; 0 where the
    programme has no complete policy there."""
    rows: dict[int, list[PolicyRow]] = defaultdict(list)
    for program, pk, code, effective_from, params in PolicyVersion.objects.filter(
        program_id__in={program for program, _c in pairs}
    ).values_list("program_id", "pk", "region__code", "effective_from", "params"):
        rows[program].append(PolicyRow(version_id=pk, region_code=code, effective_from=effective_from, params=params))
    result: dict[tuple[int, str], int] = {}
    for program, code in pairs:
        chain = [row for row in rows.get(program, []) if row.region_code in ancestor_codes(code)]
        try:
            result[(program, code)] = resolve_policy(code, day, chain).policy().standard_fen
        except PolicyError:
            result[(program, code)] = 0
    return result


def snapshot_submit(*, actor: Any, region_code: str, month: datetime.date, reason: str = "") -> Any:
    """Queue the build as a job (checked here as in the build)."""
    require_capability(actor, Capability.STATISTICS_BUILD)
    require_region_in_jurisdiction(actor, region_code)
    region = region_of(region_code)
    return job_submit(
        actor=actor, kind=SNAPSHOT_JOB,
        title=_("%(region)s %(month)s 月末快照") % {"region": region.name, "month": f"{month:%Y年%m月}"},
        params={"region_code": region_code, "month": month.replace(day=1).isoformat(), "reason": reason},
        region_code=region_code, exclusive_key=f"{SNAPSHOT_JOB}:{region_code}:{month:%Y-%m}",
    )  # fmt: skip
