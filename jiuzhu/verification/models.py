"""Other agencies' data, imported for the economic-status checks (DOMAIN.md §3.5).

* `ColumnMapping`: which column of an agency's spreadsheet holds which field, saved by name per
  source and region, so next month's file of the same agency maps itself.
* `ExternalDataset`: one imported file, a version of its source for its region as of a date: who
  uploaded it, the original file (kept encrypted, with its retention class), what was imported and
  what was not. The checked records themselves are a Parquet file (ID numbers only as the
  registry's keyed hash, no names), read by the columnar engine of the checks.
* `DatasetProblem`: a row (and column) of the file that was not imported, and why, in Chinese.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.verification.sources import DatasetSource


class RetentionClass(models.TextChoices):
    """Archive classes of DOMAIN.md §13; the years are the minimum keeping time."""

    DAILY = "daily_5y", _("日常管理类（保存不少于 5 年）")
    APPROVAL = "approval_3y", _("审批类（对象退出后保存不少于 3 年）")
    ACCOUNTING = "accounting_30y", _("会计档案（保存 30 年）")


RETENTION_YEARS = {RetentionClass.DAILY: 5, RetentionClass.APPROVAL: 3, RetentionClass.ACCOUNTING: 30}


class DatasetStatus(models.TextChoices):
    UPLOADED = "uploaded", _("待确认列对应")
    QUEUED = "queued", _("待导入")
    IMPORTING = "importing", _("导入中")
    IMPORTED = "imported", _("已导入")
    REFUSED = "refused", _("未导入（文件有误）")


class ColumnMapping(models.Model):
    source = models.CharField(_("数据来源"), max_length=32, choices=DatasetSource.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    columns = models.JSONField(_("列对应关系"), default=dict)  # field key -> the file's header text
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("列对应方案")
        verbose_name_plural = _("列对应方案")
        ordering = ["source", "name"]
        constraints = [
            models.UniqueConstraint(fields=["source", "region", "name"], name="verification_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ExternalDataset(models.Model):
    source = models.CharField(_("数据来源"), max_length=32, choices=DatasetSource.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("数据截止日期"))
    provider = models.CharField(_("提供单位"), max_length=100, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    stored_file = models.CharField(max_length=255)  # the original, encrypted (seal_stream), in the file storage
    retention_class = models.CharField(
        _("保管类别"), max_length=16, choices=RetentionClass.choices, default=RetentionClass.DAILY
    )
    retain_until = models.DateField(_("保管至"))
    header = models.JSONField(_("列名"), default=list)  # the file's first row, read once at upload
    columns = models.JSONField(_("列对应关系"), default=dict)  # field key -> header, as used for this import
    status = models.CharField(_("状态"), max_length=16, choices=DatasetStatus.choices, default=DatasetStatus.QUEUED)
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    refusal = models.TextField(_("未导入原因"), blank=True)
    row_count = models.PositiveIntegerField(_("数据行数"), default=0)
    imported_count = models.PositiveIntegerField(_("导入记录数"), default=0)
    invalid_count = models.PositiveIntegerField(_("有误行数"), default=0)
    duplicate_count = models.PositiveIntegerField(_("重复行数"), default=0)
    unused_columns = models.JSONField(_("未使用的列"), default=list)
    records_file = models.CharField(max_length=255, blank=True)  # Parquet of the checked records
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    imported_at = models.DateTimeField(_("导入时间"), null=True, blank=True)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("外部数据批次")
        verbose_name_plural = _("外部数据批次")
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["source", "region", "as_of"], name="verification_dataset_version")]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.as_of}"


class DatasetProblem(models.Model):
    class Kind(models.TextChoices):
        INVALID = "invalid", _("有误")
        DUPLICATE = "duplicate", _("重复")

    dataset = models.ForeignKey(ExternalDataset, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices, default=Kind.INVALID)
    message = models.TextField(_("说明"))

    class Meta:
        verbose_name = _("导入问题")
        verbose_name_plural = _("导入问题")
        ordering = ["dataset", "line", "id"]
        indexes = [models.Index(fields=["dataset", "line"], name="verification_problem_line")]

    def __str__(self) -> str:
        return f"{self.line} {self.column} {self.message}"


class Sweep(models.Model):
    """One run of every check over the cases in force of a region (拉网式交叉核查)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cases = models.PositiveIntegerField(_("在保案件"), default=0)
    members = models.PositiveIntegerField(_("在保人员"), default=0)
    datasets = models.JSONField(_("所用外部数据"), default=dict)  # source -> dataset id
    found = models.PositiveIntegerField(_("发现问题"), default=0)
    raised = models.PositiveIntegerField(_("新增疑点"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("交叉核查")
        verbose_name_plural = _("交叉核查")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.started_at:%Y-%m-%d}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待核实")
    CONFIRMED = "confirmed", _("已核实属实")
    DISMISSED = "dismissed", _("已排除")


class Flag(models.Model):
    """A finding of a check for one case (疑点): open until the coordinator or township confirms it
    (which opens a review or a stop of the case) or dismisses it with a written reason. The same
    finding (`fingerprint`: the check and what it found) is raised once, whatever its status: a
    dismissed finding comes back only if the facts change."""

    check_code = models.CharField(_("核查规则"), max_length=32)
    severity = models.CharField(_("严重程度"), max_length=8)
    fingerprint = models.CharField(max_length=64, unique=True)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    entitlement = models.ForeignKey("cases.Entitlement", null=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(_("说明"))
    facts = models.JSONField(default=dict)
    sweep = models.ForeignKey(Sweep, null=True, blank=True, on_delete=models.PROTECT, related_name="flags")
    raised_at = models.DateTimeField(_("发现时间"), auto_now_add=True)
    due_on = models.DateField(_("核实期限"))
    status = models.CharField(_("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(_("处理说明"), blank=True)

    class Meta:
        verbose_name = _("核查疑点")
        verbose_name_plural = _("核查疑点")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["region", "status"], name="verification_flag_queue"),
            models.Index(fields=["household"], name="verification_flag_household"),
        ]

    def __str__(self) -> str:
        return f"{self.check_code} {self.household_id} {self.status}"


class ApplicationCheck(models.Model):
    """The checks run for one application at its verification step, with the report attached to the
    household file (a PDF document of kind `verification_report`)."""

    application = models.ForeignKey("cases.Application", on_delete=models.PROTECT, related_name="+")
    verification = models.ForeignKey("cases.VerificationRequest", on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(_("核对时间"), auto_now_add=True)
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    datasets = models.JSONField(_("所用外部数据"), default=dict)  # source -> dataset id
    findings = models.JSONField(_("发现问题"), default=list)  # [{check, title, severity, explanation}]
    report = models.ForeignKey("registry.Document", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("申请核对")
        verbose_name_plural = _("申请核对")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.run_at:%Y-%m-%d}"
