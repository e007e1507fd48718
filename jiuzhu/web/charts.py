"""Bar charts as SVG drawn on the server: no script, no CDN, printable, and every bar a link to the
list behind it. Colours and type come from the page's stylesheet (classes only: the content
security policy allows no inline styles)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 720
BAR_AREA = 180  # the height the tallest bar reaches
ROW = 22  # a horizontal chart's row


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    text: str  # the value as printed (a count, or yuan)
    link: str = ""
    series: int = 0  # 0 or 1: the class of its colour (two series side by side)


def _empty(title: str) -> SafeString:
    text = escape(_("%(title)s：暂无数据。") % {"title": title})
    return mark_safe(f'<p class="empty">{text}</p>')  # noqa: S308 - escaped


def _link(bar: Bar, body: str) -> str:
    tip = f"<title>{escape(bar.label)}：{escape(bar.text)}</title>"
    if not bar.link:
        return f"<g>{tip}{body}</g>"
    return f'<a href="{escape(bar.link)}">{tip}{body}</a>'


def column_chart(bars: Sequence[Bar], *, title: str, groups: int = 1) -> SafeString:
    """Vertical bars, `groups` bars side by side per label (their labels from the first of each group)."""
    if not bars or max(bar.value for bar in bars) <= 0:
        return _empty(title)
    top = max(bar.value for bar in bars)
    slots = len(bars) // groups
    slot = (WIDTH - 20) / max(slots, 1)
    width = min(36.0, slot * 0.7 / groups)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {BAR_AREA + 70}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="10" y1="{BAR_AREA + 30}" x2="{WIDTH - 10}" y2="{BAR_AREA + 30}"/>',
    ]
    for index, bar in enumerate(bars):
        slot_index, member = divmod(index, groups)
        height = BAR_AREA * bar.value / top if bar.value > 0 else 0
        x = 10 + slot * slot_index + (slot - width * groups) / 2 + width * member
        y = BAR_AREA + 30 - height
        body = (
            f'<rect class="bar s{bar.series}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}"/>'
            f'<text class="value" x="{x + width / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
            f"{escape(bar.text)}</text>"
        )
        parts.append(_link(bar, body))
        if member == 0:
            middle = 10 + slot * slot_index + slot / 2
            parts.append(
                f'<text class="label" x="{middle:.1f}" y="{BAR_AREA + 48}" text-anchor="middle">'
                f"{escape(bar.label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped


def row_chart(bars: Sequence[Bar], *, title: str) -> SafeString:
    """Horizontal bars with their labels at the left (long names: villages, checks)."""
    if not bars or max(bar.value for bar in bars) <= 0:
        return _empty(title)
    top = max(bar.value for bar in bars)
    left, room = 170, WIDTH - 170 - 90
    height = ROW * len(bars) + 10
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = 5 + ROW * index
        length = room * bar.value / top if bar.value > 0 else 0
        body = (
            f'<text class="label" x="{left - 8}" y="{y + 14}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect class="bar s{bar.series}" x="{left}" y="{y + 3}" width="{length:.1f}" height="{ROW - 6}"/>'
            f'<text class="value" x="{left + length + 6:.1f}" y="{y + 14}">{escape(bar.text)}</text>'
        )
        parts.append(_link(bar, body))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text escaped
