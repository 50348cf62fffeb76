"""Merge sends as many SQL statements for two 300-item orders as for two 3-item ones: the items move
in one set-based UPDATE, their sums come from one aggregate."""

from __future__ import annotations

from sqlalchemy import select

from flask_order_admin import services


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
