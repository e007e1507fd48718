"""The programme catalogue, the dibao policy as versioned data, and local working-day corrections.

Policy parameters are data, not settings (STYLE B15): each `PolicyVersion` holds the parameters one
region overrides for one programme from a date on; `programs.rules.policy` lists the parameters,
their national defaults and how values are inherited down the region tree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramCode(models.TextChoices):
    DIBAO_URBAN = "dibao_urban", _("城市最低生活保障")
    DIBAO_RURAL = "dibao_rural", _("农村最低生活保障")
    TEKUN = "tekun", _("特困人员救助供养")
    MEDICAL = "medical", _("医疗救助")
    TEMPORARY = "temporary", _("临时救助")
    RELIEF = "relief", _("受灾人员救助")
    LONGEVITY_ALLOWANCE = "longevity_allowance", _("高龄津贴")
    DISABILITY_SUBSIDY = "disability_subsidy", _("残疾人两项补贴")
    VETERAN = "veteran", _("优抚")
    HOUSING_REPAIR = "housing_repair", _("农村危房改造")
    FESTIVAL_VISIT = "festival_visit", _("节日慰问")


# Programmes whose policy is a `DibaoPolicy` (programs.rules.policy).
DIBAO_PROGRAMS = (ProgramCode.DIBAO_URBAN, ProgramCode.DIBAO_RURAL)


class Program(models.Model):
    code = models.CharField(_("代码"), max_length=32, unique=True, choices=ProgramCode.choices)
    name = models.CharField(_("名称"), max_length=64)
    is_recurring = models.BooleanField(_("按月发放"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("救助项目")
        verbose_name_plural = _("救助项目")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    """One region's policy overrides for one programme, in force from `effective_from`.

    `params` holds ONLY the keys this region sets (JSON values as in `programs.rules.policy`);
    every other key is inherited from the ancestors, or from the national defaults. A later version
    of the same region and programme replaces this one as a whole: it restates every override the
    region keeps. A version already in force is never edited (a new version is made instead);
    `version` is the optimistic-lock counter for edits before that.
    """

    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    program = models.ForeignKey(
        Program, verbose_name=_("救助项目"), on_delete=models.PROTECT, related_name="policy_versions"
    )
    effective_from = models.DateField(_("生效日期"))
    params = models.JSONField(_("本级设定的参数"), default=dict, blank=True)
    note = models.TextField(_("说明（文件依据）"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("政策参数版本")
        verbose_name_plural = _("政策参数版本")
        ordering = ["-effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "program", "effective_from"], name="policy_version_one_per_region_program_day"
            )
        ]
        indexes = [models.Index(fields=["program", "region", "effective_from"], name="policy_version_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.region.code} {self.program.code} {self.effective_from.isoformat()}"


class WorkingDayCorrection(models.Model):
    """A local correction of the official holiday calendar: this day is (not) a working day.

    Overrides the `chinese_calendar` data for that day; for years the package does not know yet,
    the State Council's announcement is entered here (holidays and make-up working days).
    """

    day = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"))
    note = models.CharField(_("说明"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.day.isoformat()
