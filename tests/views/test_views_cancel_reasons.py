"""The Cancel confirm screens (single and bulk) offer ORDER_ADMIN_CANCEL_REASONS beside free text; the history
shows the reason picked; a value not offered, or Other with nothing written, changes nothing and says why."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from flask_order_admin.domain import OrderStatus
from flask_order_admin.domain.cancel_reasons import cancel_reasons
from tests.model_sets import current_orders
from tests.views.test_views_bulk import say_yes as bulk_yes, tick

SHOP_REASONS = ["Покупатель передумал", "买家拍错了"]
LIST_URL = "/admin/orders/?flt0_status_equals=processing"


@pytest.fixture
def shop_reasons(app):
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, cancel_reasons=cancel_reasons(SHOP_REASONS))


def confirm_page(client, order) -> str:
    response = client.get(f"/admin/orders/{order.id}/confirm/cancel/", query_string={"version": order.version})
    assert response.status_code == 200
    return response.text


def offered(page: str) -> list[tuple[str, str]]:
    """The radio buttons of the reason: (value, label) in order."""
    return [(html.unescape(value), html.unescape(label)) for value, label in re.findall(
        r'<input class="custom-control-input" id="reason_choice-\d+" name="reason_choice" type="radio" '
        r'value="([^"]*)">\s*<label class="custom-control-label" for="reason_choice-\d+">([^<]*)</label>', page)]


def cancel_with(client, order, form_fields, **extra):
    page = confirm_page(client, order)
    return client.post(f"/admin/orders/{order.id}/cancel/", data={**form_fields(page, "confirm-form"), **extra},
                       follow_redirects=True)


def history_of(client, order) -> str:
    page = client.get("/admin/orders/details/", query_string={"id": order.id}).text
    return html.unescape(re.search(r'id="pane-history".*?</table>', page, re.S).group(0))


def test_the_screens_offer_the_default_reasons_then_other(client, make_order):
    order = make_order("processing")
    expected = [("buyer_asked", "The buyer asked to cancel"), ("out_of_stock", "Out of stock at the seller"),
                ("price_changed", "The seller raised the price"), ("not_paid", "The buyer did not pay"),
                ("duplicate", "Duplicate order"), ("other", "Other (write it below)")]
    assert offered(confirm_page(client, order)) == expected
    assert offered(client.get(f"/admin/orders/bulk/cancel/?flt0_status_equals=processing").text) == expected


def test_a_picked_reason_and_words_are_kept_and_shown_in_the_history(client, make_order, session, form_fields):
    order = make_order("processing")
    response = cancel_with(client, order, form_fields, reason_choice="out_of_stock", reason="red, size M")
    assert f"Order {order.number} was canceled." in response.text
    orders = current_orders(session)
    assert orders.status(order.id) == OrderStatus.CANCELED
    assert orders.events(order.id)[-1].details == {"reason_choice": {"key": "out_of_stock"}, "reason": "red, size M"}
    assert "Reason: Out of stock at the seller (red, size M)" in history_of(client, order)


def test_other_with_words_and_nothing_at_all_follow_the_optional_rule(client, make_order, session, form_fields):
    worded, silent = make_order("processing"), make_order("processing")
    cancel_with(client, worded, form_fields, reason_choice="other", reason="buyer found it cheaper")
    cancel_with(client, silent, form_fields)  # the reason is optional: no choice, no words
    orders = current_orders(session)
    assert orders.events(worded.id)[-1].details == {"reason": "buyer found it cheaper"}
    assert "Reason: buyer found it cheaper" in history_of(client, worded)
    assert orders.status(silent.id) == OrderStatus.CANCELED and orders.events(silent.id)[-1].details == {}


@pytest.mark.parametrize("fields, message", [
    ({"reason_choice": "other"}, "You picked Other: write the reason, or pick one from the list."),
    ({"reason_choice": "other", "reason": "   "}, "You picked Other: write the reason, or pick one from the list."),
    ({"reason_choice": "forged"}, "This reason is not one of those offered; pick one from the list."),
    ({"reason_choice": "Out of stock at the seller"}, "This reason is not one of those offered"),
])
def test_other_without_words_or_a_forged_reason_changes_nothing(client, make_order, session, form_fields,
                                                                 fields, message):
    order = make_order("processing")
    response = cancel_with(client, order, form_fields, **fields)
    assert "Nothing was changed" in response.text and message in html.unescape(response.text)
    orders = current_orders(session)
    assert orders.status(order.id) == OrderStatus.PROCESSING and orders.events(order.id) == []


def test_a_shops_own_reasons_are_offered_kept_and_shown_as_written(client, make_order, session, form_fields,
                                                                   shop_reasons):
    order, other = make_order("processing"), make_order("processing")
    assert offered(confirm_page(client, order)) == [*[(r, r) for r in SHOP_REASONS], ("other", "Other (write it below)")]
    cancel_with(client, order, form_fields, reason_choice="买家拍错了")
    assert current_orders(session).events(order.id)[-1].details == {"reason_choice": {"text": "买家拍错了"}}
    assert "Reason: 买家拍错了" in history_of(client, order)
    # A default's key is not offered by this shop: refused.
    response = cancel_with(client, other, form_fields, reason_choice="out_of_stock")
    assert "This reason is not one of those offered" in response.text
    assert current_orders(session).status(other.id) == OrderStatus.PROCESSING


def test_an_empty_list_offers_the_words_only(client, make_order, app, session, form_fields):
    state = app.extensions["order_admin"]
    state.settings = dataclasses.replace(state.settings, cancel_reasons=())
    order = make_order("processing")
    page = confirm_page(client, order)
    assert offered(page) == [] and 'name="reason"' in page
    assert "Reason (optional, kept in the order history)" in page
    cancel_with(client, order, form_fields, reason="no stock")
    assert current_orders(session).events(order.id)[-1].details == {"reason": "no stock"}


def test_bulk_cancel_keeps_the_picked_reason_in_every_order(client, make_order, session, form_fields):
    made = [make_order("processing", items=1) for _ in range(2)]
    page = tick(client, form_fields, LIST_URL, "bulk_cancel", [o.id for o in made]).text
    assert [value for value, _ in offered(page)][:2] == ["buyer_asked", "out_of_stock"]
    result = bulk_yes(client, page, form_fields, reason_choice="not_paid")
    assert re.search(r'id="bulk-summary">2 canceled, 0 refused<', result.text)
    orders = current_orders(session)
    for order in made:
        assert orders.events(order.id)[-1].details == {"reason_choice": {"key": "not_paid"}}
        assert "Reason: The buyer did not pay" in history_of(client, order)


def test_bulk_cancel_with_a_shops_reason(client, make_order, session, form_fields, shop_reasons):
    made = [make_order("processing", items=1) for _ in range(2)]
    page = tick(client, form_fields, LIST_URL, "bulk_cancel", [o.id for o in made]).text
    bulk_yes(client, page, form_fields, reason_choice="Покупатель передумал", reason="звонил")
    for order in made:
        assert current_orders(session).events(order.id)[-1].details == {
            "reason_choice": {"text": "Покупатель передумал"}, "reason": "звонил"}


@pytest.mark.parametrize("fields", [{"reason_choice": "forged"}, {"reason_choice": "other"}])
def test_bulk_cancel_with_a_forged_reason_or_other_without_words_changes_nothing(client, make_order, session,
                                                                                  form_fields, fields):
    made = [make_order("processing", items=1) for _ in range(2)]
    page = tick(client, form_fields, LIST_URL, "bulk_cancel", [o.id for o in made]).text
    post_url = html.unescape(re.search(r'<form method="POST" action="([^"]+)" id="confirm-form"', page).group(1))
    response = client.post(post_url, data={**form_fields(page, "confirm-form"), **fields}, follow_redirects=True)
    assert "Nothing was changed" in response.text
    orders = current_orders(session)
    for order in made:
        assert orders.status(order.id) == OrderStatus.PROCESSING and orders.events(order.id) == []
