"""Events that change a benefit in force (DOMAIN §4.7): a member's death, a move out of the county, a
reported income change. Each wraps the registry's record of the fact and, in the same transaction,
opens (or adds to) the household's review or stops the benefit.

* Death (S8 §1(3)): the family is re-checked within `death_review_months` (3) of the death; when
  the deceased was the only counted member, the benefit stops from the month after the death at once
  (no review can change that; the stop is recorded as a decided review for the case file).
* Move out of the county (转出): the registry has no household move between counties, so the case
  records it: the benefit stops here from the month after the move (by default), with reason 转出.
* Reported income change: the income item is added or corrected and a review is opened, due within
  the policy's re-check limit (`death_review_months`, the one re-check limit the policy sets).
An event for a household whose review is already open adds to that review: its due date is brought
forward when the new limit is earlier, and a proposal made before the event goes back to "open".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import access_entitlement_for_change
from jiuzhu.cases.choices import AmountChangeKind, EntitlementStatus, ReviewOutcome, ReviewStatus, ReviewTrigger
from jiuzhu.cases.models import AmountChange, Entitlement, Review
from jiuzhu.cases.review_rules import ACTIVE_REVIEW_STATUSES, OPEN_CAPABILITIES, TRANSFER_CAPABILITIES, month_after_day
from jiuzhu.cases.selectors import household_facts_get
from jiuzhu.cases.services.dynamic import (
    audit_review,
    close_active_reviews,
    policy_for,
    require_any,
    stop_application,
    write_amount_change,
)
from jiuzhu.common.exceptions import ConflictError, RuleViolation, ValidationFailed
from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.programs.rules.dynamic import add_months, death_review_due_on
from jiuzhu.programs.rules.members import decide_members
from jiuzhu.registry.models import IncomeItem
from jiuzhu.registry.services.finances import IncomeData, apply_income_item_add, apply_income_item_update
from jiuzhu.registry.services.persons import apply_person_death

IN_FORCE = (EntitlementStatus.ACTIVE, EntitlementStatus.EXITING)


def _month_text(month: datetime.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": month.year, "month": month.month}


def _entitlement_in_force(actor: Any, household_id: int, statuses: tuple[str, ...] = IN_FORCE) -> Entitlement | None:
    """The household's benefit in force (at most one: one active application per household), locked."""
    pk = (
        Entitlement.objects.filter(household_id=household_id, status__in=statuses)
        .order_by("-first_month")
        .values_list("pk", flat=True)
        .first()
    )
    return access_entitlement_for_change(actor, pk) if pk is not None else None


def open_or_join_review(
    *,
    actor: Any,
    entitlement: Entitlement,
    trigger: str,
    due_on: datetime.date,
    note: str,
    event_on: datetime.date | None = None,
    person_id: int | None = None,
    opened_on: datetime.date | None = None,
) -> Review:
    """Open an event review, or add the event to the review already open (see the module docstring)."""
    existing = (
        Review.objects.select_for_update()
        .filter(entitlement=entitlement, status__in=sorted(ACTIVE_REVIEW_STATUSES))
        .first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    entitlement=entitlement,
                    trigger=trigger,
                    opened_on=opened_on or timezone.localdate(),
                    due_on=due_on,
                    opened_by=actor if getattr(actor, "pk", None) else None,
                    event_on=event_on,
                    person_id=person_id,
                    note=note,
                )
        except IntegrityError:  # a review was opened at the same moment
            raise ConflictError() from None
        audit_review(
            actor=actor,
            event_type=AuditEventType.REVIEW_OPENED,
            review=review,
            entitlement=entitlement,
            after={"trigger": trigger, "due_on": due_on.isoformat()},
            reason=note,
        )
        return review
    before = {"status": existing.status, "due_on": existing.due_on.isoformat()}
    existing.due_on = min(existing.due_on, due_on)
    existing.note = f"{existing.note}\n{note}".strip()
    if existing.status == ReviewStatus.PROPOSED:  # the proposal predates the event: assess again
        existing.status = ReviewStatus.OPEN
        existing.outcome = ""
    if existing.person_id is None and person_id is not None:
        existing.person_id = person_id
    existing.version += 1
    existing.save(update_fields=["due_on", "note", "status", "outcome", "person", "version", "updated_at"])
    audit_review(
        actor=actor,
        event_type=AuditEventType.REVIEW_EVENT_ADDED,
        review=existing,
        entitlement=entitlement,
        before=before,
        after={"status": existing.status, "due_on": existing.due_on.isoformat(), "event": trigger},
        reason=note,
    )
    return existing


def _stop_now(
    *,
    actor: Any,
    entitlement: Entitlement,
    trigger: str,
    month: datetime.date,
    reasons: str,
    event_on: datetime.date,
    person_id: int | None = None,
    on: datetime.date | None = None,
) -> Review:
    """Stop the benefit from `month` because of an event: a decided review (for the case file and the
    stop notice), the 停发 entry, the benefit and the application stopped, open reviews closed.
    `on`: the day this is recorded (today unless entered later)."""
    today = on or timezone.localdate()
    close_active_reviews(actor=actor, entitlement=entitlement, on=today, reason=_("已停发：%(r)s") % {"r": reasons})
    previous = entitlement.monthly_amount_fen
    review = Review.objects.create(
        entitlement=entitlement,
        trigger=trigger,
        status=ReviewStatus.DECIDED,
        opened_on=today,
        due_on=today,
        opened_by=actor,
        event_on=event_on,
        person_id=person_id,
        note=reasons,
        findings=reasons,
        proposed_on=today,
        proposed_by=actor,
        amount_before_fen=previous,
        amount_fen=0,
        outcome=ReviewOutcome.STOP,
        reasons=reasons,
        effective_month=month,
        stop_month=month,
        decided_on=today,
        decided_by=actor,
        review_class=entitlement.review_class,
    )
    # Already stopped by then (a gradual exit ending earlier): nothing more to enter in the history.
    stopped_before = AmountChange.objects.filter(
        entitlement=entitlement, kind=AmountChangeKind.STOP, effective_month__lte=month
    ).exists()
    changes = []
    if not stopped_before:
        later = (
            AmountChange.objects.filter(entitlement=entitlement, effective_month__gte=month)
            .exclude(kind=AmountChangeKind.STOP)
            .order_by("effective_month")
            .first()
        )
        if later is not None:
            raise RuleViolation(
                _("该家庭 %(month)s 起已有尚未生效的待遇变动，无法自动停发，请由县级民政部门处理。")
                % {"month": _month_text(later.effective_month)},
                code="later_change_recorded",
            )
        changes.append(
            write_amount_change(
                actor=actor,
                entitlement=entitlement,
                review=review,
                kind=AmountChangeKind.STOP,
                month=month,
                amount_fen=0,
                reason=reasons,
            )
        )
    before = {"status": entitlement.status, "monthly_amount_fen": previous}
    entitlement.status = EntitlementStatus.STOPPED
    entitlement.monthly_amount_fen = 0
    entitlement.next_review_on = None
    entitlement.version += 1
    entitlement.save(update_fields=["status", "monthly_amount_fen", "next_review_on", "version"])
    stop_application(actor=actor, application=entitlement.application, on=today, note=reasons)
    audit_review(
        actor=actor,
        event_type=AuditEventType.BENEFIT_STOPPED,
        review=review,
        entitlement=entitlement,
        before=before,
        after={
            "status": entitlement.status,
            "trigger": trigger,
            "effective_month": month.isoformat(),
            "amount_changes": [change.pk for change in changes],
        },
        reason=reasons,
    )
    return review


# --- Death of a member -------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def member_death_record(
    *, actor: Any, person_id: int, death_date: datetime.date, reason: str = "", recorded_on: datetime.date | None = None
) -> Review | None:
    """Record a member's death (registry) and, when the household receives dibao: stop the benefit from
    the month after the death if the deceased was its only counted member, else open (or add to) a
    review due within `death_review_months` of the death. Returns that review (None without a benefit
    in force). Whoever may edit the household file (REGISTRY_EDIT). Writes PERSON_DIED and
    BENEFIT_STOPPED or REVIEW_OPENED / REVIEW_EVENT_ADDED."""
    person = apply_person_death(actor=actor, person_id=person_id, death_date=death_date, reason=reason)
    entitlement = _entitlement_in_force(actor, person.household_id)
    if entitlement is None:
        return None
    today = max(recorded_on or timezone.localdate(), death_date)  # the day the death is recorded
    policy = policy_for(entitlement, today)
    facts = household_facts_get(household_id=person.household_id, as_of=death_date)
    counted = [d for d in decide_members(facts.members, policy, death_date) if d.counted]
    if not counted:
        month = month_after_day(death_date)
        reasons = _("保障对象%(name)s于%(date)s死亡，家庭无其他保障成员，自%(month)s起停发最低生活保障金。") % {
            "name": person.name,
            "date": death_date.isoformat(),
            "month": _month_text(month),
        }
        return _stop_now(
            actor=actor, entitlement=entitlement, trigger=ReviewTrigger.MEMBER_DEATH, month=month,
            reasons=reasons, event_on=death_date, person_id=person.pk, on=today,
        )  # fmt: skip
    if entitlement.status != EntitlementStatus.ACTIVE:
        return None  # in a gradual exit: the benefit ends anyway
    due = death_review_due_on(death_date, policy)
    note = _("家庭成员%(name)s于%(date)s死亡，须在%(due)s前完成复核。") % {
        "name": person.name,
        "date": death_date.isoformat(),
        "due": due.isoformat(),
    }
    return open_or_join_review(
        actor=actor, entitlement=entitlement, trigger=ReviewTrigger.MEMBER_DEATH, due_on=due, note=note,
        event_on=death_date, person_id=person.pk, opened_on=today,
    )  # fmt: skip


# --- Move out of the county --------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def entitlement_transfer_out(
    *,
    actor: Any,
    entitlement_id: int,
    expected_version: int,
    moved_on: datetime.date,
    destination: str,
    reason: str = "",
    effective_month: datetime.date | None = None,
) -> Review:
    """The household has moved out of the county (转出): the benefit stops here from `effective_month`
    (default the month after the move), with the destination in the reasons; the new place of
    residence decides on its own application. Township or county. Writes BENEFIT_STOPPED."""
    require_any(actor, TRANSFER_CAPABILITIES)
    entitlement = access_entitlement_for_change(actor, entitlement_id)
    if entitlement.version != expected_version:
        raise ConflictError()
    if entitlement.status not in IN_FORCE:
        raise RuleViolation(_("该家庭的低保待遇已停发。"), code="entitlement_not_active")
    errors: dict[str, list[str]] = {}
    if moved_on > timezone.localdate():
        errors["moved_on"] = [_("迁出日期不能晚于今天。")]
    if not destination.strip():
        errors["destination"] = [_("请填写迁往地点。")]
    month = effective_month or month_after_day(moved_on)
    if month.day != 1:
        errors["effective_month"] = [_("生效月份须为某月1日。")]
    else:
        latest = (
            AmountChange.objects.filter(entitlement=entitlement)
            .exclude(kind=AmountChangeKind.STOP)
            .order_by("-effective_month")
            .values_list("effective_month", flat=True)
            .first()
        )
        if latest is not None and month <= latest:
            errors["effective_month"] = [
                _("停发月份须晚于最近一次待遇变动的月份（%(month)s）。") % {"month": _month_text(latest)}
            ]
    if errors:
        raise ValidationFailed(field_errors=errors)
    reasons = _("家庭已于%(date)s迁出本县（迁往%(place)s），自%(month)s起停发，转出。%(reason)s") % {
        "date": moved_on.isoformat(),
        "place": destination.strip(),
        "month": _month_text(month),
        "reason": reason.strip(),
    }
    return _stop_now(
        actor=actor, entitlement=entitlement, trigger=ReviewTrigger.MOVE_OUT, month=month,
        reasons=reasons.strip(), event_on=moved_on,
    )  # fmt: skip


# --- Reported income change --------------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomeChangeReported:
    item: IncomeItem
    review: Review | None  # None when the household has no benefit in force


@transaction.atomic(durable=True)
def income_change_report(
    *,
    actor: Any,
    household_id: int,
    data: IncomeData,
    item_id: int | None = None,
    expected_item_version: int | None = None,
    note: str = "",
) -> IncomeChangeReported:
    """A reported change of income (收入变化): the income item is added (or, with `item_id` and its
    version, corrected) in the registry and, when the household receives dibao, a review is opened (or
    added to), due within the policy's re-check limit of the report. Coordinators and townships.
    Writes INCOME_ITEM_ADDED / INCOME_ITEM_CHANGED and REVIEW_OPENED / REVIEW_EVENT_ADDED."""
    require_any(actor, OPEN_CAPABILITIES)
    reason = note.strip() or _("家庭报告收入变化")
    if item_id is None:
        item = apply_income_item_add(actor=actor, household_id=household_id, data=data, reason=reason)
    else:
        if expected_item_version is None:
            raise ValidationFailed(field_errors={"item": [_("请刷新后重试。")]})
        item = apply_income_item_update(
            actor=actor, item_id=item_id, expected_version=expected_item_version, data=data, reason=reason
        )
        if item.household_id != household_id:
            raise ValidationFailed(field_errors={"item": [_("该收入不属于这个家庭。")]})
    entitlement = _entitlement_in_force(actor, item.household_id, (EntitlementStatus.ACTIVE,))
    if entitlement is None:
        return IncomeChangeReported(item=item, review=None)
    today = timezone.localdate()
    due = add_months(today, policy_for(entitlement, today).death_review_months)
    text = _("%(date)s报告收入变化：%(kind)s 每月 %(amount)s 元。%(note)s") % {
        "date": today.isoformat(),
        "kind": item.get_kind_display(),
        "amount": fen_to_yuan_text(item.monthly_amount_fen),
        "note": note.strip(),
    }
    review = open_or_join_review(
        actor=actor, entitlement=entitlement, trigger=ReviewTrigger.INCOME_CHANGE, due_on=due,
        note=text.strip(), event_on=data.recorded_on or today,
    )  # fmt: skip
    return IncomeChangeReported(item=item, review=review)
