"""The one object every layer asks about orders: which classes, their keys, the plugin's fields as
SQL and as values read off loaded objects, the status mapping, the numbers, and where the panel
keeps its own data.

``builtin_binding()`` is the plugin's own tables; ``OrderModels(...).resolve()`` a shop's. Both
are a ``ModelBinding``: services, export and views have one code path for either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import CursorResult, false, func, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from ..domain import OrderStatus
from ..domain.search_keys import like_escaped, next_prefix
from .fields import Field, FieldJoins, load_options
from .statuses import StatusMapping
from .storage import OrderState, consecutive_runs

__all__ = ["Field", "FieldJoins", "ModelBinding", "OrderState", "builtin_binding"]


@dataclass(frozen=True, eq=False)
class ModelBinding:
    order: Any  # the order class
    line: Any  # the line class
    order_fields: Mapping[str, Field]
    line_fields: Mapping[str, Field]
    statuses: StatusMapping
    numbers: Any  # IdNumbers | KeyedNumbers
    state: Any  # StateOnOrder | StateTable
    origins: Any  # OriginOnLine | OriginRuns
    events: Any  # the events Table
    tables: Sequence[Any] = ()  # the plugin's tables beside the orders (docs/own-tables.md lists them)
    # The plugin's tables the extension copies into the host's ``db.metadata``: its own order tables (the
    # default), and the log of export jobs, which a shop's own order tables need too.
    copied_tables: Sequence[Any] = ()
    is_builtin: bool = False

    # -- keys -------------------------------------------------------------------------------------

    @property
    def order_pk(self) -> Any:
        return getattr(self.order, self.order_pk_key)

    @property
    def line_pk(self) -> Any:
        return getattr(self.line, self.line_pk_key)

    @property
    def order_pk_key(self) -> str:
        return _pk_key(self.order)

    @property
    def line_pk_key(self) -> str:
        return _pk_key(self.line)

    def order_id(self, order: Any) -> int:
        return cast("int", getattr(order, self.order_pk_key))

    def line_id(self, line: Any) -> int:
        return cast("int", getattr(line, self.line_pk_key))

    @property
    def line_order_id(self) -> Any:
        """The line's order column (the mapped attribute)."""
        return self.line_fields["order_id"].attribute

    # -- fields -----------------------------------------------------------------------------------

    def order_field(self, name: str) -> Field:
        return self.order_fields[name]

    def line_field(self, name: str) -> Field:
        return self.line_fields[name]

    def order_load_options(self, *, joined: bool = True) -> list[Any]:
        """Eager loads of the relationships the order fields read through: joined into the statement, or
        (``joined=False``, for ``SELECT … FOR UPDATE``, which must lock the order rows alone) one more."""
        return load_options(self.order_fields.values(), joined=joined)

    def line_load_options(self, *, joined: bool = True) -> list[Any]:
        return load_options(self.line_fields.values(), joined=joined)

    def where_order(self, name: str, predicate: Any) -> ColumnElement[Any]:
        """A condition on orders: ``predicate`` applied to the field (through its relationship if it has one)."""
        return self.order_fields[name].where(predicate)

    def where_email_key(self, email_key: str) -> ColumnElement[Any]:
        """Orders whose buyer email, lower-cased, is ``email_key`` (by the lower-cased column where there is one)."""
        field = self.order_fields.get("buyer_email_key")
        if field is not None:
            return field.where(lambda column: column == email_key)
        return self.where_order("buyer_email", lambda column: func.lower(column) == email_key)

    def where_email_starts_with(self, prefix: str) -> ColumnElement[Any]:
        """Orders whose email, lower-cased, starts with ``prefix`` (lower-case): a range of the key's index,
        or where the shop has no key, ``lower(email) LIKE 'prefix%'``."""
        field = self.order_fields.get("buyer_email_key")
        if field is not None:
            high = next_prefix(prefix)
            return field.where(lambda column: (column >= prefix) if high is None else
                               (column >= prefix) & (column < high))
        pattern = like_escaped(prefix) + "%"
        return self.where_order("buyer_email", lambda column: func.lower(column).like(pattern, escape="\\"))

    def where_email_domain(self, domain: str) -> ColumnElement[Any]:
        """Orders whose email is at ``domain`` (lower-case, no "@"): an end, so no index serves it; it reads
        the email key's index (or the shop's email column) whole."""
        pattern = "%@" + like_escaped(domain)
        field = self.order_fields.get("buyer_email_key")
        if field is not None:
            return field.where(lambda column: column.like(pattern, escape="\\"))
        return self.where_order("buyer_email", lambda column: func.lower(column).like(pattern, escape="\\"))

    # -- statuses ---------------------------------------------------------------------------------

    def raw_status(self, order: Any) -> Any:
        return self.order_fields["status"].read(order)

    def status_of(self, order: Any) -> OrderStatus | None:
        return self.statuses.from_host(self.raw_status(order))

    def status_in(self, statuses: Iterable[OrderStatus]) -> ColumnElement[Any]:
        values = self.statuses.host_values(statuses)
        return self.order_fields["status"].attribute.in_(values) if values else false()

    def set_status(self, order: Any, status: OrderStatus) -> None:
        setattr(order, self.order_fields["status"].mapped_key, self.statuses.to_host(status))

    def change_alike(
        self, session: Session, orders: Sequence[tuple[Any, OrderState]], status: OrderStatus, state: dict[str, Any],
    ) -> None:
        """Give every order (loaded, locked, with its state) ``status`` and the same ``state``, version + 1 each,
        whatever their number: one UPDATE of the order table (which holds the state of the plugin's own
        orders), and on a shop's tables one statement per kind of write to the state table. Column
        ``onupdate`` defaults apply; the objects are expired, to be read afresh."""
        ids = [self.order_id(order) for order, _ in orders]
        values = {self.order_fields["status"].attribute: self.statuses.to_host(status), **self.state.row_values(state)}
        session.execute(update(self.order).where(self.order_pk.in_(ids)).values(values)
                        .execution_options(synchronize_session=False))
        self.state.save_alike(session, orders, state)
        for order, _ in orders:
            session.expire(order)

    def mark_changed(self, session: Session, order: Any, at: datetime) -> None:
        """Set the order's last change (its ``updated_at`` field) to ``at`` and nothing else, its version
        kept: what a note does (docs/design.md, "Editing notes"). A shop whose ``updated_at`` is not a column
        of its order class (a constant, or through a relationship) keeps its own."""
        field = self.order_fields.get("updated_at")
        if field is None or not field.is_direct:
            return
        session.execute(update(self.order).where(self.order_pk == self.order_id(order))
                        .values({field.attribute: at}).execution_options(synchronize_session=False))
        session.expire(order)

    # -- loading ----------------------------------------------------------------------------------

    def orders_by_id(self, session: Session, ids: Iterable[int]) -> list[Any]:
        """The orders in the order of ``ids`` (missing ones left out), their relationships loaded."""
        ids = list(ids)
        if not ids:
            return []
        rows = session.scalars(
            select(self.order).where(self.order_pk.in_(ids)).options(*self.order_load_options())
        ).all()
        by_id = {self.order_id(o): o for o in rows}
        return [by_id[i] for i in ids if i in by_id]

    def lines_of(self, session: Session, order_id: int) -> list[Any]:
        """Every line of the order in line order, in one statement (and one per relationship read through)."""
        return list(session.scalars(
            select(self.line).where(self.line_order_id == order_id).order_by(self.line_pk)
            .options(*self.line_load_options())
        ))

    def states_of(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        return cast("dict[int, OrderState]", self.state.load(session, orders))

    def numbers_of(self, session: Session, ids: Iterable[int], number_format: Any) -> dict[int, str]:
        """Order numbers by id (one statement for a shop's own numbers, none for id numbers)."""
        return cast("dict[int, str]", self.numbers.numbers_of(session, [i for i in ids if i is not None], number_format))

    def number_of(self, order: Any, number_format: Any) -> str:
        field = self.numbers.field
        return cast("str", self.numbers.format(self.order_id(order), None if field is None else field.read(order), number_format))

    # -- writing ----------------------------------------------------------------------------------

    def move_lines(self, session: Session, added_id: int, basic_id: int, line_ids: Any = None) -> None:
        """Move every line of ``added_id`` into ``basic_id`` in one set-based UPDATE, their origin kept.

        ``line_ids``: the lines' count and lowest and highest id, if the caller has them (``LineSpan``).
        """
        self.origins.record_before_move(session, added_id, line_ids)
        session.execute(
            update(self.line)
            .where(self.line_order_id == added_id)
            .values({self.line_order_id: basic_id, **self.origins.moved_values(added_id)})
            .execution_options(synchronize_session=False)
        )

    # Runs of consecutive line ids per statement when lines move by id.
    RUNS_PER_STATEMENT = 200

    def move_lines_by_id(self, session: Session, line_ids: Iterable[int], from_id: int, to_id: int) -> int:
        """Move the lines ``line_ids`` of order ``from_id`` into ``to_id`` (their origin kept), as ranges of
        consecutive ids (an order's lines usually are one): a statement per ``RUNS_PER_STATEMENT`` runs.
        Returns how many lines moved."""
        runs = consecutive_runs(sorted(set(line_ids)))
        moved = 0
        for start in range(0, len(runs), self.RUNS_PER_STATEMENT):
            chunk = runs[start:start + self.RUNS_PER_STATEMENT]
            result = session.execute(
                update(self.line)
                .where(self.line_order_id == from_id, or_(*(self.line_pk.between(a, b) for a, b in chunk)))
                .values({self.line_order_id: to_id})
                .execution_options(synchronize_session=False)
            )
            moved += cast("CursorResult[Any]", result).rowcount
        return moved


def _pk_key(cls: Any) -> str:
    from sqlalchemy import inspect

    mapper = inspect(cls)
    [column] = mapper.primary_key
    return cast("str", mapper.get_property_by_column(column).key)


@cache
def builtin_binding() -> ModelBinding:
    """The plugin's own tables (``flask_order_admin.models``): today's tables and columns, exactly."""
    from ..models import Order, OrderAdminBase, OrderEvent, OrderItem
    from .order_models import LINE_FIELDS, ORDER_FIELDS
    from .numbers import IdNumbers
    from .storage import OriginOnLine, StateOnOrder

    order_fields = {
        name: Field(name, Order, key=name, owner=Order) for name in ORDER_FIELDS if name != "number"
    }
    line_fields = {name: Field(name, OrderItem, key=name, owner=OrderItem) for name in LINE_FIELDS}
    return ModelBinding(
        order=Order, line=OrderItem, order_fields=order_fields, line_fields=line_fields,
        statuses=StatusMapping({status: status.value for status in OrderStatus}),
        numbers=IdNumbers(), state=StateOnOrder(Order, "id"), origins=OriginOnLine(OrderItem, "id"),
        events=OrderEvent.__table__, tables=tuple(OrderAdminBase.metadata.sorted_tables),
        copied_tables=tuple(OrderAdminBase.metadata.sorted_tables), is_builtin=True,
    )
