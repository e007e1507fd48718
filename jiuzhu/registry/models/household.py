"""Household (户): the unit of the household file (一户一档)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiuzhu.registry.choices import HouseholdStatus, HukouType

if TYPE_CHECKING:
    from jiuzhu.registry.models.person import Person


class Household(models.Model):
    """A household points to its lowest region (a village or community).

    The payment account number is sensitive: stored encrypted (`account_number_ciphertext`),
    found by a keyed hash (`account_number_digest`) and shown masked (`account_number_masked`).
    `head_name` and `head_name_initials` copy the head's name for search and lists.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    hukou_type = models.CharField(_("户籍类型"), max_length=8, choices=HukouType.choices)
    address = models.CharField(_("家庭住址"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    head = models.ForeignKey(
        "registry.Person",
        verbose_name=_("户主"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    head_name = models.CharField(_("户主姓名"), max_length=64, blank=True)
    head_name_initials = models.CharField(_("户主姓名拼音首字母"), max_length=32, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE)
    bank_name = models.CharField(_("开户机构"), max_length=64, blank=True)
    account_holder = models.CharField(_("账户户名"), max_length=64, blank=True)
    account_number_ciphertext = models.TextField(blank=True, editable=False)
    account_number_digest = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    account_number_masked = models.CharField(_("银行账号"), max_length=40, blank=True, editable=False)
    notes = models.TextField(_("备注"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        indexes = [
            models.Index(fields=["region", "status"], name="household_region_status_idx"),
            models.Index(fields=["head_name"], name="household_head_name_idx"),
            models.Index(fields=["head_name_initials"], name="household_head_initials_idx"),
        ]

    def __str__(self) -> str:
        return gettext("%(head)s户") % {"head": self.head_name or "—"}

    if TYPE_CHECKING:
        members: models.Manager[Person]
