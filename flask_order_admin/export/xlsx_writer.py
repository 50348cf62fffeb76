"""The opt-in Excel 2007+ (.xlsx) backend, on XlsxWriter (``pip install flask-order-admin[xlsx]``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from .cells import DATE_FORMAT, MONEY_FORMAT, QUANTITY_FORMAT, CellValue, Link
from .links import formula_string
from .sheets import RowStyle


def _xlsxwriter() -> Any:
    try:
        import xlsxwriter
    except ImportError as exc:  # an optional dependency: say how to get it
        raise RuntimeError(
            'Export to .xlsx needs XlsxWriter: pip install "flask-order-admin[xlsx]", '
            'or remove "xlsx" from ORDER_ADMIN_EXPORT_FORMATS.'
        ) from exc
    return xlsxwriter


class XlsxBackend:
    rows_per_sheet = 1_048_576

    def __init__(self, stream: BinaryIO, scratch: Path | None = None) -> None:
        self._book = _xlsxwriter().Workbook(stream, {
            "constant_memory": True,  # rows go to a temporary file as they are written …
            "tmpdir": None if scratch is None else str(scratch),  # … in this folder (export/scratch.py)
            # Text is always text: never turned into a formula, a number or a link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        })
        self._sheet: Any = None
        self._formats = {style: self._style_formats(style is not RowStyle.BODY) for style in RowStyle}

    def _style_formats(self, bold: bool) -> dict[str, Any]:
        base = {"bold": bold, "valign": "top"}
        return {
            "text": self._book.add_format(base),
            "link": self._book.add_format({**base, "font_color": "blue", "underline": 1}),
            "money": self._book.add_format({**base, "num_format": MONEY_FORMAT}),
            "quantity": self._book.add_format({**base, "num_format": QUANTITY_FORMAT}),
            "date": self._book.add_format({**base, "num_format": DATE_FORMAT}),
        }

    def start_sheet(self, name: str) -> None:
        self._sheet = self._book.add_worksheet(name)
        self._sheet.freeze_panes(1, 0)

    def write_row(self, rowx: int, cells: Sequence[CellValue], style: RowStyle) -> None:
        formats = self._formats[style]
        for colx, value in enumerate(cells):
            if value is None:
                continue
            if isinstance(value, str):
                self._sheet.write_string(rowx, colx, value, formats["text"])
            elif isinstance(value, Link):
                # A formula, not a hyperlink record: same rules as .xls, and no 65,530-links-a-sheet limit.
                # The label is its stored result, for readers that do not calculate.
                formula = f"=HYPERLINK({formula_string(value.url)},{formula_string(value.label)})"
                self._sheet.write_formula(rowx, colx, formula, formats["link"], value.label)
            elif isinstance(value, Decimal):
                self._sheet.write_number(rowx, colx, float(value), formats["money"])
            elif isinstance(value, datetime):
                self._sheet.write_datetime(rowx, colx, value.replace(tzinfo=None), formats["date"])
            else:
                self._sheet.write_number(rowx, colx, value, formats["quantity"])

    def end_sheet(self, widths: Sequence[int]) -> None:
        for colx, width in enumerate(widths):
            self._sheet.set_column(colx, colx, width + 2)

    def close(self) -> None:
        self._book.close()
