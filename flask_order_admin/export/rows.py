"""The rows of the export, built from an order and its items; no database, no file format."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from ..domain import line_totals, money
from ..domain.messages import N_, NC_, Message
from ..i18n import translate
from .cells import CellValue, host_cell
from .columns import DEFAULT_COLUMNS, Col, HostColumn
from ..errors import ExportColumnFailed
from .links import absolute_url, item_cell, photo_cell

logger = logging.getLogger("flask_order_admin.export")

Row = tuple[CellValue, ...]
# The OrderItem columns a row is made of, in the order item_row unpacks them.
ITEM_FIELDS = (
    "order_id", "title", "url", "photo_url", "color", "size", "color_cn", "size_cn",
    "quantity", "price", "discount_price", "china_delivery", "provider_item_id",
)
URL_AT, ITEM_ID_AT = ITEM_FIELDS.index("url"), ITEM_FIELDS.index("provider_item_id")
# A row of the default columns; a column set with extras has full rows (``full_row``), wider.
DEFAULT_WIDTH = len(DEFAULT_COLUMNS)
# Customer full name, customer address, order number: repeated on every row of the order.
OrderHead = tuple[str | None, str | None, str | None]
# Customer phone, email, order date, status, latest note: the extra columns of the order (Col.BUYER_PHONE…).
OrderExtras = tuple[str | None, str | None, datetime | None, str, str | None]

NO_ITEMS_NOTE = N_("This order has no items.")
NOTHING_TO_EXPORT_NOTE = N_("There is nothing to export.")
TOTALS_LABEL = NC_("export totals row", "Total")


class ExportedOrder(Protocol):
    """What the rows take from an order (an ``Order`` has it)."""

    number: str | None
    buyer_name: str
    buyer_address: str | None


class ExtraOrder(ExportedOrder, Protocol):
    """What the extra columns take from an order (an ``OrderRecord`` has it)."""

    buyer_phone: str | None
    buyer_email: str | None
    created_at: datetime | None

    @property
    def status_label(self) -> Message: ...


def order_head(order: ExportedOrder) -> OrderHead:
    return (order.buyer_name or None, order.buyer_address or None, order.number)


def order_extras(order: ExtraOrder, latest_note: str | None) -> OrderExtras:
    return (order.buyer_phone or None, order.buyer_email or None, order.created_at,
            translate(order.status_label), latest_note or None)


class ExportLine:
    """What a shop's own column (``HostColumn``) is called with: the line's fields by the plugin's
    names (``line.title``, ``line.quantity``, ``line.provider_item_id``…) and ``line.order``, the
    order's record (``line.order.number``, ``line.order.obj`` — the shop's own order object)."""

    __slots__ = ("order", *ITEM_FIELDS)

    def __init__(self, order: Any, item: Sequence[Any]) -> None:
        self.order = order
        for name, value in zip(ITEM_FIELDS, item):
            setattr(self, name, value)


def item_row(head: OrderHead, item: Sequence[Any], base_url: str | None = None) -> Row:
    """One order line; ``item`` holds the values of ``ITEM_FIELDS``, in that order; relative URLs are
    made absolute on ``base_url``."""
    (_, title, url, photo_url, color, size, color_cn, size_cn, quantity, price, discount_price,
     china_delivery, _) = item  # unpacked once: attribute access on result rows is slow at 100,000 rows
    totals = line_totals(quantity or 0, price, discount_price, china_delivery)
    # In the order of Col (called once a row, so a plain tuple rather than a mapping).
    return (
        *head,
        item_cell(title, url, base_url),
        color or None,
        size or None,
        color_cn or None,
        size_cn or None,
        photo_cell(photo_url, base_url),
        totals.quantity,
        money(price),
        None if discount_price is None else money(discount_price),
        money(china_delivery),
        totals.china_delivery,
        totals.total,
    )


def full_row(row: Row, item: Sequence[Any], extras: OrderExtras, base_url: str | None,
             host_values: Callable[[Sequence[Any]], tuple[CellValue, ...]] | None) -> Row:
    """``item_row``'s row with every extra column after it (``Col`` order), then the shop's own columns."""
    url = item[URL_AT]
    row = (*row, *extras, item[ITEM_ID_AT] or None, absolute_url(url, base_url) if url else None)
    return row if host_values is None else row + host_values(item)


def host_values_of(order: Any, columns: Sequence[HostColumn]) -> Callable[[Sequence[Any]], tuple[CellValue, ...]]:
    """The shop's own columns' values of one line of ``order``; ExportColumnFailed when a callable raises."""
    def values(item: Sequence[Any]) -> tuple[CellValue, ...]:
        line = ExportLine(order, item)
        found = []
        for column in columns:
            try:
                found.append(host_cell(column.value(line)))
            except Exception as error:
                logger.exception("export column %r failed on order %s", str(column.header), order.number)
                raise ExportColumnFailed(column.header, order.number, error) from error
        return tuple(found)

    return values


def _row(values: dict[Col, CellValue], width: int = DEFAULT_WIDTH) -> Row:
    return tuple(values.get(Col(colx)) if colx < len(Col) else None for colx in range(width))


def no_items_row(head: OrderHead, extras: OrderExtras | None = None, width: int = DEFAULT_WIDTH) -> Row:
    """Stands for an order without items, so that no exported order goes missing from the file."""
    values: dict[Col, CellValue] = {**dict(zip(Col, head)), Col.ITEM: translate(NO_ITEMS_NOTE)}
    if extras is not None:
        values.update(zip(list(Col)[Col.BUYER_PHONE:], extras))
    return _row(values, width)


def note_row(text: Message | str, width: int = DEFAULT_WIDTH) -> Row:
    return _row({Col.CUSTOMER_NAME: translate(text)}, width)


@dataclass
class ColumnTotals:
    """Sums of the columns the totals row shows, added up from the rows as written."""

    quantity: int = 0
    china_delivery: Decimal = field(default_factory=lambda: Decimal("0.00"))
    total: Decimal = field(default_factory=lambda: Decimal("0.00"))

    def add(self, row: Row) -> None:
        self.quantity += row[Col.QUANTITY] or 0  # type: ignore[operator, assignment]
        self.china_delivery += row[Col.CHINA_DELIVERY_TOTAL] or 0  # type: ignore[operator]
        self.total += row[Col.TOTAL_PRICE] or 0  # type: ignore[operator]

    def row(self, width: int = DEFAULT_WIDTH) -> Row:
        return _row({
            Col.CUSTOMER_NAME: translate(TOTALS_LABEL),
            Col.QUANTITY: self.quantity,
            Col.CHINA_DELIVERY_TOTAL: self.china_delivery,
            Col.TOTAL_PRICE: self.total,
        }, width)
