"""Monthly income items and assets of a household. Money in integer fen."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.registry.choices import AssetKind, IncomeKind, IncomeSource


class IncomeItem(models.Model):
    """One line of income, per month, for the household or one member.

    `source` says whether the amount was declared by the family, verified against other
    agencies' data, or imputed (e.g. from ability to work).
    """

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="income_items")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("收入类型"), max_length=16, choices=IncomeKind.choices)
    monthly_amount_fen = models.BigIntegerField(_("月收入（分）"))
    source = models.CharField(_("来源"), max_length=16, choices=IncomeSource.choices, default=IncomeSource.DECLARED)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_on = models.DateField(_("登记日期"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("收入")
        verbose_name_plural = _("收入")
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount_fen__gte=0), name="income_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.monthly_amount_fen}"


class Asset(models.Model):
    """One asset: deposits, a vehicle, a dwelling, a business holding, something else."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="assets")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("财产类型"), max_length=16, choices=AssetKind.choices)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    value_fen = models.BigIntegerField(_("价值（分）"), default=0)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    floor_area_sqm = models.DecimalField(_("建筑面积（平方米）"), max_digits=9, decimal_places=2, null=True, blank=True)
    registration_number = models.CharField(_("登记号/车牌号"), max_length=64, blank=True)
    recorded_on = models.DateField(_("登记日期"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("财产")
        verbose_name_plural = _("财产")
        constraints = [models.CheckConstraint(condition=models.Q(value_fen__gte=0), name="asset_value_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"
