"""Search within the list's filters, in Russian and Chinese: a manager narrows the list to Shipped with its pill,
types a name; the results are the shipped orders only, the page names the filter they ran in, and one click
searches every order with the same text."""

from __future__ import annotations

import re

import pytest

from tests.browser.menus import follow, submit_search
from tests.browser.test_browser_languages import SCREENSHOTS, walk  # noqa: F401  (the walk fixture)

pytestmark = pytest.mark.browser

BOX = "form.order-admin-search input[name=q]"
# The words the manager reads, per language (translations/GLOSSARY.md: Within filters, Search everywhere).
WORDS = {
    "ru": {"within": "С учётом фильтров", "everywhere": "Искать во всех заказах", "shipped": "Отправлен"},
    "zh_Hans": {"within": "筛选范围内", "everywhere": "在全部订单中搜索", "shipped": "已发货"},
}


def number(order_id: int) -> str:
    return f"ORD-{order_id:010d}"


def test_the_search_runs_within_the_pills_filter_and_then_everywhere(walk, new_order):  # noqa: F811
    words, page = WORDS[walk.language], walk.page
    name = f"Qiao Lin {walk.language}"  # nobody else in the demo: the results are this test's orders
    shipped = {new_order("shipped", buyer_name=name, customer_ref=f"qiao-{walk.language}") for _ in range(2)}
    processing = new_order("processing", buyer_name=name, customer_ref=f"qiao-{walk.language}")
    walk.typed.append(name)

    walk.open("/admin/orders/")
    page.click("#status-pills li[data-status=shipped] a.nav-link")
    page.wait_for_url(re.compile(r".*flt0_status_in_list=shipped.*"))
    assert page.inner_text("#search-within").strip() == words["within"]
    walk.check("filtered list")

    submit_search(page, BOX, name)
    page.wait_for_selector("#search-scope")
    assert set(page.locator("#search-results a.order-admin-order-link").all_inner_texts()) == {
        number(order_id) for order_id in shipped}
    assert words["shipped"] in page.inner_text("#search-scope .order-admin-scope-filter")
    assert page.inner_text("#search-everywhere").strip() == words["everywhere"]
    assert page.input_value(BOX) == name
    walk.check("results within the filters")
    if walk.language == "ru":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "search-within-filters-ru.png"), full_page=True)

    # Wait for the page the link leads to: the one being left loses its #search-scope first, and a reading
    # then found no result at all (a round under load).
    follow(page, "#search-everywhere")
    assert set(page.locator("#search-results a.order-admin-order-link").all_inner_texts()) == {
        number(order_id) for order_id in {*shipped, processing}}
    assert page.input_value(BOX) == name and page.locator("#search-within").count() == 0
    walk.check("results everywhere")
    walk.assert_no_english()
