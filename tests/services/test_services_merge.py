"""Merge: the whole matrix both ways, the customer and provider rules, and conservation of items and money."""

from decimal import Decimal

import pytest
from sqlalchemy import insert

from flask_order_admin import services
from flask_order_admin.domain import DEFAULT_MERGE_MATRIX, OrderStatus, matrix_allows
from flask_order_admin.errors import AlreadyMerged, MergeNotAllowed, OrderActionError
from flask_order_admin.models import Order, OrderItem
from tests.model_sets import BUILTIN

# The default matrix itself is pinned to the table in docs/design.md, "Merge matrix" in tests/domain/test_domain_merge.py;
# here the services must follow it, both ways, for every pair of its statuses.
MATRIX_STATUSES = sorted({s.value for s in DEFAULT_MERGE_MATRIX}, key=list(OrderStatus).index)


@pytest.mark.parametrize("added_status", MATRIX_STATUSES)
def test_matrix_both_ways(session, make_order, orders, snapshot, events_of, added_status):
    for basic_status in MATRIX_STATUSES:
        expected = matrix_allows(DEFAULT_MERGE_MATRIX, OrderStatus(added_status), OrderStatus(basic_status))
        added = make_order(added_status, items=3)
        basic = make_order(basic_status, items=2)
        added_id, basic_id = added.id, basic.id
        before = orders.totals()
        if expected:
            result = services.merge(session, added_id, basic_id, actor="ann")
            assert orders.id_of(result) == basic_id
            added, basic = orders.get(added_id), orders.get(basic_id)
            assert added.status == OrderStatus.MERGED and added.merged_into_id == basic_id
            assert basic.status == OrderStatus.AWAITING_PAYMENT
            assert len(basic.items) == 5 and added.items == []
            assert sorted(i.origin_order_id for i in basic.items) == sorted([basic_id] * 2 + [added_id] * 3)
            assert orders.totals() == before
            assert events_of(added_id)[-1].details["into_id"] == basic_id
            assert events_of(basic_id)[-1].details["from_id"] == added_id
        else:
            snap_added, snap_basic = snapshot(added_id), snapshot(basic_id)
            with pytest.raises(MergeNotAllowed) as caught:
                services.merge(session, added_id, basic_id, actor="ann")
            assert str(OrderStatus(added_status).label) in str(caught.value)
            assert (snapshot(added_id), snapshot(basic_id)) == (snap_added, snap_basic)


@pytest.mark.parametrize("status", ["processing", "awaiting_packing_confirmation", "shipped", "completed",
                                    "canceled"])
def test_statuses_outside_the_matrix_are_refused_both_ways(session, make_order, snapshot, status):
    outside = make_order(status)
    inside = make_order("awaiting_payment")
    for added, basic in ((outside, inside), (inside, outside)):
        before = (snapshot(added.id), snapshot(basic.id))
        with pytest.raises(MergeNotAllowed):
            services.merge(session, added.id, basic.id, actor="ann")
        assert (snapshot(added.id), snapshot(basic.id)) == before


@pytest.mark.parametrize(
    ("added_fields", "basic_fields", "allowed", "message"),
    [
        ({"provider": "stock"}, {"provider": "taobao"}, False, "different goods providers"),
        ({"customer_ref": "c1"}, {"customer_ref": "c2"}, False, "different customers"),
        ({"customer_ref": None, "buyer_email": "A@x.cn"}, {"customer_ref": "c2", "buyer_email": "a@X.cn"}, True, ""),
        ({"customer_ref": None, "buyer_email": "a@x.cn"}, {"customer_ref": None, "buyer_email": "b@x.cn"}, False,
         "different customers"),
        ({"customer_ref": "c1", "buyer_email": "a@x.cn"}, {"customer_ref": "c1", "buyer_email": "b@x.cn"}, True, ""),
    ],
)
def test_provider_and_customer_rules(session, make_order, snapshot, added_fields, basic_fields, allowed, message):
    added, basic = make_order(**added_fields), make_order(**basic_fields)
    candidates = [o.id for o in services.merge_candidates(session, added.id)]
    assert (basic.id in candidates) is allowed
    if allowed:
        services.merge(session, added.id, basic.id, actor="ann")
    else:
        before = snapshot(added.id), snapshot(basic.id)
        with pytest.raises(MergeNotAllowed, match=message):
            services.merge(session, added.id, basic.id, actor="ann")
        assert (snapshot(added.id), snapshot(basic.id)) == before


def test_customer_rule_can_be_switched_off(app, session, make_order, orders):
    state = app.extensions["order_admin"]
    state.settings = type(state.settings)(**{**state.settings.__dict__, "merge_same_customer": False})
    added, basic = make_order(customer_ref="c1"), make_order(customer_ref="c2")
    assert orders.id_of(services.merge(session, added.id, basic.id, actor="ann")) == basic.id


def test_merge_with_itself_is_refused(session, make_order, snapshot):
    order = make_order()
    before = snapshot(order.id)
    with pytest.raises(MergeNotAllowed, match="itself"):
        services.merge(session, order.id, order.id, actor="ann")
    assert snapshot(order.id) == before


def test_already_merged_names_the_order_it_went_into(session, make_order, snapshot):
    added, basic, third = make_order(), make_order(), make_order()
    services.merge(session, added.id, basic.id, actor="ann")
    before = snapshot(added.id), snapshot(third.id)
    with pytest.raises(AlreadyMerged, match=f"already merged into {basic.number}"):
        services.merge(session, added.id, third.id, actor="ann")
    with pytest.raises(MergeNotAllowed, match=f"merged into {basic.number}"):
        services.merge(session, third.id, added.id, actor="ann")
    assert (snapshot(added.id), snapshot(third.id)) == before


def test_merged_lines_keep_their_first_origin(session, make_order, orders):
    a, b, c = make_order(items=1), make_order(items=1), make_order(items=1)
    services.merge(session, a.id, b.id, actor="ann")
    services.merge(session, b.id, c.id, actor="ann")
    origins = sorted(i.origin_order_id for i in orders.get(c.id).items)
    assert origins == sorted([a.id, b.id, c.id])


@pytest.mark.models(BUILTIN)
def test_a_new_line_records_the_order_it_was_placed_in(session, make_order):
    order = make_order(items=2)
    session.add(OrderItem(order_id=order.id, title="added later", price=Decimal("1.00")))  # ORM, by key
    session.commit()
    session.execute(insert(OrderItem), [{"order_id": order.id, "title": "bulk", "price": Decimal("1.00")}])  # Core
    session.commit()
    session.expire_all()
    assert [i.origin_order_id for i in session.get(Order, order.id).items] == [order.id] * 4


@pytest.mark.models(BUILTIN)
def test_a_line_inserted_without_origin_gets_it_from_its_first_merge(session, make_order):
    added, basic = make_order(items=1), make_order(items=1)
    # As a host's own SQL may insert it: no origin at all.
    session.execute(insert(OrderItem).values(order_id=added.id, title="raw", price=Decimal("2.00"), origin_order_id=None))
    session.commit()
    services.merge(session, added.id, basic.id, actor="ann")
    session.expire_all()
    origins = sorted(i.origin_order_id for i in session.get(Order, basic.id).items)
    assert origins == sorted([basic.id, added.id, added.id])


def test_candidates_list_only_allowed_orders_and_explain_an_empty_list(session, make_order):
    added = make_order("additional_order")
    ok = [make_order(s) for s in ("awaiting_payment", "processing_at_warehouse")]
    make_order("ready_to_ship")  # additional order cannot go into ready to ship
    make_order("awaiting_payment", provider="stock")
    make_order("awaiting_payment", customer_ref="someone-else")
    result = services.find_merge_candidates(session, added.id)
    assert sorted(o.id for o in result.orders) == sorted(o.id for o in ok)
    lonely = make_order("ready_to_ship", customer_ref="lonely", buyer_email="lonely@x.cn")
    empty = services.find_merge_candidates(session, lonely.id)
    assert empty.orders == [] and "Processing at warehouse" in str(empty.reason)
    assert services.merge_candidates(session, make_order("completed").id) == []


def test_refused_merge_raises_the_base_error_type(session, make_order):
    with pytest.raises(OrderActionError):
        services.merge(session, make_order().id, make_order(provider="stock").id, actor="x")


def test_merge_preview_is_what_the_merge_then_does(session, make_order, app):
    from flask_order_admin.services import get_order_record, item_sums_by_order, preview_merge

    panel = app.extensions["order_admin"]
    added = make_order("awaiting_payment", items=3)
    basic = make_order("ready_to_ship", items=2)
    preview = preview_merge(session, get_order_record(session, added.id), get_order_record(session, basic.id),
                            panel)
    assert preview.after_status == "awaiting_payment"
    assert [(row.line.id, row.from_order.id if row.from_order else None) for row in preview.after_lines] == (
        [(item.id, None) for item in basic.items] + [(item.id, added.id) for item in added.items])
    session.rollback()
    services.merge(session, added.id, basic.id, actor="ann")
    assert item_sums_by_order(session, [basic.id], panel=panel)[basic.id] == preview.after_sums
