"""order_xls / orders_xls against a real database (SQLite, plus ORDER_ADMIN_TEST_DATABASE_URLS)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
import xlrd

from flask_order_admin.domain import NumberFormat, OrderStatus
from flask_order_admin.errors import OrderNotFound
from flask_order_admin.export import ExportTooLarge, order_xls, orders_xls
from flask_order_admin.export import files as export_files
from flask_order_admin.export import query as export_query
from flask_order_admin.export.cells import CELL_TEXT_LIMIT, CUT_MARKER
from flask_order_admin.export.columns import HEADERS, Col
from flask_order_admin.export.rows import NO_ITEMS_NOTE, TOTALS_LABEL
from tests.model_sets import BUILTIN

GUIDE_COLUMNS = [
    "Customer full name", "Customer address", "Order number", "Item (link to Taobao)", "Color", "Size",
    "颜色分类", "尺码", "Item photo (link)", "Quantity", "Item price", "Discount price",
    "China delivery per unit", "Total China delivery cost for all items", "Total price",
]

DRESS = {
    "title": "2026新款连衣裙 Summer dress", "url": "https://item.taobao.com/item.htm?id=600000000001",
    "photo_url": "https://img.alicdn.com/i1/dress.jpg", "color": "Red", "size": "M", "color_cn": "红色",
    "size_cn": "中码", "quantity": 3, "price": Decimal("100.55"), "discount_price": Decimal("90.35"),
    "china_delivery": Decimal("7.31"),
}
SHOES = {
    "title": "Shoes 鞋", "url": "https://item.taobao.com/item.htm?id=600000000002", "photo_url": None,
    "color": None, "size": "42", "color_cn": None, "size_cn": "42码", "quantity": 1,
    "price": Decimal("0.10"), "discount_price": None, "china_delivery": Decimal("0.00"),
}


def money_of(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


def set_settings(app: Any, **changes: Any) -> None:
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, **changes)


def test_headers_are_the_guide_columns_in_order(session, make_order, open_xls) -> None:
    order = make_order(items=1)
    sheet = open_xls(order_xls(session, order.id)).sheet_by_index(0)
    headers = sheet.row_values(0)
    assert headers == list(HEADERS)
    assert [h.removesuffix(", ¥") for h in headers] == GUIDE_COLUMNS
    assert all(h.endswith(", ¥") for h in headers[Col.PRICE:])


def test_one_row_per_item_with_exact_values_and_types(
    session, make_order, orders, open_xls, xls_formulas, link_tokens,
) -> None:
    order = make_order(items=[DRESS, SHOES], buyer_name="王芳 Wang Fang", buyer_address="上海市 Nanjing Rd 12")
    data = order_xls(session, order.id)
    book = open_xls(data)
    sheet = book.sheet_by_index(0)
    assert sheet.nrows == 1 + 2 + 1  # header, items, totals
    dress, shoes = sheet.row(1), sheet.row(2)
    for row in (dress, shoes):
        assert row[Col.CUSTOMER_NAME].value == "王芳 Wang Fang"
        assert row[Col.CUSTOMER_ADDRESS].value == "上海市 Nanjing Rd 12"
        assert row[Col.ORDER_NUMBER].value == order.number
    assert order.number == f"ORD-{order.id:010d}" or not orders.is_builtin  # the shop's own numbers as they are
    assert [dress[c].value for c in (Col.COLOR, Col.SIZE, Col.COLOR_CN, Col.SIZE_CN)] == ["Red", "M", "红色", "中码"]
    # Line totals per domain.totals: unit price = discount price; delivery × quantity.
    assert dress[Col.QUANTITY].value == 3
    assert money_of(dress[Col.PRICE].value) == Decimal("100.55")
    assert money_of(dress[Col.DISCOUNT_PRICE].value) == Decimal("90.35")
    assert money_of(dress[Col.CHINA_DELIVERY].value) == Decimal("7.31")
    assert money_of(dress[Col.CHINA_DELIVERY_TOTAL].value) == Decimal("21.93")
    assert money_of(dress[Col.TOTAL_PRICE].value) == Decimal("292.98")  # 3 × 90.35 + 21.93
    assert shoes[Col.DISCOUNT_PRICE].ctype == xlrd.XL_CELL_EMPTY
    assert shoes[Col.PHOTO].ctype == xlrd.XL_CELL_EMPTY
    assert money_of(shoes[Col.TOTAL_PRICE].value) == Decimal("0.10")

    numeric = [Col.QUANTITY, Col.PRICE, Col.DISCOUNT_PRICE, Col.CHINA_DELIVERY, Col.CHINA_DELIVERY_TOTAL, Col.TOTAL_PRICE]
    assert all(dress[c].ctype == xlrd.XL_CELL_NUMBER for c in numeric)
    texts = [Col.CUSTOMER_NAME, Col.CUSTOMER_ADDRESS, Col.ORDER_NUMBER, Col.COLOR, Col.SIZE, Col.COLOR_CN, Col.SIZE_CN]
    assert all(dress[c].ctype == xlrd.XL_CELL_TEXT for c in texts)
    formats = {c: book.format_map[book.xf_list[dress[c].xf_index].format_key].format_str for c in numeric}
    assert formats.pop(Col.QUANTITY) == "0"
    assert set(formats.values()) == {"#,##0.00"}

    formulas = xls_formulas(data)
    assert formulas[(0, 1, Col.ITEM)] == link_tokens(DRESS["url"], DRESS["title"])
    assert formulas[(0, 1, Col.PHOTO)] == link_tokens(DRESS["photo_url"], DRESS["photo_url"])
    assert formulas[(0, 2, Col.ITEM)] == link_tokens(SHOES["url"], SHOES["title"])
    assert len(formulas) == 3

    totals = sheet.row_values(3)
    assert totals[Col.CUSTOMER_NAME] == str(TOTALS_LABEL)
    assert totals[Col.QUANTITY] == 4
    assert money_of(totals[Col.CHINA_DELIVERY_TOTAL]) == Decimal("21.93")
    assert money_of(totals[Col.TOTAL_PRICE]) == Decimal("293.08")


def test_header_is_frozen_and_columns_fit(session, make_order, open_xls) -> None:
    order = make_order(items=[DRESS])
    sheet = open_xls(order_xls(session, order.id)).sheet_by_index(0)
    assert sheet.panes_are_frozen and sheet.horz_split_pos == 1
    widths = {colx: info.width // 256 for colx, info in sheet.colinfo_map.items()}
    assert widths[Col.ORDER_NUMBER] >= len(order.number)
    assert widths[Col.COLOR_CN] >= len("颜色分类") * 2
    assert widths[Col.CUSTOMER_ADDRESS] <= 62


def test_unsafe_urls_are_text_and_never_a_formula_linking_elsewhere(session, make_order, open_xls, xls_formulas, link_tokens) -> None:
    injection = 'https://item.taobao.com/x")&HYPERLINK("http://evil/'
    long_url = "https://item.taobao.com/item.htm?id=" + "9" * 264
    assert len(long_url) == 300
    order = make_order(items=[
        {**DRESS, "url": injection, "photo_url": "javascript:alert(document.cookie)"},
        {**DRESS, "url": "javascript:alert(1)", "photo_url": long_url},
        {**DRESS, "url": long_url, "title": '=HYPERLINK("http://evil/";"click")'},
    ])
    data = order_xls(session, order.id)
    sheet = open_xls(data).sheet_by_index(0)
    formulas = xls_formulas(data)
    # The whole injection text is the one URL argument, the title the label: no second call, no other host.
    assert formulas == {
        (0, 1, Col.ITEM): link_tokens(injection, DRESS["title"]),
        (0, 3, Col.PHOTO): link_tokens(DRESS["photo_url"], DRESS["photo_url"]),
    }
    assert sheet.cell_value(1, Col.PHOTO) == "javascript:alert(document.cookie)"
    assert sheet.cell_value(2, Col.ITEM) == f"{DRESS['title']} (javascript:alert(1))"
    assert sheet.cell_value(2, Col.PHOTO) == long_url
    assert sheet.cell_value(3, Col.ITEM) == f'=HYPERLINK("http://evil/";"click") ({long_url})'
    for rowx, colx in ((1, Col.PHOTO), (2, Col.ITEM), (2, Col.PHOTO), (3, Col.ITEM)):
        assert sheet.cell_type(rowx, colx) == xlrd.XL_CELL_TEXT


def test_formula_looking_text_stays_text(session, make_order, open_xls, xls_formulas) -> None:
    order = make_order(
        items=[{**DRESS, "url": None, "title": "=1+2", "color": "+SUM(1)", "size": "-1", "color_cn": "@A1"}],
        buyer_name="=cmd|'/c calc'!A0",
    )
    data = order_xls(session, order.id)
    row = open_xls(data).sheet_by_index(0).row(1)
    expected = {Col.CUSTOMER_NAME: "=cmd|'/c calc'!A0", Col.ITEM: "=1+2", Col.COLOR: "+SUM(1)", Col.SIZE: "-1", Col.COLOR_CN: "@A1"}
    assert {c: (row[c].ctype, row[c].value) for c in expected} == {c: (xlrd.XL_CELL_TEXT, v) for c, v in expected.items()}
    assert (0, 1, Col.ITEM) not in xls_formulas(data)


def test_an_order_without_items_gives_header_note_and_totals(session, make_order, open_xls) -> None:
    order = make_order(items=0)
    sheet = open_xls(order_xls(session, order.id)).sheet_by_index(0)
    assert sheet.nrows == 3
    assert sheet.row_values(0) == list(HEADERS)
    note = sheet.row_values(1)
    assert note[:4] == ["Li Wei 李伟", "Room 5, 12 Nanjing Rd, Shanghai", order.number, str(NO_ITEMS_NOTE)]
    assert sheet.row_values(2)[Col.QUANTITY] == 0


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_status_exports_and_changes_nothing(session, make_order, orders, open_xls, status) -> None:
    order = make_order(status, items=2)
    version, order_id = order.version, order.id
    assert open_xls(order_xls(session, order_id)).sheet_by_index(0).nrows == 4
    assert orders.get(order_id).version == version


@pytest.mark.models(BUILTIN)  # numbers made from the id
def test_number_uses_the_configured_prefix_and_width(app, session, make_order, open_xls) -> None:
    set_settings(app, number_format=NumberFormat("SO-", 6))
    order = make_order(items=1)
    sheet = open_xls(order_xls(session, order.id)).sheet_by_index(0)
    assert sheet.cell_value(1, Col.ORDER_NUMBER) == f"SO-{order.id:06d}"


def test_missing_or_bad_ids_are_refused(session, make_order) -> None:
    order = make_order(items=1)
    with pytest.raises(OrderNotFound):
        order_xls(session, order.id + 1000)
    with pytest.raises(OrderNotFound):
        orders_xls(session, [order.id, order.id + 1000])
    with pytest.raises(OrderNotFound):
        order_xls(session, "1; DROP TABLE x")


def test_bulk_export_is_in_number_order_in_chunks(session, make_order, open_xls, data_rows, monkeypatch) -> None:
    monkeypatch.setattr(export_query, "ORDERS_PER_CHUNK", 2)
    first = make_order(items=[DRESS])
    empty = make_order(items=0)
    third = make_order(items=[SHOES, DRESS])
    fourth = make_order(items=[DRESS], buyer_name="Other 其他")
    rows = data_rows(open_xls(orders_xls(session, [fourth.id, third.id, first.id, empty.id, third.id])))
    # Link cells read as their titles (the formula's stored result); the note is text.
    dress, shoes = DRESS["title"], SHOES["title"]
    assert [(r[Col.ORDER_NUMBER], r[Col.ITEM]) for r in rows[:-1]] == [
        (first.number, dress), (empty.number, str(NO_ITEMS_NOTE)), (third.number, shoes), (third.number, dress),
        (fourth.number, dress),
    ]
    assert rows[-1][Col.QUANTITY] == 3 + 1 + 3 + 3
    assert rows[4][Col.CUSTOMER_NAME] == "Other 其他"


def test_past_the_row_limit_the_export_is_refused_before_any_work(app, session, make_order, monkeypatch) -> None:
    set_settings(app, export_max_rows=4)
    orders = [make_order(items=2) for _ in range(3)]

    def no_writing(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the file was started")

    monkeypatch.setattr(export_files, "write_sheets", no_writing)
    with pytest.raises(ExportTooLarge) as refused:
        orders_xls(session, [o.id for o in orders])
    assert str(refused.value) == "6 rows is more than the export limit of 4; narrow the filter."
    assert (refused.value.rows, refused.value.limit) == (6, 4)


def test_at_the_row_limit_the_export_works(app, session, make_order, open_xls, data_rows) -> None:
    set_settings(app, export_max_rows=4)
    orders = [make_order(items=2) for _ in range(2)]
    assert len(data_rows(open_xls(orders_xls(session, [o.id for o in orders])))) == 4 + 1


def test_a_40000_character_title_is_cut_with_a_marker(session, make_order, open_xls) -> None:
    title = "连衣裙" * 13_334
    order = make_order(items=[{**DRESS, "url": None, "title": title}])
    cell = open_xls(order_xls(session, order.id)).sheet_by_index(0).cell_value(1, Col.ITEM)
    assert len(cell) == CELL_TEXT_LIMIT
    assert cell == title[:CELL_TEXT_LIMIT - len(CUT_MARKER)] + CUT_MARKER


def test_70000_rows_continue_on_further_sheets(session, make_order, orders, open_xls) -> None:
    made = [make_order(items=0) for _ in range(7)]
    orders.insert_lines([
        {"order_id": order.id, "title": f"t{n}", "quantity": 1, "price": Decimal("1.25"), "china_delivery": Decimal("0.10")}
        for n, order in enumerate(o for o in made for _ in range(10_000))
    ])
    book = open_xls(orders_xls(session, [o.id for o in made]))
    assert [s.name for s in book.sheets()] == ["Items", "Items 2"]
    assert [s.nrows for s in book.sheets()] == [65_536, 70_000 - 65_535 + 1 + 1]
    titles = [s.cell_value(r, Col.ITEM) for s in book.sheets() for r in range(1, s.nrows)]
    assert titles[:-1] == [f"t{n}" for n in range(70_000)]
    last = book.sheet_by_index(1)
    assert last.row_values(0) == list(HEADERS)
    totals = last.row_values(last.nrows - 1)
    assert totals[Col.QUANTITY] == 70_000
    assert money_of(totals[Col.TOTAL_PRICE]) == Decimal("94500.00")
