"""Two managers at once: where only one may succeed, exactly one does, and nothing is lost.

Each thread has its own app context, hence its own session and connection; the calls
capture plain ids, never ORM objects of the test's own session. Where the outcome depends on
which action comes first, each order is forced (tests/races.py) and has a test of its own.
"""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import OrderActionError
from flask_order_admin.models import Order, OrderItem
from tests.races import HeldRace


def run_together(app, db, calls: list[Callable]) -> list[object]:
    """Run each call(session) in its own thread, released at the same moment; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = call(db.session)
            except Exception as exc:  # collected and asserted on by the test
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "an action hung (deadlock?)"
    # The test's own session may hold a snapshot from before the threads (MariaDB's REPEATABLE READ).
    db.session.rollback()
    return results


def item_count_and_quantity(session):
    """Of the plugin's own tables (the reliability tests); ``orders.totals()`` reads either model set."""
    session.expire_all()
    count, quantity = session.execute(select(func.count(OrderItem.id), func.sum(OrderItem.quantity))).one()
    session.rollback()
    return count, quantity


def split(results, order_class=Order):
    wins = [r for r in results if isinstance(r, order_class)]
    refusals = [r for r in results if isinstance(r, OrderActionError)]
    others = [r for r in results if r not in wins and r not in refusals]
    assert others == [], f"unexpected outcomes: {others!r}"
    return wins, refusals


@pytest.fixture
def race(app, db):
    """Two actions, the first holding its locks until the second waits for them (tests/races.py)."""
    return lambda first, second: HeldRace(app, db).run(first, second)


def test_the_same_merge_twice_the_second_waits_and_is_refused(make_order, orders, race):
    added, basic = make_order(items=5).id, make_order(items=4).id
    before = orders.totals()
    first, second = race(lambda s: orders.id_of(services.merge(s, added, basic, actor="ann")),
                         lambda s: orders.id_of(services.merge(s, added, basic, actor="bob")))
    assert first == basic
    assert isinstance(second, OrderActionError) and "already merged" in str(second)
    assert orders.totals() == before
    assert orders.line_count(basic) == 9
    assert [e.action for e in orders.events(added)] == ["merge"]


@pytest.mark.parametrize("first_way", ["a into b", "b into a"])
def test_crossed_merges_the_first_wins_and_the_second_is_refused(make_order, orders, race, first_way):
    a, b = make_order(items=3).id, make_order(items=3).id
    first_pair, second_pair = ((a, b), (b, a)) if first_way == "a into b" else ((b, a), (a, b))
    before = orders.totals()
    first, second = race(lambda s: orders.id_of(services.merge(s, *first_pair, actor="ann")),
                         lambda s: orders.id_of(services.merge(s, *second_pair, actor="bob")))
    merged, basic = first_pair
    assert first == basic and isinstance(second, OrderActionError)
    assert orders.totals() == before
    assert (orders.status(merged), orders.status(basic)) == (OrderStatus.MERGED, OrderStatus.AWAITING_PAYMENT)
    assert orders.line_count(basic) == 6


@pytest.mark.parametrize("first_action, second_action, final", [
    ("cancel", "close", OrderStatus.CANCELED),
    ("close", "cancel", OrderStatus.COMPLETED),
])
def test_cancel_and_close_at_once_the_first_acts_and_the_second_is_refused(
        make_order, orders, race, first_action, second_action, final):
    order_id = make_order("processing").id
    first, second = race(lambda s: orders.id_of(getattr(services, first_action)(s, order_id, actor="ann")),
                         lambda s: orders.id_of(getattr(services, second_action)(s, order_id, actor="bob")))
    assert first == order_id and isinstance(second, OrderActionError)
    assert orders.status(order_id) == final
    assert [(e.action, e.to_status) for e in orders.events(order_id)] == [(first_action, str(final))]


def test_six_orders_into_one_basic_at_once(app, db, session, make_order, orders):
    basic = make_order("awaiting_payment", items=1).id
    added = [make_order("awaiting_payment", items=2).id for _ in range(6)]
    before = orders.totals()
    results = run_together(app, db, [
        (lambda order_id: lambda s: services.merge(s, order_id, basic, actor="ann"))(o) for o in added
    ])
    wins, _ = split(results, orders.binding.order)
    assert len(wins) == 6
    assert orders.totals() == before
    assert orders.line_count(basic) == 13
