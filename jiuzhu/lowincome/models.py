"""The register of dibao-edge households (最低生活保障边缘家庭, DOMAIN §5.1).

A recognition (认定) is the county's decision that a household, not eligible for dibao, has a
per-capita income below the edge line (a multiple of the local dibao standard) and property within
the rules. It holds the assessment it was made on, runs for the policy's validity period and may
end earlier (退出) with a reason. Rows are never deleted: a household recognised again later gets a
new row, so any past day's register can be read back.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.lowincome.choices import NearPoorEndReason
from jiuzhu.lowincome.rules import in_force_on
from jiuzhu.programs.models import ProgramCode


class NearPoorHousehold(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="near_poor_recognitions"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("对照的低保项目"), on_delete=models.PROTECT, related_name="+"
    )
    recognised_on = models.DateField(_("认定日期"))
    valid_until = models.DateField(_("有效期至"))
    member_count = models.PositiveSmallIntegerField(_("认定人数"))
    per_capita_income_fen = models.BigIntegerField(_("家庭人均月收入（分）"))
    standard_fen = models.BigIntegerField(_("低保标准（分/人·月）"))
    line_fen = models.BigIntegerField(_("边缘家庭收入上限（分/人·月）"))
    assessment = models.JSONField(_("认定时的核算结果"), default=dict)
    application = models.ForeignKey(
        "cases.Application", verbose_name=_("来源低保申请"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    renews = models.OneToOneField(
        "self", verbose_name=_("续期的认定"), null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by"
    )  # the recognition this one continues without a gap (复核续期): neither a new one nor an exit
    reason = models.CharField(_("认定依据"), max_length=200)
    recognised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recognised_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    ended_on = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=16, choices=NearPoorEndReason.choices, blank=True)
    end_note = models.CharField(_("退出说明"), max_length=200, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("低保边缘家庭认定")
        verbose_name_plural = _("低保边缘家庭认定")
        indexes = [models.Index(fields=["recognised_on"], name="near_poor_recognised_on")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("recognised_on")), name="near_poor_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("recognised_on")),
                name="near_poor_ended_after_recognised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}:{self.recognised_on}"

    @property
    def is_urban(self) -> bool:
        """Measured against the urban dibao standard (城市), else the rural one (农村)."""
        return self.program.code == ProgramCode.DIBAO_URBAN

    def in_force_on(self, day: datetime.date) -> bool:
        return in_force_on(day, recognised_on=self.recognised_on, until=self.valid_until, ended_on=self.ended_on)
