"""Text written into spreadsheets (XLSX or CSV) that users open in Excel or WPS."""

from __future__ import annotations

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection):
# "=HYPERLINK(…)" in a name typed into a form would become a link in a county's export.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula, made plain (a leading apostrophe)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
