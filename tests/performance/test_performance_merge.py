"""Merge sends as many SQL statements for two 300-item orders as for two 3-item ones: the items move
in one set-based UPDATE, their sums come from one aggregate."""

from __future__ import annotations

from sqlalchemy import select

from flask_order_admin import services
from tests.faults import statement_text, writes_to


def test_merge_statements_do_not_depend_on_items(make_order, orders, session, count_statements):
    def merged(items: int) -> int:
        added = make_order(items=items, customer_ref=f"merge-{items}")
        basic = make_order(items=items, customer_ref=f"merge-{items}")
        added_id, basic_id = added.id, basic.id
        session.rollback()
        return count_statements(lambda: services.merge(session, added_id, basic_id, actor="perf"))

    merged(2)  # warm-up: SQLAlchemy's statement cache
    few = merged(3)
    assert merged(300) == few
    totals = services.item_sums_by_order(session, session.scalars(select(orders.binding.order_pk)).all())
    assert sum(s.lines for s in totals.values()) == 2 * (2 + 3 + 300)


def test_a_merge_writes_each_of_its_tables_once(make_order, orders, session, statements):
    """Both orders' status, link and version in one UPDATE of the order table (a ``CASE`` on the key: their
    statuses differ), and on a shop's tables both state rows in one INSERT: two statements fewer than when
    each kind of change had its own (docs/design.md, "Order store")."""
    added, basic = (make_order(items=3, customer_ref="merge-once") for _ in range(2))
    added_id, basic_id = added.id, basic.id
    session.rollback()
    sent = [statement_text(s) for s in statements(lambda: services.merge(session, added_id, basic_id, actor="perf"))]
    binding = orders.binding
    assert sum(map(writes_to(binding.order.__table__.name), sent)) == 1
    assert sum(map(writes_to(binding.line.__table__.name), sent)) == 1
    if not binding.is_builtin:
        assert sum(map(writes_to(binding.states_table.name), sent)) == 1
