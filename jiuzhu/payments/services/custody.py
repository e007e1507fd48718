"""Bank cards kept by staff (银行卡代管): recorded only with the family's written agreement on file,
ended when the card is handed back. Each is a change to the household's record (audited)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiuzhu.accounts.jurisdiction import region_code_in_jurisdiction, require_capability
from jiuzhu.accounts.models import User
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ConflictError, NotFoundOrNoAccess, RuleViolation, ValidationFailed
from jiuzhu.payments.models import CardCustody
from jiuzhu.registry.access import access_household_for_edit
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.registry.models import Document


@transaction.atomic(durable=True)
def card_custody_record(
    *, actor: Any, household_id: int, held_by_id: int, held_since: datetime.date, agreement_id: int, note: str = ""
) -> CardCustody:
    require_capability(actor, Capability.REGISTRY_EDIT)
    household = access_household_for_edit(actor, household_id, lock=True)
    agreement = Document.objects.filter(pk=agreement_id, household=household, is_removed=False).first()
    if agreement is None:
        raise ValidationFailed(
            _("请先在家庭档案中上传该户签字的银行卡代管协议，再登记代管。"), code="custody_agreement_missing"
        )
    if agreement.kind != DocumentKind.CUSTODY_AGREEMENT:
        raise ValidationFailed(_("所选附件不是银行卡代管协议。"), code="custody_agreement_kind")
    keeper = User.objects.filter(pk=held_by_id, is_active=True).select_related("region").first()
    if keeper is None or keeper.region is None or not region_code_in_jurisdiction(keeper, household.region.code):
        raise RuleViolation(_("代管人应为该户所在地区的工作人员。"), code="custody_keeper")
    try:
        with transaction.atomic():
            custody = CardCustody.objects.create(
                household=household, held_by=keeper, held_since=held_since, agreement=agreement,
                note=note.strip(), recorded_by=actor,
            )  # fmt: skip
    except IntegrityError:
        raise ConflictError(_("该户的银行卡已登记由他人代管，请先登记归还。"), code="custody_open") from None
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.CARD_CUSTODY_RECORDED,
        subject=household,
        region_code=household.region.code,
        after={"held_by": keeper.username, "held_since": held_since.isoformat(), "agreement": agreement.pk},
    )
    return custody


@transaction.atomic(durable=True)
def card_custody_end(*, actor: Any, custody_id: int, ended_on: datetime.date, note: str = "") -> CardCustody:
    require_capability(actor, Capability.REGISTRY_EDIT)
    custody = CardCustody.objects.select_for_update().filter(pk=custody_id, ended_on__isnull=True).first()
    if custody is None:
        raise NotFoundOrNoAccess()
    household = access_household_for_edit(actor, custody.household_id)
    if ended_on < custody.held_since:
        raise ValidationFailed(_("归还日期不能早于代管起始日期。"), code="custody_end_date")
    custody.ended_on, custody.end_note = ended_on, note.strip()
    custody.save(update_fields=["ended_on", "end_note"])
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.CARD_CUSTODY_ENDED,
        subject=household,
        region_code=household.region.code,
        after={"ended_on": ended_on.isoformat(), "note": custody.end_note},
    )
    return custody
