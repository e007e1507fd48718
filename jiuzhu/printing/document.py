"""Printed documents in Chinese on A4: notices, decisions, forms and lists, as PDF bytes.

    doc = Document(title="最低生活保障审批决定书", authority="开江县民政局", number="开民低保〔2026〕12号")
    doc.paragraph("张三：")
    doc.paragraph("你家申请最低生活保障一事，经审核……")
    doc.facts([("户主", "张三"), ("家庭人口", "3 人")])
    doc.amounts([AmountLine("补差", 30600, "(170.00 − 68.00) × 3 人")], total_fen=30600)
    doc.table(["姓名", "家庭人口", "月保障金（元）"], rows, widths=[2, 1, 1.5], align=["left", "right", "right"])
    doc.signature(date=datetime.date(2026, 11, 28))
    pdf: bytes = doc.render()

Every text argument is plain text (no markup; "\\n" starts a new line). Money is integer fen and is
printed in yuan by `jiuzhu.common.money.fen_to_yuan_text`. Two page layouts: `LETTER` (the margins of
GB/T 9704 for official documents, larger type, indented paragraphs) and `REGISTER` (narrower margins,
smaller type, for files and lists); `landscape=True` for wide lists. Each page has a footer line and
"第 X 页 共 Y 页". Callers mask personal data before they pass it in; nothing here looks at it.
"""

from __future__ import annotations

import datetime
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from jiuzhu.common.money import fen_to_yuan_text
from jiuzhu.printing.fonts import BOLD, REGULAR, register_fonts
from jiuzhu.printing.tables import PagedTable, TableSource

Align = Literal["left", "right", "center"]
_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
INK = colors.black


@dataclass(frozen=True)
class Layout:
    """Margins (points) and type sizes of one kind of document."""

    top: float
    bottom: float
    left: float
    right: float
    body_size: float
    leading: float  # line height of running text, as a multiple of body_size
    table_size: float
    authority_size: float
    title_size: float
    indent_paragraphs: bool


# GB/T 9704-2012 (党政机关公文格式): top 37 mm, left 28 mm, text area 156 × 225 mm.
LETTER = Layout(
    top=37 * mm, bottom=35 * mm, left=28 * mm, right=26 * mm, body_size=14, leading=1.75, table_size=12,
    authority_size=16, title_size=20, indent_paragraphs=True,
)  # fmt: skip
REGISTER = Layout(
    top=18 * mm, bottom=20 * mm, left=18 * mm, right=15 * mm, body_size=10.5, leading=1.5, table_size=9,
    authority_size=13, title_size=17, indent_paragraphs=False,
)  # fmt: skip


@dataclass(frozen=True)
class AmountLine:
    """One line of a calculation: what it is, how it was computed (optional), and the amount in fen."""

    label: str
    amount_fen: int
    note: str = ""


def chinese_date(value: datetime.date) -> str:
    """2026-11-28 -> "2026年11月28日" (Arabic numerals, as GB/T 9704 prescribes for dates)."""
    return _("%(year)s年%(month)s月%(day)s日") % {"year": value.year, "month": value.month, "day": value.day}


def yuan(fen: int) -> str:
    return fen_to_yuan_text(fen)


def _markup(text: str) -> str:
    """Plain text for a Paragraph: markup characters escaped, line breaks kept."""
    return escape(text).replace("\n", "<br/>")


class _NumberedCanvas(Canvas):
    """Holds the pages back until the end, so that each can say "第 X 页 共 Y 页"."""

    def __init__(self, *args: Any, footer: str, layout: Layout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._layout = layout
        self._held_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # reportlab's name
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        layout = self._layout
        y = layout.bottom - 9 * mm
        self.saveState()
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(layout.left, y + 3.5 * mm, width - layout.right, y + 3.5 * mm)
        self.setFillColor(INK)
        self.setFont(REGULAR, 8)
        label = _("第 %(page)s 页 共 %(total)s 页") % {"page": number, "total": total}
        self.drawRightString(width - layout.right, y, label)
        if self._footer:
            room = width - layout.left - layout.right - self.stringWidth(label, REGULAR, 8) - 6 * mm
            footer = self._footer
            while footer and self.stringWidth(footer, REGULAR, 8) > room:
                footer = footer[:-2] + "…"
            self.drawString(layout.left, y, footer)
        self.restoreState()


class Document:
    """One printed document. Add blocks in reading order, then `render()` it once."""

    def __init__(
        self, *, title: str, authority: str = "", number: str = "", layout: Layout = LETTER,
        landscape: bool = False, footer: str = "",
    ) -> None:  # fmt: skip
        register_fonts()  # builds the static fonts on first use (see fonts.py)
        self.title = title
        self.authority = authority
        self.number = number
        self.layout = layout
        self.pagesize = landscape_of(A4) if landscape else A4
        self.footer = footer
        self.width = self.pagesize[0] - layout.left - layout.right
        self._story: list[Flowable] = []
        self._styles = self._make_styles()
        self._title_block()

    # --- styles -----------------------------------------------------------------------------------

    def _make_styles(self) -> dict[str, ParagraphStyle]:
        layout = self.layout
        size = layout.body_size
        body = ParagraphStyle(
            "body", fontName=REGULAR, fontSize=size, leading=size * layout.leading, wordWrap="CJK",
            alignment=TA_JUSTIFY, textColor=INK, spaceAfter=size * 0.3,
        )  # fmt: skip
        authority = ParagraphStyle(
            "authority", parent=body, fontName=BOLD, fontSize=layout.authority_size, alignment=TA_CENTER,
            leading=layout.authority_size * 1.4, spaceAfter=layout.authority_size * 0.3,
        )  # fmt: skip
        title = ParagraphStyle(
            "title", parent=body, fontName=BOLD, fontSize=layout.title_size, leading=layout.title_size * 1.35,
            alignment=TA_CENTER, spaceAfter=size * 0.4,
        )  # fmt: skip
        heading = ParagraphStyle(
            "heading", parent=body, fontName=BOLD, fontSize=size + 1, alignment=TA_LEFT, spaceBefore=size * 0.8,
            spaceAfter=size * 0.4, keepWithNext=True,
        )  # fmt: skip
        small = layout.table_size
        cell = ParagraphStyle("cell", parent=body, fontSize=small, leading=small * 1.3, alignment=TA_LEFT, spaceAfter=0)
        styles = {
            "body": body,
            "indented": ParagraphStyle("indented", parent=body, firstLineIndent=2 * size),
            "authority": authority,
            "title": title,
            "number": ParagraphStyle("number", parent=body, alignment=TA_RIGHT),
            "heading": heading,
            "note": ParagraphStyle("note", parent=body, fontSize=small, leading=small * 1.4),
            "signature": ParagraphStyle("signature", parent=body, alignment=TA_CENTER, spaceAfter=0),
            "cell": cell,
            "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=BOLD),
            "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=BOLD, alignment=TA_CENTER),
        }
        for name, alignment in _ALIGN.items():
            styles[f"cell_{name}"] = ParagraphStyle(f"cell_{name}", parent=cell, alignment=alignment)
            styles[f"cell_bold_{name}"] = ParagraphStyle(
                f"cell_bold_{name}", parent=cell, fontName=BOLD, alignment=alignment
            )
        return styles

    def _cell(self, text: str, style: str = "cell") -> Paragraph:
        return Paragraph(_markup(text), self._styles[style])

    def _grid(self, *extra: tuple[Any, ...]) -> TableStyle:
        pad = self.layout.table_size * 0.3
        return TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # reportlab's default for a table is Helvetica
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad + 1),
                *extra,
            ]
        )

    def _widths(self, weights: Sequence[float] | None, columns: int) -> list[float]:
        weights = list(weights) if weights else [1.0] * columns
        if len(weights) != columns or any(w <= 0 for w in weights):
            raise ValueError(f"widths must be {columns} positive numbers, got {weights!r}")
        total = sum(weights)
        return [self.width * w / total for w in weights]

    # --- blocks -----------------------------------------------------------------------------------

    def _title_block(self) -> None:
        if self.authority:
            self._story.append(Paragraph(_markup(self.authority), self._styles["authority"]))
        self._story.append(Paragraph(_markup(self.title), self._styles["title"]))
        if self.number:
            self._story.append(Paragraph(_markup(self.number), self._styles["number"]))
        self._story.append(_Rule(self.width, space=self.layout.body_size * 0.6))

    def heading(self, text: str) -> None:
        """A section heading ("一、家庭基本信息"); never left alone at the foot of a page."""
        self._story.append(CondPageBreak(self.layout.body_size * 6))
        self._story.append(Paragraph(_markup(text), self._styles["heading"]))

    def paragraph(self, text: str, *, indent: bool | None = None, bold: bool = False) -> None:
        """Running text, wrapped between any two Chinese characters; letters indent the first line by two."""
        indent = self.layout.indent_paragraphs if indent is None else indent
        style = self._styles["indented" if indent else "body"]
        if bold:
            style = ParagraphStyle(f"{style.name}_bold", parent=style, fontName=BOLD)
        self._story.append(Paragraph(_markup(text), style))

    def note(self, text: str) -> None:
        """Small print under a table or at the end (sources, explanations)."""
        self._story.append(Paragraph(_markup(text), self._styles["note"]))

    def spacer(self, height_mm: float) -> None:
        self._story.append(Spacer(self.width, height_mm * mm))

    def page_break(self) -> None:
        self._story.append(PageBreak())

    def facts(self, rows: Sequence[tuple[str, str]], *, columns: int = 2) -> None:
        """Labelled values in a grid, `columns` pairs to a line: 户主 | 张三 | 户籍类型 | 农村."""
        if not rows:
            return
        label_width = self.layout.table_size * 6.5
        value_width = (self.width - columns * label_width) / columns
        data: list[list[Any]] = []
        for start in range(0, len(rows), columns):
            line: list[Any] = []
            for label, value in rows[start : start + columns]:
                line += [self._cell(label, "cell_bold"), self._cell(value or "—")]
            line += [""] * (2 * columns - len(line))
            data.append(line)
        shading = [("BACKGROUND", (2 * i, 0), (2 * i, -1), SHADE) for i in range(columns)]
        self._story.append(
            Table(data, colWidths=[label_width, value_width] * columns, style=self._grid(*shading), hAlign="LEFT")
        )
        self._story.append(Spacer(self.width, 2 * mm))

    def table(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], *, widths: Sequence[float] | None = None,
        align: Sequence[Align] | None = None, total: Sequence[str] | None = None, empty: str = "",
    ) -> None:  # fmt: skip
        """A data table of any length, the header row repeated on every page.

        `widths` are relative (scaled to the width of the page), `align` is per column, `total` is a last
        row printed in bold (a sum). With no rows, `empty` (if given) is printed instead of the table.
        """
        if not rows:
            if empty:
                self.note(empty)
            return
        columns = len(headers)
        col_widths = self._widths(widths, columns)
        aligns = list(align) if align else ["left"] * columns
        all_rows = [*rows, *([total] if total is not None else [])]
        if len(aligns) != columns or any(len(row) != columns for row in all_rows):
            raise ValueError(f"align and every row need {columns} values, one for each header")
        total_index = len(rows) if total is not None else -1
        size = self.layout.table_size
        padding = 2 * (size * 0.3 + 1)
        room = [width - padding for width in col_widths]

        def make_cell(text: str, column: int, row: int) -> str | Paragraph:
            if row == total_index:
                return self._cell(text, f"cell_bold_{aligns[column]}")
            # Text that fits on its line(s) is drawn as a plain string: about three times faster than a Paragraph.
            if all(stringWidth(line, REGULAR, size) <= room[column] for line in text.split("\n")):
                return text
            return self._cell(text, f"cell_{aligns[column]}")

        source = TableSource(
            header=[self._cell(h, "cell_head") for h in headers],
            rows=all_rows,
            col_widths=col_widths,
            style=self._grid(
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("FONTSIZE", (0, 1), (-1, -1), size),
                ("LEADING", (0, 1), (-1, -1), size * 1.3),
                *[("ALIGN", (c, 1), (c, -1), a.upper()) for c, a in enumerate(aligns)],
            ),
            make_cell=make_cell,
            min_row_height=size * 1.3 + 2 * size * 0.3 + 1,
        )
        self._story.append(PagedTable(source))
        self._story.append(Spacer(self.width, 2 * mm))

    def amounts(self, lines: Sequence[AmountLine], *, total_fen: int, total_label: str = "") -> None:
        """A calculation: one line per item (label, how it was computed, amount in yuan) and the total."""
        has_notes = any(line.note for line in lines)
        headers = [_("项目"), *([_("计算方法")] if has_notes else []), _("金额（元）")]
        data: list[list[Any]] = [[self._cell(h, "cell_head") for h in headers]]
        for line in lines:
            note = [self._cell(line.note)] if has_notes else []
            data.append([self._cell(line.label), *note, self._cell(yuan(line.amount_fen), "cell_right")])
        total = [self._cell(total_label or _("合计"), "cell_bold"), *([""] if has_notes else [])]
        data.append([*total, self._cell(yuan(total_fen), "cell_bold_right")])
        widths = self._widths([3, 5, 2] if has_notes else [6, 3], len(headers))
        style = self._grid(
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEABOVE", (0, -1), (-1, -1), 1.2, INK),
            *([("SPAN", (0, -1), (1, -1))] if has_notes else []),
        )
        self._story.append(Table(data, colWidths=widths, style=style, repeatRows=1, hAlign="LEFT"))
        self._story.append(Spacer(self.width, 2 * mm))

    def signature(self, *, date: datetime.date, authority: str | None = None, seal: bool = True) -> None:
        """The issuing authority and the date at the right, with room for the seal (盖章) over them."""
        name = self.authority if authority is None else authority
        style = self._styles["signature"]
        lines = []
        if name:
            lines.append([Paragraph(_markup(name + (_("（盖章）") if seal else "")), style)])
        lines.append([Paragraph(_markup(chinese_date(date)), style)])
        width = min(self.width * 0.55, 80 * mm)
        plain = TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)])
        block = Table(lines, colWidths=[width], hAlign="RIGHT", style=plain)
        self._story.append(KeepTogether([Spacer(self.width, 18 * mm if seal else 8 * mm), block]))

    def signature_lines(self, labels: Sequence[str]) -> None:
        """Lines to sign by hand on a form: "调查人（签字）：________   日期：____年__月__日"."""
        date_label = _("日期：")
        blanks = {"year": "\u3000" * 3, "month": "\u3000" * 2, "day": "\u3000" * 2}
        blank_date = _("%(year)s年%(month)s月%(day)s日") % blanks
        date_cells = [self._cell(date_label, "cell_right"), self._cell(blank_date, "cell_right")]
        data = [[self._cell(_("%(label)s：") % {"label": label}), "", *date_cells] for label in labels]
        widths = self._widths([3, 4, 1.5, 2.5], 4)
        style = TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("LINEBELOW", (1, 0), (1, -1), 0.5, INK),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), self.layout.body_size * 1.2),
            ]
        )
        self._story.append(KeepTogether([Table(data, colWidths=widths, style=style, hAlign="LEFT")]))

    # --- output -----------------------------------------------------------------------------------

    def render(self) -> bytes:
        buffer = io.BytesIO()
        layout = self.layout
        template = BaseDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=layout.left, rightMargin=layout.right, topMargin=layout.top,
            bottomMargin=layout.bottom, title=self.title, author=self.authority, subject=self.number,
            creator="Jiuzhu", producer="Jiuzhu (reportlab)", lang="zh-CN", initialFontName=REGULAR,
        )  # fmt: skip
        frame = Frame(
            layout.left, layout.bottom, self.width, self.pagesize[1] - layout.top - layout.bottom, id="body",
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
        )  # fmt: skip
        template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        template.build(
            list(self._story), canvasmaker=functools.partial(_NumberedCanvas, footer=self.footer, layout=layout)
        )
        return buffer.getvalue()


class _Rule(Flowable):
    """The line under the title block."""

    def __init__(self, width: float, *, space: float) -> None:
        super().__init__()
        self.width = width
        self.space = space

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, 2 * self.space

    def draw(self) -> None:
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.8)
        self.canv.line(0, self.space, self.width, self.space)
