"""The search's own index (docs/design.md, "Search keys"): orders and lines written by anything (a shop's
import, raw SQL: no ORM event, no key column filled) are found by a surname, a phone's last 4 digits, its
Russian ``8…`` form, an item's URL and its id without the shop's prefix; on both model sets (the legacy
shop keeps names and phones only on its customer table, read through ``Through``)."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest

from sqlalchemy import func, insert, select, update

from flask_order_admin import services
from flask_order_admin.domain.search_keys import name_words, phone_ends, typed_item_keys

_numbers = count(1)


def bulk_insert(session: Any, orders: Any, buyers: list[dict[str, Any]]) -> list[int]:
    """Orders (one line each) inserted by Core statements, as an import would: their ids, in order."""
    ids = []
    if orders.is_builtin:
        from flask_order_admin.models import Order, OrderItem

        for buyer in buyers:
            order_id = session.execute(insert(Order.__table__).values(
                status="awaiting_payment", buyer_name=buyer["name"], buyer_phone=buyer.get("phone"),
                buyer_email=buyer.get("email"), customer_ref=None)).inserted_primary_key[0]
            session.execute(insert(OrderItem.__table__).values(
                order_id=order_id, origin_order_id=order_id, provider_item_id=buyer.get("item"),
                url=buyer.get("url"), title="t"))
            ids.append(order_id)
    else:
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine

        for buyer in buyers:
            customer_id = session.execute(insert(ShopCustomer.__table__).values(
                full_name=buyer["name"], phone=buyer.get("phone"), email=buyer.get("email"))).inserted_primary_key[0]
            order_id = session.execute(insert(ShopOrder.__table__).values(
                number=f"IM-{next(_numbers):06d}", customer_id=customer_id, state=10, channel="taobao",
            )).inserted_primary_key[0]
            session.execute(insert(ShopOrderLine.__table__).values(
                order_id=order_id, sku=buyer.get("item"), link=buyer.get("url"), name="t", unit_price=1))
            ids.append(order_id)
    session.commit()
    return ids


def found(session: Any, orders: Any, text: str) -> list[int]:
    return [orders.id_of(order) for order in services.search(session, text)]


BUYERS = [
    {"name": "Дмитрий Соколов", "phone": "+7 954 589-29-41", "email": "dima@example.ru",
     "item": "tb-623456789012", "url": "https://item.taobao.com/item.htm?id=623456789012"},
    {"name": "Анна Соколова", "phone": "+7 (916) 000-11-22", "email": "anna@example.ru",
     "item": "tm-700000000001", "url": "https://detail.tmall.com/item.htm?spm=a1z10.1-b&id=700000000001&sku=3"},
    {"name": "Пётр Ёлкин", "phone": "8 701 123 45 67", "email": None,
     "item": "1688-600000000002", "url": "https://detail.1688.com/offer/600000000002.html"},
    {"name": "Li Wei 李伟", "phone": "+86 138 1234 5678", "email": "li@example.cn", "item": None, "url": None},
]


def test_orders_inserted_in_bulk_are_found_by_surname_phone_and_item(session, orders):
    dmitry, anna, petr, li = bulk_insert(session, orders, BUYERS)
    assert found(session, orders, "Соколов") == [dmitry, anna]  # the exact word first, then its beginnings
    assert found(session, orders, "соколова") == [anna]
    assert found(session, orders, "Соколов Дмитрий") == [dmitry]
    assert found(session, orders, "дмитрий сок") == [dmitry]
    assert found(session, orders, "елкин") == [petr]  # ё is е
    assert found(session, orders, "ЁЛКИН ПЁТР") == [petr]
    assert found(session, orders, "李伟") == [li]
    assert dmitry in found(session, orders, "2941")  # a phone's last 4 digits (after any order number)
    assert found(session, orders, "89545892941") == [dmitry]  # the Russian 8… form
    assert found(session, orders, "954 589-29-41") == [dmitry]
    assert found(session, orders, "(916) 000-11-22") == [anna]
    assert found(session, orders, "+7 701 123 45 67") == []  # stored with its trunk 8: +7 is another number
    assert found(session, orders, "87011234567") == [petr]
    assert found(session, orders, "anna@example.ru") == [anna]
    assert found(session, orders, "ANNA@") == [anna]
    for text in ("tb-623456789012", "TB623456789012", "623456789012",
                 "https://item.taobao.com/item.htm?id=623456789012", "item.taobao.com/item.htm?id=623456789012"):
        assert found(session, orders, text) == [dmitry], text
    assert found(session, orders, "https://detail.tmall.com/item.htm?id=700000000001") == [anna]
    assert found(session, orders, "https://m.1688.com/offer/600000000002.html?x=1") == [petr]
    assert found(session, orders, "600000000002") == [petr]


def test_the_index_reads_each_order_once_and_a_search_then_only_asks_for_news(session, orders, statements):
    bulk_insert(session, orders, [{"name": "", "phone": None}, *BUYERS[:1]])  # one order without any key
    services.search(session, "соколов")
    binding = orders.binding
    keys = binding.search_index.keys
    assert session.scalar(select(func.count()).select_from(keys)) == 1 + 1 + 2 + 1 + 1  # marks, words, phone, email
    session.rollback()
    sent = statements(lambda: services.search(session, "соколов"))
    assert sum("order_admin_search_keys" in s and "EXISTS" in s and "max(" in s for s in sent) == 1
    assert not any(s.lstrip().upper().startswith("INSERT") for s in sent)


def test_index_search_everything_reads_changed_buyers_again(app, session, orders):
    [dmitry] = bulk_insert(session, orders, BUYERS[:1])
    assert found(session, orders, "соколов") == [dmitry]
    if orders.is_builtin:
        from flask_order_admin.models import Order

        session.execute(update(Order.__table__).values(buyer_name="Дмитрий Орлов"))
    else:
        from example_app.legacy.models import ShopCustomer

        session.execute(update(ShopCustomer.__table__).values(full_name="Дмитрий Орлов"))
    session.commit()
    assert found(session, orders, "орлов") == []  # the index still holds the old name
    result = app.test_cli_runner().invoke(args=["order-admin", "index-search"])
    assert result.exit_code == 0 and "Indexed 0 orders and lines" in result.output  # nothing new
    result = app.test_cli_runner().invoke(args=["order-admin", "index-search", "--everything"])
    assert result.exit_code == 0 and "Indexed 2 orders and lines" in result.output  # the order and its line
    assert found(session, orders, "орлов") == [dmitry]
    assert found(session, orders, "соколов") == []


def test_an_item_is_found_in_the_order_its_line_was_merged_into(session, orders, make_order):
    basic = make_order(customer_ref="c1", buyer_email="same@example.com")
    [added] = bulk_insert(session, orders, [{**BUYERS[0], "email": "same@example.com"}])
    assert found(session, orders, "623456789012") == [added]
    services.merge(session, added, basic.id, actor="ann")
    assert found(session, orders, "623456789012") == [basic.id]  # the line's order now: keys by line


def test_keys_of_typed_text():
    assert name_words("  Дмитрий   СОКОЛОВ-Ёлкин ") == ["дмитрий", "соколов-елкин"]
    assert phone_ends("89545892941") == ["14929854598", "1492985459"]
    assert phone_ends("01012345678") == ["87654321010", "8765432101"]
    assert phone_ends("005678") == ["876500"]
    assert phone_ends("123") == []
    assert typed_item_keys("TB623456789012") == ["tb623456789012", "623456789012"]
    assert typed_item_keys("https://item.taobao.com/item.htm?id=623456789012") == [
        "623456789012", "item.taobao.com/item.htm?id=623456789012"]


@pytest.mark.models("builtin")
def test_a_search_indexes_at_most_its_chunks_of_new_orders_and_the_command_the_rest(session, orders, app):
    """A first search on a shop of many unindexed orders indexes a bounded number of them; the rest are the
    command's (``index_search``)."""
    from flask_order_admin.models import Order
    from flask_order_admin.services.search_index import index_new_search_keys
    from flask_order_admin.store.search_index import SEARCH_INDEX_CHUNK

    session.execute(insert(Order.__table__), [
        {"status": "awaiting_payment", "buyer_name": f"Покупатель {n}", "customer_ref": None}
        for n in range(SEARCH_INDEX_CHUNK + 1)
    ])
    session.commit()
    panel = app.extensions["order_admin"]
    assert index_new_search_keys(session, panel, max_chunks=1) == SEARCH_INDEX_CHUNK
    assert services.index_search(session, panel) == 1  # the command: everything still new
    assert index_new_search_keys(session, panel, max_chunks=1) == 0


@pytest.mark.models("builtin")
def test_digits_that_end_numbers_and_a_phone_find_both(session, orders, app):
    """Four digits are first an order number's end; the numbers keep half the results, so in a shop where
    many numbers end so the buyer whose phone ends so is still found."""
    from dataclasses import replace

    from flask_order_admin.models import Order
    from flask_order_admin.services.app_panel import GivenSettings

    for order_id in (2941, 12941):  # ORD-0000002941, ORD-0000012941
        session.execute(insert(Order.__table__).values(id=order_id, status="processing", buyer_name="Номер"))
    session.commit()
    [buyer] = bulk_insert(session, orders, [{"name": "Дмитрий Соколов", "phone": "+7 954 589-29-41"}])
    panel = app.extensions["order_admin"]
    two_results = GivenSettings(replace(panel.settings, search_limit=2), panel.store, panel.resolver_pool,
                                panel.clock)
    shown = [orders.id_of(order) for order in services.search(session, "2941", panel=two_results)]
    assert shown == [2941, buyer]  # the exact number's match, then the phone's
    # Too few digits for a phone: the numbers have every result (newest first).
    assert [orders.id_of(o) for o in services.search(session, "41", panel=two_results)] == [12941, 2941]
