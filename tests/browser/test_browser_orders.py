"""Browser flows around the order page: log in, both list tabs, search, Back, export, escaping, screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import xlrd

from tests.browser.menus import choose_order_action, follow, open_menu, open_tab

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
# The documentation's screenshots are refreshed only on request, so a test run leaves the tree clean.
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")


def number(order_id: int) -> str:
    return f"ORD-{order_id:010d}"


def test_login_then_open_an_order_from_each_list_tab(browser, base_url, new_order):
    order_id = new_order("processing")
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{base_url}/admin/orders/")
    assert "/login?next=" in page.url  # anonymous: sent to the shop's login
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "browser-test-password")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/admin/orders/$"))
    follow(page, f"table.model-list a:text-is('{number(order_id)}')")
    assert page.inner_text("#order-title") == f"Order {number(order_id)}"
    follow(page, "#back-to-list")
    page.click("a.nav-link:text-is('By items')")
    page.wait_for_url(re.compile(r".*/admin/orders/items/.*"))
    page.locator(f"table.model-list a:text-is('{number(order_id)}')").first.click()
    assert page.inner_text("#order-title") == f"Order {number(order_id)}"
    context.close()


def test_back_to_orders_list_keeps_the_filter(page, base_url, new_order):
    order_id = new_order("ready_to_ship")
    page.goto(f"{base_url}/admin/orders/?flt0_status_equals=ready_to_ship")
    follow(page, f"table.model-list a:text-is('{number(order_id)}')")
    follow(page, "#back-to-list")
    assert "/admin/orders/?" in page.url and "flt0_status_equals=ready_to_ship" in page.url
    statuses = page.locator("table.model-list td.col-status").all_inner_texts()
    assert statuses and set(statuses) == {"Ready to ship"}


def test_search_by_last_digits_and_a_message_for_bad_input(page, base_url, new_order):
    first, target = new_order("processing"), new_order("processing")
    page.goto(f"{base_url}/admin/orders/details/?id={first}")
    page.fill("form.order-admin-search input[name=q]", str(target))
    follow(page, "form.order-admin-search button[type=submit]")
    if page.locator("#order-title").count():
        assert page.inner_text("#order-title") == f"Order {number(target)}"
    else:  # other orders end with the same digits: the exact match is listed first
        assert page.locator("#search-results a").first.inner_text() == number(target)
    page.fill("form.order-admin-search input[name=q]", "%%")
    follow(page, "form.order-admin-search button[type=submit]")
    assert "holds no letter or digit" in page.inner_text(".alert-danger")
    assert page.inner_text("#order-title") == f"Order {number(target)}"  # the same page


def test_export_downloads_the_orders_xls(page, base_url, new_order):
    order_id = new_order("completed", lines=3)
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")
    with page.expect_download() as download_info:
        choose_order_action(page, "export")
    download = download_info.value
    assert download.suggested_filename == f"{number(order_id)}.xls"
    sheet = xlrd.open_workbook(download.path()).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "Zhou Min 周敏"
    assert {sheet.cell_value(r, 2) for r in range(1, 4)} == {number(order_id)}


def test_item_titles_are_shown_as_text_never_as_markup(page, base_url, new_order):
    order_id = new_order("processing", titles=["<b>bold</b> dress <img src=x onerror=alert(1)>"])
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")
    title = page.locator(".order-admin-item-title").first
    assert title.inner_text() == "<b>bold</b> dress <img src=x onerror=alert(1)>"
    assert title.locator("b").count() == 0 and title.locator("img").count() == 0
    page.goto(f"{base_url}/admin/orders/items/?flt0_status_equals=processing")
    assert page.locator("table.model-list td.col-title b").count() == 0
    assert dialogs == []


def test_screenshots_of_the_order_page(page, base_url, new_order, db_session):
    from flask_order_admin.services import add_comment

    order_id = new_order("processing", lines=4)
    add_comment(db_session, order_id, actor="admin", text="Buyer asked to ship the black dress first.")
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "order-page.png"), full_page=True)
    open_menu(page, "#order-actions")
    page.screenshot(path=str(SCREENSHOTS / "order-actions.png"))
    assert (SCREENSHOTS / "order-page.png").stat().st_size > 10_000


def test_the_active_tab_survives_a_reload(page, base_url, new_order):
    order_id = new_order("processing")
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")
    open_tab(page, "history")
    page.wait_for_function("() => window.location.search.includes('tab=history')")
    page.reload()
    assert "active" in page.get_attribute("#tab-history", "class")
    assert page.locator("#pane-history").is_visible() and not page.locator("#pane-items").is_visible()


def test_on_a_phone_the_list_scrolls_under_its_number_status_and_total(browser, base_url, logged_in_state):
    """390 px wide: the table scrolls sideways; the number, status and total cells stay on screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, storage_state=logged_in_state)
    page = context.new_page()
    page.goto(f"{base_url}/admin/orders/")
    scroller = page.locator(".order-admin-list .table-responsive")
    widths = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], widths  # wider than the phone: it scrolls
    scroller.evaluate("el => { el.scrollLeft = el.scrollWidth / 3; }")
    screen = scroller.bounding_box()
    row = page.locator("table.model-list tbody tr").first
    for column in ("number", "status", "total"):
        box = row.locator(f"td.col-{column}").bounding_box()
        assert screen["x"] - 1 <= box["x"] and box["x"] + box["width"] <= screen["x"] + screen["width"] + 1, column
    assert row.locator("td.col-buyer_name").bounding_box()["x"] < screen["x"] + screen["width"]
    pills = page.locator("#status-pills")
    first_pill = pills.locator(".nav-link").first.bounding_box()
    assert pills.bounding_box()["height"] < 2 * first_pill["height"]  # one line, scrolled sideways
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "list-phone.png"))
    context.close()
