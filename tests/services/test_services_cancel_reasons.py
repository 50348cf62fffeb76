"""Cancel and bulk Cancel with a listed reason: the default list, a shop's list, and a value not listed."""

from __future__ import annotations

import dataclasses

import pytest

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.domain.cancel_reasons import OTHER, cancel_reasons
from flask_order_admin.errors import ReasonNotListed

SHOP_REASONS = ["Покупатель передумал", "买家拍错了"]


@pytest.fixture
def shop_reasons(app):
    """The shop's own list for one test (the ``app`` fixture puts the settings back)."""
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, cancel_reasons=cancel_reasons(SHOP_REASONS))


def test_cancel_keeps_a_default_reason_by_key_with_the_words(session, make_order, events_of):
    order = make_order("processing")
    services.cancel(session, order.id, actor="ann", reason_choice="out_of_stock", reason=" red, size M ")
    assert events_of(order.id)[-1].details == {"reason_choice": {"key": "out_of_stock"}, "reason": "red, size M"}


def test_cancel_keeps_a_shops_reason_as_its_text(session, make_order, events_of, shop_reasons):
    order = make_order("awaiting_payment")
    services.cancel(session, order.id, actor="ann", reason_choice="买家拍错了")
    assert events_of(order.id)[-1].details == {"reason_choice": {"text": "买家拍错了"}}


@pytest.mark.parametrize("forged", ["no_such_reason", OTHER, "Out of stock at the seller", ""])
def test_a_reason_not_listed_is_refused_and_nothing_changes(session, make_order, snapshot, forged):
    order = make_order("processing")
    before = snapshot(order.id)
    with pytest.raises(ReasonNotListed, match="not one of the cancel reasons"):
        services.cancel(session, order.id, actor="ann", reason_choice=forged)
    assert snapshot(order.id) == before


def test_a_default_key_is_not_listed_once_the_shop_has_its_own(session, make_order, snapshot, shop_reasons):
    order = make_order("processing")
    before = snapshot(order.id)
    with pytest.raises(ReasonNotListed):
        services.cancel(session, order.id, actor="ann", reason_choice="out_of_stock")
    assert snapshot(order.id) == before


def test_bulk_cancel_writes_the_reason_into_every_event(session, make_order, orders, events_of):
    made = [make_order("processing") for _ in range(3)]
    outcome = services.bulk_cancel(session, [o.id for o in made], actor="ann", reason_choice="duplicate")
    assert outcome.done == sorted(o.id for o in made) and outcome.refused == []
    for order in made:
        assert orders.status(order.id) == OrderStatus.CANCELED
        assert events_of(order.id)[-1].details == {"reason_choice": {"key": "duplicate"}}


def test_bulk_cancel_with_a_shops_reason(session, make_order, events_of, shop_reasons):
    made = [make_order("processing") for _ in range(2)]
    services.bulk_cancel(session, [o.id for o in made], actor="ann", reason_choice="Покупатель передумал",
                         reason="звонил")
    for order in made:
        assert events_of(order.id)[-1].details == {"reason_choice": {"text": "Покупатель передумал"},
                                                   "reason": "звонил"}


def test_bulk_cancel_with_a_reason_not_listed_changes_no_order(session, make_order, snapshot):
    made = [make_order("processing") for _ in range(3)]
    before = [snapshot(o.id) for o in made]
    with pytest.raises(ReasonNotListed):
        services.bulk_cancel(session, [o.id for o in made], actor="ann", reason_choice="forged")
    assert [snapshot(o.id) for o in made] == before
