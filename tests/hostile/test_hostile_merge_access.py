"""Merge asks the access rule about both orders, ("merge", added) and ("merge", basic): candidates, confirm, POST."""

from __future__ import annotations

import re

WAREHOUSE = "processing_at_warehouse"


def no_changes_at_the_warehouse(action, order):
    """A host's rule: nobody here may close or merge an order being processed at the warehouse."""
    if action in ("merge", "close") and order is not None and order.status == WAREHOUSE:
        return False
    return None


def test_merge_into_an_order_the_rule_protects_is_refused_everywhere(client, make_order, configure, token, db_state,
                                                                     error_of):
    added = make_order("awaiting_payment", items=2)
    protected = make_order(WAREHOUSE, items=1)
    allowed = make_order("awaiting_payment", items=1)
    added_id, protected_id, allowed_id = added.id, protected.id, allowed.id
    protected_number = protected.number
    configure(access=no_changes_at_the_warehouse)
    csrf = token(client)
    before = db_state()

    candidates = client.get(f"/admin/orders/{added_id}/merge-candidates/").text
    assert re.findall(r'name="into" value="(\d+)"', candidates) == [str(allowed_id)]

    confirm = client.get(f"/admin/orders/{added_id}/confirm/merge/", query_string={"into": protected_id})
    assert confirm.status_code == 302 and confirm.location.startswith(f"/admin/orders/details/?id={added_id}")
    assert f"You are not allowed to merge orders into {protected_number}." in error_of(client.get(confirm.location))

    forged = client.post(f"/admin/orders/{added_id}/merge/", data={
        "csrf_token": csrf, "version": 1, "into": protected_id, "url": "/admin/orders/"})
    assert forged.status_code == 403
    assert db_state() == before


def test_when_the_rule_leaves_no_order_to_merge_into_the_manager_reads_why(client, make_order, configure):
    added = make_order("awaiting_payment")
    make_order(WAREHOUSE)
    configure(access=no_changes_at_the_warehouse)
    page = client.get(f"/admin/orders/{added.id}/merge-candidates/").text
    reason = "You are not allowed to merge into any of the orders this one can be merged into."
    assert 'id="merge-none"' in page and reason in page
    assert 'name="into"' not in page
    order_page = client.get(f"/admin/orders/details/?id={added.id}").text
    assert f'title="{reason}" tabindex="0" data-action="merge"' in order_page


def test_an_allowed_merge_asks_the_rule_for_both_orders(client, make_order, configure, form_fields):
    added = make_order("awaiting_payment", items=1)
    basic = make_order(WAREHOUSE, items=1)
    added_id, basic_id = added.id, basic.id
    asked = []

    def rule(action, order):
        asked.append((action, order.id if order is not None else None))
        return None

    configure(access=rule)
    page = client.get(f"/admin/orders/{added_id}/confirm/merge/", query_string={"into": basic_id}).text
    assert {("merge", added_id), ("merge", basic_id)} <= set(asked)
    asked.clear()
    response = client.post(f"/admin/orders/{added_id}/merge/", data=form_fields(page, "confirm-form"),
                           follow_redirects=True)
    assert response.request.args["id"] == str(basic_id)
    assert {("merge", added_id), ("merge", basic_id)} <= set(asked)
