"""Bulk Cancel, Close and Restore from both lists: Flask-Admin's "With selected" action and "all matching", a
confirm screen that counts what will change and what will be skipped (grouped by reason), a Yes that acts only
on the orders it counted and unchanged since, a result page reached by a redirect (a reload repeats nothing)
and shown to its manager only, the access rule per order, the cap."""

from __future__ import annotations

import html
import re
from decimal import Decimal as D

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.pricing import Price
from flask_order_admin.views.bulk import PAGE_ROWS
from tests.hostile.conftest import log_in
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


def yes_fields(page, form_fields, **extra):
    """The confirm screen's Yes form as a browser posts it: its hidden fields (CSRF, the signed orders, the
    list), and ``extra``; with its URL."""
    post_url = re.search(r'<form method="POST" action="([^"]+)" id="confirm-form"', page).group(1)
    return html.unescape(post_url), {**form_fields(page, "confirm-form"), **extra}


def say_yes(client, page, form_fields, **extra):
    """Yes, then the result page the POST redirects to."""
    post_url, fields = yes_fields(page, form_fields, **extra)
    posted = client.post(post_url, data=fields)
    assert posted.status_code == 303 and re.search(r"/admin/orders/(items/)?bulk/result/[\w-]+/$", posted.location)
    return client.get(posted.location)


def listed(page, element_id):
    """The order numbers in the block ``element_id`` (a confirm or result screen's group), in order."""
    block = re.search(rf'<(?:ul|div)[^>]*id="{element_id}".*?(?=<h5|<a class="btn|<table|\Z)', page, re.S).group(0)
    return re.findall(r'class="text-nowrap order-admin-order-link">([^<]+)</a>', block)


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
    assert re.search(r'id="bulk-counts">3 orders will change, 1 will be skipped<', page)
    assert re.search(r'id="confirm-yes">Close 3 orders<', page)
    assert listed(page, "bulk-changing") == [o.number for o in shipped]
    assert listed(page, "bulk-skipped") == [canceled.number]
    assert "can be closed; this order is Canceled." in page  # the canceled one will be skipped, said before Yes
    assert {status(session, o) for o in shipped} == {OrderStatus.SHIPPED}  # the confirm screen changed nothing

    result = say_yes(client, page, form_fields)
    assert result.status_code == 200
    assert re.search(r'id="bulk-summary">3 closed, 1 refused<', result.text)
    assert listed(result.text, "bulk-refused") == [canceled.number]
    assert "this order is Canceled" in result.text
    assert listed(result.text, "bulk-done") == [o.number for o in shipped]
    back = re.search(r'<a class="btn btn-outline-secondary" href="([^"]+)" id="bulk-back">', result.text).group(1)
    assert back.startswith("/admin/orders/?") and "flt0_status_equals=shipped" in back  # the same list
    assert {status(session, o) for o in shipped} == {OrderStatus.COMPLETED}
    assert status(session, canceled) == OrderStatus.CANCELED
    assert sum(1 for name, *_ in signals_sent if name == "order-closed") == 3


def test_the_yes_redirects_to_a_result_that_a_reload_shows_and_does_not_repeat(client, make_order, session,
                                                                                form_fields):
    made = [make_order("processing", items=1) for _ in range(2)]
    confirm = tick(client, form_fields, LIST_URL, "bulk_cancel", [o.id for o in made]).text
    post_url, fields = yes_fields(confirm, form_fields)
    posted = client.post(post_url, data=fields)
    assert posted.status_code == 303  # POST-redirect-GET: the POST shows nothing itself
    first, again = client.get(posted.location), client.get(posted.location)
    for shown in (first, again):
        assert shown.status_code == 200 and re.search(r'id="bulk-summary">2 canceled, 0 refused<', shown.text)
    orders = current_orders(session)
    assert [len(orders.events(o.id)) for o in made] == [1, 1]  # one cancel each, whatever the reloads


def test_replaying_the_identical_form_after_a_restore_does_not_cancel_again(client, make_order, session,
                                                                             form_fields, use_resolver):
    """Issue 18: the form carried no versions, so a replay after a restore canceled the order a second time."""
    orders = current_orders(session)
    use_resolver(orders.same_prices)
    order = make_order("processing", items=1)
    confirm = tick(client, form_fields, LIST_URL, "bulk_cancel", [order.id]).text
    post_url, fields = yes_fields(confirm, form_fields)
    client.post(post_url, data=fields)
    assert orders.status(order.id) == OrderStatus.CANCELED
    services.restore(session, order.id, actor="ann")

    replay = client.post(post_url, data=fields)
    result = client.get(replay.location).text
    assert re.search(r'id="bulk-summary">0 canceled, 1 refused<', result)
    assert "Changed since you looked" in result and listed(result, "bulk-refused") == [order.number]
    assert orders.status(order.id) == OrderStatus.AWAITING_PAYMENT
    assert [event.action for event in orders.events(order.id)] == ["cancel", "restore"]


def test_an_order_changed_since_the_confirm_screen_is_skipped_as_changed(client, make_order, session, form_fields,
                                                                        use_resolver):
    orders = current_orders(session)
    use_resolver(orders.same_prices)
    kept, changed, refused = (make_order("processing", items=1), make_order("processing", items=1),
                              make_order("shipped", items=1))
    confirm = tick(client, form_fields, LIST_URL, "bulk_cancel", [kept.id, changed.id, refused.id]).text
    services.cancel(session, changed.id, actor="bob")  # another manager, while the screen is open:
    services.restore(session, changed.id, actor="bob")  # the order is cancelable again, but not as shown

    result = say_yes(client, confirm, form_fields).text
    assert re.search(r'id="bulk-summary">1 canceled, 2 refused<', result)
    reasons = re.findall(r'<p class="mb-1 text-danger order-admin-reason">([^<]+)</p>', result)
    assert len(reasons) == 2 and any(reason.startswith("Changed since you looked") for reason in reasons)
    assert orders.status(kept.id) == OrderStatus.CANCELED
    assert orders.status(changed.id) == OrderStatus.AWAITING_PAYMENT
    assert orders.status(refused.id) == OrderStatus.SHIPPED


def test_all_matching_acts_on_the_orders_the_confirm_screen_counted(client, make_order, session, form_fields):
    """Issue 18: the filters were applied again at Yes, so an order newly matching them was changed unseen."""
    wanted = [make_order("processing", items=1) for _ in range(2)]
    other = make_order("awaiting_payment", items=1)
    page = client.get("/admin/orders/bulk/cancel/?flt0_status_equals=processing")
    assert page.status_code == 200
    assert re.search(r'id="bulk-counts">2 orders will change, 0 will be skipped<', page.text)
    assert other.number not in page.text and 'name="reason"' in page.text
    newcomer = make_order("processing", items=1)  # matches the filters after the screen counted them

    result = say_yes(client, page.text, form_fields, reason="Supplier closed")
    assert re.search(r'id="bulk-summary">2 canceled, 0 refused<', result.text)
    orders = current_orders(session)
    for order in wanted:
        assert orders.status(order.id) == OrderStatus.CANCELED
        assert orders.events(order.id)[-1].details == {"reason": "Supplier closed"}
    assert orders.status(newcomer.id) == OrderStatus.PROCESSING and orders.events(newcomer.id) == []
    assert orders.status(other.id) == OrderStatus.AWAITING_PAYMENT


def test_a_forged_or_foreign_orders_field_changes_nothing(client, make_order, session, form_fields):
    order, other = make_order("processing", items=1), make_order("processing", items=1)
    confirm = tick(client, form_fields, LIST_URL, "bulk_cancel", [order.id]).text
    post_url, fields = yes_fields(confirm, form_fields)
    signed = fields["orders"]
    forged = client.post(post_url, data={**fields, "orders": signed.replace(signed[-3:], "abc")},
                         follow_redirects=True)
    assert "This confirm screen cannot be used" in forged.text
    listed_other = client.post(post_url, data={**fields, "orders": f'{{"action":"cancel","orders":[[{other.id},1]]}}'},
                               follow_redirects=True)
    assert "This confirm screen cannot be used" in listed_other.text
    # A Cancel screen's orders posted to Close (same orders, another action): refused as well.
    foreign = client.post(post_url.replace("/cancel/", "/close/"), data=fields, follow_redirects=True)
    assert "This confirm screen cannot be used" in foreign.text
    assert {status(session, o) for o in (order, other)} == {OrderStatus.PROCESSING}


def test_the_result_is_shown_only_to_the_manager_who_ran_it(app, make_order, session, form_fields):
    manager, colleague = log_in(app, "manager"), log_in(app, "colleague")  # browsers of their own
    order = make_order("shipped", items=1)
    confirm = tick(manager, form_fields, LIST_URL, "bulk_close", [order.id]).text
    post_url, fields = yes_fields(confirm, form_fields)
    result_url = manager.post(post_url, data=fields).location
    assert 'id="bulk-summary">1 closed, 0 refused<' in manager.get(result_url).text

    refused = colleague.get(result_url)
    assert refused.status_code == 302 and refused.location.endswith("/admin/orders/")
    shown = colleague.get(refused.location).text
    assert "This result is no longer kept" in shown and 'id="bulk-summary"' not in shown
    # Even with the key in their session (a copied cookie value), the row names another manager.
    key = result_url.rstrip("/").rsplit("/", 1)[1]
    with colleague.session_transaction() as flask_session:
        flask_session["order_admin_bulk_results"] = [key]
    again = colleague.get(result_url, follow_redirects=True).text
    assert "This result is no longer kept" in again and 'id="bulk-summary"' not in again


def test_restore_from_the_items_tab_refuses_orders_whose_items_are_gone(client, make_order, session, form_fields,
                                                                      use_resolver):
    sold, gone = make_order("canceled", items=1), make_order("canceled", items=1)
    orders = current_orders(session)
    gone_line = orders.line(gone.items[0]).id
    use_resolver(lambda item, at: None if orders.line(item).id == gone_line else Price(D("3.00")))
    items_page = client.get("/admin/orders/items/?flt0_status_equals=canceled").text
    confirm = tick(client, form_fields, "/admin/orders/items/?flt0_status_equals=canceled", "bulk_restore",
                   row_ids(items_page))
    assert re.search(r'id="confirm-yes">Restore 2 orders<', confirm.text)
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
    assert re.search(r'id="bulk-counts">1 order will change, 1 will be skipped<', confirm.text)
    result = say_yes(client, confirm.text, form_fields)
    assert re.search(r'id="bulk-summary">1 closed, 1 refused<', result.text)
    assert "You are not allowed to close this order." in result.text
    assert status(session, mine) == OrderStatus.COMPLETED and status(session, theirs) == OrderStatus.SHIPPED


def test_the_confirm_screen_counts_groups_by_reason_and_lists_every_order(client, make_order, form_fields):
    """Issue 21: it asked "cancel 15 orders?" when 10 would be refused, listed only ten, and repeated a
    refusal's sentence on every row."""
    cancelable = [make_order("processing", items=1) for _ in range(5)]
    shipped = [make_order("shipped", items=1) for _ in range(8)]
    completed = [make_order("completed", items=1) for _ in range(2)]
    made = cancelable + shipped + completed
    page = client.get("/admin/orders/bulk/cancel/").text
    assert re.search(r'id="bulk-counts">5 orders will change, 10 will be skipped<', page)
    assert re.search(r'id="confirm-yes">Cancel 5 orders<', page)
    reasons = re.findall(r'<p class="mb-1 text-danger order-admin-reason">([^<]+)</p>', page)
    assert len(reasons) == 2  # one line per reason, not per order
    assert all(reason.count("can be canceled") == 1 for reason in reasons)
    assert sorted(listed(page, "bulk-skipped")) == sorted(o.number for o in shipped + completed)
    assert sorted(listed(page, "bulk-changing")) == sorted(o.number for o in cancelable)
    assert table_numbers(page) == [o.number for o in made]  # every one, not ten; oldest first


def table_numbers(page):
    """The order numbers of the confirm screen's table, page after page."""
    table = page[page.index('id="bulk-orders"'):]
    return re.findall(r'<td class="text-nowrap"><a [^>]*>([^<]+)</a>', table)


def test_the_confirm_screen_pages_its_table_past_a_screenful(client, make_order):
    made = [make_order("shipped", items=1) for _ in range(PAGE_ROWS * 2 + 3)]
    page = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    sections = re.findall(r'<section class="order-admin-page" id="bulk-page-(\d+)">(.*?)</section>', page, re.S)
    assert [number for number, _ in sections] == ["1", "2", "3"]
    rows = [len(re.findall(r'<td class="text-nowrap">', body)) for _, body in sections]
    assert rows == [PAGE_ROWS, PAGE_ROWS, 3]
    assert f"Orders {PAGE_ROWS * 2 + 1}–{PAGE_ROWS * 2 + 3} of {len(made)}" in sections[2][1]
    assert re.findall(r'href="#bulk-page-(\d)"', sections[0][1]) == ["1", "2", "3"]
    assert 'aria-current="page">3<' in sections[2][1]
    assert sorted(table_numbers(page)) == sorted(o.number for o in made)


def test_no_yes_when_nothing_would_change(client, make_order, form_fields):
    shipped = make_order("shipped", items=1)
    page = tick(client, form_fields, LIST_URL, "bulk_cancel", [shipped.id]).text
    assert re.search(r'id="bulk-counts">0 orders will change, 1 will be skipped<', page)
    assert 'id="confirm-yes"' not in page and 'id="confirm-form"' not in page
    assert re.search(r'id="confirm-no">Back to orders list<', page)


def test_a_user_who_may_not_close_at_all_gets_no_bulk_close(client, make_order, configure, form_fields):
    order = make_order("shipped")
    confirm = tick(client, form_fields, LIST_URL, "bulk_close", [order.id]).text
    post_url, fields = yes_fields(confirm, form_fields)
    configure(access=lambda action, order: action != "close")
    assert "modelActions.execute('bulk_close')" not in client.get("/admin/orders/").text
    assert client.get("/admin/orders/bulk/close/").status_code == 403
    assert client.post(post_url, data=fields).status_code == 403


def test_the_cap_stops_the_confirm_screen_and_the_post(client, make_order, session, configure, form_fields):
    made = [make_order("shipped", items=1) for _ in range(3)]
    confirm = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    post_url, fields = yes_fields(confirm, form_fields)
    configure(bulk_action_limit=2)
    page = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    assert 'id="bulk-too-many"' in page and 'id="confirm-yes"' not in page
    stale = client.post(post_url, follow_redirects=True, data=fields)  # a screen from before the cap was lowered
    assert "one bulk action changes at most 2" in stale.text
    assert {status(session, o) for o in made} == {OrderStatus.SHIPPED}


def test_posts_without_csrf_and_gets_on_the_post_url_change_nothing(client, make_order, session, form_fields):
    order = make_order("shipped")
    confirm = tick(client, form_fields, LIST_URL, "bulk_close", [order.id]).text
    post_url, fields = yes_fields(confirm, form_fields)
    assert client.get(post_url).status_code == 405
    fields.pop("csrf_token")
    assert client.post(post_url, data=fields).status_code == 400
    assert status(session, order) == OrderStatus.SHIPPED


def test_a_bulk_close_makes_as_many_statements_for_many_orders_as_for_few(client, make_order, form_fields,
                                                                         count_statements):
    """One chunk: the statements do not grow with the orders closed (the result kept in one row)."""

    def close(orders):
        post_url, fields = yes_fields(tick(client, form_fields, LIST_URL, "bulk_close", [o.id for o in orders]).text,
                                      form_fields)
        return lambda: client.post(post_url, data=fields)

    few_statements = count_statements(close([make_order("shipped", items=1) for _ in range(2)]))
    many = [make_order("shipped", items=1) for _ in range(20)]
    assert count_statements(close(many)) == few_statements


def test_the_confirm_screen_makes_as_many_statements_for_many_orders_as_for_few(client, make_order,
                                                                               count_statements):
    """Every order's status, version and total: a fixed number of statements."""
    for _ in range(2):
        make_order("shipped", items=2)
    few = count_statements(lambda: client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped"))
    for _ in range(25):
        make_order("shipped", items=3)
    page = client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped").text
    table = page[page.index('id="bulk-orders"'):]
    assert ">27 orders<" in page and table.count('class="badge') == 27 and len(table_numbers(page)) == 27
    assert len(listed(page, "bulk-changing")) == 27
    assert count_statements(lambda: client.get("/admin/orders/bulk/close/?flt0_status_equals=shipped")) == few
