"""The panel on a shop's own tables (the legacy shop's): its numbers, its statuses, its customer table."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from sqlalchemy import select

from flask_order_admin.domain import OrderStatus
from flask_order_admin.store import resolve_store
from tests.model_sets import LEGACY, current_orders

pytestmark = pytest.mark.models(LEGACY)


def menu_of(page: str) -> tuple[list[str], dict[str, str]]:
    """The enabled actions of the Order actions menu, and the reason of each disabled one."""
    menu = re.search(r'<div class="dropdown-menu" aria-labelledby="order-actions">(.*?)</div>\s*</div>', page, re.S)
    enabled = re.findall(r'<a class="dropdown-item" href="[^"]*" data-action="(\w+)"', menu.group(1))
    disabled = {action: reason for reason, action in re.findall(
        r'title="([^"]+)" tabindex="0" data-action="(\w+)"', menu.group(1))}
    return enabled, disabled


def test_the_shops_numbers_are_shown_and_searched(client, make_order):
    exact = make_order(number="SH-24-00042", items=1)
    newer = make_order(number="SH-25-00042", items=1)
    other = make_order(number="SH-24-00142", items=1)
    listed = client.get("/admin/orders/").text
    assert all(o.number in listed for o in (exact, newer, other)) and "ORD-" not in listed
    page = client.get("/admin/orders/search/", query_string={"q": "42"}).text
    assert re.findall(r">(SH-\d\d-\d+)</a>", page.split('id="search-results"')[1]) == [
        "SH-25-00042", "SH-24-00042", "SH-24-00142"]
    response = client.get("/admin/orders/search/", query_string={"q": "sh-24-00042"})
    assert response.status_code == 302 and response.location.startswith(f"/admin/orders/details/?id={exact.id}&")
    order_page = client.get(response.location).text
    assert '<h4 class="mb-0 mr-3" id="order-title">Order SH-24-00042</h4>' in order_page


def test_an_unknown_stored_status_shows_as_it_is_and_offers_only_export(client, make_order):
    on_hold = make_order(77, items=1, buyer_name="Held Buyer")
    page = client.get(f"/admin/orders/details/?id={on_hold.id}").text
    assert '<span class="badge badge-light">unknown status 77</span>' in page
    enabled, disabled = menu_of(page)
    assert enabled == ["export"]
    assert disabled["cancel"] == (
        "This order has status 77, which this panel does not know, so it cannot be canceled here.")
    assert set(disabled) == {"cancel", "restore", "close", "merge"}
    assert "unknown status 77" in client.get("/admin/orders/").text
    assert client.get(f"/admin/orders/{on_hold.id}/export/").status_code == 200


def test_an_action_the_shops_statuses_cannot_express_is_off_with_its_reason(client, make_order, app, form_fields,
                                                                             session):
    from example_app.legacy.order_models import SHOP_ORDER_MODELS, STATUS_CODES

    added, basic = make_order("awaiting_payment"), make_order("awaiting_payment")
    state = app.extensions["order_admin"]
    models = dataclasses.replace(SHOP_ORDER_MODELS, status_values={
        s: v for s, v in STATUS_CODES.items() if s != OrderStatus.MERGED})
    state.store = resolve_store(models)
    page = client.get(f"/admin/orders/details/?id={added.id}").text
    enabled, disabled = menu_of(page)
    assert disabled["merge"] == "This shop has no status “Merged”, so orders cannot be merged here."
    assert enabled == ["export", "cancel"]
    response = client.get(f"/admin/orders/{added.id}/merge-candidates/", follow_redirects=True)
    assert "This shop has no status “Merged”" in response.text
    token = form_fields(page, "comment-form")["csrf_token"]
    response = client.post(f"/admin/orders/{added.id}/merge/", data={
        "csrf_token": token, "version": "1", "into": str(basic.id)}, follow_redirects=True)
    assert "This shop has no status “Merged”" in response.text
    assert current_orders(session).status(added.id) == OrderStatus.AWAITING_PAYMENT


def test_the_status_filter_offers_labels_and_compares_the_shops_values(client, make_order):
    shipped = make_order("shipped", items=1)
    make_order("processing", items=1)
    page = client.get("/admin/orders/").text
    groups = json.loads(re.search(r'<div id="filter-groups-data" class="d-none">(.*?)</div>', page, re.S).group(1))
    assert dict(groups["Status"][0]["options"])["shipped"] == "Shipped"
    filtered = client.get("/admin/orders/?flt0_status_equals=shipped").text
    assert shipped.number in filtered and "Processing</span>" not in filtered
    items = client.get("/admin/orders/items/?flt0_status_equals=shipped").text
    assert shipped.number in items and "Processing</span>" not in items


def test_buyer_filters_read_the_customer_table_in_the_list_statement(client, make_order, statements):
    wang = make_order(buyer_name="Wang Fang", buyer_email="Wang.Fang@example.com", customer_ref="C-7")
    make_order(buyer_name="Chen Jie", buyer_email="chen@example.com", customer_ref="C-8")
    urls = ["/admin/orders/?flt0_buyer_contains=fang", "/admin/orders/?flt0_buyer_email_equals=wang.fang@EXAMPLE.com",
            "/admin/orders/?flt0_customer_equals=C-7", "/admin/orders/items/?flt0_buyer_contains=fang"]
    for url in urls:
        page = client.get(url).text
        assert wang.number in page and "Chen Jie" not in page, url
    few = {url: statements(lambda url=url: client.get(url)) for url in urls}
    for n in range(30):
        make_order(buyer_name=f"Wang Fang {n}", customer_ref="C-7", buyer_email="wang.fang@example.com")
    for url in urls:
        sent = statements(lambda url=url: client.get(url))
        assert len(sent) == len(few[url]), url  # not a query per row
        listing = [s for s in sent if "LIMIT" in s and "shop_customers" in s]
        # The list's own statement filters through the customer table: an IN over its key.
        assert listing and all("IN (SELECT shop_customers.id" in " ".join(s.split()) for s in listing), url


def test_the_order_page_shows_the_buyer_from_the_customer_table(client, make_order):
    order = make_order(buyer_name="Zhou Min 周敏", buyer_email="zhou@example.com", buyer_phone="+86 139",
                       buyer_address="88 Huaihai Rd", customer_ref="C-42")
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    buyer = re.search(r'class="order-admin-buyer.*?</section>', page, re.S).group(0)
    for text in ("Zhou Min 周敏", "zhou@example.com", "+86 139", "88 Huaihai Rd", "flt0_customer_equals=C-42"):
        assert text in buyer


def test_a_big_export_runs_as_a_job_on_the_shops_tables(app, client, make_order, configure, form_fields, tmp_path,
                                                        session):
    import time

    import xlrd

    from flask_order_admin.models import ExportRecord

    configure(export_storage=str(tmp_path / "exports"), export_inline_rows=3)  # more rows than 3: a job
    shipped = [make_order("shipped", items=3) for _ in range(2)]
    make_order("processing", items=1)
    page = client.get("/admin/orders/?flt0_status_equals=shipped").text
    fields = {**form_fields(page, "export-matching-form"), "format": "xls"}
    response = client.post("/admin/orders/export-matching/?flt0_status_equals=shipped", data=fields)
    assert response.status_code == 302 and response.location.startswith("/admin/orders/exports/")
    export_id = int(response.location.split("/")[4])
    deadline = time.monotonic() + 30
    while (state := session.scalar(select(ExportRecord.state).where(ExportRecord.id == export_id))) != "done":
        assert time.monotonic() < deadline and state not in ("failed", "canceled"), state
        session.rollback()
        time.sleep(0.05)
    download = client.get(f"/admin/orders/exports/{export_id}/download/")
    sheet = xlrd.open_workbook(file_contents=download.data).sheet_by_index(0)
    numbers = {sheet.cell_value(r, 2) for r in range(1, sheet.nrows - 1)}
    assert numbers == {order.number for order in shipped} and sheet.nrows == 1 + 6 + 1
    # One order's job: its file is named by the shop's own number.
    big = make_order("processing", items=5)
    order_page = client.get(f"/admin/orders/{big.id}/export/").text
    response = client.post(f"/admin/orders/{big.id}/export/", data={
        **form_fields(order_page, "export-order-form"), "format": "xls"})
    export_id = int(response.location.split("/")[4])
    deadline = time.monotonic() + 30
    while session.scalar(select(ExportRecord.state).where(ExportRecord.id == export_id)) != "done":
        assert time.monotonic() < deadline
        session.rollback()
        time.sleep(0.05)
    download = client.get(f"/admin/orders/exports/{export_id}/download/")
    assert f"filename={big.number}.xls" in download.headers["Content-Disposition"]
    for runner in list(app.extensions["order_admin"]._runners.values()):
        if hasattr(runner, "shutdown"):
            runner.shutdown(wait=True)
    app.extensions["order_admin"]._runners.clear()
