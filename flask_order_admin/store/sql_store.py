"""``SQLOrderStore``: the SQL both order stores share (docs/design.md, "Order store"), as Flask-Security's
``SQLAlchemyUserDatastore`` holds what its adapters share. ``OwnTablesStore`` (own_tables.py) and
``ShopTablesStore`` (shop_tables.py) add where the panel's state and the lines' origins live.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any, cast

from sqlalchemy import CursorResult, Integer, Table, case, delete, func, inspect, literal, or_, select, type_coerce, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.elements import ColumnElement

from ..domain import OrderStatus
from ..domain.search_keys import like_escaped, next_prefix
from ..models import utcnow
from .changes import KEEP, OrderChange, OrderState
from .fields import Field, FieldJoins, line_money_type, load_options, summed_money
from .history import History
from .export_reads import ExportReads
from .status_counts import StatusCounts
from .search_index import EMAIL, PHONE, SearchIndex
from .statuses import StatusMapping
from .storage import LineSpan, consecutive_runs
from .sums import LineSums


SEARCH_KINDS = {"phone": PHONE, "email": EMAIL}


@dataclass(frozen=True, eq=False, kw_only=True)
class SQLOrderStore(History, StatusCounts, ExportReads, ABC):
    """What both adapters share: keys, fields, statuses, loading, numbers, the history (``History``), and the
    frame of the one write path (``write_changes``); each adapter says where the state and the lines'
    origins live."""

    order: Any  # the order class
    line: Any  # the line class
    order_fields: Mapping[str, Field]
    line_fields: Mapping[str, Field]
    statuses: StatusMapping
    numbers: Any  # IdNumbers | KeyedNumbers
    events: Table  # the history
    tables: Sequence[Any] = ()  # the plugin's tables beside the orders (docs/own-tables.md lists them)
    # The plugin's tables the extension copies into the host's ``db.metadata``: its own order tables (the
    # default), and the log of export jobs, which a shop's own order tables need too.
    copied_tables: Sequence[Any] = ()
    search_index: SearchIndex  # the search's own keys (search_index.py)
    is_builtin: bool = False

    # -- keys -------------------------------------------------------------------------------------

    @property
    def order_pk(self) -> Any:
        return getattr(self.order, self.order_pk_key)

    @property
    def line_pk(self) -> Any:
        return getattr(self.line, self.line_pk_key)

    # Read for every cell of a list (a row's record by its id): the mapper is asked once.
    @cached_property
    def order_pk_key(self) -> str:
        return _pk_key(self.order)

    @cached_property
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

    def where_lines_of_orders(self, condition: ColumnElement[Any]) -> ColumnElement[Any]:
        """A condition on lines: their order meets ``condition`` (one on orders), as
        ``order_id IN (SELECT id FROM orders WHERE …)`` (the items list's filters by an order's field)."""
        return cast("ColumnElement[Any]", self.line_order_id.in_(select(self.order_pk).where(condition)))

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
        """Every stored value of ``statuses`` (a status a shop stores as several values: all of them)."""
        return self.statuses.matches(self.order_fields["status"].attribute, statuses)

    # -- the one write path -----------------------------------------------------------------------

    def write_changes(self, session: Session, changes: Sequence[OrderChange], *, at: datetime | None = None) -> None:
        """Write every action's change of order state: each order's status (if given, with
        ``status_changed_at`` = ``at``, default now), its merge link (if given), its version + 1.

        One statement per table for all the changes, whatever their number and however they differ (a
        ``CASE`` on the order's key where they do), so a bulk action's chunk costs what one order costs
        (docs/design.md, "Order store"). The shop's order row of every changed order is updated, its status
        kept where the change keeps it, so its ``onupdate`` columns and triggers see the change (a Core
        UPDATE: mapper events do not fire; docs/design.md, "Every changed order is updated"). The orders must
        be locked by this transaction; the objects are expired, to be read afresh."""
        if not changes:
            return
        self._write_all(session, changes, at or utcnow())
        for change in changes:
            session.expire(change.order)

    @abstractmethod
    def _write_all(self, session: Session, changes: Sequence[OrderChange], at: datetime) -> None:
        """Write ``changes`` (at most one per order): one statement per table."""
        ...

    def _per_order(self, changes: Sequence[OrderChange], value: Callable[[OrderChange], Any], column: Any,
                   *, kept: Callable[[OrderChange], bool] = lambda change: False) -> Any | None:
        """What ``column`` is set to for ``changes``: the one value if they share it (and none keeps it), else
        ``CASE <key> WHEN <id> THEN <value> … ELSE <column> END`` (a change that ``kept`` leaves it as it is);
        None when every change keeps it."""
        given = {self.order_id(change.order): value(change) for change in changes if not kept(change)}
        if not given:
            return None
        distinct = set(given.values())
        if len(distinct) == 1 and len(given) == len(changes):
            return next(iter(distinct))
        key = self.order_pk if column.table is self.order_pk.table else column.table.c.order_id
        return case({id_: literal(v, column.type) for id_, v in given.items()}, value=key, else_=column)

    def _state_values(self, changes: Sequence[OrderChange], at: datetime, columns: Any) -> dict[str, Any]:
        """The state columns' new values (merge link, status date) for ``changes``, those all keep left out."""
        values = {
            "merged_into_id": self._per_order(changes, lambda c: c.merged_into_id, columns.merged_into_id,
                                              kept=lambda c: c.merged_into_id is KEEP),
            "status_changed_at": self._per_order(changes, lambda c: at, columns.status_changed_at,
                                                 kept=lambda c: c.status is None),
        }
        return {name: value for name, value in values.items() if value is not None}

    def _status_value(self, changes: Sequence[OrderChange]) -> dict[Any, Any]:
        """The status column's new value: the value each status writes (its first), by order where they
        differ, the stored one kept for a change without status."""
        column = self.order_fields["status"].attribute
        value = self._per_order(changes, lambda c: self.statuses.to_host(cast("OrderStatus", c.status)),
                                column.property.columns[0], kept=lambda c: c.status is None)
        return {} if value is None else {column: value}

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

    def order_ids_of_lines(self, session: Session, line_ids: Sequence[int]) -> list[int]:
        """The orders of these lines, each once (one statement)."""
        if not line_ids:
            return []
        return list(session.scalars(select(self.line_order_id).where(self.line_pk.in_(line_ids)).distinct()))

    def order_by_id(self, session: Session, order_id: int) -> Any | None:
        """The order as it is now, read afresh (an object the session holds is refreshed), its relationships
        joined into the one statement (refreshing an expired object would load each of them on its own)."""
        return session.scalars(
            select(self.order).where(self.order_pk == order_id).options(*self.order_load_options())
            .execution_options(populate_existing=True)
        ).first()

    def orders_where(
        self, session: Session, conditions: Sequence[ColumnElement[Any]], *, preferred: ColumnElement[Any],
        limit: int,
    ) -> list[Any]:
        """At most ``limit`` orders meeting every condition: those meeting ``preferred`` first, then newest first;
        their relationships loaded."""
        return list(session.scalars(
            select(self.order).where(*conditions).order_by(case((preferred, 0), else_=1), self.order_pk.desc())
            .options(*self.order_load_options()).limit(limit)
        ).all())

    def lock_orders(self, session: Session, ids: Sequence[int]) -> list[Any]:
        """Lock and load the orders (``ids`` sorted: every action locks in id order), one ``SELECT … FOR
        UPDATE`` of the order rows alone; the rows read through relationships come in statements of their own."""
        return list(session.scalars(
            select(self.order)
            .where(self.order_pk.in_(ids))
            .order_by(self.order_pk)
            .with_for_update()
            .options(*self.order_load_options(joined=False))
            .execution_options(populate_existing=True)
        ).all())

    def lines_of(self, session: Session, order_id: int) -> list[Any]:
        """Every line of the order in line order, in one statement (and one per relationship read through)."""
        return list(session.scalars(
            select(self.line).where(self.line_order_id == order_id).order_by(self.line_pk)
            .options(*self.line_load_options())
        ))

    def first_lines(self, session: Session, order_id: int, limit: int) -> list[Any]:
        """The order's first ``limit`` lines, in line order."""
        return list(session.scalars(
            select(self.line).where(self.line_order_id == order_id).order_by(self.line_pk)
            .limit(limit).options(*self.line_load_options())
        ))

    def first_lines_of_orders(self, session: Session, order_ids: Sequence[int], limit: int) -> list[Any]:
        """The first ``limit`` lines of each order, in line order: one statement whatever the number of orders."""
        if not order_ids:
            return []
        ranked = select(
            self.line_pk.label("line_id"),
            func.row_number().over(partition_by=self.line_order_id, order_by=self.line_pk).label("place"),
        ).where(self.line_order_id.in_(order_ids)).subquery()
        return list(session.scalars(
            select(self.line).join(ranked, self.line_pk == ranked.c.line_id).where(ranked.c.place <= limit)
            .order_by(self.line_pk).options(*self.line_load_options())
        ))

    def line_rows(self, session: Session, order_id: int, names: Sequence[str]) -> list[Any]:
        """The order's lines as rows of ``id`` and the fields ``names`` (by the plugin's names), in line order."""
        joins = FieldJoins(self.line)
        columns = [self.line_pk.label("id")] + [joins.column(self.line_field(name)).label(name) for name in names]
        return list(session.execute(
            joins.apply(select(*columns).select_from(self.line)).where(self.line_order_id == order_id)
            .order_by(self.line_pk)
        ).all())

    def detached_lines(self, session: Session, order_id: int) -> tuple[Any, ...]:
        """The order's lines as transient objects of the line class in no session, with every column's value
        (made without calling the class's own ``__init__``, which may want arguments)."""
        mapper = inspect(self.line)
        attributes = list(mapper.column_attrs)
        rows = session.execute(
            select(*(getattr(self.line, a.key) for a in attributes))
            .where(self.line_order_id == order_id).order_by(self.line_pk)
        )
        lines = []
        for row in rows:
            line = mapper.class_manager.new_instance()
            for attribute, value in zip(attributes, row, strict=True):
                set_committed_value(line, attribute.key, value)
            lines.append(line)
        return tuple(lines)

    @abstractmethod
    def states_of(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        """The panel's state of loaded orders, by id."""
        ...

    @abstractmethod
    def origins_of(self, session: Session, order_id: int, lines: Iterable[Any]) -> dict[int, int | None]:
        """The order each of the order's loaded lines was first placed in, by line id."""
        ...

    def numbers_of(self, session: Session, ids: Iterable[int], number_format: Any) -> dict[int, str]:
        """Order numbers by id (one statement for a shop's own numbers, none for id numbers)."""
        return cast("dict[int, str]", self.numbers.numbers_of(session, [i for i in ids if i is not None], number_format))

    def number_of(self, order: Any, number_format: Any) -> str:
        field = self.numbers.field
        return cast("str", self.numbers.format(self.order_id(order), None if field is None else field.read(order), number_format))

    def line_sums(self, session: Session, order_ids: Iterable[int]) -> dict[int, LineSums]:
        """``LineSums`` of each of ``order_ids`` that has lines, in one ``GROUP BY order_id`` statement over the
        order_id index: no line reaches Python. Money kept in minor units is summed as the integers it is and
        scaled once, each sum (docs/design.md, "Money in minor units")."""
        ids = sorted(set(order_ids))
        if not ids:
            return {}
        joins = FieldJoins(self.line)
        quantity = joins.column(self.line_field("quantity"))
        fields = [self.line_field(name) for name in ("price", "discount_price", "china_delivery")]
        money_type = line_money_type(fields)
        price, discount, delivery = (field.summable(money_type) for field in fields)
        unit = func.coalesce(discount, price)

        def money_sum(amount: Any) -> Any:
            total = func.coalesce(func.sum(amount * quantity), 0)
            return total if money_type is None else type_coerce(total, Integer())

        order_id = self.line_order_id
        rows = session.execute(joins.apply(
            select(
                order_id,
                func.count(self.line_pk),
                func.coalesce(func.sum(quantity), 0),
                money_sum(unit),
                money_sum(delivery),
                money_sum(unit + delivery),
                func.min(self.line_pk),
                func.max(self.line_pk),
            ).select_from(self.line)
        ).where(order_id.in_(ids)).group_by(order_id)).all()
        dialect = session.get_bind(mapper=inspect(self.line)).dialect
        return {
            row[0]: LineSums(int(row[1]), int(row[2]), summed_money(money_type, row[3], dialect),
                             summed_money(money_type, row[4], dialect), summed_money(money_type, row[5], dialect),
                             row[6], row[7])
            for row in rows
        }

    # -- number keys ------------------------------------------------------------------------------

    @property
    def keeps_number_keys(self) -> bool:
        """Whether the numbers are the shop's own, searched through ``order_admin_number_keys`` (numbers made
        from the id need no keys)."""
        return self.numbers.field is not None

    def parse_number(self, text: str, number_format: Any) -> Any:
        """``text`` as a number to search for; ``NotAnOrderNumber`` with a message for anything else."""
        return self.numbers.parse(text, number_format)

    def search_numbers(self, session: Session, text: str, number_format: Any, limit: int,
                       within: ColumnElement[Any] | None) -> list[Any]:
        """Orders whose number ends with ``text``, exact matches first, then newest first (numbers.py)."""
        return cast("list[Any]", self.numbers.search(session, self, text, number_format, limit, within))

    def unindexed_numbers(self, session: Session) -> Sequence[Any]:
        """(id, number) of orders newer than the newest with a number key, oldest first, a chunk at most."""
        return cast("Sequence[Any]", self.numbers.unindexed(session)) if self.keeps_number_keys else []

    def numbers_after(self, session: Session, after: int) -> Sequence[Any]:
        """(id, number) of the orders after id ``after``, a chunk at most (to re-read every number)."""
        return cast("Sequence[Any]", self.numbers.every_order(session, after)) if self.keeps_number_keys else []

    def index_numbers(self, session: Session, rows: Sequence[Any], *, replace: bool = False) -> None:
        """Write the number keys of (id, number) rows; ``replace``: their old keys go first."""
        if self.keeps_number_keys:
            self.numbers.store(session, rows, replace=replace)

    # -- search keys ------------------------------------------------------------------------------

    def order_ids_where(
        self, session: Session, field: Field, predicate: Any, *, by_key: bool, limit: int,
        within: ColumnElement[Any] | None,
    ) -> list[int]:
        """One statement: the ids of the orders (meeting ``within``) whose ``field`` meets ``predicate``, in the
        index's order where the field is a column of the order and ``by_key`` (its key, then its id), newest
        first otherwise."""
        order_by: tuple[Any, ...] = (field.attribute, self.order_pk) if field.is_direct and by_key else (
            self.order_pk.desc(),)
        statement = select(self.order_pk).where(field.where(predicate))
        if within is not None:
            statement = statement.where(within)
        return list(session.scalars(statement.order_by(*order_by).limit(limit)))

    def order_ids_by_name(
        self, session: Session, words: Sequence[str], *, exact: bool, limit: int, within: ColumnElement[Any] | None,
    ) -> list[int]:
        """Orders whose buyer's name has a word starting with each of ``words`` (search_index.py): the longest
        word equal (``exact``, newest first) or only starting one (in the index's order). One statement."""
        return self.search_index.name_ids(session, self, words, exact=exact, limit=limit, within=within)

    def order_ids_by_key(
        self, session: Session, kind: str, keys: Sequence[str], *, exact: bool, limit: int,
        within: ColumnElement[Any] | None,
    ) -> list[int]:
        """Orders whose ``kind`` key ("phone": digits reversed, "email") equals one of ``keys`` (newest first),
        or (not ``exact``) starts with one (in the index's order). One statement."""
        return self.search_index.key_ids(session, self, SEARCH_KINDS[kind], keys, exact=exact, limit=limit,
                                         within=within)

    def order_ids_with_item(
        self, session: Session, keys: Sequence[str], *, limit: int, within: ColumnElement[Any] | None,
    ) -> list[int]:
        """The orders (meeting ``within``) holding a line with one of these item keys (an item id, its digits,
        a URL: ``search_keys.typed_item_keys``), newest first. One statement."""
        return self.search_index.item_ids(session, self, keys, limit=limit, within=within)

    def search_index_news(self, session: Session) -> tuple[bool, bool]:
        """Whether some order, some line, is newer than the newest the search has indexed (one statement)."""
        return self.search_index.news(session, self)

    def orders_to_index(self, session: Session, after: int | None = None) -> Sequence[Any]:
        """(id, name, phone, email) of the orders after id ``after`` (None: the newest indexed), a chunk."""
        return self.search_index.orders_to_index(session, self, after)

    def lines_to_index(self, session: Session, after: int | None = None) -> Sequence[Any]:
        """(line id, item id, url) of the lines after id ``after`` (None: the newest indexed), a chunk."""
        return self.search_index.lines_to_index(session, self, after)

    def index_search_keys(self, session: Session, *, orders: Sequence[Any] = (), lines: Sequence[Any] = (),
                          replace: bool = False) -> None:
        """Write the search keys of rows read by ``orders_to_index`` / ``lines_to_index``; ``replace``: their
        old keys go first."""
        if orders:
            self.search_index.store_orders(session, orders, replace=replace)
        if lines:
            self.search_index.store_lines(session, lines, replace=replace)

    # -- lines ------------------------------------------------------------------------------------

    @abstractmethod
    def move_lines(self, session: Session, added_id: int, basic_id: int, line_ids: LineSpan | None = None) -> None:
        """Move every line of ``added_id`` into ``basic_id`` in one set-based UPDATE, their origin kept.

        ``line_ids``: the lines' count and lowest and highest id, if the caller has them.
        """
        ...

    def update_lines(self, session: Session, values: Sequence[Mapping[str, Any]]) -> None:
        """Write fields of lines, each row by the plugin's field names with the line's ``id``: an ORM bulk
        UPDATE by primary key, one executemany, not one round trip per line. A field the shop keeps as a
        constant is left out (it stays that constant); money is written as the column stores it
        (``Field.stored``: minor units for ``MinorUnits``; ``AmountNotInMinorUnits`` if it does not fit)."""
        rows = [
            {self.line_pk_key: row["id"], **{self.line_field(name).mapped_key: self.line_field(name).stored(value)
                                             for name, value in row.items()
                                             if name != "id" and self.line_field(name).is_direct}}
            for row in values
        ]
        if rows:
            session.execute(update(self.line), rows)

    def delete_lines(self, session: Session, line_ids: Sequence[int]) -> None:
        session.execute(delete(self.line).where(self.line_pk.in_(line_ids)).execution_options(synchronize_session=False))

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
    mapper = inspect(cls)
    [column] = mapper.primary_key
    return cast("str", mapper.get_property_by_column(column).key)
