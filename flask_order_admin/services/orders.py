"""Loading one order for reading."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from ..errors import OrderNotFound
from ..store.records import OrderRecord, order_records
from ..settings import Settings
from .app_panel import ServicePanel, find_panel
from .transaction import checked_id


def get_order(
    session: Session, order_id: object, *, panel: ServicePanel | None = None, settings: Settings | None = None,
) -> Any:
    """The order (an object of the order class: the shop's, or ``models.Order``), or OrderNotFound
    with a message for managers."""
    binding = find_panel(panel, settings).store
    order_id = checked_id(order_id)
    order = session.identity_map.get(session.identity_key(binding.order, order_id))
    if order is None or inspect(order).expired:
        # Not loaded yet, or expired by a commit: read afresh, in one statement.
        order = binding.order_by_id(session, order_id)
    if order is None:
        raise OrderNotFound.deleted(order_id)
    return order


def get_order_record(
    session: Session, order_id: object, *, panel: ServicePanel | None = None, settings: Settings | None = None,
    with_state: bool = True,
) -> OrderRecord:
    """The order as the panel reads it (number, status, buyer, state), or OrderNotFound."""
    panel = find_panel(panel, settings)
    order = get_order(session, order_id, panel=panel)
    [record] = order_records(session, panel.store, [order], panel.settings.number_format, with_state=with_state)
    return record
