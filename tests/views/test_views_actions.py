"""Confirm screens and the POSTs behind them: CSRF, versions, refusals, access, flash messages."""

from __future__ import annotations

import re

from flask_order_admin.domain import OrderStatus
from tests.model_sets import current_orders, line_of
from flask_order_admin.pricing import Price


def confirm(client, order, action, **args):
    response = client.get(f"/admin/orders/{order.id}/confirm/{action}/", query_string=args)
    assert response.status_code == 200, response.text
    return response.text


def say_yes(client, page, order, action, form_fields, **extra):
    fields = form_fields(page, "confirm-form")
    fields.update(extra)
    return client.post(f"/admin/orders/{order.id}/{action}/", data=fields, follow_redirects=True)


def reload(session, order):
    return current_orders(session).get(order.id)


def events(session, order):
    return current_orders(session).events(order.id)


def test_cancel_asks_confirms_and_keeps_the_reason(client, make_order, session, form_fields):
    order = make_order("processing")
    list_url = "/admin/orders/?flt0_status_equals=processing"
    page = confirm(client, order, "cancel", version=order.version, url=list_url)
    assert f"Are you sure you want to cancel order {order.number}?" in page
    assert 'id="confirm-yes"' in page and 'id="confirm-no"' in page
    response = say_yes(client, page, order, "cancel", form_fields, reason="buyer changed her mind")
    assert response.request.path == "/admin/orders/details/"
    assert response.request.args["url"] == list_url  # back to the order page, the list address kept
    assert f"Order {order.number} was canceled." in response.text
    assert reload(session, order).status == OrderStatus.CANCELED
    last = events(session, order)[-1]
    assert (last.action, last.actor, last.details["reason"]) == ("cancel", "manager", "buyer changed her mind")


def test_confirm_screens_show_total_buyer_and_lines_and_a_yes_coloured_by_risk(client, make_order):
    """They showed the number and status only, and every Yes was red."""
    order = make_order("processing", items=2, buyer_name="Zhou Min 周敏")
    total = sum((item.totals.total for item in order.items), 0)
    for action, colour, label in (("cancel", "danger", "Cancel the order"), ("close", "primary", "Close the order")):
        page = confirm(client, order, action)
        assert f'id="confirm-yes">{label}</button>' in page  # the button says what it does, not "Yes"
        assert 'id="confirm-no">Back to the order</a>' in page
        assert "Zhou Min 周敏" in page and "buyer@example.com" in page
        assert f"CN¥{total:,.2f}" in page
        for item in order.items:
            assert item.title in page and item.provider_item_id in page
        assert f'class="btn btn-{colour} mr-2" id="confirm-yes"' in page


def test_confirm_screen_and_get_on_the_post_url_change_nothing(client, make_order, session):
    order = make_order("processing")
    confirm(client, order, "close")
    assert client.get(f"/admin/orders/{order.id}/close/").status_code == 405
    assert client.get(f"/admin/orders/{order.id}/comment/").status_code == 405
    assert reload(session, order).status == OrderStatus.PROCESSING
    assert events(session, order) == []


def test_post_without_the_csrf_token_is_refused(client, make_order, session, form_fields):
    order = make_order("processing")
    fields = form_fields(confirm(client, order, "cancel"), "confirm-form")
    del fields["csrf_token"]
    response = client.post(f"/admin/orders/{order.id}/cancel/", data=fields)
    assert response.status_code == 400
    assert reload(session, order).status == OrderStatus.PROCESSING


def test_a_stale_page_is_refused_with_who_changed_it(client, make_order, session, form_fields):
    from flask_order_admin.services import add_comment, cancel

    order = make_order("processing")
    page = confirm(client, order, "close", version=order.version)
    cancel(session, order.id, actor="alice")
    add_comment(session, order.id, actor="alice", text="no")  # a note changes no version: still stale via cancel
    response = say_yes(client, page, order, "close", form_fields)
    assert "This order was changed by alice at" in response.text
    assert "review it and try again" in response.text
    assert reload(session, order).status == OrderStatus.CANCELED


def test_refused_by_status_flashes_the_reason_and_changes_nothing(client, make_order, session, form_fields):
    order = make_order("processing")
    page = confirm(client, order, "cancel")
    current_orders(session).set_status(order.id, OrderStatus.COMPLETED)
    response = say_yes(client, page, order, "cancel", form_fields, version=str(reload(session, order).version))
    assert "can be canceled; this order is Completed." in response.text
    assert reload(session, order).status == OrderStatus.COMPLETED
    # Asking for the confirm screen of a refused action goes back to the order page with the reason.
    response = client.get(f"/admin/orders/{order.id}/confirm/cancel/", follow_redirects=True)
    assert response.request.path == "/admin/orders/details/" and "this order is Completed" in response.text


def test_restore_reprices_and_says_what_changed(client, make_order, session, form_fields, configure):
    order = make_order("canceled", items=1)
    configure(price_resolver=lambda item, at: Price(price="120.00", china_delivery=line_of(item).china_delivery))
    page = confirm(client, order, "restore")
    assert "Its item prices are recalculated as of today and it becomes Awaiting payment." in page
    response = say_yes(client, page, order, "restore", form_fields)
    assert f"Order {order.number} was restored: the price of 1 line changed, new total" in response.text
    assert "were recalculated" not in response.text
    assert reload(session, order).status == OrderStatus.AWAITING_PAYMENT
    assert "price CN¥100.50 → CN¥120.00" in response.text  # the history tab on the page shown


def test_close_then_only_export_is_left(client, make_order, session, form_fields):
    order = make_order("shipped")
    response = say_yes(client, confirm(client, order, "close"), order, "close", form_fields)
    assert f"Order {order.number} was closed." in response.text
    assert reload(session, order).status == OrderStatus.COMPLETED
    assert re.findall(r'<a class="dropdown-item" href="[^"]*" data-action="(\w+)"', response.text) == ["export"]


def test_return_address_in_the_posted_form_must_be_local(client, make_order, form_fields):
    order = make_order("processing")
    response = client.post(f"/admin/orders/{order.id}/close/", data={
        **form_fields(confirm(client, order, "close"), "confirm-form"), "url": "//evil.example/",
    })
    assert response.status_code == 302
    assert response.location.startswith("/admin/orders/details/?id=")
    assert "evil" not in response.location


def test_comments_are_events_with_author_and_time(client, make_order, session, form_fields):
    order = make_order("processing")
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    fields = form_fields(page, "comment-form")
    response = client.post(f"/admin/orders/{order.id}/comment/", data={**fields, "text": "Call <b>her</b> first"},
                           follow_redirects=True)
    assert "Your note was added" in response.text
    assert response.request.args["tab"] == "comments"
    assert "Call &lt;b&gt;her&lt;/b&gt; first" in response.text
    note = events(session, order)[-1]
    assert (note.action, note.actor, note.details["text"]) == ("comment", "manager", "Call <b>her</b> first")
    empty = client.post(f"/admin/orders/{order.id}/comment/", data={**fields, "text": " "}, follow_redirects=True)
    assert "Nothing was changed" in empty.text
    assert len(events(session, order)) == 1


def test_anonymous_users_go_to_the_hosts_login(anonymous, make_order, session):
    order = make_order("processing")
    response = anonymous.get(f"/admin/orders/details/?id={order.id}")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert f"details/?id%3D{order.id}" in response.location or f"details/%3Fid%3D{order.id}" in response.location
    assert anonymous.post(f"/admin/orders/{order.id}/cancel/", data={}).status_code in (302, 400)
    assert reload(session, order).status == OrderStatus.PROCESSING


def test_a_user_without_the_right_sees_it_disabled_and_gets_403(client, make_order, session, form_fields, configure):
    order = make_order("processing")
    page = confirm(client, order, "cancel")
    configure(access=lambda action, order: action not in ("cancel", "comment"))
    order_page = client.get(f"/admin/orders/details/?id={order.id}").text
    assert 'title="You are not allowed to cancel this order." tabindex="0" data-action="cancel"' in order_page
    assert "You are not allowed to add notes to this order." in order_page
    response = client.post(f"/admin/orders/{order.id}/cancel/", data=form_fields(page, "confirm-form"))
    assert response.status_code == 403
    assert reload(session, order).status == OrderStatus.PROCESSING


def test_access_rule_can_close_the_panel(client, configure):
    configure(access=lambda action, order: False)
    assert client.get("/admin/orders/").status_code == 403
    configure(access=lambda action, order: None)  # None: the default rule (a logged-in user)
    assert client.get("/admin/orders/").status_code == 200
