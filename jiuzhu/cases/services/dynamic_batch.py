"""Dynamic management in bulk: the monthly job and the yearly review of many unchanged households.

* `reviews_due_open`: open the periodic reviews falling due (monthly job; idempotent).
* `reviews_confirm_no_change_batch`: the township confirms many reviews at once as "no change"
  after re-assessing every household (年度复核，情况无变化).
* `gradual_exits_finish`: benefits whose gradual exit has run out are stopped (monthly job).

These write thousands of rows: a constant number of queries whatever the count, rows written with
`common.bulk` (one statement run over all rows) and one audit event per case
(`audit_events_record_bulk`). Each call is one durable transaction. Policy: DOMAIN §4.7.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import jurisdiction_q
from jiuzhu.audit.services import AuditEntry, audit_event_record, audit_events_record_bulk
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import REVIEW_REGION_CODE
from jiuzhu.cases.choices import (
    AmountChangeKind,
    ApplicationStatus,
    EntitlementStatus,
    ReviewOutcome,
    ReviewStatus,
    ReviewTrigger,
)
from jiuzhu.cases.models import AmountChange, Application, Entitlement, Review
from jiuzhu.cases.review_rules import (
    ACTIVE_REVIEW_STATUSES,
    NO_CHANGE,
    NO_CHANGE_CAPABILITIES,
    OPEN_CAPABILITIES,
    derive_outcome,
    next_review_due,
)
from jiuzhu.cases.review_selectors import review_facts_many
from jiuzhu.cases.services.dynamic import policy_snapshot, require_any, review_months, stop_application
from jiuzhu.common.bulk import insert_rows, update_rows
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.dibao import assess_dibao
from jiuzhu.programs.rules.dynamic import month_of
from jiuzhu.programs.rules.policy import DibaoPolicy
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.scoping import subtree_q

CHUNK = 500


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _user(actor: Any | None) -> Any | None:
    return actor if actor is not None and getattr(actor, "pk", None) else None


# --- Opening the periodic reviews due ----------------------------------------------------------------------


@transaction.atomic(durable=True)
def reviews_due_open(
    *, actor: Any | None = None, today: datetime.date | None = None, lead_days: int = 30, region_code: str = ""
) -> list[int]:
    """Open the periodic reviews of every benefit in force whose next review falls due within
    `lead_days` (or is past due) and has no review open: the monthly job (actor None: the system), or
    a user who may open reviews, for their jurisdiction; `region_code` narrows to a subtree. Due on
    the benefit's next review date. Idempotent. Returns the ids of the reviews opened (in entitlement
    order). Writes REVIEW_OPENED per review."""
    day = today or timezone.localdate()
    entitlements = Entitlement.objects.filter(
        status=EntitlementStatus.ACTIVE, next_review_on__lte=day + datetime.timedelta(days=lead_days)
    ).exclude(Exists(Review.objects.filter(entitlement=OuterRef("pk"), status__in=sorted(ACTIVE_REVIEW_STATUSES))))
    if actor is not None:
        require_any(actor, OPEN_CAPABILITIES)
        entitlements = entitlements.filter(jurisdiction_q(actor, "region__code"))
    if region_code:
        entitlements = entitlements.filter(subtree_q(region_code, "region__code"))
    due: dict[int, tuple[datetime.date, str, int]] = {
        pk: (next_review_on, code, household)
        for pk, next_review_on, code, household in entitlements.select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "next_review_on", "region__code", "household_id")
        if next_review_on is not None
    }
    if not due:
        return []
    note = _("定期复核")
    now = timezone.now()
    defaults = Review(
        trigger=ReviewTrigger.PERIODIC,
        status=ReviewStatus.OPEN,
        opened_on=day,
        opened_by=_user(actor),
        note=note,
        created_at=now,
        updated_at=now,
    )
    insert_rows(
        Review,
        [{"entitlement_id": pk, "due_on": due_on} for pk, (due_on, _code, _household) in due.items()],
        defaults=defaults,
    )
    # At most one review per benefit is open (a constraint), so the new ones are found by benefit.
    opened: dict[int, int] = {}
    for chunk in _chunks(list(due)):
        opened.update(
            Review.objects.filter(entitlement_id__in=chunk, status=ReviewStatus.OPEN).values_list(
                "entitlement_id", "pk"
            )
        )
    audit_events_record_bulk(
        actor=actor,
        event_type=AuditEventType.REVIEW_OPENED,
        entries=(
            AuditEntry(
                subject_type=Review._meta.label_lower,
                subject_id=opened[pk],
                region_code=code,
                after={"entitlement": pk, "household": household, "trigger": "periodic", "due_on": due_on.isoformat()},
                reason=note,
            )
            for pk, (due_on, code, household) in due.items()
        ),
    )
    return [opened[pk] for pk in due]


# --- The yearly batch: many reviews confirmed "no change" ----------------------------------------------------


@dataclass
class BatchResult:
    """Reviews completed without change, and those left for individual handling with the reason why."""

    confirmed: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


class _Row(NamedTuple):
    pk: int
    version: int
    status: str
    outcome: str
    opened_on: datetime.date
    proposed_by_id: int | None
    entitlement_id: int
    household_id: int
    entitlement_status: str
    amount_fen: int
    region_code: str
    program_code: str


_ROW_FIELDS = (
    "pk", "version", "status", "outcome", "opened_on", "proposed_by_id", "entitlement_id",
    "entitlement__household_id", "entitlement__status", "entitlement__monthly_amount_fen",
    "entitlement__region__code", "entitlement__program__code",
)  # fmt: skip
# Per review: the recomputed figures (one UPDATE run over all rows).
_PER_ROW_FIELDS = ("amount_before_fen", "amount_fen", "member_count", "per_capita_income_fen", "lines", "review_class")


def _skip_reason(row: _Row | None, expected_versions: Mapping[int, int] | None, day: datetime.date) -> str:
    """Why a review cannot be confirmed by the batch ("" when its household can be assessed)."""
    if row is None:
        return _("复核不存在或不在您的辖区内。")
    if expected_versions is not None and expected_versions.get(row.pk) != row.version:
        return _("该复核已被他人修改，请刷新后重试。")
    if row.status not in (ReviewStatus.OPEN, ReviewStatus.PROPOSED) or (
        row.status == ReviewStatus.PROPOSED and row.outcome != NO_CHANGE
    ):
        return _("复核状态为“%(status)s”，不能批量维持。") % {"status": ReviewStatus(row.status).label}
    if row.entitlement_status != EntitlementStatus.ACTIVE:
        return _("低保待遇不在保。")
    if row.opened_on > day:
        return _("审批日期早于复核发起日期。")
    return ""


def _load_rows(actor: Any, review_ids: Sequence[int]) -> dict[int, _Row]:
    """The reviews in the actor's jurisdiction, their benefits locked first (the order every change of
    a benefit locks them in), then the reviews."""
    rows: dict[int, _Row] = {}
    for chunk in _chunks(review_ids):
        list(
            Entitlement.objects.select_for_update()
            .filter(reviews__pk__in=chunk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for values in (
            Review.objects.select_for_update(of=("self",))
            .filter(pk__in=chunk)
            .filter(jurisdiction_q(actor, REVIEW_REGION_CODE))
            .values_list(*_ROW_FIELDS)
        ):
            row = _Row(*values)
            rows[row.pk] = row
    return rows


@transaction.atomic(durable=True)
def reviews_confirm_no_change_batch(
    *,
    actor: Any,
    review_ids: Sequence[int],
    decided_on: datetime.date | None = None,
    note: str = "",
    expected_versions: Mapping[int, int] | None = None,
) -> BatchResult:
    """Complete many reviews at once as "no change" (年度复核，情况无变化): the township's yearly review
    of households whose situation has not changed. Each household is assessed again on `decided_on`
    (default today) with the policy in force; a review is confirmed only when the household is still
    eligible for exactly the amount it receives — otherwise it is skipped with the recomputed result,
    to be proposed individually. Reviews that are not open (or proposed as no change), outside the
    actor's jurisdiction, or at another version than `expected_versions` gives, are skipped too. The
    next review of each benefit is scheduled from `decided_on`; `note` is the recorded finding.
    Township or county. A constant number of queries; one REVIEW_DECIDED event per review."""
    require_any(actor, NO_CHANGE_CAPABILITIES)
    today = timezone.localdate()
    day = decided_on or today
    if day > today:
        raise ValidationFailed(field_errors={"decided_on": [_("日期不能晚于今天。")]})
    finding = note.strip() or _("年度复核：经核查，家庭人口、收入和财产状况无变化，维持原保障金额。")
    wanted = list(dict.fromkeys(int(pk) for pk in review_ids))
    rows = _load_rows(actor, wanted)
    result = BatchResult()
    candidates: list[_Row] = []
    for pk in wanted:
        row = rows.get(pk)
        reason = _skip_reason(row, expected_versions, day)
        if reason:
            result.skipped[pk] = reason
        elif row is not None:
            candidates.append(row)

    facts = review_facts_many(household_ids=[row.household_id for row in candidates], as_of=day)
    policies: dict[tuple[str, str], tuple[DibaoPolicy, dict[str, Any]]] = {}
    per_row: dict[int, list[Any]] = {}
    groups: dict[tuple[tuple[str, str], bool], list[int]] = {}  # (policy, proposed before) → reviews
    schedule: dict[tuple[datetime.date, str], list[int]] = {}  # (next review, class) → benefits
    confirmed: list[_Row] = []
    next_review: dict[int, datetime.date] = {}
    for row in candidates:
        key = (row.region_code, row.program_code)
        if key not in policies:
            policy = dibao_policy_get(region_code=row.region_code, program_code=row.program_code, on=day)
            policies[key] = (policy, policy_snapshot(policy, row.region_code, day))
        policy, snapshot = policies[key]
        household = facts[row.household_id]
        assessment = assess_dibao(household.household, policy, day)
        outcome = derive_outcome(current_fen=row.amount_fen, assessment=assessment, grace_months=policy.grace_months)
        if outcome != NO_CHANGE:
            result.skipped[row.pk] = _(
                "重新核算结果为“%(outcome)s”（%(amount)s 元，现发放 %(current)s 元），请单独提出复核意见。"
            ) % {
                "outcome": ReviewOutcome(outcome).label,
                "amount": fen_to_yuan_text(assessment.total_fen),
                "current": fen_to_yuan_text(row.amount_fen),
            }
            continue
        review_class = household.review_class(day)
        per_row[row.pk] = [
            row.amount_fen,
            assessment.total_fen,
            assessment.counted_member_count,
            assessment.per_capita_income_fen,
            [line.to_json() for line in assessment.lines],
            review_class,
        ]
        groups.setdefault((key, row.proposed_by_id is not None), []).append(row.pk)
        stable, unstable = review_months(snapshot)
        due = next_review_due(day, review_class, months_stable=stable, months_unstable=unstable)
        schedule.setdefault((due, review_class), []).append(row.entitlement_id)
        next_review[row.pk] = due
        confirmed.append(row)

    update_rows(Review, _PER_ROW_FIELDS, per_row)
    now = timezone.now()
    for (key, proposed), pks in groups.items():
        common: dict[str, Any] = {
            "status": ReviewStatus.DECIDED, "outcome": NO_CHANGE, "eligible": True, "reason_codes": [],
            "policy_snapshot": policies[key][1], "grace_months": 0, "decided_on": day, "decided_by": actor,
            "decision_note": finding, "version": F("version") + 1, "updated_at": now,
        }  # fmt: skip
        if not proposed:
            common.update(findings=finding, proposed_on=day, proposed_by=actor)
        for chunk in _chunks(pks):
            Review.objects.filter(pk__in=chunk).update(**common)
    for (due, review_class), entitlement_ids in schedule.items():
        for chunk in _chunks(entitlement_ids):
            Entitlement.objects.filter(pk__in=chunk).update(
                review_class=review_class, last_reviewed_on=day, next_review_on=due, version=F("version") + 1
            )
    audit_events_record_bulk(
        actor=actor,
        event_type=AuditEventType.REVIEW_DECIDED,
        entries=(
            AuditEntry(
                subject_type=Review._meta.label_lower,
                subject_id=row.pk,
                region_code=row.region_code,
                before={"status": row.status},
                after={
                    "entitlement": row.entitlement_id,
                    "household": row.household_id,
                    "status": ReviewStatus.DECIDED,
                    "outcome": NO_CHANGE,
                    "monthly_amount_fen": row.amount_fen,
                    "next_review_on": next_review[row.pk].isoformat(),
                    "batch": True,
                },
                reason=finding,
            )
            for row in confirmed
        ),
    )
    result.confirmed = [row.pk for row in confirmed]
    return result


# --- Gradual exits running out -------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def gradual_exits_finish(*, actor: Any | None = None, today: datetime.date | None = None) -> list[int]:
    """Benefits in a gradual exit whose stop month has come are stopped (status, amount 0) and their
    applications leave "in force" (the household may apply again): the monthly job (actor None: the
    system), or a township or county user for their jurisdiction. The amount history needs nothing:
    the stop was entered with the decision. Returns the benefits stopped. Writes GRADUAL_EXIT_FINISHED."""
    day = today or timezone.localdate()
    stopped = AmountChange.objects.filter(
        entitlement=OuterRef("pk"), kind=AmountChangeKind.STOP, effective_month__lte=month_of(day)
    )
    entitlements = Entitlement.objects.filter(status=EntitlementStatus.EXITING).filter(Exists(stopped))
    if actor is not None:
        require_any(actor, NO_CHANGE_CAPABILITIES)
        entitlements = entitlements.filter(jurisdiction_q(actor, "region__code"))
    finished = list(entitlements.select_for_update(of=("self",)).select_related("region", "application").order_by("pk"))
    for entitlement in finished:
        entitlement.status = EntitlementStatus.STOPPED
        entitlement.monthly_amount_fen = 0
        entitlement.version += 1
        entitlement.save(update_fields=["status", "monthly_amount_fen", "version"])
        application = entitlement.application
        if application.status == ApplicationStatus.IN_FORCE:
            if actor is not None:
                stop_application(actor=actor, application=application, on=day, note=_("渐退期满停保"))
            else:
                _stop_application_by_system(application)
        audit_event_record(
            actor=actor,
            event_type=AuditEventType.GRADUAL_EXIT_FINISHED,
            subject=entitlement,
            region_code=entitlement.region.code,
            before={"status": EntitlementStatus.EXITING},
            after={"status": EntitlementStatus.STOPPED, "household": entitlement.household_id},
            reason=_("渐退期满停保"),
        )
    return [e.pk for e in finished]


def _stop_application_by_system(application: Application) -> None:
    """The monthly job has no actor to name on a timeline row: the status changes and the
    GRADUAL_EXIT_FINISHED audit event (without actor) records it."""
    application.status = ApplicationStatus.STOPPED
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at"])
