"""The download helper for the views, and the opt-in .xlsx format."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import sys
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from openpyxl.formula import Tokenizer

from flask_order_admin.errors import OrderNotFound
from flask_order_admin.export import ExportFormatNotOffered, export_filename, export_response
from flask_order_admin.export.columns import HEADERS, Col

DRESS = {
    "title": '連衣裙 "Summer" dress', "url": 'https://item.taobao.com/x")&HYPERLINK("http://evil/',
    "photo_url": "https://img.alicdn.com/i1/dress.jpg", "quantity": 2, "price": Decimal("10.05"),
    "discount_price": None, "china_delivery": Decimal("1.10"),
}


def offer_formats(app: Any, *formats: str) -> None:
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, export_formats=formats)


def body_of(response: Any) -> bytes:
    try:
        return b"".join(response.response)
    finally:
        response.close()


def test_one_order_downloads_as_its_number(session, make_order, open_xls, caplog) -> None:
    order = make_order("completed", items=2)
    with caplog.at_level(logging.INFO, logger="flask_order_admin.export"):
        response = export_response(session, [order.id], actor="manager@example.com")
    assert response.headers["Content-Disposition"] == f"attachment; filename={order.number}.xls"
    assert response.mimetype == "application/vnd.ms-excel"
    assert response.headers["Cache-Control"] == "no-store"
    data = body_of(response)
    assert response.content_length == len(data)
    assert open_xls(data).sheet_by_index(0).nrows == 4
    [record] = [r for r in caplog.records if r.name == "flask_order_admin.export"]
    assert "manager@example.com" in record.getMessage() and order.number in record.getMessage()
    assert record.order_ids == [order.id] and record.actor == "manager@example.com"


def test_several_orders_download_as_a_dated_batch(session, make_order, caplog) -> None:
    orders = [make_order("merged", items=1), make_order("canceled", items=1), make_order(items=0)]
    with caplog.at_level(logging.INFO, logger="flask_order_admin.export"):
        response = export_response(session, [o.id for o in orders], actor="boss")
    body_of(response)
    assert re.fullmatch(r"attachment; filename=orders-\d{8}-\d{4}\.xls", response.headers["Content-Disposition"])
    first, last = orders[0].number, orders[-1].number
    assert f"{first}–{last}" in caplog.records[-1].getMessage()


def test_filenames(app) -> None:
    from datetime import datetime

    assert export_filename([23], "xls") == "ORD-0000000023.xls"
    assert export_filename([1, 2], "xlsx", datetime(2026, 1, 28, 15, 30)) == "orders-20260128-1530.xlsx"


def test_xlsx_only_when_offered(session, make_order) -> None:
    order = make_order(items=1)
    with pytest.raises(ExportFormatNotOffered, match=r"\.xlsx is not offered"):
        export_response(session, [order.id], actor="boss", fmt="xlsx")


def test_xlsx_has_the_same_columns_and_rules(app, session, make_order) -> None:
    offer_formats(app, "xls", "xlsx")
    order = make_order(items=[DRESS, {**DRESS, "url": "javascript:alert(1)", "title": "=1+1"}])
    response = export_response(session, [order.id], actor="boss", fmt="xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"] == f"attachment; filename={order.number}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(body_of(response)))
    sheet = book["Items"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(HEADERS)
    link, text_row, totals = rows[1], rows[2], rows[3]
    tokens = [t for t in Tokenizer(link[Col.ITEM]).items if t.type != "SEP"]
    assert [(t.type, t.value) for t in tokens] == [
        ("FUNC", "HYPERLINK("),
        ("OPERAND", '"' + DRESS["url"].replace('"', '""') + '"'),
        ("OPERAND", '"' + DRESS["title"].replace('"', '""') + '"'),
        ("FUNC", ")"),
    ]
    assert text_row[Col.ITEM] == "=1+1 (javascript:alert(1))"
    assert sheet.cell(3, Col.ITEM + 1).data_type == "s"
    assert link[Col.QUANTITY] == 2 and link[Col.TOTAL_PRICE] == pytest.approx(22.30)
    assert sheet.cell(2, Col.PRICE + 1).number_format == "#,##0.00"
    assert totals[Col.QUANTITY] == 4


def test_xlsx_without_xlsxwriter_says_how_to_get_it(app, session, make_order, monkeypatch) -> None:
    offer_formats(app, "xlsx")
    order = make_order(items=1)
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(RuntimeError, match=r"flask-order-admin\[xlsx\]"):
        export_response(session, [order.id], actor="boss", fmt="xlsx")


def test_a_download_sends_orders_exported_once(app, session, make_order, signals_sent) -> None:
    orders = [make_order(items=2), make_order(items=0)]
    response = export_response(session, [o.id for o in orders], actor="boss")
    body_of(response)
    assert signals_sent == [("orders-exported", app, {
        "order_ids": [o.id for o in orders], "actor": "boss", "export_format": "xls", "rows": 3,
    })]


def test_a_refused_export_sends_nothing(app, session, make_order, signals_sent) -> None:
    order = make_order(items=1)
    with pytest.raises(ExportFormatNotOffered):
        export_response(session, [order.id], actor="boss", fmt="xlsx")
    with pytest.raises(OrderNotFound):
        export_response(session, [order.id, 999_999], actor="boss")
    assert signals_sent == []
