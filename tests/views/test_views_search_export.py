"""Search by number from the order page, and the .xls downloads (one order, selected, all matching)."""

from __future__ import annotations

import html
import io
import re

import pytest
import xlrd

from tests.conftest import item_fields
from tests.model_sets import BUILTIN, current_orders


def read_xls(response) -> list[list[object]]:
    assert response.status_code == 200, response.text[:500]
    book = xlrd.open_workbook(file_contents=response.data)
    sheet = book.sheet_by_index(0)
    return [sheet.row_values(r) for r in range(sheet.nrows)]


@pytest.mark.models(BUILTIN)  # numbers made from the id (the shop's own: test_views_host_models.py)
def test_digits_open_the_only_matching_order_the_text_kept_in_the_box(client, make_order):
    order = make_order()
    response = client.get("/admin/orders/search/", query_string={"q": str(order.id), "url": "/admin/orders/?page=1"})
    assert response.status_code == 302
    assert response.location == f"/admin/orders/details/?id={order.id}&url=/admin/orders/?page%3D1&q={order.id}"
    assert search_box_text(client.get(response.location).text) == str(order.id)


def search_box_text(page: str) -> str | None:
    box = re.search(r'<input type="search" name="q"[^>]*value="([^"]*)"', page)
    return box and html.unescape(box.group(1))


@pytest.mark.models(BUILTIN)
def test_full_width_digits_find_the_order(client, make_order):
    """Typed with a Chinese keyboard, ２３ was refused ("is not an order number")."""
    for order_id in (23, 123):
        make_order(id=order_id, items=0)
    page = client.get("/admin/orders/search/", query_string={"q": "２３"}).text
    listed = re.findall(r">(ORD-\d+)</a>", page.split('id="search-results"')[1])
    assert listed == ["ORD-0000000023", "ORD-0000000123"]
    assert search_box_text(page) == "２３"


def test_a_name_an_email_a_phone_and_an_item_id_open_the_buyers_order(client, make_order, orders):
    order = make_order(buyer_name="Zhao Min 赵敏", buyer_email="Zhao.Min@Example.cn", buyer_phone="+86 139-8765-4321",
                       customer_ref="z-1", items=[item_fields(0, provider_item_id="tb-5550001")])
    make_order(buyer_name="Li Wei", buyer_email="li@example.com", customer_ref="l-1")
    texts = ["zhao min", "Zhao", "zhao.min@example.cn", "ZHAO.MIN@", "tb-5550001", "+86 139-8765-4321"]
    if orders.is_builtin:  # a phone key: any way of writing it, or its last digits
        texts += ["139 8765 4321", "87654321"]
    for text in texts:
        response = client.get("/admin/orders/search/", query_string={"q": text})
        assert response.status_code == 302, text
        assert f"details/?id={order.id}&" in response.location, text


@pytest.mark.models(BUILTIN)
def test_several_matches_are_listed_exact_first(client, make_order):
    for order_id in (1023, 123, 23, 24):
        make_order(id=order_id, items=0)
    page = client.get("/admin/orders/search/", query_string={"q": "23"}).text
    listed = re.findall(r">(ORD-\d+)</a>", page.split('id="search-results"')[1])
    assert listed == ["ORD-0000000023", "ORD-0000001023", "ORD-0000000123"]


def test_bad_input_comes_back_as_a_message_on_the_same_page_the_text_kept(client, make_order):
    """The typed text was cleared after a refusal: it is now in the box again."""
    order = make_order()
    back = f"/admin/orders/details/?id={order.id}&tab=history"
    response = client.get("/admin/orders/search/", query_string={"q": "<*>", "back": back}, follow_redirects=True)
    assert response.request.path == "/admin/orders/details/"
    assert response.request.args.to_dict() == {"id": str(order.id), "tab": "history", "q": "<*>"}
    assert "holds no letter or digit" in response.text and "“&lt;*&gt;”" in response.text
    assert search_box_text(response.text) == "<*>"
    response = client.get("/admin/orders/search/", query_string={"q": "%", "back": "//evil.example/"})
    assert response.location == "/admin/orders/?q=%25"


def test_text_that_finds_nothing_is_kept_and_says_so(client, make_order):
    make_order()
    page = client.get("/admin/orders/search/", query_string={"q": "Nobody <here>"}).text
    assert 'id="search-none"' in page and "Nobody &lt;here&gt;" in page
    assert search_box_text(page) == "Nobody <here>"


def test_no_match_says_so(client, make_order):
    make_order()
    page = client.get("/admin/orders/search/", query_string={"q": "98765"}).text
    assert 'id="search-none"' in page


def test_export_from_the_order_page_downloads_its_xls(client, make_order, session):
    order = make_order("completed", items=2, buyer_name="Li Wei 李伟")
    response = client.get(f"/admin/orders/{order.id}/export/")
    assert f"{order.number}.xls" in response.headers["Content-Disposition"]
    rows = read_xls(response)
    assert rows[1][0] == "Li Wei 李伟" and rows[1][2] == order.number
    assert current_orders(session).get(order.id).version == order.version  # a GET that changes nothing


def test_export_obeys_the_access_rule(client, make_order, configure, form_fields):
    order = make_order()
    configure(access=lambda action, order: action != "export")
    assert client.get(f"/admin/orders/{order.id}/export/").status_code == 403
    token = form_fields(client.get("/admin/orders/").text, "export-matching-form")
    assert client.post("/admin/orders/export-matching/", data={**token, "format": "xls"}).status_code == 403
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    assert 'title="You are not allowed to export this order." tabindex="0" data-action="export"' in page


def test_export_selected_is_a_bulk_action_on_both_tabs(client, make_order, form_fields):
    first, second, _ = make_order(items=1), make_order(items=2), make_order(items=1)
    page = client.get("/admin/orders/").text
    assert "Export selected" in page
    fields = {**form_fields(page, "action_form"), "action": "export_selected", "rowid": [first.id, second.id]}
    rows = read_xls(client.post("/admin/orders/action/", data=fields))
    assert sorted({row[2] for row in rows[1:] if row[2]}) == [first.number, second.number]
    items_page = client.get("/admin/orders/items/").text
    item_rowid = io.StringIO(items_page).getvalue().split('name="rowid" class="action-checkbox" value="')[1].split('"')[0]
    fields = {**form_fields(items_page, "action_form"), "action": "export_selected", "rowid": [item_rowid]}
    assert read_xls(client.post("/admin/orders/items/action/", data=fields))


def test_export_all_matching_follows_the_current_filters(client, make_order, form_fields):
    shipped, _ = make_order("shipped", items=1), make_order("processing", items=1)
    page = client.get("/admin/orders/?flt0_status_equals=shipped").text
    assert 'action="/admin/orders/export-matching/?flt0_status_equals=shipped"' in page
    fields = {**form_fields(page, "export-matching-form"), "format": "xls"}
    rows = read_xls(client.post("/admin/orders/export-matching/?flt0_status_equals=shipped", data=fields))
    assert {row[2] for row in rows[1:] if row[2]} == {shipped.number}
    rows = read_xls(client.post("/admin/orders/items/export-matching/?flt0_status_equals=shipped", data=fields))
    assert {row[2] for row in rows[1:] if row[2]} == {shipped.number}


def test_a_download_from_the_list_sends_orders_exported_with_the_manager(app, client, make_order, configure,
                                                                       signals_sent, form_fields):
    shipped, _ = make_order("shipped", items=2), make_order("processing", items=1)
    fields = {**form_fields(client.get("/admin/orders/").text, "export-matching-form"), "format": "xls"}
    read_xls(client.post("/admin/orders/export-matching/?flt0_status_equals=shipped", data=fields))
    assert signals_sent == [("orders-exported", app, {
        "order_ids": [shipped.id], "actor": "manager", "export_format": "xls", "rows": 2,
    })]
    configure(export_max_rows=1)
    refused = client.post("/admin/orders/export-matching/?flt0_status_equals=shipped", data=fields)  # too large
    assert refused.status_code == 302 and len(signals_sent) == 1
