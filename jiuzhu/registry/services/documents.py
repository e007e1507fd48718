"""Attachments: upload (checked for size and real type), view (logged), withdraw."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiuzhu.accounts.jurisdiction import require_capability
from jiuzhu.accounts.roles import Capability
from jiuzhu.audit.services import audit_event_record
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import ValidationFailed
from jiuzhu.registry.access import access_document_for_edit, access_household_for_edit
from jiuzhu.registry.choices import DocumentKind
from jiuzhu.registry.models import Document, Household
from jiuzhu.registry.rules.uploads import UploadProblem, UploadRejected, check_upload

_UPLOAD_MESSAGES = {
    UploadProblem.EMPTY: gettext_noop("文件为空。"),
    UploadProblem.TOO_LARGE: gettext_noop("文件过大：单个附件不能超过 %(limit)s MB。"),
    UploadProblem.TYPE_NOT_ALLOWED: gettext_noop(
        "不支持的文件类型：只能上传 PDF、JPG、PNG、TIFF 或 WEBP 格式的扫描件和照片。"
    ),
    UploadProblem.EXTENSION_MISMATCH: gettext_noop("文件内容与扩展名不符（例如把其他类型的文件改名为 .jpg），已拒绝。"),
}


def _upload_error(problem: UploadProblem) -> ValidationFailed:
    limit = settings.JIUZHU_UPLOAD_MAX_BYTES // (1024 * 1024)
    return ValidationFailed(field_errors={"file": [_(_UPLOAD_MESSAGES[problem]) % {"limit": limit}]})


@transaction.atomic(durable=True)
def document_upload(
    *,
    actor: Any,
    household_id: int,
    upload: UploadedFile,
    kind: str,
    person_id: int | None = None,
    description: str = "",
) -> Document:
    """Attach a scan, photo or PDF to a household file. Writes DOCUMENT_UPLOADED."""
    household: Household = access_household_for_edit(actor, household_id, lock=True)
    require_capability(actor, Capability.DOCUMENT_UPLOAD)
    if kind not in DocumentKind.values:
        raise ValidationFailed(field_errors={"kind": [_("请选择材料类型。")]})
    if person_id is not None and not household.members.filter(pk=person_id).exists():
        raise ValidationFailed(field_errors={"person": [_("所选成员不属于该家庭。")]})
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(262)
    try:
        verdict = check_upload(name=upload.name or "", size=size, head=head, max_bytes=settings.JIUZHU_UPLOAD_MAX_BYTES)
    except UploadRejected as rejected:
        raise _upload_error(rejected.problem) from None
    return _document_save(
        actor=actor, household=household, upload=upload, kind=kind, person_id=person_id,
        content_type=verdict.content_type, extension=verdict.extension, description=description,
    )  # fmt: skip


def document_attach(*, actor: Any, household: Household, upload: UploadedFile, kind: str, description: str) -> Document:
    """File a PDF the system made itself (a check report, an onboarding extract) in a household file,
    inside the caller's transaction: the caller has checked the actor and holds the household."""
    assert kind in DocumentKind.values
    return _document_save(
        actor=actor, household=household, upload=upload, kind=kind, person_id=None,
        content_type="application/pdf", extension=".pdf", description=description,
    )  # fmt: skip


def _document_save(
    *, actor: Any, household: Household, upload: UploadedFile, kind: str, person_id: int | None,
    content_type: str, extension: str, description: str,
) -> Document:  # fmt: skip
    size = upload.size or 0
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = Document(
        household=household, person_id=person_id, kind=kind, original_name=(upload.name or "")[:255],
        content_type=content_type, extension=extension, size_bytes=size,
        sha256=digest.hexdigest(), description=description.strip(), uploaded_by=actor,
    )  # fmt: skip
    document.file.save(upload.name or "upload", upload, save=False)
    # The file is written before the row; if the transaction rolls back, remove it again.
    stored_name = document.file.name
    try:
        document.save()
        audit_event_record(
            actor=actor, event_type=AuditEventType.DOCUMENT_UPLOADED, subject=document,
            region_code=household.region.code,
            after={"kind": kind, "name": document.original_name, "size_bytes": size, "sha256": document.sha256},
        )  # fmt: skip
    except Exception:
        document.file.storage.delete(stored_name)
        raise
    return document


@transaction.atomic
def document_viewed(*, actor: Any, document: Document) -> None:
    audit_event_record(
        actor=actor, event_type=AuditEventType.DOCUMENT_VIEWED, subject=document,
        region_code=document.household.region.code,
    )  # fmt: skip


@transaction.atomic(durable=True)
def document_remove(*, actor: Any, document_id: int, reason: str) -> Document:
    """Withdraw an attachment from the file (kept in storage for the archive). Writes DOCUMENT_REMOVED."""
    document = access_document_for_edit(actor, document_id, lock=True)
    if not reason.strip():
        raise ValidationFailed(field_errors={"reason": [_("撤销附件须填写原因。")]})
    document.is_removed = True
    document.save(update_fields=["is_removed"])
    audit_event_record(
        actor=actor, event_type=AuditEventType.DOCUMENT_REMOVED, subject=document,
        region_code=document.household.region.code, reason=reason,
    )  # fmt: skip
    return document
