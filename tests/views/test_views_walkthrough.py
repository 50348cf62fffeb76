"""The rough edges found walking through the panel as a new manager would (issue 14, item 7): each test
here failed on the code before its fix."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from flask_order_admin.services import merge
from tests.conftest import item_fields
from tests.faults import fault_at, raises, reads_from


def cells(page: str, column: str) -> list[str]:
    """The text of a list column's cells, top to bottom."""
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(rf'<td class="col-{column}">(.*?)</td>', page, re.S)]


@pytest.mark.parametrize("desc", ["0", "1"])
def test_the_items_list_sorts_price_by_the_price_it_shows(client, make_order, desc):
    """The Price column shows the discount price where there is one; it sorted by the item price."""
    lines = [
        item_fields(0, price=Decimal("100.00"), discount_price=Decimal("10.00")),  # shows 10.00
        item_fields(1, price=Decimal("50.00"), discount_price=None),  # shows 50.00
        item_fields(2, price=Decimal("80.00"), discount_price=Decimal("70.00")),  # shows 70.00
        item_fields(3, price=Decimal("20.00"), discount_price=None),  # shows 20.00
    ]
    make_order("processing", items=lines)
    page = client.get("/admin/orders/items/", query_string={"sort": "6", "desc": desc}).text
    shown = [Decimal(re.search(r"[\d,]+\.\d\d", text).group(0).replace(",", "")) for text in cells(page, "price")]
    assert len(shown) == 4
    assert shown == sorted(shown, reverse=desc == "1"), shown


def test_a_completed_order_explains_its_disabled_actions_once(client, make_order):
    order = make_order("completed")
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    menu = re.search(r'<div class="dropdown-menu" aria-labelledby="order-actions">(.*?)</div>\s*</div>', page,
                     re.S).group(1)
    assert "order-admin-reason" not in menu  # no grey paragraph per disabled action
    assert len(re.findall(r'<button type="button" class="dropdown-item" disabled', menu)) == 4
    notes = re.findall(r'id="order-actions-note">(.*?)</p>', menu, re.S)
    assert notes == ["A completed order can only be exported."]
    # Each disabled action keeps its own reason, in its tooltip.
    assert 'title="Only orders in status Canceled can be restored; this order is Completed."' in menu


def test_a_processing_order_shows_why_each_action_is_unavailable_without_hover(client, make_order):
    """The reasons were only in tooltips ("point at one to see why"): a phone has no pointer to hover with."""
    order = make_order("processing", customer_ref="lonely", buyer_email="lonely@example.com")
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    assert not re.findall(r'id="order-actions-note">(.*?)</p>', page, re.S)
    reasons = re.findall(r'<small class="order-admin-reason" id="order-actions-reason-\d+">(.*?)</small>', page, re.S)
    assert len(reasons) == 2
    assert reasons[0] == "Only orders in status Canceled can be restored; this order is Processing."
    assert "merged" in reasons[1] or "merge" in reasons[1]


def test_from_order_links_never_wrap_mid_number(client, make_order, session):
    added = make_order("awaiting_payment", items=2)
    basic = make_order("awaiting_payment", items=1)
    merge(session, added.id, basic.id, actor="manager")
    page = client.get("/admin/orders/details/", query_string={"id": basic.id}).text
    items = re.search(r'id="pane-items".*?</table>', page, re.S).group(0)
    links = re.findall(rf'<a [^>]*>{re.escape(added.number)}</a>', items)
    assert len(links) == 2 and all("text-nowrap" in link for link in links), links


@pytest.mark.parametrize("path", ["/admin/orders/", "/admin/orders/items/"])
def test_a_page_past_the_end_goes_to_the_last_page(client, make_order, path):
    for _ in range(21):
        make_order("processing", items=1)
    response = client.get(path, query_string={"page": "999", "page_size": "20", "flt0_status_equals": "processing"})
    assert response.status_code == 302
    where = urlsplit(response.location)
    assert (where.path, parse_qs(where.query)) == (
        path, {"page": ["1"], "page_size": ["20"], "flt0_status_equals": ["processing"]})
    last = client.get(response.location).text
    assert len(re.findall(r'name="rowid"', last)) == 1
    response = client.get(path, query_string={"page": "5", "flt0_status_equals": "shipped"})  # nothing matches
    assert (response.status_code, response.location) == (302, f"{path}?flt0_status_equals=shipped")


def test_unknown_addresses_and_a_get_on_a_button_get_the_panels_own_pages(client, make_order):
    order = make_order("processing")
    for path in ("/admin/orders/no-such-page", "/admin/orders/items/nope/", "/admin/orders/exports/999999/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert 'id="error-page" data-status="404"' in response.text and "Page not found" in response.text
        assert 'class="navbar' in response.text  # Flask-Admin's layout: the menu, the way back
        assert response.headers["X-Frame-Options"] == "DENY"
    for path in (f"/admin/orders/{order.id}/close/", f"/admin/orders/{order.id}/close"):
        response = client.get(path)
        assert response.status_code == 405, path
        assert response.headers["Allow"] == "POST"
        assert 'id="error-page" data-status="405"' in response.text
    assert client.get("/admin/orders/search").status_code == 308  # the router's slash redirect still works


def test_the_hosts_own_pages_keep_the_hosts_error_pages(client, anonymous):
    response = client.get("/no-such-page-of-the-host")
    assert response.status_code == 404 and 'id="error-page"' not in response.text
    to_login = anonymous.get("/admin/orders/no-such-page")  # nothing is said to a visitor who is not logged in
    assert to_login.status_code == 302 and to_login.location.startswith("/login")


def test_the_active_tab_lives_in_the_address(client, make_order):
    order = make_order("processing")
    page = client.get("/admin/orders/details/", query_string={"id": order.id, "tab": "history"}).text
    tabs = dict(re.findall(r'<a class="nav-link[^"]*" id="tab-(\w+)"[^>]*href="([^"]+)"', page))
    assert set(tabs) == {"items", "history", "comments"}
    for name, href in tabs.items():
        assert f"tab={name}" in href and f"id={order.id}" in href
    assert re.search(r'<a class="nav-link active" id="tab-history"', page)
    assert re.search(r'class="tab-pane active" id="pane-history"', page)


def test_a_failure_inside_the_panel_gets_the_panels_error_page(app, db, client, make_order, orders, monkeypatch):
    order = make_order("processing")
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production
    with fault_at(db.engine, reads_from(orders.binding.events.name),
                  raises(RuntimeError("the history table is gone"))) as sent:
        response = client.get("/admin/orders/details/", query_string={"id": order.id})
    assert reads_from(orders.binding.events.name)(sent[-1]), "the page never read the history"
    assert response.status_code == 500
    assert 'id="error-page" data-status="500"' in response.text and "nothing was changed" in response.text
    assert "the history table is gone" not in response.text
    assert response.headers["X-Frame-Options"] == "DENY"
