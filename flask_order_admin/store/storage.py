"""The tables the panel adds beside a shop's own (``side_tables``): an order's state (version, merge link,
status date), a line's first order (its origin, as runs of line ids), the history, the number keys; keyed
by the shop's primary keys, so the shop's tables, rows and code stay as they are. The plugin's own tables
keep these as columns of ``order_admin_orders`` and ``order_admin_order_items`` (models.py).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Column, DateTime, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint, SmallInteger,
    String, Table, UniqueConstraint,
)
from sqlalchemy.dialects import mysql

IdType = BigInteger().with_variant(Integer(), "sqlite")


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


# -- the new tables of a shop's schema ------------------------------------------------------------------

STATES_TABLE = "order_admin_order_states"
ORIGINS_TABLE = "order_admin_line_origins"
# Not "order_admin_order_events" (the plugin's own tables' history): a shop that used those first keeps them apart.
EVENTS_TABLE = "order_admin_history"
NUMBER_KEYS_TABLE = "order_admin_number_keys"
NUMBER_KEY_LENGTH = 100
SEARCH_KEYS_TABLE = "order_admin_search_keys"
ITEM_KEYS_TABLE = "order_admin_item_keys"
SEARCH_KEY_LENGTH = 200


def _key_type(column: Any) -> Any:
    """The type of a column referring to ``column``: the same, as MariaDB's foreign keys require."""
    return column.type


# Compared byte by byte on every database, so "starts with" is a plain index range (see numbers.py).
BinaryText = (
    String(NUMBER_KEY_LENGTH)
    .with_variant(String(NUMBER_KEY_LENGTH, collation="C"), "postgresql")
    .with_variant(mysql.VARCHAR(NUMBER_KEY_LENGTH, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
)


def _binary_text(length: int) -> Any:
    return (
        String(length)
        .with_variant(String(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
    )


@dataclass(frozen=True)
class SearchKeyTables:
    orders: Table  # (kind, key, order_id): the buyer's name words, phone, email, and a mark per indexed order
    lines: Table  # (key, line_id): the lines' item ids and URLs, and a mark per indexed line


def search_key_tables(metadata: MetaData, order_pk: Any, line_pk: Any) -> SearchKeyTables:
    """The search's own index beside the orders and lines (docs/design.md, "Search keys"), found in
    ``metadata`` if already there. Each key's row follows its order's or line's delete (ON DELETE CASCADE).
    The primary keys are the lookups' indexes; a second key led by the order (line) id gives the newest
    indexed one."""
    orders = metadata.tables.get(SEARCH_KEYS_TABLE)
    if orders is None:
        orders = Table(
            SEARCH_KEYS_TABLE, metadata,
            Column("kind", SmallInteger, nullable=False, autoincrement=False),
            Column("key", _binary_text(SEARCH_KEY_LENGTH), nullable=False),
            Column("order_id", _key_type(order_pk),
                   ForeignKey(f"{order_pk.table.name}.{order_pk.name}", ondelete="CASCADE",
                              name=f"fk_{SEARCH_KEYS_TABLE}_order_id"), nullable=False),
            PrimaryKeyConstraint("kind", "key", "order_id", name=f"pk_{SEARCH_KEYS_TABLE}"),
            # A key, not an Index: an autogenerated downgrade then drops it with the table (models.foreign_key_index).
            UniqueConstraint("order_id", "kind", "key", name=f"uq_{SEARCH_KEYS_TABLE}_order_id"),
        )
    lines = metadata.tables.get(ITEM_KEYS_TABLE)
    if lines is None:
        lines = Table(
            ITEM_KEYS_TABLE, metadata,
            Column("key", _binary_text(SEARCH_KEY_LENGTH), nullable=False),
            Column("line_id", _key_type(line_pk),
                   ForeignKey(f"{line_pk.table.name}.{line_pk.name}", ondelete="CASCADE",
                              name=f"fk_{ITEM_KEYS_TABLE}_line_id"), nullable=False),
            PrimaryKeyConstraint("key", "line_id", name=f"pk_{ITEM_KEYS_TABLE}"),
            UniqueConstraint("line_id", "key", name=f"uq_{ITEM_KEYS_TABLE}_line_id"),
        )
    return SearchKeyTables(orders, lines)


@dataclass(frozen=True)
class SideTables:
    states: Table
    origins: Table
    events: Table
    number_keys: Table | None
    search_keys: SearchKeyTables


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
    return SideTables(states, origins, events, keys, search_key_tables(metadata, order_pk, line_pk))
