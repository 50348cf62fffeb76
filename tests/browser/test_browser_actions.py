"""Browser flows of the order actions: dropdown, confirm screen, Yes, the status shown and stored."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.menus import choose_order_action, open_menu, open_tab

pytestmark = pytest.mark.browser


def open_order(page, base_url, order_id):
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}")


def status_shown(page):
    return page.inner_text("section.order-admin-summary .badge")


def test_cancel_restore_and_close_through_the_menu(page, base_url, new_order, order_status):
    order_id = new_order("processing")
    open_order(page, base_url, order_id)
    choose_order_action(page, "cancel")
    assert page.inner_text("#confirm-question") == f"Are you sure you want to cancel order ORD-{order_id:010d}?"
    page.fill("textarea[name=reason]", "Buyer found it cheaper")
    page.click("#confirm-yes")
    assert "was canceled" in page.inner_text(".alert-success")
    assert status_shown(page) == "Canceled" and order_status(order_id) == "canceled"
    open_tab(page, "history")
    assert "Reason: Buyer found it cheaper" in page.inner_text("#pane-history")

    choose_order_action(page, "restore")
    page.click("#confirm-yes")
    assert "was restored" in page.inner_text(".alert-success")
    assert status_shown(page) == "Awaiting payment" and order_status(order_id) == "awaiting_payment"
    open_tab(page, "history")
    assert re.search(r"price CN¥[\d.,]+ → CN¥[\d.,]+", page.inner_text("#pane-history"))  # catalog prices applied

    shipped = new_order("shipped")
    open_order(page, base_url, shipped)
    choose_order_action(page, "close")
    page.click("#confirm-no")  # No: back on the order page, nothing changed
    assert order_status(shipped) == "shipped"
    choose_order_action(page, "close")
    page.click("#confirm-yes")
    assert status_shown(page) == "Completed" and order_status(shipped) == "completed"


def test_disabled_actions_stay_visible_with_their_reason(page, base_url, new_order):
    order_id = new_order("completed")
    open_order(page, base_url, order_id)
    restore = open_menu(page, "#order-actions").locator("[data-action=restore]")
    expect(restore).to_be_visible()
    assert restore.get_attribute("title") == (
        "Only orders in status Canceled can be restored; this order is Completed."
    )
    assert page.locator(".dropdown-menu a.dropdown-item:not(.disabled)").all_inner_texts() == ["Export"]
    # A click on a disabled entry goes nowhere: no link, a disabled button (an assertion on the URL right
    # after a click would pass before a navigation could start).
    assert restore.locator("a").count() == 0 and restore.locator("button").is_disabled()


def test_a_tokenless_replay_of_the_confirm_form_is_refused(page, base_url, new_order, order_status):
    order_id = new_order("processing")
    open_order(page, base_url, order_id)
    choose_order_action(page, "cancel")
    page.eval_on_selector("#confirm-form input[name=csrf_token]", "input => input.remove()")
    page.click("#confirm-yes")
    assert "CSRF" in page.content()
    assert order_status(order_id) == "processing"


def test_a_stale_page_is_refused(page, base_url, new_order, order_status, db_session):
    from flask_order_admin.services import close

    order_id = new_order("processing")
    open_order(page, base_url, order_id)
    choose_order_action(page, "cancel")
    close(db_session, order_id, actor="another-manager")  # someone else acts meanwhile
    page.click("#confirm-yes")
    assert "This order was changed by another-manager" in page.inner_text(".alert-danger")
    assert order_status(order_id) == "completed"


def test_the_whole_merge_flow(page, base_url, new_order, order_status):
    added = new_order("awaiting_payment", customer_ref="merge-buyer", lines=2)
    basic = new_order("ready_for_packing", customer_ref="merge-buyer", lines=1)
    open_order(page, base_url, added)
    choose_order_action(page, "merge")
    expect(page.locator("input[name=into]")).to_have_count(1)
    page.check(f"input[name=into][value='{basic}']")
    page.click("#merge-submit")
    assert f"into order ORD-{basic:010d}?" in page.inner_text("#confirm-question")
    page.click("#confirm-yes")
    assert page.inner_text("#order-title") == f"Order ORD-{basic:010d}"
    assert "was merged into this order" in page.inner_text(".alert-success")
    assert page.inner_text("#tab-items") == "Items (3)"
    assert order_status(added) == "merged" and order_status(basic) == "awaiting_payment"
    open_tab(page, "history")
    page.click(f"#pane-history a:text-is('ORD-{added:010d}')")
    assert f"ORD-{basic:010d}" in page.inner_text("#merged-banner")


def test_on_a_phone_each_unavailable_action_shows_its_reason_without_hover(page, base_url, new_order):
    """A phone has no pointer to hover with: the reason stands under the disabled entry itself."""
    import os
    from pathlib import Path

    order_id = new_order("processing")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}&lang=ru")
    reason = open_menu(page, "#order-actions").locator("[data-action=restore] .order-admin-reason")
    expect(reason).to_be_visible()
    assert reason.inner_text().startswith("Восстановить можно только заказ в статусе «Отменён»")
    box, menu = reason.bounding_box(), page.locator(".order-admin-actions .dropdown-menu").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # wrapped inside the screen, no sideways swipe
    assert menu["x"] + menu["width"] <= 390
    folder = Path(__file__).resolve().parents[2] / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / "order-actions-phone-ru.png"))
