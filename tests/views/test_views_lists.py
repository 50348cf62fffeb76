"""The two list tabs: columns, filters by label, links to the order page, statement counts."""

from __future__ import annotations

import json
import re
from datetime import datetime

from tests.model_sets import current_orders


def test_orders_list_shows_number_status_lines_and_total(client, make_order):
    order = make_order("processing", items=3, buyer_name="Zhang San")
    page = client.get("/admin/orders/").text
    assert f'details/?id={order.id}&amp;url=' in page
    assert order.number in page
    assert '<span class="badge badge-primary">Processing</span>' in page
    assert "Zhang San" in page and "Taobao" in page
    assert "634.30" in page  # the domain's order total of make_order's three lines
    assert "By orders" in page and "By items" in page


def test_one_orders_menu_entry_and_namespaced_endpoints(app, client):
    page = client.get("/admin/orders/").text
    assert len(re.findall(r'href="/admin/orders/">\s*Orders</a>', page)) == 1
    assert "/admin/orders/items/" not in re.search(r"<nav.*?</nav>", page, re.S).group(0)
    endpoints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin/orders")}
    assert endpoints == {"order_admin_orders", "order_admin_items", "order_admin_exports"}


def test_status_filter_offers_labels_and_filters(client, make_order):
    make_order("processing", items=1)
    canceled = make_order("canceled", items=1)
    page = client.get("/admin/orders/").text
    groups = json.loads(re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    status_options = dict(groups["Status"][0]["options"])
    assert status_options["awaiting_additional_payment"] == "Awaiting additional payment"
    filtered = client.get("/admin/orders/?flt0_status_equals=canceled").text
    assert canceled.number in filtered
    assert filtered.count('class="badge badge-secondary">Canceled') == 1
    assert "Processing</span>" not in filtered


def test_date_range_is_inclusive_and_buyer_filter_matches_part_of_the_name(client, make_order):
    old = make_order(created_at=datetime(2024, 3, 1, 23, 59), buyer_name="Wang Fang")
    make_order(created_at=datetime(2024, 3, 2, 0, 1), buyer_name="Chen Jie")
    page = client.get("/admin/orders/?flt0_date_between=2024-02-01+to+2024-03-01").text
    assert old.number in page and "Chen Jie" not in page
    page = client.get("/admin/orders/?flt0_buyer_contains=fang").text
    assert "Wang Fang" in page and "Chen Jie" not in page


def test_items_list_shows_lines_with_both_languages_thumbnail_and_order(client, make_order):
    order = make_order("ready_to_ship", items=2)
    page = client.get("/admin/orders/items/").text
    assert f'href="/admin/orders/details/?id={order.id}&amp;url=/admin/orders/items/' in page
    assert '<img src="https://img.example.com/1000.jpg"' in page
    assert "Red / 红色" in page and "M / 中码" in page
    assert 'href="https://item.taobao.com/item.htm?id=1001"' in page
    assert "Ready to ship</span>" in page


def test_items_list_filters_by_the_order_status(client, make_order):
    shipped = make_order("shipped", items=[{"title": "Silk scarf"}])
    make_order("processing", items=[{"title": "Wool hat"}])
    page = client.get("/admin/orders/items/?flt0_status_equals=shipped").text
    assert "Silk scarf" in page and "Wool hat" not in page
    assert shipped.number in page


def test_list_pages_make_as_many_statements_for_many_rows_as_for_few(client, make_order, count_statements):
    make_order(items=1)
    few_orders = count_statements(lambda: client.get("/admin/orders/"))
    few_items = count_statements(lambda: client.get("/admin/orders/items/"))
    for n in range(25):
        make_order("processing" if n % 2 else "shipped", items=4)
    assert count_statements(lambda: client.get("/admin/orders/")) == few_orders
    assert count_statements(lambda: client.get("/admin/orders/items/")) == few_items


def test_no_create_edit_or_delete_for_orders(client, make_order, session):
    order = make_order()
    assert client.get("/admin/orders/new/").status_code == 302
    assert client.get(f"/admin/orders/edit/?id={order.id}").status_code == 302
    page = client.get("/admin/orders/").text
    assert "/admin/orders/new/" not in page and "/admin/orders/edit/" not in page and "delete" not in page.lower()
    assert current_orders(session).get(order.id).number == order.number
