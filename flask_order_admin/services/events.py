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
    values = {
        "order_id": order.id,
        "at": utcnow(),
        "actor": (actor or "")[:200],
        "action": action,
        "from_status": None if from_status is None else str(from_status),
        "to_status": None if to_status is None else str(to_status),
        "details": details or {},
    }
    events = settings.models.events
    event_id = session.execute(insert(events).values(**values)).inserted_primary_key[0]
    return EventRecord(id=event_id, **values)


def change_order(
    session: Session, settings: Settings, order: OrderRecord, *, to_status: OrderStatus | None = None,
    **state: Any,
) -> None:
    """Set the order's status (the shop's value for it) and the plugin's state, version + 1."""
    binding = settings.models
    if to_status is not None:
        binding.set_status(order.obj, to_status)
        state["status_changed_at"] = utcnow()
    binding.state.save(session, order.obj, order.state, version=order.version + 1, **state)


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
