from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from jiuzhu.audit.models import AuditEvent
from jiuzhu.audit.types import AuditEventType
from jiuzhu.common.exceptions import NotFoundOrNoAccess, PermissionDeniedError, ValidationFailed
from jiuzhu.registry.models import Document
from jiuzhu.registry.services.documents import document_remove, document_upload

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
EXE = b"MZ\x90\x00" + b"\x00" * 200


def _upload(world, name: str, content: bytes, actor_key: str = "coordinator_a") -> Document:
    return document_upload(
        actor=world.users[actor_key],
        household_id=world.household_a.pk,
        upload=SimpleUploadedFile(name, content),
        kind="id_card",
    )


@pytest.mark.parametrize(
    ("name", "content", "mime"), [("身份证.pdf", PDF, "application/pdf"), ("照片.PNG", PNG, "image/png")]
)
def test_upload_stores_file_through_storage_with_hash_and_audit(world, name, content, mime):
    document = _upload(world, name, content)
    assert document.content_type == mime and document.size_bytes == len(content)
    assert default_storage.exists(document.file.name)
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == content
    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)
    assert event.after["sha256"] == document.sha256


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病历.jpg", EXE, "不支持的文件类型"),
        ("申请书.jpg", PDF, "文件内容与扩展名不符"),
        ("空.pdf", b"", "文件为空"),
        ("程序.exe", EXE, "不支持的文件类型"),
    ],
)
def test_disguised_empty_or_wrong_files_are_refused_and_nothing_is_stored(world, name, content, message):
    with pytest.raises(ValidationFailed) as caught:
        _upload(world, name, content)
    assert message in caught.value.field_errors["file"][0]
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_UPLOADED).exists()


@override_settings(JIUZHU_UPLOAD_MAX_BYTES=1024)
def test_oversized_file_is_refused(world):
    with pytest.raises(ValidationFailed) as caught:
        _upload(world, "大文件.pdf", PDF + b"0" * 2000)
    assert "文件过大" in caught.value.field_errors["file"][0]
    assert not Document.objects.exists()


def test_other_village_and_read_only_roles_cannot_upload(world):
    with pytest.raises(NotFoundOrNoAccess):
        _upload(world, "a.pdf", PDF, actor_key="coordinator_b")
    with pytest.raises(PermissionDeniedError):
        _upload(world, "a.pdf", PDF, actor_key="supervisor")
    assert not Document.objects.exists()


def test_withdrawn_document_stays_in_storage_but_leaves_the_file(world):
    document = _upload(world, "a.pdf", PDF)
    document_remove(actor=world.users["coordinator_a"], document_id=document.pk, reason="上传错误")
    document.refresh_from_db()
    assert document.is_removed and default_storage.exists(document.file.name)
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_REMOVED, reason="上传错误").exists()
