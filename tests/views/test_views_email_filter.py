"""The buyer email filter matches part of the address: its beginning, or its domain (it matched only the
whole address), ignoring case, on both lists and both model sets; "equals" stays for the buyer's orders."""

from __future__ import annotations

import re

import pytest


def numbers_listed(page: str) -> set[str]:
    return set(re.findall(r'class="text-nowrap[^"]*">([^<]+)</a>', page))


@pytest.fixture
def buyers(make_order):
    return {
        "li": make_order(buyer_email="Li.Wei@Example.com", customer_ref="c1"),
        "lin": make_order(buyer_email="lin@example.com.cn", customer_ref="c2"),
        "wang": make_order(buyer_email="wang_fang@mail.cn", customer_ref="c3"),
        "percent": make_order(buyer_email="wang%x@mail.cn", customer_ref="c4"),
    }


@pytest.mark.parametrize("value, wanted", [
    ("li", {"li", "lin"}), ("LI.WEI@", {"li"}), ("ｌｉｎ@", {"lin"}), ("wang_", {"wang"}), ("wang%", {"percent"}),
    ("nobody", set()),
])
def test_email_starts_with(client, buyers, value, wanted):
    page = client.get("/admin/orders/", query_string={"flt0_buyer_email_starts_with": value}).text
    assert numbers_listed(page) == {buyers[name].number for name in wanted}


@pytest.mark.parametrize("value, wanted", [
    ("example.com", {"li"}), ("@EXAMPLE.COM", {"li"}), ("mail.cn", {"wang", "percent"}), ("cn", set()),
])
def test_email_domain(client, buyers, value, wanted):
    for tab in ("/admin/orders/", "/admin/orders/items/"):
        page = client.get(tab, query_string={"flt0_buyer_email_domain_is": value}).text
        assert numbers_listed(page) == {buyers[name].number for name in wanted}, tab


def test_email_equals_still_means_the_whole_address(client, buyers):
    page = client.get("/admin/orders/", query_string={"flt0_buyer_email_equals": "li.wei@example.com"}).text
    assert numbers_listed(page) == {buyers["li"].number}


@pytest.mark.parametrize("value", ["", "   ", "\x00"])
def test_an_empty_part_is_refused(client, buyers, value):
    page = client.get("/admin/orders/", query_string={"flt0_buyer_email_starts_with": value}).text
    assert "Invalid Filter Value" in page and len(numbers_listed(page)) == 4
