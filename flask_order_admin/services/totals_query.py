"""Per-order line count and total of many orders at once: one aggregate, however many items they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..store import FieldJoins
from ..domain.totals import ZERO, money
from ..settings import Settings
from .app_panel import ServicePanel, find_panel


@dataclass(frozen=True)
class OrderSums:
    """What a list row shows of an order's items (totals as in ``domain.totals``: goods at the unit
    price charged plus China delivery, both per unit × quantity)."""

    lines: int
    quantity: int
    total: Decimal


NO_ITEMS = OrderSums(0, 0, ZERO)


def item_sums_by_order(
    session: Session, order_ids: Iterable[int], *, panel: ServicePanel | None = None, settings: Settings | None = None
) -> dict[int, OrderSums]:
    """``{order_id: OrderSums}`` for each of ``order_ids`` (orders without items too), in one
    ``GROUP BY order_id`` statement over the order_id index: no item row reaches Python."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    binding = find_panel(panel, settings).store
    joins = FieldJoins(binding.line)
    quantity, price, discount, delivery = (
        joins.column(binding.line_field(name)) for name in ("quantity", "price", "discount_price", "china_delivery")
    )
    unit = func.coalesce(discount, price)
    order_id = binding.line_order_id
    rows = session.execute(joins.apply(
        select(
            order_id,
            func.count(binding.line_pk),
            func.coalesce(func.sum(quantity), 0),
            func.coalesce(func.sum((unit + delivery) * quantity), 0),
        ).select_from(binding.line)
    ).where(order_id.in_(ids)).group_by(order_id)).all()
    sums = dict.fromkeys(ids, NO_ITEMS)
    for row_order_id, lines, total_quantity, total in rows:
        sums[row_order_id] = OrderSums(int(lines), int(total_quantity), money(total))
    return sums
