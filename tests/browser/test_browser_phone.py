"""On a phone (390 × 844, in Russian and Chinese): the order page shows its lines as cards, and neither it nor
the confirm screens (cancel, restore, merge with its candidates, a bulk action and its result), the exports pages (My exports, an export's progress) and the search results need a sideways
swipe. Issue 21: the items table was 1,128 px wide on a phone."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from tests.browser.test_browser_orders import REPO, SCREENSHOTS
from tests.browser.test_browser_previews import withdrawn_line  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ARTIFACTS = REPO / "test-artifacts"  # screenshots to look at, not for the documentation

# What reaches past the screen: the page's own width, and each scrolling box (a .table-responsive) wider than
# itself; the first few culprits are named, so a failure says what to fix.
SIDEWAYS = """() => {
  const screen = window.innerWidth;
  // A box's widths are rounded each its own way: a pixel more is a fraction, not a swipe.
  const boxes = [...document.querySelectorAll('.table-responsive')]
    .filter(box => box.scrollWidth > box.clientWidth + 1).map(box => box.firstElementChild.id || box.className);
  const culprits = [...document.body.querySelectorAll('*')]
    .filter(element => element.getBoundingClientRect().right > screen + 0.5)
    .slice(0, 5).map(element => element.tagName + (element.id ? '#' + element.id : '') + ' ' + element.className);
  return {width: document.documentElement.scrollWidth, boxes: boxes, culprits: culprits};
}"""


@dataclasses.dataclass
class Phone:
    page: Any
    base_url: str
    language: str

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def assert_no_sideways_swipe(self, what: str) -> None:
        found = self.page.evaluate(SIDEWAYS)
        assert found["width"] <= PHONE["width"] and not found["boxes"], f"{what} ({self.language}): {found}"


@pytest.fixture(params=["ru", "zh_Hans"])
def phone(request: pytest.FixtureRequest, browser: Any, base_url: str, logged_in_state: dict[str, Any]) -> Iterator[Phone]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  storage_state=logged_in_state)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base_url}/admin/?lang={request.param}")  # the demo keeps the language in the session
    yield Phone(page, base_url, request.param)
    context.close()


@pytest.fixture
def order_with_lines(db_session: Any):
    """An order of the issue's lines: 1 × 585.99 with 5.00 China delivery (590.99), 2 × 120.00 at a discount
    price of 99.90 with 8.00 delivery each, and a line with no picture, attributes or delivery."""
    from flask_order_admin.models import Order, OrderItem

    def make(status: str = "processing", *, customer_ref: str | None = None) -> int:
        order = Order(status=status, provider="taobao", customer_ref=customer_ref or f"phone-{uuid.uuid4().hex[:8]}",
                      buyer_name="Анна Смирнова", buyer_email="anna.smirnova@example.com",
                      buyer_phone="+7 916 123-45-67", buyer_address="Москва, ул. Тверская, д. 7, кв. 12")
        order.items = [
            OrderItem(provider_item_id="tb-585", title="Платье миди из хлопка 棉质连衣裙 с длинным рукавом",
                      url="https://item.taobao.com/item.htm?id=585", photo_url="/static/photos/1.svg",
                      color="Чёрный", size="M", color_cn="黑色", size_cn="中码", quantity=1,
                      price=Decimal("585.99"), discount_price=None, china_delivery=Decimal("5.00")),
            OrderItem(provider_item_id="tb-120", title="Шарф кашемировый 羊绒围巾",
                      url="https://item.taobao.com/item.htm?id=120", photo_url="/static/photos/2.svg",
                      color="Серый", size=None, color_cn="灰色", size_cn=None, quantity=2,
                      price=Decimal("120.00"), discount_price=Decimal("99.90"), china_delivery=Decimal("8.00")),
            OrderItem(provider_item_id="tb-7", title="Брелок 钥匙扣", url=None, photo_url=None, color=None, size=None,
                      color_cn=None, size_cn=None, quantity=3, price=Decimal("10.00"), discount_price=None,
                      china_delivery=None),
        ]
        db_session.add(order)
        db_session.commit()
        return order.id

    return make


# The first line's sum as each language writes it (the preview of issue 21 showed 1 × 585,99 → 590,99).
FIRST_LINE_SUM = {
    "ru": "1 × 585,99 CN¥ + доставка по Китаю 5,00 CN¥ = 590,99 CN¥",
    "zh_Hans": "1 × ¥585.99 + 国内运费 ¥5.00 = ¥590.99",
}


def sums(page: Any, table: str) -> list[str]:
    texts = page.locator(f"{table} tbody .order-admin-line-sum").all_inner_texts()
    return [re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip() for text in texts]


# A card's colour and size labels: the Chinese supplier's term beside the reader's word, once (issue 21: «颜色 颜色分类»).
ATTRIBUTE_LABELS = {"ru": ["Цвет 颜色分类", "Размер 尺码"], "zh_Hans": ["颜色分类", "尺码"]}


def labels(card: Any) -> list[str]:
    """The labels a card shows before its cells' values (drawn from data-label), of the cells shown."""
    contents = card.evaluate("""card => [...card.querySelectorAll('td[data-label]')]
        .filter(cell => cell.offsetParent !== null)
        .map(cell => getComputedStyle(cell, '::before').content)""")
    return [re.match(r'"([^"]*)"', content).group(1).strip() for content in contents]  # '"Цвет 颜色分类" "  "'


def test_the_order_page_shows_its_lines_as_cards(phone, order_with_lines):
    order_id = order_with_lines()
    phone.open(f"/admin/orders/details/?id={order_id}")
    phone.assert_no_sideways_swipe("order page")
    page = phone.page
    cards = page.locator("#order-lines tbody tr")
    assert cards.count() == 3
    assert page.locator("#order-lines thead").is_hidden()
    for n in range(3):
        box = cards.nth(n).bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= PHONE["width"]
    first = cards.nth(0)
    assert first.locator("img.order-admin-thumb").is_visible()
    assert "黑色" in first.inner_text() and "中码" in first.inner_text()
    assert labels(cards.nth(0)) == ATTRIBUTE_LABELS[phone.language]
    assert sums(page, "#order-lines")[0] == FIRST_LINE_SUM[phone.language]
    assert cards.nth(1).locator(".order-admin-line-sum s").is_visible()  # the price before the discount, struck
    assert len(labels(cards.nth(1))) == 1  # a colour and no size: no empty size line
    assert cards.nth(2).locator("td.order-admin-card-lead").is_hidden()  # no picture: no empty space for one
    page.wait_for_load_state("networkidle")  # the pictures are drawn
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"order-page-phone-{phone.language}.png"), full_page=True)


def test_cancel_and_restore_previews_fit_the_phone(phone, order_with_lines, new_order, withdrawn_line):  # noqa: F811
    order_id = order_with_lines("processing")
    phone.open(f"/admin/orders/{order_id}/confirm/cancel/")
    phone.assert_no_sideways_swipe("cancel confirm screen")
    assert sums(phone.page, ".order-admin-confirm-lines")[0] == FIRST_LINE_SUM[phone.language]
    first = phone.page.locator(".order-admin-confirm-lines tbody tr").first
    assert labels(first) == ATTRIBUTE_LABELS[phone.language] and "黑色" in first.inner_text()
    assert phone.page.locator("#confirm-yes").bounding_box()["x"] >= 0
    ARTIFACTS.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / f"cancel-phone-{phone.language}.png"), full_page=True)

    canceled = new_order("canceled", lines=2)
    withdrawn_line(canceled)
    phone.open(f"/admin/orders/{canceled}/confirm/restore/")
    phone.assert_no_sideways_swipe("restore confirm screen")
    assert phone.page.locator("#restore-lines tbody tr").count() == 3
    assert phone.page.locator("#restore-lines tr.order-admin-unsold .badge-danger").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / f"restore-phone-{phone.language}.png"), full_page=True)


def test_merge_candidates_and_merge_preview_fit_the_phone(phone, order_with_lines, new_order):
    customer = f"phone-merge-{uuid.uuid4().hex[:8]}"
    added = order_with_lines("awaiting_payment", customer_ref=customer)
    basic = new_order("ready_for_packing", customer_ref=customer, lines=2)
    phone.open(f"/admin/orders/{added}/merge-candidates/")
    phone.assert_no_sideways_swipe("merge candidates")
    assert phone.page.is_checked(f"input[name=into][value='{basic}']")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / f"merge-candidates-phone-{phone.language}.png"), full_page=True)
    phone.page.click("#merge-submit")
    phone.page.wait_for_url(re.compile(r".*/confirm/merge/.*"))
    phone.assert_no_sideways_swipe("merge confirm screen")
    assert sums(phone.page, "#merge-added")[0] == FIRST_LINE_SUM[phone.language]
    assert phone.page.locator("#merge-after tbody tr.order-admin-moving").count() == 3
    phone.page.screenshot(path=str(ARTIFACTS / f"merge-confirm-phone-{phone.language}.png"), full_page=True)


def test_bulk_confirm_and_result_fit_the_phone(phone, new_order):
    """Every order in the confirm screen's table, 25 a page (a page link shows the next without a request)."""
    from flask_order_admin.views.bulk import PAGE_ROWS

    buyer = f"phone-bulk-{uuid.uuid4().hex[:8]}"
    for _ in range(PAGE_ROWS + 5):
        new_order("shipped", lines=1, customer_ref=buyer)
    new_order("canceled", lines=1, customer_ref=buyer)
    phone.open(f"/admin/orders/bulk/close/?flt0_customer_equals={buyer}")
    phone.assert_no_sideways_swipe("bulk confirm screen")
    page = phone.page
    rows = page.locator("#bulk-orders tbody tr")
    assert rows.count() == PAGE_ROWS + 6 and page.locator("#bulk-orders tbody tr:visible").count() == PAGE_ROWS
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bulk-confirm-phone-{phone.language}.png"), full_page=True)
    page.locator("#bulk-page-1 .pagination a", has_text="2").click()
    page.wait_for_url("**#bulk-page-2")
    assert page.locator("#bulk-page-1").is_hidden() and page.locator("#bulk-orders tbody tr:visible").count() == 6
    phone.assert_no_sideways_swipe("bulk confirm screen, page 2")
    page.screenshot(path=str(ARTIFACTS / f"bulk-confirm-page-2-phone-{phone.language}.png"), full_page=True)
    page.click("#confirm-yes")
    page.wait_for_url("**/admin/orders/bulk/result/*/")
    phone.assert_no_sideways_swipe("bulk result")
    assert page.locator("#bulk-done li").count() == PAGE_ROWS + 5
    page.screenshot(path=str(ARTIFACTS / f"bulk-result-phone-{phone.language}.png"), full_page=True)


def logged_in_owner(phone: Phone, shop: Any) -> str:
    """The exports' owner id of the phone's user: its Flask-Login id, kept in the app's signed session cookie."""
    cookie = next(c["value"] for c in phone.page.context.cookies() if c["name"] == shop.config["SESSION_COOKIE_NAME"])
    return str(shop.session_interface.get_signing_serializer(shop).loads(cookie)["_user_id"])


def test_items_tab_exports_and_search_results_fit_the_phone(phone, order_with_lines, db_session, shop):
    from example_app.auth import ADMIN_USERNAME

    from flask_order_admin.models import ExportRecord, ExportState

    customer = f"phone-pages-{uuid.uuid4().hex[:8]}"
    order_id = order_with_lines(customer_ref=customer)
    order_with_lines(customer_ref=customer)
    phone.open(f"/admin/orders/details/?id={order_id}&tab=items")
    phone.assert_no_sideways_swipe("order page, items tab")
    ARTIFACTS.mkdir(exist_ok=True)
    phone.page.screenshot(path=str(ARTIFACTS / f"items-tab-phone-{phone.language}.png"), full_page=True)

    owner = logged_in_owner(phone, shop)
    running = ExportRecord(actor=ADMIN_USERNAME, actor_id=owner, source="matching", order_count=20_000,
                           description="Status: Processing, Shipped; search: Анна Смирнова", runner="thread",
                           state=ExportState.RUNNING, rows_total=55_047, rows_written=20_411, locale=phone.language)
    done = ExportRecord(actor=ADMIN_USERNAME, actor_id=owner, source="order", order_count=1, description="",
                        runner="inline", state=ExportState.DONE, rows_total=3, rows_written=3, locale=phone.language)
    db_session.add_all([running, done])
    db_session.commit()
    try:  # the running export would count against the manager's limit in the shop's later tests
        phone.open("/admin/orders/exports/")
        assert phone.page.locator("#exports-list tbody tr").count() >= 2
        phone.assert_no_sideways_swipe("My exports")
        phone.page.screenshot(path=str(ARTIFACTS / f"my-exports-phone-{phone.language}.png"), full_page=True)
        phone.open(f"/admin/orders/exports/{running.id}/")
        phone.assert_no_sideways_swipe("an export's progress")
        phone.page.screenshot(path=str(ARTIFACTS / f"export-progress-phone-{phone.language}.png"), full_page=True)
    finally:
        db_session.delete(running)
        db_session.delete(done)
        db_session.commit()

    phone.open(f"/admin/orders/search/?q={customer}")  # its two orders
    assert phone.page.locator("table a.order-admin-order-link").count() >= 2
    phone.assert_no_sideways_swipe("search results")
    phone.page.screenshot(path=str(ARTIFACTS / f"search-results-phone-{phone.language}.png"), full_page=True)
