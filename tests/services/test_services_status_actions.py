"""Cancel, close and restore from every status: allowed ones change it, refused ones change nothing."""

import pytest

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import ActionNotAllowed, OrderActionError, OrderNotFound, StaleOrder

CANCEL_FROM = {"awaiting_payment", "awaiting_additional_payment", "processing", "additional_order"}
CLOSE_FROM = {"processing", "additional_order", "processing_at_warehouse", "awaiting_packing_confirmation",
              "ready_for_packing", "ready_to_ship", "shipped"}
EXPECTED = {
    "cancel": (CANCEL_FROM, "canceled"),
    "close": (CLOSE_FROM, "completed"),
    "restore": ({"canceled"}, "awaiting_payment"),
}


@pytest.fixture
def same_prices(app, orders):
    """A resolver that keeps every price, so restore is only about the status here."""
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": orders.same_prices})


@pytest.mark.parametrize("status", [s.value for s in OrderStatus])
@pytest.mark.parametrize("action", ["cancel", "close", "restore"])
def test_every_status_and_action(session, make_order, orders, snapshot, events_of, same_prices, status, action):
    order = make_order(status, items=2)
    allowed_from, to_status = EXPECTED[action]
    before = snapshot(order.id)
    run = getattr(services, action)
    if status in allowed_from:
        result = run(session, order.id, actor="manager@shop")
        assert orders.id_of(result) == order.id
        assert orders.status(order.id) == to_status
        event = events_of(order.id)[-1]
        assert (event.action, event.actor, event.from_status, event.to_status) == (
            action, "manager@shop", status, to_status)
        assert snapshot(order.id)["state"].version == before["state"].version + 1
    else:
        with pytest.raises(ActionNotAllowed) as caught:
            run(session, order.id, actor="manager@shop")
        message = str(caught.value)
        assert order.number in message
        assert str(OrderStatus(status).label) in message
        assert snapshot(order.id) == before


def test_cancel_reason_lands_in_history(session, make_order, events_of):
    order = make_order("processing")
    services.cancel(session, order.id, actor="ann", reason="  Buyer changed their mind ")
    assert events_of(order.id)[-1].details == {"reason": "Buyer changed their mind"}


def test_completed_order_refuses_everything_but_export(session, make_order, snapshot):
    order = make_order("completed")
    before = snapshot(order.id)
    for attempt in (
        lambda: services.cancel(session, order.id, actor="a"),
        lambda: services.restore(session, order.id, actor="a"),
        lambda: services.close(session, order.id, actor="a"),
        lambda: services.add_comment(session, order.id, actor="a", text="hi"),
        lambda: services.merge(session, order.id, make_order("awaiting_payment").id, actor="a"),
    ):
        with pytest.raises(OrderActionError):
            attempt()
    assert snapshot(order.id) == before


def test_stale_version_is_refused_and_names_who_changed_it(session, make_order, snapshot):
    order = make_order("processing")
    seen_version = order.version
    services.add_comment(session, order.id, actor="bob", text="checking stock")
    services.close(session, order.id, actor="bob", expected_version=seen_version)
    before = snapshot(order.id)
    with pytest.raises(StaleOrder, match="changed by bob at"):
        services.cancel(session, order.id, actor="ann", expected_version=seen_version)
    assert snapshot(order.id) == before


@pytest.mark.parametrize("bad_id", [0, -1, 2**63, 10**30, "ORD-00x", None, True, 999999])
def test_bad_ids_give_not_found(session, bad_id):
    with pytest.raises(OrderNotFound):
        services.cancel(session, bad_id, actor="a")


def test_pending_changes_are_not_silently_committed(session, make_order, orders):
    order_id = make_order("processing").id
    setattr(session.get(orders.binding.order, order_id), orders.binding.order_field("created_at").key, None)
    with pytest.raises(RuntimeError, match="unsaved changes"):
        services.cancel(session, order_id, actor="a")
    session.rollback()


def test_comment(session, make_order, events_of):
    order = make_order("shipped")
    services.add_comment(session, order.id, actor="ann", text="Called the buyer")
    event = events_of(order.id)[-1]
    assert (event.action, event.details["text"], event.from_status) == ("comment", "Called the buyer", None)
    with pytest.raises(ActionNotAllowed):
        services.add_comment(session, order.id, actor="ann", text="   ")
