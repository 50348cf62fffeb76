"""The search box beyond numbers: a buyer's name, email and phone, a customer reference and an item id, on
both model sets; ranked, and each lookup one statement however many orders there are."""

from __future__ import annotations

import pytest

from flask_order_admin import services
from flask_order_admin.domain.search_keys import name_key, normalize_text, phone_key
from flask_order_admin.errors import OrderSearchError
from tests.conftest import item_fields


def found(session, orders, text):
    return [orders.id_of(order) for order in services.search(session, text)]


def test_keys_are_read_through_nfkc():
    assert normalize_text("  ２３\u3000 ") == "23"
    assert name_key("  Li   WEI\u3000李伟 ") == "li wei 李伟"
    assert phone_key("+86 (138) 1234-5678") == "8765432183168"
    assert phone_key("＋８６ １３８") == "83168"


def test_a_buyers_name_is_found_by_its_beginning_exact_first(session, make_order, orders):
    li_wei = make_order(buyer_name="Li Wei 李伟", customer_ref="c1", buyer_email="a@example.com")
    li_weiming = make_order(buyer_name="Li Weiming", customer_ref="c2", buyer_email="b@example.com")
    # The name key collapses the spaces; the legacy shop's plain column is compared lower-cased only.
    spaced = "LI  WEI 李伟" if orders.is_builtin else "LI WEI 李伟"
    older_li_wei = make_order(buyer_name=spaced, customer_ref="c3", buyer_email="c@example.com")
    make_order(buyer_name="Wang Fang", customer_ref="c4", buyer_email="d@example.com")
    assert found(session, orders, "li wei 李伟") == [older_li_wei.id, li_wei.id]
    assert set(found(session, orders, "Li Wei")) == {li_wei.id, li_weiming.id, older_li_wei.id}
    assert found(session, orders, "  ｌｉ   weim") == [li_weiming.id]
    assert found(session, orders, "Zhang") == []


def test_an_email_is_found_whole_ignoring_case_or_by_its_beginning(session, make_order, orders):
    li = make_order(buyer_email="Li.Wei@Example.com", customer_ref="c1")
    lin = make_order(buyer_email="li.wei@example.com.cn", customer_ref="c2")
    assert found(session, orders, "LI.WEI@example.com") == [li.id, lin.id]  # the exact address first
    assert set(found(session, orders, "li.wei@")) == {li.id, lin.id}
    assert found(session, orders, "li.wei@example.com.") == [lin.id]


def test_a_phone_is_found_by_its_last_six_or_more_digits_however_written(session, make_order, orders):
    shanghai = make_order(buyer_phone="+86 138-1234-5678", customer_ref="c1")
    other = make_order(buyer_phone="13900005678", customer_ref="c2")
    if not orders.is_builtin:  # no phone key: the phone as typed, or its digits, with or without "+"
        assert found(session, orders, "+86 138-1234-5678") == [shanghai.id]
        assert found(session, orders, "１３９００００５６７８") == [other.id]
        return
    for text in ("+86 138 1234 5678", "13812345678", "１２３４ ５６７８", "(138) 1234-5678", "345678"):
        assert found(session, orders, text) == [shanghai.id], text
    assert found(session, orders, "005678") == [other.id]


def test_a_customer_reference_and_an_item_id_are_found_whole(session, make_order, orders):
    first = make_order(customer_ref="VIP-7", items=[item_fields(0, provider_item_id="tb-662014")])
    second = make_order(customer_ref="cust-2", items=[item_fields(0, provider_item_id="tb-662014"),
                                                       item_fields(1, provider_item_id="tb-99")])
    if orders.is_builtin:  # the legacy shop's codes are its customers' cards
        assert found(session, orders, "VIP-7") == [first.id]
    assert found(session, orders, "tb-662014") == [second.id, first.id]  # newest first, each order once
    assert found(session, orders, "tb-99") == [second.id]


def test_number_matches_come_first_then_exact_then_beginnings(session, make_order, orders):
    by_item = make_order(customer_ref="c1", items=[item_fields(0, provider_item_id="42")])
    results = services.search(session, "42")
    assert orders.id_of(results[-1]) == by_item.id
    if orders.is_builtin and by_item.id != 42:
        assert all(orders.id_of(o) % 100 == 42 for o in results[:-1])


def test_one_search_is_a_bounded_number_of_statements(session, make_order, orders, statements):
    make_order(buyer_name="Li Wei")
    services.search(session, "li")  # the new orders indexed
    few = statements(lambda: services.search(session, "li wei"))
    for n in range(30):
        make_order(buyer_name=f"Li Wei {n}", customer_ref=f"c{n}")
    services.search(session, "li")
    many = statements(lambda: services.search(session, "li wei"))
    assert len(many) == len(few) <= (7 if orders.is_builtin else 11)  # the index's news, 5 lookups, the load


@pytest.mark.parametrize("text", ["李", "o'brien", "a%b", "a_", "a\\b"])
def test_special_characters_are_text_not_patterns(session, make_order, orders, text):
    percent = make_order(buyer_name="a%b", customer_ref="c1")
    make_order(buyer_name="axb", customer_ref="c2")
    make_order(buyer_name="李伟", customer_ref="c3")
    result = services.search(session, text)
    if text == "a%b":
        assert [orders.id_of(o) for o in result] == [percent.id]


def test_a_whole_order_number_searches_nothing_else(session, make_order, orders, statements):
    order = make_order(buyer_name="Li Wei")
    make_order(buyer_name=order.number, customer_ref=order.number)  # a name and a reference equal to it
    services.search(session, "1")  # a shop's own numbers: the new orders indexed once
    sent = statements(lambda: services.search(session, order.number.lower()))
    assert [orders.id_of(o) for o in services.search(session, order.number)] == [order.id]
    assert len(sent) <= (2 if orders.is_builtin else 3)  # the number's lookup (a shop's: refresh its index)


TOP = "\U0010ffff"  # the last code point: a text ending in it has no next text of the same length


def test_text_ending_in_the_last_code_point_finds_what_starts_with_it(session, make_order, orders):
    top = make_order(buyer_name=f"Li Wei{TOP}z", buyer_email=f"a@{TOP}.example", customer_ref="c1")
    make_order(buyer_name="Li Wej", buyer_email="b@example.com", customer_ref="c2")
    make_order(buyer_name="Li Weiz", buyer_email="aa@example.com", customer_ref="c3")
    weiz = orders.id_of(services.search(session, "weiz")[0])
    # U+10FFFF is no letter: it ends a word ("wei" is one of top's words, equal: first).
    assert found(session, orders, f"li wei{TOP}") == [top.id, weiz]
    assert found(session, orders, f"a@{TOP}") == [top.id]
    assert found(session, orders, f"a{TOP}") == []


@pytest.mark.parametrize("text", ["a\x00b", "li\x00wei", "ORD-1\x00", "\x00"])
def test_text_holding_nul_is_refused(session, make_order, orders, text):
    make_order(buyer_name="a b", customer_ref="c1")
    with pytest.raises(OrderSearchError, match="not text"):
        services.search(session, text)
