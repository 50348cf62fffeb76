"""The price resolver cannot drain the pool or hold the order: it runs before the lock, in a bounded pool.

Restore reads the order, lets go of its connection, asks the resolver (on a worker thread with its
own app context, so its own session), then locks, checks that nothing changed, and applies.
"""

import threading
import time
from decimal import Decimal as D

import pytest
from sqlalchemy import inspect, select, update
from sqlalchemy.orm import object_session

from flask_order_admin import services
from flask_order_admin.errors import PriceResolutionFailed, StaleOrder
from flask_order_admin.models import Order, OrderItem
from flask_order_admin.pricing import Price
from flask_order_admin.services.resolver_pool import THREAD_NAME

TIMED_OUT = "did not answer within"
BUSY = "still busy with earlier requests that did not answer"
NEW_PRICE = D("77.00")


def wait_until(condition, seconds=10.0):
    """Poll ``condition`` until it holds or ``seconds`` pass; its last answer."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def in_own_context(app, db, call):
    """Run call(session) on a thread with its own app context (another manager); its result or exception."""
    outcome = {}

    def work():
        with app.app_context():
            try:
                outcome["result"] = call(db.session)
            except Exception as exc:  # asserted on by the test
                outcome["result"] = exc
            finally:
                db.session.remove()

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_thirty_timed_out_restores_leave_no_thread_or_connection(app, db, session, make_order, use_resolver,
                                                                  snapshot):
    """The issue's leak: a resolver that queries, then waits on a remote call far past the timeout (here until
    the test lets it go, so which restores time out and which are refused does not hang on the machine's speed)."""
    order_id = make_order("canceled", items=1).id
    before = snapshot(order_id)
    seen_while_resolving = []
    remote_answers = threading.Event()

    def querying_then_hanging(item, at):
        db.session.execute(select(1))  # the worker's own session, its own connection
        seen_while_resolving.append((db.engine.pool.checkedout(), threading.active_count()))
        remote_answers.wait(30)
        return Price(NEW_PRICE)

    settings = use_resolver(querying_then_hanging, price_resolver_timeout=0.2)
    workers = settings.price_resolver_workers
    caller = session()  # the restoring request's own Session object
    # Start from a pool with no call of an earlier test still finishing.
    assert wait_until(lambda: not any(t.name == THREAD_NAME for t in threading.enumerate()))
    connections, threads = db.engine.pool.checkedout(), threading.active_count()
    refusals, caller_held = [], []
    try:
        for _ in range(30):
            with pytest.raises(PriceResolutionFailed) as caught:
                services.restore(session, order_id, actor="ann")
            refusals.append(str(caught.value))
            caller_held.append((caller.in_transaction(), db.engine.pool.checkedout()))
    finally:
        remote_answers.set()
    # Bounded by the pool: at most `workers` resolver calls (threads, connections) at any moment,
    # and the refused restore itself holds no transaction and no connection.
    assert len(seen_while_resolving) == workers
    assert max(c for c, _ in seen_while_resolving) <= connections + workers
    assert max(t for _, t in seen_while_resolving) <= threads + workers
    assert not any(held for held, _ in caller_held)
    assert max(c for _, c in caller_held) <= connections + workers
    # The first `workers` calls each wait out the timeout and stay abandoned in their places; the rest are
    # refused at once.
    assert [TIMED_OUT in r for r in refusals] == [True] * workers + [False] * (30 - workers), refusals
    assert all(BUSY in r for r in refusals[workers:]), refusals
    # Once the abandoned calls return, everything is back where it started.
    assert wait_until(lambda: (db.engine.pool.checkedout(), threading.active_count()) == (connections, threads))
    assert snapshot(order_id) == before


def test_the_order_is_not_locked_while_prices_are_looked_up(app, db, session, make_order, use_resolver, events_of):
    """A slow resolver for A's restore: another manager cancels B meanwhile (SQLite used to lock everything)."""
    a_id = make_order("canceled", items=2).id
    b_id = make_order("processing", items=1).id
    caller = session()
    b_canceled = threading.Event()
    during = {}

    def cancel_and_signal(s):
        status = str(services.cancel(s, b_id, actor="bob").status)
        b_canceled.set()
        return status

    def slow_resolver(item, at):
        if "holding" not in during:
            during["holding"] = caller.in_transaction()
            thread, outcome = in_own_context(app, db, cancel_and_signal)
            during["b canceled in time"] = b_canceled.wait(5)
            thread.join(30)
            during["b outcome"] = outcome.get("result")
        return Price(NEW_PRICE, None, item.china_delivery)

    use_resolver(slow_resolver, price_resolver_timeout=8)
    restored = services.restore(session, a_id, actor="ann")
    assert during["holding"] is False, "restore held a transaction while the resolver ran"
    assert during["b canceled in time"], "another order could not be canceled while A's prices were looked up"
    assert during["b outcome"] == "canceled"
    assert restored.status == "awaiting_payment"
    session.expire_all()
    assert {i.price for i in session.query(OrderItem).filter_by(order_id=a_id)} == {NEW_PRICE}
    assert events_of(b_id)[-1].action == "cancel"


def change_order_fields(session, order_id):
    order = session.get(Order, order_id)
    order.buyer_name = "Changed meanwhile"
    session.commit()


def change_a_line_quantity(session, order_id):
    # A host's own edit of a line: the order's version does not move, the line does.
    first = session.scalars(select(OrderItem.id).where(OrderItem.order_id == order_id).order_by(OrderItem.id)).first()
    session.execute(update(OrderItem).where(OrderItem.id == first).values(quantity=OrderItem.quantity + 5))
    session.commit()


def add_a_line(session, order_id):
    session.add(OrderItem(order_id=order_id, provider_item_id="tb-new", title="Added meanwhile", quantity=1,
                          price=D("5.00"), china_delivery=D("0.00")))
    session.commit()


@pytest.mark.parametrize("change", [change_order_fields, change_a_line_quantity, add_a_line])
def test_a_change_during_the_lookup_makes_restore_refuse_as_stale(app, db, session, make_order, use_resolver,
                                                                  events_of, change):
    order_id = make_order("canceled", items=2).id
    changed = threading.Event()
    during = {}

    def changing_meanwhile(item, at):
        if "outcome" not in during:
            thread, outcome = in_own_context(app, db, lambda s: change(s, order_id))
            thread.join(5)
            during["changed in time"] = not thread.is_alive()
            during["outcome"] = outcome.get("result")
            changed.set()
        return Price(NEW_PRICE, None, item.china_delivery)

    use_resolver(changing_meanwhile, price_resolver_timeout=8)
    with pytest.raises(StaleOrder) as caught:
        services.restore(session, order_id, actor="ann")
    assert during["changed in time"] and during["outcome"] is None
    message = str(caught.value)
    assert "changed while its prices were being looked up" in message and "nothing was changed" in message
    session.expire_all()
    order = session.get(Order, order_id)
    assert order.status == "canceled"
    assert NEW_PRICE not in {i.price for i in session.query(OrderItem).filter_by(order_id=order_id)}
    assert [e.action for e in events_of(order_id)] == []
    session.rollback()


WAITED = 8.0  # seconds


def test_restores_are_refused_at_once_while_abandoned_calls_fill_the_pool(app, db, session, make_order,
                                                                          use_resolver, snapshot):
    order_id = make_order("canceled", items=1).id
    before = snapshot(order_id)
    release = threading.Event()
    calls = []

    def hanging(item, at):
        calls.append(item.id)
        release.wait(10)
        return Price(NEW_PRICE)

    settings = use_resolver(hanging, price_resolver_timeout=0.2)
    try:
        for _ in range(settings.price_resolver_workers):
            with pytest.raises(PriceResolutionFailed, match=TIMED_OUT):
                services.restore(session, order_id, actor="ann")
        # A long timeout now: a restore that waited for a place instead of refusing would take all of it.
        use_resolver(hanging, price_resolver_timeout=WAITED)
        started = time.monotonic()
        with pytest.raises(PriceResolutionFailed) as caught:
            services.restore(session, order_id, actor="ann")
        elapsed = time.monotonic() - started
    finally:
        release.set()
    assert elapsed < WAITED / 4, "a full pool must refuse at once, not wait for the timeout"
    assert BUSY in str(caught.value) and "try again in a minute" in str(caught.value)
    assert len(calls) == settings.price_resolver_workers, "the refused restore must not start another call"
    assert snapshot(order_id) == before
    # Once the abandoned calls return, restore works again.
    state = app.extensions["order_admin"]
    assert wait_until(lambda: state.resolver_pool.abandoned == 0)
    use_resolver(lambda item, at: Price(NEW_PRICE), price_resolver_timeout=5)
    assert services.restore(session, order_id, actor="ann").status == "awaiting_payment"


def test_resolver_gets_detached_copies_of_the_lines(session, make_order, use_resolver):
    order = make_order("canceled", items=3)
    stored = {i.id: (i.order_id, i.provider_item_id, i.quantity, i.title, i.price, i.discount_price,
                     i.china_delivery) for i in order.items}
    seen = {}

    def looking(item, at):
        state = inspect(item)
        seen[item.id] = (state.transient, object_session(item),
                         (item.order_id, item.provider_item_id, item.quantity, item.title, item.price,
                          item.discount_price, item.china_delivery))
        return Price(item.price, item.discount_price, item.china_delivery)

    use_resolver(looking)
    services.restore(session, order.id, actor="ann")
    assert set(seen) == set(stored)
    for item_id, (transient, owner, values) in seen.items():
        assert transient and owner is None, "the resolver was handed an object of a session"
        assert values == stored[item_id]
