"""Files that jobs make for the person who asked (a bank file, a large export).

* `job_file_save` (a job's code, through `JobContext.output`): the bytes are encrypted with the data
  key and written to the default file storage (a shared volume or object store when workers run on
  other machines than the web servers, docs/deployment.md); the row records name, size, checksum and
  when the file expires.
* `job_file_open`: the bytes for a download. A file that holds full ID or account numbers is for
  the job's requester only; anyone else who may see the job is told it is not theirs. Every download
  is an audit event, with the file's checksum.
* `job_files_expire`: expired files' bytes are removed (the rows stay, as the record that they
  existed). Called when a new file is saved and by `jiuzhu job_files_expire` (for cron).
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, TransitionNotAllowed
from jiuzhu.common.sensitive import seal_bytes, unseal_bytes
from jiuzhu.jobs.access import access_job_for_view
from jiuzhu.jobs.models import Job, JobFile

FOLDER = "job-files"


@dataclass(frozen=True)
class OpenedFile:
    file: JobFile
    content: bytes


def job_file_save(*, job_id: int, name: str, content_type: str, content: bytes, sensitive: bool = False) -> JobFile:
    """Encrypt and keep one file of a job. Saving it again under the same name (a re-run) replaces
    the earlier one, whose bytes are removed."""
    now = timezone.now()
    job_files_expire(now=now)
    storage_name = default_storage.save(
        f"{FOLDER}/{now:%Y/%m}/{job_id}-{uuid.uuid4().hex}.bin", ContentFile(seal_bytes(content))
    )
    with transaction.atomic():
        for earlier in JobFile.objects.select_for_update().filter(job_id=job_id, name=name, removed_at__isnull=True):
            _remove(earlier, now)
        return JobFile.objects.create(
            job_id=job_id,
            name=name[:255],
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            storage_name=storage_name,
            sensitive=sensitive,
            expires_at=now + datetime.timedelta(days=settings.JIUZHU_JOB_FILE_DAYS),
        )


def job_files_of(job: Job) -> list[JobFile]:
    return list(job.files.order_by("id"))


def may_download(actor: Any, file: JobFile, job: Job) -> bool:
    return not file.sensitive or (actor is not None and actor.pk == job.created_by_id)


def job_file_open(*, actor: Any, job_id: int, file_id: int) -> OpenedFile:
    job = access_job_for_view(actor, job_id)
    try:
        file = job.files.get(pk=int(file_id))
    except (ValueError, TypeError, JobFile.DoesNotExist):
        raise NotFoundOrNoAccess() from None
    if not may_download(actor, file, job):
        raise PermissionDeniedError(_("这个文件含有完整的证件号码或银行账号，只有提交任务的人可以下载。"))
    if file.removed_at is not None or file.expires_at <= timezone.now():
        raise TransitionNotAllowed(
            _("文件已过保留期（%(days)s 天）并已删除，请重新运行任务生成。") % {"days": settings.JIUZHU_JOB_FILE_DAYS},
            code="job_file_expired",
        )
    try:
        with default_storage.open(file.storage_name, "rb") as stored:
            content = unseal_bytes(stored.read())
    except FileNotFoundError:
        raise TransitionNotAllowed(_("文件已不在存储中，请重新运行任务生成。"), code="job_file_missing") from None
    JobFile.objects.filter(pk=file.pk).update(download_count=F("download_count") + 1)
    audit_event_record(
        actor=actor,
        event_type=AuditEventType.JOB_FILE_DOWNLOADED,
        subject=job,
        region_code=job.region_code,
        after={"file": file.name, "size": file.size, "sha256": file.sha256, "sensitive": file.sensitive},
    )
    return OpenedFile(file=file, content=content)


def job_files_expire(*, now: datetime.datetime | None = None) -> int:
    """Remove the bytes of every expired file; the number removed."""
    now = now or timezone.now()
    removed = 0
    with transaction.atomic():
        expired = list(JobFile.objects.select_for_update().filter(removed_at__isnull=True, expires_at__lte=now)[:500])
        for file in expired:
            _remove(file, now)
            removed += 1
        if expired:
            audit_event_record(
                actor=None,
                event_type=AuditEventType.JOB_FILES_EXPIRED,
                subject_type="jobs.jobfile",
                subject_id=expired[0].pk,
                after={"files": [file.pk for file in expired]},
            )
    return removed


def _remove(file: JobFile, now: datetime.datetime) -> None:
    default_storage.delete(file.storage_name)
    file.removed_at = now
    file.save(update_fields=["removed_at"])
