"""The panel in Russian and in Chinese, in a browser: the main flows (both lists, the order page and its tabs,
each confirm screen, refusals, an export and My exports) leave no English on the page outside data.

The detector reads every text a manager can see on the page (hidden menus and tooltips included), takes
out the data it shows (what the database holds: names, addresses, titles, notes; order numbers; the host's
own brand and language names), and reports every Latin-letter word left, with the text it was in. Its
allow-list is data and what the locale itself writes in Latin letters (currency and unit symbols, UTC,
file extensions, the marketplace's name), never a word of the interface.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from tests.browser.menus import choose_order_action, follow, open_menu, open_tab

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / ("docs" if os.environ.get("ORDER_ADMIN_UPDATE_SCREENSHOTS") else "test-artifacts")
LANGUAGES = ["ru", "zh_Hans"]

# Written in Latin letters in every locale: currency and unit symbols (CN¥, kB, MB), the timezone, file
# extensions, the marketplace's own name, and ID (Chinese writes an item's marketplace id 商品ID).
NOT_ENGLISH = {"CN", "UTC", "kB", "MB", "xls", "xlsx", "Taobao", "ID"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
ORDER_NUMBER = re.compile(r"\bORD-\d+\b")
FILE_NAME = re.compile(r"\b(?:ORD-\d+|orders-\d{8}-\d{4})\.xlsx?\b")

# Every text node under <body> (hidden dropdowns too: a manager opens them), minus scripts, styles and the
# host's own navbar parts, plus the texts shown as tooltips, placeholders and button captions.
VISIBLE_TEXTS = """() => {
  // Flask-Admin's filter data: what a manager sees of it, the page renders from it (labels, the active filters).
  const skipped = 'script, style, noscript, template, #filter-groups-data, #active-filters-data, '
                + '#language-switcher, .navbar-brand';
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest(skipped) || !node.textContent.trim()) continue;
    if (parent.matches('#message-data, #actions-confirmation-data')) {
      // Messages a script shows (a confirm() before a bulk action), kept as JSON.
      const data = JSON.parse(node.textContent);
      texts.push(...(typeof data === 'string' ? [data] : Object.values(data || {})));
      continue;
    }
    texts.push(node.textContent.trim());
  }
  for (const element of document.body.querySelectorAll('[title], [placeholder], img[alt], input[type=submit], input[type=button]')) {
    if (element.closest(skipped)) continue;
    const caption = element.matches('input[type=submit], input[type=button]') ? element.value : null;
    for (const value of [element.getAttribute('title'), element.getAttribute('placeholder'), element.getAttribute('alt'), caption]) {
      if (value && value.trim()) texts.push(value.trim());
    }
  }
  return texts;
}"""


def shop_data(db_session: Any) -> list[str]:
    """Every text the shop's database holds that a page may show: orders, lines, notes, reasons, people."""
    from example_app.models import Product, User

    from flask_order_admin.models import ExportRecord, Order, OrderEvent, OrderItem

    db_session.expire_all()
    values: set[str] = set()
    columns = [Order.buyer_name, Order.buyer_email, Order.buyer_phone, Order.buyer_address, Order.customer_ref,
               OrderItem.title, OrderItem.color, OrderItem.size, OrderItem.color_cn, OrderItem.size_cn,
               OrderItem.provider_item_id, Product.title, OrderEvent.actor, ExportRecord.actor, User.username]
    for column in columns:
        values.update(v for v in db_session.scalars(select(column).distinct()) if v)
    for details in db_session.scalars(select(OrderEvent.details)):
        details = details or {}
        values.update(v for v in (details.get("text"), details.get("reason")) if v)
        values.update(change.get("title") for change in details.get("price_changes") or () if change.get("title"))
        for removed in details.get("removed_lines") or ():  # lines Restore left out live on in the history
            values.update(v for v in (removed.get("title"), removed.get("provider_item_id")) if v)
    db_session.rollback()
    return sorted(values, key=len, reverse=True)


def english_left(texts: Iterable[str], data: Iterable[str]) -> list[str]:
    """The Latin-letter words of ``texts`` that are neither data nor locale symbols, each with its text."""
    patterns = [re.compile(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])") for value in data]
    found = []
    for text in texts:
        rest = FILE_NAME.sub(" ", ORDER_NUMBER.sub(" ", text))
        for pattern in patterns:
            if pattern.search(rest):
                rest = pattern.sub(" ", rest)
        words = [word for word in LATIN_WORD.findall(rest) if word not in NOT_ENGLISH]
        if words:
            found.append(f"{' '.join(words)}  <-  {text[:100]!r}")
    return found


@dataclasses.dataclass
class Walk:
    """One manager's walk through the panel in a language; ``check`` records what English each page shows."""

    page: Any
    base_url: str
    language: str
    db_session: Any
    typed: list[str] = dataclasses.field(default_factory=list)  # what the manager typed: data too
    findings: dict[str, list[str]] = dataclasses.field(default_factory=dict)

    def open(self, path: str) -> None:
        self.page.goto(f"{self.base_url}{path}")

    def check(self, what: str) -> None:
        self.page.wait_for_load_state("load")  # Flask-Admin's scripts have drawn the active filters
        left = english_left(self.page.evaluate(VISIBLE_TEXTS), [*self.typed, *shop_data(self.db_session)])
        if left:
            self.findings[f"{what} ({self.page.url.removeprefix(self.base_url)})"] = left

    def follow(self, selector: str) -> None:
        """Click a link or button and wait for the page it leads to (the check is then of that page)."""
        follow(self.page, selector)

    def choose(self, action: str) -> None:
        choose_order_action(self.page, action)

    def assert_no_english(self) -> None:
        report = "\n".join(f"{page}:\n    " + "\n    ".join(words) for page, words in self.findings.items())
        assert not self.findings, f"English left on the {self.language} pages:\n{report}"


@pytest.fixture(params=LANGUAGES)
def walk(request: pytest.FixtureRequest, page: Any, base_url: str, db_session: Any) -> Walk:
    page.goto(f"{base_url}/admin/?lang={request.param}")  # the demo keeps the language in the session
    return Walk(page, base_url, request.param, db_session)


def test_lists_and_the_order_page_with_each_tab(walk, new_order, db_session):
    from example_app.seed_data import words

    from flask_order_admin.services import add_comment, cancel, restore

    demo = words(walk.language)  # the order as the demo in this language writes it (its screenshot is in docs/)
    order_id = new_order("processing", lines=3, language=walk.language)
    add_comment(db_session, order_id, actor="admin", text=demo.comments[4])
    walk.open("/admin/orders/?flt0_status_equals=processing")
    walk.check("orders list, filtered by status")
    walk.open("/admin/orders/items/?flt0_status_equals=processing")
    walk.check("items list")
    walk.open(f"/admin/orders/details/?id={order_id}")
    walk.check("order page")
    SCREENSHOTS.mkdir(exist_ok=True)
    walk.page.wait_for_load_state("networkidle")
    walk.page.screenshot(path=str(SCREENSHOTS / f"order-page-{walk.language}.png"), full_page=True)

    canceled = new_order("processing", lines=2, language=walk.language)
    cancel(db_session, canceled, actor="admin", reason=demo.cancel_reasons[0])
    restore(db_session, canceled, actor="admin")
    for tab in ("items", "history", "comments"):
        walk.open(f"/admin/orders/details/?id={canceled}&tab={tab}")
        open_tab(walk.page, tab)
        walk.check(f"order page, {tab} tab after cancel and restore")
    walk.assert_no_english()


def test_each_confirm_screen_and_its_result(walk, new_order):
    order_id = new_order("processing")
    walk.open(f"/admin/orders/details/?id={order_id}")
    walk.choose("cancel")
    walk.check("cancel confirm screen")
    walk.page.fill("textarea[name=reason]", "Buyer found it cheaper")
    walk.typed.append("Buyer found it cheaper")
    walk.follow("#confirm-yes")
    walk.check("order page after cancel")
    walk.choose("restore")
    walk.check("restore confirm screen")
    walk.follow("#confirm-yes")
    walk.check("order page after restore")

    shipped = new_order("shipped")
    walk.open(f"/admin/orders/details/?id={shipped}")
    walk.choose("close")
    walk.check("close confirm screen")
    walk.follow("#confirm-yes")
    walk.check("order page after close")

    added = new_order("awaiting_payment", customer_ref=f"merge-{walk.language}", lines=2)
    basic = new_order("ready_for_packing", customer_ref=f"merge-{walk.language}", lines=1)
    walk.open(f"/admin/orders/details/?id={added}")
    walk.choose("merge")
    walk.check("merge candidates")
    walk.page.check(f"input[name=into][value='{basic}']")
    walk.follow("#merge-submit")
    walk.check("merge confirm screen")
    walk.follow("#confirm-yes")
    walk.check("basic order after the merge")
    walk.open(f"/admin/orders/details/?id={added}&tab=history")
    walk.check("merged order")

    completed = new_order("completed")
    walk.open(f"/admin/orders/details/?id={completed}")
    open_menu(walk.page, "#order-actions")
    walk.check("completed order, its disabled actions open")
    walk.assert_no_english()


def test_refusals(walk, new_order, db_session):
    from flask_order_admin.models import OrderItem
    from flask_order_admin.services import close

    order_id = new_order("processing")
    walk.open(f"/admin/orders/details/?id={order_id}")
    walk.choose("cancel")
    close(db_session, order_id, actor="another-manager")  # someone else acts meanwhile
    walk.follow("#confirm-yes")
    walk.check("a stale confirm refused")

    def withdraw(order_id: int, lines: int) -> None:
        """The catalog no longer sells the first ``lines`` items of the order."""
        items = db_session.scalars(select(OrderItem.id).where(OrderItem.order_id == order_id).order_by(OrderItem.id))
        ids = list(items)[:lines]
        db_session.execute(update(OrderItem).where(OrderItem.id.in_(ids)).values(provider_item_id="withdrawn-sku"))
        db_session.commit()

    gone = new_order("canceled", lines=1)
    withdraw(gone, 1)
    walk.open(f"/admin/orders/details/?id={gone}")
    open_menu(walk.page, "#order-actions")
    walk.check("restore refused in the menu: no item of it is sold any more")

    partly = new_order("canceled", lines=2)
    withdraw(partly, 1)
    walk.open(f"/admin/orders/details/?id={partly}")
    walk.choose("restore")
    walk.check("restore preview with an item no longer sold")
    walk.follow("#confirm-without-unsold")
    walk.check("restored without the item no longer sold")

    walk.page.fill("form.order-admin-search input[name=q]", "twenty-three")
    walk.typed.append("twenty-three")
    walk.follow("form.order-admin-search button[type=submit]")
    walk.check("search refused")
    walk.open("/admin/orders/details/?id=999999999")
    walk.check("no such order")
    walk.assert_no_english()


@pytest.fixture
def background_exports(shop: Any, tmp_path: Path) -> Iterator[None]:
    """Every export runs as a background job, into a temporary folder."""
    state = shop.extensions["order_admin"]
    settings = state.settings
    state.settings = dataclasses.replace(settings, export_inline_rows=0, export_storage=str(tmp_path / "exports"))
    yield
    for runner in state._runners.values():
        runner.shutdown(wait=True)
    state._runners.clear()
    state.settings = settings


def test_an_export_its_progress_page_and_my_exports(walk, new_order, background_exports, db_session):
    from flask_order_admin.models import ExportRecord
    from tests.faults import held_at, progress_of

    order_id = new_order("ready_to_ship", lines=2)
    # The same manager exported once in English before switching: My exports lists that one too.
    walk.open("/admin/orders/?lang=en&flt0_status_equals=ready_to_ship")
    walk.page.click("#export-matching")
    walk.page.wait_for_url("**/admin/orders/exports/*/")
    walk.open(f"/admin/orders/?lang={walk.language}")
    walk.open(f"/admin/orders/details/?id={order_id}")
    choose_order_action(walk.page, "export")  # more rows than an export at once: a page offering the job
    walk.page.wait_for_url(re.compile(rf".*/admin/orders/{order_id}/export/(\?.*)?$"))
    walk.check("one-order export page")
    walk.open("/admin/orders/?flt0_status_equals=ready_to_ship")
    # The progress page reloads itself when its job's state changes: the job is held at its report of rows
    # written, so the page stands still (running) while it is checked.
    with held_at(db_session.get_bind(), progress_of(ExportRecord.__tablename__), times=None) as held:
        walk.page.click("#export-matching")
        walk.page.wait_for_url("**/admin/orders/exports/*/")
        assert held.wait_until_held()
        expect(walk.page.locator("#export-card")).to_have_attribute("data-state", "running")
        walk.check("export progress page")
    walk.page.wait_for_selector("#export-download", timeout=60_000)  # the page reloads itself when done
    walk.check("finished export")
    walk.page.click("#export-list")
    walk.page.wait_for_url("**/admin/orders/exports/")
    walk.check("My exports")
    walk.assert_no_english()


def test_the_detector_finds_english_words_and_leaves_data_and_symbols():
    texts = ["Заказ ORD-0000000023", "Order ORD-0000000023", "Li Wei 李伟 · 2026年11月29日 14:05 UTC+3",
             "15 736,00 CN¥, 1,2 MB", "Отменён: Buyer found it cheaper", "Blackberry", "Cancel the export"]
    assert english_left(texts, ["Buyer found it cheaper", "Li Wei", "Black"]) == [
        "Order  <-  'Order ORD-0000000023'", "Blackberry  <-  'Blackberry'",
        "Cancel the export  <-  'Cancel the export'",
    ]
