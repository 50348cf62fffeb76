"""Merge: the candidates page, its confirm screen, the POST, and the reason when nothing fits."""

from __future__ import annotations

import re

from flask_order_admin.domain import OrderStatus
from tests.model_sets import current_orders


def test_candidates_are_only_the_orders_it_can_be_merged_into(client, make_order):
    added = make_order("awaiting_payment", items=2)
    basic = make_order("ready_to_ship", items=1, buyer_name="Li Wei")
    make_order("awaiting_payment", provider="stock")  # another provider
    make_order("awaiting_payment", customer_ref="cust-2", buyer_email="other@example.com")  # another customer
    make_order("completed")  # a status no order is merged into
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/").text
    assert re.findall(r'name="into" value="(\d+)"', page) == [str(basic.id)]
    row = re.search(rf'value="{basic.id}".*?</tr>', page, re.S).group(0)
    for text in (basic.number, "Ready to ship", "1 (1)", "107.80", "Li Wei"):
        assert text in row


def test_no_candidates_shows_the_reason_instead_of_a_table(client, make_order):
    lonely = make_order("awaiting_payment", customer_ref="cust-9", buyer_email="nine@example.com")
    page = client.get(f"/admin/orders/{lonely.id}/merge-candidates/").text
    reason = (f"{lonely.number} (Awaiting payment) can be merged only into an order of the same customer and "
              "goods provider (Taobao) in one of these statuses: Awaiting payment, Awaiting additional payment, "
              "Additional order, Processing at warehouse, Ready for packing, Ready to ship. There is no such order now.")
    assert 'id="merge-none"' in page and reason in page
    assert 'name="into"' not in page
    order_page = client.get(f"/admin/orders/details/?id={lonely.id}").text
    assert re.search(rf'title="{re.escape(reason)}" tabindex="0" data-action="merge"', order_page)


def test_merge_flow_moves_the_items_and_links_both_orders(client, make_order, session, form_fields):
    added = make_order("awaiting_payment", items=2)
    basic = make_order("processing_at_warehouse", items=1)
    candidates = client.get(f"/admin/orders/{added.id}/merge-candidates/", query_string={"version": added.version}).text
    confirm_query = {**form_fields(candidates, "merge-form"), "into": basic.id}
    page = client.get(f"/admin/orders/{added.id}/confirm/merge/", query_string=confirm_query).text
    assert f"Are you sure you want to merge order {added.number} into order {basic.number}?" in page
    response = client.post(f"/admin/orders/{added.id}/merge/", data=form_fields(page, "confirm-form"),
                           follow_redirects=True)
    assert response.request.args["id"] == str(basic.id)
    assert f"Order {added.number} was merged into this order." in response.text
    orders = current_orders(session)
    assert orders.get(added.id).status == OrderStatus.MERGED
    assert orders.get(added.id).merged_into_id == basic.id
    assert orders.get(basic.id).status == OrderStatus.AWAITING_PAYMENT
    assert orders.line_count(basic.id) == 3


def test_merge_confirm_without_a_pick_or_with_a_refused_pick_goes_back(client, make_order):
    added = make_order("awaiting_payment")
    other_provider = make_order("awaiting_payment", provider="stock")
    response = client.get(f"/admin/orders/{added.id}/confirm/merge/", follow_redirects=True)
    assert f"Pick the order to merge {added.number} into." in response.text
    response = client.get(f"/admin/orders/{added.id}/confirm/merge/", query_string={"into": other_provider.id},
                          follow_redirects=True)
    assert "have different goods providers" in response.text


def test_merge_confirm_shows_both_orders_and_the_basic_order_after_the_merge(client, make_order):
    added = make_order("awaiting_payment", items=2, buyer_name="Li Wei 李伟")
    basic = make_order("ready_to_ship", items=1)
    page = client.get(f"/admin/orders/{added.id}/confirm/merge/", query_string={"into": basic.id}).text
    sides = re.search(r'id="merge-orders".*?id="merge-after"', page, re.S).group(0)
    assert f"Added order {added.number}" in sides and f"Basic order {basic.number}" in sides
    assert "Li Wei 李伟" in sides and "buyer@example.com" in sides
    added_total = sum((i.totals.total for i in added.items), 0)
    basic_total = sum((i.totals.total for i in basic.items), 0)
    after = re.search(r'id="merge-after".*?</section>', page, re.S).group(0)
    assert f"After the merge, {basic.number} holds" in after
    assert re.search(r"<dd[^>]*>3 / ", after)  # 1 + 2 lines
    assert f"CN¥{added_total + basic_total:,.2f}" in re.search(r'id="merge-after-total">(.*?)</dd>', after).group(1)
    assert ">Awaiting payment<" in after
    for item in added.items + basic.items:
        assert item.title in after
    assert len(re.findall(rf'<td class="text-nowrap"[^>]*>{added.number}</td>', after)) == 2  # the lines that move are marked
    assert 'class="btn btn-warning mr-2" id="confirm-yes"' in page  # yellow: two orders change for good
    assert re.search(r'id="confirm-yes">Merge into \S+</button>', page)


def test_merge_candidates_open_in_a_new_tab(client, make_order):
    added = make_order("awaiting_payment")
    basic = make_order("ready_to_ship")
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/").text
    link = re.search(rf'<a href="[^"]*details/\?id={basic.id}[^"]*"[^>]*>', page).group(0)
    assert 'target="_blank"' in link and 'rel="noopener"' in link


def test_the_candidates_page_shows_what_each_order_holds_and_picks_the_only_candidate(client, make_order,
                                                                                      count_statements):
    """It showed the candidates' counts only, and nothing was picked even when there was one choice."""
    added = make_order("awaiting_payment", items=2)
    basic = make_order("awaiting_payment", items=3)
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/").text
    this = re.search(r'id="merge-this-order">(.*?)</section>', page, re.S).group(1)
    for item in added.items:
        assert item.title in this and item.provider_item_id in this
    assert "2 lines, quantity 3" in this
    row = re.search(rf'<tr>\s*<td[^>]*><input type="radio" name="into" value="{basic.id}"[^>]*>.*?</tr>', page, re.S)
    assert " checked>" in row.group(0)  # the only candidate
    for item in basic.items:
        assert f"{item.quantity} × {item.title}" in row.group(0)
    third = make_order("awaiting_payment", items=1)
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/").text
    assert " checked>" not in page and third.items[0].title in page  # two choices: the manager picks
    two_candidates = count_statements(lambda: client.get(f"/admin/orders/{added.id}/merge-candidates/"))
    make_order("awaiting_payment", items=4)
    three_candidates = count_statements(lambda: client.get(f"/admin/orders/{added.id}/merge-candidates/"))
    assert three_candidates == two_candidates  # not one statement more per candidate
