"""What the panel keeps for itself: an order's state (version, merge link, status date), a line's first
order (its origin), and the history.

With the plugin's own tables these are columns of ``order_admin_orders`` and
``order_admin_order_items`` (and the ``order_admin_order_events`` table). On a shop's own
tables they live in new tables keyed by the shop's primary keys (``side_tables``), so the
shop's tables, rows and code stay as they are.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON, BigInteger, Column, CursorResult, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint, and_,
    func, insert, literal, or_, select, update,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Session

IdType = BigInteger().with_variant(Integer(), "sqlite")


@dataclass(frozen=True)
class OrderState:
    version: int = 1
    merged_into_id: int | None = None
    status_changed_at: datetime | None = None
    stored: bool = True  # False: the order has no state row yet (no action ran on it)


class StateOnOrder:
    """The plugin's own orders: version (the mapper's ``version_id_col``), ``merged_into_id`` and
    ``status_changed_at`` are columns of the order row, written with it in one UPDATE."""

    def __init__(self, order_class: Any, pk_key: str) -> None:
        self.order_class = order_class
        self.pk_key = pk_key

    def load(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        return {
            getattr(o, self.pk_key): OrderState(o.version, o.merged_into_id, o.status_changed_at) for o in orders
        }

    def save_many(self, session: Session, saved: list[tuple[Any, OrderState, dict[str, Any]]]) -> None:
        """Set the state columns on the orders: the ORM writes them with the orders' own UPDATE."""
        for order, _, changes in saved:
            for key, value in changes.items():
                setattr(order, key, value)

    def row_values(self, state: dict[str, Any]) -> dict[Any, Any]:
        """The order row's part of ``ModelBinding.change_alike``: the state columns, and the version + 1."""
        version = getattr(self.order_class, "version")
        return {version: version + 1, **{getattr(self.order_class, key): value for key, value in state.items()}}

    def save_alike(self, session: Session, orders: Sequence[tuple[Any, OrderState]], state: dict[str, Any]) -> None:
        pass  # written with the order row (row_values)


class StateTable:
    """A shop's orders: ``order_admin_order_states``, a row made on an order's first action (inside
    that action's transaction, the order row locked first, so two actions cannot both make it)."""

    def __init__(self, table: Table, pk_key: str) -> None:
        self.table = table
        self.pk_key = pk_key

    def load(self, session: Session, orders: Iterable[Any]) -> dict[int, OrderState]:
        ids = [getattr(o, self.pk_key) for o in orders]
        found = {id_: OrderState(stored=False) for id_ in ids}
        if ids:
            c = self.table.c
            for row in session.execute(
                select(c.order_id, c.version, c.merged_into_id, c.status_changed_at).where(c.order_id.in_(ids))
            ):
                found[row.order_id] = OrderState(row.version, row.merged_into_id, row.status_changed_at)
        return found

    def save_many(self, session: Session, saved: list[tuple[Any, OrderState, dict[str, Any]]]) -> None:
        """Insert the rows of orders without one (one statement for all), update the others'."""
        new = [{"order_id": getattr(order, self.pk_key), **changes} for order, old, changes in saved if not old.stored]
        by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row in new:  # an executemany needs the same columns in every row
            by_columns.setdefault(tuple(sorted(row)), []).append(row)
        for rows in by_columns.values():
            session.execute(insert(self.table), rows)
        for order, old, changes in saved:
            if old.stored:
                order_id = getattr(order, self.pk_key)
                session.execute(update(self.table).where(self.table.c.order_id == order_id).values(**changes))

    def row_values(self, state: dict[str, Any]) -> dict[Any, Any]:
        return {}  # the shop's order row holds none of the state

    def save_alike(self, session: Session, orders: Sequence[tuple[Any, OrderState]], state: dict[str, Any]) -> None:
        """``ModelBinding.change_alike``'s state rows: one INSERT (executemany) of the orders without one, one
        UPDATE of the others."""
        new = [{"order_id": getattr(order, self.pk_key), **state, "version": old.version + 1}
               for order, old in orders if not old.stored]
        if new:
            session.execute(insert(self.table), new)
        stored = [getattr(order, self.pk_key) for order, old in orders if old.stored]
        if stored:
            c = self.table.c
            session.execute(update(self.table).where(c.order_id.in_(stored)).values(version=c.version + 1, **state))


class OriginOnLine:
    """The plugin's own lines: ``origin_order_id`` is a column, set on insert, and by the merge's own
    UPDATE for a line inserted without it."""

    def __init__(self, line_class: Any, pk_key: str, key: str = "origin_order_id") -> None:
        self.line_class = line_class
        self.pk_key = pk_key
        self.key = key

    def record_before_move(self, session: Session, added_id: int, line_ids: LineSpan | None = None) -> None:
        pass  # the move's own UPDATE keeps it (moved_values)

    def moved_values(self, added_id: int) -> dict[Any, Any]:
        column = getattr(self.line_class, self.key)
        return {column: func.coalesce(column, added_id)}

    def of_order(self, session: Session, order_id: int, lines: Iterable[Any]) -> dict[int, int | None]:
        return {getattr(line, self.pk_key): getattr(line, self.key) for line in lines}


@dataclass(frozen=True)
class LineSpan:
    """How many lines an order has, and its lowest and highest line id."""

    count: int
    first: int | None
    last: int | None

    @property
    def is_one_run(self) -> bool:
        """Every id from the lowest to the highest is one of the lines (or there are none)."""
        return self.count == 0 or (
            self.first is not None and self.last is not None and self.last - self.first + 1 == self.count
        )


@dataclass
class LineRuns:
    """Sorted, non-overlapping runs of consecutive line ids and their first order."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)

    def origin_of(self, line_id: int) -> int | None:
        index = bisect_right(self.starts, line_id) - 1
        if index >= 0 and line_id <= self.ends[index]:
            return self.origins[index]
        return None


def consecutive_runs(ids: Sequence[int]) -> list[tuple[int, int]]:
    """Sorted ids as runs of consecutive integers: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for line_id in ids:
        if runs and line_id == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], line_id)
        else:
            runs.append((line_id, line_id))
    return runs


def uncovered(runs: Sequence[tuple[int, int]], covered: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``runs`` that no ``covered`` run holds (both sorted, each without overlaps)."""
    result: list[tuple[int, int]] = []
    for first, last in runs:
        start = first
        for c_first, c_last in covered:
            if c_last < start or c_first > last:
                continue
            if c_first > start:
                result.append((start, c_first - 1))
            start = max(start, c_last + 1)
            if start > last:
                break
        if start <= last:
            result.append((start, last))
    return result


class OriginRuns:
    """A shop's lines: ``order_admin_line_origins`` holds runs of consecutive line ids (first, last)
    and the order they were first placed in, recorded by a merge for the lines it moves that have
    none yet. An order's lines are usually inserted together, so a merge of 5,000 lines records one
    row, not 5,000: the merge costs about what the bare move of the lines costs (docs/design.md, "Merge speed"). A line
    no run holds is still in the order it was placed in."""

    # Candidate runs looked up per statement (a run each: its own range and the run that may hold its start).
    PROBES_PER_STATEMENT = 100

    def __init__(self, table: Table, line_class: Any, pk_key: str, order_id_key: str) -> None:
        self.table = table
        self.line_class = line_class
        self.pk_key = pk_key
        self.order_id_key = order_id_key

    def moved_values(self, added_id: int) -> dict[Any, Any]:
        return {}

    def record_before_move(self, session: Session, added_id: int, line_ids: LineSpan | None = None) -> None:
        """Record the origin of the lines of ``added_id`` that have none yet, before they move.

        ``line_ids`` (count, lowest and highest id) tells, for free, when the lines are one run (as the
        lines of an order placed at once are): then no line is read. Otherwise the database ranks them.
        """
        if line_ids is None or not line_ids.is_one_run:
            runs = self._runs_of_order(session, added_id)
        elif not line_ids.count or line_ids.first is None or line_ids.last is None:
            return
        elif self._insert_if_unrecorded(session, line_ids.first, line_ids.last, added_id):
            return  # the usual case, one statement: one run that no recorded run overlaps
        else:
            runs = [(line_ids.first, line_ids.last)]
        new = uncovered(runs, [(first, last) for first, last in self._recorded(session, runs)])
        if new:
            session.execute(insert(self.table), [
                {"first_line_id": first, "last_line_id": last, "origin_order_id": added_id} for first, last in new
            ])

    def _insert_if_unrecorded(self, session: Session, first: int, last: int, origin: int) -> bool:
        """Record the run (first, last) unless a recorded run overlaps it; whether it was recorded."""
        c = self.table.c
        holder = select(func.max(c.first_line_id)).where(c.first_line_id <= first).scalar_subquery()
        overlapping = select(c.first_line_id).where(or_(
            and_(c.first_line_id > first, c.first_line_id <= last),
            and_(c.first_line_id == holder, c.last_line_id >= first),
        ))
        values = select(literal(first), literal(last), literal(origin)).where(~overlapping.exists())
        result = session.execute(
            insert(self.table).from_select(["first_line_id", "last_line_id", "origin_order_id"], values))
        return cast("CursorResult[Any]", result).rowcount == 1

    def _runs_of_order(self, session: Session, order_id: int) -> list[tuple[int, int]]:
        """The order's line ids as runs of consecutive ids, computed by the database ("gaps and islands":
        in a run, id minus its rank is constant), so one row comes back per run, not one per line."""
        line_id = getattr(self.line_class, self.pk_key)
        ranked = select(
            line_id.label("line_id"), (line_id - func.row_number().over(order_by=line_id)).label("island")
        ).where(getattr(self.line_class, self.order_id_key) == order_id).subquery()
        rows = session.execute(
            select(func.min(ranked.c.line_id), func.max(ranked.c.line_id)).group_by(ranked.c.island)
            .order_by(func.min(ranked.c.line_id))
        )
        return [(first, last) for first, last in rows]

    def _recorded(
        self, session: Session, runs: Sequence[tuple[int, int]], columns: tuple[Any, ...] = ()
    ) -> list[tuple[Any, ...]]:
        """Recorded runs overlapping ``runs`` (first, last, *columns), sorted: those starting inside one,
        and the one that may hold its start (whose first is the greatest at or before it: an index probe,
        each with a constant, which every database answers from the index)."""
        c = self.table.c
        found: set[tuple[Any, ...]] = set()
        for start in range(0, len(runs), self.PROBES_PER_STATEMENT):
            conditions = []
            for first, last in runs[start:start + self.PROBES_PER_STATEMENT]:
                holder = select(func.max(c.first_line_id)).where(c.first_line_id <= first).scalar_subquery()
                conditions += [and_(c.first_line_id > first, c.first_line_id <= last), c.first_line_id == holder]
            rows = session.execute(select(c.first_line_id, c.last_line_id, *columns).where(or_(*conditions)))
            found.update(tuple(row) for row in rows)
        return sorted(found)

    def of_order(self, session: Session, order_id: int, lines: Iterable[Any]) -> dict[int, int | None]:
        """The origin of each of the order's lines, from the runs that hold them (a line no run holds is still
        in the order it was placed in): one statement for lines of consecutive ids, as an order's usually are."""
        ids = sorted(getattr(line, self.pk_key) for line in lines)
        runs = LineRuns()
        if ids:
            c = self.table.c
            recorded = self._recorded(session, consecutive_runs(ids), columns=(c.origin_order_id,))
            for first, last, origin in recorded:
                runs.starts.append(first)
                runs.ends.append(last)
                runs.origins.append(origin)
        return {line_id: runs.origin_of(line_id) or order_id for line_id in ids}


# -- the new tables of a shop's schema ------------------------------------------------------------------

STATES_TABLE = "order_admin_order_states"
ORIGINS_TABLE = "order_admin_line_origins"
# Not "order_admin_order_events" (the plugin's own tables' history): a shop that used those first keeps them apart.
EVENTS_TABLE = "order_admin_history"
NUMBER_KEYS_TABLE = "order_admin_number_keys"
NUMBER_KEY_LENGTH = 100


def _key_type(column: Any) -> Any:
    """The type of a column referring to ``column``: the same, as MariaDB's foreign keys require."""
    return column.type


# Compared byte by byte on every database, so "starts with" is a plain index range (see numbers.py).
BinaryText = (
    String(NUMBER_KEY_LENGTH)
    .with_variant(String(NUMBER_KEY_LENGTH, collation="C"), "postgresql")
    .with_variant(mysql.VARCHAR(NUMBER_KEY_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
)


@dataclass(frozen=True)
class SideTables:
    states: Table
    origins: Table
    events: Table
    number_keys: Table | None


def side_tables(metadata: MetaData, order_pk: Any, line_pk: Any, *, number_keys: bool) -> SideTables:
    """The plugin's tables beside a shop's order table (found in ``metadata`` if already there).

    Each row is keyed by the shop's primary keys, with foreign keys that follow the shop's deletes
    (ON DELETE CASCADE; a merge link to a deleted order is cleared), so the shop's own code can
    delete orders as before.
    """
    order_ref = f"{order_pk.table.name}.{order_pk.name}"
    order_key = _key_type(order_pk)

    def table(name: str, *columns: Any) -> Table:
        existing = metadata.tables.get(name)
        if existing is not None:
            return existing
        return Table(name, metadata, *columns)

    states = table(
        STATES_TABLE,
        Column("order_id", order_key, ForeignKey(order_ref, ondelete="CASCADE", name=f"fk_{STATES_TABLE}_order_id"),
               primary_key=True, autoincrement=False),
        Column("version", Integer, nullable=False, default=1),
        Column("merged_into_id", order_key,
               ForeignKey(order_ref, ondelete="SET NULL", name=f"fk_{STATES_TABLE}_merged_into_id"), nullable=True),
        Column("status_changed_at", DateTime, nullable=True),
    )
    origins = table(
        ORIGINS_TABLE,
        Column("first_line_id", _key_type(line_pk), primary_key=True, autoincrement=False),
        Column("last_line_id", _key_type(line_pk), nullable=False),
        Column("origin_order_id", order_key,
               ForeignKey(order_ref, ondelete="CASCADE", name=f"fk_{ORIGINS_TABLE}_origin_order_id"), nullable=False),
    )
    events = table(
        EVENTS_TABLE,
        Column("id", IdType, primary_key=True, autoincrement=True),
        Column("order_id", order_key, ForeignKey(order_ref, ondelete="CASCADE", name=f"fk_{EVENTS_TABLE}_order_id"),
               nullable=False),
        Column("at", DateTime, nullable=False),
        Column("actor", String(200), nullable=False, default=""),
        Column("action", String(32), nullable=False),
        Column("from_status", String(40)),
        Column("to_status", String(40)),
        Column("details", JSON),
        # A key, not an Index: an autogenerated downgrade then drops it with the table (models.foreign_key_index).
        UniqueConstraint("order_id", "id", name=f"uq_{EVENTS_TABLE}_order_id"),
    )
    keys = None
    if number_keys:
        keys = table(
            NUMBER_KEYS_TABLE,
            Column("order_id", order_key,
                   ForeignKey(order_ref, ondelete="CASCADE", name=f"fk_{NUMBER_KEYS_TABLE}_order_id"),
                   primary_key=True, autoincrement=False),
            Column("reversed_number", BinaryText, nullable=False),
            Column("tail_value", BigInteger, nullable=True),
            Index(f"ix_{NUMBER_KEYS_TABLE}_reversed", "reversed_number", "order_id"),
            Index(f"ix_{NUMBER_KEYS_TABLE}_tail", "tail_value", "order_id"),
        )
    return SideTables(states, origins, events, keys)
