"""Restore racing a merge of the same order: the row locks serialise them, nothing is lost.

Which of the two takes the lock first decides the outcome, so each order is forced (tests/races.py: the
first holds its lock until the second waits for it) and has a test of its own.
"""

from decimal import Decimal as D

import pytest

from flask_order_admin import services
from flask_order_admin.errors import ActionNotAllowed, StaleOrder
from flask_order_admin.models import Order, OrderEvent, OrderItem
from flask_order_admin.pricing import Price
from tests.races import HeldRace
from tests.services.test_services_concurrency import item_count_and_quantity

NEW_PRICE = D("77.00")


@pytest.fixture
def repricing_resolver(app):
    """A resolver that reprices every line, so the lines show whether restore ran before they moved."""
    state = app.extensions["order_admin"]

    def resolver(item, at):
        return Price(NEW_PRICE, None, item.china_delivery)

    state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": resolver})


@pytest.fixture
def race(app, db):
    return lambda first, second: HeldRace(app, db).run(first, second)


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


def prices(session, **where):
    return {i.price for i in session.query(OrderItem).filter_by(**where)}


def restore(order_id, **options):
    return lambda s: services.restore(s, order_id, actor="ann", **options).id


def merge(added, basic, **options):
    return lambda s: services.merge(s, added, basic, actor="bob", **options).id


def test_restore_first_then_the_merge_of_the_restored_order(session, make_order, repricing_resolver, race):
    canceled, basic = make_order("canceled", items=3).id, make_order("awaiting_payment", items=2).id
    before = item_count_and_quantity(session)
    restored, merged_into = race(restore(canceled), merge(canceled, basic))
    assert (restored, merged_into) == (canceled, basic)
    assert item_count_and_quantity(session) == before
    assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment"), ("awaiting_payment", "merged")]
    status_chain_holds(session, basic)
    assert session.query(OrderItem).filter_by(order_id=canceled).count() == 0
    moved = session.query(OrderItem).filter_by(origin_order_id=canceled).all()
    assert len(moved) == 3 and {i.price for i in moved} == {NEW_PRICE}  # repriced before they moved
    session.rollback()


def test_a_merge_of_the_canceled_order_first_is_refused_then_restore(session, make_order, repricing_resolver, race):
    canceled, basic = make_order("canceled", items=3).id, make_order("awaiting_payment", items=2).id
    before = item_count_and_quantity(session)
    merged_into, restored = race(merge(canceled, basic), restore(canceled))
    assert isinstance(merged_into, ActionNotAllowed) and restored == canceled
    assert item_count_and_quantity(session) == before
    assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment")]
    assert prices(session, order_id=canceled) == {NEW_PRICE}
    assert session.query(OrderItem).filter_by(order_id=basic).count() == 2
    session.rollback()


@pytest.mark.parametrize("first", ["restore", "merge"])
def test_with_the_versions_the_pages_showed_only_one_acts(session, make_order, repricing_resolver, race, first):
    """Two managers looking at the same canceled order: one restores, the other's merge is refused: as stale
    if the restore came first, as a merge of a canceled order if the merge did."""
    canceled, basic = make_order("canceled", items=2).id, make_order("awaiting_payment", items=2).id
    shown = session.get(Order, canceled).version
    session.rollback()
    before = item_count_and_quantity(session)
    calls = {"restore": restore(canceled, expected_version=shown), "merge": merge(canceled, basic, expected_version=shown)}
    second = "merge" if first == "restore" else "restore"
    results = dict(zip((first, second), race(calls[first], calls[second])))
    assert results["restore"] == canceled
    if first == "restore":
        assert isinstance(results["merge"], StaleOrder) and "changed by ann" in str(results["merge"])
    else:
        assert isinstance(results["merge"], ActionNotAllowed)
    assert item_count_and_quantity(session) == before
    assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment")]
    assert session.query(OrderEvent).filter_by(order_id=basic).count() == 0
    session.rollback()


@pytest.mark.parametrize("first", ["restore", "merge"])
def test_restore_racing_a_merge_into_the_restored_order(session, make_order, repricing_resolver, race, first):
    """While the canceled order is being restored, another order is merged into it: on top of the restored
    order if the restore came first, refused (a canceled order takes no merge) if the merge did."""
    canceled, added = make_order("canceled", items=2).id, make_order("awaiting_payment", items=3).id
    before = item_count_and_quantity(session)
    calls = {"restore": restore(canceled), "merge": merge(added, canceled)}
    second = "merge" if first == "restore" else "restore"
    results = dict(zip((first, second), race(calls[first], calls[second])))
    assert results["restore"] == canceled
    assert item_count_and_quantity(session) == before
    if first == "restore":
        assert results["merge"] == canceled
        assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment"),
                                                         ("awaiting_payment", "awaiting_payment")]  # the merge
        assert status_chain_holds(session, added) == [("awaiting_payment", "merged")]
    else:
        assert isinstance(results["merge"], ActionNotAllowed)
        assert status_chain_holds(session, canceled) == [("canceled", "awaiting_payment")]
        assert status_chain_holds(session, added) == []
    assert session.query(OrderItem).filter_by(order_id=canceled).count() == (5 if first == "restore" else 2)
    session.rollback()
