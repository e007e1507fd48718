"""A data table that lays itself out one page at a time, with the header row on every page.

reportlab's `Table` splits a long table by copying all remaining rows at each page break, so one
20,000-row table takes about 33 s (STACK.md §3). `PagedTable` keeps the rows as text and, on each
page, builds a `Table` of the header plus only as many rows as can fit there, lets reportlab split
that, and hands the rest on to a new `PagedTable` for the next page. The work is linear in the rows,
every page starts with the header, and no header is repeated in the middle of a page (as it would be
with fixed chunks of N rows, each a table with its own header).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from reportlab.platypus import Flowable, Table, TableStyle

Cell: TypeAlias = "Flowable | str"  # a str is drawn as is (fast); a Paragraph when the text must wrap
CellMaker = Callable[[str, int, int], Cell]


@dataclass
class TableSource:
    """The rows of one data table, shared by the pieces of it that land on successive pages."""

    header: list[Cell]
    rows: Sequence[Sequence[str]]
    col_widths: list[float]
    style: TableStyle
    make_cell: CellMaker  # (text, column, row) -> what goes into the cell
    min_row_height: float  # no row is lower than this (one line of text plus padding)
    _cells: dict[int, list[Cell]] = field(default_factory=dict)

    def cells(self, index: int) -> list[Cell]:
        # Each row's cells are made once, even when a page's trial table did not use the row.
        if index not in self._cells:
            self._cells[index] = [self.make_cell(text, column, index) for column, text in enumerate(self.rows[index])]
        return self._cells[index]

    def forget(self, start: int, stop: int) -> None:
        """Rows placed on a page live on in that page's table; the cache need not keep them."""
        for index in range(start, stop):
            self._cells.pop(index, None)

    def table(self, start: int, stop: int) -> Table:
        data = [self.header, *(self.cells(i) for i in range(start, stop))]
        return Table(data, colWidths=self.col_widths, style=self.style, repeatRows=1, hAlign="LEFT")


class PagedTable(Flowable):
    """The rows `start:` of a data table (see the module docstring)."""

    def __init__(self, source: TableSource, start: int = 0) -> None:
        super().__init__()
        self.source = source
        self.start = start
        self._whole: Table | None = None

    @property
    def remaining(self) -> int:
        return len(self.source.rows) - self.start

    def _rows_that_could_fit(self, height: float) -> int:
        # More rows than can fit when every row is as low as a row can be: the trial table overflows.
        return max(2, int(height / self.source.min_row_height) + 2)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        width = sum(self.source.col_widths)
        window = self._rows_that_could_fit(availHeight)
        if window < self.remaining:
            self._whole = None
            return width, availHeight + self.remaining * self.source.min_row_height  # too tall: split me
        self._whole = self.source.table(self.start, len(self.source.rows))
        self.width, self.height = self._whole.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        window = self._rows_that_could_fit(availHeight)
        while True:
            stop = min(len(self.source.rows), self.start + window)
            trial = self.source.table(self.start, stop)
            parts: list[Any] = trial.split(availWidth, availHeight)
            if not parts:
                return []  # not even the header and one row fit here: on to the next page
            if len(parts) > 1:
                placed = parts[0]._nrows - 1  # the header is not a data row
                self.source.forget(self.start, self.start + placed)
                return [parts[0], PagedTable(self.source, self.start + placed)]
            if stop == len(self.source.rows):
                return [trial]
            window *= 2  # the rows were lower than expected and all fitted: try more of them

    def draw(self) -> None:
        assert self._whole is not None, "wrap() decides whether the rest of the table fits on this page"
        self._whole.drawOn(self.canv, 0, 0)
