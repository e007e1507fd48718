"""Files that jobs make: kept encrypted, for the requester only when sensitive, replaced on a re-run,
removed when they expire (the row stays as the record), every download audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import PermissionDeniedError, TransitionNotAllowed
from jiuzhu.common.sensitive import seal_bytes, unseal_bytes
from jiuzhu.jobs.files import job_file_open, job_file_save, job_files_expire
from jiuzhu.jobs.models import Job
from jiuzhu.testing.builders import TOWNSHIP

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(users):
    return Job.objects.create(kind="test.files", title="导出", region_code=TOWNSHIP, created_by=users["township"])


def test_a_sensitive_file_is_for_its_requester_only_and_each_download_is_recorded(job, users):
    saved = job_file_save(job_id=job.pk, name="银行.csv", content_type="text/csv", content=b"6228 1", sensitive=True)
    with default_storage.open(saved.storage_name, "rb") as stored:
        assert b"6228" not in stored.read()
    opened = job_file_open(actor=users["township"], job_id=job.pk, file_id=saved.pk)
    assert opened.content == b"6228 1" and opened.file.sha256 == saved.sha256
    with pytest.raises(PermissionDeniedError, match="只有提交任务的人可以下载"):
        job_file_open(actor=users["county_approver"], job_id=job.pk, file_id=saved.pk)
    downloads = AuditEvent.objects.filter(event_type=AuditEventType.JOB_FILE_DOWNLOADED)
    assert downloads.count() == 1 and downloads.get().after["sha256"] == saved.sha256
    saved.refresh_from_db()
    assert saved.download_count == 1


def test_a_rerun_replaces_the_file_and_expired_files_are_removed(job, users):
    first = job_file_save(job_id=job.pk, name="花名册.pdf", content_type="application/pdf", content=b"one")
    second = job_file_save(job_id=job.pk, name="花名册.pdf", content_type="application/pdf", content=b"two")
    first.refresh_from_db()
    assert first.removed_at is not None and not default_storage.exists(first.storage_name)
    assert job_file_open(actor=users["county_approver"], job_id=job.pk, file_id=second.pk).content == b"two"

    later = timezone.now() + datetime.timedelta(days=8)  # the default keeping time is 7 days
    assert job_files_expire(now=later) == 1
    second.refresh_from_db()
    assert second.removed_at is not None and not default_storage.exists(second.storage_name)
    with pytest.raises(TransitionNotAllowed, match="已过保留期"):
        job_file_open(actor=users["township"], job_id=job.pk, file_id=second.pk)
    assert AuditEvent.objects.filter(event_type=AuditEventType.JOB_FILES_EXPIRED).count() == 1
    assert job_files_expire(now=later) == 0


def test_the_cron_command_removes_what_has_expired(job, settings):
    settings.JIUZHU_JOB_FILE_DAYS = 0
    saved = job_file_save(job_id=job.pk, name="a.csv", content_type="text/csv", content=b"a")
    call_command("job_files_expire", verbosity=0)
    saved.refresh_from_db()
    assert saved.removed_at is not None


def test_sealed_bytes_need_the_same_key(settings):
    sealed = seal_bytes(b"payroll")
    assert unseal_bytes(sealed) == b"payroll"
    with pytest.raises(ImproperlyConfigured, match="不是本系统加密保存的"):
        unseal_bytes(b"plain text")
    settings.JIUZHU_DATA_KEY = "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="
    with pytest.raises(ImproperlyConfigured, match="数据密钥与加密时不一致"):
        unseal_bytes(sealed)
