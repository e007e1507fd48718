"""Background jobs (后台任务): a long operation with its status, progress and log.

A job runs as django-tasks tasks (`jiuzhu.jobs.tasks`); a large one is split into chunks that
workers share. The rows here are what pages and commands show; the queue itself is django-tasks'
(`django_tasks_db`, in the same database by default).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiuzhu.jobs.choices import ACTIVE_STATUSES, ChunkStatus, JobStatus


class Job(models.Model):
    kind = models.CharField(_("任务类型"), max_length=64)
    title = models.CharField(_("任务"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("参数"), default=dict)
    region_code = models.CharField(_("所属区划"), max_length=12, blank=True, db_index=True)
    exclusive_key = models.CharField(max_length=200, blank=True)  # one active job per key ("" = no limit)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last sign of life of a running job
    attempts = models.PositiveIntegerField(_("运行次数"), default=0)
    worker = models.CharField(_("运行进程"), max_length=128, blank=True)  # host:pid that claimed it last
    progress_done = models.BigIntegerField(_("已处理"), default=0)
    progress_total = models.BigIntegerField(_("总数"), null=True, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    result = models.JSONField(_("结果"), default=dict)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exclusive_key"],
                condition=Q(status__in=[s.value for s in ACTIVE_STATUSES]) & ~Q(exclusive_key=""),
                name="jobs_one_active_job_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.kind} {self.status}"

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, int(self.progress_done * 100 / self.progress_total))


class JobChunk(models.Model):
    """One share of a large job; done at most once (its work is idempotent, so a re-run is safe)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=ChunkStatus.choices, default=ChunkStatus.PENDING)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=128, blank=True)  # host:pid of the process that did it

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "index"], name="jobs_chunk_once_per_job")]
        ordering = ["job", "index"]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.index} {self.status}"


class JobLogEntry(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    level = models.CharField(max_length=8, default="info")
    message = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.job_id} {self.at:%Y-%m-%d %H:%M:%S} {self.message[:40]}"


class JobFile(models.Model):
    """A file a job made for the person who asked for it (a bank file, a large export): kept
    encrypted in the file storage until it expires, then its bytes are removed and this row stays
    as the record. A file holding full ID or account numbers (`sensitive`) is for its requester
    only; every download is an audit event."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=128)
    size = models.BigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=255)  # the encrypted bytes, in the default file storage
    sensitive = models.BooleanField(_("含完整证件号或账号"), default=False)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("保留至"))
    removed_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)

    class Meta:
        verbose_name = _("任务文件")
        verbose_name_plural = _("任务文件")
        ordering = ["job", "id"]
        indexes = [models.Index(fields=["expires_at"], condition=Q(removed_at__isnull=True), name="job_file_kept_idx")]

    def __str__(self) -> str:
        return f"{self.job_id} {self.name}"
