"""Onboarding an office's spreadsheet (存量数据导入): households, members and the dibao cases in force.

* `OnboardingBatch`: one uploaded file (kept encrypted), the area whose villages it may name, the
  month from which Jiuzhu pays its cases, and where it stands: uploaded → checked (the dry run) →
  applied. Re-checking or re-applying the same file is safe: what is already in the registry is
  recognised and left as it is.
* `OnboardingHousehold`: one household of the file (the rows sharing a 户编号) with the dry run's
  outcome (new, a case added to a registered household, unchanged, or an error per row and cell)
  and, once applied, the household and case it became.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("待确认列对应")
    CHECKING = "checking", _("试导入中")
    CHECKED = "checked", _("已试导入，待确认")
    APPLYING = "applying", _("导入中")
    APPLIED = "applied", _("已导入")
    REFUSED = "refused", _("文件有误")


class Outcome(models.TextChoices):
    NEW = "new", _("新建家庭档案")
    NEW_WITH_CASE = "new_with_case", _("新建家庭档案和在保低保")
    ADD_CASE = "add_case", _("家庭已登记，补录在保低保")
    UNCHANGED = "unchanged", _("已导入过，无变化")
    ERROR = "error", _("有误，不导入")
    APPLIED = "applied", _("已导入")
    FAILED = "failed", _("导入时出错，未导入")


# What the dry run says will be written (and so what applying does).
TO_APPLY = (Outcome.NEW, Outcome.NEW_WITH_CASE, Outcome.ADD_CASE)


class OnboardingBatch(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("导入地区"), on_delete=models.PROTECT, related_name="+")
    go_live = models.DateField(_("建档日期"))  # cases are paid by Jiuzhu from this month on
    reason = models.CharField(_("建档依据"), max_length=200)  # e.g. the ledger's name
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    stored_file = models.CharField(max_length=255)  # the original, encrypted, in the file storage
    header = models.JSONField(_("列名"), default=list)
    columns = models.JSONField(_("列对应关系"), default=dict)  # field key -> the file's header text
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.UPLOADED)
    refusal = models.TextField(_("未导入原因"), blank=True)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    counts = models.JSONField(_("各结果户数"), default=dict)  # outcome -> households
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    checked_at = models.DateTimeField(_("试导入时间"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("存量数据导入批次")
        verbose_name_plural = _("存量数据导入批次")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class OnboardingHousehold(models.Model):
    batch = models.ForeignKey(OnboardingBatch, on_delete=models.CASCADE, related_name="households")
    key = models.CharField(_("户编号"), max_length=100)  # as shown: ID-like digit runs masked
    key_digest = models.CharField(max_length=64)  # keyed hash of the key as the file has it (the row's identity)
    first_line = models.PositiveIntegerField(_("首行行号"))
    village = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    head_name = models.CharField(_("户主姓名"), max_length=64, blank=True)
    rows = models.JSONField(_("各行"), default=list)  # [{line, name, id_masked, relation}]
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices)
    problems = models.JSONField(_("问题"), default=list)  # [{line, column, message}]
    notes = models.JSONField(_("提示"), default=list)  # [text]: not errors, worth a look
    noted = models.BooleanField(_("有提示"), default=False)
    program_code = models.CharField(_("保障类别"), max_length=32, blank=True)
    amount_fen = models.BigIntegerField(_("月保障金额（分）"), null=True, blank=True)
    first_month = models.DateField(_("起始发放年月"), null=True, blank=True)
    household = models.ForeignKey(
        "registry.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    application = models.ForeignKey(
        "cases.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )

    class Meta:
        verbose_name = _("导入家庭")
        verbose_name_plural = _("导入家庭")
        ordering = ["batch", "first_line"]
        constraints = [models.UniqueConstraint(fields=["batch", "key_digest"], name="onboarding_household_unique_key")]
        indexes = [models.Index(fields=["batch", "outcome"], name="onboarding_household_outcome")]

    def __str__(self) -> str:
        return f"{self.key} {self.head_name}"
