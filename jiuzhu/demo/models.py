"""Which generated household (and person) stands behind which figure of the demo town.

Later issues (dibao cases, tekun support, payments, relief, reports) attach their records to
exactly these households, so that the yearly work summary counts what was generated. The rows
are bookkeeping of the demo generator only; no business rule reads them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.TextChoices):
    # Person cohorts: one row per person (the household is the person's household).
    DIBAO_URBAN = "dibao_urban", _("城市低保对象")
    DIBAO_RURAL = "dibao_rural", _("农村低保对象")
    DIBAO_CANCELLED = "dibao_cancelled", _("2012年取消低保人员")
    DIBAO_APPLICANT = "dibao_applicant", _("已申请待审批人员")
    TEKUN = "tekun", _("五保（特困）供养对象")
    VETERAN = "veteran", _("优抚对象")
    LONGEVITY = "longevity", _("90岁以上老人")
    MEDICAL = "medical", _("医疗救助（患者）")
    OUTPATIENT = "outpatient", _("门诊救助（患者）")
    # Household cohorts: one row per household, no person.
    TEMPORARY = "temporary", _("临时救助家庭")
    FLOOD_COLLAPSED = "flood_collapsed", _("“7·4”洪灾全垮户")
    FLOOD_REPAIRED = "flood_repaired", _("“7·4”洪灾维修加固户")
    HOUSING_GRADE_D = "housing_grade_d", _("D级危房改造户")
    HOUSING_GRADE_C = "housing_grade_c", _("C级危房维修加固申请户")
    ORDINARY = "ordinary", _("普通家庭")


PERSON_COHORTS = frozenset(
    {
        Cohort.DIBAO_URBAN, Cohort.DIBAO_RURAL, Cohort.DIBAO_CANCELLED, Cohort.DIBAO_APPLICANT,
        Cohort.TEKUN, Cohort.VETERAN, Cohort.LONGEVITY, Cohort.MEDICAL, Cohort.OUTPATIENT,
    }
)  # fmt: skip


class Dataset(models.TextChoices):
    TOWN = "town", _("讲治镇演示数据")
    BULK = "bulk", _("批量数据（基准测试）")


class DemoHousehold(models.Model):
    """A generated household's place in one cohort; `person` names the member it concerns.

    Person cohorts (dibao beneficiaries, tekun, veterans …) have one row per person; household
    cohorts (flood, dangerous houses, temporary assistance, ordinary) one row per household with
    no person. `attributes` carries what later issues need (approval dates, reasons, categories).
    """

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cohort = models.CharField(_("演示分组"), max_length=32, choices=Cohort.choices)
    dataset = models.CharField(_("数据集"), max_length=8, choices=Dataset.choices, default=Dataset.TOWN)
    attributes = models.JSONField(_("属性"), default=dict, blank=True)

    class Meta:
        verbose_name = _("演示家庭分组")
        verbose_name_plural = _("演示家庭分组")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "person"], condition=models.Q(person__isnull=False), name="demo_cohort_person_unique"
            ),
            models.UniqueConstraint(
                fields=["cohort", "household"],
                condition=models.Q(person__isnull=True),
                name="demo_cohort_household_unique",
            ),
        ]
        indexes = [models.Index(fields=["dataset", "cohort"], name="demo_dataset_cohort_idx")]

    def __str__(self) -> str:
        return f"{self.get_cohort_display()} #{self.household_id}"
