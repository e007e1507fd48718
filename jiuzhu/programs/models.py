"""The programme catalogue. Cases, standards and payments come with the programme issues."""

from __future__ import annotations

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
