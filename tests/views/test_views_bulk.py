"""Bulk Cancel, Close and Restore from both lists: Flask-Admin's "With selected" action and "all matching",
a real confirm screen, the result page with each refusal, the access rule per order, the cap."""

from __future__ import annotations

import re
from decimal import Decimal as D

from flask_order_admin.domain import OrderStatus
from flask_order_admin.pricing import Price
from tests.model_sets import current_orders

LIST_URL = "/admin/orders/?flt0_status_equals=shipped"


def status(session, order):
    return current_orders(session).status(order.id)


def row_ids(page: str) -> list[str]:
    return re.findall(r'name="rowid" class="action-checkbox" value="([^"]+)"', page)


def tick(client, form_fields, list_url, action, ids):
    """Post the list's "With selected" action form for ``ids``: the confirm screen."""
    page = client.get(list_url).text
    fields = {**form_fields(page, "action_form"), "action": action, "rowid": [str(i) for i in ids]}
    return client.post(list_url.split("?")[0] + "action/", data=fields)


def say_yes(client, page, form_fields, **extra):
    fields = {**form_fields(page, "confirm-form"), **extra}
    order_ids = re.findall(r'<input type="hidden" name="order_id" value="(\d+)">', page)
    post_url = re.search(r'<form method="POST" action="([^"]+)" id="confirm-form"', page).group(1)
    return client.post(post_url.replace("&amp;", "&"), data={**fields, "order_id": order_ids})


def test_the_bulk_actions_are_flask_admin_actions_of_both_lists(client):
    for url in ("/admin/orders/", "/admin/orders/items/"):
        page = client.get(url).text
        for name in ("bulk_cancel", "bulk_close", "bulk_restore"):
            assert f"modelActions.execute('{name}')" in page
        assert "Close selected orders" in page and 'id="bulk-matching"' in page


def test_close_selected_confirms_then_reports_closed_and_refused(client, make_order, session, form_fields,
                                                                 signals_sent):
    shipped = [make_order("shipped", items=1) for _ in range(3)]
    canceled = make_order("canceled", items=1)
    confirm = tick(client, form_fields, LIST_URL, "bulk_close", [o.id for o in shipped] + [canceled.id])
    assert confirm.status_code == 200
    page = confirm.text
    assert "Are you sure you want to close 4 orders?" in page
    assert all(o.number in page for o in shipped + [canceled])  # the sample
    assert "can be closed; this order is Canceled." in page  # the canceled one will be refused, said before Yes
    assert {status(session, o) for o in shipped} == {OrderStatus.SHIPPED}  # the confirm screen changed nothing

    result = say_yes(client, page, form_fields)
    assert result.status_code == 200
    assert re.search(r'id="bulk-summary">3 closed, 1 refused<', result.text)
    refused = re.search(r'<table class="table table-sm" id="bulk-refused">.*?</table>', result.text, re.S).group(0)
    assert canceled.number in refused and "this order is Canceled" in refused
    back = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)" id="bulk-back">', result.text).group(1)
    assert back.startswith("/admin/orders/?") and "flt0_status_equals=shipped" in back  # the same list
    assert {status(session, o) for o in shipped} == {OrderStatus.COMPLETED}
    assert status(session, canceled) == OrderStatus.CANCELED
    assert sum(1 for name, *_ in signals_sent if name == "order-closed") == 3


def test_cancel_all_matching_takes_the_reason_and_the_filters(client, make_order, session, form_fields):
    wanted = [make_order("processing", items=1) for _ in range(2)]
    other = make_order("awaiting_payment", items=1)
    page = client.get("/admin/orders/bulk/cancel/?flt0_status_equals=processing")
    assert page.status_code == 200
    assert "Are you sure you want to cancel 2 orders?" in page.text and other.number not in page.text
    assert 'name="reason"' in page.text
    result = say_yes(client, page.text, form_fields, reason="Supplier closed")
    assert re.search(r'id="bulk-summary">2 canceled, 0 refused<', result.text)
    orders = current_orders(session)
    for order in wanted:
        assert orders.status(order.id) == OrderStatus.CANCELED
        assert orders.events(order.id)[-1].details == {"reason": "Supplier closed"}
    assert orders.status(other.id) == OrderStatus.AWAITING_PAYMENT


def test_restore_from_the_items_tab_refuses_orders_whose_items_are_gone(client, make_order, session, form_fields,
                                                                      use_resolver):
    sold, gone = make_order("canceled", items=1), make_order("canceled", items=1)
    orders = current_orders(session)
    gone_line = orders.line(gone.items[0]).id
    use_resolver(lambda item, at: None if orders.line(item).id == gone_line else Price(D("3.00")))
    items_page = client.get("/admin/orders/items/?flt0_status_equals=canceled").text
    confirm = tick(client, form_fields, "/admin/orders/items/?flt0_status_equals=canceled", "bulk_restore",
                   row_ids(items_page))
    assert "Are you sure you want to restore 2 orders?" in confirm.text
    result = say_yes(client, confirm.text, form_fields)
    assert re.search(r'id="bulk-summary">1 restored, 1 refused<', result.text)
    assert "no longer sold" in result.text and gone.number in result.text
    assert orders.status(sold.id) == OrderStatus.AWAITING_PAYMENT
    assert orders.status(gone.id) == OrderStatus.CANCELED


def test_the_access_rule_is_asked_per_order(client, make_order, session, configure, form_fields):
    mine, theirs = make_order("shipped", customer_ref="mine"), make_order("shipped", customer_ref="theirs")
    orders = current_orders(session)
    configure(access=lambda action, order: order is None or action != "close"
              or orders.get(orders.id_of(order)).customer_ref == "mine")
    confirm = tick(client, form_fields, LIST_URL, "bulk_close", [mine.id, theirs.id])
    result = say_yes(client, confirm.text, form_fields)
    assert re.search(r'id="bulk-summary">1 closed, 1 refused<', result.text)
    assert "You are not allowed to close this order." in result.text
    assert status(session, mine) == OrderStatus.COMPLETED and status(session, theirs) == OrderStatus.SHIPPED


def test_a_user_who_may_not_close_at_all_gets_no_bulk_close(client, make_order, configure, form_fields):
    order = make_order("shipped")
    page = client.get("/admin/orders/").text
    configure(access=lambda action, order: action != "close")
    assert "modelActions.execute('bulk_close')" not in client.get("/admin/orders/").text
    assert client.get("/admin/orders/bulk/close/").status_code == 403
    fields = {**form_fields(page, "action_form"), "scope": "selected", "order_id": [order.id]}
    assert client.post("/admin/orders/bulk/close/run/", data=fields).status_code == 403


def test_the_cap_stops_the_confirm_screen_and_the_post(client, make_order, session, configure, form_fields):
    made = [make_order("shipped", items=1) for _ in range(3)]
    configure(bulk_action_limit=2)
    page = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    assert 'id="bulk-too-many"' in page and 'id="confirm-yes"' not in page
    token = form_fields(client.get("/admin/orders/").text, "action_form")["csrf_token"]
    forged = client.post("/admin/orders/bulk/close/run/", follow_redirects=True, data={
        "csrf_token": token, "scope": "selected", "url": LIST_URL, "order_id": [o.id for o in made]})
    assert "one bulk action changes at most 2" in forged.text
    assert {status(session, o) for o in made} == {OrderStatus.SHIPPED}


def test_posts_without_csrf_and_gets_on_the_post_url_change_nothing(client, make_order, session):
    order = make_order("shipped")
    assert client.get("/admin/orders/bulk/close/run/").status_code == 405
    refused = client.post("/admin/orders/bulk/close/run/", data={"scope": "selected", "order_id": [order.id]})
    assert refused.status_code == 400
    assert status(session, order) == OrderStatus.SHIPPED


def test_a_bulk_close_makes_as_many_statements_for_many_orders_as_for_few(client, make_order, form_fields,
                                                                         count_statements):
    """One chunk: the statements do not grow with the orders closed."""
    few = [make_order("shipped", items=1) for _ in range(2)]
    page = client.get(LIST_URL).text
    token = form_fields(page, "action_form")["csrf_token"]

    def close(orders):
        return lambda: client.post("/admin/orders/bulk/close/run/", data={
            "csrf_token": token, "scope": "selected", "url": LIST_URL, "order_id": [o.id for o in orders]})

    few_statements = count_statements(close(few))
    many = [make_order("shipped", items=1) for _ in range(20)]
    assert count_statements(close(many)) == few_statements


def test_the_confirm_screen_makes_as_many_statements_for_many_orders_as_for_few(client, make_order,
                                                                               count_statements):
    """The count, a sample of ten with their totals: a fixed number of statements."""
    for _ in range(2):
        make_order("shipped", items=2)
    few = count_statements(lambda: client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped"))
    for _ in range(25):
        make_order("shipped", items=3)
    page = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    assert "The first 10 of 27 orders" in page and page.count('class="badge') == 10
    assert count_statements(lambda: client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped")) == few
