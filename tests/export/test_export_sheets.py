"""Laying rows out on sheets, without a database: splitting, totals, limits, text stays text."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

import pytest
import xlrd
from hypothesis import given
from hypothesis import strategies as st

from flask_order_admin.export.cells import (
    CELL_TEXT_LIMIT, CUT_MARKER, CellValue, display_width, fit_text, utf16_length, wide_width_bound,
)
from flask_order_admin.export.columns import HEADERS, Col
from flask_order_admin.export.rows import NOTHING_TO_EXPORT_NOTE, TOTALS_LABEL, Row
from flask_order_admin.export.sheets import RowStyle, write_sheets
from flask_order_admin.export.xls_writer import XlsBackend


class RecordingBackend:
    """Keeps what it is asked to write, sheet by sheet."""

    def __init__(self, rows_per_sheet: int) -> None:
        self.rows_per_sheet = rows_per_sheet
        self.sheets: list[tuple[str, list[tuple[int, RowStyle, list[CellValue]]]]] = []
        self.widths: list[list[int]] = []
        self.closed = False

    def start_sheet(self, name: str) -> None:
        self.sheets.append((name, []))

    def write_row(self, rowx: int, cells: Sequence[CellValue], style: RowStyle) -> None:
        self.sheets[-1][1].append((rowx, style, list(cells)))

    def end_sheet(self, widths: Sequence[int]) -> None:
        self.widths.append(list(widths))

    def close(self) -> None:
        self.closed = True


def numbered_row(n: int) -> Row:
    cells: list[CellValue] = [None] * len(HEADERS)
    cells[Col.ORDER_NUMBER] = f"ORD-{n}"
    cells[Col.QUANTITY] = 1
    cells[Col.TOTAL_PRICE] = Decimal("1.50")
    return tuple(cells)


def test_a_full_sheet_continues_on_the_next_with_the_header_repeated() -> None:
    backend = RecordingBackend(rows_per_sheet=4)
    assert write_sheets(backend, (numbered_row(n) for n in range(7))) == 7
    assert [name for name, _ in backend.sheets] == ["Items", "Items 2", "Items 3"]
    for _, rows in backend.sheets:
        assert rows[0][1] is RowStyle.HEADER and tuple(rows[0][2]) == HEADERS
        assert [rowx for rowx, _, _ in rows] == list(range(len(rows)))
        assert len(rows) <= 4
    body = [cells for _, rows in backend.sheets for _, style, cells in rows if style is RowStyle.BODY]
    assert [cells[Col.ORDER_NUMBER] for cells in body] == [f"ORD-{n}" for n in range(7)]
    totals = backend.sheets[-1][1][-1]
    assert totals[1] is RowStyle.TOTALS
    assert totals[2][Col.CUSTOMER_NAME] == str(TOTALS_LABEL)
    assert totals[2][Col.QUANTITY] == 7 and totals[2][Col.TOTAL_PRICE] == Decimal("10.50")
    assert len(backend.widths) == 3 and backend.closed


def test_when_the_last_sheet_is_exactly_full_the_totals_go_on_a_new_one() -> None:
    backend = RecordingBackend(rows_per_sheet=4)
    write_sheets(backend, (numbered_row(n) for n in range(3)))
    assert [len(rows) for _, rows in backend.sheets] == [4, 2]
    assert backend.sheets[1][1][1][1] is RowStyle.TOTALS


def test_nothing_to_export_still_makes_a_sheet_with_header_note_and_totals() -> None:
    backend = RecordingBackend(rows_per_sheet=10)
    assert write_sheets(backend, []) == 0
    [(_, rows)] = backend.sheets
    assert [style for _, style, _ in rows] == [RowStyle.HEADER, RowStyle.BODY, RowStyle.TOTALS]
    assert rows[1][2][Col.CUSTOMER_NAME] == str(NOTHING_TO_EXPORT_NOTE)


def test_widths_fit_the_content_and_stop_at_a_cap() -> None:
    backend = RecordingBackend(rows_per_sheet=10)
    cells: list[CellValue] = [None] * len(HEADERS)
    cells[Col.COLOR_CN] = "红色" * 10  # 20 wide characters
    cells[Col.CUSTOMER_ADDRESS] = "x" * 500
    cells[Col.TOTAL_PRICE] = Decimal("1234567.89")
    write_sheets(backend, [tuple(cells)])
    [widths] = backend.widths
    assert widths[Col.COLOR_CN] == 40
    assert widths[Col.CUSTOMER_ADDRESS] == 60
    assert widths[Col.TOTAL_PRICE] == len(HEADERS[Col.TOTAL_PRICE])  # the header is wider than "1,234,567.89"


@given(st.lists(st.text(max_size=80), min_size=1, max_size=6))
def test_a_column_is_as_wide_as_its_widest_cell(texts: list[str]) -> None:
    # The cheap bound that skips most measuring must never skip a cell that would widen the column.
    backend = RecordingBackend(rows_per_sheet=100)
    rows = []
    for text in texts:
        cells: list[CellValue] = [None] * len(HEADERS)
        cells[Col.SIZE_CN] = text or None
        rows.append(tuple(cells))
    write_sheets(backend, rows)
    [widths] = backend.widths
    assert widths[Col.SIZE_CN] == max(display_width(t) for t in [HEADERS[Col.SIZE_CN], *texts] if t)


@given(st.text())
def test_the_cheap_width_bound_is_never_below_the_width(text: str) -> None:
    assert wide_width_bound(text) >= display_width(text)


def test_over_long_text_is_cut_with_a_visible_marker() -> None:
    assert fit_text("short") == "short"
    cut = fit_text("连" * 40_000)
    assert len(cut) == CELL_TEXT_LIMIT and cut.endswith(CUT_MARKER)
    emoji = fit_text("😀" * 20_000)  # two UTF-16 units each
    assert utf16_length(emoji) <= CELL_TEXT_LIMIT and emoji.endswith(CUT_MARKER)


@pytest.mark.parametrize(("count", "sheet_rows"), [
    (65_534, [65_536]),  # header, 65,534 items, totals: exactly full
    (65_535, [65_536, 2]),  # the totals row starts a second sheet
    (70_000, [65_536, 70_000 - 65_535 + 2]),
])
def test_at_the_xls_row_limit_sheets_split_and_nothing_is_lost(count: int, sheet_rows: list[int]) -> None:
    backend = RecordingBackend(rows_per_sheet=XlsBackend.rows_per_sheet)
    write_sheets(backend, (numbered_row(n) for n in range(count)))
    assert [len(rows) for _, rows in backend.sheets] == sheet_rows
    body = [cells for _, rows in backend.sheets for _, style, cells in rows if style is RowStyle.BODY]
    assert [cells[Col.ORDER_NUMBER] for cells in body] == [f"ORD-{n}" for n in range(count)]
    assert backend.sheets[-1][1][-1][2][Col.QUANTITY] == count


def test_formula_looking_text_is_a_text_cell(xls_formulas) -> None:
    texts = ["=1+1", "+SUM(A1:A2)", "-2+3", "@HYPERLINK(\"http://evil/\")", '=HYPERLINK("http://evil/";"x")']
    rows = []
    for text in texts:
        cells: list[CellValue] = [None] * len(HEADERS)
        cells[Col.ITEM] = text
        cells[Col.COLOR] = text
        rows.append(tuple(cells))
    stream = io.BytesIO()
    write_sheets(XlsBackend(stream), rows)
    book = xlrd.open_workbook(file_contents=stream.getvalue())
    sheet = book.sheet_by_index(0)
    for rowx, text in enumerate(texts, 1):
        assert sheet.cell_type(rowx, Col.ITEM) == xlrd.XL_CELL_TEXT
        assert sheet.cell_value(rowx, Col.ITEM) == text
    assert xls_formulas(stream.getvalue()) == {}
