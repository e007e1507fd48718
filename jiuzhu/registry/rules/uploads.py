"""What an attachment may be: its real type (from its first bytes) must be an allowed one and
must agree with its file name's extension. Pure; `filetype` reads the magic numbers."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import filetype

ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/tiff": (".tif", ".tiff"),
    "image/webp": (".webp",),
}


class UploadProblem(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    TYPE_NOT_ALLOWED = "type_not_allowed"
    EXTENSION_MISMATCH = "extension_mismatch"


@dataclass(frozen=True)
class UploadVerdict:
    content_type: str
    extension: str


class UploadRejected(ValueError):
    def __init__(self, problem: UploadProblem) -> None:
        self.problem = problem
        super().__init__(problem)


def check_upload(*, name: str, size: int, head: bytes, max_bytes: int) -> UploadVerdict:
    if size <= 0:
        raise UploadRejected(UploadProblem.EMPTY)
    if size > max_bytes:
        raise UploadRejected(UploadProblem.TOO_LARGE)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise UploadRejected(UploadProblem.TYPE_NOT_ALLOWED)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES[kind.mime]:
        raise UploadRejected(UploadProblem.EXTENSION_MISMATCH)
    return UploadVerdict(content_type=kind.mime, extension=extension)
