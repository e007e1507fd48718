"""The township's review: its opinion (初审意见), the village notice (公示) and objections, publication."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import NoticeStageKind


class TownshipOpinion(models.Model):
    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="opinions")
    round = models.PositiveSmallIntegerField(_("调查轮次"))
    agrees = models.BooleanField(_("同意"))
    text = models.TextField(_("初审意见"))
    given_on = models.DateField(_("日期"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("乡镇初审意见")
        verbose_name_plural = _("乡镇初审意见")
        ordering = ["given_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.given_on} {self.agrees}"


class PublicNotice(models.Model):
    """A notice of the case: the village notice (`ends_on` = start + the policy's notice days) or the
    long-term publication of the beneficiary (`ends_on` empty)."""

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="notices")
    stage = models.CharField(_("公示环节"), max_length=32, choices=NoticeStageKind.choices)
    starts_on = models.DateField(_("公示开始日期"))
    ends_on = models.DateField(_("公示截止日期"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.stage} {self.starts_on}"


class NoticeObjection(models.Model):
    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections")
    received_on = models.DateField(_("收到日期"))
    text = models.TextField(_("异议内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.received_on}"
