"""Bulk Cancel, Close and Restore: each order changes or is refused on its own, with the reason."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import select, update

from flask_order_admin import services
from flask_order_admin.domain import Action, OrderStatus
from flask_order_admin.domain.messages import Message
from flask_order_admin.models import BulkResult, utcnow
from flask_order_admin.pricing import Price
from flask_order_admin.services import bulk as bulk_module
from flask_order_admin.services import bulk_results
from tests.faults import row_refused_by_a_trigger, statement_text, writes_to


def reasons(outcome: services.BulkOutcome) -> dict[int | None, str]:
    return {refusal.order_id: str(refusal.reason) for refusal in outcome.refused}


def test_bulk_close_changes_the_allowed_and_refuses_the_rest(session, make_order, orders, events_of, signals_sent):
    shipped = [make_order("shipped", items=1) for _ in range(3)]
    canceled = make_order("canceled", items=1)
    completed = make_order("completed", items=1)
    ids = [o.id for o in shipped] + [canceled.id, completed.id, 987654321]

    outcome = services.bulk_close(session, ids, actor="ann")

    assert outcome.done == sorted(o.id for o in shipped)
    assert [o for o in shipped if orders.status(o.id) != OrderStatus.COMPLETED] == []
    assert orders.status(canceled.id) == OrderStatus.CANCELED
    refused = reasons(outcome)
    assert set(refused) == {canceled.id, completed.id, 987654321}
    assert "can be closed; this order is Canceled." in refused[canceled.id]
    assert "There is no order 987654321" in refused[987654321]
    assert {r.number for r in outcome.refused} == {canceled.number, completed.number, None}
    for order in shipped:
        event = events_of(order.id)[-1]
        assert (event.action, event.actor, event.from_status, event.to_status) == ("close", "ann", "shipped", "completed")
        assert orders.snapshot(order.id)["state"].version == order.version + 1
    assert sorted(orders.id_of(data["order"]) for name, _, data in signals_sent if name == "order-closed") == \
        outcome.done
    assert events_of(canceled.id) == []


def test_bulk_cancel_writes_the_reason_into_every_event(session, make_order, orders, events_of):
    made = [make_order("processing", items=1), make_order("awaiting_payment", items=1)]
    outcome = services.bulk_cancel(session, [o.id for o in made], actor="ann", reason="  Out of stock ")
    assert outcome.done == sorted(o.id for o in made) and outcome.refused == []
    for order in made:
        assert orders.status(order.id) == OrderStatus.CANCELED
        assert events_of(order.id)[-1].details == {"reason": "Out of stock"}


def test_the_access_rule_is_asked_about_each_order(session, make_order, orders):
    mine, theirs = make_order("shipped", customer_ref="mine"), make_order("shipped", customer_ref="theirs")
    asked = []

    def allowed(order: Any) -> bool:
        record = orders.get(orders.id_of(order))
        asked.append(record.id)
        return record.customer_ref == "mine"

    outcome = services.bulk_close(session, [mine.id, theirs.id], actor="ann", allowed=allowed)
    assert sorted(asked) == sorted([mine.id, theirs.id])
    assert outcome.done == [mine.id]
    assert reasons(outcome) == {theirs.id: "You are not allowed to close this order."}
    assert orders.status(theirs.id) == OrderStatus.SHIPPED


def test_more_orders_than_the_limit_change_nothing(app, session, make_order, orders):
    made = [make_order("shipped", items=1) for _ in range(3)]
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{**state.settings.__dict__, "bulk_action_limit": 2})
    with pytest.raises(services.BulkActionTooLarge) as caught:
        services.bulk_close(session, [o.id for o in made], actor="ann")
    assert (caught.value.count, caught.value.limit) == (3, 2)
    assert {orders.status(o.id) for o in made} == {OrderStatus.SHIPPED}


def test_chunks_of_orders_are_locked_and_written_together(session, make_order, orders, monkeypatch, statements,
                                                         dialect):
    """Several chunks; each chunk one locking SELECT and one INSERT of its events."""
    monkeypatch.setattr(bulk_module, "CHUNK_SIZE", 4)  # three chunks from ten orders
    made = [make_order("shipped", items=1) for _ in range(10)]
    outcome: list[services.BulkOutcome] = []
    sent = [statement_text(s) for s in statements(
        lambda: outcome.append(services.bulk_close(session, [o.id for o in made], actor="ann")))]
    assert len(outcome[0].done) == 10
    assert sum(map(writes_to(orders.binding.events.name), sent)) == 3
    if dialect != "sqlite":  # SQLite locks the whole database instead
        assert sum("FOR UPDATE" in statement for statement in sent) == 3
    assert sum(len(orders.events(o.id)) for o in made) == 10


def test_a_database_failure_of_one_order_does_not_undo_the_others(db, session, make_order, orders, events_of):
    made = [make_order("shipped", items=1) for _ in range(5)]
    failing = made[2].id
    binding = orders.binding
    session.rollback()  # a trigger is DDL: MariaDB waits for every open transaction on the table
    with row_refused_by_a_trigger(db.engine, binding.order.__table__.name, binding.order_pk.property.columns[0].name,
                                  failing):
        outcome = services.bulk_close(session, [o.id for o in made], actor="ann")

    assert outcome.done == sorted(o.id for o in made if o.id != failing)
    assert list(reasons(outcome)) == [failing]
    assert orders.status(failing) == OrderStatus.SHIPPED and events_of(failing) == []
    assert all(orders.status(o.id) == OrderStatus.COMPLETED for o in made if o.id != failing)
    assert all(len(events_of(o.id)) == 1 for o in made if o.id != failing)


def test_bulk_restore_reprices_and_refuses_orders_with_items_no_longer_sold(
    session, make_order, orders, use_resolver, events_of,
):
    sold, gone = make_order("canceled", items=2), make_order("canceled", items=2)
    open_order = make_order("processing", items=1)
    gone_lines = {orders.line(item).id for item in gone.items}
    use_resolver(lambda item, at: None if orders.line(item).id in gone_lines else Price(D("12.00"), None, D("1.00")))

    outcome = services.bulk_restore(session, [sold.id, gone.id, open_order.id], actor="ann")

    assert outcome.done == [sold.id]
    assert orders.status(sold.id) == OrderStatus.AWAITING_PAYMENT
    assert {line.price for line in orders.get(sold.id).items} == {D("12.00")}
    assert events_of(sold.id)[-1].details["price_changes"]
    refused = reasons(outcome)
    assert set(refused) == {gone.id, open_order.id}
    assert "no longer sold" in refused[gone.id] and gone.number in refused[gone.id]
    assert "can be restored; this order is Processing." in refused[open_order.id]
    assert orders.status(gone.id) == OrderStatus.CANCELED and events_of(gone.id) == []


def test_bulk_restore_asks_the_access_rule_per_order(session, make_order, orders, use_resolver):
    use_resolver(orders.same_prices)
    allowed_order, denied = make_order("canceled", items=1), make_order("canceled", items=1)
    outcome = services.bulk_restore(session, [allowed_order.id, denied.id], actor="ann",
                                    allowed=lambda order: orders.id_of(order) == allowed_order.id)
    assert outcome.done == [allowed_order.id]
    assert reasons(outcome) == {denied.id: "You are not allowed to restore this order."}
    assert orders.status(denied.id) == OrderStatus.CANCELED


def test_ids_that_name_no_order_are_refused_not_raised(session, make_order):
    order = make_order("shipped", items=1)
    outcome = services.bulk_close(session, [order.id, "x", 0, order.id], actor="ann")
    assert outcome.done == [order.id]
    assert [refusal.order_id for refusal in outcome.refused] == [None, None]


def test_an_order_changed_since_the_confirm_screen_is_refused_as_changed(session, make_order, orders, events_of):
    """``versions``: the Yes acts only on orders at the version the confirm screen showed."""
    seen, moved = make_order("shipped", items=1), make_order("shipped", items=1)
    outcome = services.bulk_close(session, [seen.id, moved.id], actor="ann",
                                  versions={seen.id: seen.version, moved.id: moved.version - 1})
    assert outcome.done == [seen.id]
    assert reasons(outcome) == {moved.id: str(bulk_module.CHANGED_SINCE_SHOWN)}
    assert orders.status(moved.id) == OrderStatus.SHIPPED and events_of(moved.id) == []


def test_an_id_without_a_version_shown_is_refused_as_changed(session, make_order, orders):
    shown, unseen = make_order("processing", items=1), make_order("processing", items=1)
    outcome = services.bulk_cancel(session, [shown.id, unseen.id], actor="ann", versions={shown.id: shown.version})
    assert outcome.done == [shown.id] and list(reasons(outcome)) == [unseen.id]
    assert orders.status(unseen.id) == OrderStatus.PROCESSING


def test_bulk_restore_refuses_an_order_changed_since_the_confirm_screen(session, make_order, orders, use_resolver,
                                                                       events_of):
    use_resolver(orders.same_prices)
    seen, moved = make_order("canceled", items=1), make_order("canceled", items=1)
    outcome = services.bulk_restore(session, [seen.id, moved.id], actor="ann",
                                    versions={seen.id: seen.version, moved.id: moved.version + 1})
    assert outcome.done == [seen.id]
    assert reasons(outcome) == {moved.id: str(bulk_module.CHANGED_SINCE_SHOWN)}
    assert orders.status(moved.id) == OrderStatus.CANCELED and events_of(moved.id) == []


def test_a_kept_result_reads_back_for_its_manager_only(app, session, make_order):
    panel = app.extensions["order_admin"]
    done, refused = make_order("shipped", items=1), make_order("canceled", items=1)
    outcome = services.bulk_close(session, [done.id, refused.id, 987654321], actor="ann")
    key = bulk_results.keep_result(session, panel, outcome, actor="ann", back_url="/admin/orders/?page=2")

    kept = bulk_results.kept_result(session, key, actor="ann")
    assert kept.outcome == outcome and kept.back_url == "/admin/orders/?page=2"
    assert [type(refusal.reason) for refusal in kept.outcome.refused] == [Message, Message]  # in any language
    assert bulk_results.kept_result(session, key, actor="bob") is None
    assert bulk_results.kept_result(session, "x" * 32, actor="ann") is None


def test_results_older_than_a_day_are_not_shown_and_are_deleted(app, session):
    panel = app.extensions["order_admin"]
    old = bulk_results.keep_result(session, panel, services.BulkOutcome(Action.CLOSE), actor="ann", back_url="/")
    kept = bulk_results.keep_result(session, panel, services.BulkOutcome(Action.CLOSE), actor="ann", back_url="/")
    # ``old`` was kept a day and a minute ago, ``kept`` a minute short of a day ago.
    for key, age in ((old, bulk_results.KEEP + timedelta(minutes=1)), (kept, bulk_results.KEEP - timedelta(minutes=1))):
        session.execute(update(BulkResult).where(BulkResult.key == key).values(created_at=utcnow() - age))
    session.commit()
    assert bulk_results.kept_result(session, old, actor="ann") is None
    assert bulk_results.kept_result(session, kept, actor="ann") is not None
    new = bulk_results.keep_result(session, panel, services.BulkOutcome(Action.CLOSE), actor="ann", back_url="/")
    still_stored = set(session.scalars(select(BulkResult.key).where(BulkResult.key.in_([old, kept, new]))))
    assert still_stored == {kept, new}
