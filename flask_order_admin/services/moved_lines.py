"""Where the lines of a merged order are now.

A merge moves every line of the added order into the basic one, and a line keeps the order it was first
placed in (its origin: a column of the plugin's lines, ``order_admin_line_origins`` for a shop's). The
lines that left a merged order X are therefore all in one order now, the end of X's chain of merges
(X → basic → … → the first order not merged itself), and they are those whose origin is X, or an order
whose own merges led into X (its lines passed through X). Nothing is written to know it: the merge links
(``merged_into_id``) and the origins say it all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..store.records import LineRecord, OrderRecord, line_records
from .app_panel import ServicePanel

# A chain of merges longer than this is not followed (each link is one merge a manager made).
MAX_CHAIN = 100


@dataclass(frozen=True)
class MovedLines:
    holder_id: int | None  # the order that holds them now; None: the chain is broken (an order deleted)
    lines: list[LineRecord]


def moved_lines(session: Session, panel: ServicePanel, order: OrderRecord) -> MovedLines:
    """The lines that left the merged ``order``, in the order that holds them now (none for an order
    that was not merged). A few statements per link of the chain, none per line."""
    if order.merged_into_id is None:
        return MovedLines(None, [])
    links = _MergeLinks(session, panel, {order.id: order.merged_into_id})
    holder = links.end_of(order.merged_into_id)
    if holder is None:
        return MovedLines(None, [])
    binding = panel.store
    lines = line_records(session, binding, holder, binding.lines_of(session, holder))
    links.load({line.origin_order_id for line in lines if line.origin_order_id is not None})
    return MovedLines(holder, [line for line in lines if links.passes_through(line.origin_order_id, order.id)])


class _MergeLinks:
    """``merged_into_id`` of the orders looked at, read a level of the chains at a time."""

    def __init__(self, session: Session, panel: ServicePanel, known: dict[int, int | None]) -> None:
        self.session = session
        self.binding = panel.store
        self.into: dict[int, int | None] = dict(known)
        self.missing: set[int] = set()  # orders deleted since (a shop may delete its orders)

    def load(self, ids: Iterable[int]) -> None:
        """Read the links of ``ids`` and of every order their chains go through."""
        wanted = {i for i in ids if i not in self.into}
        for _ in range(MAX_CHAIN):
            if not wanted:
                return
            orders = self.binding.orders_by_id(self.session, sorted(wanted))
            states = self.binding.states_of(self.session, orders)
            for order_id in wanted:
                state = states.get(order_id)
                self.into[order_id] = state.merged_into_id if state is not None else None
                if state is None:
                    self.missing.add(order_id)
            wanted = {i for i in (self.into[o] for o in wanted) if i is not None and i not in self.into}

    def end_of(self, order_id: int) -> int | None:
        """The first order of the chain from ``order_id`` that was not merged itself."""
        self.load([order_id])
        current = order_id
        for _ in range(MAX_CHAIN):
            following = self.into.get(current)
            if following is None:
                return None if current in self.missing else current
            current = following
        return None

    def passes_through(self, origin: int | None, order_id: int) -> bool:
        """Whether a line placed in ``origin`` went through ``order_id`` (it is ``order_id``, or merged into it)."""
        current = origin
        for _ in range(MAX_CHAIN):
            if current is None:
                return False
            if current == order_id:
                return True
            current = self.into.get(current)
        return False
