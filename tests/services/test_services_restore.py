"""Restore reprices every item through the host's resolver, or changes nothing."""

import time
from decimal import Decimal as D

import pytest

from flask_order_admin import services
from flask_order_admin.errors import PriceResolutionFailed
from flask_order_admin.pricing import Price


@pytest.fixture
def use_resolver(app):
    state = app.extensions["order_admin"]

    def install(resolver, **more):
        state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": resolver, **more})

    return install


def test_restore_reprices_and_records_old_and_new(session, make_order, use_resolver, events_of):
    order = make_order("canceled", items=2)
    first, second = sorted(order.items, key=lambda i: i.id)
    old_first = (first.price, first.discount_price, first.china_delivery)
    first_id, second_id = first.id, second.id

    def resolver(item, at):
        if item.id == first_id:
            return Price(D("120.00"), None, D("9.90"))
        return Price(item.price, item.discount_price, item.china_delivery)

    use_resolver(resolver)
    restored = services.restore(session, order.id, actor="ann")
    assert restored.status == "awaiting_payment"
    session.expire_all()
    items = {i.id: i for i in restored.items}
    assert (items[first_id].price, items[first_id].discount_price, items[first_id].china_delivery) == (
        D("120.00"), None, D("9.90"))
    event = events_of(order.id)[-1]
    assert event.action == "restore" and event.to_status == "awaiting_payment"
    [change] = event.details["price_changes"]
    assert change["item_id"] == first_id
    assert change["old"] == {"price": f"{old_first[0]:.2f}",
                             "discount_price": None if old_first[1] is None else f"{old_first[1]:.2f}",
                             "china_delivery": f"{old_first[2]:.2f}"}
    assert change["new"] == {"price": "120.00", "discount_price": None, "china_delivery": "9.90"}
    assert second_id not in [c["item_id"] for c in event.details["price_changes"]]


def test_item_no_longer_sold_changes_nothing_and_names_it(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=3)
    gone = sorted(order.items, key=lambda i: i.id)[1]
    gone_id, gone_title = gone.id, gone.title
    use_resolver(lambda item, at: None if item.id == gone_id else Price(D("1.00")))
    before = snapshot(order.id)
    with pytest.raises(PriceResolutionFailed) as caught:
        services.restore(session, order.id, actor="ann")
    assert "no longer sold" in str(caught.value) and gone_title in str(caught.value)
    assert snapshot(order.id) == before


def test_resolver_exception_changes_nothing(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=2)

    def broken(item, at):
        raise ConnectionError("catalog down")

    use_resolver(broken)
    before = snapshot(order.id)
    with pytest.raises(PriceResolutionFailed, match="price lookup failed"):
        services.restore(session, order.id, actor="ann")
    assert snapshot(order.id) == before


def test_hanging_resolver_times_out_and_changes_nothing(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=1)
    use_resolver(lambda item, at: time.sleep(2) or Price(D("1.00")), price_resolver_timeout=0.3)
    before = snapshot(order.id)
    started = time.monotonic()
    with pytest.raises(PriceResolutionFailed, match="did not answer within 0.3 seconds"):
        services.restore(session, order.id, actor="ann")
    assert time.monotonic() - started < 1.5
    assert snapshot(order.id) == before


def test_no_resolver_configured_is_a_clear_refusal(session, make_order, use_resolver, snapshot):
    order = make_order("canceled")
    use_resolver(None)
    before = snapshot(order.id)
    with pytest.raises(PriceResolutionFailed, match="ORDER_ADMIN_PRICE_RESOLVER"):
        services.restore(session, order.id, actor="ann")
    assert snapshot(order.id) == before


def test_wrong_return_type_is_reported(session, make_order, use_resolver):
    order = make_order("canceled", items=1)
    use_resolver(lambda item, at: 12.5)
    with pytest.raises(PriceResolutionFailed, match="not Price"):
        services.restore(session, order.id, actor="ann")
