"""``OwnTablesStore``: the plugin's own tables (``flask_order_admin.models``), where an order's state
(version, merge link, status date) are columns of the order row and a line's first order is a column of
the line (docs/design.md, "Order store")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, func, update
from sqlalchemy.orm import Session

from ..domain import OrderStatus
from .changes import OrderChange, OrderState
from .fields import Field
from .numbers import IdNumbers
from .search_index import SearchIndex
from .sql_store import SQLOrderStore
from .statuses import StatusMapping
from .storage import LineSpan


@dataclass(frozen=True, eq=False, kw_only=True)
class OwnTablesStore(SQLOrderStore):
    def states_of(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        """Read off the loaded orders: no statement."""
        return {o.id: OrderState(o.version, o.merged_into_id, o.status_changed_at) for o in orders}

    def _write_all(self, session: Session, changes: Sequence[OrderChange], at: datetime) -> None:
        """One UPDATE of the order rows: status, state columns and version + 1 (the mapper's
        ``version_id_col``, bumped here as the ORM would)."""
        order = self.order
        state = self._state_values(changes, at, order.__table__.c)
        session.execute(
            update(order).where(order.id.in_([change.order.id for change in changes]))
            .values({**self._status_value(changes), order.version: order.version + 1,
                     **{getattr(order, key): value for key, value in state.items()}})
            .execution_options(synchronize_session=False)
        )

    def origins_of(self, session: Session, order_id: int, lines: Iterable[Any]) -> dict[int, int | None]:
        """Read off the loaded lines: no statement."""
        return {line.id: line.origin_order_id for line in lines}

    def move_lines(self, session: Session, added_id: int, basic_id: int, line_ids: LineSpan | None = None) -> None:
        """One UPDATE, which also sets the origin of a line inserted without one."""
        line = self.line
        session.execute(
            update(line).where(line.order_id == added_id)
            .values({line.order_id: basic_id, line.origin_order_id: func.coalesce(line.origin_order_id, added_id)})
            .execution_options(synchronize_session=False)
        )


@cache
def builtin_store() -> OwnTablesStore:
    """The plugin's own tables (``flask_order_admin.models``): today's tables and columns, exactly."""
    from ..models import SEARCH_KEY_TABLES, Order, OrderAdminBase, OrderEvent, OrderItem
    from .order_models import LINE_FIELDS, ORDER_FIELDS

    order_fields = {
        name: Field(name, Order, key=name, owner=Order) for name in ORDER_FIELDS if name != "number"
    }
    line_fields = {name: Field(name, OrderItem, key=name, owner=OrderItem) for name in LINE_FIELDS}
    return OwnTablesStore(
        order=Order, line=OrderItem, order_fields=order_fields, line_fields=line_fields,
        statuses=StatusMapping({status: status.value for status in OrderStatus}),
        numbers=IdNumbers(), events=cast("Table", OrderEvent.__table__), tables=tuple(OrderAdminBase.metadata.sorted_tables),
        copied_tables=tuple(OrderAdminBase.metadata.sorted_tables), search_index=SearchIndex(SEARCH_KEY_TABLES),
        is_builtin=True,
    )
