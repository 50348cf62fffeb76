"""Reading orders for an export (``SQLOrderStore``'s part): counts, the orders of a chunk in id order and
their lines' fields as plain rows, streamed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Result, distinct, func, select
from sqlalchemy.orm import Session

from .fields import FieldJoins


class ExportReads:
    """Part of ``SQLOrderStore``: what an export reads of the orders and their lines."""

    # Provided by SQLOrderStore.
    order: Any
    line: Any
    order_pk: Any
    line_pk: Any
    line_order_id: Any
    line_field: Any
    order_load_options: Any

    def export_row_count(self, session: Session, order_ids: Sequence[int]) -> tuple[int, int]:
        """How many export rows the orders make (an order without lines takes one), and how many of the orders
        exist: one COUNT statement."""
        rows, orders = session.execute(
            select(func.count(), func.count(distinct(self.order_pk)))
            .select_from(self.order)
            .outerjoin(self.line, self.line_order_id == self.order_pk)
            .where(self.order_pk.in_(order_ids))
        ).one()
        return int(rows), int(orders)

    def order_ids_select(self, *conditions: Any) -> Any:
        """``SELECT id`` of the orders meeting ``conditions`` (an export of every order matching them)."""
        return select(self.order_pk).where(*conditions)

    def existing_order_ids(self, session: Session, order_ids: Sequence[int]) -> set[int]:
        return set(session.scalars(select(self.order_pk).where(self.order_pk.in_(order_ids))))

    def orders_in_id_order(self, session: Session, order_ids: Sequence[int]) -> list[Any]:
        """The orders, in id order, their relationships loaded."""
        return list(session.scalars(
            select(self.order).where(self.order_pk.in_(order_ids)).order_by(self.order_pk)
            .options(*self.order_load_options())
        ).unique().all())

    def line_columns(self, names: Sequence[str]) -> Any:
        """``SELECT`` of the order id and the fields ``names`` of lines as plain columns (a field through a
        relationship by an outer join), without a condition."""
        joins = FieldJoins(self.line)
        columns = [joins.column(self.line_field(name)) for name in names]
        return joins.apply(select(*columns).select_from(self.line))

    def line_columns_of(self, session: Session, order_ids: Sequence[int], names: Sequence[str], *,
                        per_fetch: int | None = None) -> Result[Any]:
        """``line_columns`` of the orders' lines, in order then line order; ``per_fetch``: streamed from a
        server-side cursor that many rows at a time (close the result if not read to its end)."""
        statement = (self.line_columns(names).where(self.line_order_id.in_(order_ids))
                     .order_by(self.line_order_id, self.line_pk))
        if per_fetch is not None:
            statement = statement.execution_options(yield_per=per_fetch)
        return session.execute(statement)
