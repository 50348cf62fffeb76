"""The .xls backend writes cells below xlwt's per-cell setters: its files must be the setters' files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import xlrd

from flask_order_admin.export.cells import CellValue, Link
from flask_order_admin.export.columns import HEADERS, Col
from flask_order_admin.export.sheets import RowStyle, write_sheets
from flask_order_admin.export.xls_writer import FLUSH_EVERY_ROWS, LinkCell, XlsBackend


class PublicSetterBackend(XlsBackend):
    """Writes every cell through xlwt's public ``Row.set_cell_*`` calls: the reference.

    xlwt has no setter for a formula with a stored result: a link goes in as a blank cell of its style
    (which does the setters' bookkeeping), then the ``LinkCell`` takes its place.
    """

    def write_row(self, rowx: int, cells: Sequence[CellValue], style: RowStyle) -> None:
        row = self._sheet.row(rowx)
        styles = self._styles[style]
        for colx, value in enumerate(cells):
            if value is None:
                continue
            if type(value) is str:
                row.set_cell_text(colx, value, styles["text"])
            elif type(value) is Link:
                row.set_cell_blank(colx, styles["link"])
                self._sheet._cell_overwrite_ok = True
                row.insert_cell(colx, LinkCell(rowx, colx, self._book.add_style(styles["link"]), value))
            elif type(value) is Decimal:
                row.set_cell_number(colx, value, styles["money"])
            else:
                row.set_cell_number(colx, value, styles["quantity"])
        if rowx % FLUSH_EVERY_ROWS == FLUSH_EVERY_ROWS - 1:
            self._sheet.flush_row_data()


def sample_rows(count: int) -> list[tuple[CellValue, ...]]:
    rows = []
    for n in range(count):
        cells: list[CellValue] = [None] * len(HEADERS)
        # Rows that start and end at different columns, so each row's column range matters.
        for colx in range(n % 3, len(HEADERS) - n % 4):
            kind = (n + colx) % 5
            cells[colx] = (
                f"连衣裙 {n}-{colx}" if kind == 0 else
                Link(f"https://item.taobao.com/item.htm?id={n}", f"Item {n}") if kind == 1 else
                Decimal(n) / 4 if kind == 2 else
                n * colx if kind == 3 else None
            )
        # The columns the totals row adds up hold numbers, as in an export.
        cells[Col.QUANTITY] = n % 7 or None
        cells[Col.CHINA_DELIVERY_TOTAL] = cells[Col.TOTAL_PRICE] = Decimal(n) / 8
        rows.append(tuple(cells))
    return rows


def written(backend_class: type[XlsBackend], rows: list[tuple[CellValue, ...]], rows_per_sheet: int) -> bytes:
    stream = io.BytesIO()
    backend = backend_class(stream)
    backend.rows_per_sheet = rows_per_sheet
    write_sheets(backend, rows)
    return stream.getvalue()


def test_files_are_byte_for_byte_those_of_xlwts_own_setters() -> None:
    rows = sample_rows(2 * FLUSH_EVERY_ROWS + 17)  # past two flushes, and over two sheets
    ours = written(XlsBackend, rows, rows_per_sheet=1500)
    assert ours == written(PublicSetterBackend, rows, rows_per_sheet=1500)
    book = xlrd.open_workbook(file_contents=ours)
    assert [sheet.nrows for sheet in book.sheets()] == [1500, len(rows) + 2 + 1 - 1500]


def test_an_empty_row_and_a_one_cell_row_match_too() -> None:
    one = [None] * len(HEADERS)
    one[4] = "only"
    rows = [tuple([None] * len(HEADERS)), tuple(one)]
    assert written(XlsBackend, rows, 100) == written(PublicSetterBackend, rows, 100)
