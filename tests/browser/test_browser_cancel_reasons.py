"""Cancel reasons in the browser: a Russian and a Chinese manager pick a reason from the list on the single and
the bulk Cancel confirm screens, add a few words, and read the reason back in the history in their language."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.browser.menus import choose_order_action, open_tab
from tests.browser.test_browser_actions import open_order
from tests.browser.test_browser_bulk import all_matching, wider_than_the_screen

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")

WORDS = {
    "ru": {
        "offered": ["Покупатель попросил отменить заказ", "Нет в наличии у продавца", "Продавец поднял цену",
                    "Покупатель не оплатил заказ", "Дубликат заказа", "Другая причина (напишите ниже)"],
        "single": ("Нет в наличии у продавца", "нет красного цвета", "Причина: Нет в наличии у продавца (нет красного цвета)"),
        "bulk": ("Дубликат заказа", "Причина: Дубликат заказа"),
        "yes": "Отменить 3 заказа", "summary": "3 отменено, 0 отклонено",
    },
    "zh_Hans": {
        "offered": ["买家要求取消", "卖家缺货", "卖家涨价", "买家未付款", "重复订单", "其他原因（请在下方填写）"],
        "single": ("卖家缺货", "没有红色", "原因：卖家缺货（没有红色）"),
        "bulk": ("重复订单", "原因：重复订单"),
        "yes": "取消 3 个订单", "summary": "已取消 3 个，0 个被拒绝",
    },
}
KEYS = {"Нет в наличии у продавца": "out_of_stock", "卖家缺货": "out_of_stock",
        "Дубликат заказа": "duplicate", "重复订单": "duplicate"}


def offered(page):
    return [text.strip() for text in page.locator("#cancel-reason .custom-control-label").all_inner_texts()]


def last_cancel_details(db_session, order_id):
    from flask_order_admin.models import OrderEvent

    details = db_session.scalars(select(OrderEvent.details).where(
        OrderEvent.order_id == order_id, OrderEvent.action == "cancel").order_by(OrderEvent.id.desc())).first()
    db_session.rollback()
    return details


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_a_reason_picked_on_the_single_cancel_screen(page, base_url, new_order, order_status, db_session, language):
    words = WORDS[language]
    label, written, history = words["single"]
    order_id = new_order("processing", language=language)
    page.goto(f"{base_url}/admin/orders/details/?id={order_id}&lang={language}")
    choose_order_action(page, "cancel")
    page.wait_for_url("**/confirm/cancel/**")
    assert offered(page) == words["offered"]
    assert page.locator("input[name=reason_choice]:checked").count() == 0  # nothing picked for the manager
    page.click(f"#cancel-reason label:text-is('{label}')")
    assert page.locator("input[name=reason_choice]:checked").get_attribute("value") == KEYS[label]
    page.fill("textarea[name=reason]", written)
    page.click("#confirm-yes")

    page.locator(".alert-success").wait_for()
    assert order_status(order_id) == "canceled"
    assert last_cancel_details(db_session, order_id) == {"reason_choice": {"key": KEYS[label]}, "reason": written}
    assert history in open_tab(page, "history").inner_text()


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_a_reason_picked_on_the_bulk_cancel_screen(page, base_url, new_order, order_status, db_session, language):
    words = WORDS[language]
    label, history = words["bulk"]
    buyer = f"reasons-{language}-{uuid.uuid4().hex[:8]}"
    canceling = [new_order("processing", lines=1, customer_ref=buyer, language=language) for _ in range(3)]
    page.goto(f"{base_url}/admin/orders/?lang={language}&flt0_customer_equals={buyer}")
    all_matching(page, "cancel")

    page.wait_for_url("**/admin/orders/bulk/cancel/?*")
    assert page.inner_text("#confirm-yes") == words["yes"]
    assert offered(page) == words["offered"]
    page.click(f"#cancel-reason label:text-is('{label}')")
    assert page.locator("input[name=reason_choice]:checked").get_attribute("value") == KEYS[label]
    assert not wider_than_the_screen(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    if language == "ru":  # the one docs/panel.md shows
        page.screenshot(path=str(SCREENSHOTS / "cancel-reasons-ru.png"), full_page=True)
    page.click("#confirm-yes")

    page.wait_for_url("**/admin/orders/bulk/result/*/")
    assert page.inner_text("#bulk-summary") == words["summary"]
    assert {order_status(i) for i in canceling} == {"canceled"}
    for order_id in canceling:
        assert last_cancel_details(db_session, order_id) == {"reason_choice": {"key": KEYS[label]}}
    open_order(page, base_url, canceling[0])
    assert history in open_tab(page, "history").inner_text()
