"""The columns of the export, titled in the manager's language (what they are: ``domain/export_columns.py``)."""

from __future__ import annotations

from ..domain.export_columns import (
    CURRENCY_SIGN, DEFAULT_COLUMN_SET, DEFAULT_COLUMNS, EXTRA_COLUMNS, HEADER_TEXTS, HEADERS, Col, Column, ColumnSet,
    HostColumn, Preset,
)
from ..i18n import translate

__all__ = [
    "CURRENCY_SIGN", "DEFAULT_COLUMN_SET", "DEFAULT_COLUMNS", "EXTRA_COLUMNS", "HEADERS", "HEADER_TEXTS", "Col",
    "Column", "ColumnSet", "HostColumn", "Preset", "column_headers", "headers",
]


def column_headers(columns: ColumnSet) -> tuple[str, ...]:
    """The header row of ``columns`` in the current locale (a shop's own header as given)."""
    return tuple(translate(text) for text in columns.header_texts())


def headers() -> tuple[str, ...]:
    """The default header row in the current locale."""
    return column_headers(DEFAULT_COLUMN_SET)
