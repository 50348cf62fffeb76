"""Loading one order for reading."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..errors import OrderNotFound
from ..models import Order
from .transaction import checked_id


def get_order(session: Session, order_id: object) -> Order:
    """The order, or OrderNotFound with a message for managers."""
    order = session.get(Order, checked_id(order_id))
    if order is None:
        raise OrderNotFound(f"There is no order {order_id}; it may have been deleted.")
    return order
