"""The columns of the export (docs/design.md, "Export file" and "Export columns"): what they are and how a
shop's choice of them is checked; ``export/columns.py`` titles them in the manager's language.

By default the 15 the purchasing agent expects, in their order. A shop picks others with
``ORDER_ADMIN_EXPORT_COLUMNS`` (named ones from ``Col``, and its own: a header and a callable of the
line), and names further sets a manager picks from the export menu (``ORDER_ADMIN_EXPORT_PRESETS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from operator import itemgetter
from typing import Any

from .messages import N_, NC_, Message

# Item prices are stored in yuan (docs/design.md, "Orders and their data"), so every money header carries the yuan sign.
CURRENCY_SIGN = "¥"


class Col(IntEnum):
    """Every named column, by its place in a full row (the export's rows are built in this order)."""

    CUSTOMER_NAME = 0
    CUSTOMER_ADDRESS = 1
    ORDER_NUMBER = 2
    ITEM = 3
    COLOR = 4
    SIZE = 5
    COLOR_CN = 6
    SIZE_CN = 7
    PHOTO = 8
    QUANTITY = 9
    PRICE = 10
    DISCOUNT_PRICE = 11
    CHINA_DELIVERY = 12
    CHINA_DELIVERY_TOTAL = 13
    TOTAL_PRICE = 14
    # The extras a shop may add; a row has them only when a column set asks for one .
    BUYER_PHONE = 15
    BUYER_EMAIL = 16
    ORDER_DATE = 17
    STATUS = 18
    COMMENT = 19
    ITEM_ID = 20
    ITEM_URL = 21

    @property
    def key(self) -> str:
        """The name a shop writes in its settings: ``"buyer_phone"``."""
        return self.name.lower()


DEFAULT_COLUMNS: tuple[Col, ...] = tuple(Col)[:Col.TOTAL_PRICE + 1]
EXTRA_COLUMNS: tuple[Col, ...] = tuple(Col)[Col.TOTAL_PRICE + 1:]

# In the manager's language, but for the two columns the Chinese supplier reads, titled in Chinese in every file.
HEADER_TEXTS: tuple[Message | str, ...] = (
    N_("Customer full name"),
    N_("Customer address"),
    N_("Order number"),
    N_("Item (link to Taobao)"),
    N_("Color"),
    NC_("clothing size", "Size"),
    "颜色分类",
    "尺码",
    N_("Item photo (link)"),
    N_("Quantity"),
    N_("Item price, %(currency)s", currency=CURRENCY_SIGN),
    N_("Discount price, %(currency)s", currency=CURRENCY_SIGN),
    N_("China delivery per unit, %(currency)s", currency=CURRENCY_SIGN),
    N_("Total China delivery cost for all items, %(currency)s", currency=CURRENCY_SIGN),
    N_("Total price, %(currency)s", currency=CURRENCY_SIGN),
    N_("Customer phone"),
    N_("Customer email"),
    N_("Order date, UTC"),
    NC_("export column", "Status"),
    N_("Latest note"),
    N_("Item ID"),
    N_("Item URL"),
)

assert len(HEADER_TEXTS) == len(Col)

# The English headers of the default columns (a file written outside a request, with no locale of its own).
HEADERS: tuple[str, ...] = tuple(str(HEADER_TEXTS[col]) for col in DEFAULT_COLUMNS)


@dataclass(frozen=True)
class HostColumn:
    """A shop's own column: its header (shown as given) and ``value(line)`` for each line
    (the export's ``rows.ExportLine``), returning text, a whole number, a Decimal, a datetime or None."""

    header: str | Message
    value: Callable[[Any], Any]


Column = Col | HostColumn


@dataclass(frozen=True)
class ColumnSet:
    """The columns of one file, in order; ``pick`` turns a full row into the file's row."""

    columns: tuple[Column, ...] = DEFAULT_COLUMNS

    @property
    def extras(self) -> bool:
        """Whether rows need more than the default columns' values."""
        return any(not isinstance(c, Col) or c > Col.TOTAL_PRICE for c in self.columns)

    @property
    def host_columns(self) -> tuple[HostColumn, ...]:
        return tuple(c for c in self.columns if isinstance(c, HostColumn))

    @property
    def row_width(self) -> int:
        """How many values a full row has (the export's ``rows.full_row``)."""
        return len(Col) + len(self.host_columns) if self.extras else len(DEFAULT_COLUMNS)

    @property
    def wants_comments(self) -> bool:
        return Col.COMMENT in self.columns

    def places(self) -> tuple[int, ...]:
        """Where each column's value is in a full row: host columns come after every named one."""
        host = iter(range(len(Col), len(Col) + len(self.host_columns)))
        return tuple(c if isinstance(c, Col) else next(host) for c in self.columns)

    def picker(self) -> Callable[[Sequence[Any]], tuple[Any, ...]] | None:
        """A function from a full row to the file's row; None when the full row is it."""
        places = self.places()
        if places == tuple(range(len(DEFAULT_COLUMNS))):
            return None
        get = itemgetter(*places)
        return (lambda row: (get(row),)) if len(places) == 1 else get

    def header_texts(self) -> tuple[Message | str, ...]:
        """The header row, untranslated (a host's own header as given)."""
        return tuple(HEADER_TEXTS[c] if isinstance(c, Col) else c.header for c in self.columns)


DEFAULT_COLUMN_SET = ColumnSet()


@dataclass(frozen=True)
class Preset:
    """A column set a manager picks from the export menu, under its label."""

    key: str
    label: str | Message
    columns: ColumnSet


DEFAULT_PRESET_KEY = "default"
DEFAULT_PRESET_LABEL = NC_("export preset", "Standard columns")


def column_set(value: Any) -> ColumnSet:
    """``ORDER_ADMIN_EXPORT_COLUMNS`` (or a preset's columns) checked: a ValueError names what is wrong."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        raise ValueError('must be a non-empty list of column names, e.g. ["order_number", "item", "buyer_phone"], '
                         'and (header, callable) pairs')
    by_key = {col.key: col for col in Col}
    columns: list[Column] = []
    for entry in value:
        if isinstance(entry, str):
            if entry not in by_key:
                raise ValueError(f"unknown column {entry!r} (known: {', '.join(by_key)})")
            columns.append(by_key[entry])
        elif isinstance(entry, HostColumn):
            columns.append(entry)
        elif (isinstance(entry, (tuple, list)) and len(entry) == 2 and isinstance(entry[0], (str, Message))
              and entry[0] and callable(entry[1])):
            columns.append(HostColumn(entry[0], entry[1]))
        else:
            raise ValueError(f"bad column {entry!r}: a column name, or a (header, callable of the line) pair")
    if len(columns) > 256:
        raise ValueError("has more than 256 columns, the most an .xls sheet holds")
    return ColumnSet(tuple(columns))


def presets(value: Any, default: ColumnSet) -> tuple[Preset, ...]:
    """``ORDER_ADMIN_EXPORT_PRESETS`` checked; the default column set comes first, as the preset "default"."""
    if not isinstance(value, Mapping):
        raise ValueError('must be a mapping of key to {"label": ..., "columns": [...]}, '
                         'e.g. {"china_agent": {"label": "For the agent in China", "columns": ["item_url", "item_id"]}}')
    found = [Preset(DEFAULT_PRESET_KEY, DEFAULT_PRESET_LABEL, default)]
    for key, entry in value.items():
        if (not isinstance(key, str) or not key or len(key) > 32 or key == DEFAULT_PRESET_KEY
                or not all(ch.isalnum() or ch in "_-" for ch in key)):
            raise ValueError(f'bad preset key {key!r}: 1 to 32 letters, digits, _ and -, other than "default"')
        if not isinstance(entry, Mapping) or set(entry) != {"label", "columns"}:
            raise ValueError(f'preset {key!r} must be {{"label": ..., "columns": [...]}}')
        label = entry["label"]
        if not isinstance(label, (str, Message)) or not label:
            raise ValueError(f"preset {key!r}: the label must be a non-empty string")
        try:
            columns = column_set(entry["columns"])
        except ValueError as exc:
            raise ValueError(f"preset {key!r}: columns {exc}") from None
        found.append(Preset(key, label, columns))
    return tuple(found)

