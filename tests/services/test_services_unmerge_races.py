"""Unmerge racing another action on the basic order (cancel, merge) or a second unmerge, made deterministic
(tests/races.py): the first action is held just before it writes its history (its locks taken, its changes
made, nothing committed) until the second waits for its lock. The first always wins; the
second then runs on what the first committed: refused, or (a merge after an unmerge) applied on top.
Nothing is lost either way."""

from __future__ import annotations

import pytest

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import OrderActionError, StaleOrder, UnmergeNotAllowed
from tests.races import AT_HISTORY, HeldRace
from tests.services.test_services_unmerge import ADDED, BASIC, lines_of, merged_pair


@pytest.fixture
def race(app, db):
    return lambda first, second: HeldRace(app, db, hold=AT_HISTORY).run(first, second)


def unmerged_signals(signals_sent):
    return [data for name, _, data in signals_sent if name == "order-unmerged"]


def test_unmerge_first_then_a_cancel_of_the_basic_order_as_its_page_showed_it(
        session, make_order, orders, race, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    shown = orders.get(basic_id).version
    unmerged, canceled = race(lambda s: orders.id_of(services.unmerge(s, added_id, actor="bob")),
                              lambda s: orders.id_of(services.cancel(s, basic_id, actor="ann", expected_version=shown)))
    assert unmerged == added_id and isinstance(canceled, StaleOrder)
    assert lines_of(orders.get(added_id)) == before["added"] and lines_of(orders.get(basic_id)) == before["basic"]
    assert (orders.status(added_id), orders.status(basic_id)) == (OrderStatus(ADDED), OrderStatus(BASIC))
    assert orders.totals() == before["totals"]
    assert len(unmerged_signals(signals_sent)) == 1


def test_a_cancel_of_the_basic_order_first_then_unmerge(session, make_order, orders, race, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    canceled, unmerged = race(lambda s: orders.id_of(services.cancel(s, basic_id, actor="ann")),
                              lambda s: orders.id_of(services.unmerge(s, added_id, actor="bob")))
    assert canceled == basic_id
    assert isinstance(unmerged, UnmergeNotAllowed) and "has changed since" in str(unmerged)
    assert (orders.status(added_id), orders.status(basic_id)) == (OrderStatus.MERGED, OrderStatus.CANCELED)
    assert orders.get(added_id).items == [] and len(orders.get(basic_id).items) == 5
    assert orders.totals() == before["totals"]
    assert unmerged_signals(signals_sent) == []


def test_a_merge_into_the_basic_order_first_then_unmerge(session, make_order, orders, race, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    third = make_order(ADDED, items=1)
    totals = orders.totals()
    merged, unmerged = race(lambda s: orders.id_of(services.merge(s, third.id, basic_id, actor="ann")),
                            lambda s: orders.id_of(services.unmerge(s, added_id, actor="bob")))
    assert merged == basic_id and isinstance(unmerged, UnmergeNotAllowed)
    assert len(orders.get(basic_id).items) == 6 and orders.get(added_id).items == []
    assert orders.totals() == totals
    assert unmerged_signals(signals_sent) == []


def test_unmerge_first_then_a_merge_into_the_basic_order(session, make_order, orders, race, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    third = make_order(ADDED, items=1)
    third_lines, totals = lines_of(third), orders.totals()
    unmerged, merged = race(lambda s: orders.id_of(services.unmerge(s, added_id, actor="bob")),
                            lambda s: orders.id_of(services.merge(s, third.id, basic_id, actor="ann")))
    # Both apply, one after the other: the merge finds the basic order as it was before the first merge.
    assert (unmerged, merged) == (added_id, basic_id)
    assert lines_of(orders.get(added_id)) == before["added"]
    assert lines_of(orders.get(basic_id)) == sorted(before["basic"] + third_lines)
    assert orders.totals() == totals
    assert len(unmerged_signals(signals_sent)) == 1


def test_two_unmerges_at_once_undo_it_once(session, make_order, orders, race, signals_sent):
    added_id, basic_id, before = merged_pair(session, make_order, orders)
    first, second = race(lambda s: orders.id_of(services.unmerge(s, added_id, actor="bob")),
                         lambda s: orders.id_of(services.unmerge(s, added_id, actor="ann")))
    assert first == added_id
    assert isinstance(second, OrderActionError) and "not merged" in str(second)
    assert lines_of(orders.get(added_id)) == before["added"] and lines_of(orders.get(basic_id)) == before["basic"]
    assert [e.action for e in orders.events(added_id)].count("unmerge") == 1
    assert len(unmerged_signals(signals_sent)) == 1
