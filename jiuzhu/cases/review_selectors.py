"""Reads of dynamic management (动态管理): the facts a review assesses, reviews owed, amount history.

Lists take `actor` and are scoped by jurisdiction (cases.access). `review_facts_many` takes no actor:
services call it for entitlements they have fetched through `access` (or, for the monthly job,
for all of them). It loads many households in a constant number of queries, for the yearly batch.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.cases.access import entitlements_visible_to, reviews_visible_to
from jiuzhu.cases.choices import EntitlementStatus, ReviewStatus, ReviewStep
from jiuzhu.cases.models import AmountChange, Entitlement, Review
from jiuzhu.cases.review_rules import (
    ACTIVE_REVIEW_STATUSES,
    COUNTY_OUTCOMES,
    OPEN_CAPABILITIES,
    OUTCOMES,
    PROPOSE_CAPABILITIES,
    ClassIncome,
    ClassMember,
    decide_capabilities,
    is_overdue,
    review_class_of,
)
from jiuzhu.cases.selectors import household_rows_many
from jiuzhu.cases.workflow import COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS
from jiuzhu.programs.rules.dibao import HouseholdFacts

DUE_SOON_DAYS = 30
_CHUNK = 500

# --- Facts ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFacts:
    """A household's facts for the dibao assessment and for its review class."""

    household: HouseholdFacts
    class_members: tuple[ClassMember, ...]
    class_incomes: tuple[ClassIncome, ...]

    def review_class(self, on: datetime.date) -> str:
        return review_class_of(self.class_members, self.class_incomes, on)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def review_facts_many(*, household_ids: Iterable[int], as_of: datetime.date) -> dict[int, ReviewFacts]:
    """`ReviewFacts` of many households on `as_of` (the facts of `selectors.household_rows_many`)."""
    facts = {}
    for household_id, rows in household_rows_many(household_ids=household_ids, as_of=as_of).items():
        present = {p.pk for p in rows.persons if p.is_co_resident and (p.death_date is None or p.death_date > as_of)}
        facts[household_id] = ReviewFacts(
            household=rows.facts(),
            class_members=tuple(
                ClassMember(
                    birth_date=p.birth_date,
                    work_ability=p.work_ability,
                    is_co_resident=p.is_co_resident,
                    is_fulltime_student=p.is_student,
                    death_date=p.death_date,
                )
                for p in rows.persons
            ),
            class_incomes=tuple(
                ClassIncome(kind=i.kind, monthly_fen=i.monthly_amount_fen)
                for i in rows.incomes
                if i.person_id is None or i.person_id in present
            ),
        )
    return facts


def review_facts_get(*, household_id: int, as_of: datetime.date) -> ReviewFacts:
    return review_facts_many(household_ids=[household_id], as_of=as_of)[household_id]


# --- Reviews owed (to-do) ------------------------------------------------------------------------------


def _may_any(actor: Any, capabilities: Iterable[Any]) -> bool:
    return any(has_capability(actor, c) for c in capabilities)


def _owed_q(actor: Any) -> Q:
    """Open or proposed reviews whose next step the actor may take (by outcome and workflow mode). A
    proposal that changes the amount is not owed by the one who proposed it (four eyes)."""
    q = Q(pk__in=[])
    if _may_any(actor, PROPOSE_CAPABILITIES):
        q |= Q(status=ReviewStatus.OPEN)
    for mode in (COUNTY_CONFIRMS, TOWNSHIP_CONFIRMS):
        outcomes = [outcome for outcome in OUTCOMES if _may_any(actor, decide_capabilities(outcome, mode))]
        if not outcomes:
            continue
        mine = Q(proposed_by=actor) & Q(outcome__in=sorted(COUNTY_OUTCOMES))
        q |= Q(status=ReviewStatus.PROPOSED, outcome__in=outcomes, entitlement__application__workflow_mode=mode) & ~mine
    return q


def reviews_owed_by(*, actor: Any) -> QuerySet[Review]:
    """Reviews in the actor's jurisdiction waiting for a step the actor may take, earliest due first."""
    return (
        reviews_visible_to(actor)
        .filter(_owed_q(actor))
        .select_related("entitlement", "entitlement__household", "entitlement__region", "entitlement__program")
        .order_by("due_on", "id")
    )


def _active_review_exists() -> Exists:
    return Exists(Review.objects.filter(entitlement=OuterRef("pk"), status__in=sorted(ACTIVE_REVIEW_STATUSES)))


def entitlements_review_due_soon(
    *, actor: Any, today: datetime.date, within_days: int = DUE_SOON_DAYS
) -> QuerySet[Entitlement]:
    """Benefits in force whose periodic review falls due within `within_days` (or is past due) and that
    have no review open yet, for those who may open one."""
    if not _may_any(actor, OPEN_CAPABILITIES):
        return Entitlement.objects.none()
    return (
        entitlements_visible_to(actor)
        .filter(status=EntitlementStatus.ACTIVE, next_review_on__lte=today + datetime.timedelta(days=within_days))
        .exclude(_active_review_exists())
        .select_related("household", "region", "program")
        .order_by("next_review_on", "id")
    )


OPEN_STEP = "open"  # a periodic review to open (no Review row yet)


@dataclass(frozen=True)
class TodoReview:
    entitlement: Entitlement
    review: Review | None  # None: the periodic review falls due and none is open yet
    step: str  # OPEN_STEP or a ReviewStep value
    due_on: datetime.date | None
    is_overdue: bool

    @property
    def step_label(self) -> str:
        return str(ReviewStep(self.step).label) if self.step != OPEN_STEP else gettext("发起定期复核")


def todo_reviews(*, actor: Any, today: datetime.date, limit: int | None = None) -> list[TodoReview]:
    """Reviews owed by the actor and periodic reviews falling due within 30 days with none open,
    earliest due first (at most `limit` of each kind before merging)."""
    reviews = reviews_owed_by(actor=actor)
    due_soon = entitlements_review_due_soon(actor=actor, today=today)
    if limit is not None:
        reviews = reviews[:limit]
        due_soon = due_soon[:limit]
    items = [
        TodoReview(
            entitlement=r.entitlement,
            review=r,
            step=ReviewStep.PROPOSE if r.status == ReviewStatus.OPEN else ReviewStep.DECIDE,
            due_on=r.due_on,
            is_overdue=is_overdue(r.due_on, today),
        )
        for r in reviews
    ]
    items += [
        TodoReview(
            entitlement=e,
            review=None,
            step=OPEN_STEP,
            due_on=e.next_review_on,
            is_overdue=is_overdue(e.next_review_on, today),
        )
        for e in due_soon
    ]
    items.sort(key=lambda item: (item.due_on or datetime.date.max, item.entitlement.pk))
    return items[:limit] if limit is not None else items


def todo_reviews_count(*, actor: Any, today: datetime.date) -> int:
    return reviews_owed_by(actor=actor).count() + entitlements_review_due_soon(actor=actor, today=today).count()


def reviews_overdue(*, actor: Any, today: datetime.date) -> QuerySet[Review]:
    return (
        reviews_visible_to(actor)
        .filter(status__in=sorted(ACTIVE_REVIEW_STATUSES), due_on__lt=today)
        .order_by("due_on", "id")
    )


# --- Case file -----------------------------------------------------------------------------------------


def reviews_for_entitlement(*, actor: Any, entitlement_id: int) -> QuerySet[Review]:
    return (
        reviews_visible_to(actor)
        .filter(entitlement_id=entitlement_id)
        .select_related("opened_by", "proposed_by", "decided_by", "person")
        .order_by("-opened_on", "-id")
    )


@dataclass(frozen=True)
class AmountHistoryEntry:
    change: AmountChange
    previous_amount_fen: int  # the amount before this entry (0 for the first)

    @property
    def difference_fen(self) -> int:
        return self.change.amount_fen - self.previous_amount_fen


def amount_history(*, entitlement: Entitlement) -> list[AmountHistoryEntry]:
    """Every entry of the amount history (新增 / 增发 / 减发 / 停发) in effective order, each with the
    amount it replaced: one query."""
    entries = []
    previous = 0
    for change in (
        AmountChange.objects.filter(entitlement=entitlement).select_related("review").order_by("effective_month", "id")
    ):
        entries.append(AmountHistoryEntry(change=change, previous_amount_fen=previous))
        previous = change.amount_fen
    return entries
