"""Bulk exports ask the access rule ("export", order) about each order; one denied order refuses the export."""

from __future__ import annotations

import math

import pytest

from flask_order_admin.models import OrderItem
from flask_order_admin.export.access_check import NUMBERS_SHOWN
from flask_order_admin.export import access_check
from tests.views.conftest import count_statements, hidden_fields  # noqa: F401  (count_statements: the fixture)
from tests.views.test_views_search_export import read_xls


def no_stock_exports(action, order):
    """A host's rule: orders of the "stock" provider may not be exported."""
    if action == "export" and order is not None and order.provider == "stock":
        return False
    return None


def exported_numbers(response) -> set[str]:
    return {row[2] for row in read_xls(response)[1:] if str(row[2]).startswith("ORD-")}


def assert_export_refused(response, error_of, denied, total, numbers):
    assert response.history and response.history[0].status_code == 302, response.status_code
    assert response.mimetype == "text/html"  # no .xls came back
    message = error_of(response)
    if total == 1:
        assert f"You may not export order {numbers[0]}. Nothing was exported." in message, message
    else:
        assert f"You may not export {denied} of the {total} orders: {', '.join(numbers)}" in message, message
        assert "Nothing was exported; narrow the selection." in message


def export_selected(client, form_fields, tab, row_ids):
    page = client.get(f"/admin/{tab}/").text
    fields = {**form_fields(page, "action_form"), "action": "export_selected", "rowid": row_ids}
    return client.post(f"/admin/{tab}/action/", data=fields, follow_redirects=True)


def export_matching(client, tab="orders", query=None, **options):
    """"Export all matching" as the list's form posts it: the filters in the query string, the CSRF token."""
    fields = hidden_fields(client.get(f"/admin/{tab}/").text, "export-matching-form")
    return client.post(f"/admin/{tab}/export-matching/", query_string=query or {}, data={**fields, "format": "xls"},
                       **options)


def test_export_selected_on_the_orders_tab_asks_for_each_order(client, make_order, configure, form_fields, error_of):
    taobao, other_taobao, stock = make_order(items=1), make_order(items=2), make_order(items=1, provider="stock")
    configure(access=no_stock_exports)
    assert_export_refused(export_selected(client, form_fields, "orders", [stock.id]),
                          error_of, 1, 1, [stock.number])
    assert_export_refused(export_selected(client, form_fields, "orders", [taobao.id, stock.id, other_taobao.id]),
                          error_of, 1, 3, [stock.number])
    response = export_selected(client, form_fields, "orders", [taobao.id, other_taobao.id])
    assert exported_numbers(response) == {taobao.number, other_taobao.number}
    assert len(read_xls(response)) == 1 + 3 + 1  # header, three items, totals


def test_export_selected_on_the_items_tab_asks_for_each_order(client, make_order, configure, form_fields, error_of,
                                                              session):
    taobao, stock = make_order(items=2), make_order(items=1, provider="stock")
    taobao_items = [i for (i,) in session.query(OrderItem.id).filter_by(order_id=taobao.id)]
    stock_items = [i for (i,) in session.query(OrderItem.id).filter_by(order_id=stock.id)]
    configure(access=no_stock_exports)
    assert_export_refused(export_selected(client, form_fields, "orders/items", stock_items),
                          error_of, 1, 1, [stock.number])
    assert_export_refused(export_selected(client, form_fields, "orders/items", taobao_items + stock_items),
                          error_of, 1, 2, [stock.number])
    response = export_selected(client, form_fields, "orders/items", taobao_items)
    assert exported_numbers(response) == {taobao.number}
    assert len(read_xls(response)) == 1 + 2 + 1


@pytest.mark.parametrize("tab", ["orders", "orders/items"])
def test_export_matching_asks_for_each_order(client, make_order, configure, error_of, tab):
    taobao, stock = make_order(items=1), make_order(items=1, provider="stock")
    configure(access=no_stock_exports)
    response = export_matching(client, tab, {"flt0_provider_equals": "stock"}, follow_redirects=True)
    assert_export_refused(response, error_of, 1, 1, [stock.number])
    assert response.request.path == f"/admin/{tab}/"
    assert response.request.args["flt0_provider_equals"] == "stock"  # back to the same filtered list
    assert_export_refused(export_matching(client, tab, follow_redirects=True), error_of, 1, 2, [stock.number])
    response = export_matching(client, tab, {"flt0_provider_equals": "taobao"})
    assert exported_numbers(response) == {taobao.number}


def test_the_refusal_names_the_first_denied_orders_and_counts_the_rest(client, make_order, configure, error_of):
    stock = [make_order(items=1, provider="stock") for _ in range(5)]
    make_order(items=1)
    configure(access=no_stock_exports)
    response = export_matching(client, follow_redirects=True)
    numbers = [order.number for order in stock[:NUMBERS_SHOWN]]
    assert_export_refused(response, error_of, 5, 6, numbers)
    assert f"{numbers[-1]} and {5 - NUMBERS_SHOWN} more." in error_of(response)


def test_the_per_order_check_reads_the_orders_a_chunk_at_a_time(client, make_order, configure, count_statements,
                                                                monkeypatch):
    for _ in range(5):
        make_order(items=1)
    monkeypatch.setattr(access_check, "IDS_PER_SELECT", 2)

    fields = {**hidden_fields(client.get("/admin/orders/").text, "export-matching-form"), "format": "xls"}

    def export() -> None:
        assert client.post("/admin/orders/export-matching/", data=fields).status_code == 200

    without_rule = count_statements(export)  # the default rule does not depend on the order: no check
    configure(access=lambda action, order: None)
    with_rule = count_statements(export)
    assert with_rule - without_rule == math.ceil(5 / 2)
