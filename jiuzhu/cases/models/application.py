"""The application (申请) — the case that carries a household from intake to a benefit in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import ApplicantRelation, ApplicationOrigin, ApplicationStatus, Step
from jiuzhu.cases.workflow import ACTIVE_STATUSES


class Application(models.Model):
    """One application of one household for one programme.

    `region` copies the household's village for jurisdiction scoping. `workflow_mode`,
    `appraisal_mode` and `clock_limits` are the policy in force at acceptance (at intake until
    then): the case keeps its clocks even when the policy changes later. `next_step`, `due_on` and
    `overall_due_on` are recomputed by every service (cases.rules) so to-do lists are one query.
    `round` counts investigations: an objection to the notice starts a new round (new home visit).
    """

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="applications"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("救助项目"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "registry.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=32, choices=ApplicationStatus.choices)
    submitted_on = models.DateField(_("申请日期"))
    applied_by_applicant = models.BooleanField(_("本人申请"), default=True)
    agent_name = models.CharField(_("代为申请人"), max_length=64, blank=True)
    agent_relation = models.CharField(_("代申请人身份"), max_length=32, choices=ApplicantRelation.choices, blank=True)
    authorisation_signed_on = models.DateField(_("核对授权书签署日期"), null=True, blank=True)
    authorisation_signers = models.JSONField(_("授权书签字人"), default=list, blank=True)
    promise_signed_on = models.DateField(_("诚信承诺书签署日期"), null=True, blank=True)
    materials_provided = models.JSONField(_("已提交材料"), default=list, blank=True)
    materials_missing = models.JSONField(_("缺少的材料"), default=list, blank=True)
    missing_materials_text = models.TextField(_("一次性告知书内容"), blank=True)
    materials_complete_on = models.DateField(_("材料齐全日期"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("调查轮次"), default=1)
    round_started_on = models.DateField(_("本轮调查起始日"), null=True, blank=True)
    is_disputed = models.BooleanField(_("有争议"), default=False)
    is_special = models.BooleanField(_("特殊情况（延长时限）"), default=False)
    special_reason = models.TextField(_("特殊情况说明"), blank=True)
    is_cadre_case = models.BooleanField(_("涉及基层干部或其近亲属"), default=False)
    workflow_mode = models.CharField(_("审核确认模式"), max_length=32)
    appraisal_mode = models.CharField(_("民主评议"), max_length=32)
    clock_limits = models.JSONField(_("办理时限"), default=dict)
    next_step = models.CharField(_("下一步"), max_length=32, choices=Step.choices, blank=True)
    due_on = models.DateField(_("下一步办理期限"), null=True, blank=True)
    overall_due_on = models.DateField(_("总办理期限"), null=True, blank=True)
    forwarded_on = models.DateField(_("报送审批日期"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    published_on = models.DateField(_("长期公示日期"), null=True, blank=True)
    closed_reason = models.TextField(_("撤回或终止原因"), blank=True)
    origin = models.CharField(
        _("来源"), max_length=16, choices=ApplicationOrigin.choices, default=ApplicationOrigin.APPLIED
    )
    origin_note = models.CharField(_("来源说明"), max_length=300, blank=True)  # e.g. the migrated file and rows
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("低保申请")
        verbose_name_plural = _("低保申请")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=sorted(ACTIVE_STATUSES)),
                name="application_one_active_per_household",
            ),
            models.CheckConstraint(condition=models.Q(round__gte=1), name="application_round_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "next_step", "due_on"], name="application_todo_idx"),
            models.Index(fields=["region", "status"], name="application_region_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.program_id} #{self.pk}"


class StatusChange(models.Model):
    """One step taken on a case (the timeline of the case file); `from_status` = `to_status` when a step
    only records something (a home visit, a verification result)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="status_changes")
    step = models.CharField(_("办理环节"), max_length=32, choices=Step.choices)
    from_status = models.CharField(_("原状态"), max_length=32, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=32, choices=ApplicationStatus.choices)
    occurred_on = models.DateField(_("办理日期"))
    occurred_at = models.DateTimeField(_("记录时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.step} {self.occurred_on}"


class CadreFiling(models.Model):
    """The separate filing (单独登记备案) of an application where a member is a cadre or a cadre's relative."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="cadre_filing")
    filed_on = models.DateField(_("备案日期"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("备案人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("备案说明"))

    class Meta:
        verbose_name = _("干部近亲属备案")
        verbose_name_plural = _("干部近亲属备案")

    def __str__(self) -> str:
        return f"{self.application_id} {self.filed_on}"
