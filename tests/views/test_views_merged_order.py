"""A merged order's page shows, read-only, the lines that left it, each linked to the order that holds it now
(issue 14, item 6): not "Items (0)" and 0.00 with no trace."""

from __future__ import annotations

import re

from flask_order_admin.services import merge


def page_of(client, order) -> str:
    response = client.get("/admin/orders/details/", query_string={"id": order.id})
    assert response.status_code == 200
    return response.text


def moved_rows(page: str) -> list[str]:
    table = re.search(r'<table[^>]*id="moved-lines".*?</table>', page, re.S)
    assert table, "no table of moved lines"
    return re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0).split("<tbody>")[1], re.S)


def test_a_merged_order_lists_the_lines_that_moved_and_where_they_are(client, make_order, session):
    added = make_order("awaiting_payment", items=2)
    basic = make_order("awaiting_payment", items=1)
    merge(session, added.id, basic.id, actor="manager")
    page = page_of(client, added)
    rows = moved_rows(page)
    assert len(rows) == 2
    for row in rows:
        assert f'details/?id={basic.id}' in row and basic.number in row  # the order holding it now
    assert "Cotton dress 0" in page and "Cotton dress 1" in page
    assert re.search(r'id="tab-items"[^>]*>Items \(2 moved\)</a>', page)
    moved_out = re.search(r'id="moved-out">(.*?)</dd>', page, re.S).group(1)
    assert "2 lines, quantity" in moved_out and basic.number in moved_out
    # Read-only: no form, and no action but export on the merged order.
    assert 'id="comment-form"' not in page
    assert "Items (0)" not in page


def test_lines_that_moved_on_are_shown_in_the_order_that_holds_them_now(client, make_order, session):
    """Y into X, then X into B, then B into C: X's page lists its own and Y's lines, each now in C."""
    y = make_order("awaiting_payment", items=1, buyer_name="Y")
    x = make_order("awaiting_payment", items=2, buyer_name="X")
    b = make_order("awaiting_payment", items=1, buyer_name="B")
    c = make_order("awaiting_payment", items=1, buyer_name="C")
    merge(session, y.id, x.id, actor="manager")
    merge(session, x.id, b.id, actor="manager")
    merge(session, b.id, c.id, actor="manager")
    rows = moved_rows(page_of(client, x))
    assert len(rows) == 3  # X's two and Y's one; not B's nor C's own line
    assert all(f'details/?id={c.id}' in row for row in rows)
    assert sum(f'details/?id={y.id}' in row for row in rows) == 1  # Y's line says where it was placed
    assert len(moved_rows(page_of(client, b))) == 4  # B's own, X's two, Y's one
    assert len(moved_rows(page_of(client, y))) == 1


def test_an_order_that_was_not_merged_lists_its_own_lines(client, make_order):
    order = make_order("processing", items=3)
    page = page_of(client, order)
    assert 'id="moved-lines"' not in page and 'id="order-lines"' in page and "Items (3)" in page


def test_the_merged_order_page_costs_the_same_statements_for_few_and_many_lines(
    client, make_order, session, count_statements
):
    pages = []
    for count in (2, 200):
        added, basic = make_order("awaiting_payment", items=count), make_order("awaiting_payment", items=1)
        merge(session, added.id, basic.id, actor="manager")
        pages.append(added)
    page_of(client, pages[0])  # warm-up
    few = count_statements(lambda: page_of(client, pages[0]))
    assert few == count_statements(lambda: page_of(client, pages[1]))
