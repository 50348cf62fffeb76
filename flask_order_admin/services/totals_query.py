"""Per-order line count and total of many orders at once: one aggregate, however many items they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.totals import ZERO, money
from ..models import OrderItem


@dataclass(frozen=True)
class OrderSums:
    """What a list row shows of an order's items (totals as in ``domain.totals``: goods at the unit
    price charged plus China delivery, both per unit × quantity)."""

    lines: int
    quantity: int
    total: Decimal


NO_ITEMS = OrderSums(0, 0, ZERO)


def item_sums_by_order(session: Session, order_ids: Iterable[int]) -> dict[int, OrderSums]:
    """``{order_id: OrderSums}`` for each of ``order_ids`` (orders without items too), in one
    ``GROUP BY order_id`` statement over the order_id index: no item row reaches Python."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    unit = func.coalesce(OrderItem.discount_price, OrderItem.price)
    rows = session.execute(
        select(
            OrderItem.order_id,
            func.count(OrderItem.id),
            func.coalesce(func.sum(OrderItem.quantity), 0),
            func.coalesce(func.sum((unit + OrderItem.china_delivery) * OrderItem.quantity), 0),
        ).where(OrderItem.order_id.in_(ids)).group_by(OrderItem.order_id)
    ).all()
    sums = dict.fromkeys(ids, NO_ITEMS)
    for order_id, lines, quantity, total in rows:
        sums[order_id] = OrderSums(int(lines), int(quantity), money(total))
    return sums
