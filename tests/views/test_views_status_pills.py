"""Status at a glance: the pills over both lists (a count per status, one statement for all of them,
capped as the list's count is), and the lists filtered by several statuses at once."""

from __future__ import annotations

import re

import pytest

from flask_order_admin.views import base as views_base


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


def test_the_list_with_its_counts_is_four_statements_the_counts_one(client, four_orders, statements):
    for url in ("/admin/orders/", "/admin/orders/items/", "/admin/orders/?flt0_status_in_list=processing,shipped"):
        seen = statements(lambda: client.get(url))
        counts = [s for s in seen if s.count("count(*)") > 1]
        # the capped list count, the page's rows, the status counts, the page's totals (items tab: its orders)
        assert len(seen) == 4 and len(counts) == 1, (url, seen)


def test_counts_past_the_cap_say_so(client, make_order, monkeypatch):
    monkeypatch.setattr(views_base.OrderAdminView, "pill_count_cap", lambda view: 2)
    for _ in range(3):
        make_order("processing", items=0)
    make_order("shipped", items=0)
    shown = pills(client.get("/admin/orders/").text)
    assert (shown["processing"][0], shown["shipped"][0]) == ("Processing 2+", "Shipped 1")
