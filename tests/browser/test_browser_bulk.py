"""Browser flow of a bulk action: tick orders in the list, With selected → Close selected orders, the confirm
screen, Yes, the result page with the refusal, and back to the same filtered list."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.test_browser_actions import pick_from_dropdown

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")


def with_selected(page, action):
    """Flask-Admin's "With selected" dropdown, then the entry running ``action``."""
    pick_from_dropdown(page, "a.dropdown-toggle:has-text('With selected')", f"a.dropdown-item[onclick*=\"'{action}'\"]")


def test_bulk_close_of_ticked_orders_reports_closed_and_refused(page, base_url, new_order, order_status):
    shipped = [new_order("shipped", lines=1, customer_ref="bulk-buyer") for _ in range(4)]
    canceled = new_order("canceled", lines=1, customer_ref="bulk-buyer")
    list_url = f"{base_url}/admin/orders/?flt0_customer_equals=bulk-buyer"
    page.goto(list_url)
    assert page.locator("input.action-checkbox").count() == 5
    page.check("input.action-rowtoggle")  # tick every row of the page
    with_selected(page, "bulk_close")

    page.wait_for_url("**/admin/orders/action/")
    assert page.inner_text("#confirm-question").startswith("Are you sure you want to close 5 orders?")
    sample = page.inner_text("#bulk-sample")
    assert f"ORD-{canceled:010d}" in sample and "can be closed; this order is Canceled." in sample  # refused, said before Yes
    assert {order_status(i) for i in shipped} == {"shipped"}  # the confirm screen changed nothing
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "test-artifacts" / "bulk-confirm.png"), full_page=True)
    page.click("#confirm-yes")

    page.wait_for_url("**/admin/orders/bulk/close/run/")
    assert page.inner_text("#bulk-summary") == "4 closed, 1 refused"
    refused = page.inner_text("#bulk-refused")
    assert f"ORD-{canceled:010d}" in refused and "this order is Canceled" in refused
    assert {order_status(i) for i in shipped} == {"completed"} and order_status(canceled) == "canceled"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "bulk-result.png"), full_page=True)

    page.click("#bulk-back")
    assert re.search(r"flt0_customer_equals=bulk-buyer", page.url)
    assert page.locator("input.action-checkbox").count() == 5


def test_restore_all_matching_asks_first_then_restores(page, base_url, new_order, order_status):
    canceled = [new_order("canceled", lines=2, customer_ref="bulk-restore") for _ in range(2)]
    page.goto(f"{base_url}/admin/orders/?flt0_customer_equals=bulk-restore")
    page.click("#bulk-matching")
    page.click("a.dropdown-item:has-text('Restore all matching')")
    assert page.inner_text("#confirm-question").startswith("Are you sure you want to restore 2 orders?")
    page.click("#confirm-yes")
    assert page.inner_text("#bulk-summary") == "2 restored, 0 refused"
    assert {order_status(i) for i in canceled} == {"awaiting_payment"}
