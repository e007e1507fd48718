"""Investigation (调查核实): home visits, the economic verification, the democratic appraisal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.cases.choices import VerificationResult


class HomeVisit(models.Model):
    """A home visit (入户调查) by at least two staff (`investigators`). `is_county_visit`: recorded by a
    county-level user — the county's own visit that cadre-relative cases need (DOMAIN §3.8)."""

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="home_visits")
    round = models.PositiveSmallIntegerField(_("调查轮次"))
    visited_on = models.DateField(_("调查日期"))
    findings = models.TextField(_("调查情况"))
    investigators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("调查人员"), related_name="+")
    photos = models.ManyToManyField("registry.Document", verbose_name=_("照片"), blank=True, related_name="+")
    is_county_visit = models.BooleanField(_("县级入户核查"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.visited_on}"


class VerificationRequest(models.Model):
    """A request to the county's verification centre (核对申请) and its recorded result."""

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="verifications")
    requested_on = models.DateField(_("提请日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提请人"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(
        _("核对结果"), max_length=16, choices=VerificationResult.choices, default=VerificationResult.PENDING
    )
    result_notes = models.TextField(_("核对说明"), blank=True)
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结果录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("经济状况核对")
        verbose_name_plural = _("经济状况核对")
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.requested_on} {self.result}"


class Appraisal(models.Model):
    """A democratic appraisal meeting (民主评议) on the case."""

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="appraisals")
    round = models.PositiveSmallIntegerField(_("调查轮次"))
    held_on = models.DateField(_("评议日期"))
    participant_count = models.PositiveIntegerField(_("参加人数"))
    votes_for = models.PositiveIntegerField(_("同意票"))
    votes_against = models.PositiveIntegerField(_("反对票"))
    votes_abstain = models.PositiveIntegerField(_("弃权票"))
    minutes = models.TextField(_("评议记录"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    participant_count__gte=models.F("votes_for") + models.F("votes_against") + models.F("votes_abstain")
                ),
                name="appraisal_votes_within_participants",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.held_on}"
