"""An export's orders (``ExportOrder`` rows), fixed when it starts (docs/design.md, "Export snapshots").

The start writes them without bringing them into the web process: the list's query becomes one
``INSERT … SELECT`` in the database, so starting an export of 200,000 orders costs one statement.
The ids a manager posted (the selected rows, one order) and the orders of an export run again are
written the same way. The job reads them back a chunk at a time, in id order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Select, func, insert, literal, select
from sqlalchemy.orm import Session

from ..models import ExportOrder, IdType

IDS_PER_READ = 500  # the export reads its orders this many at a time (export/query.py)
ROWS_PER_INSERT = 1000  # ids given by the manager are inserted this many a statement


def matching_count(session: Session, ids_query: Select[Any], cap: int) -> int:
    """How many distinct orders ``ids_query`` (a SELECT of order ids) gives, counted up to ``cap``:
    a count that stops early, so a list of millions costs no more than ``cap`` index entries."""
    ids = ids_query.distinct().limit(cap).subquery()
    return session.execute(select(func.count()).select_from(ids)).scalar_one()


def store_matching(session: Session, export_id: int, ids_query: Select[Any], cap: int) -> int:
    """The orders ``ids_query`` gives become the export's, by one ``INSERT … SELECT`` of at most ``cap``
    of them; returns how many were written (the statement's own row count: nothing is counted twice)."""
    ids = ids_query.distinct().limit(cap).subquery()
    [order_id] = ids.c
    rows = select(literal(export_id, IdType), order_id)
    result = session.execute(insert(ExportOrder).from_select(["export_id", "order_id"], rows)
                             .execution_options(preserve_rowcount=True))
    return cast("CursorResult[Any]", result).rowcount


def store_ids(session: Session, export_id: int, order_ids: Sequence[int]) -> None:
    """The given distinct ids become the export's orders."""
    for start in range(0, len(order_ids), ROWS_PER_INSERT):
        session.execute(insert(ExportOrder), [
            {"export_id": export_id, "order_id": order_id} for order_id in order_ids[start:start + ROWS_PER_INSERT]
        ])


def store_copy(session: Session, export_id: int, of_export_id: int) -> None:
    """The orders of export ``of_export_id`` become those of ``export_id`` too (Run again)."""
    rows = select(literal(export_id, IdType), ExportOrder.order_id).where(ExportOrder.export_id == of_export_id)
    session.execute(insert(ExportOrder).from_select(["export_id", "order_id"], rows))


def id_chunks(session: Session, export_id: int, size: int | None = None) -> Iterator[list[int]]:
    """The export's order ids in id order, ``size`` (``IDS_PER_READ``) at a time, each chunk one keyed SELECT."""
    size = size or IDS_PER_READ
    after = None
    while True:
        query = select(ExportOrder.order_id).where(ExportOrder.export_id == export_id)
        if after is not None:
            query = query.where(ExportOrder.order_id > after)
        chunk = list(session.scalars(query.order_by(ExportOrder.order_id).limit(size)))
        if not chunk:
            return
        yield chunk
        after = chunk[-1]


def first_ids(session: Session, export_id: int, count: int) -> list[int]:
    """The export's first ``count`` order ids (one order's export is named and logged by its number)."""
    return list(session.scalars(
        select(ExportOrder.order_id).where(ExportOrder.export_id == export_id).order_by(ExportOrder.order_id)
        .limit(count)
    ))


def all_ids(session: Session, export_id: int) -> list[int]:
    """Every order id of the export, for what needs them together (the signal, the download's check)."""
    return [order_id for chunk in id_chunks(session, export_id, 10 * IDS_PER_READ) for order_id in chunk]
