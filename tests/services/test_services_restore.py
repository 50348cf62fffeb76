"""Restore reprices every item through the host's resolver, or changes nothing."""

import threading
import time
from decimal import Decimal as D

import pytest

from flask_order_admin import services
from flask_order_admin.errors import ActionNotAllowed, PriceResolutionFailed, PricesChanged
from flask_order_admin.pricing import Price
from tests.faults import fault_at, raises, writes_to


def test_restore_reprices_and_records_old_and_new(session, make_order, orders, use_resolver, events_of):
    order = make_order("canceled", items=2)
    first, second = sorted(order.items, key=lambda i: i.id)
    old_first = (first.price, first.discount_price, first.china_delivery)
    first_id, second_id = first.id, second.id

    def resolver(item, at):
        if item.id == first_id:
            return Price(D("120.00"), None, D("9.90"))
        return orders.same_prices(item, at)

    use_resolver(resolver)
    assert orders.id_of(services.restore(session, order.id, actor="ann")) == order.id
    restored = orders.get(order.id)
    assert restored.status == "awaiting_payment"
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
    with pytest.raises(ActionNotAllowed, match="No price resolver is configured"):
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


def test_batch_resolver_prices_every_line_in_one_call(session, make_order, orders, use_resolver, events_of):
    order = make_order("canceled", items=3)
    ids = sorted(i.id for i in order.items)
    batch, calls = batch_of(lambda items: {i.id: Price(D("10.00") + i.id, None, D("1.00")) for i in items})
    use_resolver(None, price_batch_resolver=batch)
    assert orders.id_of(services.restore(session, order.id, actor="ann")) == order.id
    assert calls == [ids]
    restored = orders.get(order.id)
    assert restored.status == "awaiting_payment"
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
    assert "price lookup failed" in message and missing_title in message and f"({missing.provider_item_id})" in message
    assert f"line {missing_id}" not in message  # the manager knows the item, not the row id
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


# -- the preview, prices moving after it, and restoring without the items no longer sold ----------------------


def test_unsold_item_is_named_by_title_and_item_id_not_row_id(session, make_order, use_resolver):
    """The refusal once said “…” (line 67) on a 3-line order: a row id the manager never sees."""
    order = make_order("canceled", items=3)
    gone = sorted(order.items, key=lambda i: i.id)[2]
    use_resolver(lambda item, at: None if item.id == gone.id else Price(D("1.00")))
    with pytest.raises(PriceResolutionFailed) as caught:
        services.restore(session, order.id, actor="ann")
    message = str(caught.value)
    assert f"“{gone.title}” ({gone.provider_item_id})" in message
    assert f"line {gone.id}" not in message
    assert "Restore it without these items, or leave it canceled." in message


def test_preview_shows_old_and_new_prices_totals_and_status_and_changes_nothing(
    session, make_order, use_resolver, snapshot
):
    order = make_order("canceled", items=3)
    first, second, third = sorted(order.items, key=lambda i: i.id)
    use_resolver(lambda item, at: {
        first.id: Price(D("120.00"), D("110.00"), D("9.90")),
        second.id: Price(second.price, second.discount_price, second.china_delivery),
    }.get(item.id))  # the third: no longer sold
    before = snapshot(order.id)
    preview = services.preview_restore(session, order.id)
    assert snapshot(order.id) == before
    assert (preview.order_id, preview.number, preview.version) == (order.id, order.number, order.version)
    assert preview.to_status == "awaiting_payment"
    lines = {line.id: line for line in preview.lines}
    assert [line.id for line in preview.changed] == [first.id]
    assert [line.id for line in preview.unsold] == [third.id] and preview.restorable
    assert lines[first.id].new.discount_price == D("110.00") and lines[first.id].has_discount
    assert lines[first.id].new_total == (D("110.00") + D("9.90")) * first.quantity
    assert lines[third.id].new is None and lines[third.id].new_total is None
    old_total = sum((line.totals.total for line in order.items), D("0"))
    assert preview.old_totals.total == old_total
    assert preview.new_totals.total == lines[first.id].new_total + second.totals.total
    assert preview.new_totals.lines == 2


def test_a_fingerprint_of_other_prices_changes_nothing_and_carries_the_new_preview(
    session, make_order, use_resolver, snapshot
):
    order = make_order("canceled", items=2)
    use_resolver(lambda item, at: Price(D("50.00")))
    seen = services.preview_restore(session, order.id)
    assert services.preview_restore(session, order.id).fingerprint == seen.fingerprint  # same prices, same print
    use_resolver(lambda item, at: Price(D("55.00")))  # the catalog moved after the manager looked
    before = snapshot(order.id)
    with pytest.raises(PricesChanged) as caught:
        services.restore(session, order.id, actor="ann", expected_version=order.version,
                         expected_fingerprint=seen.fingerprint)
    assert snapshot(order.id) == before
    fresh = caught.value.preview
    assert fresh.fingerprint != seen.fingerprint and {line.new.price for line in fresh.lines} == {D("55.00")}
    assert "changed since you saw them" in str(caught.value)
    outcome = services.restore_order(session, order.id, actor="ann", expected_version=order.version,
                                     expected_fingerprint=fresh.fingerprint)
    assert outcome.preview.new_totals.total == fresh.new_totals.total and outcome.removed == []


def test_restore_without_unsold_removes_them_and_keeps_them_in_the_history(
    session, make_order, orders, use_resolver, events_of
):
    order = make_order("canceled", items=3)
    kept_a, gone, kept_b = sorted(order.items, key=lambda i: i.id)
    gone_facts = {"item_id": gone.id, "title": gone.title, "provider_item_id": gone.provider_item_id,
                  "quantity": gone.quantity, "price": f"{gone.price:.2f}", "total": f"{gone.totals.total:.2f}"}
    kept_quantity = kept_a.quantity + kept_b.quantity
    kept_ids = [kept_a.id, kept_b.id]
    use_resolver(lambda item, at: None if item.id == gone.id else Price(D("10.00"), None, D("1.00")))
    preview = services.preview_restore(session, order.id)
    outcome = services.restore_order(session, order.id, actor="ann", expected_version=order.version,
                                     expected_fingerprint=preview.fingerprint, without_unsold=True)
    assert [line.id for line in outcome.removed] == [gone_facts["item_id"]]
    restored = orders.get(order.id)
    assert restored.status == "awaiting_payment" and restored.version == order.version + 1
    assert sorted(i.id for i in restored.items) == kept_ids
    assert all((i.price, i.discount_price, i.china_delivery) == (D("10.00"), None, D("1.00"))
               for i in restored.items)
    expected_total = D("11.00") * kept_quantity
    assert sum((i.totals.total for i in restored.items), D("0")) == expected_total
    assert orders.line_count(order.id) == 2
    event = events_of(order.id)[-1]
    assert event.details["total"] == {"old": f"{preview.old_totals.total:.2f}", "new": f"{expected_total:.2f}"}
    [removed] = event.details["removed_lines"]
    assert {key: removed[key] for key in gone_facts} == gone_facts
    assert event.details["items"] == 2


def test_every_item_unsold_cannot_be_restored_even_without_them(session, make_order, use_resolver, snapshot):
    order = make_order("canceled", items=2)
    use_resolver(lambda item, at: None)
    assert not services.preview_restore(session, order.id).restorable
    before = snapshot(order.id)
    with pytest.raises(PriceResolutionFailed, match="every item of it is no longer sold"):
        services.restore(session, order.id, actor="ann", without_unsold=True)
    assert snapshot(order.id) == before


def test_restore_without_unsold_rolls_back_whole_on_a_failure(db, session, make_order, orders, use_resolver,
                                                              snapshot):
    order = make_order("canceled", items=3)
    gone = sorted(order.items, key=lambda i: i.id)[0]
    use_resolver(lambda item, at: None if item.id == gone.id else Price(D("3.00")))
    before = snapshot(order.id)
    # The history is written last: the unsold line is gone and the others repriced when it fails.
    with fault_at(db.engine, writes_to(orders.binding.events.name),
                  raises(RuntimeError("the history table is gone"))) as sent:
        with pytest.raises(RuntimeError, match="the history table is gone"):
            services.restore(session, order.id, actor="ann", without_unsold=True)
    assert any(statement.startswith("DELETE ") for statement in sent), "the unsold line was never removed"
    assert snapshot(order.id) == before  # the lines are back, prices and status as they were
