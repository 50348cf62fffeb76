"""Reading the orders and items to export, a chunk of orders at a time so memory stays bounded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from ..errors import OrderNotFound
from ..models import Order, OrderItem
from ..services.transaction import checked_id
from .errors import ExportTooLarge
from .rows import ITEM_FIELDS, Row, item_row, no_items_row, order_head

# Orders a query asks for at once: well under every database's limit of bound parameters.
ORDERS_PER_CHUNK = 500
# Item rows fetched from the cursor at a time (server-side cursors on PostgreSQL and MariaDB).
ITEMS_PER_FETCH = 2000

ITEM_COLUMNS = tuple(getattr(OrderItem, name) for name in ITEM_FIELDS)


def export_ids(order_ids: Iterable[object]) -> list[int]:
    """The distinct ids in id order, which is order-number order; OrderNotFound for a bad one."""
    return sorted({checked_id(order_id) for order_id in order_ids})


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), ORDERS_PER_CHUNK):
        yield ids[start:start + ORDERS_PER_CHUNK]


def count_rows(session: Session, ids: Sequence[int], max_rows: int) -> int:
    """How many rows the export has (an order without items takes one), by COUNT queries only.

    Raises OrderNotFound for a missing order and ExportTooLarge past ``max_rows``,
    so a refused export costs no more than these counts.
    """
    rows = 0
    for chunk in _chunks(ids):
        chunk_rows, orders = session.execute(
            select(func.count(), func.count(distinct(Order.id)))
            .select_from(Order)
            .outerjoin(OrderItem, OrderItem.order_id == Order.id)
            .where(Order.id.in_(chunk))
        ).one()
        if orders != len(chunk):
            found = set(session.scalars(select(Order.id).where(Order.id.in_(chunk))))
            missing = next(order_id for order_id in chunk if order_id not in found)
            raise OrderNotFound(f"There is no order {missing}; it may have been deleted.")
        rows += chunk_rows
        if rows > max_rows:
            raise ExportTooLarge(rows, max_rows)
    return rows


def export_rows(
    session: Session, ids: Sequence[int], max_rows: int,
    *, chunk_reads: Callable[[], AbstractContextManager[object]] | None = None,
) -> Iterator[Row]:
    """The rows in order-number order, then item order; ExportTooLarge if they grew past ``max_rows``.

    Items are streamed from the database. With ``chunk_reads`` (a context manager factory, e.g. one
    short read transaction), each chunk of orders is read whole inside it instead, and released before
    its rows are written: for SQLite without WAL, where an open read blocks every writer.
    """
    written = 0
    for chunk in _chunks(ids):
        orders_query = select(Order).where(Order.id.in_(chunk)).order_by(Order.id)
        items_query = select(*ITEM_COLUMNS).where(OrderItem.order_id.in_(chunk)).order_by(OrderItem.order_id, OrderItem.id)
        if chunk_reads is not None:
            with chunk_reads():
                orders = session.scalars(orders_query).all()
                items = session.execute(items_query).all()
            rows: Iterable[Row] = _rows_of(orders, items)
            closer: Any = nullcontext()
        else:
            orders = session.scalars(orders_query).all()
            result = session.execute(items_query.execution_options(yield_per=ITEMS_PER_FETCH))
            rows, closer = _rows_of(orders, result), closing(result)
        with closer:  # frees the server-side cursor if the writer stops half-way
            for row in rows:
                written += 1
                if written > max_rows:  # items were added after the count
                    raise ExportTooLarge(written, max_rows)
                yield row


def _rows_of(orders: Sequence[Order], items: Iterable[Sequence[object]]) -> Iterator[Row]:
    """Join orders and their items, both in order-id order; an order without items gets a note row."""
    groups = groupby(items, key=itemgetter(0))  # order_id comes first
    group = next(groups, None)
    for order in orders:
        head = order_head(order)
        if group is not None and group[0] == order.id:
            for item in group[1]:
                yield item_row(head, item)
            group = next(groups, None)
        else:
            yield no_items_row(head)
