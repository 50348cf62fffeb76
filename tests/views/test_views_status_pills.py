"""Status at a glance: the pills over both lists (every status's count exact, one count statement; past the
budget, the planner's estimate marked "≈"), and the lists filtered by several statuses at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, literal_column, select, text

from flask_order_admin.views.list_view import OrderListView
from tests.model_sets import SETS


def pills(page: str) -> dict[str, tuple[str, str, bool]]:
    """Each pill's status ("" for all): (label and count as shown, its link, whether it is active)."""
    found = {}
    for match in re.finditer(r'<li class="nav-item([^"]*)"\s+data-status="([^"]*)">\s*<a class="nav-link[^"]*" '
                             r'href="([^"]*)"[^>]*>(.*?)</a>', _pills_block(page), re.S):
        classes, status, href, text = match.groups()
        shown = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        found[status] = (shown, href.replace("&amp;", "&"), "order-admin-pill-active" in classes)
    return found


def _pills_block(page: str) -> str:
    return re.search(r'<ul class="nav nav-pills order-admin-status-pills.*?</ul>', page, re.S).group(0)


def is_status_count(statement: str) -> bool:
    """The pills' count: grouped (``GROUP BY status``), or each status on its own in one statement (a list
    with no other filter: ``SELECT (SELECT count(*) … WHERE status = …), …``)."""
    return "count(*)" in statement and ("GROUP BY" in statement or statement.startswith("SELECT (SELECT count(*)"))


def is_estimate(statement: str) -> bool:
    """The pills' estimate on PostgreSQL: an ``EXPLAIN``, or the status column's statistics."""
    return statement.startswith("EXPLAIN") or "pg_stats" in statement


def numbers_listed(page: str) -> set[str]:
    return set(re.findall(r'class="text-nowrap[^"]*">([^<]+)</a>', page))


@pytest.fixture
def four_orders(make_order):
    return {
        "processing": [make_order("processing", buyer_name="Li Wei"), make_order("processing", buyer_name="Wang Fang")],
        "shipped": [make_order("shipped", buyer_name="Li Wei")],
        "canceled": [make_order("canceled", buyer_name="Li Wei")],
    }


def test_the_pills_count_each_status_and_link_to_it(client, four_orders):
    shown = pills(client.get("/admin/orders/").text)
    assert shown[""] == ("All statuses", "/admin/orders/", True)
    assert shown["processing"] == ("Processing 2", "/admin/orders/?flt0_status_in_list=processing", False)
    assert shown["shipped"][0] == "Shipped 1" and shown["canceled"][0] == "Canceled 1"
    assert "completed" not in shown  # no order in it: no pill


def test_the_counts_follow_the_other_filters_and_the_links_keep_them(client, four_orders):
    shown = pills(client.get("/admin/orders/?flt1_buyer_contains=li+wei&page_size=20").text)
    assert shown["processing"] == (
        "Processing 1", "/admin/orders/?flt1_buyer_contains=li+wei&page_size=20&flt0_status_in_list=processing", False)


def test_the_list_filters_by_several_statuses_at_once(client, four_orders):
    """Status was one value at a time: ``status_in_list`` was unknown and the list showed every order."""
    page = client.get("/admin/orders/?flt0_status_in_list=processing,shipped").text
    wanted = {o.number for o in four_orders["processing"] + four_orders["shipped"]}
    assert numbers_listed(page) == wanted
    shown = pills(page)
    assert shown["processing"][2] and shown["shipped"][2] and not shown["canceled"][2] and not shown[""][2]
    toggles = dict(re.findall(r'href="([^"]*)" data-toggle-status="(\w+)"', _pills_block(page)))
    assert toggles["/admin/orders/?flt0_status_in_list=shipped"] == "remove"
    assert toggles["/admin/orders/?flt0_status_in_list=processing,shipped,canceled"] == "add"
    items = client.get("/admin/orders/items/?flt0_status_in_list=canceled,shipped").text
    assert numbers_listed(items) == {o.number for o in four_orders["shipped"] + four_orders["canceled"]}


@pytest.mark.parametrize("bad", ["", "shipped,nonsense", "merged;drop", ",", "shipped\x00"])
def test_a_status_list_with_an_unknown_status_is_refused(client, four_orders, bad):
    page = client.get("/admin/orders/", query_string={"flt0_status_in_list": bad}).text
    assert "Invalid Filter Value" in page
    assert len(numbers_listed(page)) == 4


def test_the_list_with_its_counts_is_four_statements_and_an_estimate(client, four_orders, statements, dialect):
    """The capped list count, the page's rows, the status counts (one statement), the page's totals (items
    tab: its orders); on PostgreSQL the estimate before the counts (their budget), which reads no row: the
    status column's statistics, then an ``EXPLAIN`` where the table has none yet (as here) or the list has
    other conditions."""
    for url in ("/admin/orders/", "/admin/orders/items/", "/admin/orders/?flt0_status_in_list=processing,shipped",
                "/admin/orders/?flt1_buyer_contains=li+wei&page=0"):
        seen = statements(lambda: client.get(url))
        counted = [s for s in seen if is_status_count(s)]
        estimated = [s for s in seen if is_estimate(s)]
        assert len(counted) == 1, (url, seen)
        unfiltered = url in ("/admin/orders/", "/admin/orders/?flt0_status_in_list=processing,shipped")
        expected = (["statistics", "EXPLAIN"] if unfiltered else ["EXPLAIN"]) if dialect == "postgresql" else []
        assert [s.split()[0] if s.startswith("EXPLAIN") else "statistics" for s in estimated] == expected, (url, seen)
        assert len(seen) == 4 + len(estimated), (url, seen)


def test_an_analyzed_table_is_estimated_from_its_statistics_as_the_planner_would(
        client, make_order, session, statements, dialect, orders):
    """On PostgreSQL, an unfiltered list's estimate is the status column's statistics, the planner's own
    arithmetic on them (the same rows ``EXPLAIN`` gives, without planning a statement per status), and its
    count one statement of a count per status; a filtered list's is an ``EXPLAIN`` and a grouped count."""
    if dialect != "postgresql":
        pytest.skip("the statistics are PostgreSQL's")
    from flask_order_admin.domain import OrderStatus
    from flask_order_admin.services.row_estimates import _explained_rows, planned_rows
    from flask_order_admin.views.listing import OrderScope

    for status, count in (("processing", 30), ("shipped", 12), ("canceled", 3)):
        for _ in range(count):
            make_order(status, items=0)
    binding = orders.binding
    session.execute(text(f"ANALYZE {binding.order.__table__.name}"))
    session.commit()
    base = select(literal_column("1")).select_from(binding.order)
    scope = OrderScope(binding)
    mapped = [status for status in OrderStatus if binding.statuses.is_mapped(status)]
    asked = binding.status_conditions(base, mapped, scope.where)  # what the pills ask the planner
    from_statistics = planned_rows(session, asked)
    assert from_statistics == _explained_rows(session.connection(), asked)
    assert dict(zip(mapped, from_statistics))[OrderStatus.PROCESSING] == 30.0
    session.rollback()

    seen = statements(lambda: client.get("/admin/orders/"))
    assert [s for s in seen if is_estimate(s)] == [s for s in seen if "pg_stats" in s] and len(seen) == 5, seen
    [counted] = [s for s in seen if is_status_count(s)]
    assert "GROUP BY" not in counted
    shown = pills(client.get("/admin/orders/").text)
    assert [shown[s][0] for s in ("processing", "shipped", "canceled")] == [
        "Processing 30", "Shipped 12", "Canceled 3"]
    seen = statements(lambda: client.get("/admin/orders/?flt1_buyer_contains=li"))
    assert [s for s in seen if is_estimate(s)][-1].startswith("EXPLAIN")
    assert "GROUP BY" in next(s for s in seen if is_status_count(s))


@pytest.fixture
def copy_order(session, orders, model_set):
    """``copy_order(order, n)``: n more orders like it (no lines), in one statement."""
    return lambda order, copies: SETS[model_set].copy_order(session, orders.binding, order.id, copies)


def test_counts_past_a_thousand_are_exact(client, make_order, copy_order, speak):
    """They read «1 000+» for every status past 1,000 orders."""
    copy_order(make_order("processing", buyer_name="Li Wei"), 1_204)
    copy_order(make_order("shipped", buyer_name="Wang Fang"), 1_010)
    make_order("canceled")
    shown = pills(client.get("/admin/orders/").text)
    assert [shown[s][0] for s in ("processing", "shipped", "canceled")] == [
        "Processing 1,205", "Shipped 1,011", "Canceled 1"]
    assert pills(client.get("/admin/orders/?flt1_buyer_contains=wang").text)["shipped"][0] == "Shipped 1,011"
    assert "processing" not in pills(client.get("/admin/orders/?flt1_buyer_contains=wang").text)
    speak("ru")
    ru = pills(client.get("/admin/orders/?flt1_buyer_contains=li").text)
    assert ru["processing"][0] == "В обработке 1 205"  # a no-break space, read as a space by pills()


def test_the_items_tab_counts_lines_by_their_orders_status(client, four_orders):
    shown = pills(client.get("/admin/orders/items/").text)
    assert [shown[s][0] for s in ("processing", "shipped", "canceled")] == ["Processing 4", "Shipped 2", "Canceled 2"]
    shown = pills(client.get("/admin/orders/items/?flt1_buyer_contains=li+wei").text)
    assert [shown[s][0] for s in ("processing", "shipped", "canceled")] == ["Processing 2", "Shipped 2", "Canceled 2"]


def test_past_the_budget_the_biggest_statuses_show_an_estimate(client, make_order, configure, monkeypatch, speak):
    """The estimator replaced by one that says 100 rows for each row there is: the budget (350) holds
    Shipped (100) and Canceled (200), not Processing (300) too; its estimate is marked, the others exact."""
    def hundredfold(view, session, statements):
        return [100.0 * session.scalar(select(func.count()).select_from(s.subquery())) for s in statements]

    monkeypatch.setattr(OrderListView, "planned_rows", hundredfold)
    configure(status_count_budget=350)
    for status in ("processing", "processing", "processing", "shipped", "canceled", "canceled"):
        make_order(status, items=0)
    page = client.get("/admin/orders/").text
    shown = pills(page)
    assert [shown[s][0] for s in ("processing", "shipped", "canceled")] == [
        "Processing ≈ 300", "Shipped 1", "Canceled 2"]
    assert page.count("data-estimated") == 1
    assert "Estimated: counting these orders exactly would slow the list down" in _pills_block(page)
    speak("zh_Hans")
    assert pills(client.get("/admin/orders/").text)["processing"][0] == "处理中 约 300"


def test_with_every_status_past_the_budget_nothing_is_counted(client, make_order, configure, monkeypatch, statements):
    monkeypatch.setattr(OrderListView, "planned_rows", lambda view, session, statements: [123_456.0] * len(statements))
    configure(status_count_budget=100_000)
    make_order("processing", items=0)
    seen = statements(lambda: client.get("/admin/orders/"))
    shown = pills(client.get("/admin/orders/").text)
    assert shown["processing"][0] == "Processing ≈ 120,000" and shown["completed"][0] == "Completed ≈ 120,000"
    assert not [s for s in seen if is_status_count(s)], seen


def test_on_postgresql_the_planner_estimates_past_a_tiny_budget(client, make_order, configure, dialect):
    """The real estimate (``EXPLAIN``): with a budget of one row, no status with orders is counted exactly
    on PostgreSQL; the other databases give no estimate, so every count stays exact there."""
    configure(status_count_budget=1)
    for status in ("processing", "processing", "shipped"):
        make_order(status, items=0)
    page = client.get("/admin/orders/").text
    shown = pills(page)
    if dialect == "postgresql":
        assert shown["processing"][0].startswith("Processing ≈ ") and "data-estimated" in page
    else:
        assert (shown["processing"][0], shown["shipped"][0]) == ("Processing 2", "Shipped 1")
    assert "+" not in shown["processing"][0]
