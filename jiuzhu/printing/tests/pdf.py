"""Reading PDFs back in tests (pypdf)."""

from __future__ import annotations

import io
import re
from typing import Any

from pypdf import PdfReader

A4_POINTS = (595.28, 841.89)


def read_pdf(content: bytes) -> PdfReader:
    assert content.startswith(b"%PDF-"), content[:20]
    return PdfReader(io.BytesIO(content))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def squeeze(text: str) -> str:
    """Text without the line breaks and spaces that wrapping and extraction put in."""
    return re.sub(r"\s+", "", text)


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name (without the subset tag) -> whether its program is embedded (/FontFile2)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        fonts: Any = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            found[name] = found.get(name, True) and embedded
    return found
