"""Text from the marketplace and from buyers, and search input: escaped everywhere, read back from the
export, never an error page."""

from __future__ import annotations

import re

import pytest
import xlrd

from flask_order_admin.export.links import link_label
from flask_order_admin.models import OrderEvent
from flask_order_admin.pricing import Price
from tests.conftest import item_fields
from tests.views.conftest import hidden_fields

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
RTL = "abc\u202etxt.exe"
EMOJI = "裙子 👗🏳️‍🌈"
CONTROL = "bell\x07tab\tnew\nline\x1b[0m"
HOSTILE = [SCRIPT, IMG, RTL, EMOJI, CONTROL]
RAW_MARKUP = ("<script>", "<img src=x", "onerror=alert(2)>")


def assert_escaped(page: str, text: str, where: str = "") -> None:
    for raw in RAW_MARKUP:
        assert raw not in page, f"unescaped {raw!r} on {where}"
    if text in (SCRIPT, IMG):
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
        assert escaped in page, f"the escaped text is not shown on {where}"


@pytest.fixture
def hostile_order(make_order):
    def make(text, status="canceled", **item):
        lines = [item_fields(1, title=text, color=text, size_cn=text, provider_item_id=text[:60], **item)]
        return make_order(status, items=lines, buyer_name=text, buyer_address=text)

    return make


@pytest.mark.parametrize("text", HOSTILE, ids=["script", "img", "rtl", "emoji", "control"])
def test_hostile_text_is_escaped_on_every_page(client, hostile_order, make_order, configure, token, session, text):
    order = hostile_order(text)
    order_id = order.id
    csrf = token(client)
    # A restore refused for this item: the preview and the flash message name the item by its title.
    configure(price_resolver=lambda item, at: None)
    preview = client.get(f"/admin/orders/{order_id}/confirm/restore/")
    assert "No longer sold" in preview.text
    assert_escaped(preview.text, text)
    refused = client.post(f"/admin/orders/{order_id}/restore/", follow_redirects=True, data={
        "csrf_token": csrf, "version": 1, "fingerprint": hidden_fields(preview.text, "confirm-form")["fingerprint"]})
    assert "cannot be restored" in refused.text
    assert_escaped(refused.text, text)
    # Restore that reprices: the history lists the changed item by its title; the cancel reason and a note too.
    configure(price_resolver=lambda item, at: Price(item.price + 1, None, item.china_delivery))
    preview = client.get(f"/admin/orders/{order_id}/confirm/restore/").text
    client.post(f"/admin/orders/{order_id}/restore/", data={
        "csrf_token": csrf, "version": 1, "fingerprint": hidden_fields(preview, "confirm-form")["fingerprint"]})
    client.post(f"/admin/orders/{order_id}/cancel/", data={"csrf_token": csrf, "version": 2, "reason": text})
    client.post(f"/admin/orders/{order_id}/comment/", data={"csrf_token": csrf, "text": text})
    session.expire_all()
    assert session.query(OrderEvent).filter_by(order_id=order_id).count() == 3
    session.rollback()
    basic_id = make_order("awaiting_payment", buyer_name=text, customer_ref="cust-9").id
    added_id = make_order("awaiting_payment", customer_ref="cust-9").id
    pages = [
        client.get("/admin/orders/"), client.get("/admin/orders/items/"),
        client.get("/admin/orders/details/", query_string={"id": order_id, "tab": "history"}),
        client.get(f"/admin/orders/{added_id}/merge-candidates/"),
        client.get("/admin/orders/", query_string={"flt0_buyer_contains": text}),
    ]
    assert_escaped(client.get(f"/admin/orders/{order_id}/confirm/restore/").text, "", "the confirm screen")
    for response in pages:
        assert response.status_code == 200, response.request.url
        assert_escaped(response.text, text, response.request.url)
    assert f"{basic_id:010d}" in pages[3].text  # the hostile buyer's order is offered, escaped


@pytest.mark.parametrize("text", HOSTILE, ids=["script", "img", "rtl", "emoji", "control"])
def test_hostile_text_reads_back_from_the_xls(client, hostile_order, text):
    order_id = hostile_order(text, url="javascript:alert(1)").id
    response = client.get(f"/admin/orders/{order_id}/export/")
    assert response.status_code == 200
    sheet = xlrd.open_workbook(file_contents=response.data).sheet_by_index(0)
    header = sheet.row_values(0)
    row = sheet.row_values(1)
    cell = dict(zip(header, row))
    # Text cells keep the text exactly, control characters included: they are data, not markup.
    assert cell["Customer full name"] == text
    assert cell["Customer address"] == text
    assert cell["Color"] == text and cell["尺码"] == text
    # Not an http(s) link: the title and the address are written as plain text, nothing evaluated.
    assert cell["Item (link to Taobao)"] == f"{text} (javascript:alert(1))"


@pytest.mark.parametrize("text", HOSTILE, ids=["script", "img", "rtl", "emoji", "control"])
def test_hostile_titles_as_link_labels(text):
    """Behind a real link the title becomes the HYPERLINK label: control and format characters (the
    RTL override) turn into spaces and runs of space collapse; everything else is kept."""
    label = link_label(text)
    assert label.isprintable()
    if text.isprintable():
        assert label == " ".join(text.split())
    else:
        assert label == " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


@pytest.mark.parametrize("query", ["%", "_", "^", "=", "0", "9" * 40, "1' OR '1'='1", "1; DROP TABLE x --",
                                   "%25", "ORD-%", "   ", "ord-", "-1", "\x00", "<script>alert(1)</script>"])
def test_search_never_errors(client, make_order, db_state, query):
    make_order("processing")
    before = db_state()
    response = client.get("/admin/orders/search/", query_string={"q": query}, follow_redirects=True)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    text = re.sub(r"\s+", " ", response.text)
    assert "alert-danger" in text or "search-none" in text or "search-results" in text or "Order ORD-" in text
    assert db_state() == before
