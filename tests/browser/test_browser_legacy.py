"""The panel on the legacy shop's own tables, in the browser: log in to its back office, both lists, the order
page, each action, search by the shop's own number, export."""

from __future__ import annotations

import re

import pytest
import xlrd
from playwright.sync_api import expect

from tests.browser.menus import choose_order_action, follow, open_menu, open_tab

pytestmark = pytest.mark.browser


def open_order(page, legacy_url, order_id):
    page.goto(f"{legacy_url}/backoffice/orders/details/?id={order_id}")


def status_shown(page):
    return page.inner_text("section.order-admin-summary .badge")


def test_log_in_and_reach_the_orders_through_the_shops_own_menu(browser, legacy_url):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{legacy_url}/backoffice/orders/")
    assert "/login?next=" in page.url
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "browser-test-password")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(re.compile(r".*/backoffice/orders/$"))
    sales = open_menu(page, "a.dropdown-toggle:has-text('Sales')")
    expect(sales.locator("a:has-text('Customers')")).to_be_visible()  # the shop's own views beside it
    numbers = page.locator("table.model-list td.col-number a").all_inner_texts()
    assert numbers and all(re.fullmatch(r"SH-\d\d-\d{5}", n) for n in numbers)
    context.close()


def test_both_lists_and_the_order_page_show_the_shops_rows(legacy_page, legacy_url, shop_order):
    order_id, number = shop_order("ready_to_ship", lines=2)
    legacy_page.goto(f"{legacy_url}/backoffice/orders/?flt0_status_equals=ready_to_ship")
    follow(legacy_page, f"table.model-list a:text-is('{number}')")
    assert legacy_page.inner_text("#order-title") == f"Order {number}"
    buyer = legacy_page.inner_text("section.order-admin-buyer")
    assert "Zhou Min 周敏" in buyer and "zhou.min@example.com" in buyer  # from the shop's customer table
    assert legacy_page.inner_text("#tab-items") == "Items (2)"
    follow(legacy_page, "#back-to-list")
    legacy_page.click("a.nav-link:text-is('By items')")
    legacy_page.wait_for_url(re.compile(r".*/backoffice/orders/items/.*"))
    expect(legacy_page.locator(f"table.model-list a:text-is('{number}')")).to_have_count(2)


def test_cancel_restore_and_close(legacy_page, legacy_url, shop_order, shop_state):
    order_id, number = shop_order("processing")
    open_order(legacy_page, legacy_url, order_id)
    choose_order_action(legacy_page, "cancel")
    assert legacy_page.inner_text("#confirm-question") == f"Are you sure you want to cancel order {number}?"
    legacy_page.fill("textarea[name=reason]", "Buyer found it cheaper")
    legacy_page.click("#confirm-yes")
    assert "was canceled" in legacy_page.inner_text(".alert-success")
    assert status_shown(legacy_page) == "Canceled" and shop_state(order_id) == 90
    choose_order_action(legacy_page, "restore")
    legacy_page.click("#confirm-yes")
    assert "was restored" in legacy_page.inner_text(".alert-success")
    assert status_shown(legacy_page) == "Awaiting payment" and shop_state(order_id) == 10
    open_tab(legacy_page, "history")
    history = legacy_page.inner_text("#pane-history")
    assert re.search(r"price CN¥[\d.,]+ → CN¥[\d.,]+", history)  # the shop's catalog prices applied
    assert "Wang Li" in history  # the staff member, named as the shop names them (ORDER_ADMIN_ACTOR_NAME)

    shipped_id, _ = shop_order("shipped")
    open_order(legacy_page, legacy_url, shipped_id)
    choose_order_action(legacy_page, "close")
    legacy_page.click("#confirm-yes")
    assert status_shown(legacy_page) == "Completed" and shop_state(shipped_id) == 60


def test_merge(legacy_page, legacy_url, shop_order, shop_state):
    added, added_number = shop_order("awaiting_payment", lines=2, customer="C-9100")
    basic, basic_number = shop_order("ready_for_packing", lines=1, customer="C-9100")
    open_order(legacy_page, legacy_url, added)
    choose_order_action(legacy_page, "merge")
    expect(legacy_page.locator("input[name=into]")).to_have_count(1)
    legacy_page.check(f"input[name=into][value='{basic}']")
    legacy_page.click("#merge-submit")
    assert f"into order {basic_number}?" in legacy_page.inner_text("#confirm-question")
    legacy_page.click("#confirm-yes")
    assert legacy_page.inner_text("#order-title") == f"Order {basic_number}"
    assert legacy_page.inner_text("#tab-items") == "Items (3)"
    assert (shop_state(added), shop_state(basic)) == (95, 10)
    expect(legacy_page.locator(f"#pane-items a:text-is('{added_number}')")).to_have_count(2)  # the lines' first order
    open_tab(legacy_page, "history")
    legacy_page.click(f"#pane-history a:text-is('{added_number}')")
    assert basic_number in legacy_page.inner_text("#merged-banner")


def test_search_by_the_shops_own_number(legacy_page, legacy_url, shop_order):
    order_id, number = shop_order("processing")
    open_order(legacy_page, legacy_url, order_id)
    legacy_page.fill("form.order-admin-search input[name=q]", "SH-24-00042")
    follow(legacy_page, "form.order-admin-search button[type=submit]")
    assert legacy_page.inner_text("#order-title") == "Order SH-24-00042"
    legacy_page.fill("form.order-admin-search input[name=q]", "42")
    follow(legacy_page, "form.order-admin-search button[type=submit]")
    found = legacy_page.locator("#search-results a").all_inner_texts()
    assert found[:3] == ["SH-26-00042", "SH-25-00042", "SH-24-00042"]  # exact matches first, newest first
    legacy_page.fill("form.order-admin-search input[name=q]", number.lower())
    follow(legacy_page, "form.order-admin-search button[type=submit]")
    assert legacy_page.inner_text("#order-title") == f"Order {number}"


def test_export_downloads_the_shops_order(legacy_page, legacy_url, shop_order):
    order_id, number = shop_order("completed", lines=3)
    open_order(legacy_page, legacy_url, order_id)
    with legacy_page.expect_download() as download_info:
        choose_order_action(legacy_page, "export")
    download = download_info.value
    assert download.suggested_filename == f"{number}.xls"
    sheet = xlrd.open_workbook(download.path()).sheet_by_index(0)
    assert sheet.cell_value(1, 0) == "Zhou Min 周敏"
    assert {sheet.cell_value(r, 2) for r in range(1, 4)} == {number}


def test_an_order_on_hold_in_the_old_system_shows_its_code_and_only_export(legacy_page, legacy_url):
    legacy_page.goto(f"{legacy_url}/backoffice/orders/")  # the seed's order on hold is among the newest
    on_hold = legacy_page.locator("table.model-list tr:has(.badge:text-is('unknown status 77')) td.col-number a")
    with legacy_page.expect_navigation():
        on_hold.first.click()
    assert legacy_page.inner_text("section.order-admin-summary .badge") == "unknown status 77"
    menu = open_menu(legacy_page, "#order-actions")
    assert menu.locator("a.dropdown-item:not(.disabled)").all_inner_texts() == ["Export"]
