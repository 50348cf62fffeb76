"""Unmerge: every line back in the order it came from, both statuses as before the merge, refused once
either order changed since (docs/design.md, "Third-round decisions")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import delete, update

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import StaleOrder, UnmergeNotAllowed

ADDED, BASIC = "additional_order", "awaiting_additional_payment"


def lines_of(order):
    """Each line as it must come back: id, quantity and the three prices."""
    return sorted((i.id, i.quantity, i.price, i.discount_price, i.china_delivery) for i in order.items)


def merged_pair(session, make_order, orders, added_items=3, basic_items=2):
    added, basic = make_order(ADDED, items=added_items), make_order(BASIC, items=basic_items)
    before = {"added": lines_of(added), "basic": lines_of(basic), "totals": orders.totals()}
    services.merge(session, added.id, basic.id, actor="ann")
    return added.id, basic.id, before


def test_unmerge_puts_every_line_back_and_both_statuses(session, make_order, orders, events_of, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    result = services.unmerge(session, added_id, actor="bob")
    assert orders.id_of(result) == added_id
    added, basic = orders.get(added_id), orders.get(basic_id)
    assert (added.status, basic.status) == (OrderStatus(ADDED), OrderStatus(BASIC))
    assert added.merged_into_id is None
    assert lines_of(added) == before["added"] and lines_of(basic) == before["basic"]
    assert orders.totals() == before["totals"]
    added_event, basic_event = events_of(added_id)[-1], events_of(basic_id)[-1]
    assert (added_event.action, added_event.from_status, added_event.to_status) == ("unmerge", "merged", ADDED)
    assert (basic_event.action, basic_event.from_status, basic_event.to_status) == (
        "unmerge", "awaiting_payment", BASIC)
    assert added_event.details["other_id"] == basic_id and basic_event.details["other_id"] == added_id
    assert added_event.actor == basic_event.actor == "bob"
    unmerged = [data for name, _, data in signals_sent if name == "order-unmerged"]
    assert len(unmerged) == 1
    assert orders.id_of(unmerged[0]["basic"]) == basic_id and orders.id_of(unmerged[0]["added"]) == added_id
    assert unmerged[0]["details"]["moved"]["lines"] == 3 and unmerged[0]["actor"] == "bob"


def test_merge_unmerge_merge_again(session, make_order, orders):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    for _ in range(2):
        services.unmerge(session, added_id, actor="bob")
        services.merge(session, added_id, basic_id, actor="ann")
        assert len(orders.get(basic_id).items) == 5 and orders.get(added_id).items == []
    services.unmerge(session, added_id, actor="bob")
    assert lines_of(orders.get(added_id)) == before["added"] and lines_of(orders.get(basic_id)) == before["basic"]
    assert orders.totals() == before["totals"]


def test_in_a_chain_of_merges_only_the_last_can_be_undone(session, make_order, orders):
    """first → middle, then middle → last: undoing middle's merge takes first's lines back with it into middle;
    first's own merge is then behind a change of middle (two, in fact), so it stays."""
    first, middle, last = make_order(ADDED, items=1), make_order(ADDED, items=2), make_order(BASIC, items=1)
    last_lines = lines_of(last)
    services.merge(session, first.id, middle.id, actor="ann")
    with_first = lines_of(orders.get(middle.id))
    services.merge(session, middle.id, last.id, actor="ann")
    with pytest.raises(UnmergeNotAllowed, match="changed since"):
        services.unmerge(session, first.id, actor="bob")
    services.unmerge(session, middle.id, actor="bob")
    assert lines_of(orders.get(middle.id)) == with_first and lines_of(orders.get(last.id)) == last_lines
    assert orders.get(middle.id).status == OrderStatus.AWAITING_PAYMENT  # what the first merge left it
    with pytest.raises(UnmergeNotAllowed, match="basic order .* has changed since"):
        services.unmerge(session, first.id, actor="bob")


@pytest.mark.parametrize("change", ["cancel", "merge_another_in"])
def test_refused_once_the_basic_order_changed(session, make_order, orders, snapshot, signals_sent, change):
    added_id, basic_id, _ = merged_pair(session, make_order, orders)
    if change == "cancel":
        services.cancel(session, basic_id, actor="ann")
    else:
        services.merge(session, make_order(ADDED, items=1).id, basic_id, actor="ann")
    before = snapshot(added_id), snapshot(basic_id)
    with pytest.raises(UnmergeNotAllowed, match="basic order .* has changed since"):
        services.unmerge(session, added_id, actor="bob")
    assert (snapshot(added_id), snapshot(basic_id)) == before
    assert not [name for name, _, _ in signals_sent if name == "order-unmerged"]


def test_refused_once_the_items_changed_behind_the_panel(session, make_order, orders, snapshot):
    """The shop's own code deleting a moved line changes no version: the lines themselves are checked."""
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    binding = orders.binding
    moved_id = before["added"][0][0]
    session.execute(delete(binding.line).where(binding.line_pk == moved_id))
    session.commit()
    kept = snapshot(added_id), snapshot(basic_id)
    with pytest.raises(UnmergeNotAllowed, match="items of .* have changed"):
        services.unmerge(session, added_id, actor="bob")
    assert (snapshot(added_id), snapshot(basic_id)) == kept


def test_refused_once_the_added_order_changed(session, make_order, orders, snapshot):
    added_id, basic_id, _ = merged_pair(session, make_order, orders)
    state_changed = orders.get(added_id)
    orders.binding.write_changes(session, [state_changed.record.change()])  # version + 1, nothing else
    session.commit()
    kept = snapshot(added_id), snapshot(basic_id)
    with pytest.raises(UnmergeNotAllowed, match="added order .* has changed since"):
        services.unmerge(session, added_id, actor="bob")
    assert (snapshot(added_id), snapshot(basic_id)) == kept


def test_a_note_is_not_a_change(session, make_order, orders):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    services.add_comment(session, basic_id, actor="ann", text="Called the buyer")
    services.unmerge(session, added_id, actor="bob")
    assert lines_of(orders.get(basic_id)) == before["basic"]


def test_a_merge_recorded_before_versions_were_kept_is_refused(session, make_order, orders, snapshot):
    added_id, basic_id, _ = merged_pair(session, make_order, orders)
    events = orders.binding.events
    for event in (*orders.events(added_id), *orders.events(basic_id)):
        details = {k: v for k, v in event.details.items() if k != "versions"}
        session.execute(update(events).where(events.c.id == event.id).values(details=details))
    session.commit()
    kept = snapshot(added_id), snapshot(basic_id)
    with pytest.raises(UnmergeNotAllowed, match="before the panel kept"):
        services.unmerge(session, added_id, actor="bob")
    assert (snapshot(added_id), snapshot(basic_id)) == kept


def test_an_order_not_merged_is_refused(session, make_order, snapshot):
    order = make_order(ADDED)
    kept = snapshot(order.id)
    with pytest.raises(UnmergeNotAllowed, match="not merged"):
        services.unmerge(session, order.id, actor="bob")
    assert snapshot(order.id) == kept


def test_the_version_the_page_showed_is_checked(session, make_order, orders, snapshot):
    added_id, basic_id, _ = merged_pair(session, make_order, orders)
    shown = orders.get(added_id).version
    with pytest.raises(StaleOrder):
        services.unmerge(session, added_id, actor="bob", expected_version=shown - 1)
    services.unmerge(session, added_id, actor="bob", expected_version=shown)
    assert orders.get(added_id).status == OrderStatus(ADDED)


def test_the_preview_says_what_goes_back_where(app, session, make_order, orders):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    panel = app.extensions["order_admin"]
    preview = services.preview_unmerge(session, orders.get(added_id).record, panel)
    assert preview.refusal is None
    assert sorted(line.id for line in preview.plan.lines) == [line[0] for line in before["added"]]
    assert (preview.plan.added_status, preview.plan.basic_status) == (OrderStatus(ADDED), OrderStatus(BASIC))
    assert (preview.back.lines, preview.basic_after.lines) == (3, 2)
    total = sum((line.totals.total for line in orders.get(basic_id).items), start=Decimal(0))
    assert preview.back.total + preview.basic_after.total == total
    services.cancel(session, basic_id, actor="ann")
    refused = services.preview_unmerge(session, orders.get(added_id).record, panel)
    assert refused.plan is None and "has changed since" in str(refused.refusal)
