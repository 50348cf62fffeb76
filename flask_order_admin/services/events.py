"""The history of an order: one event per action."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import OrderStatus
from ..errors import StaleOrder
from ..models import Order, OrderEvent, utcnow


def record_event(
    session: Session,
    order: Order,
    action: str,
    *,
    actor: str,
    from_status: OrderStatus | None = None,
    to_status: OrderStatus | None = None,
    details: dict[str, Any] | None = None,
) -> OrderEvent:
    event = OrderEvent(
        order_id=order.id,
        at=utcnow(),
        actor=(actor or "")[:200],
        action=action,
        from_status=None if from_status is None else str(from_status),
        to_status=None if to_status is None else str(to_status),
        details=details or {},
    )
    session.add(event)
    return event


def change_status(order: Order, to_status: OrderStatus) -> None:
    order.status = to_status
    order.status_changed_at = utcnow()


def check_version(session: Session, order: Order, expected_version: int | None) -> None:
    """Refuse when the order changed after the manager's page showed it (version ``expected_version``)."""
    if expected_version is None or order.version == expected_version:
        return
    last = session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.at.desc(), OrderEvent.id.desc())
    ).first()
    who = (last.actor or "another manager") if last else "another manager"
    when = last.at.strftime("%Y-%m-%d %H:%M:%S UTC") if last else "just now"
    raise StaleOrder(
        f"This order was changed by {who} at {when}; review it and try again.", order_number=order.number
    )
