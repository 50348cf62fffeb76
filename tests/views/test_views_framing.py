"""No plugin page may be framed (clickjacking): every response of every plugin view, pages, redirects,
downloads and refusals alike, carries ``X-Frame-Options: DENY`` and CSP ``frame-ancestors 'none'``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask, after_this_request
from werkzeug.wrappers import Response

from flask_order_admin.models import ExportRecord, ExportState
from tests.views.conftest import hidden_fields

ORDERS, ITEMS, EXPORTS = "/admin/orders", "/admin/orders/items", "/admin/orders/exports"


@dataclass(frozen=True)
class Ids:
    """The orders a case may use: ``open`` (processing, notes allowed), ``basic`` (it can be merged into),
    ``canceled``, and the CSRF token of the client's session."""

    open: int
    basic: int
    canceled: int
    item: int
    export: int
    csrf: str
    cancel_processing: str  # the signed orders of a bulk Cancel confirm screen (of the processing orders)
    close_processing: str  # the same, of a bulk Close on the items tab
    bulk_result: str  # the path of a bulk action's result page, made by this client


Case = tuple[str, str, str, Callable[[Ids], dict[str, Any]]]  # endpoint, method, URL (with {ids}), form data

NO_DATA: Callable[[Ids], dict[str, Any]] = lambda ids: {}  # noqa: E731
CASES: dict[str, Case] = {
    "orders list": ("order_admin_orders.index_view", "GET", ORDERS + "/?flt0_status_equals=processing", NO_DATA),
    "order page": ("order_admin_orders.details_view", "GET", ORDERS + "/details/?id={ids.open}&tab=history", NO_DATA),
    "order page of no order: redirect": ("order_admin_orders.details_view", "GET", ORDERS + "/details/?id=0", NO_DATA),
    "cancel confirm": ("order_admin_orders.confirm_view", "GET", ORDERS + "/{ids.open}/confirm/cancel/", NO_DATA),
    "restore confirm": (
        "order_admin_orders.confirm_view", "GET", ORDERS + "/{ids.canceled}/confirm/restore/", NO_DATA),
    "merge confirm": (
        "order_admin_orders.confirm_view", "GET", ORDERS + "/{ids.open}/confirm/merge/?into={ids.basic}", NO_DATA),
    "refused confirm: redirect": (
        "order_admin_orders.confirm_view", "GET", ORDERS + "/{ids.canceled}/confirm/close/", NO_DATA),
    "cancel: redirect": ("order_admin_orders.run_action_view", "POST", ORDERS + "/{ids.open}/cancel/",
                         lambda ids: {"csrf_token": ids.csrf, "version": 1, "reason": "buyer asked"}),
    "post without a CSRF token: 400": (
        "order_admin_orders.run_action_view", "POST", ORDERS + "/{ids.open}/close/", lambda ids: {"version": 1}),
    "comment: redirect": ("order_admin_orders.comment_view", "POST", ORDERS + "/{ids.open}/comment/",
                          lambda ids: {"csrf_token": ids.csrf, "text": "called the buyer"}),
    "note edit, no such note: 404": (
        "order_admin_orders.comment_edit_view", "POST", ORDERS + "/{ids.open}/comment/999999/edit/",
        lambda ids: {"note-999999-csrf_token": ids.csrf, "note-999999-text": "changed"}),
    "note delete confirm, no such note: 404": (
        "order_admin_orders.comment_delete_confirm_view", "GET", ORDERS + "/{ids.open}/comment/999999/delete/", NO_DATA),
    "note delete, no such note: 404": ("order_admin_orders.comment_delete_view", "POST",
                                       ORDERS + "/{ids.open}/comment/999999/delete/",
                                       lambda ids: {"csrf_token": ids.csrf}),
    "merge view": ("order_admin_orders.merge_candidates_view", "GET", ORDERS + "/{ids.open}/merge-candidates/", NO_DATA),
    "unknown page: the panel's 404": ("order_admin_orders.unknown_page_view", "GET", ORDERS + "/no-such-page",
                                      NO_DATA),
    "GET on a button's address: the panel's 405": (
        "order_admin_orders.unknown_page_view", "GET", ORDERS + "/{ids.open}/close", NO_DATA),
    "search results": ("order_admin_orders.search_view", "GET", ORDERS + "/search/?q=98765", NO_DATA),
    "search, one match: redirect": ("order_admin_orders.search_view", "GET", ORDERS + "/search/?q={ids.open}", NO_DATA),
    "order export download": ("order_admin_orders.export_order_view", "GET", ORDERS + "/{ids.open}/export/", NO_DATA),
    "export matching download": ("order_admin_orders.export_matching_view", "POST", ORDERS + "/export-matching/",
                                 lambda ids: {"csrf_token": ids.csrf, "format": "xls"}),
    "order export job start: redirect": ("order_admin_orders.export_order_job_view", "POST",
                                         ORDERS + "/{ids.open}/export/", lambda ids: {"csrf_token": ids.csrf,
                                                                                     "format": "xls"}),
    "export selected download": ("order_admin_orders.action_view", "POST", ORDERS + "/action/",
                                 lambda ids: {"csrf_token": ids.csrf, "action": "export_selected", "rowid": ids.open}),
    "bulk close selected: confirm screen": (
        "order_admin_orders.action_view", "POST", ORDERS + "/action/",
        lambda ids: {"csrf_token": ids.csrf, "action": "bulk_close", "rowid": ids.open}),
    "bulk close all matching: confirm screen": (
        "order_admin_orders.bulk_matching_view", "GET", ORDERS + "/bulk/close/?flt0_status_equals=processing", NO_DATA),
    "bulk cancel: redirect to the result": (
        "order_admin_orders.bulk_run_view", "POST", ORDERS + "/bulk/cancel/run/",
        lambda ids: {"csrf_token": ids.csrf, "orders": ids.cancel_processing, "reason": "supplier closed"}),
    "bulk result page": ("order_admin_orders.bulk_result_view", "GET", "{ids.bulk_result}", NO_DATA),
    "bulk result page, no such result: redirect": (
        "order_admin_items.bulk_result_view", "GET", ITEMS + "/bulk/result/" + "x" * 32 + "/", NO_DATA),
    "items bulk restore all matching: confirm screen": (
        "order_admin_items.bulk_matching_view", "GET", ITEMS + "/bulk/restore/?flt0_status_equals=canceled", NO_DATA),
    "items bulk close all matching: redirect to the result": (
        "order_admin_items.bulk_run_view", "POST", ITEMS + "/bulk/close/run/",
        lambda ids: {"csrf_token": ids.csrf, "orders": ids.close_processing}),
    "Flask-Admin's create (disabled): redirect": ("order_admin_orders.create_view", "GET", ORDERS + "/new/", NO_DATA),
    "Flask-Admin's edit (disabled): redirect": (
        "order_admin_orders.edit_view", "GET", ORDERS + "/edit/?id={ids.open}", NO_DATA),
    "Flask-Admin's delete (disabled): redirect": ("order_admin_orders.delete_view", "POST", ORDERS + "/delete/",
                                                  lambda ids: {"csrf_token": ids.csrf, "id": ids.open}),
    "Flask-Admin's export (disabled)": ("order_admin_orders.export", "GET", ORDERS + "/export/csv/", NO_DATA),
    "Flask-Admin's ajax lookup": ("order_admin_orders.ajax_lookup", "GET", ORDERS + "/ajax/lookup/?name=x", NO_DATA),
    "Flask-Admin's ajax update": ("order_admin_orders.ajax_update", "POST", ORDERS + "/ajax/update/",
                                  lambda ids: {"csrf_token": ids.csrf, "list_form_pk": ids.open}),
    "items tab": ("order_admin_items.index_view", "GET", ITEMS + "/?flt0_status_equals=processing", NO_DATA),
    "items export matching download": (
        "order_admin_items.export_matching_view", "POST", ITEMS + "/export-matching/",
        lambda ids: {"csrf_token": ids.csrf, "format": "xls"}),
    "items export selected download": ("order_admin_items.action_view", "POST", ITEMS + "/action/",
                                       lambda ids: {"csrf_token": ids.csrf, "action": "export_selected",
                                                    "rowid": ids.item}),
    "items details (disabled): redirect": (
        "order_admin_items.details_view", "GET", ITEMS + "/details/?id={ids.item}", NO_DATA),
    "items create (disabled): redirect": ("order_admin_items.create_view", "GET", ITEMS + "/new/", NO_DATA),
    "items edit (disabled): redirect": ("order_admin_items.edit_view", "GET", ITEMS + "/edit/?id={ids.item}", NO_DATA),
    "items delete (disabled): redirect": ("order_admin_items.delete_view", "POST", ITEMS + "/delete/",
                                          lambda ids: {"csrf_token": ids.csrf, "id": ids.item}),
    "items export (disabled)": ("order_admin_items.export", "GET", ITEMS + "/export/csv/", NO_DATA),
    "items ajax lookup": ("order_admin_items.ajax_lookup", "GET", ITEMS + "/ajax/lookup/?name=x", NO_DATA),
    "items ajax update": ("order_admin_items.ajax_update", "POST", ITEMS + "/ajax/update/",
                          lambda ids: {"csrf_token": ids.csrf, "list_form_pk": ids.item}),
    "my exports": ("order_admin_exports.index_view", "GET", EXPORTS + "/", NO_DATA),
    "export progress": ("order_admin_exports.progress_view", "GET", EXPORTS + "/{ids.export}/", NO_DATA),
    "export status poll": ("order_admin_exports.status_view", "GET", EXPORTS + "/{ids.export}/status.json", NO_DATA),
    "export cancel: redirect": ("order_admin_exports.cancel_view", "POST", EXPORTS + "/{ids.export}/cancel/",
                                lambda ids: {"csrf_token": ids.csrf}),
    "export run again: redirect": ("order_admin_exports.again_view", "POST", EXPORTS + "/{ids.export}/again/",
                                   lambda ids: {"csrf_token": ids.csrf}),
    "export file download": ("order_admin_exports.download_view", "GET", EXPORTS + "/{ids.export}/download/",
                             NO_DATA),
    "exports action": ("order_admin_exports.action_view", "POST", EXPORTS + "/action/",
                       lambda ids: {"csrf_token": ids.csrf, "action": "nothing", "rowid": ids.export}),
    "exports details (disabled): redirect": (
        "order_admin_exports.details_view", "GET", EXPORTS + "/details/?id={ids.export}", NO_DATA),
    "exports create (disabled): redirect": ("order_admin_exports.create_view", "GET", EXPORTS + "/new/", NO_DATA),
    "exports edit (disabled): redirect": (
        "order_admin_exports.edit_view", "GET", EXPORTS + "/edit/?id={ids.export}", NO_DATA),
    "exports delete (disabled): redirect": ("order_admin_exports.delete_view", "POST", EXPORTS + "/delete/",
                                            lambda ids: {"csrf_token": ids.csrf, "id": ids.export}),
    "exports export (disabled)": ("order_admin_exports.export", "GET", EXPORTS + "/export/csv/", NO_DATA),
    "exports ajax lookup": ("order_admin_exports.ajax_lookup", "GET", EXPORTS + "/ajax/lookup/?name=x", NO_DATA),
    "exports ajax update": ("order_admin_exports.ajax_update", "POST", EXPORTS + "/ajax/update/",
                            lambda ids: {"csrf_token": ids.csrf, "list_form_pk": ids.export}),
}


def assert_framing_forbidden(response: Any) -> None:
    assert response.headers.get("X-Frame-Options") == "DENY"
    assert response.headers.getlist("Content-Security-Policy") == ["frame-ancestors 'none'"]


@pytest.fixture
def ids(client: Any, make_order: Callable[..., Any], session: Any) -> Ids:
    order = make_order("processing", items=1)
    basic = make_order("processing", items=1)
    canceled = make_order("canceled", items=1)
    export = ExportRecord(actor="manager", source="order", description="one order",
                          order_count=1, runner="inline", state=ExportState.DONE, rows_total=1, rows_written=1)
    session.add(export)
    session.commit()
    shipped = make_order("shipped", items=1)
    page = client.get(f"{ORDERS}/details/", query_string={"id": order.id}).text
    csrf = hidden_fields(page, "comment-form")["csrf_token"]

    def signed_orders(url: str) -> str:
        return hidden_fields(client.get(url).text, "confirm-form")["orders"]

    result = client.post(f"{ORDERS}/bulk/close/run/", data={
        "csrf_token": csrf, "orders": signed_orders(f"{ORDERS}/bulk/close/?flt0_status_equals=shipped")})
    return Ids(order.id, basic.id, canceled.id, order.items[0].id, export.id, csrf,
               signed_orders(f"{ORDERS}/bulk/cancel/?flt0_status_equals=processing"),
               signed_orders(f"{ITEMS}/bulk/close/?flt0_status_equals=processing"), result.location)


def send(test_client: Any, case: Case, ids: Ids) -> Any:
    _, method, url, data = case
    return test_client.open(url.format(ids=ids), method=method, data=data(ids))


@pytest.mark.parametrize("name", CASES)
def test_every_plugin_response_forbids_framing(client: Any, ids: Ids, name: str) -> None:
    response = send(client, CASES[name], ids)
    assert response.status_code < 500, response.text[:500]
    assert_framing_forbidden(response)


def test_the_cases_cover_every_plugin_url(app: Flask) -> None:
    plugin_endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("order_admin_")}
    assert plugin_endpoints == {endpoint for endpoint, *_ in CASES.values()}


def test_the_cases_cover_pages_redirects_downloads_and_refusals(client: Any, ids: Ids) -> None:
    kinds = set()
    for case in CASES.values():
        response = send(client, case, ids)
        kinds.add(response.status_code // 100 if response.mimetype == "text/html" else response.mimetype)
    assert {2, 3, 4, "application/vnd.ms-excel"} <= kinds


def test_the_login_redirect_forbids_framing(anonymous: Any) -> None:
    to_login = anonymous.get(f"{ORDERS}/")
    assert to_login.status_code == 302 and to_login.location.startswith("/login")
    assert_framing_forbidden(to_login)


def test_a_403_forbids_framing(client: Any, ids: Ids, configure: Callable[..., None]) -> None:
    configure(access=lambda action, order: action != "export")
    denied = client.get(f"{ORDERS}/{ids.open}/export/")
    assert denied.status_code == 403
    assert_framing_forbidden(denied)


def _host_headers(headers: dict[str, str]) -> Callable[[], None]:
    """A before_request that makes every response leave the view with ``headers`` already set."""

    def set_headers() -> None:
        @after_this_request
        def add(response: Response) -> Response:
            response.headers.update(headers)
            return response

    return set_headers


@pytest.mark.parametrize(("host", "expected_csp", "expected_xfo"), [
    ({"Content-Security-Policy": "default-src 'self'"}, ["default-src 'self'; frame-ancestors 'none'"], "DENY"),
    ({"Content-Security-Policy": "default-src 'self';  "}, ["default-src 'self'; frame-ancestors 'none'"], "DENY"),
    ({"Content-Security-Policy": "default-src 'self'; Frame-Ancestors https://intranet.example"},
     ["default-src 'self'; Frame-Ancestors https://intranet.example"], "DENY"),
    ({"X-Frame-Options": "SAMEORIGIN"}, ["frame-ancestors 'none'"], "SAMEORIGIN"),
])
def test_a_hosts_own_headers_are_kept(app: Flask, client: Any, ids: Ids, host: dict[str, str],
                                      expected_csp: list[str], expected_xfo: str) -> None:
    funcs = app.before_request_funcs.setdefault(None, [])
    funcs.append(_host_headers(host))
    try:
        response = client.get(f"{ORDERS}/details/", query_string={"id": ids.open})
    finally:
        funcs.pop()
    assert response.status_code == 200
    assert response.headers.getlist("Content-Security-Policy") == expected_csp
    assert response.headers.get("X-Frame-Options") == expected_xfo


def test_pages_outside_the_plugin_are_left_to_the_host(anonymous: Any) -> None:
    response = anonymous.get("/login")
    assert "X-Frame-Options" not in response.headers and "Content-Security-Policy" not in response.headers
