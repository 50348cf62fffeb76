"""Reading the orders and items to export, a chunk of orders at a time so memory stays bounded."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, nullcontext
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from ..domain.notes import NOTE_KINDS, fold_notes
from ..domain.rules import Action
from ..errors import ExportTooLarge, OrderNotFound
from ..store import OrderStore
from ..store.records import order_records
from ..services.transaction import checked_id
from ..services.app_panel import ServicePanel
from .columns import DEFAULT_COLUMN_SET, ColumnSet
from .rows import ITEM_FIELDS, Row, full_row, host_values_of, item_row, no_items_row, order_extras, order_head

# Orders a query asks for at once: well under every database's limit of bound parameters.
ORDERS_PER_CHUNK = 500
# Item rows fetched from the cursor at a time (server-side cursors on PostgreSQL and MariaDB).
ITEMS_PER_FETCH = 2000


def export_ids(order_ids: Iterable[object]) -> list[int]:
    """The distinct ids in id order, which is order-number order; OrderNotFound for a bad one."""
    return sorted({checked_id(order_id) for order_id in order_ids})


def chunks_of(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """The ids ``ORDERS_PER_CHUNK`` at a time, as the readers below take them."""
    for start in range(0, len(ids), ORDERS_PER_CHUNK):
        yield ids[start:start + ORDERS_PER_CHUNK]


def count_rows(session: Session, panel: ServicePanel, ids: Sequence[int], max_rows: int) -> int:
    """How many rows the export has (an order without items takes one), by COUNT queries only.

    Raises OrderNotFound for a missing order and ExportTooLarge past ``max_rows``,
    so a refused export costs no more than these counts.
    """
    return count_chunk_rows(session, panel, chunks_of(ids), max_rows)


def count_chunk_rows(session: Session, panel: ServicePanel, chunks: Iterable[Sequence[int]], max_rows: int) -> int:
    """``count_rows`` of ids that come a chunk at a time (an export job's, read from the database)."""
    binding = panel.store
    rows = 0
    for chunk in chunks:
        chunk_rows, orders = binding.export_row_count(session, chunk)
        if orders != len(chunk):
            found = binding.existing_order_ids(session, chunk)
            missing = next(order_id for order_id in chunk if order_id not in found)
            raise OrderNotFound.deleted(missing)
        rows += chunk_rows
        if rows > max_rows:
            raise ExportTooLarge(rows, max_rows)
    return rows


def item_columns_select(binding: OrderStore) -> Any:
    """The ``ITEM_FIELDS`` of lines as plain columns (a field through a relationship by an outer join)."""
    return binding.line_columns(ITEM_FIELDS)


def export_rows(
    session: Session, panel: ServicePanel, chunks: Iterable[Sequence[int]], max_rows: int, numbers: dict[int, str],
    *, chunk_reads: Callable[[], AbstractContextManager[object]] | None = None,
    columns: ColumnSet = DEFAULT_COLUMN_SET, base_url: str | None = None,
) -> Iterator[Row]:
    """The full rows (``rows.full_row`` when ``columns`` needs extras) of the orders (``chunks`` of ids in id
    order, e.g. ``chunks_of(ids)``), then item order; ExportTooLarge if they grew past ``max_rows``. Relative
    item and photo URLs are made absolute on ``base_url``.

    ``numbers`` gets each exported order's number (the file name and the audit log use them).
    Items are streamed from the database. With ``chunk_reads`` (a context manager factory, e.g. one
    short read transaction), each chunk of orders is read whole inside it instead, and released before
    its rows are written: for SQLite without WAL, where an open read blocks every writer.
    """
    binding = panel.store
    written = 0
    for chunk in chunks:
        if chunk_reads is not None:
            with chunk_reads():
                orders = order_records(session, binding, binding.orders_in_id_order(session, chunk),
                                       panel.settings.number_format)
                notes = latest_notes(session, binding, chunk) if columns.wants_comments else {}
                items = binding.line_columns_of(session, chunk, ITEM_FIELDS).all()
            rows: Iterable[Row] = _rows_of(orders, items, columns, base_url, notes)
            closer: Any = nullcontext()
        else:
            orders = order_records(session, binding, binding.orders_in_id_order(session, chunk),
                                   panel.settings.number_format)
            notes = latest_notes(session, binding, chunk) if columns.wants_comments else {}
            result = binding.line_columns_of(session, chunk, ITEM_FIELDS, per_fetch=ITEMS_PER_FETCH)
            rows, closer = _rows_of(orders, result, columns, base_url, notes), closing(result)
        numbers.update((order.id, order.number) for order in orders)
        with closer:  # frees the server-side cursor if the writer stops half-way
            for row in rows:
                written += 1
                if written > max_rows:  # items were added after the count
                    raise ExportTooLarge(written, max_rows)
                yield row


def latest_notes(session: Session, binding: OrderStore, chunk: Sequence[int]) -> dict[int, str]:
    """Each order's latest note not deleted, as it reads now (docs/design.md, "Export columns", "Editing notes"):
    order id → its text."""
    latest = {}
    for order_id, events in binding.events_of_orders(session, chunk, NOTE_KINDS).items():
        kept = [note for note in fold_notes(events).values() if not note.deleted]
        if kept:
            latest[order_id] = kept[-1].text
    return latest


def _rows_of(orders: Sequence[Any], items: Iterable[Sequence[object]], columns: ColumnSet, base_url: str | None,
             notes: dict[int, str]) -> Iterator[Row]:
    """Join orders and their items, both in order-id order; an order without items gets a note row."""
    groups = groupby(items, key=itemgetter(0))  # order_id comes first
    group = next(groups, None)
    extras, host_columns = columns.extras, columns.host_columns
    for order in orders:
        head = order_head(order)
        more = order_extras(order, notes.get(order.id)) if extras else None
        if group is not None and group[0] == order.id:
            if more is None:
                for item in group[1]:
                    yield item_row(head, item, base_url)
            else:
                host_values = host_values_of(order, host_columns) if host_columns else None
                for item in group[1]:
                    yield full_row(item_row(head, item, base_url), item, more, base_url, host_values)
            group = next(groups, None)
        else:
            yield no_items_row(head, more, columns.row_width)
