"""The one write path of order state (``OrderStore.write_changes``; docs/design.md, "Order store"): changes
alike are one statement per table, each order's version + 1, a shop's orders get their state row."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_order_admin.domain import OrderStatus
from flask_order_admin.models import utcnow
from tests.faults import statement_text, writes_to


def _write(session: Any, orders: Any, statements: Any, changes: Any, at: Any) -> list[str]:
    sent = [statement_text(s) for s in statements(lambda: orders.binding.write_changes(session, changes, at=at))]
    session.commit()
    return [s for s in sent if not s.startswith("SELECT ")]


def _tables(orders: Any) -> tuple[str, str | None]:
    binding = orders.binding
    return binding.order.__table__.name, None if binding.is_builtin else binding.states_table.name


def test_a_bulk_change_is_one_statement_per_table_and_version_plus_one_each(session, make_order, orders, statements):
    made = [make_order("shipped", items=1) for _ in range(6)]
    at = utcnow().replace(microsecond=0)
    records = [orders.get(o.id).record for o in made]
    written = _write(session, orders, statements, [r.change(OrderStatus.COMPLETED) for r in records], at)
    order_table, states_table = _tables(orders)
    assert sum(map(writes_to(order_table), written)) == 1
    if states_table is None:
        assert len(written) == 1  # the state is on the order row: that one UPDATE is all
    else:  # none of them had a state row yet: one INSERT (an executemany) makes them all
        assert sum(map(writes_to(states_table), written)) == 1 and len(written) == 2
    for before in records:
        after = orders.get(before.id)
        assert after.status == OrderStatus.COMPLETED
        assert after.version == before.version + 1
        assert after.status_changed_at == at
        assert after.record.state.stored


def test_state_rows_are_made_for_orders_without_and_updated_for_the_others(session, make_order, orders, statements):
    """A shop's order gets its state row on its first change; a later change updates it, in one statement
    for all the orders that have one, whatever their versions."""
    first, second = make_order("shipped", items=1), make_order("shipped", items=1)
    orders.binding.write_changes(session, [orders.get(first.id).record.change()])  # version 2, status kept
    session.commit()
    records = [orders.get(first.id).record, orders.get(second.id).record]
    assert [r.state.stored for r in records] == [True, orders.is_builtin]
    written = _write(session, orders, statements, [r.change(OrderStatus.CANCELED) for r in records], utcnow())
    order_table, states_table = _tables(orders)
    if states_table is not None:  # one UPDATE of the stored row, one INSERT of the new one
        assert sorted(s.split()[0] for s in written if writes_to(states_table)(s)) == ["INSERT", "UPDATE"]
    assert sum(map(writes_to(order_table), written)) == 1
    assert [orders.get(r.id).version for r in records] == [3, 2]
    assert {orders.status(r.id) for r in records} == {OrderStatus.CANCELED}


def test_changes_not_alike_are_one_statement_per_table_all_the_same(session, make_order, orders, statements):
    """Statuses, links and status dates that differ are a ``CASE`` on the order's key: still one UPDATE of the
    order table (and one of the states table for the orders that have a row), whatever the mix."""
    added, basic, other, kept = (make_order("processing", items=1, customer_ref="c") for _ in range(4))
    for made in (added, basic):  # state rows for two of them: the others get theirs in the same action
        orders.binding.write_changes(session, [orders.get(made.id).record.change()])
    session.commit()
    records = {o.id: orders.get(o.id).record for o in (added, basic, other, kept)}
    at = utcnow().replace(microsecond=0)
    changes = [
        records[added.id].change(OrderStatus.MERGED, merged_into_id=basic.id),
        records[basic.id].change(OrderStatus.COMPLETED),
        records[other.id].change(OrderStatus.CANCELED, merged_into_id=None),
        records[kept.id].change(),  # status and its date kept
    ]
    written = _write(session, orders, statements, changes, at)
    order_table, states_table = _tables(orders)
    assert sum(map(writes_to(order_table), written)) == 1
    if states_table is None:
        assert len(written) == 1
    else:  # one UPDATE of the two stored rows, one INSERT of the two new ones
        assert sorted(s.split()[0] for s in written if writes_to(states_table)(s)) == ["INSERT", "UPDATE"]
        assert len(written) == 3
    after = {o.id: orders.get(o.id) for o in (added, basic, other, kept)}
    assert [(a.status, a.merged_into_id, a.version) for a in after.values()] == [
        (OrderStatus.MERGED, basic.id, records[added.id].version + 1),
        (OrderStatus.COMPLETED, None, records[basic.id].version + 1),
        (OrderStatus.CANCELED, None, records[other.id].version + 1),
        (OrderStatus.PROCESSING, None, records[kept.id].version + 1),
    ]
    assert [a.status_changed_at for a in after.values()] == [at, at, at, kept.status_changed_at]


def test_every_changed_order_row_is_updated_its_onupdate_columns_moved(session, make_order, orders, statements):
    """The order row of a change that keeps the status is updated too (status set to itself): the shop's
    ``onupdate`` column (the legacy shop's ``changed_at``, the plugin's ``updated_at``) moves for every order
    an action changes (docs/design.md, "Every changed order is updated")."""
    long_ago = datetime(2001, 1, 1)
    made = [make_order("processing", items=1) for _ in range(2)]
    for order in made:
        orders.binding.mark_changed(session, orders.get(order.id).record.obj, long_ago)
    session.commit()
    assert {orders.get(o.id).updated_at for o in made} == {long_ago}
    records = [orders.get(o.id).record for o in made]
    written = _write(session, orders, statements, [records[0].change(), records[1].change(merged_into_id=None)],
                     utcnow())
    assert sum(map(writes_to(_tables(orders)[0]), written)) == 1
    assert all(orders.get(o.id).updated_at > long_ago for o in made)
    assert [orders.status(o.id) for o in made] == [OrderStatus.PROCESSING] * 2


def test_a_change_without_status_keeps_status_and_its_date(session, make_order, orders, statements):
    made = make_order("shipped", items=1)
    record = orders.get(made.id).record
    orders.binding.write_changes(session, [record.change()])
    session.commit()
    after = orders.get(made.id)
    assert (after.status, after.version) == (OrderStatus.SHIPPED, made.version + 1)
    assert after.status_changed_at == made.status_changed_at
    unlinked = orders.get(made.id).record
    orders.binding.write_changes(session, [unlinked.change(merged_into_id=None)])
    session.commit()
    assert orders.get(made.id).version == made.version + 2
