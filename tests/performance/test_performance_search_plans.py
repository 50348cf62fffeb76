"""The search box's lookups and the status pills' grouped count read indexes on the plugin's tables:
PostgreSQL's plan of every statement they send reads an index, never the whole table (sequential scans
switched off, so the plan shows whether an index CAN serve the query; with a few rows the planner would
scan them anyway)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from flask_order_admin import services
from tests.conftest import item_fields
from tests.model_sets import BUILTIN
from tests.views.test_views_status_pills import is_status_count

pytestmark = pytest.mark.models(BUILTIN)


def plans_of(db: Any, run: Any) -> list[tuple[str, str]]:
    """Each statement ``run()`` sends, and its plan."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    plans = []
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in sent:
            if statement.startswith("EXPLAIN"):  # the status pills' estimate: a plan already, reading no row
                continue
            rows = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
            plans.append((statement, "\n".join(row[0] for row in rows)))
    return plans


@pytest.mark.parametrize("text, index", [
    ("li wei", "pk_order_admin_search_keys"),
    ("wei", "pk_order_admin_search_keys"),
    ("li.wei@example.com", "pk_order_admin_search_keys"),
    ("li.wei@", "pk_order_admin_search_keys"),
    ("138 1234 5678", "pk_order_admin_search_keys"),
    ("5678", "pk_order_admin_search_keys"),
    ("tb-662014", "pk_order_admin_item_keys"),
    ("https://item.taobao.com/item.htm?id=662014", "pk_order_admin_item_keys"),
    ("VIP-7", "ix_order_admin_orders_customer_ref"),
])
def test_every_lookup_reads_an_index(db, session, make_order, dialect, text, index):
    if dialect != "postgresql":
        pytest.skip("the plans asserted are PostgreSQL's")
    make_order(buyer_name="Li Wei", buyer_email="li.wei@example.com", buyer_phone="+86 138 1234 5678",
               customer_ref="VIP-7", items=[item_fields(0, provider_item_id="tb-662014")])
    services.search(session, "li")  # the search's own index filled (docs/design.md, "Search keys")
    plans = [plan for _, plan in plans_of(db, lambda: services.search(session, text))]
    assert plans and all("Seq Scan" not in plan for plan in plans), plans
    assert any(index in plan for plan in plans), plans


@pytest.mark.parametrize("url", ["/admin/orders/", "/admin/orders/?flt0_provider_equals=taobao"])
def test_the_status_counts_read_a_status_index(db, client, make_order, dialect, url):
    if dialect != "postgresql":
        pytest.skip("the plans asserted are PostgreSQL's")
    make_order("processing")
    [(statement, plan)] = [(s, p) for s, p in plans_of(db, lambda: client.get(url)) if is_status_count(s)]
    # One count (grouped, or per status where the list has no other filter), reading (status), (status, created_at) or (provider, status): no heap row where the visibility
    # map allows (an index-only scan), and never the table.
    indexes = ("ix_order_admin_orders_status", "ix_order_admin_orders_provider_status")  # the first also matches _status_created
    assert "Seq Scan" not in plan and any(index in plan for index in indexes), plan
