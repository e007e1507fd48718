"""The administrative tree: province → city → county → township/subdistrict → village/community.

Codes follow GB/T 2260 down to county (2, 4, 6 digits here, as in the NBS lists) and the NBS
statistical codes below (9 digits for a township, 12 for a village or community). A region's
code starts with its parent's code, so "everything under this region" is one range query on
an indexed column (see `regions.scoping`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("省级")
    CITY = 2, _("地级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")
    VILLAGE = 5, _("村级")


CODE_LENGTH_BY_LEVEL: dict[int, int] = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
LEVEL_BY_CODE_LENGTH: dict[int, int] = {v: k for k, v in CODE_LENGTH_BY_LEVEL.items()}


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.PositiveSmallIntegerField(_("级别"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    is_urban = models.BooleanField(
        _("城镇"),
        default=False,
        help_text=_("社区（居委会）、街道为城镇；村委会、乡镇为农村。用于城乡统计。"),
    )
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="region_level_valid"),
        ]

    def __str__(self) -> str:
        return self.name
