"""Restore racing a merge of the same order: the row locks serialise them, nothing is lost.

Uses the thread harness of tests/services/test_services_concurrency.py: each thread has its
own app context and session, the calls capture plain ids, and the test's session is rolled
back after the threads.
"""

import time
from decimal import Decimal as D

import pytest

from flask_order_admin import services
from flask_order_admin.errors import OrderActionError, StaleOrder
from flask_order_admin.models import Order, OrderEvent, OrderItem
from flask_order_admin.pricing import Price
from tests.services.test_services_concurrency import item_count_and_quantity, run_together

NEW_PRICE = D("77.00")


@pytest.fixture
def slow_resolver(app):
    """A resolver that takes a moment (so the merge arrives while restore looks up prices) and reprices."""
    state = app.extensions["order_admin"]

    def resolver(item, at):
        time.sleep(0.15)
        return Price(NEW_PRICE, None, item.china_delivery)

    state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": resolver})


def status_chain_holds(session, order_id):
    """Every event leads from the status the previous one left, and the last one is the order's status."""
    session.expire_all()
    events = session.query(OrderEvent).filter_by(order_id=order_id).filter(
        OrderEvent.to_status.isnot(None)).order_by(OrderEvent.id).all()
    order = session.get(Order, order_id)
    statuses = [(e.from_status, e.to_status) for e in events]
    session.rollback()
    for (_, before), (after, _) in zip(statuses, statuses[1:]):
        assert before == after, f"broken history {statuses}"
    assert not statuses or statuses[-1][1] == str(order.status)
    return statuses


def outcomes(results):
    assert all(isinstance(r, (Order, OrderActionError)) for r in results), results
    return [isinstance(r, Order) for r in results]


@pytest.mark.parametrize("attempt", range(2))
def test_restore_and_merge_of_the_same_order_are_serialised(app, db, session, make_order, slow_resolver, attempt):
    canceled, basic = make_order("canceled", items=3).id, make_order("awaiting_payment", items=2).id
    before = item_count_and_quantity(session)
    restore_won, merge_won = outcomes(run_together(app, db, [
        lambda s: services.restore(s, canceled, actor="ann"),
        lambda s: services.merge(s, canceled, basic, actor="bob"),
    ]))
    assert restore_won, "restore of a canceled order must succeed whichever comes first"
    assert item_count_and_quantity(session) == before
    history = status_chain_holds(session, canceled)
    status_chain_holds(session, basic)
    session.expire_all()
    if merge_won:  # restore came first, then the merge of the now awaiting-payment order
        assert history == [("canceled", "awaiting_payment"), ("awaiting_payment", "merged")]
        assert session.query(OrderItem).filter_by(order_id=canceled).count() == 0
        moved = session.query(OrderItem).filter_by(origin_order_id=canceled).all()
        assert len(moved) == 3 and {i.price for i in moved} == {NEW_PRICE}  # repriced before they moved
    else:  # the merge came first and was refused: a canceled order cannot be merged
        assert history == [("canceled", "awaiting_payment")]
        assert {i.price for i in session.query(OrderItem).filter_by(order_id=canceled)} == {NEW_PRICE}
        assert session.query(OrderItem).filter_by(order_id=basic).count() == 2
    session.rollback()


def test_with_the_versions_the_pages_showed_only_one_acts(app, db, session, make_order, slow_resolver):
    """Two managers looking at the same canceled order: one restores, the other's merge is refused."""
    canceled, basic = make_order("canceled", items=2).id, make_order("awaiting_payment", items=2).id
    version = session.get(Order, canceled).version
    session.rollback()
    before = item_count_and_quantity(session)
    results = run_together(app, db, [
        lambda s: services.restore(s, canceled, actor="ann", expected_version=version),
        lambda s: services.merge(s, canceled, basic, actor="bob", expected_version=version),
    ])
    assert outcomes(results) == [True, False]
    assert isinstance(results[1], OrderActionError)
    if isinstance(results[1], StaleOrder):
        assert "changed by ann" in str(results[1])
    assert item_count_and_quantity(session) == before
    assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment")]
    assert session.query(OrderEvent).filter_by(order_id=basic).count() == 0
    session.rollback()


def test_restore_racing_a_merge_into_the_restored_order(app, db, session, make_order, slow_resolver):
    """While the canceled order is being restored, another order is merged into it: refused or after."""
    canceled, added = make_order("canceled", items=2).id, make_order("awaiting_payment", items=3).id
    before = item_count_and_quantity(session)
    restore_won, merge_won = outcomes(run_together(app, db, [
        lambda s: services.restore(s, canceled, actor="ann"),
        lambda s: services.merge(s, added, canceled, actor="bob"),
    ]))
    assert restore_won
    assert item_count_and_quantity(session) == before
    status_chain_holds(session, canceled)
    status_chain_holds(session, added)
    session.expire_all()
    expected = 5 if merge_won else 2
    assert session.query(OrderItem).filter_by(order_id=canceled).count() == expected
    session.rollback()
