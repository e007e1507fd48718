"""Reading rendered pages in tests: the text shown next to one form field, and all visible text."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

_VOID = {"input", "br", "img", "meta", "link", "hr", "col", "area", "base", "source", "wbr"}


class _FieldText(HTMLParser):
    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field
        self.depth = 0
        self.parts: list[str] = []
        self.found = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
        if tag in _VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("data-field") == self.field:
            self.depth = 1
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_near_field(html: str, field: str) -> str:
    """The text inside the wrapper of the field named `field` (label, help and its error messages)."""
    parser = _FieldText(field)
    parser.feed(html)
    assert parser.found, f"no field {field!r} on the page"
    return "".join(parser.parts)


def page_html(response: Any) -> str:
    return str(response.content.decode())
