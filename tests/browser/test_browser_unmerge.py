"""Unmerge in Russian and Chinese: from the merged order's menu (what goes back where, Yes named by the action),
from the basic order's history, and its refusal shown once the basic order changed."""

from __future__ import annotations

import pytest

from tests.browser.menus import open_menu
from tests.browser.test_browser_languages import SCREENSHOTS, walk  # noqa: F401  (the walk fixture)

pytestmark = pytest.mark.browser

# The words the manager must read, per language (translations/GLOSSARY.md: Unmerge).
WORDS = {
    "ru": {"yes": "Отменить объединение", "done": "Объединение отменено", "refused": "Основной заказ"},
    "zh_Hans": {"yes": "撤销合并", "done": "合并已撤销", "refused": "主订单"},
}


def merged_pair(new_order, db_session, language, tag):
    from flask_order_admin.services import merge

    ref = f"unmerge-{tag}-{language}"
    added = new_order("awaiting_payment", customer_ref=ref, lines=2, titles=["Платье 连衣裙", "Шарф 围巾"])
    basic = new_order("ready_for_packing", customer_ref=ref, lines=1)
    merge(db_session, added, basic, actor="admin")
    return added, basic


def test_unmerge_from_the_menu(walk, new_order, db_session, order_status):  # noqa: F811
    words, page = WORDS[walk.language], walk.page
    added, basic = merged_pair(new_order, db_session, walk.language, "menu")
    walk.open(f"/admin/orders/details/?id={added}")
    walk.choose("unmerge")
    page.wait_for_selector("#unmerge-orders")
    walk.check("unmerge confirm screen")
    assert page.inner_text("#confirm-yes").strip() == words["yes"]
    assert "Платье 连衣裙" in page.inner_text("#unmerge-added")
    if walk.language == "ru":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "unmerge-confirm-ru.png"), full_page=True)
    page.click("#confirm-yes")
    assert words["done"] in page.inner_text(".alert-success")
    walk.check("merged order after the unmerge")
    assert (order_status(added), order_status(basic)) == ("awaiting_payment", "ready_for_packing")
    walk.assert_no_english()


def test_unmerge_from_the_basic_orders_history_and_its_refusal(walk, new_order, db_session, order_status):  # noqa: F811
    from flask_order_admin.services import cancel

    words, page = WORDS[walk.language], walk.page
    added, basic = merged_pair(new_order, db_session, walk.language, "history")
    walk.open(f"/admin/orders/details/?id={basic}&tab=history")
    page.click("#pane-history a.order-admin-unmerge-link")
    page.wait_for_selector("#unmerge-orders")
    assert page.inner_text("#confirm-yes").strip() == words["yes"]

    cancel(db_session, basic, actor="another-manager")  # the basic order changes meanwhile
    walk.open(f"/admin/orders/details/?id={added}")
    reason = open_menu(page, "#order-actions").locator("[data-action=unmerge] .order-admin-reason")
    reason.wait_for(state="visible")
    assert words["refused"] in reason.inner_text()
    assert page.locator("span[data-action=unmerge] button").is_disabled()
    walk.check("merged order whose basic order changed, its menu open")
    page.screenshot(path=str(SCREENSHOTS / f"unmerge-refused-{walk.language}.png"))
    walk.open(f"/admin/orders/{added}/confirm/unmerge/")
    assert words["refused"] in page.inner_text("#confirm-refusal")
    assert page.locator("#confirm-yes").is_disabled()
    walk.check("unmerge confirm screen, refused")
    assert (order_status(added), order_status(basic)) == ("merged", "canceled")
    walk.assert_no_english()
