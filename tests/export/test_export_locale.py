"""An export made by a manager who reads Russian or Chinese: its amounts stay numbers with a number format
(the spreadsheet shows them in the reader's own locale), never text formatted for the page; only the
words are in the manager's language."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import xlrd

from flask_order_admin.export import export_response
from flask_order_admin.export.cells import MONEY_FORMAT, QUANTITY_FORMAT
from flask_order_admin.export.columns import HEADERS, Col, headers

MONEY_COLUMNS = (Col.PRICE, Col.DISCOUNT_PRICE, Col.CHINA_DELIVERY, Col.CHINA_DELIVERY_TOTAL, Col.TOTAL_PRICE)
TOTALS_COLUMNS = (Col.QUANTITY, Col.CHINA_DELIVERY_TOTAL, Col.TOTAL_PRICE)  # what the totals row sums
LINE = {"quantity": 1234, "price": Decimal("15736.50"), "discount_price": Decimal("15000.25"),
        "china_delivery": Decimal("7.30")}


@pytest.fixture(params=["ru", "zh_Hans"])
def in_language(app: Any, request: pytest.FixtureRequest) -> Iterator[str]:
    """A request of a manager reading ``ru`` or ``zh_Hans`` (Flask-Babel's selector), in Moscow."""
    babel = app.extensions["babel"]
    kept = babel.locale_selector, babel.timezone_selector
    babel.locale_selector, babel.timezone_selector = (lambda: request.param), (lambda: "Europe/Moscow")
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, export_formats=("xls", "xlsx"))
    with app.test_request_context():
        yield request.param
    babel.locale_selector, babel.timezone_selector = kept


def _download(session: Any, order_id: int, fmt: str) -> bytes:
    response = export_response(session, [order_id], actor="manager", fmt=fmt)
    try:
        return b"".join(response.response)
    finally:
        response.close()


def test_xls_amounts_are_numbers_with_their_format_in_every_language(in_language, session, make_order):
    order = make_order(items=[LINE])
    book = xlrd.open_workbook(file_contents=_download(session, order.id, "xls"), formatting_info=True)
    sheet = book.sheet_by_index(0)
    assert sheet.row_values(0) == list(headers()) != list(HEADERS)  # the words in the manager's language
    for rowx, columns in ((1, (*MONEY_COLUMNS, Col.QUANTITY)), (2, TOTALS_COLUMNS)):  # the line, the totals
        for colx in columns:
            cell = sheet.cell(rowx, colx)
            assert cell.ctype == xlrd.XL_CELL_NUMBER, (rowx, colx, cell)
            number_format = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
            assert number_format == (QUANTITY_FORMAT if colx == Col.QUANTITY else MONEY_FORMAT)
    line = sheet.row_values(1)
    assert line[Col.QUANTITY] == 1234 and line[Col.PRICE] == 15736.50 and line[Col.DISCOUNT_PRICE] == 15000.25
    assert line[Col.TOTAL_PRICE] == pytest.approx(1234 * (15000.25 + 7.30))


def test_xlsx_amounts_are_numbers_with_their_format_in_every_language(in_language, session, make_order):
    order = make_order(items=[LINE])
    sheet = openpyxl.load_workbook(io.BytesIO(_download(session, order.id, "xlsx"))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(headers()) != list(HEADERS)
    for rowx, columns in ((2, (*MONEY_COLUMNS, Col.QUANTITY)), (3, TOTALS_COLUMNS)):
        for colx in columns:
            cell = sheet.cell(rowx, colx + 1)
            assert cell.data_type == "n" and isinstance(cell.value, (int, float)), (rowx, colx, cell.value)
            assert cell.number_format == (QUANTITY_FORMAT if colx == Col.QUANTITY else MONEY_FORMAT)
    assert sheet.cell(2, Col.PRICE + 1).value == 15736.50
    assert sheet.cell(3, Col.QUANTITY + 1).value == 1234


def test_the_extra_columns_are_titled_in_the_managers_language(in_language, app, session, make_order):
    from flask_order_admin.domain.export_columns import column_set, presets

    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, export_presets=presets({}, column_set(
        ["buyer_phone", "buyer_email", "order_date", "status", "comment", "item_id", "item_url"])))
    order = make_order(items=[LINE])
    book = xlrd.open_workbook(file_contents=_download(session, order.id, "xls"))
    assert book.sheet_by_index(0).row_values(0) == {
        "ru": ["Телефон клиента", "Email клиента", "Дата заказа, UTC", "Статус", "Последний комментарий",
               "ID товара", "Ссылка на товар"],
        "zh_Hans": ["客户电话", "客户邮箱", "下单时间（UTC）", "状态", "最新备注", "商品ID", "商品链接"],
    }[in_language]
    assert book.sheet_by_index(0).cell_value(1, 3) == {"ru": "Ожидает оплаты", "zh_Hans": "待付款"}[in_language]
