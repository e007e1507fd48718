"""The decision (审核确认) and the benefit in force with its amount history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import AmountChangeKind, DecisionOutcome, EntitlementStatus, ReviewClass


class Decision(models.Model):
    """One decision per application (the one-to-one makes a second, racing decision impossible).

    Approval: `monthly_amount_fen` with the calculator's itemised `lines` (BenefitLine.to_json) and
    the `policy_snapshot` it used (programs.rules.policy.policy_to_values), kept forever to explain
    the amount. Refusal: `reason_codes` (RefusalReason and calculator reason codes) and `reason_text`.
    """

    application = models.OneToOneField("cases.Application", on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("结果"), max_length=16, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("审批日期"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审批人"), on_delete=models.PROTECT, related_name="+"
    )
    monthly_amount_fen = models.BigIntegerField(_("月保障金额（分）"), default=0)
    first_payment_month = models.DateField(_("起始发放月份"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("保障人数"), default=0)
    per_capita_income_fen = models.BigIntegerField(_("家庭人均月收入（分）"), default=0)
    lines = models.JSONField(_("计算明细"), default=list, blank=True)
    policy_snapshot = models.JSONField(_("适用政策参数"), default=dict, blank=True)
    reason_codes = models.JSONField(_("不予批准原因代码"), default=list, blank=True)
    reason_text = models.TextField(_("审批意见或不予批准理由"), blank=True)
    decided_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审批决定")
        verbose_name_plural = _("审批决定")
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount_fen__gte=0), name="decision_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(outcome="refused") | models.Q(first_payment_month__isnull=False),
                name="decision_approval_has_first_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome} {self.decided_on}"


class Entitlement(models.Model):
    """A benefit in force (在保) from `first_month`. The amount for a month is the latest
    `AmountChange` effective on or before it (`selectors.amount_in_force_get`); `monthly_amount_fen`
    is the amount of the latest decision (0 once stopped), which may take effect next month.

    Dynamic management (cases.review_rules, DOMAIN §4.7): `review_class` (stable / unstable) and
    `next_review_on` are set from the policy's intervals at publication and after every completed
    review; `last_reviewed_on` is the last assessment. `exiting`: in a gradual exit, still paid until
    the recorded stop month. Stopped and exiting benefits have no next review.
    """

    application = models.OneToOneField("cases.Application", on_delete=models.PROTECT, related_name="entitlement")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="entitlements")
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    first_month = models.DateField(_("起始月份"))
    status = models.CharField(
        _("状态"), max_length=16, choices=EntitlementStatus.choices, default=EntitlementStatus.ACTIVE
    )
    monthly_amount_fen = models.BigIntegerField(_("当前月保障金额（分）"))
    review_class = models.CharField(_("复核类别"), max_length=16, choices=ReviewClass.choices, blank=True)
    last_reviewed_on = models.DateField(_("上次核定日期"), null=True, blank=True)
    next_review_on = models.DateField(_("下次复核日期"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("低保待遇")
        verbose_name_plural = _("低保待遇")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(monthly_amount_fen__gte=0), name="entitlement_amount_not_negative"
            ),
        ]
        # Payrolls read a programme's benefits region by region (payments.services.generation).
        indexes = [models.Index(fields=["program", "region"], name="entitlement_program_region_idx")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.first_month} {self.monthly_amount_fen}"


class AmountChange(models.Model):
    """One entry of the amount history (新增 / 增发 / 减发 / 停发): from `effective_month` (the 1st) on,
    the household receives `amount_fen` a month (0 after a stop)."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="amount_changes")
    effective_month = models.DateField(_("生效月份"))
    amount_fen = models.BigIntegerField(_("月保障金额（分）"))
    kind = models.CharField(_("类型"), max_length=16, choices=AmountChangeKind.choices)
    reason = models.TextField(_("原因"))
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey(
        "cases.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="amount_changes"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("待遇变动")
        verbose_name_plural = _("待遇变动")
        ordering = ["effective_month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "effective_month"], name="amount_change_one_per_month"),
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="amount_change_not_negative"),
        ]
        indexes = [
            models.Index(fields=["entitlement", "-effective_month"], name="amount_change_month_idx"),
            # Payroll generation looks again at cases whose amount changed since the last payroll.
            models.Index(fields=["recorded_at"], name="amount_change_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement_id} {self.effective_month} {self.kind} {self.amount_fen}"
