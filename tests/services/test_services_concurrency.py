"""Two managers at once: where only one may succeed, exactly one does, and nothing is lost.

Each thread has its own app context, hence its own session and connection; the calls
capture plain ids, never ORM objects of the test's own session.
"""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from flask_order_admin import services
from flask_order_admin.errors import OrderActionError
from flask_order_admin.models import Order, OrderItem


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


@pytest.mark.parametrize("attempt", range(3))
def test_same_merge_twice_at_once(app, db, session, make_order, orders, attempt):
    added, basic = make_order(items=5).id, make_order(items=4).id
    before = orders.totals()
    results = run_together(app, db, [lambda s: services.merge(s, added, basic, actor="ann"),
                                     lambda s: services.merge(s, added, basic, actor="bob")])
    wins, refusals = split(results, orders.binding.order)
    assert len(wins) == 1 and len(refusals) == 1
    assert "already merged" in str(refusals[0])
    assert orders.totals() == before
    assert orders.line_count(basic) == 9
    assert [e.action for e in orders.events(added)] == ["merge"]


@pytest.mark.parametrize("attempt", range(3))
def test_crossed_merges_finish_with_one_winner(app, db, session, make_order, orders, attempt):
    a, b = make_order(items=3).id, make_order(items=3).id
    before = orders.totals()
    results = run_together(app, db, [lambda s: services.merge(s, a, b, actor="ann"),
                                     lambda s: services.merge(s, b, a, actor="bob")])
    wins, refusals = split(results, orders.binding.order)
    assert len(wins) == 1 and len(refusals) == 1
    assert orders.totals() == before
    statuses = sorted(str(orders.status(i)) for i in (a, b))
    assert statuses == ["awaiting_payment", "merged"]


def test_cancel_and_close_at_once_leave_exactly_one_event(app, db, session, make_order, orders):
    order_id = make_order("processing").id
    results = run_together(app, db, [lambda s: services.cancel(s, order_id, actor="ann"),
                                     lambda s: services.close(s, order_id, actor="bob")])
    wins, refusals = split(results, orders.binding.order)
    assert len(wins) == 1 and len(refusals) == 1
    events = orders.events(order_id)
    assert len(events) == 1
    assert orders.status(order_id) == events[0].to_status


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
