"""The order page: blocks, tabs, links, escaping, and a statement count that does not grow with items."""

from __future__ import annotations

import re

from flask_order_admin.services import add_comment, merge
from tests.conftest import item_fields
from tests.model_sets import line_of


def page_of(client, order, **args) -> str:
    response = client.get("/admin/orders/details/", query_string={"id": order.id, **args})
    assert response.status_code == 200
    return response.text


def test_first_line_summary_buyer_and_tabs(client, make_order):
    order = make_order("processing", items=3, buyer_name="Li Wei 李伟", buyer_phone="+86 1", buyer_address="Shanghai")
    page = page_of(client, order)
    assert re.search(rf'<h4[^>]*id="order-title">Order {re.escape(order.number)}</h4>', page)
    assert re.fullmatch(r"ORD-\d{10}|SH-24-\d{5}", order.number)  # the tables' own numbers
    assert 'id="order-actions"' in page and "Order actions" in page
    summary = re.search(r'class="order-admin-summary.*?</section>', page, re.S).group(0)
    for text in ("Processing", "Taobao", "3 / 6", "CN¥611.00", "− CN¥20.50", "CN¥43.80", "CN¥634.30"):
        assert text in summary
    buyer = re.search(r'class="order-admin-buyer.*?</section>', page, re.S).group(0)
    for text in ("Li Wei 李伟", "buyer@example.com", "+86 1", "Shanghai", "flt0_customer_equals=cust-1"):
        assert text in buyer
    assert "Items (3)" in page and "History" in page and "Comments" in page
    assert "红色" in page and "中码" in page and "Cotton dress 2 连衣裙" in page


def test_buyer_without_customer_ref_links_by_email(client, make_order):
    order = make_order(customer_ref=None, buyer_email="Mei@Example.com")
    assert re.search(r"flt0_buyer_email_equals=mei(@|%40)example.com", page_of(client, order))
    other = make_order(customer_ref=None, buyer_email="mei@example.COM")
    listed = client.get("/admin/orders/?flt0_buyer_email_equals=MEI@example.com").text
    assert order.number in listed and other.number in listed


def test_the_order_page_makes_the_same_number_of_statements_for_10_and_1000_items(
    client, make_order, count_statements, session
):
    small, big = make_order(items=10), make_order(items=1000)
    for order in (small, big):
        add_comment(session, order.id, actor="manager", text="call the buyer")
    page_of(client, small)  # warm-up: the first request loads Flask-Admin's and SQLAlchemy's caches
    statements = count_statements(lambda: page_of(client, small))
    assert statements == count_statements(lambda: page_of(client, big))
    assert statements <= 8


def test_titles_and_links_from_the_marketplace_are_escaped(client, make_order):
    order = make_order(items=[
        {"title": "<b>Bold</b> dress", "url": "javascript:alert(1)", "photo_url": "javascript:alert(2)"},
        {"title": '"quoted" <script>x()</script>', "url": "https://item.taobao.com/?a=1&b=\"2\""},
    ], buyer_name="<i>buyer</i>")
    page = page_of(client, order)
    assert "&lt;b&gt;Bold&lt;/b&gt; dress" in page and "<b>Bold</b>" not in page
    assert "<script>x()</script>" not in page and "&lt;script&gt;" in page
    assert "javascript:alert" not in page
    assert 'href="https://item.taobao.com/?a=1&amp;b=&#34;2&#34;"' in page
    assert "&lt;i&gt;buyer&lt;/i&gt;" in page
    items_list = client.get("/admin/orders/items/").text
    assert "&lt;b&gt;Bold&lt;/b&gt; dress" in items_list and "javascript:alert" not in items_list


def test_merged_order_has_a_banner_and_the_basic_order_links_back(client, make_order, session):
    added = make_order("awaiting_payment", items=2)
    basic = make_order("awaiting_payment", items=1)
    merge(session, added.id, basic.id, actor="manager")
    added_page = page_of(client, added)
    banner = re.search(r'id="merged-banner">(.*?)</div>', added_page, re.S).group(1)
    assert f"details/?id={basic.id}" in banner and basic.number in banner
    basic_page = page_of(client, basic)
    history = re.search(r'id="pane-history".*?</table>', basic_page, re.S).group(0)
    assert f"details/?id={added.id}" in history and "Received the items of" in history
    items = re.search(r'id="pane-items".*?</table>', basic_page, re.S).group(0)
    assert items.count(added.number) == 2  # origin order of each moved line
    assert "Items (3)" in basic_page


def test_history_shows_when_who_action_statuses_and_details(client, make_order, session, configure):
    from flask_order_admin.pricing import Price
    from flask_order_admin.services import cancel, restore

    configure(price_resolver=lambda item, at: Price(price=line_of(item).price + 1,
                                                    china_delivery=line_of(item).china_delivery))
    order = make_order("processing", items=1)
    cancel(session, order.id, actor="alice", reason="buyer asked")
    restore(session, order.id, actor="bob")
    history = re.search(r'id="pane-history".*?</table>', page_of(client, order), re.S).group(0)
    assert "alice" in history and "bob" in history
    assert "Processing → Canceled" in history and "Canceled → Awaiting payment" in history
    assert "Reason: buyer asked" in history
    assert "price CN¥100.50 → CN¥101.50" in history


def test_back_to_orders_list_keeps_the_list_address_and_rejects_other_sites(client, make_order):
    order = make_order()
    back = '/admin/orders/?flt0_status_equals=processing&page=2'
    page = page_of(client, order, url=back)
    assert 'href="/admin/orders/?flt0_status_equals=processing&amp;page=2" id="back-to-list"' in page
    for evil in ("//evil.example/x", "\\\\evil.example", "/\\evil.example", "javascript:alert(1)",
                 "https://evil.example/admin/orders/", "http://localhost/admin/orders/", " //evil.example"):
        page = page_of(client, order, url=evil)
        assert 'href="/admin/orders/" id="back-to-list"' in page, evil
        assert not [href for href in re.findall(r'href="([^"]*)"', page) if "evil" in href.split("?")[0]]


def test_unknown_order_goes_back_to_the_list_with_a_message(client):
    response = client.get("/admin/orders/details/?id=999999", follow_redirects=True)
    assert response.request.path == "/admin/orders/"
    assert "There is no order 999999" in response.text
    response = client.get("/admin/orders/details/?id=abc", follow_redirects=True)
    assert response.status_code == 200 and "There is no order" in response.text


def test_completed_order_offers_only_export(client, make_order):
    order = make_order("completed")
    menu = re.search(r'<div class="dropdown-menu" aria-labelledby="order-actions">(.*?)</div>\s*</div>',
                     page_of(client, order), re.S).group(1)
    enabled = re.findall(r'<a class="dropdown-item" href="[^"]*" data-action="(\w+)"', menu)
    disabled = re.findall(r'title="([^"]+)" tabindex="0" data-action="(\w+)"', menu)
    assert enabled == ["export"]
    assert [action for _, action in disabled] == ["cancel", "restore", "close", "merge"]
    assert "Only orders in status Canceled can be restored; this order is Completed." in dict(
        (a, r) for r, a in disabled)["restore"]
    assert "comment-form" not in page_of(client, order)


def test_the_summary_leaves_out_discounts_when_there_are_none(client, make_order):
    """«Скидки − 0,00» read as a discount of nothing: the line shows only when some line has a discount price."""
    order = make_order("processing", items=[item_fields(0, discount_price=None)])
    assert 'id="order-discounts"' not in page_of(client, order)
    discounted = make_order("processing", items=3)
    assert re.search(r'id="order-discounts">− CN¥20\.50<', page_of(client, discounted))
