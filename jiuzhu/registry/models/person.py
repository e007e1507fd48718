"""Person (家庭成员) and their membership history."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.registry.choices import (
    ETHNICITIES,
    DisabilityCategory,
    Education,
    Employment,
    MaritalStatus,
    MembershipEndReason,
    Relation,
    Sex,
    Supporter,
    WorkAbility,
)


class Person(models.Model):
    """One person of the registry, a member of exactly one household at a time.

    The ID number is unique across the whole registry: the keyed hash `id_number_digest` carries
    the unique constraint; the number itself is encrypted (`id_number_ciphertext`) and shown
    masked (`id_number_masked`). Sex and birth date are derived from the number when there is
    one. A deceased person stays in the household's file with `death_date` set.
    """

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("所在家庭"), on_delete=models.PROTECT, related_name="members"
    )
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    name = models.CharField(_("姓名"), max_length=64)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=32, db_index=True)
    id_number_ciphertext = models.TextField(blank=True, editable=False)
    id_number_digest = models.CharField(max_length=64, null=True, blank=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=24, blank=True, editable=False)
    sex = models.CharField(_("性别"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=2, choices=ETHNICITIES, default="01")
    marital_status = models.CharField(
        _("婚姻状况"), max_length=16, choices=MaritalStatus.choices, default=MaritalStatus.UNMARRIED
    )
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices, blank=True)
    is_student = models.BooleanField(_("在校学生"), default=False)
    employment = models.CharField(_("就业状况"), max_length=16, choices=Employment.choices, blank=True)
    work_ability = models.CharField(_("劳动能力"), max_length=16, choices=WorkAbility.choices, default=WorkAbility.FULL)
    supporter = models.CharField(
        _("法定赡养（抚养、扶养）义务人"), max_length=8, choices=Supporter.choices, default=Supporter.ABLE
    )
    disability_category = models.CharField(
        _("残疾类别"), max_length=16, choices=DisabilityCategory.choices, blank=True, default=""
    )
    disability_grade = models.PositiveSmallIntegerField(_("残疾等级"), null=True, blank=True)
    has_serious_illness = models.BooleanField(_("患重特大疾病"), default=False)
    illness_description = models.CharField(_("疾病情况"), max_length=200, blank=True)
    is_cadre = models.BooleanField(_("基层干部"), default=False)
    is_cadre_relative = models.BooleanField(_("基层干部近亲属"), default=False)
    is_co_resident = models.BooleanField(_("共同生活"), default=True)
    death_date = models.DateField(_("死亡日期"), null=True, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(fields=["id_number_digest"], name="person_id_number_unique"),
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True)
                | models.Q(disability_grade__gte=1, disability_grade__lte=4),
                name="person_disability_grade_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(disability_grade__isnull=True) | ~models.Q(disability_category=""),
                name="person_disability_grade_needs_category",
            ),
            models.CheckConstraint(
                condition=models.Q(death_date__isnull=True) | models.Q(death_date__gte=models.F("birth_date")),
                name="person_death_after_birth",
            ),
        ]
        indexes = [models.Index(fields=["name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_deceased(self) -> bool:
        return self.death_date is not None


class MembershipPeriod(models.Model):
    """When a person belonged to a household, and why the membership ended."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="membership_periods")
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=16, choices=MembershipEndReason.choices, blank=True)

    class Meta:
        verbose_name = _("成员关系记录")
        verbose_name_plural = _("成员关系记录")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="membership_one_open_period_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.household_id} {self.started_on}–{self.ended_on or ''}"
