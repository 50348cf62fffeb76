"""An order's history: its events as written and read back, and the SQL of the history table both order
stores share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class EventRecord:
    """An event as written and read back (what the signals carry, what the history shows): a row of the
    history table. ``action`` is the kind (an ``Action`` value), which says what ``details`` holds."""

    id: int
    order_id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    details: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Mapping[Any, Any]) -> EventRecord:
        """A row of the history table (a mapping of its columns) as read back."""
        return cls(**{**row, "details": row["details"] or {}})


class History:
    """The history table's SQL (a base of ``SQLOrderStore``): one event per action, written in one statement."""

    events: Table

    def record_events(self, session: Session, rows: list[dict[str, Any]]) -> list[EventRecord]:
        """Write events (rows of the history table) in one statement; they come back with their ids."""
        events = self.events
        ids = session.scalars(insert(events).returning(events.c.id, sort_by_parameter_order=True), rows).all()
        return [EventRecord(id=event_id, **row) for event_id, row in zip(ids, rows, strict=True)]

    def record_events_of_locked_orders(self, session: Session, rows: list[dict[str, Any]]) -> list[EventRecord]:
        """``record_events`` for one event per order, of orders this transaction holds locked, all of one action
        (a bulk action's chunk): one INSERT, then one SELECT reading their ids back by order.

        Not ``INSERT … RETURNING``: SQLite and MariaDB cannot say which row got which id in one multi-row
        statement, so SQLAlchemy would send one INSERT per event. Reading back is safe: the orders are locked,
        so no other action writes an event for them meanwhile, and each order's newest event of the action is
        the one just written (an earlier one, even of a transaction that committed just before, got a lower id).
        """
        if len(rows) <= 1:
            return self.record_events(session, rows)
        events = self.events
        session.execute(insert(events), rows)
        ids: dict[int, int] = dict(session.execute(
            select(events.c.order_id, func.max(events.c.id))
            .where(events.c.order_id.in_([row["order_id"] for row in rows]), events.c.action == rows[0]["action"])
            .group_by(events.c.order_id)
        ).all())
        return [EventRecord(id=ids[row["order_id"]], **row) for row in rows]

    def events_of(self, session: Session, order_id: int, actions: Iterable[str] | None = None) -> list[EventRecord]:
        """The order's events (of ``actions`` only, if given), oldest first."""
        c = self.events.c
        statement = select(self.events).where(c.order_id == order_id)
        if actions is not None:
            statement = statement.where(c.action.in_(list(actions)))
        rows = session.execute(statement.order_by(c.at, c.id)).mappings()
        return [EventRecord.from_row(row) for row in rows]

    def events_of_orders(self, session: Session, order_ids: Iterable[int],
                         actions: Iterable[str]) -> dict[int, list[EventRecord]]:
        """The orders' events of ``actions``, each order's oldest first (by id), in one statement."""
        c = self.events.c
        rows = session.execute(
            select(self.events).where(c.order_id.in_(list(order_ids)), c.action.in_(list(actions)))
            .order_by(c.order_id, c.id)
        ).mappings()
        found: dict[int, list[EventRecord]] = {}
        for row in rows:
            found.setdefault(row["order_id"], []).append(EventRecord.from_row(row))
        return found

    def newest_events(self, session: Session, order_id: int, action: str) -> list[EventRecord]:
        """The order's events of ``action``, newest first (by id: the order they were written in)."""
        c = self.events.c
        rows = session.execute(
            select(self.events).where(c.order_id == order_id, c.action == action).order_by(c.id.desc())
        ).mappings()
        return [EventRecord.from_row(row) for row in rows]

    def last_change(self, session: Session, order_id: int) -> tuple[str, datetime] | None:
        """Who wrote the order's newest event, and when (None: it has none)."""
        c = self.events.c
        last = session.execute(
            select(c.actor, c.at).where(c.order_id == order_id).order_by(c.at.desc(), c.id.desc()).limit(1)
        ).first()
        return None if last is None else (last.actor, last.at)
