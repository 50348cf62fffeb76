"""The history of an order (one event per action), and the changes an action writes to an order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..domain import OrderStatus
from ..errors import StaleOrder
from ..models import utcnow
from ..records import OrderRecord
from ..settings import Settings


@dataclass(frozen=True)
class EventRecord:
    """An event as written (what the signals carry): the row of the history table."""

    id: int
    order_id: int
    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    details: dict[str, Any] = field(default_factory=dict)


def record_event(
    session: Session,
    settings: Settings,
    order: OrderRecord,
    action: str,
    *,
    actor: str,
    from_status: OrderStatus | None = None,
    to_status: OrderStatus | None = None,
    details: dict[str, Any] | None = None,
) -> EventRecord:
    """Write one event; statuses are kept as the plugin's codes, whatever the shop stores."""
    [event] = record_events(session, settings, [event_values(
        order, action, actor=actor, from_status=from_status, to_status=to_status, details=details)])
    return event


def event_values(
    order: OrderRecord, action: str, *, actor: str, from_status: OrderStatus | None = None,
    to_status: OrderStatus | None = None, details: dict[str, Any] | None = None, at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "at": at or utcnow(),
        "actor": (actor or "")[:200],
        "action": action,
        "from_status": None if from_status is None else str(from_status),
        "to_status": None if to_status is None else str(to_status),
        "details": details or {},
    }


def record_events(session: Session, settings: Settings, rows: list[dict[str, Any]]) -> list[EventRecord]:
    """Write several events in one statement (``event_values`` each); they come back with their ids."""
    events = settings.models.events
    ids = session.scalars(insert(events).returning(events.c.id, sort_by_parameter_order=True), rows).all()
    return [EventRecord(id=event_id, **row) for event_id, row in zip(ids, rows, strict=True)]


def record_events_of_locked_orders(
    session: Session, settings: Settings, rows: list[dict[str, Any]],
) -> list[EventRecord]:
    """``record_events`` for one event per order, of orders this transaction holds locked, all with the same
    ``at`` and action (a bulk action's chunk): one INSERT, then one SELECT reading their ids back by order.

    Not ``INSERT … RETURNING``: SQLite and MariaDB cannot say which row got which id in one multi-row
    statement, so SQLAlchemy would send one INSERT per event. Reading back is safe: the orders are locked,
    so no other action writes an event for them meanwhile, and each got exactly one.
    """
    if len(rows) <= 1:
        return record_events(session, settings, rows)
    events = settings.models.events
    session.execute(insert(events), rows)
    ids = dict(session.execute(
        select(events.c.order_id, events.c.id).where(
            events.c.order_id.in_([row["order_id"] for row in rows]), events.c.action == rows[0]["action"],
            events.c.at == rows[0]["at"],
        )
    ).all())
    return [EventRecord(id=ids[row["order_id"]], **row) for row in rows]


def change_order(
    session: Session, settings: Settings, order: OrderRecord, *, to_status: OrderStatus | None = None,
    **state: Any,
) -> None:
    """Set the order's status (the shop's value for it) and the plugin's state, version + 1."""
    change_orders(session, settings, [(order, to_status, state)])


def change_orders(
    session: Session, settings: Settings, changes: list[tuple[OrderRecord, OrderStatus | None, dict[str, Any]]],
) -> None:
    """``change_order`` for several orders, their state written together (one statement per kind of write)."""
    binding = settings.models
    saved = []
    for order, to_status, state in changes:
        state = dict(state)
        if to_status is not None:
            binding.set_status(order.obj, to_status)
            state["status_changed_at"] = utcnow()
        saved.append((order.obj, order.state, {"version": order.version + 1, **state}))
    binding.state.save_many(session, saved)


def events_of(session: Session, settings: Settings, order_id: int) -> list[Any]:
    """The order's events, oldest first (rows with ``at``, ``actor``, ``action``, statuses, ``details``)."""
    events = settings.models.events
    return list(session.execute(
        select(events).where(events.c.order_id == order_id).order_by(events.c.at, events.c.id)
    ))


def check_version(session: Session, settings: Settings, order: OrderRecord, expected_version: int | None) -> None:
    """Refuse when the order changed after the manager's page showed it (version ``expected_version``)."""
    if expected_version is None or order.version == expected_version:
        return
    events = settings.models.events
    last = session.execute(
        select(events.c.actor, events.c.at).where(events.c.order_id == order.id)
        .order_by(events.c.at.desc(), events.c.id.desc()).limit(1)
    ).first()
    who = (last.actor or "another manager") if last else "another manager"
    when = last.at.strftime("%Y-%m-%d %H:%M:%S UTC") if last else "just now"
    raise StaleOrder(
        f"This order was changed by {who} at {when}; review it and try again.", order_number=order.number
    )
