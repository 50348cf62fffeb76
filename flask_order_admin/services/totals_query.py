"""Per-order line count and total of many orders at once: one aggregate, however many items they hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

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
    statement (``OrderStore.line_sums``)."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    binding = find_panel(panel, settings).store
    sums = dict.fromkeys(ids, NO_ITEMS)
    for order_id, summed in binding.line_sums(session, ids).items():
        sums[order_id] = OrderSums(summed.lines, summed.quantity, money(summed.total))
    return sums
