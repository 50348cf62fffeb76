"""The lines a confirm screen shows add up for a manager: quantity × unit price + the line's China delivery =
the line total, in the table and in the phone card's sentence; and no screen shows a discount of nothing.
Issue 21: the merge and cancel previews read "1 × 585,99" beside a line total of 590,99, the 5,00 of China
delivery in it shown nowhere; «Скидки − 0,00 CN¥» stood on orders without a discount."""

from __future__ import annotations

import html
import re
from decimal import Decimal as D

from flask_order_admin.pricing import Price
from tests.conftest import item_fields
from tests.model_sets import line_of

# The line (1 × 585.99 with 5.00 of China delivery) and one at a discount price, with delivery, of 2.
LINES = [
    item_fields(0, quantity=1, price=D("585.99"), discount_price=None, china_delivery=D("5.00")),
    item_fields(1, quantity=2, price=D("120.00"), discount_price=D("99.90"), china_delivery=D("8.00")),
]
NO_DISCOUNT = [item_fields(n, discount_price=None) for n in range(2)]


def amount(text: str) -> D:
    return D(re.sub(r"[^\d.]", "", html.unescape(text)))


def cell(row: str, name: str) -> str:
    return re.search(rf'<td class="[^"]*order-admin-{name}[^"]*"[^>]*>(.*?)</td>', row, re.S).group(1)


def preview_rows(section: str) -> list[tuple[D, D, D, D, str]]:
    """Each line of a preview's table: quantity, unit price, China delivery, total, and the card's sentence."""
    rows = []
    for row in re.findall(r"<tr[^>]*>\s*<td class=\"order-admin-card-only.*?</tr>", section, re.S):
        money = re.findall(r'<td class="order-admin-money order-admin-table-only[^"]*">(.*?)</td>', row, re.S)
        quantity, unit, delivery, total = (amount(value) for value in money)
        sentence = re.sub(r"<[^>]+>", "", cell(row, "line-sum"))
        rows.append((quantity, unit, delivery, total, " ".join(html.unescape(sentence).split())))
    return rows


def assert_adds_up(rows: list[tuple[D, D, D, D, str]]) -> None:
    assert rows
    for quantity, unit, delivery, total, _ in rows:
        assert quantity * unit + delivery == total, (quantity, unit, delivery, total)


def test_the_cancel_preview_shows_the_china_delivery_in_each_line_total(client, make_order):
    order = make_order("processing", items=LINES)
    page = client.get(f"/admin/orders/{order.id}/confirm/cancel/").text
    rows = preview_rows(page)
    assert_adds_up(rows)
    assert [row[:4] for row in rows] == [(1, D("585.99"), D("5.00"), D("590.99")),
                                         (2, D("99.90"), D("16.00"), D("215.80"))]
    assert rows[0][4] == "1 × CN¥585.99 + China delivery CN¥5.00 = CN¥590.99"
    assert rows[1][4] == "2 × CN¥120.00 CN¥99.90 + China delivery CN¥16.00 = CN¥215.80"  # 120.00 struck through
    assert re.search(r'<th class="order-admin-money">China delivery</th>', page)


def test_the_merge_preview_adds_up_on_both_orders_and_afterwards(client, make_order):
    added = make_order("awaiting_payment", items=LINES)
    basic = make_order("ready_to_ship", items=[item_fields(2, quantity=3, china_delivery=None)])
    page = client.get(f"/admin/orders/{added.id}/confirm/merge/", query_string={"into": basic.id}).text
    for section in ("merge-added", "merge-basic", "merge-after"):
        assert_adds_up(preview_rows(re.search(rf'id="{section}".*?</section>', page, re.S).group(0)))
    after = preview_rows(re.search(r'id="merge-after".*?</section>', page, re.S).group(0))
    assert [row[4] for row in after] == [
        "3 × CN¥102.50 = CN¥307.50",  # no delivery: nothing added, nothing to explain
        "1 × CN¥585.99 + China delivery CN¥5.00 = CN¥590.99",
        "2 × CN¥120.00 CN¥99.90 + China delivery CN¥16.00 = CN¥215.80",
    ]


def test_no_screen_shows_a_discount_of_nothing(client, make_order, configure):
    order = make_order("processing", items=NO_DISCOUNT)
    other = make_order("awaiting_payment", items=NO_DISCOUNT)
    canceled = make_order("canceled", items=NO_DISCOUNT)
    configure(price_resolver=lambda item, at: Price(line_of(item).price, None, line_of(item).china_delivery))
    pages = {
        "order page": client.get(f"/admin/orders/details/?id={order.id}").text,
        "cancel": client.get(f"/admin/orders/{order.id}/confirm/cancel/").text,
        "merge": client.get(f"/admin/orders/{other.id}/confirm/merge/", query_string={"into": order.id}).text,
        "merge candidates": client.get(f"/admin/orders/{other.id}/merge-candidates/").text,
        "restore": client.get(f"/admin/orders/{canceled.id}/confirm/restore/").text,
        "bulk cancel": client.get("/admin/orders/bulk/cancel/").text,
    }
    for name, page in pages.items():
        assert "Discounts" not in page and not re.search(r"−\s*CN¥0\.00", page), name
        assert "<s " not in page, name  # no price struck through for a discount
    # The restore card leaves out a discount price a line has not got (the table's "—").
    discount_cells = re.findall(r'<td class="([^"]*)" data-label="Discount price"', pages["restore"])
    assert len(discount_cells) == 2 and all("order-admin-blank" in classes for classes in discount_cells)
