"""The append-only audit trail.

Every create, change and delete of registry data (and later of cases and payments) writes one
`AuditEvent` in the same transaction as the change. Rows are never updated or deleted: the
application has no code path for it and a database trigger refuses it (see migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.audit.types import AuditEventType


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(_("时间"), db_index=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("操作人角色"), max_length=32, blank=True)
    # No database-level choices: new event types (one band per app) then need no migration.
    # The labels come from AuditEventType (`get_event_type_display`).
    event_type = models.PositiveSmallIntegerField(_("事件"))
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.BigIntegerField(_("对象编号"))
    region_code = models.CharField(
        _("区划代码"), max_length=12, blank=True, help_text=_("对象所属区划，用于按辖区查询审计记录")
    )
    before = models.JSONField(_("变更前"), default=dict, blank=True)
    after = models.JSONField(_("变更后"), default=dict, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "occurred_at"], name="audit_subject_idx"),
            models.Index(fields=["event_type", "occurred_at"], name="audit_type_idx"),
            models.Index(fields=["region_code", "occurred_at"], name="audit_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.subject_type}#{self.subject_id}"

    def get_event_type_display(self) -> str:
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return str(self.event_type)
