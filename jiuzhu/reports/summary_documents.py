"""The work summary as plain text (the command), as an editable Word document (DOCX) and as a PDF:
the sections with their figures, each figure's note number in superscript, and the notes (数据说明)
at the end saying where every figure came from."""

from __future__ import annotations

import io

from django.utils import translation
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from jiuzhu.printing.document import LETTER, Document
from jiuzhu.reports.summary import Piece, WorkSummary

LETTER_LANGUAGE = "zh-hans"
FONT = "宋体"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _marker(piece: Piece) -> str:
    return f"[{piece.note}]" if piece.note else ""


def summary_text(summary: WorkSummary) -> str:
    lines = [summary.title, ""]
    for section in summary.sections:
        lines.append(section.title)
        for paragraph in section.paragraphs:
            lines.append("　　" + "".join(piece.text + _marker(piece) for piece in paragraph))
        lines.append("")
    if summary.notes:
        lines.append("数据说明")
        lines += [f"[{note.number}] {note.text}" for note in summary.notes]
    return "\n".join(lines) + "\n"


def summary_docx(summary: WorkSummary) -> bytes:
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Word takes Chinese text's font from here
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(summary.title)
    run.bold = True
    run.font.size = Pt(18)
    for section in summary.sections:
        title = document.add_paragraph()
        title.add_run(section.title).bold = True
        for pieces in section.paragraphs:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.first_line_indent = Pt(28)
            for piece in pieces:
                paragraph.add_run(piece.text)
                if piece.note:
                    paragraph.add_run(f"[{piece.note}]").font.superscript = True
    if summary.notes:
        title = document.add_paragraph()
        title.add_run("数据说明").bold = True
        for note in summary.notes:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"[{note.number}] ").font.size = Pt(10.5)
            paragraph.add_run(note.text).font.size = Pt(10.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def summary_pdf(summary: WorkSummary, *, authority: str) -> bytes:
    with translation.override(LETTER_LANGUAGE):
        doc = Document(title=summary.title, authority=authority, layout=LETTER)
        for section in summary.sections:
            doc.paragraph(section.title, indent=False, bold=True)
            for pieces in section.paragraphs:
                doc.paragraph("".join(piece.text + _marker(piece) for piece in pieces))
        if summary.notes:
            doc.paragraph("数据说明", indent=False, bold=True)
            for note in summary.notes:
                doc.note(f"[{note.number}] {note.text}")
        return doc.render()
