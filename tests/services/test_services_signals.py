"""The signals of the order actions: each sent once, after the commit, never on a refusal or a rolled-back action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from flask_order_admin import services, signals
from flask_order_admin.errors import OrderActionError
from flask_order_admin.models import Order
from flask_order_admin.pricing import Price

RUN = {
    "cancel": lambda session, order_id: services.cancel(session, order_id, actor="ann", reason="Out of stock"),
    "close": lambda session, order_id: services.close(session, order_id, actor="ann"),
    "comment": lambda session, order_id: services.add_comment(session, order_id, actor="ann", text="Called"),
    "restore": lambda session, order_id: services.restore(session, order_id, actor="ann"),
}


@pytest.fixture
def committed_status(db: Any) -> Callable[[int], str | None]:
    """An order's status as a NEW connection reads it: what is committed, whatever a session holds."""

    def read(order_id: int) -> str | None:
        with db.engine.connect() as connection:
            return connection.scalar(select(Order.__table__.c.status).where(Order.__table__.c.id == order_id))

    return read


@pytest.fixture
def watch(committed_status: Callable[[int], str | None]) -> Any:
    """Connects a receiver that records, with each call, the committed status of the orders it names."""
    calls: list[dict[str, Any]] = []
    connected = []

    def connect(signal: Any) -> list[dict[str, Any]]:
        def receiver(sender: Any, **data: Any) -> None:
            orders = [data[key] for key in ("order", "added", "basic") if key in data]
            calls.append({"sender": sender, **data, "committed": [committed_status(o.id) for o in orders]})

        signal.connect(receiver)
        connected.append((signal, receiver))
        return calls

    yield connect
    for signal, receiver in connected:
        signal.disconnect(receiver)


@pytest.fixture
def same_prices(app: Any) -> None:
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": lambda item, at: Price(
        item.price, item.discount_price, item.china_delivery)})


@pytest.mark.parametrize(("action", "signal", "start", "end", "details"), [
    ("cancel", signals.order_canceled, "processing", "canceled", {"reason": "Out of stock"}),
    ("close", signals.order_closed, "shipped", "completed", {}),
    ("comment", signals.order_commented, "shipped", "shipped", {"text": "Called"}),
])
def test_each_action_sends_its_signal_once_after_the_commit(
    app, session, make_order, watch, signals_sent, action, signal, start, end, details,
):
    order_id = make_order(start).id
    calls = watch(signal)
    RUN[action](session, order_id)
    assert [name for name, _, _ in signals_sent] == [signal.name]
    [call] = calls
    assert call["committed"] == [end]  # a receiver on its own connection already sees the change
    assert call["sender"] is app
    assert (call["order"].id, call["actor"], call["details"]) == (order_id, "ann", details)
    assert (call["event"].order_id, call["event"].action) == (order_id, action)
    if action != "comment":
        assert (call["from_status"], call["to_status"]) == (start, end)


def test_restore_sends_order_restored_once_after_the_commit(
    app, session, make_order, watch, signals_sent, same_prices,
):
    order_id = make_order("canceled").id
    calls = watch(signals.order_restored)
    services.restore(session, order_id, actor="ann")
    assert [name for name, _, _ in signals_sent] == ["order-restored"]
    [call] = calls
    assert call["committed"] == ["awaiting_payment"]
    assert (call["order"].id, call["actor"], call["from_status"], call["to_status"]) == (
        order_id, "ann", "canceled", "awaiting_payment")
    assert "price_changes" in call["details"]


def test_merge_sends_orders_merged_once_after_the_commit(app, session, make_order, watch, signals_sent):
    added_id, basic_id = make_order("awaiting_payment", items=3).id, make_order("ready_to_ship", items=1).id
    calls = watch(signals.orders_merged)
    services.merge(session, added_id, basic_id, actor="ann")
    assert [name for name, _, _ in signals_sent] == ["orders-merged"]
    [call] = calls
    assert call["committed"] == ["merged", "awaiting_payment"]  # added, basic
    assert (call["added"].id, call["basic"].id, call["actor"], call["sender"]) == (added_id, basic_id, "ann", app)
    assert call["details"]["moved"]["lines"] == 3
    assert (call["added_event"].order_id, call["basic_event"].order_id) == (added_id, basic_id)
    assert (call["added_event"].from_status, call["basic_event"].from_status) == ("awaiting_payment", "ready_to_ship")


def test_refused_actions_send_nothing(session, make_order, signals_sent, same_prices):
    completed = make_order("completed").id
    other = make_order("awaiting_payment").id
    for action in RUN:
        with pytest.raises(OrderActionError):
            RUN[action](session, completed)
    with pytest.raises(OrderActionError):
        services.merge(session, completed, other, actor="ann")
    with pytest.raises(OrderActionError):
        services.cancel(session, other, actor="ann", expected_version=99)  # stale
    assert signals_sent == []


@pytest.mark.parametrize("action", ["cancel", "close", "comment", "merge"])
def test_an_action_that_fails_before_its_commit_sends_nothing(
    session, make_order, committed_status, signals_sent, action,
):
    start = "ready_to_ship" if action == "merge" else "processing"  # merge: the basic order's status
    order_id = make_order(start).id
    other_id = make_order("awaiting_payment").id

    def disk_full(*args: Any) -> None:
        raise OSError("disk full")

    real_session = session()  # the scoped session's Session of this app context
    event.listen(real_session, "before_commit", disk_full)  # after the change and its event, before COMMIT
    try:
        with pytest.raises(OSError, match="disk full"):
            if action == "merge":
                services.merge(session, other_id, order_id, actor="ann")
            else:
                RUN[action](session, order_id)
    finally:
        event.remove(real_session, "before_commit", disk_full)
    assert signals_sent == []
    assert (committed_status(order_id), committed_status(other_id)) == (start, "awaiting_payment")


def test_a_receiver_for_one_app_hears_only_that_apps_actions(app, session, make_order):
    order_id = make_order("processing").id
    heard: list[Any] = []

    def receiver(sender: Any, **data: Any) -> None:
        heard.append(sender)

    another_shop = Flask("another_shop")
    signals.order_canceled.connect(receiver, sender=another_shop)
    try:
        services.cancel(session, order_id, actor="ann")
        assert heard == []
    finally:
        signals.order_canceled.disconnect(receiver)
    order_id = make_order("processing").id
    with signals.order_canceled.connected_to(receiver, sender=app):
        services.cancel(session, order_id, actor="ann")
    assert heard == [app]
