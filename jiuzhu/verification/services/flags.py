"""Answering a cross-check finding (核查疑点): the coordinator or the township confirms it — which
opens a review of the case through the dibao services, with the finding as its reason, where a
stop or a decrease is then decided — or dismisses it with a written reason. Either is final and
recorded in the audit trail; a dismissed finding returns only if its facts change (`sweep`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import has_capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.access import access_entitlement_for_change
from jiuzhu.cases.choices import ReviewTrigger
from jiuzhu.cases.review_rules import OPEN_CAPABILITIES
from jiuzhu.cases.services.dynamic_events import IN_FORCE, open_or_join_review
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed, ValidationFailed
from jiuzhu.verification.access import access_flag_for_change
from jiuzhu.verification.checks import check_by_code
from jiuzhu.verification.models import Flag, FlagStatus


def may_answer(actor: Any) -> bool:
    return any(has_capability(actor, capability) for capability in OPEN_CAPABILITIES)


def _open_flag(actor: Any, flag_id: int) -> Flag:
    if not may_answer(actor):
        raise PermissionDeniedError()
    flag = access_flag_for_change(actor, flag_id, lock=True)
    if flag.status != FlagStatus.OPEN:
        raise TransitionNotAllowed(_("这条疑点已处理过。"), code="flag_not_open")
    return flag


@transaction.atomic
def flag_confirm(*, actor: Any, flag_id: int, note: str = "") -> Flag:
    """Confirm the finding and put it before a review of the case: a new one, or the review already
    open (two findings on one case make one review; a periodic review in progress takes the finding
    in). The review decides whether to stop, decrease or keep the benefit. One transaction, under the
    flag's row lock: a dismissal at the same moment waits, then finds the flag answered."""
    flag = _open_flag(actor, flag_id)
    if flag.entitlement_id is None:
        raise TransitionNotAllowed(_("这条疑点没有对应的在保案件。"), code="flag_not_open")
    entitlement = access_entitlement_for_change(actor, flag.entitlement_id)
    if entitlement.status not in IN_FORCE:
        raise TransitionNotAllowed(_("该案件已不在保，无需再核实，请排除并注明。"), code="case_not_in_force")
    title = _(check_by_code(flag.check_code).title)
    reason = _("交叉核查疑点：%(title)s。%(explanation)s") % {"title": title, "explanation": flag.explanation}
    if note.strip():
        reason += _("核实情况：%(note)s") % {"note": note.strip()}
    today = timezone.localdate()
    review = open_or_join_review(
        actor=actor, entitlement=entitlement, trigger=ReviewTrigger.OTHER, due_on=max(flag.due_on, today),
        note=reason, person_id=flag.person_id,
    )  # fmt: skip
    flag.status, flag.resolved_at, flag.resolved_by, flag.resolution = (
        FlagStatus.CONFIRMED, timezone.now(), actor, note.strip()
    )  # fmt: skip
    flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.FLAG_CONFIRMED,
        subject=flag,
        region_code=flag.region.code,
        after={"check": flag.check_code, "household": flag.household_id, "review": review.pk, "note": note.strip()},
    )
    return flag


@transaction.atomic
def flag_dismiss(*, actor: Any, flag_id: int, reason: str) -> Flag:
    if not reason.strip():
        raise ValidationFailed(_("请写明排除的理由。"), field_errors={"reason": [_("请写明排除的理由。")]})
    flag = _open_flag(actor, flag_id)
    flag.status, flag.resolved_at, flag.resolved_by, flag.resolution = (
        FlagStatus.DISMISSED, timezone.now(), actor, reason.strip()
    )  # fmt: skip
    flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution"])
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.FLAG_DISMISSED,
        subject=flag,
        region_code=flag.region.code,
        after={"check": flag.check_code, "household": flag.household_id},
        reason=reason.strip(),
    )
    return flag
