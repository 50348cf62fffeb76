"""The restore confirm screen is a preview: old → new prices, totals and status from the resolver; prices
that move before Yes change nothing; items no longer sold are marked, and the order can go back without them."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest
from flask import g, has_request_context, request
from sqlalchemy import event

from flask_order_admin.domain import OrderStatus
from flask_order_admin.pricing import Price
from tests.model_sets import current_orders, line_of


def confirm_restore(client, order):
    response = client.get(f"/admin/orders/{order.id}/confirm/restore/", query_string={"version": order.version})
    assert response.status_code == 200, response.text
    return response.text


def post(client, order, fields):
    return client.post(f"/admin/orders/{order.id}/restore/", data=fields, follow_redirects=True)


def row_of(page, line_id):
    return re.search(rf'<tr data-line="{line_id}".*?</tr>', page, re.S).group(0)


def test_preview_shows_each_lines_old_and_new_prices_the_totals_and_the_new_status(
    client, make_order, configure, session
):
    order = make_order("canceled", items=2)
    first, second = sorted(order.items, key=lambda i: i.id)
    configure(price_resolver=lambda item, at: (
        Price(D("130.00"), D("120.00"), D("8.00")) if line_of(item).id == first.id
        else Price(line_of(item).price, line_of(item).discount_price, line_of(item).china_delivery)))
    page = confirm_restore(client, order)
    changed = row_of(page, first.id)
    assert "CN¥100.50 → <strong>CN¥130.00</strong>" in changed
    assert "— → <strong>CN¥120.00</strong>" in changed  # no discount before, one now
    assert "CN¥7.30 → <strong>CN¥8.00</strong>" in changed
    assert 'class="table-warning"' in changed
    unchanged = row_of(page, second.id)
    assert "→" not in unchanged and "91.25" in unchanged  # its discount price applies
    old_total = sum((i.totals.total for i in order.items), D(0))
    new_total = (D("120.00") + D("8.00")) * first.quantity + second.totals.total
    total = re.search(r'id="restore-total">(.*?)</dd>', page, re.S).group(1)
    assert f"CN¥{old_total:,.2f}" in total and f"<strong>CN¥{new_total:,.2f}</strong>" in total
    assert re.search(r'id="restore-new-status"><span class="badge badge-\w+">Awaiting payment<', page)
    assert "1 line gets a new price" in page
    assert 'class="btn btn-success mr-2" id="confirm-yes"' in page  # green: it brings the order back
    assert current_orders(session).get(order.id).status == OrderStatus.CANCELED  # a preview changes nothing


def test_prices_moving_between_preview_and_yes_change_nothing_and_show_the_new_preview(
    client, make_order, configure, session, form_fields
):
    order = make_order("canceled", items=1)
    configure(price_resolver=lambda item, at: Price(D("50.00")))
    fields = form_fields(confirm_restore(client, order), "confirm-form")
    configure(price_resolver=lambda item, at: Price(D("55.00")))  # the catalog changed meanwhile
    response = post(client, order, fields)
    assert response.request.path == f"/admin/orders/{order.id}/restore/"  # the preview again, not a redirect
    assert "changed since you saw them; nothing was changed" in response.text
    assert "<strong>CN¥55.00</strong>" in response.text
    orders = current_orders(session)
    assert orders.get(order.id).status == OrderStatus.CANCELED and orders.events(order.id) == []
    again = form_fields(response.text, "confirm-form")
    assert again["fingerprint"] != fields["fingerprint"]
    done = post(client, order, again)
    assert done.request.path == "/admin/orders/details/"
    assert orders.get(order.id).items[0].price == D("55.00")


def test_an_unsold_item_is_marked_and_the_order_can_be_restored_without_it(
    client, make_order, configure, session, form_fields
):
    order = make_order("canceled", items=3)
    kept, gone, other = sorted(order.items, key=lambda i: i.id)
    gone_id, gone_title, gone_sku = gone.id, gone.title, gone.provider_item_id
    configure(price_resolver=lambda item, at: None if line_of(item).id == gone_id else Price(D("10.00")))
    page = confirm_restore(client, order)
    assert "No longer sold" in row_of(page, gone_id) and "order-admin-unsold" in row_of(page, gone_id)
    assert 'id="confirm-yes"' not in page  # a plain Yes would only be refused
    assert "Restore without the 1 item no longer sold" in page and "No, leave it canceled" in page
    response = post(client, order, {**form_fields(page, "confirm-form"), "without_unsold": "1"})
    assert "prices of 2 lines changed" in response.text
    assert "1 item no longer sold was removed from it; the history keeps it." in response.text
    orders = current_orders(session)
    restored = orders.get(order.id)
    assert restored.status == OrderStatus.AWAITING_PAYMENT
    assert sorted(i.id for i in restored.items) == [kept.id, other.id]
    history = re.search(r'id="pane-history".*?</table>', response.text, re.S).group(0)
    assert "Removed, no longer sold" in history and gone_title in history and gone_sku in history
    assert "No longer sold" not in re.search(r'id="pane-items".*?</table>', response.text, re.S).group(0)


def test_restore_refused_for_an_unsold_item_names_it_not_its_row(client, make_order, configure, form_fields):
    order = make_order("canceled", items=3)
    gone = sorted(order.items, key=lambda i: i.id)[2]
    gone_id, gone_title, gone_sku = gone.id, gone.title, gone.provider_item_id
    configure(price_resolver=lambda item, at: Price(D("10.00")))
    fields = form_fields(confirm_restore(client, order), "confirm-form")
    configure(price_resolver=lambda item, at: None if line_of(item).id == gone_id else Price(D("10.00")))
    response = post(client, order, fields)  # went out of sale after the preview: the new preview shows it
    assert "No longer sold" in row_of(response.text, gone_id)
    response = post(client, order, form_fields(response.text, "confirm-form"))  # Yes without "without them"
    assert f"“{gone_title}” ({gone_sku})" in response.text and f"line {gone_id}" not in response.text


def test_restore_is_disabled_without_a_resolver(client, make_order, configure):
    """It used to stay enabled and lead only to a refusal."""
    order = make_order("canceled", items=1)
    configure(price_resolver=None, price_batch_resolver=None)
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    assert re.search(r'title="No price resolver is configured[^"]*" tabindex="0" data-action="restore"', page)


def test_no_item_sold_leaves_only_the_way_back(client, make_order, configure):
    order = make_order("canceled", items=2)
    configure(price_resolver=lambda item, at: None)
    page = confirm_restore(client, order)
    assert "None of the items is sold any more" in page
    assert 'id="confirm-yes"' not in page and 'id="confirm-without-unsold"' not in page
    assert 'id="confirm-no"' in page


def test_the_order_page_offers_restore_and_says_its_prices_come_on_the_next_screen(client, make_order, configure):
    """The page does not ask the resolver, so it cannot know that no item is sold any more: the confirm
    screen says so (``test_no_item_sold_leaves_only_the_way_back``)."""
    order = make_order("canceled", items=2)
    configure(price_resolver=lambda item, at: None)
    page = client.get(f"/admin/orders/details/?id={order.id}").text
    entry = re.search(r'<a class="dropdown-item" href="([^"]*)" data-action="restore">(.*?)</a>', page, re.S)
    assert entry is not None and f"/admin/orders/{order.id}/confirm/restore/" in entry.group(1)
    assert "Prices are recalculated on the next screen; nothing changes until you confirm." in entry.group(2)
    assert "No longer sold" not in page


class CountingResolver:
    """A price resolver that counts what it is asked, per line, and which rollbacks the request's session saw."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def __call__(self, item, at):
        self.asked.append(line_of(item).id)
        return Price(D("1.00"))


@pytest.fixture
def counting(configure):
    resolver = CountingResolver()
    configure(price_resolver=resolver)
    return resolver


@pytest.fixture
def rollbacks(app):
    """Every rollback of the panel's session while a request's view runs (teardown's cleanup is not counted)."""
    seen: list[str] = []
    state = app.extensions["order_admin"]

    def record(session, previous_transaction):
        if has_request_context() and not getattr(g, "order_admin_test_torn_down", False):
            seen.append(request.path)

    def torn_down(response):
        g.order_admin_test_torn_down = True
        return response

    target = state.session
    event.listen(target, "after_soft_rollback", record)
    app.after_request_funcs.setdefault(None, []).insert(0, torn_down)
    yield seen
    event.remove(target, "after_soft_rollback", record)
    app.after_request_funcs[None].remove(torn_down)


def test_a_canceled_orders_page_never_asks_the_resolver_nor_rolls_back_the_page(
    client, make_order, counting, rollbacks
):
    order = make_order("canceled", items=3)
    for tab in ("items", "history", "comments"):
        response = client.get(f"/admin/orders/details/?id={order.id}&tab={tab}")
        assert response.status_code == 200 and 'data-action="restore"' in response.text
    assert rollbacks == []
    assert counting.asked == []


def test_the_restore_confirm_screen_asks_once_per_item_and_the_post_once_per_item(
    client, make_order, counting, form_fields, session
):
    order = make_order("canceled", items=3)
    item_ids = sorted(item.id for item in order.items)
    page = confirm_restore(client, order)
    assert sorted(counting.asked) == item_ids
    counting.asked.clear()
    response = post(client, order, form_fields(page, "confirm-form"))
    assert response.status_code == 200 and "was restored" in response.text
    assert sorted(counting.asked) == item_ids  # the POST's own lookup; the page it lands on asks nothing
    assert current_orders(session).get(order.id).status == OrderStatus.AWAITING_PAYMENT


def test_only_the_restore_screen_of_a_canceled_order_asks_the_resolver(client, make_order, counting):
    processing = make_order("processing", items=2)
    for action in ("cancel", "close"):
        client.get(f"/admin/orders/{processing.id}/confirm/{action}/", query_string={"version": processing.version})
    client.get(f"/admin/orders/details/?id={processing.id}")
    assert counting.asked == []
