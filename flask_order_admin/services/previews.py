"""What a confirm screen shows before an action changes anything: the order at a glance, and for a
merge the basic order as it will be afterwards. Reads only; the action itself re-checks everything
under its lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..domain import OrderStatus
from ..store.records import LineRecord, OrderRecord, line_records
from .app_panel import ServicePanel
from .totals_query import OrderSums, item_sums_by_order

# Lines a confirm screen lists per order; the counts and totals always cover every line.
SHOWN_LINES = 10


@dataclass(frozen=True)
class OrderGlance:
    """An order as a confirm screen shows it: its record (buyer, status), its first lines and its sums."""

    order: OrderRecord
    lines: list[LineRecord]
    sums: OrderSums

    @property
    def more_lines(self) -> int:
        """Lines not listed."""
        return self.sums.lines - len(self.lines)


@dataclass(frozen=True)
class MovedLine:
    line: LineRecord
    from_order: OrderRecord | None  # the order it moves from; None: already in the basic order


@dataclass(frozen=True)
class MergePreview:
    """Both orders as they are, and the basic order after the merge: every line of both, its new status."""

    added: OrderGlance
    basic: OrderGlance
    after_status: OrderStatus
    after_lines: list[MovedLine]
    after_sums: OrderSums

    @property
    def more_lines_after(self) -> int:
        return self.after_sums.lines - len(self.after_lines)


def order_glances(session: Session, orders: list[OrderRecord], panel: ServicePanel) -> list[OrderGlance]:
    """Each order with its first ``SHOWN_LINES`` lines (one statement per order) and its sums (one for all)."""
    binding = panel.store
    sums = item_sums_by_order(session, [order.id for order in orders], panel=panel)
    glances = []
    for order in orders:
        lines = binding.first_lines(session, order.id, SHOWN_LINES)
        glances.append(OrderGlance(order, line_records(session, binding, order.id, lines), sums[order.id]))
    return glances


def contents(session: Session, orders: list[OrderRecord], panel: ServicePanel) -> dict[int, OrderGlance]:
    """What each order holds, for a page that compares several (merge candidates): its first ``SHOWN_LINES``
    lines and its sums, in two statements whatever the number of orders. The lines' origins are not read."""
    binding = panel.store
    ids = [order.id for order in orders]
    sums = item_sums_by_order(session, ids, panel=panel)
    found: Iterable[Any] = binding.first_lines_of_orders(session, ids, SHOWN_LINES)
    lines: dict[int, list[LineRecord]] = {order_id: [] for order_id in ids}
    for line in found:
        record = LineRecord(binding, line)
        lines[record.order_id].append(record)
    return {order.id: OrderGlance(order, lines[order.id], sums[order.id]) for order in orders}


def merged_sums(basic: OrderSums, added: OrderSums) -> OrderSums:
    """The basic order's sums after the merge: a merge moves every line, so counts and money add up."""
    return OrderSums(basic.lines + added.lines, basic.quantity + added.quantity, basic.total + added.total)


def preview_merge(session: Session, added: OrderRecord, basic: OrderRecord, panel: ServicePanel) -> MergePreview:
    """The two orders side by side and the basic order as the merge would leave it."""
    added_glance, basic_glance = order_glances(session, [added, basic], panel)
    after = [MovedLine(line, None) for line in basic_glance.lines]
    after += [MovedLine(line, added) for line in added_glance.lines]
    return MergePreview(
        added=added_glance, basic=basic_glance, after_status=panel.settings.merge_result_status,
        after_lines=after, after_sums=merged_sums(basic_glance.sums, added_glance.sums),
    )
