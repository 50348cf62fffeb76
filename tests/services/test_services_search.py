"""Search by the last digits of an order number made from the id (the shop's own numbers:
test_services_host_models.py)."""

import pytest
from sqlalchemy import insert, text

from flask_order_admin import services
from flask_order_admin.errors import OrderActionError, OrderSearchError
from flask_order_admin.models import Order
from tests.model_sets import BUILTIN

pytestmark = pytest.mark.models(BUILTIN)


@pytest.fixture
def orders_with_ids(session, dialect):
    """Orders with chosen ids (search is id arithmetic, so the ids matter)."""

    def create(ids):
        session.execute(insert(Order), [{"id": i, "status": "processing", "provider": "taobao",
                                         "buyer_email_key": ""} for i in ids])
        session.commit()
        if dialect == "postgresql":  # keep the sequence ahead of the ids we chose
            session.execute(text("SELECT setval(pg_get_serial_sequence('order_admin_orders', 'id'), "
                                 "(SELECT max(id) FROM order_admin_orders))"))
            session.commit()

    return create


def ids(orders):
    return [o.id for o in orders]


def test_last_digits_find_the_exact_order_first_then_newest(session, orders_with_ids):
    orders_with_ids([5, 23, 123, 223, 1023, 10023, 124, 230])
    assert ids(services.search(session, "23")) == [23, 10023, 1023, 223, 123]
    assert ids(services.search(session, "0023")) == [23, 10023]
    assert ids(services.search(session, "023")) == [23, 10023, 1023]
    assert ids(services.search(session, "ORD-0000000023")) == [23]
    assert ids(services.search(session, " ord-23 ")) == [23, 10023, 1023, 223, 123]
    assert ids(services.search(session, "ORD-0000010023")) == [10023]


def test_no_exact_match_lists_only_the_suffix_matches(session, orders_with_ids):
    orders_with_ids([1, 108, 208, 300])
    assert ids(services.search(session, "8")) == [208, 108]
    assert services.search(session, "9") == []
    assert services.search(session, "123456") == []


def test_results_are_bounded(app, session, orders_with_ids):
    orders_with_ids(range(1, 3001))
    found = services.search(session, "7")
    assert len(found) == 50
    assert found[0].id == 7 and found[1].id == 2997


def test_missing_rows_are_skipped(session, orders_with_ids):
    orders_with_ids([3] + list(range(13, 5000, 500)))
    assert ids(services.search(session, "3")) == [3] + sorted(range(13, 5000, 500), reverse=True)


@pytest.mark.parametrize("bad", ["%", "_", "^", "=", "", "   ", None, "-", "\u3000", "x" * 201])
def test_bad_input_gets_a_message_never_another_error(session, orders_with_ids, bad):
    orders_with_ids([1, 23])
    with pytest.raises(OrderSearchError) as caught:
        services.search(session, bad)
    assert isinstance(caught.value, OrderActionError) and len(str(caught.value)) > 10
    assert session.query(Order).count() == 2


@pytest.mark.parametrize("text", ["abc", "ORD-00x", "0", "000", "1" * 40, "' OR 1=1 --",
                                  "23; DELETE FROM order_admin_orders", "-1", "%_\\x"])
def test_text_that_is_no_number_searches_the_other_fields_and_finds_nothing_here(session, orders_with_ids, text):
    orders_with_ids([1, 23])
    assert services.search(session, text) == []
    assert session.query(Order).count() == 2


@pytest.mark.parametrize("text", ["２３", "ＯＲＤ－００２３", " 2 3 ", "\u300023\u3000"])
def test_full_width_digits_and_stray_spaces_are_read_as_the_digits(session, orders_with_ids, text):
    orders_with_ids([5, 23, 123])
    found = ids(services.search(session, text))
    assert found[0] == 23


def test_empty_database(session):
    assert services.search(session, "23") == []
