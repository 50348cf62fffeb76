"""The search box of a filtered list searches within its filters (the status pills' and Flask-Admin's ``flt*_``),
says so, and offers the same search over every order; on both model sets and every database."""

from __future__ import annotations

import html
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import item_fields
from tests.hostile.test_hostile_params import BAD_FILTER_VALUES
from tests.model_sets import BUILTIN

SEARCH = "/admin/orders/search/"
SHIPPED = {"flt0_status_in_list": "shipped"}  # what the Shipped pill adds to the list's address


def listed(page: str) -> list[str]:
    """The order numbers the results table lists, in order."""
    if 'id="search-results"' not in page:
        return []
    table = page.split('id="search-results"')[1].split("</table>")[0]
    return re.findall(r'class="order-admin-order-link"[^>]*>([^<]+)</a>', table) or re.findall(r">([^<>]+)</a>", table)


def scope_words(page: str) -> list[str]:
    return [html.unescape(words) for words in re.findall(r'order-admin-scope-filter">([^<]*)</span>', page)]


def everywhere_url(page: str) -> str:
    link = re.search(r'<a [^>]*id="search-everywhere" href="([^"]*)"', page)
    assert link, "no Search everywhere link"
    return html.unescape(link.group(1))


def search_box_fields(page: str) -> dict[str, str]:
    """The search box's hidden fields: what it sends besides the typed text."""
    form = re.search(r'<form[^>]*class="form-inline order-admin-search".*?</form>', page, re.S)
    assert form
    return {name: html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0))}


@pytest.fixture
def buyers(make_order):
    """Three buyers called Li (two of them shipped) and one Zhang, shipped."""
    return {
        "li_shipped": make_order("shipped", buyer_name="Li Wei"),
        "li_processing": make_order("processing", buyer_name="Li Na"),
        "li_shipped_too": make_order("shipped", buyer_name="Li Bo"),
        "zhang_shipped": make_order("shipped", buyer_name="Zhang San"),
    }


def test_the_box_of_a_filtered_list_searches_within_its_filters(client, buyers):
    page = client.get("/admin/orders/", query_string=SHIPPED).text
    fields = search_box_fields(page)
    assert fields["flt0_status_in_list"] == "shipped" and 'id="search-within"' in page
    results = client.get(SEARCH, query_string={**fields, "q": "li"}).text
    assert set(listed(results)) == {buyers["li_shipped"].number, buyers["li_shipped_too"].number}
    assert scope_words(results) == ["Status equals Shipped"]
    # The results page's own box stays within them, for the next search.
    assert search_box_fields(results)["flt0_status_in_list"] == "shipped"


def test_search_everywhere_runs_the_same_search_without_the_filters(client, buyers):
    results = client.get(SEARCH, query_string={**SHIPPED, "q": "li", "url": "/admin/orders/?flt0_status_in_list=shipped",
                                               "back": "/admin/orders/?flt0_status_in_list=shipped"}).text
    url = everywhere_url(results)
    assert urlsplit(url).path == SEARCH
    assert parse_qs(urlsplit(url).query) == {"q": ["li"], "url": ["/admin/orders/?flt0_status_in_list=shipped"],
                                             "back": ["/admin/orders/?flt0_status_in_list=shipped"]}
    everywhere = client.get(url).text
    assert set(listed(everywhere)) == {buyers[name].number for name in ("li_shipped", "li_processing", "li_shipped_too")}
    assert 'id="search-scope"' not in everywhere and 'id="search-within"' not in everywhere
    assert "flt0_status_in_list" not in search_box_fields(everywhere)


def test_an_unfiltered_list_searches_everywhere_as_before(client, buyers):
    page = client.get("/admin/orders/").text
    fields = search_box_fields(page)
    assert set(fields) == {"url", "back"} and 'id="search-within"' not in page
    results = client.get(SEARCH, query_string={**fields, "q": "li"}).text
    assert len(listed(results)) == 3 and 'id="search-scope"' not in results


def test_several_filters_are_all_kept_and_each_named(client, make_order):
    november = datetime(2026, 11, 12, 10, 0)
    wanted = make_order("awaiting_payment", buyer_name="Li Wei", created_at=november)
    make_order("awaiting_payment", buyer_name="Li Na", created_at=datetime(2026, 10, 30, 10, 0))  # October
    make_order("shipped", buyer_name="Li Bo", created_at=november)  # paid
    make_order("awaiting_payment", buyer_name="Li Ming", created_at=november)
    filters = {"flt0_status_equals": "awaiting_payment", "flt1_date_between": "2026-11-01 to 2026-11-30",
               "flt2_buyer_contains": "wei"}
    results = client.get(SEARCH, query_string={**filters, "q": "Li"})
    assert results.status_code == 302 and f"details/?id={wanted.id}&" in results.location  # the one match opens
    del filters["flt2_buyer_contains"]
    page = client.get(SEARCH, query_string={**filters, "q": "Li"}).text
    assert len(listed(page)) == 2
    assert scope_words(page) == ["Status equals Awaiting payment", "Date between 2026-11-01 – 2026-11-30"]


def test_the_by_items_tab_filters_scope_the_search_too(client, buyers):
    page = client.get("/admin/orders/items/", query_string=SHIPPED).text
    fields = search_box_fields(page)
    assert fields["flt0_status_in_list"] == "shipped"
    results = client.get(SEARCH, query_string={**fields, "q": "li"}).text
    assert set(listed(results)) == {buyers["li_shipped"].number, buyers["li_shipped_too"].number}


def test_a_whole_number_outside_the_filters_is_not_found_within_them(client, buyers):
    outside = buyers["li_processing"]
    page = client.get(SEARCH, query_string={**SHIPPED, "q": outside.number}).text
    assert listed(page) == [] and 'id="search-none"' in page
    assert f"Nothing matches “{outside.number}” within the list’s filters." in html.unescape(page)
    response = client.get(everywhere_url(page))
    assert response.status_code == 302 and f"details/?id={outside.id}&" in response.location
    inside = buyers["li_shipped"]
    response = client.get(SEARCH, query_string={**SHIPPED, "q": inside.number})
    assert response.status_code == 302 and f"details/?id={inside.id}&" in response.location


@pytest.mark.models(BUILTIN)  # numbers made from the id: their last digits probe the ids
def test_last_digits_find_only_the_filtered_orders(client, make_order):
    for order_id, status in ((23, "shipped"), (123, "processing"), (223, "shipped"), (24, "shipped")):
        make_order(status, id=order_id, items=0)
    page = client.get(SEARCH, query_string={**SHIPPED, "q": "23"}).text
    assert listed(page) == ["ORD-0000000023", "ORD-0000000223"]


def test_an_item_id_and_an_email_search_within_the_filters(client, make_order):
    shipped = make_order("shipped", buyer_email="li@example.com", items=[item_fields(0, provider_item_id="tb-777")])
    processing = make_order("processing", buyer_email="li@example.com", items=[item_fields(0, provider_item_id="tb-777")])
    for text in ("tb-777", "LI@example.com"):
        response = client.get(SEARCH, query_string={**SHIPPED, "q": text})
        assert response.status_code == 302 and f"details/?id={shipped.id}&" in response.location, text
        page = client.get(SEARCH, query_string={"flt0_status_in_list": "processing,shipped", "q": text}).text
        assert set(listed(page)) == {shipped.number, processing.number}, text
        assert scope_words(page) == ["Status in list Processing, Shipped"]


ODD = "Li <b>\"x\" & 'y' %_\\ 李"


def test_odd_text_is_escaped_and_kept_by_the_everywhere_link(client, make_order):
    make_order("shipped", buyer_name="Li Wei")
    filters = {**SHIPPED, "flt1_buyer_contains": "<i>\"&'%_"}
    assert search_box_fields(client.get("/admin/orders/", query_string=filters).text)["flt1_buyer_contains"] == \
        "<i>\"&'%_"
    page = client.get(SEARCH, query_string={**filters, "q": ODD}).text
    assert "<b>" not in page and "<i>" not in page
    assert scope_words(page) == ["Status equals Shipped", "Buyer contains <i>\"&'%_"]
    assert 'id="search-none"' in page  # nobody's name holds that text
    fields = search_box_fields(page)
    assert fields["flt1_buyer_contains"] == "<i>\"&'%_" and fields["flt0_status_in_list"] == "shipped"
    url = everywhere_url(page)
    assert parse_qs(urlsplit(url).query)["q"] == [ODD]
    assert not any(name.startswith("flt") for name in parse_qs(urlsplit(url).query))
    everywhere = client.get(url).text
    assert 'id="search-scope"' not in everywhere and 'id="search-none"' in everywhere


@pytest.mark.parametrize(("arg", "value"), BAD_FILTER_VALUES, ids=lambda v: repr(v)[:24])
def test_a_refused_filter_value_is_said_and_left_out(client, buyers, arg, value):
    page = client.get(SEARCH, query_string={**SHIPPED, arg.replace("flt0", "flt1"): value, "q": "li"}).text
    assert "Invalid Filter Value" in page
    assert scope_words(page) == ["Status equals Shipped"]
    assert len(listed(page)) == 2
    assert set(search_box_fields(page)) == {"url", "back", "flt0_status_in_list"}


def test_a_search_within_filters_sends_as_many_statements_as_one_without(client, buyers, count_statements):
    def run(query: dict[str, str]):
        return lambda: client.get(SEARCH, query_string=query)

    run({"q": "li"})()  # the first search indexes a shop's new order numbers (services/number_index.py)
    everywhere = count_statements(run({"q": "li"}))
    within = count_statements(run({"flt0_status_in_list": "shipped,processing", "flt1_date_between":
                                   "2020-01-01 to 2030-12-31", "flt2_buyer_contains": "i", "q": "li"}))
    assert within == everywhere
