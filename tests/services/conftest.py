from typing import Any

import pytest

from flask_order_admin.models import Order, OrderEvent, OrderItem


@pytest.fixture
def snapshot(session: Any):
    """Everything a refused action must leave as it was: the row, its items and its events."""

    def take(order_id: int) -> dict[str, Any]:
        session.expire_all()
        order = session.get(Order, order_id)
        row = {c.key: getattr(order, c.key) for c in Order.__mapper__.column_attrs}
        items = [
            {c.key: getattr(i, c.key) for c in OrderItem.__mapper__.column_attrs}
            for i in session.query(OrderItem).filter_by(order_id=order_id).order_by(OrderItem.id)
        ]
        events = session.query(OrderEvent).filter_by(order_id=order_id).count()
        session.rollback()
        return {"order": row, "items": items, "events": events}

    return take


@pytest.fixture
def events_of(session: Any):
    def events(order_id: int) -> list[OrderEvent]:
        session.expire_all()
        return session.query(OrderEvent).filter_by(order_id=order_id).order_by(OrderEvent.id).all()

    return events
