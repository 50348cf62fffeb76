"""Cell values and the text limits every spreadsheet format shares."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

# Excel (xls and xlsx) keeps at most 32,767 characters in a cell, counted in UTF-16 units.
CELL_TEXT_LIMIT = 32_767
CUT_MARKER = "… [cut]"
# Number formats of money (yuan, to the cent) and quantity cells, the same in every file format.
MONEY_FORMAT = "#,##0.00"
QUANTITY_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
DATE_WIDTH = len("2026-01-28 15:30")
# Column widths stop growing here, in character widths, so one long title does not make a wall.
WIDEST_COLUMN = 60


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink that passed the link rules (see ``links.py``)."""

    url: str
    label: str


# What a row holds: text, a link, money (Decimal, yuan), a count (int), a time (naive UTC) or nothing.
CellValue = str | Link | Decimal | int | datetime | None


def host_cell(value: Any) -> CellValue:
    """A shop's own column's value as a cell: numbers and times stay so, anything else becomes text."""
    if value is None or isinstance(value, (str, Decimal, datetime)):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return str(value)


def utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def fit_text(text: str, limit: int = CELL_TEXT_LIMIT) -> str:
    """The text, or its start and a visible marker when it has more than ``limit`` UTF-16 units."""
    if len(text) * 2 <= limit or utf16_length(text) <= limit:
        return text
    room = limit - len(CUT_MARKER)
    kept = text[:room]
    # An astral character (emoji) takes two units: drop as many characters as units are over.
    while (over := utf16_length(kept) - room) > 0:
        kept = kept[:-over]
    return kept + CUT_MARKER


def wide_width_bound(text: str) -> int:
    """An upper bound of ``display_width(text)``, at C speed.

    A wide character (U+1100 and up) takes at least 3 bytes in UTF-8, two more than its one
    character, and adds one '0' width; so half the extra bytes is at least the wide ones' count.
    """
    extra = len(text.encode("utf-8", "surrogatepass")) - len(text)
    return len(text) + extra // 2


def display_width(value: str | Link | Decimal | int | datetime) -> int:
    """About how many '0' widths the value needs on screen, capped at ``WIDEST_COLUMN``."""
    if isinstance(value, datetime):
        return DATE_WIDTH
    if isinstance(value, Link):
        value = value.label
    elif not isinstance(value, str):
        return len(f"{value:,}")  # a number, with thousands separators as the cell shows it
    if len(value) >= WIDEST_COLUMN:
        return WIDEST_COLUMN
    if value.isascii():
        return len(value)
    # Chinese characters are about two digits wide.
    wide = sum(1 for ch in value if unicodedata.east_asian_width(ch) in "WF")
    return min(len(value) + wide, WIDEST_COLUMN)
