"""Generating a payroll (生成发放名册): open it, write its lines chunk by chunk, finish it.

* `payroll_open` creates the draft for a programme, region and period (or returns the draft that
  exists). A second payroll whose region and period overlap an existing one is refused: a case is
  on one roster per period.
* `payroll_lines_generate` writes the lines of one part of the region (a township, for a county's
  payroll) in set-based SQL: one INSERT … SELECT per month for the regular lines, whatever the size.
  It is idempotent: the unique constraint on (case, programme, month) for regular lines, with
  ON CONFLICT DO NOTHING, means a re-run adds only what is missing. While the payroll is a
  draft, a re-run also brings its own lines up to date (an amount changed, a case stopped).
  Adjustments (补发, 结转, 追回) for earlier months are computed by `rules.adjustments_owed` for the
  few cases that may need one: an amount change recorded since the previous payroll was generated,
  or a payment that failed.
* `payroll_generation_finish` counts the lines and records the generation in the audit trail.

`payroll_generate` runs all three in this process (the demo, tests, small regions); the job kind
`payments.payroll_generate` (payments.jobs) runs the parts on the workers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.models import AmountChange, Entitlement
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, TransitionNotAllowed
from jiuzhu.payments.choices import OutcomeStatus, PayrollLineKind, PayrollStatus
from jiuzhu.payments.models import PaymentOutcome, Payroll, PayrollLine
from jiuzhu.payments.rules import Adjustment, PaidLine, Period, adjustments_owed, months_between, period_for
from jiuzhu.payments.scope import code_range, periods_overlap, regions_overlap
from jiuzhu.programs.models import Program
from jiuzhu.programs.rules.dynamic import add_months
from jiuzhu.programs.rules.resolution import ancestor_codes
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.models import Region, RegionLevel

REGULAR = PayrollLineKind.REGULAR.value


def generation_job_key(payroll_id: int) -> str:
    """The jobs' exclusive key: one generation of a payroll at a time."""
    return f"payments.payroll:{payroll_id}"


@dataclass(frozen=True)
class ChunkResult:
    regular_added: int = 0
    regular_changed: int = 0
    regular_removed: int = 0
    adjustments_added: int = 0
    adjustments_changed: int = 0
    adjustments_removed: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


# --- Opening ----------------------------------------------------------------------------------------


def payroll_period_get(*, program_code: str, region_code: str, month: datetime.date) -> Period:
    """The period containing `month` under the policy in force there (monthly or quarterly)."""
    policy = dibao_policy_get(region_code=region_code, program_code=program_code, on=month)
    return period_for(month, policy.payment_frequency)


def _pay_on(period: Period, region_code: str, program_code: str) -> datetime.date:
    policy = dibao_policy_get(region_code=region_code, program_code=program_code, on=period.start)
    return period.start.replace(day=policy.payment_day)


@transaction.atomic(durable=True)
def payroll_open(*, actor: Any | None, program_code: str, region_code: str, month: datetime.date) -> Payroll:
    """The draft payroll of the period containing `month`, created if missing (audit PAYROLL_CREATED)."""
    if actor is not None:
        require_capability(actor, Capability.PAYROLL_GENERATE)
        require_region_in_jurisdiction(actor, region_code)
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFoundOrNoAccess()
    # One creation at a time per programme: the overlap check below must see every payroll.
    program = Program.objects.select_for_update().filter(code=program_code).first()
    if program is None:
        raise NotFoundOrNoAccess()
    period = payroll_period_get(program_code=program_code, region_code=region_code, month=month)
    existing = Payroll.objects.filter(program=program, region=region, period_start=period.start).first()
    if existing is not None:
        if existing.status != PayrollStatus.DRAFT:
            raise TransitionNotAllowed(
                _("%(period)s的发放名册已锁定，不能重新生成；更正请在下一期名册中补发或追回。")
                % {"period": period.label()},
                code="payroll_locked",
            )
        return existing
    nearby = Payroll.objects.filter(
        _overlapping_q(region.code), program=program, period_start__lt=period.end,
        period_start__gte=add_months(period.start, -2),  # a quarter starting up to two months before
    ).select_related("region")  # fmt: skip
    for other in nearby:
        other_end = Period(other.period_start, other.months).end
        if regions_overlap(other.region.code, region.code) and periods_overlap(
            other.period_start, other_end, period.start, period.end
        ):
            raise ConflictError(
                _("%(region)s %(period)s已有发放名册（编号 %(id)s），覆盖的地区和月份与本次重叠，不能再生成一份。")
                % {
                    "region": other.region.name,
                    "period": Period(other.period_start, other.months).label(),
                    "id": other.pk,
                },
                code="payroll_overlaps",
                payroll=other.pk,
            )
    payroll = Payroll.objects.create(
        program=program,
        region=region,
        period_start=period.start,
        months=period.months,
        pay_on=_pay_on(period, region_code, program_code),
        created_by=actor if actor is not None and getattr(actor, "pk", None) else None,
    )
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYROLL_CREATED,
        subject=payroll,
        region_code=region.code,
        after={"program": program.code, "period_start": period.start.isoformat(), "months": period.months},
    )
    return payroll


def payroll_parts(payroll: Payroll) -> list[str]:
    """The region-code prefixes the payroll is generated in, one per part: the townships of a county
    (or larger) region, else the region itself."""
    code = payroll.region.code
    if payroll.region.level >= RegionLevel.TOWNSHIP:
        return [code]
    low, high = code_range(code)
    townships = list(
        Region.objects.filter(code__gte=low, code__lt=high, level=RegionLevel.TOWNSHIP)
        .order_by("code")
        .values_list("code", flat=True)
    )
    return townships or [code]


def payroll_generation_begin(*, payroll_id: int) -> tuple[Payroll, list[str]]:
    """Mark the start of a generation run and return the parts to generate (helper: plain atomic)."""
    with transaction.atomic():
        payroll = _draft_for_update(payroll_id)
        payroll.generation_started_at = timezone.now()
        payroll.save(update_fields=["generation_started_at"])
        return payroll, payroll_parts(payroll)


def _draft_for_update(payroll_id: int) -> Payroll:
    payroll = Payroll.objects.select_for_update().select_related("region", "program").filter(pk=payroll_id).first()
    if payroll is None:
        raise NotFoundOrNoAccess()
    if payroll.status != PayrollStatus.DRAFT:
        raise TransitionNotAllowed(_("发放名册已锁定，明细不能再变动。"), code="payroll_locked")
    return payroll


# --- Lines ------------------------------------------------------------------------------------------


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "line": quote(PayrollLine._meta.db_table),
        "change": quote(AmountChange._meta.db_table),
        "entitlement": quote(Entitlement._meta.db_table),
        "region": quote(Region._meta.db_table),
    }


def _amount_sql(t: dict[str, str], entitlement: str, month: str) -> str:
    """The amount in force for a case and month, as a correlated subquery (NULL before any change)."""
    return (
        f"(SELECT c.amount_fen FROM {t['change']} c WHERE c.entitlement_id = {entitlement}"  # noqa: S608
        f" AND c.effective_month <= {month} ORDER BY c.effective_month DESC, c.id DESC LIMIT 1)"
    )


def _regular_insert(payroll: Payroll, prefix: str, month: datetime.date) -> int:
    """One month's regular lines for the part: every case in force, once. The region filter is an IN
    over the region-code range, so both databases read the benefits through the (programme, region)
    index, part by part. A case that already has its line is skipped by the unique index itself
    (ON CONFLICT … DO NOTHING): unlike a NOT EXISTS, that needs no query plan, so it stays fast while
    the table grows faster than its statistics (PostgreSQL chose a quadratic plan here before)."""
    t = _tables()
    low, high = code_range(prefix)
    month_value = connection.ops.adapt_datefield_value(month)
    sql = (
        f"INSERT INTO {t['line']}"  # noqa: S608 - table names from the models, values as parameters
        " (payroll_id, entitlement_id, household_id, program_id, region_id, month, kind, amount_fen)"
        f" SELECT %s, s.id, s.household_id, s.program_id, s.region_id, %s, %s, s.amount FROM ("
        f" SELECT e.id, e.household_id, e.program_id, e.region_id, {_amount_sql(t, 'e.id', '%s')} AS amount"
        f" FROM {t['entitlement']} e"
        f" WHERE e.program_id = %s AND e.region_id IN (SELECT id FROM {t['region']} WHERE code >= %s AND code < %s)"
        f" AND e.first_month <= %s"
        f") s WHERE s.amount > 0"
        " ON CONFLICT (entitlement_id, program_id, month) WHERE kind = 'regular' DO NOTHING"
    )
    params = [payroll.pk, month_value, REGULAR, month_value, payroll.program_id, low, high, month_value]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _regular_refresh(payroll: Payroll, prefix: str) -> tuple[int, int]:
    """Bring a draft's own regular lines up to date: (changed, removed)."""
    t = _tables()
    low, high = code_range(prefix)
    own = (
        "payroll_id = %s AND kind = %s AND region_id IN"  # noqa: S608 - a table name below
        f" (SELECT id FROM {t['region']} WHERE code >= %s AND code < %s)"
    )
    amount = _amount_sql(t, f"{t['line']}.entitlement_id", f"{t['line']}.month")
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {t['line']} WHERE {own} AND COALESCE({amount}, 0) <= 0",  # noqa: S608
            [payroll.pk, REGULAR, low, high],
        )
        removed = max(cursor.rowcount, 0)
        cursor.execute(
            f"UPDATE {t['line']} SET amount_fen = {amount} WHERE {own} AND amount_fen <> {amount}",  # noqa: S608
            [payroll.pk, REGULAR, low, high],
        )
        changed = max(cursor.rowcount, 0)
    return changed, removed


def _overlapping_q(code: str) -> Q:
    """Payrolls whose region overlaps `code`'s: a region above it, or one in its subtree."""
    low, high = code_range(code)
    return Q(region__code__in=ancestor_codes(code)) | Q(region__code__gte=low, region__code__lt=high)


def _adjustment_window(payroll: Payroll) -> tuple[datetime.date, datetime.datetime | None]:
    """(horizon, since): adjustments reach back to the first payroll of this programme over this
    region (nothing was paid through Jiuzhu before it); cases are looked at again when an amount
    change or a failed payment was recorded since the previous payroll's generation began (earlier
    ones were in its computation)."""
    earlier = Payroll.objects.filter(
        _overlapping_q(payroll.region.code), program_id=payroll.program_id, period_start__lt=payroll.period_start
    )
    previous = earlier.order_by("-period_start", "-pk").first()
    if previous is None:
        return payroll.period_start, None
    horizon = earlier.order_by("period_start").values_list("period_start", flat=True).first() or previous.period_start
    return horizon, previous.generation_started_at or previous.created_at


def _adjustment_candidates(payroll: Payroll, prefix: str, since: datetime.datetime | None) -> set[int]:
    low, high = code_range(prefix)
    in_scope = {"program_id": payroll.program_id, "region__code__gte": low, "region__code__lt": high}
    candidates = set(
        PayrollLine.objects.filter(payroll=payroll, region__code__gte=low, region__code__lt=high)
        .exclude(kind=REGULAR)
        .values_list("entitlement_id", flat=True)
    )
    if since is None:
        return candidates
    # Failures recorded before the previous payroll began were in its computation (it carried them
    # over, and a carry-over that failed again is a new failure): only newer ones are looked at.
    candidates.update(
        PaymentOutcome.objects.filter(
            status=OutcomeStatus.FAILED,
            recorded_at__gte=since,
            line__program_id=payroll.program_id,
            line__month__lt=payroll.period_start,
            line__region__code__gte=low,
            line__region__code__lt=high,
        ).values_list("line__entitlement_id", flat=True)
    )
    candidates.update(
        AmountChange.objects.filter(
            recorded_at__gte=since,
            effective_month__lt=payroll.period_start,
            **{f"entitlement__{key}": value for key, value in in_scope.items()},
        ).values_list("entitlement_id", flat=True)
    )
    return candidates


def _adjustments_write(payroll: Payroll, prefix: str) -> tuple[int, int, int]:
    horizon, since = _adjustment_window(payroll)
    if horizon >= payroll.period_start:
        return 0, 0, 0
    candidates = sorted(_adjustment_candidates(payroll, prefix, since))
    added = changed = removed = 0
    for start in range(0, len(candidates), 2000):
        ids = candidates[start : start + 2000]
        a, c, r = _adjustments_write_for(payroll, ids, horizon)
        added, changed, removed = added + a, changed + c, removed + r
    return added, changed, removed


def _adjustments_write_for(payroll: Payroll, ids: list[int], horizon: datetime.date) -> tuple[int, int, int]:
    entitlements = {
        e.pk: e
        for e in Entitlement.objects.filter(pk__in=ids).only("household_id", "region_id", "first_month", "program_id")
    }
    changes: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for entitlement_id, effective, amount in AmountChange.objects.filter(entitlement_id__in=ids).values_list(
        "entitlement_id", "effective_month", "amount_fen"
    ):
        changes[entitlement_id].append((effective, amount))
    paid: dict[int, list[PaidLine]] = defaultdict(list)
    own: dict[tuple[int, datetime.date], PayrollLine] = {}
    lines = PayrollLine.objects.filter(
        entitlement_id__in=ids, month__gte=horizon, month__lt=payroll.period_start
    ).values_list("pk", "payroll_id", "entitlement_id", "month", "kind", "amount_fen", "outcome__status")
    for pk, payroll_id, entitlement_id, month, kind, amount, outcome in lines:
        if payroll_id == payroll.pk and kind != REGULAR:
            own[(entitlement_id, month)] = PayrollLine(pk=pk, kind=kind, amount_fen=amount)
            continue
        paid[entitlement_id].append(PaidLine(month=month, amount_fen=amount, failed=outcome == OutcomeStatus.FAILED))
    wanted: dict[tuple[int, datetime.date], Adjustment] = {}
    for entitlement_id, entitlement in entitlements.items():
        months = months_between(max(horizon, entitlement.first_month), payroll.period_start)
        for adjustment in adjustments_owed(changes=changes[entitlement_id], lines=paid[entitlement_id], months=months):
            wanted[(entitlement_id, adjustment.month)] = adjustment
    new_lines, changed = [], 0
    for key, adjustment in wanted.items():
        line = own.pop(key, None)
        if line is None:
            entitlement = entitlements[key[0]]
            new_lines.append(
                PayrollLine(
                    payroll=payroll,
                    entitlement_id=key[0],
                    household_id=entitlement.household_id,
                    program_id=entitlement.program_id,
                    region_id=entitlement.region_id,
                    month=adjustment.month,
                    kind=adjustment.kind.value,
                    amount_fen=adjustment.amount_fen,
                )
            )
        elif (line.kind, line.amount_fen) != (adjustment.kind.value, adjustment.amount_fen):
            PayrollLine.objects.filter(pk=line.pk).update(kind=adjustment.kind.value, amount_fen=adjustment.amount_fen)
            changed += 1
    PayrollLine.objects.bulk_create(new_lines)
    removed = len(own)
    if own:
        PayrollLine.objects.filter(pk__in=[line.pk for line in own.values()]).delete()
    return len(new_lines), changed, removed


def payroll_lines_generate(*, payroll_id: int, prefix: str) -> ChunkResult:
    """Write (or bring up to date) the draft payroll's lines for the cases under `prefix`. Helper
    service: plain atomic, so a job can make it one transaction with its chunk's "done" mark."""
    with transaction.atomic():
        payroll = _draft_for_update(payroll_id)
        # The draft's own lines first (none on a first run: skipped), then what is missing. The other
        # way round, the refresh would recompute every line just written.
        low, high = code_range(prefix)
        own = PayrollLine.objects.filter(payroll=payroll, region__code__gte=low, region__code__lt=high)
        changed, removed = _regular_refresh(payroll, prefix) if own.exists() else (0, 0)
        months = Period(payroll.period_start, payroll.months).month_list
        added = sum(_regular_insert(payroll, prefix, month) for month in months)
        adj_added, adj_changed, adj_removed = _adjustments_write(payroll, prefix)
    return ChunkResult(added, changed, removed, adj_added, adj_changed, adj_removed)


# --- Finishing --------------------------------------------------------------------------------------


def payroll_totals(payroll_id: int) -> dict[str, int]:
    totals = PayrollLine.objects.filter(payroll_id=payroll_id).aggregate(
        lines=Count("pk"), total=Sum("amount_fen"), households=Count("household_id", distinct=True)
    )
    return {"lines": totals["lines"] or 0, "total_fen": totals["total"] or 0, "households": totals["households"] or 0}


def payroll_generation_finish(*, actor: Any | None, payroll_id: int, results: dict[str, int] | None = None) -> Payroll:
    """Count the lines and record the generation (audit PAYROLL_GENERATED). Helper: plain atomic."""
    with transaction.atomic():
        payroll = _draft_for_update(payroll_id)
        totals = payroll_totals(payroll_id)
        payroll.line_count, payroll.total_fen, payroll.household_count = (
            totals["lines"], totals["total_fen"], totals["households"]
        )  # fmt: skip
        payroll.generated_at = timezone.now()
        payroll.version += 1
        payroll.save(update_fields=["line_count", "total_fen", "household_count", "generated_at", "version"])
        audit_event_record(
            actor=actor,
            event_type=AuditEventType.PAYROLL_GENERATED,
            subject=payroll,
            region_code=payroll.region.code,
            after={**totals, **(results or {})},
        )
    return payroll


def payroll_generate(*, actor: Any | None, program_code: str, region_code: str, month: datetime.date) -> Payroll:
    """Open (or re-open) the draft and generate all of it in this process, part by part."""
    payroll = payroll_open(actor=actor, program_code=program_code, region_code=region_code, month=month)
    payroll, parts = payroll_generation_begin(payroll_id=payroll.pk)
    results: dict[str, int] = defaultdict(int)
    for prefix in parts:
        for key, value in payroll_lines_generate(payroll_id=payroll.pk, prefix=prefix).as_dict().items():
            results[key] += value
    return payroll_generation_finish(actor=actor, payroll_id=payroll.pk, results=dict(results))
