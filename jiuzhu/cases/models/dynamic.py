"""Dynamic management (动态管理): the review (复核 / 变更审核) of a benefit in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import ReviewClass, ReviewOutcome, ReviewStatus, ReviewTrigger
from jiuzhu.cases.review_rules import ACTIVE_REVIEW_STATUSES


class Review(models.Model):
    """One review of an entitlement: periodic (定期复核) or after an event (a member's death, a move
    out of the county, a reported income change).

    open → proposed (findings and the recomputed assessment: amount, itemised `lines`, the
    `policy_snapshot` used, per-capita income, and the outcome it calls for) → decided (the outcome
    applied: an `AmountChange` with `review` set, the next review scheduled) or closed (the proposal
    refused, with `closed_reason`; or the benefit stopped by another event). At most one review per
    entitlement is open or proposed at a time (a partial unique constraint).

    `reasons` are the written reasons told to the family (required for decrease, stop and gradual
    exit); `effective_month` the first month of the change (the 1st; by default the month after the
    decision); for a gradual exit `grace_months` and `stop_month` (the first month without payment).
    `person` is the member the event concerns (the deceased); `event_on` the day of the event.
    """

    entitlement = models.ForeignKey(
        "cases.Entitlement", verbose_name=_("低保待遇"), on_delete=models.PROTECT, related_name="reviews"
    )
    trigger = models.CharField(_("复核原因"), max_length=16, choices=ReviewTrigger.choices)
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    opened_on = models.DateField(_("发起日期"))
    due_on = models.DateField(_("复核期限"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    event_on = models.DateField(_("变化发生日期"), null=True, blank=True)
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("相关成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("发起说明"), blank=True)

    # The proposal (复核意见) with the recomputed assessment.
    findings = models.TextField(_("核查情况"), blank=True)
    proposed_on = models.DateField(_("提出意见日期"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_class = models.CharField(_("复核类别"), max_length=16, choices=ReviewClass.choices, blank=True)
    eligible = models.BooleanField(_("仍符合低保条件"), null=True, blank=True)
    amount_before_fen = models.BigIntegerField(_("原月保障金额（分）"), null=True, blank=True)
    amount_fen = models.BigIntegerField(_("重新核定月保障金额（分）"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("保障人数"), default=0)
    per_capita_income_fen = models.BigIntegerField(_("家庭人均月收入（分）"), default=0)
    lines = models.JSONField(_("计算明细"), default=list, blank=True)
    reason_codes = models.JSONField(_("不符合条件原因代码"), default=list, blank=True)
    policy_snapshot = models.JSONField(_("适用政策参数"), default=dict, blank=True)
    outcome = models.CharField(_("复核结果"), max_length=16, choices=ReviewOutcome.choices, blank=True)
    reasons = models.TextField(_("变更理由"), blank=True)

    # The decision (审批).
    effective_month = models.DateField(_("生效月份"), null=True, blank=True)
    grace_months = models.PositiveSmallIntegerField(_("渐退期（月）"), default=0)
    stop_month = models.DateField(_("停发月份"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    closed_reason = models.TextField(_("关闭原因"), blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("低保复核")
        verbose_name_plural = _("低保复核")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entitlement"],
                condition=models.Q(status__in=sorted(ACTIVE_REVIEW_STATUSES)),
                name="review_one_open_per_entitlement",
            ),
            models.CheckConstraint(
                condition=models.Q(amount_fen__isnull=True) | models.Q(amount_fen__gte=0),
                name="review_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided") | ~models.Q(outcome=""),
                name="review_decided_has_outcome",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="review_todo_idx")]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.trigger} {self.opened_on} {self.status}"
