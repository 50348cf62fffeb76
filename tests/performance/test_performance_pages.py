"""The panel's pages send as many SQL statements for big orders and full pages as for small ones
(counted with a before_cursor_execute listener, not timed), on every test database."""

from __future__ import annotations

from sqlalchemy import event

from flask_order_admin.services import add_comment
from flask_order_admin.views import list_count


def test_order_page_statements_do_not_depend_on_items_or_events(client, make_order, count_statements, session):
    small, big = make_order(items=1), make_order(items=300)
    client.get(f"/admin/orders/details/?id={small.id}")  # warm-up: Flask-Admin's and SQLAlchemy's caches
    few = count_statements(lambda: client.get(f"/admin/orders/details/?id={small.id}"))
    for n in range(5):
        add_comment(session, big.id, actor="manager", text=f"note {n}")
    assert count_statements(lambda: client.get(f"/admin/orders/details/?id={big.id}")) == few


def test_orders_list_statements_do_not_depend_on_orders_or_items(client, make_order, count_statements):
    make_order("processing", items=1)
    client.get("/admin/orders/")
    few = count_statements(lambda: client.get("/admin/orders/"))
    filtered = count_statements(lambda: client.get("/admin/orders/?flt0_status_equals=processing"))
    for n in range(60):  # more than a page (50)
        make_order("processing", items=1 + n % 8)
    assert count_statements(lambda: client.get("/admin/orders/")) == few
    assert count_statements(lambda: client.get("/admin/orders/?flt0_status_equals=processing")) == filtered
    assert count_statements(lambda: client.get("/admin/orders/?page=1")) == few


def test_orders_list_reads_no_item_row(client, make_order, orders, db):
    """The per-row lines and totals are one GROUP BY over the page's order ids."""
    make_order(items=3)
    seen: list[str] = []
    listener = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        client.get("/admin/orders/")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    lines_table = orders.binding.line.__table__.name  # order_admin_order_items, or the shop's own
    title = orders.binding.line_field("title").attribute.property.columns[0].name
    on_items = [s for s in seen if lines_table in s]
    assert len(on_items) == 1 and "GROUP BY" in on_items[0] and title not in on_items[0]


def test_items_list_statements_do_not_depend_on_rows(client, make_order, count_statements):
    make_order(items=1)
    client.get("/admin/orders/items/")
    few = count_statements(lambda: client.get("/admin/orders/items/"))
    for n in range(30):
        make_order("shipped", items=4)
    assert count_statements(lambda: client.get("/admin/orders/items/")) == few


def test_the_list_count_stops_at_the_cap(client, make_order, monkeypatch):
    monkeypatch.setattr(list_count, "COUNT_CAP", 5)
    monkeypatch.setattr(list_count, "PAGES_AHEAD", 0)
    for _ in range(8):
        make_order(items=1)
    assert "(5+)" in client.get("/admin/orders/").text
    monkeypatch.setattr(list_count, "COUNT_CAP", 100)
    assert "(8)" in client.get("/admin/orders/").text
