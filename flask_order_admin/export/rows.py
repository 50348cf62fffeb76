"""The rows of the export, built from an order and its items; no database, no file format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from ..domain import line_totals, money
from ..domain.messages import N_, NC_, Message
from ..i18n import translate
from .cells import CellValue
from .columns import Col
from .links import item_cell, photo_cell

Row = tuple[CellValue, ...]
# The OrderItem columns a row is made of, in the order item_row unpacks them.
ITEM_FIELDS = (
    "order_id", "title", "url", "photo_url", "color", "size", "color_cn", "size_cn",
    "quantity", "price", "discount_price", "china_delivery",
)
# Customer full name, customer address, order number: repeated on every row of the order.
OrderHead = tuple[str | None, str | None, str | None]

NO_ITEMS_NOTE = N_("This order has no items.")
NOTHING_TO_EXPORT_NOTE = N_("There is nothing to export.")
TOTALS_LABEL = NC_("export totals row", "Total")


class ExportedOrder(Protocol):
    """What the rows take from an order (an ``Order`` has it)."""

    number: str | None
    buyer_name: str
    buyer_address: str | None


def order_head(order: ExportedOrder) -> OrderHead:
    return (order.buyer_name or None, order.buyer_address or None, order.number)


def item_row(head: OrderHead, item: Sequence[Any]) -> Row:
    """One order line; ``item`` holds the values of ``ITEM_FIELDS``, in that order."""
    (_, title, url, photo_url, color, size, color_cn, size_cn, quantity, price, discount_price,
     china_delivery) = item  # unpacked once: attribute access on result rows is slow at 100,000 rows
    totals = line_totals(quantity or 0, price, discount_price, china_delivery)
    # In the order of Col (called once a row, so a plain tuple rather than a mapping).
    return (
        *head,
        item_cell(title, url),
        color or None,
        size or None,
        color_cn or None,
        size_cn or None,
        photo_cell(photo_url),
        totals.quantity,
        money(price),
        None if discount_price is None else money(discount_price),
        money(china_delivery),
        totals.china_delivery,
        totals.total,
    )


def _row(values: dict[Col, CellValue]) -> Row:
    return tuple(values.get(col) for col in Col)


def no_items_row(head: OrderHead) -> Row:
    """Stands for an order without items, so that no exported order goes missing from the file."""
    return _row({**dict(zip(Col, head)), Col.ITEM: translate(NO_ITEMS_NOTE)})


def note_row(text: Message | str) -> Row:
    return _row({Col.CUSTOMER_NAME: translate(text)})


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

    def row(self) -> Row:
        return _row({
            Col.CUSTOMER_NAME: translate(TOTALS_LABEL),
            Col.QUANTITY: self.quantity,
            Col.CHINA_DELIVERY_TOTAL: self.china_delivery,
            Col.TOTAL_PRICE: self.total,
        })
