"""An action never throws away the caller's work: flushed or pending, it is refused, and the work stays."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text, update

from flask_order_admin import services
from flask_order_admin.errors import OrderActionError, SessionHasUncommittedWork
from flask_order_admin.models import Order, OrderEvent


def committed(db: Any, statement: Any) -> Any:
    """What a NEW connection reads: only committed rows."""
    with db.engine.connect() as connection:
        return connection.scalar(statement)


def test_a_flushed_row_is_kept_and_the_action_refused(db, session, make_order):
    order_id = make_order("processing").id
    host_row = Order(status="awaiting_payment", buyer_name="flushed by the host, not committed")
    session.add(host_row)
    session.flush()
    host_id = host_row.id
    with pytest.raises(SessionHasUncommittedWork, match="commit or roll") as caught:
        services.cancel(session, order_id, actor="ann")
    assert not isinstance(caught.value, OrderActionError)  # a host bug, never a message for managers
    assert session.get(Order, host_id) is host_row and host_row.buyer_name.startswith("flushed")
    session.commit()  # the host's work is still in its transaction and commits as the host meant
    assert committed(db, select(Order.buyer_name).where(Order.id == host_id)).startswith("flushed")
    assert committed(db, select(Order.status).where(Order.id == order_id)) == "processing"
    services.cancel(session, order_id, actor="ann")  # with the host's work committed, the action runs
    assert committed(db, select(Order.status).where(Order.id == order_id)) == "canceled"


@pytest.mark.parametrize("write", ["orm update", "text update", "flushed event"])
def test_writes_through_the_session_count_as_work_in_progress(db, session, make_order, write):
    order_id = make_order("processing").id
    other_id = make_order("processing").id
    if write == "orm update":
        session.execute(update(Order).where(Order.id == other_id).values(buyer_name="Wang"))
    elif write == "text update":
        session.execute(text(f"UPDATE {Order.__tablename__} SET buyer_name = 'Wang' WHERE id = {other_id}"))
    else:
        session.add(OrderEvent(order_id=other_id, action="comment", actor="host", details={"text": "mine"}))
        session.flush()
    with pytest.raises(SessionHasUncommittedWork):
        services.close(session, order_id, actor="ann")
    session.rollback()  # the host decides: here it drops its work, and the action may run
    services.close(session, order_id, actor="ann")
    assert committed(db, select(Order.status).where(Order.id == order_id)) == "completed"


def test_reads_are_not_work(db, session, make_order):
    order_id = make_order("processing").id
    session.get(Order, order_id)
    session.execute(select(Order.id))
    session.execute(text("select 1"))
    services.cancel(session, order_id, actor="ann")
    assert committed(db, select(Order.status).where(Order.id == order_id)) == "canceled"


def test_work_released_from_a_savepoint_belongs_to_the_transaction(session, make_order):
    order_id = make_order("processing").id
    with session.begin_nested():
        session.add(Order(buyer_name="kept by the outer transaction"))
    with pytest.raises(SessionHasUncommittedWork):
        services.cancel(session, order_id, actor="ann")
    session.rollback()
