"""Cancel and close: actions that only move an order along the status tables; whether an action may run."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from ..domain import Action, OrderStatus, TRANSITIONS, refusal_reason
from ..domain.messages import N_, Message
from ..domain.rules import ACCESS_DENIED, switched_off_reason, unknown_status_reason
from ..errors import ActionNotAllowed, ReasonNotListed
from ..store.records import OrderRecord
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from ..signals import order_canceled, order_closed
from .events import canceled_event, check_version, closed_event
from .transaction import ActionTransaction, action_transaction, lock_orders

SIGNALS = {Action.CANCEL: order_canceled, Action.CLOSE: order_closed}


def action_refusal(panel: ServicePanel, order: OrderRecord, action: Action,
                   allowed: Callable[[Any], bool] | None = None) -> Message | None:
    """Why ``action`` may not run on ``order`` now, for a manager; None when it may.

    ``allowed``: the host's access rule for this action and manager, asked with the order's own object
    (None: not asked, as when the shop's code calls a service).

    An action whose status the shop has no value for is off; an order whose stored status the
    shop's mapping does not know allows only export; then the status tables decide (merge: the
    merge matrix, pair by pair, see ``merging.merge_refusal``).
    """
    if allowed is not None and not allowed(order.obj):
        return ACCESS_DENIED[action]
    if action == Action.UNMERGE:
        # Whether this merge can be undone is the merge's own story: ``services.preview_unmerge`` tells it.
        return None if order.status == OrderStatus.MERGED else N_("Only a merged order can be unmerged.")
    reason = switched_off_reason(action, panel.store.statuses.mapped, panel.settings.merge_result_status)
    if reason is not None:
        return reason
    if order.status is None:
        return unknown_status_reason(action, order.raw_status)
    if action == Action.MERGE:
        return None
    reason = refusal_reason(action, order.status, panel.store.statuses.mapped)
    if reason is None and action == Action.RESTORE and not panel.settings.has_price_resolver:
        # Restore recalculates every price: without a resolver it has no way forward.
        # No setting's name here: the manager reads it; docs/configuration.md tells the shop's developer which one.
        return N_("No price resolver is configured, so the prices cannot be recalculated and the order cannot "
                  "be restored.")
    return reason


def ensure_allowed(panel: ServicePanel, order: OrderRecord, action: Action) -> None:
    reason = action_refusal(panel, order, action)
    if reason is not None:
        raise ActionNotAllowed(N_("%(number)s: %(reason)s", number=order.number, reason=reason),
                             order_number=order.number)


def _transition(
    session: Session,
    order_id: int,
    action: Action,
    *,
    actor: str,
    expected_version: int | None,
    panel: ServicePanel,
    event: Callable[..., dict[str, Any]],
) -> Any:
    """Move the order along ``action``'s transition; ``event`` builds its history row (services/events.py)."""
    with action_transaction(session, panel) as transaction:
        order = lock_orders(session, panel, [order_id])[order_id]
        check_version(session, panel, order, expected_version)
        ensure_allowed(panel, order, action)
        transition_orders(session, panel, transaction, [order], action, actor=actor, event=event)
    return order.obj


def transition_orders(
    session: Session, panel: ServicePanel, transaction: ActionTransaction, orders: list[OrderRecord],
    action: Action, *, actor: str, event: Callable[..., dict[str, Any]],
) -> None:
    """Move locked orders, each already checked, along ``action``'s transition: their status and state in one
    UPDATE (``OrderStore.write_changes``), one event each (``event`` builds it) in one INSERT, one signal each
    once ``transaction`` has committed. The single action runs it for its one order, a bulk one for a chunk."""
    if not orders:
        return
    to_status = TRANSITIONS[action].to_status
    assert to_status is not None  # the actions that come here all change the status
    from_statuses = [order.status for order in orders]
    binding = panel.store
    binding.write_changes(session, [order.change(to_status) for order in orders])
    written = binding.record_events_of_locked_orders(session, [
        event(order, actor=actor, from_status=from_status)
        for order, from_status in zip(orders, from_statuses, strict=True)
    ])
    for order, from_status, row in zip(orders, from_statuses, written, strict=True):
        transaction.send_after_commit(SIGNALS[action], order=order.obj, actor=actor, from_status=from_status,
                                      to_status=to_status, details=row.details, event=row)


def cancel(
    session: Session, order_id: int, *, actor: str, reason: str | None = None, reason_choice: str | None = None,
    expected_version: int | None = None, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> Any:
    """Cancel an order whose goods have not reached the warehouse; returns the order. ``reason``: the manager's
    words; ``reason_choice``: the value of an ORDER_ADMIN_CANCEL_REASONS reason (another is refused)."""
    panel = find_panel(panel, settings)
    return _transition(session, order_id, Action.CANCEL, actor=actor, expected_version=expected_version,
                       panel=panel, event=cancel_event_builder(panel, reason, reason_choice))


def cancel_event_builder(
    panel: ServicePanel, reason: str | None, reason_choice: str | None,
) -> Callable[..., dict[str, Any]]:
    """The event of a cancel with these reasons; refuses, before anything changes, a choice not listed."""
    choice = None
    if reason_choice is not None:
        choice = panel.settings.cancel_reason(reason_choice)
        if choice is None:
            raise ReasonNotListed(N_("The reason picked is not one of the cancel reasons (the list may have "
                                     "just changed); nothing was changed. Pick a reason again."))
    return partial(canceled_event, reason=reason, choice=choice)


def close(
    session: Session, order_id: int, *, actor: str, expected_version: int | None = None,
    panel: ServicePanel | None = None, settings: Settings | None = None,
) -> Any:
    """Close (complete) an order; afterwards it can only be exported. Returns the order."""
    panel = find_panel(panel, settings)
    return _transition(session, order_id, Action.CLOSE, actor=actor, expected_version=expected_version,
                       panel=panel, event=closed_event)

