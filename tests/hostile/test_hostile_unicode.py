"""The far ends of Unicode in every text that reaches SQL (issue 18, item 3): U+10FFFF, the last code point,
ending a "starts with" text; NUL inside text; text that NFKC makes long (U+FDFA is 18 characters). The search
box, the lists' ``?search=``, the filters and the forms read them by one rule (docs/design.md, "Text from
requests"): never a 500, the same refusal everywhere."""

from __future__ import annotations

import re
from typing import NamedTuple

import pytest

from flask_order_admin.models import ExportRecord, Order, OrderEvent
from tests.views.conftest import hidden_fields

TOP = "\U0010ffff"
NON_TEXT = "The text holds a character that is not text (NUL): type it again."
TOO_LONG = "Search for at most 200 characters."
EMPTY = "Type an order number, or a buyer’s name, email or phone."
LISTS = ["/admin/orders/", "/admin/orders/items/", "/admin/orders/exports/"]


def numbers_on(response) -> set[str]:
    return set(re.findall(r"ORD-\d{10}", response.text))


def number(order_id: int) -> str:
    return f"ORD-{order_id:010d}"


class TopBuyers(NamedTuple):
    numbers: set[str]  # the orders whose name and email go on past U+10FFFF
    weiz: str  # "Li Weiz": its name's word "weiz" starts with "wei"


@pytest.fixture
def top_buyers(make_order):
    """The numbers of two orders whose name and email go on past U+10FFFF; and neighbours that a range with
    no upper bound would find too."""
    first = make_order("processing", buyer_name=f"Li Wei{TOP}z", buyer_email=f"a@{TOP}.example", customer_ref="t1")
    second = make_order("processing", buyer_name=f"Li Wei{TOP}{TOP}", buyer_email=f"a@{TOP}{TOP}", customer_ref="t2")
    make_order("processing", buyer_name="Li Wej", buyer_email="b@example.com", customer_ref="t3")
    weiz = make_order("processing", buyer_name="Li Weiz", buyer_email="aa@example.com", customer_ref="t4")
    return TopBuyers({number(first.id), number(second.id)}, number(weiz.id))


@pytest.mark.parametrize("text", [f"li wei{TOP}", f"a@{TOP}"], ids=["name", "email"])
def test_the_search_box_finds_what_starts_with_the_last_code_point(client, top_buyers, text):
    response = client.get("/admin/orders/search/", query_string={"q": text})
    assert response.status_code == 200
    # U+10FFFF is no letter: it ends a name's word, so "wei" (and "weiz", which starts with it) match too
    # (docs/design.md, "Search keys"); an email is one key.
    expected = top_buyers.numbers | {top_buyers.weiz} if "@" not in text else top_buyers.numbers
    assert numbers_on(response) == expected


@pytest.mark.parametrize("text", [f"a{TOP}", f"a@{TOP}{TOP}{TOP}", f"{TOP}a"])
def test_the_search_box_answers_text_with_the_last_code_point_that_matches_nothing(client, top_buyers, text):
    response = client.get("/admin/orders/search/", query_string={"q": text})
    assert response.status_code == 200
    assert 'id="search-none"' in response.text


@pytest.mark.parametrize("value", [f"a@{TOP}", f"A@{TOP}"])
def test_the_email_filter_finds_what_starts_with_the_last_code_point(client, top_buyers, value):
    response = client.get("/admin/orders/", query_string={"flt0_buyer_email_starts_with": value})
    assert response.status_code == 200
    assert numbers_on(response) == top_buyers.numbers


def test_an_email_filter_of_the_last_code_point_alone_has_no_upper_bound(client, make_order):
    make_order("processing", buyer_email="z@example.com", customer_ref="t5")
    top = make_order("processing", buyer_email=f"{TOP}@example.com", customer_ref="t6")
    response = client.get("/admin/orders/", query_string={"flt0_buyer_email_starts_with": TOP})
    assert response.status_code == 200
    assert numbers_on(response) == {number(top.id)}


# Refused text: the search box and the lists say the same.
REFUSED = [
    ("a\x00b", NON_TEXT), ("li\x00wei", NON_TEXT), ("ORD-1\x00", NON_TEXT), ("\x00", NON_TEXT),
    ("\ufdfa" * 12, TOO_LONG),  # 12 characters typed, 216 once normalised
    ("\ufdfa" * 100_000, TOO_LONG), ("x" * 5000, TOO_LONG),
    ("\u3000 \u2003", EMPTY),  # spaces only, once normalised
]
REFUSED_IDS = ["nul-inside", "nul-name", "nul-number", "nul", "fdfa-12", "fdfa-100000", "x-5000", "spaces"]


@pytest.mark.parametrize(("text", "message"), REFUSED, ids=REFUSED_IDS)
def test_the_search_box_refuses_with_a_message(client, make_order, db_state, error_of, text, message):
    make_order("processing", buyer_name="a b", customer_ref="c-1")
    before = db_state()
    response = client.get("/admin/orders/search/", query_string={"q": text}, follow_redirects=True)
    assert response.status_code == 200
    assert message in error_of(response)
    assert db_state() == before


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize(("text", "message"), REFUSED, ids=REFUSED_IDS)
def test_a_lists_search_is_refused_as_the_search_box_refuses_it(client, make_order, error_of, url, text, message):
    make_order("processing", items=1)
    response = client.get(url, query_string={"search": text, "page_size": "50"}, follow_redirects=True)
    assert response.status_code == 200
    assert message in error_of(response)
    # Back on the same list without the search; the other arguments kept.
    assert [r.status_code for r in response.history] == [302]
    assert response.request.path == url and "search" not in response.request.args
    assert response.request.args.get("page_size") == "50"


@pytest.mark.parametrize("url", LISTS)
def test_a_lists_search_that_can_be_read_is_kept_normalised(client, make_order, url):
    make_order("processing", items=1)
    response = client.get(url, query_string={"search": "  Ｌｉ   Wei "})
    assert response.status_code == 200
    assert "search=Li+Wei" in response.text  # the links of the page carry it as read


@pytest.mark.parametrize("text", ["a\x00b", "\ufdfa" * 100_000])
def test_exporting_a_list_with_a_refused_search_exports_nothing(client, make_order, session, error_of, text):
    make_order("processing", items=1)
    fields = {**hidden_fields(client.get(LISTS[0]).text, "export-matching-form"), "format": "xls"}
    response = client.post("/admin/orders/export-matching/", query_string={"search": text}, data=fields,
                           follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert error_of(response)
    session.expire_all()
    assert session.query(ExportRecord).count() == 0
    session.rollback()


# The forms: text holding NUL is refused, nothing stored.


def test_a_note_holding_nul_is_refused(client, make_order, session, token, error_of):
    order_id = make_order("processing", items=1).id
    response = client.post(f"/admin/orders/{order_id}/comment/", data={"csrf_token": token(client), "text": "a\x00b"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert NON_TEXT in error_of(response)
    session.expire_all()
    assert session.query(OrderEvent).filter_by(order_id=order_id).count() == 0
    session.rollback()


def test_a_cancel_reason_holding_nul_is_refused(client, make_order, session, token, error_of):
    order_id = make_order("awaiting_payment", items=1).id
    response = client.post(f"/admin/orders/{order_id}/cancel/", follow_redirects=True,
                           data={"csrf_token": token(client), "version": 1, "reason": "changed\x00mind"})
    assert response.status_code == 200
    assert NON_TEXT in error_of(response)
    session.expire_all()
    assert session.get(Order, order_id).status == "awaiting_payment"
    session.rollback()


def test_a_bulk_cancel_reason_holding_nul_is_refused(client, make_order, session, token, error_of):
    order_id = make_order("awaiting_payment", items=1).id
    response = client.post("/admin/orders/bulk/cancel/run/", follow_redirects=True, data={
        "csrf_token": token(client), "scope": "selected", "order_id": [str(order_id)], "reason": "\x00"})
    assert response.status_code < 500
    assert NON_TEXT in error_of(response)
    session.expire_all()
    assert session.get(Order, order_id).status == "awaiting_payment"
    session.rollback()
