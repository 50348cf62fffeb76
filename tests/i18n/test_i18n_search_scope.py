"""The search within the list's filters says what it ran in, in Russian and Chinese (the glossary's words)."""

from __future__ import annotations

import html
import re

import pytest

from tests.model_sets import BUILTIN


@pytest.mark.models(BUILTIN)
@pytest.mark.parametrize(("locale", "scope", "everywhere", "status"), [
    ("ru", "Поиск среди заказов, подходящих под фильтры списка:", "Искать во всех заказах", "Статус равно Отправлен"),
    ("zh_Hans_CN", "仅在符合列表筛选条件的订单中搜索：", "在全部订单中搜索", "已发货"),
])
def test_the_scope_and_the_everywhere_link_are_translated(client, make_order, speak, locale, scope, everywhere, status):
    make_order("shipped", buyer_name="Li Wei")
    make_order("shipped", buyer_name="Li Na")
    speak(locale)
    page = html.unescape(client.get("/admin/orders/search/", query_string={"flt0_status_in_list": "shipped",
                                                                             "q": "li"}).text)
    assert scope in page and everywhere in page
    words = re.findall(r'order-admin-scope-filter">([^<]*)</span>', page)
    assert len(words) == 1 and status in words[0]
    box = client.get("/admin/orders/", query_string={"flt0_status_in_list": "shipped"}).text
    assert {"ru": "С учётом фильтров", "zh_Hans_CN": "筛选范围内"}[locale] in box
