"""The panel's pages in Russian and in Chinese leave no English word on screen outside the shop's data: the
lists, the order page with its three tabs, each confirm screen, the merge list, refusals and the exports.

The fast check, with the test client; the browser tests look at the same pages in Chromium. A page's text
is what a manager reads: the text outside scripts and styles, and the titles, placeholders and labels."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest

from flask_order_admin.services import add_comment, cancel, close, merge
from tests.conftest import item_fields

# Not English words: codes and names any language writes the same way. The admin's name ("Shop") and the
# goods provider "Taobao" (its name, in Russian too) are the host's; ORD is the number prefix.
NOT_WORDS = {"ORD", "SH", "CNY", "xls", "xlsx", "KB", "MB", "UTC", "Shop"}
# What the locale's own data (CLDR, through Babel) writes in Latin letters: the yuan's sign in Russian and
# English (CN¥), and the kilobyte (kB).
NOT_WORDS |= {"CN", "kB"}
# Flask-Admin's own English, which its catalogs cannot translate: the navbar button's aria-label, and the page
# size menu ("20 items": its msgids are made with str.format before the lookup).
FLASK_ADMIN_UNTRANSLATED = {"Toggle", "navigation", "items"}
# Chinese writes an item's marketplace id 商品ID, in Latin letters, as Taobao and 1688 do.
ALSO_NOT_WORDS = {"ru": {"Taobao"}, "zh_Hans_CN": {"ID"}}
SEEN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


class VisibleText(HTMLParser):
    """The text a manager reads on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in SEEN_ATTRIBUTES and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def filter_texts(page: str) -> list[str]:
    """What Flask-Admin's filter menu shows, from the JSON it renders it with (in a hidden element): the filters'
    names, their operations and their options' labels (not their values, which are codes)."""
    found = re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S)
    if not found:
        return []
    texts = []
    for name, filters in json.loads(found.group(1)).items():
        texts.append(name)
        for flt in filters:
            texts.append(flt["operation"])
            texts += [label for _, label in flt.get("options") or ()]
    return texts


def english_words(page: str, data: list[str], locale: str) -> list[str]:
    parser = VisibleText()
    parser.feed(re.sub(r'<div id="(filter-groups|active-filters)-data" class="d-none">.*?</div>', "", page, flags=re.S))
    text = "\n".join(parser.parts + filter_texts(page))
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda escape: chr(int(escape.group(1), 16)), text)  # JSON for scripts
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = re.sub(r"\b(ORD|SH)-[\d-]+|\S+@\S+|https?://\S+", " ", text)
    allowed = NOT_WORDS | FLASK_ADMIN_UNTRANSLATED | ALSO_NOT_WORDS[locale]
    return sorted({word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in allowed})


def lines(n: int) -> list[dict[str, Any]]:
    """Items as a Chinese shop lists them (the data is not what this test looks at)."""
    return [item_fields(i, title=f"连衣裙 {i}", color="红色", size="中码", color_cn="红色", size_cn="中码",
                        price=Decimal("99.00"), discount_price=None) for i in range(n)]


@pytest.fixture
def shop(make_order, session) -> dict[str, Any]:
    """Orders in every state the pages show: canceled with a reason and a note, merged, closed, open."""
    buyer = {"buyer_name": "王芳", "buyer_phone": "+86 138 0000 0000", "buyer_address": "上海市南京路12号",
             "customer_ref": "客户-1", "buyer_email": "wang@example.cn"}
    open_order = make_order("awaiting_payment", items=lines(2), **buyer)
    canceled = make_order("processing", items=lines(1), **buyer)
    cancel(session, canceled.id, actor="manager", reason="买家要求")
    add_comment(session, canceled.id, actor="manager", text="已联系买家")
    added, basic = make_order("awaiting_payment", items=lines(1), **buyer), make_order("awaiting_payment", items=lines(1), **buyer)
    merge(session, added.id, basic.id, actor="manager")
    closed = make_order("shipped", items=lines(1), **buyer)
    close(session, closed.id, actor="manager")
    processing = make_order("processing", items=lines(1), **buyer)
    shipped = make_order("shipped", items=lines(1), **buyer)
    target = make_order("awaiting_payment", items=lines(1), **buyer)
    return {"open": open_order, "canceled": canceled, "added": added, "basic": basic, "closed": closed,
            "processing": processing, "shipped": shipped, "target": target,
            "data": ["王芳", "上海市南京路12号", "客户-1", "wang@example.cn", "+86 138 0000 0000", "manager",
                     "买家要求", "已联系买家", "红色", "中码", "连衣裙", "tb-100", "#"]}


def pages(client, shop) -> dict[str, str]:
    """The pages, each as the manager gets it (redirects followed: a refusal lands on a page with its reason)."""
    def get(url: str, **args: Any) -> str:
        response = client.get(url, query_string=args, follow_redirects=True)
        assert response.status_code == 200, url
        return response.text

    order = "/admin/orders/details/"
    return {
        "orders list": get("/admin/orders/"),
        "items list": get("/admin/orders/items/"),
        "exports": get("/admin/orders/exports/"),
        "open order": get(order, id=shop["open"].id),
        "canceled order with history and notes": get(order, id=shop["canceled"].id, tab="history"),
        "merged order": get(order, id=shop["added"].id),
        "basic order": get(order, id=shop["basic"].id),
        "completed order": get(order, id=shop["closed"].id),
        "confirm cancel": get(f"/admin/orders/{shop['open'].id}/confirm/cancel/"),
        "confirm restore": get(f"/admin/orders/{shop['canceled'].id}/confirm/restore/"),
        "confirm close": get(f"/admin/orders/{shop['processing'].id}/confirm/close/"),
        "merge list": get(f"/admin/orders/{shop['open'].id}/merge-candidates/"),
        "confirm merge": get(f"/admin/orders/{shop['open'].id}/confirm/merge/", into=shop["target"].id),
        "refused cancel": get(f"/admin/orders/{shop['shipped'].id}/confirm/cancel/"),
        "refused search": get("/admin/orders/search/", q="!?"),
        "search results": get("/admin/orders/search/", q="0"),
        "filtered list": get("/admin/orders/", flt0_status_equals="processing"),
        "bulk confirm cancel, all matching": get("/admin/orders/bulk/cancel/", flt0_status_equals="processing"),
        "bulk confirm restore, items tab": get("/admin/orders/items/bulk/restore/", flt0_status_equals="canceled"),
        "bulk confirm close, nothing to change": get("/admin/orders/bulk/close/", flt0_status_equals="canceled"),
        "bulk result with refusals": bulk_result(client, get("/admin/orders/bulk/close/")),
    }


def bulk_result(client, confirm_page: str) -> str:
    """The result page of a bulk Close of every order (the last page built: it changes the orders)."""
    fields = {name: re.search(rf'name="{name}" type="hidden" value="([^"]+)"', confirm_page).group(1)
              for name in ("csrf_token", "orders")}
    response = client.post("/admin/orders/bulk/close/run/", data=fields, follow_redirects=True)
    assert response.status_code == 200 and 'id="bulk-summary"' in response.text
    return response.text


@pytest.mark.parametrize("locale", ["ru", "zh_Hans_CN"])
def test_no_english_is_left_on_the_pages(client, shop, speak, locale):
    speak(locale)
    left = {name: words for name, page in pages(client, shop).items()
            if (words := english_words(page, shop["data"], locale))}
    assert not left, (
        f"English left on the {locale} pages: {left}. Mark the text (oa_gettext / gettext / N_) and run "
        "`make catalogs`, then translate the new entries."
    )


def test_the_check_sees_english(client, shop, speak):
    """The same pages in English: the check finds the words (it would pass vacuously otherwise)."""
    speak("en")
    found = english_words(pages(client, shop)["confirm cancel"], shop["data"], "ru")
    assert {"Are", "you", "sure", "cancel", "order"} <= set(found)


def test_a_refusal_reaches_the_manager_in_their_language(client, shop, speak):
    speak("ru")
    page = client.get(f"/admin/orders/{shop['shipped'].id}/confirm/cancel/", follow_redirects=True).text
    assert "Отменить можно только заказ в одном из статусов: Ожидает оплаты, Ожидает доплаты, В обработке, Дозаказ; " \
           "статус этого заказа — «Отправлен»." in page
    speak("zh_Hans_CN")
    page = client.get("/admin/orders/search/", query_string={"q": "!?"}, follow_redirects=True).text
    assert "“!?”中没有可搜索的字母或数字" in page


def test_a_buyers_orders_link_filters_the_list_in_every_language(client, shop, speak):
    """Filter arguments are named in English (Flask-Admin reads them so), whatever the page's language."""
    speak("ru")
    page = client.get("/admin/orders/details/", query_string={"id": shop["open"].id}).text
    link = re.search(r'id="buyer-orders" href="([^"]+)"|href="([^"]+)" id="buyer-orders"', page)
    url = (link.group(1) or link.group(2)).replace("&amp;", "&")
    assert "flt0_customer_equals=" in url
    listed = client.get(url).text
    assert shop["open"].number in listed and "Клиент" in listed



def test_the_exports_log_describes_each_export_in_the_readers_language(client, shop, speak, form_fields):
    """An export started by a manager reading English is listed in Russian for one reading Russian."""
    speak("en")
    assert client.get(f"/admin/orders/{shop['open'].id}/export/").status_code == 200
    page = client.get("/admin/orders/", query_string={"flt0_status_equals": "processing"}).text
    fields = {**form_fields(page, "export-matching-form"), "format": "xls"}
    assert client.post("/admin/orders/export-matching/?flt0_status_equals=processing", data=fields).status_code == 200
    assert "By orders: Status equals Processing" in client.get("/admin/orders/exports/").text
    speak("ru")
    listed = client.get("/admin/orders/exports/").text
    assert f"Заказ {shop['open'].number}" in listed
    assert "По заказам: Статус равно В обработке" in listed  # the filter's operation too
    speak("zh_Hans")
    assert "状态 等于 处理中" in client.get("/admin/orders/exports/").text


@pytest.mark.parametrize(("locale", "ours", "flask_admins"), [
    ("ru", ["Действия с выбранными", "Добавить фильтр", "Сбросить фильтры"], ["Добавить Фильтр", "Сброс Фильтров"]),
    ("zh_Hans_CN", ["批量操作", "添加筛选条件", "清除筛选条件"], ["选中的"]),
])
def test_flask_admins_list_menus_speak_the_panels_words(client, shop, speak, locale, ours, flask_admins):
    """"With selected", "Add Filter" and "Reset Filters" come from Flask-Admin's catalogs, worded otherwise."""
    speak(locale)
    page = client.get("/admin/orders/", query_string={"flt0_status_equals": "processing"}).text
    assert all(text in page for text in ours), [text for text in ours if text not in page]
    assert not [text for text in flask_admins if text in page]
