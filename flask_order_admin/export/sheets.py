"""Lays rows out on sheets, whatever the file format: header, split when a sheet is full, totals.

A format is a small ``SheetBackend``; everything the formats share is decided here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Protocol

from .cells import CELL_TEXT_LIMIT, WIDEST_COLUMN, CellValue, Link, display_width, fit_text, wide_width_bound
from ..domain.messages import NC_
from ..i18n import translate
from .columns import DEFAULT_COLUMN_SET, ColumnSet, column_headers
from .rows import NOTHING_TO_EXPORT_NOTE, TOTALS_LABEL, ColumnTotals, Row, note_row

SHEET_NAME = NC_("export sheet", "Items")
# A text this long cannot pass the cell limit, even in two-unit characters: no need to check it.
SHORT_TEXT = CELL_TEXT_LIMIT // 2


class RowStyle(Enum):
    HEADER = "header"
    BODY = "body"
    TOTALS = "totals"


class SheetBackend(Protocol):
    """Writes cells in one file format. Rows arrive in order, sheet by sheet."""

    rows_per_sheet: int  # including the header row

    def start_sheet(self, name: str) -> None: ...

    def write_row(self, rowx: int, cells: Sequence[CellValue], style: RowStyle) -> None: ...

    def end_sheet(self, widths: Sequence[int]) -> None: ...

    def close(self) -> None: ...


def sheet_name(index: int) -> str:
    name = translate(SHEET_NAME)
    return name if index == 1 else f"{name} {index}"


class SheetLayout:
    """Appends rows, starting a new sheet with the header repeated when the current one is full."""

    def __init__(self, backend: SheetBackend, headers: Sequence[str]) -> None:
        self.backend = backend
        self.headers = headers
        self.sheets = 0
        self.rowx = 0
        self.widths: list[int] = []
        self.largest: list[Decimal | int] = []  # the largest number seen in each column

    def append(self, cells: Sequence[CellValue], style: RowStyle = RowStyle.BODY) -> None:
        if self.sheets == 0 or self.rowx == self.backend.rows_per_sheet:
            self._next_sheet()
        self.backend.write_row(self.rowx, self._fit_and_measure(cells), style)
        self.rowx += 1

    def close(self) -> None:
        self.backend.end_sheet(self.widths)
        self.backend.close()

    def _next_sheet(self) -> None:
        if self.sheets:
            self.backend.end_sheet(self.widths)
        self.sheets += 1
        self.rowx = 0
        self.backend.start_sheet(sheet_name(self.sheets))
        self.widths = [0] * len(self.headers)
        self.largest = [0] * len(self.headers)
        self.append(self.headers, RowStyle.HEADER)

    def _fit_and_measure(self, cells: Sequence[CellValue]) -> list[CellValue]:
        """Cut over-long texts, and grow the column widths to the cells.

        One pass, measuring only what could widen a column: this runs for every cell.
        """
        fitted = list(cells)
        widths, largest = self.widths, self.largest
        for colx, value in enumerate(fitted):
            if value is None:
                continue
            if isinstance(value, str) and len(value) > SHORT_TEXT:
                fitted[colx] = value = fit_text(value)
            if widths[colx] >= WIDEST_COLUMN:
                continue
            if isinstance(value, (str, Link)):
                text = value.label if isinstance(value, Link) else value
                if 2 * len(text) <= widths[colx]:  # a character is at most two '0's wide
                    continue
                if text.isascii():  # exactly one '0' per character
                    widths[colx] = min(max(widths[colx], len(text)), WIDEST_COLUMN)
                    continue
                if wide_width_bound(text) <= widths[colx]:
                    continue
            elif isinstance(value, datetime):
                pass
            elif value <= largest[colx]:
                continue
            else:
                largest[colx] = value
            widths[colx] = max(widths[colx], display_width(value))
        return fitted


def _whole_row(row: Row) -> Row:
    """The file's row when the column set is the full one (``picker()`` is None)."""
    return row


def write_sheets(backend: SheetBackend, rows: Iterable[Row], columns: ColumnSet = DEFAULT_COLUMN_SET) -> int:
    """Write the ``columns`` of the (full) rows and a totals row; return how many rows (without header and
    totals) were written. The totals row sums quantity, China delivery and total where those columns are."""
    layout = SheetLayout(backend, column_headers(columns))
    totals = ColumnTotals()
    pick = columns.picker() or _whole_row
    count = 0
    for row in rows:
        layout.append(pick(row))
        totals.add(row)
        count += 1
    width = columns.row_width
    if count == 0:
        layout.append(pick(note_row(NOTHING_TO_EXPORT_NOTE, width)))
    totals_row = list(pick(totals.row(width)))
    label = translate(TOTALS_LABEL)
    if totals_row[0] is None and label not in totals_row and any(value is not None for value in totals_row):
        totals_row[0] = label  # the label's own column is not in the set: the first column says it
    layout.append(totals_row, RowStyle.TOTALS)
    layout.close()
    return count
