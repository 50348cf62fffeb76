"""Restore reprices every item through the host's resolver, or changes nothing."""

import threading
import time
from decimal import Decimal as D

import pytest

from flask_order_admin import services
from flask_order_admin.errors import PriceResolutionFailed
from flask_order_admin.pricing import Price


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
    release = threading.Event()
    use_resolver(lambda item, at: release.wait(10) and Price(D("1.00")), price_resolver_timeout=0.3)
    before = snapshot(order.id)
    started = time.monotonic()
    try:
        with pytest.raises(PriceResolutionFailed, match="did not answer within 0.3 seconds"):
            services.restore(session, order.id, actor="ann")
        waited = time.monotonic() - started
    finally:
        release.set()
    assert waited < 5, "gave up after its timeout, not when the resolver answered (10 s)"
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


def batch_of(answer):
    """A batch resolver answering ``answer(items)``, and the item ids of each call it got."""
    calls = []

    def batch(items, at):
        calls.append([item.id for item in items])
        return answer(items)

    return batch, calls


def test_batch_resolver_prices_every_line_in_one_call(session, make_order, use_resolver, events_of):
    order = make_order("canceled", items=3)
    ids = sorted(i.id for i in order.items)
    batch, calls = batch_of(lambda items: {i.id: Price(D("10.00") + i.id, None, D("1.00")) for i in items})
    use_resolver(None, price_batch_resolver=batch)
    assert services.restore(session, order.id, actor="ann").status == "awaiting_payment"
    assert calls == [ids]
    session.expire_all()
    restored = session.get(type(order), order.id)
    assert {i.id: (i.price, i.discount_price, i.china_delivery) for i in restored.items} == {
        i: (D("10.00") + i, None, D("1.00")) for i in ids}
    assert sorted(c["item_id"] for c in events_of(order.id)[-1].details["price_changes"]) == ids


def test_batch_answer_without_a_line_is_refused_naming_it(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=3)
    missing = sorted(order.items, key=lambda i: i.id)[1]
    missing_id, missing_title = missing.id, missing.title
    batch, _ = batch_of(lambda items: {i.id: Price(D("1.00")) for i in items if i.id != missing_id})
    use_resolver(None, price_batch_resolver=batch)
    before = snapshot(order.id)
    with pytest.raises(PriceResolutionFailed) as caught:
        services.restore(session, order.id, actor="ann")
    message = str(caught.value)
    assert "price lookup failed" in message and missing_title in message and f"line {missing_id}" in message
    assert "no answer for this line" in message
    assert [name for name in caught.value.items if missing_title in name] and len(caught.value.items) == 1
    assert snapshot(order.id) == before


def test_batch_none_is_no_longer_sold_and_a_wrong_answer_fails(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=2)
    gone = sorted(order.items, key=lambda i: i.id)[0]
    gone_id, gone_title = gone.id, gone.title
    before = snapshot(order.id)
    batch, _ = batch_of(lambda items: {i.id: None if i.id == gone_id else Price(D("1.00")) for i in items})
    use_resolver(None, price_batch_resolver=batch)
    with pytest.raises(PriceResolutionFailed, match="no longer sold") as caught:
        services.restore(session, order.id, actor="ann")
    assert gone_title in str(caught.value)
    batch, _ = batch_of(lambda items: [Price(D("1.00")) for _ in items])
    use_resolver(None, price_batch_resolver=batch)
    with pytest.raises(PriceResolutionFailed, match="returned list, not a mapping"):
        services.restore(session, order.id, actor="ann")

    def broken(items):
        raise ConnectionError("catalog API down")

    batch, _ = batch_of(broken)
    use_resolver(None, price_batch_resolver=batch)
    with pytest.raises(PriceResolutionFailed, match="ConnectionError: catalog API down"):
        services.restore(session, order.id, actor="ann")
    assert snapshot(order.id) == before
