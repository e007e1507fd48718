"""Attachments of a household file (scans, photos, PDFs), kept through Django's storage API."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiuzhu.registry.choices import DocumentKind


def _document_path(instance: Document, filename: str) -> str:
    return f"households/{instance.household_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Document(models.Model):
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="documents")
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("成员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("材料类型"), max_length=32, choices=DocumentKind.choices)
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=64)
    extension = models.CharField(max_length=8)
    size_bytes = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    is_removed = models.BooleanField(_("已撤销"), default=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
