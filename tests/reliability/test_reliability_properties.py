"""Random sequences of actions on random orders keep the invariants (Hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import OrderActionError
from flask_order_admin.models import Order, OrderEvent, OrderItem
from flask_order_admin.pricing import Price

POOL = 5
STATUSES = [s.value for s in OrderStatus if s != OrderStatus.MERGED]
ACTIONS = ["cancel", "close", "restore", "merge", "comment"]

steps = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(0, POOL - 1), st.integers(0, POOL - 1)), min_size=1,
    max_size=12,
)
start_statuses = st.lists(st.sampled_from(STATUSES), min_size=POOL, max_size=POOL)


@pytest.fixture
def keep_prices(app):
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{
        **state.settings.__dict__,
        "price_resolver": lambda item, at: Price(item.price, item.discount_price, item.china_delivery),
    })


def money_and_counts(session):
    row = session.execute(select(
        func.count(OrderItem.id), func.coalesce(func.sum(OrderItem.quantity), 0),
        func.coalesce(func.sum(func.coalesce(OrderItem.discount_price, OrderItem.price) * OrderItem.quantity), 0),
    )).one()
    return int(row[0]), int(row[1]), Decimal(row[2]).quantize(Decimal("0.01"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(initial=start_statuses, actions=steps)
def test_random_actions_keep_the_invariants(session, make_order, keep_prices, wipe, initial, actions):
    wipe()
    ids = [make_order(status, items=1 + n % 3).id for n, status in enumerate(initial)]
    start = {order_id: status for order_id, status in zip(ids, initial)}
    before = money_and_counts(session)
    session.rollback()

    for action, i, j in actions:
        try:
            if action == "merge":
                services.merge(session, ids[i], ids[j], actor="prop")
            elif action == "comment":
                services.add_comment(session, ids[i], actor="prop", text="note")
            else:
                getattr(services, action)(session, ids[i], actor="prop")
        except OrderActionError:
            pass  # refused: must have changed nothing, which the invariants below check

    session.expire_all()
    assert money_and_counts(session) == before
    orders = {o.id: o for o in session.scalars(select(Order))}
    for item in session.scalars(select(OrderItem)):
        assert orders[item.order_id].status != OrderStatus.MERGED  # every line sits in a live order
    for order_id, order in orders.items():
        if order.status == OrderStatus.MERGED:
            assert order.merged_into_id in orders and order.merged_into_id != order_id
        # The history explains the status: each change starts where the previous one ended.
        status = start[order_id]
        for event in session.scalars(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
        ):
            if event.to_status is None:
                continue
            assert event.from_status == status
            status = event.to_status
        assert order.status == status
    session.rollback()
