"""Paying institutions (发放机构) and their bank-file layouts: configuration data, saved with an audit
event like every other setting (the admin calls this, never `save()`)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict

from jiuzhu.accounts.jurisdiction import require_capability, require_region_in_jurisdiction
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record, changed_fields
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.payments.models import PaymentInstitution
from jiuzhu.payments.services.bank import layout_of

FIELDS = ("name", "kind", "region", "file_format", "encoding", "columns", "has_header", "has_totals", "is_active")


@transaction.atomic(durable=True)
def payment_institution_save(*, actor: Any, institution: PaymentInstitution, reason: str = "") -> PaymentInstitution:
    """Create or change an institution (the caller has set its fields); the layout is checked."""
    require_capability(actor, Capability.CONFIGURE)
    require_region_in_jurisdiction(actor, institution.region.code)
    problems = layout_of(institution).problems()
    if problems:
        raise ValidationFailed("；".join(problems), code="layout_invalid", columns=problems)
    before = {}
    if institution.pk:
        stored = PaymentInstitution.objects.select_for_update().get(pk=institution.pk)
        before = model_to_dict(stored, fields=FIELDS)
    institution.save()
    after = model_to_dict(institution, fields=FIELDS)
    old, new = changed_fields(before, after) if before else ({}, after)
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.PAYMENT_INSTITUTION_SAVED,
        subject=institution,
        region_code=institution.region.code,
        before=old,
        after=new,
        reason=reason,
    )
    return institution
