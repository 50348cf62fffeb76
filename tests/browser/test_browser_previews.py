"""Browser flows of the confirm screens that preview a change: Restore (old → new prices, a price moving before
Yes, an item no longer sold) and Merge (both orders, the basic one afterwards). Screenshots for the documentation."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.menus import choose_order_action, follow, open_menu, open_tab
from tests.browser.test_browser_actions import open_order, status_shown
from tests.browser.test_browser_orders import SCREENSHOTS, number

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # screenshots to look at, not for the docs


@pytest.fixture
def withdrawn_line(db_session):
    """Add a line of a product no longer sold to an order; returns its title."""
    from example_app.models import Product

    from flask_order_admin.models import Order, OrderItem

    def add(order_id: int) -> str:
        product = db_session.scalars(select(Product).where(Product.sold_until.is_not(None)).limit(1)).one()
        order = db_session.get(Order, order_id)
        order.items.append(OrderItem(
            provider_item_id=product.sku, title=product.title, url=product.url, photo_url=product.photo_url,
            color="Blue", size="S", color_cn="蓝色", size_cn="小码", quantity=1, price=product.price,
            discount_price=product.discount_price, china_delivery=product.china_delivery,
        ))
        db_session.commit()
        return product.title

    return add


@pytest.fixture
def reprice(db_session):
    """Change the catalog price of an order's first line (as the marketplace would); put back afterwards."""
    from example_app.models import Product

    from flask_order_admin.models import Order

    changed = []

    def change(order_id: int, price: Decimal) -> None:
        first = min(db_session.get(Order, order_id).items, key=lambda item: item.id)
        product = db_session.scalars(select(Product).where(Product.sku == first.provider_item_id)).one()
        changed.append((product.id, product.price))
        product.price = price
        db_session.commit()

    yield change
    for product_id, price in changed:
        db_session.get(Product, product_id).price = price
    db_session.commit()


def line_count(db_session, order_id: int) -> int:
    from flask_order_admin.models import Order

    db_session.expire_all()
    count = len(db_session.get(Order, order_id).items)
    db_session.rollback()
    return count


def test_restore_preview_then_prices_move_before_yes(page, base_url, new_order, order_status, reprice):
    order_id = new_order("canceled", lines=2)  # its prices are 3.00 above the catalog's
    open_order(page, base_url, order_id)
    choose_order_action(page, "restore")
    assert "becomes Awaiting payment" in page.inner_text("#confirm-question")
    assert page.inner_text("#restore-new-status") == "Awaiting payment"
    expect(page.locator("#restore-lines tbody tr")).to_have_count(2)
    expect(page.locator("#restore-lines tbody tr.table-warning")).to_have_count(2)  # both repriced
    assert "→" in page.inner_text("#restore-total")
    reprice(order_id, Decimal("1234.00"))  # the catalog moves before Yes
    page.click("#confirm-yes")
    assert "changed since you saw them" in page.inner_text("#confirm-notice")
    assert "1,234.00" in page.inner_text("#restore-lines")
    assert order_status(order_id) == "canceled"
    page.click("#confirm-yes")
    success = page.inner_text(".alert-success")
    assert "the prices of 2 lines changed, new total" in success
    assert status_shown(page) == "Awaiting payment" and order_status(order_id) == "awaiting_payment"


def test_restore_without_the_item_no_longer_sold(page, base_url, new_order, withdrawn_line, order_status,
                                                 db_session):
    order_id = new_order("canceled", lines=3)
    gone = withdrawn_line(order_id)
    open_order(page, base_url, order_id)
    assert page.locator("#pane-items .order-admin-unsold").count() == 0  # the page asks no resolver
    choose_order_action(page, "restore")
    unsold = page.locator("#restore-lines tr.order-admin-unsold")
    assert unsold.count() == 1 and gone in unsold.inner_text()
    assert page.locator("#confirm-yes").count() == 0
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "restore-preview.png"), full_page=True)
    page.click("#confirm-without-unsold")
    assert "1 item no longer sold was removed from it" in page.inner_text(".alert-success")
    assert order_status(order_id) == "awaiting_payment" and line_count(db_session, order_id) == 3
    open_tab(page, "history")
    assert gone in page.inner_text("#pane-history .order-admin-removed-lines")


def test_leave_it_canceled(page, base_url, new_order, withdrawn_line, order_status):
    order_id = new_order("canceled", lines=1)
    withdrawn_line(order_id)
    open_order(page, base_url, order_id)
    choose_order_action(page, "restore")
    follow(page, "#confirm-no")
    assert "/details/" in page.url and order_status(order_id) == "canceled"


def test_merge_confirm_shows_both_orders_and_the_result(page, base_url, new_order, order_status):
    added = new_order("awaiting_payment", customer_ref="preview-buyer", lines=2)
    basic = new_order("ready_for_packing", customer_ref="preview-buyer", lines=3)
    open_order(page, base_url, added)
    choose_order_action(page, "merge")
    candidate = page.locator(f"#merge-form a.order-admin-order-link:has-text('{number(basic)}')")
    assert candidate.get_attribute("target") == "_blank" and candidate.get_attribute("rel") == "noopener"
    with page.context.expect_page() as opened:
        candidate.click()
    checked = opened.value
    checked.wait_for_load_state()
    assert checked.inner_text("#order-title") == f"Order {number(basic)}"
    checked.close()
    assert page.is_checked(f"input[name=into][value='{basic}']")  # the only candidate comes picked
    assert "2 lines" in page.inner_text("#merge-this-order")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "merge-candidates.png"), full_page=True)
    page.click("#merge-submit")
    assert number(added) in page.inner_text("#merge-added") and number(basic) in page.inner_text("#merge-basic")
    after = page.inner_text("#merge-after")
    assert f"After the merge, {number(basic)} holds" in after and "Awaiting payment" in after
    expect(page.locator("#merge-after tbody tr")).to_have_count(5)
    expect(page.locator("#merge-after tbody tr.order-admin-moving")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "merge-confirm.png"), full_page=True)
    assert "btn-warning" in page.get_attribute("#confirm-yes", "class")
    follow(page, "#confirm-yes")
    assert order_status(added) == "merged" and order_status(basic) == "awaiting_payment"


RESTORE_WORDS = {
    "entry": "Восстановить",
    "hint": "Цены пересчитаются на следующем экране; до подтверждения ничего не изменится.",
    "title": "Восстановление заказа",
    "unsold": "Больше не продаётся",
}


def test_a_canceled_orders_page_in_russian_offers_restore_and_its_screen_shows_the_prices(
    page, base_url, new_order, withdrawn_line
):
    """The order page asks no resolver: its Restore entry says the prices come on the next screen, which
    shows them, and marks the item no longer sold (screenshots of both in test-artifacts/)."""
    order_id = new_order("canceled", lines=2, language="ru")
    withdrawn_line(order_id)
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}&lang=ru")
    assert page.locator(".order-admin-unsold").count() == 0
    menu = open_menu(page, "#order-actions")
    restore = menu.locator("a.dropdown-item[data-action=restore]")
    expect(restore).to_be_visible()
    assert restore.inner_text().split("\n") == [RESTORE_WORDS["entry"], RESTORE_WORDS["hint"]]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "canceled-order-ru.png"), full_page=True)
    with page.expect_navigation():
        restore.click()
    page.wait_for_url("**/confirm/restore/**")
    assert page.inner_text("h4").startswith(RESTORE_WORDS["title"])
    unsold = page.locator("#restore-lines tr.order-admin-unsold")
    assert unsold.count() == 1 and RESTORE_WORDS["unsold"] in unsold.inner_text()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "restore-confirm-ru.png"), full_page=True)
