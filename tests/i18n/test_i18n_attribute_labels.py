"""A line's colour and size are labelled with the Chinese supplier's terms (颜色分类, 尺码) beside the reader's
word, once: in Chinese the term alone (issue 21 saw «颜色 颜色分类»), on the order page's column heads, its phone
cards (``data-label``), the confirm screens' cards and the list's "By items" tab."""

from __future__ import annotations

import html
import re

import pytest

# The reader's locale: the head's first line and the Chinese line under it, the card's label, the list's head.
LABELS = {
    None: (("Color", "颜色分类"), ("Size", "尺码"), "Color 颜色分类", "Size 尺码", "Color / 颜色分类", "Size / 尺码"),
    "ru": (("Цвет", "颜色分类"), ("Размер", "尺码"), "Цвет 颜色分类", "Размер 尺码", "Цвет / 颜色分类", "Размер / 尺码"),
    "zh_Hans_CN": (("颜色分类",), ("尺码",), "颜色分类", "尺码", "颜色分类", "尺码"),
}


def heads(page: str, table_id: str) -> list[tuple[str, ...]]:
    """The table's column heads, each as the texts of its lines."""
    head = re.search(rf'id="{table_id}">\s*<thead>(.*?)</thead>', page, re.S).group(1)
    cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
    return [tuple(text for text in (html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
                                    for part in re.split(r"<br>", cell)) if text) for cell in cells]


@pytest.mark.parametrize("locale", list(LABELS))
def test_the_chinese_term_is_said_once_in_every_language(client, make_order, speak, locale):
    color_head, size_head, color_label, size_label, color_column, size_column = LABELS[locale]
    order = make_order("processing", items=[{"color": "Black", "color_cn": "黑色", "size": "M", "size_cn": "中码"}])
    speak(locale)
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    assert heads(page, "order-lines")[2:4] == [color_head, size_head]
    assert re.findall(r'<td data-label="([^"]+)"', page)[:2] == [color_label, size_label]
    confirm = client.get(f"/admin/orders/{order.id}/confirm/cancel/").text
    assert re.findall(r'<td data-label="([^"]+)" class="order-admin-card-only"', confirm)[:2] == [color_label,
                                                                                                  size_label]
    items = html.unescape(client.get("/admin/orders/items/").text)
    assert color_column in items and size_column in items
    if locale == "zh_Hans_CN":
        assert "颜色 颜色分类" not in page + confirm and "颜色 / 颜色分类" not in items
