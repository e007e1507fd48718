"""Reads that shape the review pages (动态管理 · 复核): the list and its filters, the review file with the
steps the user may take, the recomputed assessment, the yearly batch's candidates, and the review facts
shown on the case page and the household file.

Everything goes through `cases.access` (jurisdiction) and `cases.review_rules` (who may take which step);
nothing here writes. Which steps a user may take mirrors `cases.services.dynamic`: the capability for
the step at all (else 403), then the review's status, then the capability for the proposed outcome in
the case's workflow mode (else 403), then the four-eyes rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.cases.access import reviews_visible_to
from jiuzhu.cases.choices import EntitlementStatus, ReviewOutcome, ReviewStatus, ReviewStep, ReviewTrigger
from jiuzhu.cases.documents import amount_lines_of
from jiuzhu.cases.models import AmountChange, Application, Entitlement, Review
from jiuzhu.cases.review_rules import (
    ACTIVE_REVIEW_STATUSES,
    COUNTY_OUTCOMES,
    NO_CHANGE,
    NO_CHANGE_CAPABILITIES,
    OPEN_CAPABILITIES,
    PROPOSE_CAPABILITIES,
    TRANSFER_CAPABILITIES,
    allowed_overrides,
    any_decide_capabilities,
    decide_capabilities,
    derive_outcome,
    review_step_allowed,
)
from jiuzhu.cases.review_selectors import (
    DUE_SOON_DAYS,
    amount_history,
    entitlements_review_due_soon,
    review_facts_get,
    reviews_owed_by,
)
from jiuzhu.cases.selectors import entitlements_for_household
from jiuzhu.common.exceptions import PermissionDeniedError, RuleViolation
from jiuzhu.programs.rules.dibao import REASON_LABELS, assess_dibao
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.models import Household, IncomeItem

IN_FORCE = (EntitlementStatus.ACTIVE, EntitlementStatus.EXITING)
_LIST_RELATED = ("entitlement", "entitlement__household", "entitlement__region", "entitlement__program")


def may_any(actor: Any, capabilities: Iterable[Any]) -> bool:
    return any(has_capability(actor, c) for c in capabilities)


def days_late(due_on: datetime.date | None, today: datetime.date) -> int:
    return (today - due_on).days if due_on is not None and today > due_on else 0


# --- The list ------------------------------------------------------------------------------------------


def review_list(
    *,
    actor: Any,
    today: datetime.date,
    status: str = "",
    trigger: str = "",
    region_code: str = "",
    overdue: bool = False,
    due_soon: bool = False,
    mine: bool = False,
) -> QuerySet[Review]:
    """Reviews the actor may see, filtered (`mine`: waiting for a step the actor may take; `overdue`: open
    and past the due date; `due_soon`: open and due within 30 days from today). Open reviews first, the
    earliest due first; then the rest, newest first."""
    reviews = reviews_owed_by(actor=actor) if mine else reviews_visible_to(actor)
    active = sorted(ACTIVE_REVIEW_STATUSES)
    if status:
        reviews = reviews.filter(status=status)
    if trigger:
        reviews = reviews.filter(trigger=trigger)
    if region_code:
        reviews = reviews.filter(subtree_q(region_code, "entitlement__region__code"))
    if overdue:
        reviews = reviews.filter(status__in=active, due_on__lt=today)
    if due_soon:
        reviews = reviews.filter(
            status__in=active, due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )
    order = Case(When(status__in=active, then=Value(0)), default=Value(1), output_field=IntegerField())
    return reviews.select_related(*_LIST_RELATED).order_by(order, "due_on", "-id")


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    is_active: bool
    late_days: int


def review_rows(reviews: Iterable[Review], today: datetime.date) -> list[ReviewRow]:
    rows = []
    for review in reviews:
        active = review.status in ACTIVE_REVIEW_STATUSES
        late = days_late(review.due_on, today) if active else 0
        rows.append(ReviewRow(review=review, is_active=active, late_days=late))
    return rows


# --- Which steps the user may take ----------------------------------------------------------------------


def _workflow_mode(entitlement: Entitlement) -> str:
    return str(entitlement.application.workflow_mode)


def _transition_message(review: Review, step: str) -> str:
    return _("复核当前状态为“%(status)s”，不能进行“%(step)s”。") % {
        "status": ReviewStatus(review.status).label,
        "step": ReviewStep(step).label,
    }


def _not_in_force_message(entitlement: Entitlement) -> str:
    return _("该家庭的低保待遇状态为“%(status)s”，不能办理复核。") % {
        "status": EntitlementStatus(entitlement.status).label
    }


def _four_eyes_message() -> str:
    return _("您提出了本复核的意见，按规定不能再审批本复核，请由其他审批人办理。")


def review_step_blocked_reason(actor: Any, review: Review, step: str) -> str:
    """Why `step` cannot be taken on the review now ("" if it can). PermissionDeniedError when the actor's
    role may never take the step, or may not decide this proposal's outcome in the case's workflow mode."""
    entitlement = review.entitlement
    mode = _workflow_mode(entitlement)
    needed = PROPOSE_CAPABILITIES if step == ReviewStep.PROPOSE else any_decide_capabilities(mode)
    if not may_any(actor, needed):
        raise PermissionDeniedError()
    if not review_step_allowed(review.status, step):
        return _transition_message(review, step)
    if step != ReviewStep.PROPOSE and not may_any(actor, decide_capabilities(review.outcome, mode)):
        raise PermissionDeniedError()
    if step != ReviewStep.REJECT and entitlement.status != EntitlementStatus.ACTIVE:
        return _not_in_force_message(entitlement)
    if step == ReviewStep.DECIDE and review.outcome in COUNTY_OUTCOMES and review.proposed_by_id == actor.pk:
        return _four_eyes_message()
    return ""


@dataclass(frozen=True)
class ReviewAction:
    step: str
    label: str
    url: str
    is_primary: bool = False
    is_danger: bool = False


def review_step_url(step: str, review_id: int) -> str:
    return reverse(f"web:review-{step}", kwargs={"review_id": review_id})


def review_actions(*, actor: Any, review: Review) -> list[ReviewAction]:
    """The steps the actor may take on the review now, the next one first."""
    actions = []
    for step in (ReviewStep.DECIDE, ReviewStep.PROPOSE, ReviewStep.REJECT):
        try:
            blocked = review_step_blocked_reason(actor, review, step)
        except PermissionDeniedError:
            continue
        if blocked:
            continue
        label = str(step.label)
        if step == ReviewStep.PROPOSE and review.status == ReviewStatus.PROPOSED:
            label = _("修改复核意见")
        actions.append(
            ReviewAction(
                step=str(step),
                label=label,
                url=review_step_url(step, review.pk),
                is_primary=step == ReviewStep.DECIDE or review.status == ReviewStatus.OPEN,
                is_danger=step == ReviewStep.REJECT,
            )
        )
    return actions


# --- The assessment -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentLine:
    label: str
    basis: str
    amount_fen: int


@dataclass(frozen=True)
class ReviewTrial:
    """What proposing today would find: the household's facts of the day assessed with the policy in force,
    by the functions `review_propose` uses. `error`: no complete policy there."""

    on: datetime.date
    current_fen: int
    error: str = ""
    eligible: bool = False
    total_fen: int = 0
    member_count: int = 0
    per_capita_income_fen: int = 0
    standard_fen: int = 0
    outcome: str = ""
    choices: tuple[str, ...] = ()
    reasons: list[str] = field(default_factory=list)
    lines: list[AssessmentLine] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(ReviewOutcome(self.outcome).label) if self.outcome else ""


def review_trial(*, entitlement: Entitlement, on: datetime.date) -> ReviewTrial:
    current = entitlement.monthly_amount_fen
    try:
        policy = dibao_policy_get(region_code=entitlement.region.code, program_code=entitlement.program.code, on=on)
    except RuleViolation as error:
        return ReviewTrial(on=on, current_fen=current, error=error.user_message)
    facts = review_facts_get(household_id=entitlement.household_id, as_of=on)
    assessment = assess_dibao(facts.household, policy, on)
    derived = derive_outcome(current_fen=current, assessment=assessment, grace_months=policy.grace_months)
    return ReviewTrial(
        on=on,
        current_fen=current,
        eligible=assessment.eligible,
        total_fen=assessment.total_fen if assessment.eligible else 0,
        member_count=assessment.counted_member_count,
        per_capita_income_fen=assessment.per_capita_income_fen,
        standard_fen=assessment.standard_fen,
        outcome=derived,
        choices=tuple(o for o in ReviewOutcome.values if o in allowed_overrides(derived)),
        reasons=[_(reason.label) for reason in assessment.reasons],
        lines=[AssessmentLine(_(line.label), line.render_basis(_), line.amount_fen) for line in assessment.lines],
    )


def stored_lines(review: Review) -> list[AssessmentLine]:
    """The recomputed lines stored with the proposal, as printed on the notice."""
    return [AssessmentLine(line.label, line.note, line.amount_fen) for line in amount_lines_of(review.lines)]


def stored_reasons(review: Review) -> list[str]:
    return [_(REASON_LABELS[code]) if code in REASON_LABELS else code for code in review.reason_codes]


# --- The review file ------------------------------------------------------------------------------------


def has_notice(review: Review) -> bool:
    return review.status == ReviewStatus.DECIDED and review.outcome not in ("", NO_CHANGE)


@dataclass
class ReviewFile:
    """Everything on the review page."""

    review: Review
    entitlement: Entitlement
    application: Application
    is_active: bool
    late_days: int
    trial: ReviewTrial | None  # open reviews: what a proposal today would find
    lines: list[AssessmentLine]  # proposed: the stored recomputation
    reasons: list[str]
    actions: list[ReviewAction]
    amount_changes: list[AmountChange]  # the benefit's amount history, in effective order
    notice_url: str
    other_reviews: list[Review]


def review_file_get(*, actor: Any, review: Review, today: datetime.date) -> ReviewFile:
    """The file of a review the caller fetched through `access_review_for_view`."""
    entitlement = review.entitlement
    active = review.status in ACTIVE_REVIEW_STATUSES
    proposed = review.proposed_on is not None and review.status != ReviewStatus.OPEN
    trial = None
    if review.status == ReviewStatus.OPEN and entitlement.status == EntitlementStatus.ACTIVE:
        trial = review_trial(entitlement=entitlement, on=today)
    others = (
        reviews_visible_to(actor).filter(entitlement=entitlement).exclude(pk=review.pk).order_by("-opened_on", "-id")
    )
    return ReviewFile(
        review=review,
        entitlement=entitlement,
        application=entitlement.application,
        is_active=active,
        late_days=days_late(review.due_on, today) if active else 0,
        trial=trial,
        lines=stored_lines(review) if proposed else [],
        reasons=stored_reasons(review) if proposed else [],
        actions=review_actions(actor=actor, review=review),
        amount_changes=[entry.change for entry in amount_history(entitlement=entitlement)],
        notice_url=reverse("web:review-notice-pdf", kwargs={"review_id": review.pk}) if has_notice(review) else "",
        other_reviews=list(others),
    )


# --- Review facts of a benefit (case page, household file) ------------------------------------------------


@dataclass(frozen=True)
class BenefitReviews:
    """A benefit's review class and dates, its open review, its past reviews, and the events the actor may
    record on it (open a review, report an income change, a move out of the county)."""

    entitlement: Entitlement
    open_review: Review | None
    reviews: list[Review]
    can_open: bool
    can_report_income: bool
    can_transfer: bool


def benefit_reviews(*, actor: Any, entitlements: Sequence[Entitlement]) -> dict[int, BenefitReviews]:
    """`BenefitReviews` of each entitlement (the caller fetched them through cases.access), in one query."""
    ids = [e.pk for e in entitlements]
    by_entitlement: dict[int, list[Review]] = {pk: [] for pk in ids}
    if ids:
        for review in reviews_visible_to(actor).filter(entitlement_id__in=ids).order_by("-opened_on", "-id"):
            by_entitlement[review.entitlement_id].append(review)
    may_open = may_any(actor, OPEN_CAPABILITIES)
    may_transfer = may_any(actor, TRANSFER_CAPABILITIES)
    result = {}
    for entitlement in entitlements:
        reviews = by_entitlement[entitlement.pk]
        open_review = next((r for r in reviews if r.status in ACTIVE_REVIEW_STATUSES), None)
        active = entitlement.status == EntitlementStatus.ACTIVE
        result[entitlement.pk] = BenefitReviews(
            entitlement=entitlement,
            open_review=open_review,
            reviews=reviews,
            can_open=may_open and active and open_review is None,
            can_report_income=may_open and active,
            can_transfer=may_transfer and entitlement.status in IN_FORCE,
        )
    return result


def household_income_items(*, household: Household) -> list[IncomeItem]:
    """The income items of a household the caller fetched through `registry.access`."""
    return list(household.income_items.select_related("person").order_by("pk"))


def household_has_benefit_in_force(*, actor: Any, household_id: int) -> bool:
    return (
        entitlements_for_household(actor=actor, household_id=household_id)
        .filter(status=EntitlementStatus.ACTIVE)
        .exists()
    )


# --- The yearly batch -------------------------------------------------------------------------------------


def batch_candidates(*, actor: Any, region_code: str = "") -> QuerySet[Review]:
    """Periodic reviews the batch may confirm as "no change": open (or proposed as no change), of a benefit
    in force, in the actor's jurisdiction; the earliest due first."""
    reviews = reviews_visible_to(actor).filter(
        Q(status=ReviewStatus.OPEN) | Q(status=ReviewStatus.PROPOSED, outcome=NO_CHANGE),
        trigger=ReviewTrigger.PERIODIC,
        entitlement__status=EntitlementStatus.ACTIVE,
    )
    if region_code:
        reviews = reviews.filter(subtree_q(region_code, "entitlement__region__code"))
    return reviews.select_related(*_LIST_RELATED).order_by("due_on", "id")


def may_batch(actor: Any) -> bool:
    return may_any(actor, NO_CHANGE_CAPABILITIES)


def may_open_reviews(actor: Any) -> bool:
    return may_any(actor, OPEN_CAPABILITIES)


def due_soon_count(*, actor: Any, today: datetime.date) -> int:
    """Benefits whose periodic review falls due within 30 days with none open (what the button opens)."""
    return entitlements_review_due_soon(actor=actor, today=today).count()


@dataclass(frozen=True)
class SkippedRow:
    review_id: int
    review: Review | None  # None: not visible to the actor
    reason: str


def skipped_rows(*, actor: Any, skipped: dict[int, str]) -> list[SkippedRow]:
    reviews = {r.pk: r for r in reviews_visible_to(actor).filter(pk__in=list(skipped)).select_related(*_LIST_RELATED)}
    return [SkippedRow(review_id=pk, review=reviews.get(pk), reason=reason) for pk, reason in skipped.items()]
