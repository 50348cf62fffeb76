"""The search box in a browser: full-width digits typed with a Chinese keyboard, a buyer's name, an email;
what was typed stays in the box after the search and after a refusal."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.menus import follow, submit_search

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")
BOX = "form.order-admin-search input[name=q]"


def number(order_id: int) -> str:
    return f"ORD-{order_id:010d}"


def statuses_filtered(page) -> set[str]:
    """The statuses the list's URL filters by (the pills' ``flt0_status_in_list``)."""
    values = parse_qs(urlsplit(page.url).query).get("flt0_status_in_list", [""])
    return set(values[0].split(",")) - {""}


def search(page, text: str) -> None:
    submit_search(page, BOX, text)


def test_full_width_digits_find_the_order_and_stay_in_the_box(page, base_url, new_order):
    order_id = new_order("processing")
    digits = str(order_id)
    full_width = "".join(chr(ord(d) - ord("0") + ord("０")) for d in digits)
    page.goto(f"{base_url}/admin/orders/")
    search(page, full_width)
    if page.locator("#order-title").count():  # the only order ending with these digits: opened
        assert page.inner_text("#order-title") == f"Order {number(order_id)}"
    else:
        assert page.locator("#search-results a").first.inner_text() == number(order_id)
    assert page.input_value(BOX) == full_width


def test_a_buyers_name_and_email_find_their_orders(page, base_url, new_order):
    first = new_order("processing", buyer_name="Ouyang Xue 欧阳雪", buyer_email="Ouyang.Xue@Example.cn")
    second = new_order("shipped", buyer_name="Ouyang Xuefeng", buyer_email="ouyang.xf@example.cn")
    page.goto(f"{base_url}/admin/orders/")
    search(page, "  ouyang   XUE ")
    listed = page.locator("#search-results a").all_inner_texts()
    assert set(listed) == {number(first), number(second)}
    assert page.input_value(BOX) == "  ouyang   XUE "
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search-results.png"), full_page=True)
    search(page, "OUYANG.XUE@example.cn")
    page.wait_for_url(re.compile(rf".*/details/\?id={first}&.*"))
    assert page.inner_text("#order-title") == f"Order {number(first)}"
    assert page.input_value(BOX) == "OUYANG.XUE@example.cn"


def test_a_refusal_keeps_the_text(page, base_url, new_order):
    order_id = new_order("processing")
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")
    search(page, "%%")
    assert "holds no letter or digit" in page.inner_text(".alert-danger")
    assert page.inner_text("#order-title") == f"Order {number(order_id)}"
    assert page.input_value(BOX) == "%%"


def test_the_status_pills_filter_the_list(page, base_url, new_order):
    new_order("ready_for_packing")
    page.goto(f"{base_url}/admin/orders/")
    follow(page, "#status-pills li[data-status=ready_for_packing] a.nav-link")
    assert statuses_filtered(page) == {"ready_for_packing"}
    assert set(page.locator("table.model-list td.col-status").all_inner_texts()) == {"Ready for packing"}
    follow(page, "#status-pills li[data-status=canceled] a[data-toggle-status=add]")
    assert statuses_filtered(page) == {"ready_for_packing", "canceled"}
    statuses = set(page.locator("table.model-list td.col-status").all_inner_texts())
    assert "Ready for packing" in statuses and statuses <= {"Ready for packing", "Canceled"}
    page.set_viewport_size({"width": 1366, "height": 700})
    page.screenshot(path=str(SCREENSHOTS / "status-pills.png"))


def found_numbers(page) -> list[str]:
    """The numbers the search found: the order opened (the only match), or the results listed."""
    page.wait_for_selector("#order-title, #search-results")
    if page.locator("#order-title").count():
        return [page.inner_text("#order-title").removeprefix("Order ")]
    return page.locator("#search-results a").all_inner_texts()


def test_the_demo_buyers_are_found_by_surname_and_last_phone_digits(page, base_url, db_session):
    """The demo seed inserts in bulk (no model event): the search's own index finds its buyers."""
    from flask_order_admin.models import Order

    order = db_session.get(Order, 1)
    surname = order.buyer_name.split()[-1]
    last_digits = "".join(ch for ch in order.buyer_phone if ch.isdigit())[-4:]
    page.goto(f"{base_url}/admin/orders/")
    search(page, surname)
    assert number(order.id) in found_numbers(page)
    page.goto(f"{base_url}/admin/orders/")
    search(page, last_digits)
    assert number(order.id) in found_numbers(page)
