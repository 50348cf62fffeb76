"""The services on a shop's own tables (the legacy shop's): its own numbers searched by their last digits,
its statuses (an unknown stored value, a status it has no value for), buyers on its customer table."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import xlrd
from sqlalchemy import update

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.store import resolve_store
from flask_order_admin.errors import ActionNotAllowed, MergeNotAllowed, OrderSearchError
from flask_order_admin.export import order_xls
from tests.model_sets import LEGACY

pytestmark = pytest.mark.models(LEGACY)

NO_MERGED = "This shop has no status “Merged”, so orders cannot be merged here."
NO_CANCELED = "This shop has no status “Canceled”, so orders cannot be canceled here."


def numbers(found: list[Any], orders: Any) -> list[str]:
    return [orders.get(orders.id_of(o)).number for o in found]


@pytest.fixture
def mapping_without(app: Any) -> Any:
    """Mount the shop's tables with a status mapping that lacks ``statuses`` (for this test)."""
    from example_app.legacy.order_models import SHOP_ORDER_MODELS, STATUS_CODES

    state = app.extensions["order_admin"]

    def use(*statuses: OrderStatus) -> None:
        models = dataclasses.replace(
            SHOP_ORDER_MODELS, status_values={s: v for s, v in STATUS_CODES.items() if s not in statuses})
        state.store = resolve_store(models)

    return use


# -- numbers ------------------------------------------------------------------------------------------


def test_the_shops_own_number_is_found_by_its_last_digits_by_its_tail_and_in_full(session, make_order, orders):
    for number in ("SH-24-00042", "SH-24-00142", "SH-24-00043", "SH-25-00042", "SH-24-00420"):
        make_order(number=number, items=1)
    # Exact first (the whole number, or trailing digits of that value), newest first; then the other ends.
    assert numbers(services.search(session, "42"), orders) == ["SH-25-00042", "SH-24-00042", "SH-24-00142"]
    assert numbers(services.search(session, "00042"), orders) == ["SH-25-00042", "SH-24-00042"]
    assert numbers(services.search(session, "SH-24-00042"), orders) == ["SH-24-00042"]
    assert numbers(services.search(session, " sh-24-00042 "), orders) == ["SH-24-00042"]
    assert numbers(services.search(session, "4-00042"), orders) == ["SH-24-00042"]
    assert numbers(services.search(session, "420"), orders) == ["SH-24-00420"]
    assert services.search(session, "99") == []


@pytest.mark.parametrize("bad", ["", "   ", None, "%", "*", "-- ", "x" * 201])
def test_search_text_that_can_find_nothing_gets_a_message(session, make_order, bad):
    make_order(number="SH-24-00042")
    with pytest.raises(OrderSearchError) as caught:
        services.search(session, bad)
    assert len(str(caught.value)) > 10


@pytest.mark.parametrize("text", ["0", "000", "4*2", "' OR 1=1 --", "42; DELETE FROM shop_orders", "SH 24", "x" * 101])
def test_search_text_that_is_no_number_is_searched_as_the_other_fields(session, make_order, orders, text):
    make_order(number="SH-24-00042")
    assert services.search(session, text) == []
    assert numbers(services.search(session, "２４－００042"), orders) == ["SH-24-00042"]  # full-width, NFKC


def test_number_search_sends_as_many_statements_at_300_orders_as_at_5(session, make_order, statements):
    for n in range(5):
        make_order(number=f"SH-24-{n + 1:05d}", items=0)
    services.search(session, "1")  # indexes the five
    few = statements(lambda: services.search(session, "00003"))
    for n in range(5, 300):
        make_order(number=f"SH-24-{n + 1:05d}", items=0)
    services.search(session, "1")
    many = statements(lambda: services.search(session, "00003"))
    assert len(many) == len(few)
    # Nothing to index: one index-range query finds no newer order, then the lookups by the reversed number.
    assert not any(s.lstrip().upper().startswith("INSERT") for s in many)


def test_orders_newer_than_the_index_are_indexed_before_the_search(session, make_order, orders, statements):
    make_order(number="SH-24-00042")
    assert numbers(services.search(session, "42"), orders) == ["SH-24-00042"]
    newer = make_order(number="SH-26-00042")
    sent = statements(lambda: services.search(session, "00042"))
    assert sum("order_admin_number_keys" in s and s.lstrip().upper().startswith("INSERT") for s in sent) == 1
    assert numbers(services.search(session, "00042"), orders) == [newer.number, "SH-24-00042"]


def test_a_number_the_shop_changed_is_found_after_index_numbers(app, session, make_order, orders):
    order = make_order(number="SH-24-00042")
    services.search(session, "42")
    session.execute(update(orders.binding.order).where(orders.binding.order_pk == order.id).values(number="SH-24-07777"))
    session.commit()
    assert services.search(session, "7777") == []  # the index still holds the old number
    result = app.test_cli_runner().invoke(args=["order-admin", "index-numbers", "--all"])
    assert result.exit_code == 0 and "Indexed the numbers of 1 orders" in result.output
    assert numbers(services.search(session, "7777"), orders) == ["SH-24-07777"]


# -- statuses -----------------------------------------------------------------------------------------


def test_an_unknown_stored_status_is_shown_as_it_is_and_allows_only_export(session, make_order, orders, snapshot):
    on_hold = make_order(77, items=1)
    other = make_order("awaiting_payment")
    assert (on_hold.status, on_hold.raw_status, str(on_hold.status_label)) == (None, 77, "unknown status 77")
    before = snapshot(on_hold.id)
    for outcome, run in {
        "it cannot be canceled": lambda: services.cancel(session, on_hold.id, actor="ann"),
        "it cannot be closed": lambda: services.close(session, on_hold.id, actor="ann"),
        "it cannot be restored": lambda: services.restore(session, on_hold.id, actor="ann"),
        "notes cannot be added to it": lambda: services.add_comment(session, on_hold.id, actor="ann", text="hello"),
    }.items():
        with pytest.raises(ActionNotAllowed, match=f"has status 77, which this panel does not know, so {outcome} here"):
            run()
    for added, basic in ((on_hold.id, other.id), (other.id, on_hold.id)):
        with pytest.raises(MergeNotAllowed, match="has status 77"):
            services.merge(session, added, basic, actor="ann")
    assert str(services.find_merge_candidates(session, on_hold.id).reason).startswith("This order has status 77")
    assert snapshot(on_hold.id) == before
    sheet = xlrd.open_workbook(file_contents=order_xls(session, on_hold.id)).sheet_by_index(0)
    assert sheet.cell_value(1, 2) == on_hold.number


def test_a_status_the_shop_has_no_value_for_switches_its_action_off(session, make_order, snapshot, mapping_without):
    added, basic = make_order("awaiting_payment", items=2), make_order("awaiting_payment", items=1)
    mapping_without(OrderStatus.MERGED)
    before = snapshot(added.id), snapshot(basic.id)
    with pytest.raises(MergeNotAllowed) as caught:
        services.merge(session, added.id, basic.id, actor="ann")
    assert str(caught.value) == NO_MERGED
    assert str(services.find_merge_candidates(session, added.id).reason) == NO_MERGED
    assert (snapshot(added.id), snapshot(basic.id)) == before
    # The other actions still run.
    services.cancel(session, added.id, actor="ann")
    mapping_without(OrderStatus.CANCELED)
    with pytest.raises(ActionNotAllowed, match=NO_CANCELED):
        services.cancel(session, basic.id, actor="ann")


def test_a_mapped_status_is_stored_as_the_shops_value(session, make_order, orders, db):
    order = make_order("processing")
    services.close(session, order.id, actor="ann")
    with db.engine.connect() as connection:
        state = connection.scalar(orders.binding.order.__table__.select().with_only_columns(
            orders.binding.order.__table__.c.state).where(orders.binding.order.__table__.c.id == order.id))
    assert state == 60 and orders.status(order.id) == OrderStatus.COMPLETED


# -- buyers on the customer table --------------------------------------------------------------------


def test_the_same_customer_rule_reads_the_customer_table_in_one_statement(session, make_order, statements):
    added = make_order("awaiting_payment", customer_ref="C-1", buyer_email="mei@example.com")
    [make_order("awaiting_payment", customer_ref="C-1") for _ in range(3)]
    [make_order("awaiting_payment", customer_ref=None, buyer_email="MEI@example.com") for _ in range(2)]
    make_order("awaiting_payment", customer_ref="C-2", buyer_email="other@example.com")
    session.rollback()
    sent = statements(lambda: services.find_merge_candidates(session, added.id))
    candidates = services.find_merge_candidates(session, added.id).records
    assert len(candidates) == 5 and {c.customer_ref for c in candidates} == {"C-1", None}
    on_customers = [s for s in sent if "shop_customers" in s]
    # The candidates and their buyers: one statement (the customer table joined in, and matched by an IN
    # over its key), however many candidates; never one query per order.
    assert len(sent) == 2 and len(on_customers) == 2
    candidate_query = sent[-1]
    assert " IN (SELECT" in candidate_query.replace("\n", " ") and "JOIN shop_customers" in candidate_query
    for _ in range(20):
        make_order("awaiting_payment", customer_ref="C-1")
    session.rollback()
    assert len(statements(lambda: services.find_merge_candidates(session, added.id))) == len(sent)


def test_merge_moves_the_lines_in_the_shops_table_and_records_their_origin_once(session, make_order, orders):
    a, b, c = make_order(items=3), make_order(items=2), make_order(items=1)
    services.merge(session, a.id, b.id, actor="ann")
    services.merge(session, b.id, c.id, actor="ann")
    lines = orders.get(c.id).items
    assert sorted(line.origin_order_id for line in lines) == sorted([a.id] * 3 + [b.id] * 2 + [c.id])
    runs = session.execute(orders.binding.origins_table.select()).all()
    # One row per run of consecutive line ids: a's three lines, then b's two (recorded by the second merge).
    assert sorted((r.last_line_id - r.first_line_id + 1, r.origin_order_id) for r in runs) == sorted(
        [(3, a.id), (2, b.id)])


def test_lines_of_interleaved_ids_get_their_origin_run_by_run(session, make_order, orders):
    """Lines of two orders inserted in turn (as two checkouts at once may): no run is one order's alone."""
    a, b, c = make_order(items=0), make_order(items=0), make_order(items=1)
    orders.insert_lines([{"order_id": order.id, "title": f"line {n}", "quantity": 1, "price": 1}
                         for n in range(6) for order in (a, b)])
    first_order = {line.id: order.id for order in (a, b, c) for line in orders.get(order.id).items}
    services.merge(session, a.id, c.id, actor="ann")
    services.merge(session, b.id, c.id, actor="ann")
    lines = orders.get(c.id).items
    assert len(lines) == 13 and {line.id: line.origin_order_id for line in lines} == first_order
    runs = session.execute(orders.binding.origins_table.select()).all()
    assert len(runs) == 12  # every moved line a run of its own, each recorded once
