"""Unmerge from the merged order's menu and from the basic order's history: the confirm screen (what goes back
where, Yes named Unmerge), the POST, and the refusal shown once either order changed since the merge."""

from __future__ import annotations

import re

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from tests.model_sets import current_orders


def merged(session, make_order):
    added, basic = make_order("additional_order", items=2), make_order("awaiting_additional_payment", items=1)
    services.merge(session, added.id, basic.id, actor="ann")
    return added, basic


def menu_entry(page, action):
    return re.search(rf'<(?:a|span)[^>]*data-action="{action}".*?</(?:a|span)>', page, re.S)


def test_unmerge_from_the_menu_puts_the_items_back(client, make_order, session, form_fields):
    added, basic = merged(session, make_order)
    page = client.get(f"/admin/orders/details/?id={added.id}").text
    entry = menu_entry(page, "unmerge")
    assert entry and entry.group(0).startswith("<a") and ">Unmerge<" in entry.group(0)
    assert "A merged order can only be exported or unmerged" in page
    confirm = client.get(re.search(r'href="([^"]+)"', entry.group(0)).group(1).replace("&amp;", "&")).text
    assert (f"Are you sure you want to undo the merge of order {added.number} into order {basic.number}?"
            in confirm)
    back = re.search(r'id="unmerge-added".*?</section>', confirm, re.S).group(0)
    assert all(item.title in back for item in added.items)
    assert ">Additional order<" in back
    assert ">Awaiting additional payment<" in re.search(r'id="unmerge-basic".*?</section>', confirm, re.S).group(0)
    assert re.search(r'id="confirm-yes">\s*Undo the merge\s*</button>', confirm)  # the button names what it does
    response = client.post(f"/admin/orders/{added.id}/unmerge/", data=form_fields(confirm, "confirm-form"),
                           follow_redirects=True)
    assert response.request.args["id"] == str(added.id)
    assert f"The merge was undone: the items of order {added.number} are back in it." in response.text
    orders = current_orders(session)
    assert orders.get(added.id).status == OrderStatus.ADDITIONAL_ORDER
    assert orders.get(basic.id).status == OrderStatus.AWAITING_ADDITIONAL_PAYMENT
    assert (orders.line_count(added.id), orders.line_count(basic.id)) == (2, 1)
    history = client.get(f"/admin/orders/details/?id={basic.id}&tab=history").text
    assert "Gave the items of" in history and "order-admin-unmerge-link" not in history


def test_the_basic_orders_history_links_the_merge_to_its_undo(client, make_order, session):
    added, basic = merged(session, make_order)
    history = client.get(f"/admin/orders/details/?id={basic.id}&tab=history").text
    link = re.search(r'<a class="[^"]*order-admin-unmerge-link" href="([^"]+)">Unmerge</a>', history)
    assert link and f"/admin/orders/{added.id}/confirm/unmerge/" in link.group(1)


def test_once_the_basic_order_changed_unmerge_is_disabled_with_the_reason_shown(client, make_order, session,
                                                                                 form_fields):
    added, basic = merged(session, make_order)
    services.cancel(session, basic.id, actor="ann")
    reason = (f"The basic order {basic.number} has changed since {added.number} was merged into it, so the "
              "merge can no longer be undone.")
    page = client.get(f"/admin/orders/details/?id={added.id}").text
    entry = menu_entry(page, "unmerge").group(0)
    assert "disabled" in entry and re.search(
        rf'class="order-admin-reason" id="order-actions-reason-\d+">{re.escape(reason)}</small>', entry)
    confirm = client.get(f"/admin/orders/{added.id}/confirm/unmerge/").text
    assert reason in re.search(r'id="confirm-refusal">(.*?)</div>', confirm, re.S).group(1)
    assert re.search(r'id="confirm-yes" disabled', confirm)
    # A Yes posted anyway (a page opened before the change) is refused, nothing changed.
    fields = {**form_fields(confirm, "confirm-form"), "version": str(current_orders(session).get(added.id).version)}
    response = client.post(f"/admin/orders/{added.id}/unmerge/", data=fields, follow_redirects=True)
    assert reason in response.text
    assert current_orders(session).get(added.id).status == OrderStatus.MERGED


def test_unmerge_is_not_in_the_menu_of_an_order_not_merged(client, make_order):
    order = make_order("additional_order")
    assert menu_entry(client.get(f"/admin/orders/details/?id={order.id}").text, "unmerge") is None


def test_the_access_rule_is_asked_about_unmerge(client, make_order, session, configure, form_fields):
    added, _ = merged(session, make_order)
    confirm = client.get(f"/admin/orders/{added.id}/confirm/unmerge/").text
    configure(access=lambda action, order: action != "unmerge")
    entry = menu_entry(client.get(f"/admin/orders/details/?id={added.id}").text, "unmerge").group(0)
    assert "You are not allowed to undo the merge of this order." in entry
    response = client.post(f"/admin/orders/{added.id}/unmerge/", data=form_fields(confirm, "confirm-form"))
    assert response.status_code == 403
    assert current_orders(session).get(added.id).status == OrderStatus.MERGED


def test_the_access_rule_is_asked_about_the_basic_order_too(client, make_order, session, configure, form_fields):
    added, basic = merged(session, make_order)
    confirm = client.get(f"/admin/orders/{added.id}/confirm/unmerge/").text
    basic_id = basic.id
    configure(access=lambda action, order: action != "unmerge" or current_orders(session).id_of(order) != basic_id)
    entry = menu_entry(client.get(f"/admin/orders/details/?id={added.id}").text, "unmerge").group(0)
    assert f"You are not allowed to undo merges into {basic.number}." in entry
    refused = client.get(f"/admin/orders/{added.id}/confirm/unmerge/", follow_redirects=True).text
    assert f"You are not allowed to undo merges into {basic.number}." in refused
    assert 'id="unmerge-orders"' not in refused
    response = client.post(f"/admin/orders/{added.id}/unmerge/", data=form_fields(confirm, "confirm-form"))
    assert response.status_code == 403
    assert current_orders(session).get(added.id).status == OrderStatus.MERGED
