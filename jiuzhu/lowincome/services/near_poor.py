"""Recognising a dibao-edge household (低保边缘家庭认定) and ending a recognition (退出).

The county decides (DOMAIN §2, §5.1): the actor needs `cases.decide` and the household in their
jurisdiction. The household is assessed as for dibao on the day of recognition, from the registry,
and the assessment is kept with the recognition. Both steps are audited with the household's area.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.cases.choices import EntitlementStatus
from jiuzhu.cases.models import Application, Entitlement
from jiuzhu.cases.selectors import amount_in_force_get, household_facts_get
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, RuleViolation, ValidationFailed
from jiuzhu.lowincome.choices import NearPoorEndReason
from jiuzhu.lowincome.models import NearPoorHousehold
from jiuzhu.lowincome.rules import overlaps, recognition_problems, renewal_starts_on, valid_until
from jiuzhu.lowincome.selectors import in_force_q, near_poor_visible_to
from jiuzhu.programs.models import Program, ProgramCode
from jiuzhu.programs.rules.dibao import Assessment, assess_dibao
from jiuzhu.programs.selectors import dibao_policy_get
from jiuzhu.regions.scoping import subtree_q
from jiuzhu.registry.access import access_household_for_view
from jiuzhu.registry.choices import HukouType
from jiuzhu.registry.models import Household

ON_DIBAO = (EntitlementStatus.ACTIVE, EntitlementStatus.EXITING)


def _snapshot(row: NearPoorHousehold) -> dict[str, Any]:
    return {
        "household_id": row.household_id, "recognised_on": row.recognised_on.isoformat(),
        "valid_until": row.valid_until.isoformat(), "member_count": row.member_count,
        "per_capita_income_fen": row.per_capita_income_fen, "standard_fen": row.standard_fen,
        "line_fen": row.line_fen, "program": row.program.code, "renews": row.renews_id,
        "ended_on": row.ended_on.isoformat() if row.ended_on else None, "end_reason": row.end_reason,
    }  # fmt: skip


def program_for(household: Household) -> str:
    """The dibao programme whose standard an edge household is measured against: by its hukou."""
    return ProgramCode.DIBAO_URBAN if household.hukou_type == HukouType.URBAN else ProgramCode.DIBAO_RURAL


def near_poor_assess(*, household: Household, on: datetime.date) -> Assessment:
    """The household assessed as for dibao on `on`, from the registry (helper: the caller checked access)."""
    policy = dibao_policy_get(region_code=household.region.code, program_code=program_for(household), on=on)
    return assess_dibao(household_facts_get(household_id=household.pk, as_of=on), policy, on)


def near_poor_recognise(
    *, actor: Any, household_id: int, recognised_on: datetime.date, reason: str, application_id: int | None = None,
    today: datetime.date | None = None,
) -> NearPoorHousehold:  # fmt: skip
    """Recognise the household as an edge household from `recognised_on` for the policy's validity."""
    require_capability(actor, Capability.CASE_DECIDE)
    household = access_household_for_view(actor, household_id)
    today = today or timezone.localdate()
    if recognised_on > today:
        raise ValidationFailed(field_errors={"recognised_on": [_("认定日期不能晚于今天。")]})
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("请填写认定依据。")]})
    application = None
    if application_id is not None:
        application = Application.objects.filter(pk=application_id, household_id=household.pk).first()
        if application is None:
            raise NotFoundOrNoAccess()
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()  # one recognition at a time
        program = program_for(household)
        policy = dibao_policy_get(region_code=household.region.code, program_code=program, on=recognised_on)
        until = valid_until(recognised_on, policy.near_poor_valid_months)
        for other in NearPoorHousehold.objects.filter(household_id=household.pk):
            if overlaps(
                start=recognised_on, until=until, other_start=other.recognised_on, other_until=other.valid_until,
                other_ended_on=other.ended_on,
            ):  # fmt: skip
                raise RuleViolation(
                    _("该户已认定为低保边缘家庭（%(start)s至%(until)s），与本次认定的有效期重叠，不能重复认定。")
                    % {"start": f"{other.recognised_on:%Y年%m月%d日}", "until": f"{other.valid_until:%Y年%m月%d日}"},
                    code="near_poor_already_recognised",
                )
        if _on_dibao(household.pk, recognised_on):
            raise RuleViolation(_("该户正在享受低保，不能认定为低保边缘家庭。"), code="near_poor_on_dibao")
        assessment = near_poor_assess(household=household, on=recognised_on)
        problems = recognition_problems(assessment)
        if problems:
            raise RuleViolation("；".join(problems), code="near_poor_not_eligible")
        earlier = NearPoorHousehold.objects.filter(
            household_id=household.pk, valid_until__lt=recognised_on, ended_on__isnull=True
        )
        previous = next((r for r in earlier if renewal_starts_on(r.valid_until) == recognised_on), None)
        row = NearPoorHousehold.objects.create(
            renews=previous,
            household=household, region=household.region, program=Program.objects.get(code=program),
            recognised_on=recognised_on, valid_until=until,
            member_count=assessment.counted_member_count, per_capita_income_fen=assessment.per_capita_income_fen,
            standard_fen=assessment.standard_fen, line_fen=assessment.near_poor_line_fen,
            assessment=assessment.to_json(), application=application, reason=reason.strip()[:200],
            recognised_by=actor,
        )  # fmt: skip
        audit_event_record(
            actor=actor, event_type=AuditEventType.NEAR_POOR_RECOGNISED, subject=row,
            region_code=household.region.code, after=_snapshot(row), reason=reason,
        )  # fmt: skip
    return row


def _on_dibao(household_id: int, day: datetime.date) -> bool:
    """On dibao now (in force or in its gradual exit), or paid dibao for the month of `day`."""
    entitlements = list(Entitlement.objects.filter(household_id=household_id))
    return any(e.status in ON_DIBAO for e in entitlements) or any(
        amount_in_force_get(entitlement=e, month=day.replace(day=1)) > 0 for e in entitlements
    )


def near_poor_end(
    *, actor: Any, recognition_id: int, expected_version: int, ended_on: datetime.date, end_reason: str,
    note: str = "", today: datetime.date | None = None,
) -> NearPoorHousehold:  # fmt: skip
    """End a recognition from `ended_on` (退出): it no longer counts on that day."""
    require_capability(actor, Capability.CASE_DECIDE)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if end_reason not in NearPoorEndReason.values:
        errors["end_reason"] = [_("请选择退出原因。")]
    if ended_on > today:
        errors["ended_on"] = [_("退出日期不能晚于今天。")]
    if end_reason == NearPoorEndReason.OTHER and not note.strip():
        errors["note"] = [_("退出原因为“其他”时，请填写说明。")]
    if errors:
        raise ValidationFailed(field_errors=errors)
    with transaction.atomic():
        row = near_poor_visible_to(actor).select_for_update().filter(pk=recognition_id).first()
        if row is None:
            raise NotFoundOrNoAccess()
        if row.version != expected_version:
            raise ConflictError()
        if row.ended_on is not None:
            raise RuleViolation(
                _("该认定已于%(day)s退出。") % {"day": f"{row.ended_on:%Y年%m月%d日}"}, code="near_poor_ended"
            )
        if ended_on < row.recognised_on:
            raise ValidationFailed(field_errors={"ended_on": [_("退出日期不能早于认定日期。")]})
        if ended_on > row.valid_until:
            until = f"{row.valid_until:%Y年%m月%d日}"
            raise ValidationFailed(
                field_errors={
                    "ended_on": [_("该认定有效期至%(until)s，期满即失效，退出日期不能晚于该日。") % {"until": until}]
                }
            )
        _end(row, actor=actor, ended_on=ended_on, end_reason=end_reason, note=note.strip()[:200])
    return row


def _end(row: NearPoorHousehold, *, actor: Any | None, ended_on: datetime.date, end_reason: str, note: str) -> None:
    """Record the end of a locked recognition and audit it (the note, else the reason, as its reason)."""
    before = _snapshot(row)
    row.ended_on, row.end_reason, row.end_note, row.ended_by = ended_on, end_reason, note, actor
    row.version += 1
    row.save(update_fields=["ended_on", "end_reason", "end_note", "ended_by", "version"])
    audit_event_record(
        actor=actor, event_type=AuditEventType.NEAR_POOR_ENDED, subject=row, region_code=row.region.code,
        before=before, after=_snapshot(row), reason=note or str(NearPoorEndReason(end_reason).label),
    )  # fmt: skip


END_ON_DIBAO_JOB = "lowincome.end_on_dibao"


def near_poor_end_on_dibao(*, actor: Any | None, region_code: str, today: datetime.date | None = None) -> int:
    """End the recognitions in force of the households since put on dibao, from their benefit's first
    month (已纳入低保); those whose benefit starts later are left until then. The county's action (or
    the monthly job's, without an actor); each end is audited. The number ended."""
    today = today or timezone.localdate()
    if actor is not None:
        require_capability(actor, Capability.CASE_DECIDE)
        require_region_in_jurisdiction(actor, region_code)
    ended = 0
    rows = NearPoorHousehold.objects.filter(in_force_q(today), subtree_q(region_code, "region__code")).select_related(
        "region", "program"
    )
    on_dibao = Entitlement.objects.filter(household_id__in=rows.values("household_id"), status__in=ON_DIBAO)
    for entitlement in on_dibao.select_related("program").order_by("first_month", "pk"):
        with transaction.atomic():
            row = rows.select_for_update().filter(household_id=entitlement.household_id).first()
            if row is None:
                continue
            ended_on = max(row.recognised_on, entitlement.first_month)
            if ended_on > today:
                continue
            note = f"已纳入{entitlement.program.name}（申请 #{entitlement.application_id}），自起始发放月份退出"
            _end(row, actor=actor, ended_on=ended_on, end_reason=NearPoorEndReason.ON_DIBAO, note=note[:200])
            ended += 1
    return ended
