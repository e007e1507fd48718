"""Month-end snapshots (月末快照): what each case in force was, at what amount, for whom, frozen when
the snapshot was built, so a past month's figures come out the same however the records move on.

* `MonthSnapshot`: one build for a region's subtree and a month (who, when, why); the latest ready
  one covering an area is the one its reports read. Earlier builds are kept.
* `SnapshotCase`: one case of that month — in force, or approved, changed or stopped in it — with
  its figures (`reports.rules.Figures`): the rows behind every figure of a report.
* `SnapshotArea`: the same summed by village and programme, which the reports add up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotStatus(models.TextChoices):
    BUILDING = "building", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class MonthSnapshot(models.Model):
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("统计月份"))
    status = models.CharField(_("状态"), max_length=16, choices=SnapshotStatus.choices, default=SnapshotStatus.BUILDING)
    reason = models.CharField(_("生成原因"), max_length=200, blank=True)
    cases = models.PositiveIntegerField(_("记录数"), default=0)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("月末快照")
        verbose_name_plural = _("月末快照")
        indexes = [models.Index(fields=["month", "status"], name="snapshot_month_status")]

    def __str__(self) -> str:
        return f"{self.region_id}:{self.month:%Y-%m}"


class FigureColumns(models.Model):
    """The columns of `reports.rules.Figures`."""

    households = models.IntegerField(default=0)
    persons = models.IntegerField(default=0)
    amount_fen = models.BigIntegerField(default=0)
    standard_persons_fen = models.BigIntegerField(default=0)
    paid_fen = models.BigIntegerField(default=0)
    elderly = models.IntegerField(default=0)
    minors = models.IntegerField(default=0)
    working_age = models.IntegerField(default=0)
    disabled = models.IntegerField(default=0)
    three_no = models.IntegerField(default=0)
    new_households = models.IntegerField(default=0)
    new_persons = models.IntegerField(default=0)
    changed_households = models.IntegerField(default=0)
    changed_persons = models.IntegerField(default=0)
    stopped_households = models.IntegerField(default=0)
    stopped_persons = models.IntegerField(default=0)

    class Meta:
        abstract = True


class SnapshotCase(FigureColumns):
    """A case of the month: its benefit (none yet for a case approved this month and not yet published),
    or an edge household's recognition (`near_poor`, with neither application nor benefit)."""

    snapshot = models.ForeignKey(MonthSnapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    application = models.ForeignKey(
        "cases.Application", null=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    near_poor = models.ForeignKey(
        "lowincome.NearPoorHousehold", null=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    entitlement = models.ForeignKey(
        "cases.Entitlement", null=True, on_delete=models.PROTECT, related_name="+", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    program = models.CharField(max_length=32)
    region_code = models.CharField(max_length=12)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "region_code"], name="snapshot_case_area")]

    def __str__(self) -> str:
        return f"{self.snapshot_id}:{self.entitlement_id}"


class SnapshotArea(FigureColumns):
    snapshot = models.ForeignKey(MonthSnapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    region_code = models.CharField(max_length=12)
    program = models.CharField(max_length=32)
    cases = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "region_code"], name="snapshot_area_area")]

    def __str__(self) -> str:
        return f"{self.snapshot_id}:{self.region_code}:{self.program}"


class SnapshotStandard(models.Model):
    """The local standard a snapshot applied to each programme and village (traceable and joined
    by the build's set-based insert)."""

    snapshot = models.ForeignKey(MonthSnapshot, on_delete=models.CASCADE, related_name="+", db_index=False)
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", db_constraint=False)
    standard_fen = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "program", "region"], name="snapshot_standard_unique")
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}:{self.program_id}:{self.region_id}"
