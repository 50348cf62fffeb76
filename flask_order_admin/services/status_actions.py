"""Cancel, close, comment: actions that only move an order along the status tables."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain import Action, OrderStatus, TRANSITIONS, refusal_reason
from ..errors import ActionNotAllowed
from ..models import Order
from ..settings import Settings, current_settings
from ..signals import order_canceled, order_closed, order_commented
from .events import change_status, check_version, record_event
from .transaction import action_transaction, lock_orders

SIGNALS = {Action.CANCEL: order_canceled, Action.CLOSE: order_closed}


def ensure_allowed(order: Order, action: Action) -> None:
    reason = refusal_reason(action, OrderStatus.parse(order.status))
    if reason is not None:
        raise ActionNotAllowed(f"{order.number}: {reason}", order_number=order.number)


def _transition(
    session: Session,
    order_id: int,
    action: Action,
    *,
    actor: str,
    expected_version: int | None,
    settings: Settings | None,
    details: dict | None = None,
) -> Order:
    settings = settings or current_settings()
    with action_transaction(session, settings) as transaction:
        order = lock_orders(session, [order_id])[order_id]
        check_version(session, order, expected_version)
        ensure_allowed(order, action)
        from_status = order.status
        to_status = TRANSITIONS[action].to_status
        change_status(order, to_status)
        event = record_event(session, order, action.value, actor=actor, from_status=from_status,
                             to_status=to_status, details=details)
        transaction.send_after_commit(SIGNALS[action], order=order, actor=actor, from_status=from_status,
                                      to_status=to_status, details=event.details, event=event)
    return order


def cancel(
    session: Session, order_id: int, *, actor: str, reason: str | None = None,
    expected_version: int | None = None, settings: Settings | None = None,
) -> Order:
    """Cancel an order whose goods have not reached the warehouse."""
    details = {"reason": reason.strip()[:2000]} if reason and reason.strip() else None
    return _transition(session, order_id, Action.CANCEL, actor=actor, expected_version=expected_version,
                       settings=settings, details=details)


def close(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    settings: Settings | None = None,
) -> Order:
    """Close (complete) an order; afterwards it can only be exported."""
    return _transition(session, order_id, Action.CLOSE, actor=actor, expected_version=expected_version,
                       settings=settings)


def add_comment(
    session: Session, order_id: int, *, actor: str, text: str, settings: Settings | None = None,
) -> Order:
    """Add a manager's note to the order's history."""
    text = (text or "").strip()
    if not text:
        raise ActionNotAllowed("A comment cannot be empty.")
    settings = settings or current_settings()
    with action_transaction(session, settings) as transaction:
        order = lock_orders(session, [order_id])[order_id]
        ensure_allowed(order, Action.COMMENT)
        event = record_event(session, order, Action.COMMENT.value, actor=actor, details={"text": text[:5000]})
        transaction.send_after_commit(order_commented, order=order, actor=actor, details=event.details, event=event)
    return order
