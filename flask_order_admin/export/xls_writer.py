"""The Excel 97–2003 (.xls) backend, on xlwt.

Cells are put in rows below xlwt's per-cell setters, with two of xlwt 1.3's row internals
(``setup.cfg`` keeps xlwt below 1.4, its last release being 1.3.0);
``tests/export/test_export_xls_writer.py`` checks the files are the setters' files, byte for byte.

A link is a ``HYPERLINK`` formula that carries its label as the stored result (``LinkCell``): xlwt
writes formulas with an empty result, which readers that do not calculate (xlrd, pandas, POI-based
importers) read as an empty cell (docs/design.md, "Links in files").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from struct import pack
from typing import BinaryIO, cast

import xlwt
from xlwt.Cell import NumberCell, StrCell
from xlwt.UnicodeUtils import upack1, upack2

from .cells import DATE_FORMAT, MONEY_FORMAT, QUANTITY_FORMAT, CellValue, Link
from .links import formula_string
from .sheets import RowStyle

# BIFF8 formula tokens: a string constant, and a call of a function with a variable argument count.
PTG_STR = b"\x17"
PTG_FUNC_VAR_VALUE = 0x42
HYPERLINK_FUNCTION = 359
# BIFF8 records: FORMULA, and STRING, the text result of the formula just before it.
FORMULA_RECORD = 0x0006
STRING_RECORD = 0x0207
# A FORMULA record's 8-byte result: byte 0 = 0 (a text result, in the STRING record that follows),
# bytes 6-7 = 0xFFFF (not a number).
TEXT_RESULT = b"\x00" * 6 + b"\xff\xff"
# The day Excel's serial dates count from (the 1900 date system, past its leap-year bug).
EXCEL_EPOCH = datetime(1899, 12, 30)
# xlwt keeps every written row in memory until the file is saved; flushed rows go to a temporary file.
FLUSH_EVERY_ROWS = 1000


class HyperlinkFormula(xlwt.Formula):
    """``HYPERLINK(url; label)`` compiled straight to BIFF tokens.

    xlwt's formula parser is not used: the URL and label go in as length-prefixed
    string tokens, so no text in them can change the formula (and parsing would
    cost ~170 µs a cell). ``text()`` is the same formula as xlwt would parse it.
    """

    __slots__ = ("link", "_tokens")

    def __init__(self, link: Link) -> None:  # no super().__init__(): there is nothing to parse
        self.link = link
        self._tokens = (
            PTG_STR + upack1(link.url) + PTG_STR + upack1(link.label)
            + pack("<BBH", PTG_FUNC_VAR_VALUE, 2, HYPERLINK_FUNCTION)
        )

    def get_references(self) -> tuple[list[object], list[object]]:
        return [], []  # no references to sheets or add-in functions

    def patch_references(self, patches: list[tuple[int, int]]) -> None:
        assert not patches

    def text(self) -> str:
        return f"HYPERLINK({formula_string(self.link.url)};{formula_string(self.link.label)})"

    def rpn(self) -> bytes:
        return pack("<H", len(self._tokens)) + self._tokens


class LinkCell:
    """A ``HYPERLINK`` formula cell whose stored result is its label: a FORMULA record marked
    "text result follows", then the STRING record holding the label.

    xlwt's ``FormulaCell`` stores no result; xlwt writes any cell object with ``get_biff_data``.
    """

    __slots__ = ("rowx", "colx", "xf_idx", "link")

    def __init__(self, rowx: int, colx: int, xf_idx: int, link: Link) -> None:
        self.rowx, self.colx, self.xf_idx, self.link = rowx, colx, xf_idx, link

    def get_biff_data(self) -> bytes:
        # Row, column, XF, result, option flags (none: the stored result stands until Excel recalculates),
        # 4 unused bytes, then the tokens.
        formula = (pack("<3H", self.rowx, self.colx, self.xf_idx) + TEXT_RESULT + b"\x00" * 6
                   + HyperlinkFormula(self.link).rpn())
        text = upack2(self.link.label)  # character count, flags, characters: a label is at most 255 characters
        return (pack("<2H", FORMULA_RECORD, len(formula)) + formula
                + pack("<2H", STRING_RECORD, len(text)) + text)


def excel_serial(moment: datetime) -> float:
    """Days since Excel's epoch, as a date cell holds them."""
    return (moment.replace(tzinfo=None) - EXCEL_EPOCH).total_seconds() / 86_400


def _styles(weight: str) -> dict[str, xlwt.XFStyle]:
    return {
        "text": xlwt.easyxf(f"font: bold {weight}; align: vert top"),
        "link": xlwt.easyxf(f"font: bold {weight}, colour blue, underline single; align: vert top"),
        "money": xlwt.easyxf(f"font: bold {weight}; align: vert top", num_format_str=MONEY_FORMAT),
        "quantity": xlwt.easyxf(f"font: bold {weight}; align: vert top", num_format_str=QUANTITY_FORMAT),
        "date": xlwt.easyxf(f"font: bold {weight}; align: vert top", num_format_str=DATE_FORMAT),
    }


class XfIndexes(dict[str, int]):
    """The book's XF record index of each style of a row style, registered on first use.

    xlwt's per-cell setters look a style up again for every cell (a third of an export's
    time); a row style's few styles are looked up once here instead, in first-use order,
    so the file is the same byte for byte.
    """

    def __init__(self, book: xlwt.Workbook, styles: dict[str, xlwt.XFStyle]) -> None:
        super().__init__()
        self._book = book
        self._styles = styles

    def __missing__(self, kind: str) -> int:
        index = self[kind] = self._book.add_style(self._styles[kind])
        return index


class XlsBackend:
    rows_per_sheet = 65_536

    def __init__(self, stream: BinaryIO, scratch: Path | None = None) -> None:
        """``scratch`` is unused: xlwt keeps the workbook in memory and writes no temporary files."""
        self._stream = stream
        self._book = xlwt.Workbook(encoding="utf-8")
        self._sheet: xlwt.Worksheet | None = None
        bold = _styles("on")
        self._styles = {RowStyle.BODY: _styles("off"), RowStyle.HEADER: bold, RowStyle.TOTALS: bold}
        self._xf = {style: XfIndexes(self._book, styles) for style, styles in self._styles.items()}

    def start_sheet(self, name: str) -> None:
        self._sheet = self._book.add_sheet(name)
        # Freeze the header row.
        self._sheet.set_panes_frozen(True)
        self._sheet.set_horz_split_pos(1)
        self._sheet.set_horz_split_first_visible(1)

    def write_row(self, rowx: int, cells: Sequence[CellValue], style: RowStyle) -> None:
        """The cells as xlwt's ``Row.set_cell_*`` would write them, with the per-cell work done once a row."""
        assert self._sheet is not None
        row = self._sheet.row(rowx)
        xf, add_str, insert = self._xf[style], self._book.add_str, row.insert_cell
        first = last = None
        for colx, value in enumerate(cells):
            if value is None:
                continue
            # One type() per cell, kept in a name mypy does not narrow by: each branch casts to the type it checked.
            kind = type(value)
            if kind is str:
                insert(colx, StrCell(rowx, colx, xf["text"], add_str(cast(str, value))))  # text: never evaluated
            elif kind is Link:
                insert(colx, LinkCell(rowx, colx, xf["link"], cast(Link, value)))
            elif kind is Decimal:
                insert(colx, NumberCell(rowx, colx, xf["money"], cast(Decimal, value)))
            elif kind is datetime:
                insert(colx, NumberCell(rowx, colx, xf["date"], excel_serial(cast(datetime, value))))
            else:
                insert(colx, NumberCell(rowx, colx, xf["quantity"], cast(int, value)))  # the one type left: int
            if first is None:
                first = colx
            last = colx
        if first is not None:
            # What each set_cell_* call does besides inserting: widen the row's (and sheet's) column
            # range, and make the row tall enough for the font (every style here has the same size).
            row._Row__adjust_bound_col_idx(first, last)
            row._Row__adjust_height(self._styles[style]["text"])
        if rowx % FLUSH_EVERY_ROWS == FLUSH_EVERY_ROWS - 1:
            self._sheet.flush_row_data()

    def end_sheet(self, widths: Sequence[int]) -> None:
        assert self._sheet is not None
        for colx, width in enumerate(widths):
            self._sheet.col(colx).width = (width + 2) * 256  # in 1/256 of a '0'
        self._sheet.flush_row_data()

    def close(self) -> None:
        self._book.save(self._stream)
