"""Money kept in integer minor units (issue 20): a shop whose lines hold fen, as plain integer columns mapped
with ``MinorUnits`` or as columns of its own ``TypeDecorator``, sees one total for an order everywhere: the
orders list, the items tab, the bulk confirm screen, the order page, the merge candidates and preview, the
export, Restore's preview and the signals. Before, the list and the bulk screen summed the fen as yuan
(191,36 on the page, 19 136,00 in the list). Restore writes fen back; a merge keeps every fen.

Runs on SQLite and on the ``_shop`` sibling of each database in ``ORDER_ADMIN_TEST_DATABASE_URLS`` (its own
tables dropped before and after), over both forms (tests/cents_shop.py).
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal as D
from typing import Any

import pytest
import xlrd
from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import Babel
from flask_login import LoginManager, UserMixin
from sqlalchemy import Integer, column, create_engine, select, table

from flask_order_admin import Constant, MinorUnits, OrderAdmin, OrderAdminConfigError, OrderModels, services, signals
from flask_order_admin.domain import OrderStatus as S
from flask_order_admin.errors import PriceResolutionFailed
from flask_order_admin.export.columns import Col
from flask_order_admin.pricing import Price
from flask_order_admin.store import resolve_store
from tests.cents_shop import (
    CENTS_MODELS, FEN_COLUMNS, LINES, MODELS, CentsLine, ShopOrder, TypedLine, User, add_order, db,
)
from tests.example_app.conftest import SHOP_DATABASES, _ensure_database

FORMS = tuple(MODELS)

# The order looked at: 3 × (19.99 + 0.50), 2 × (39.90 instead of 45.60, + 1.25), 1 × 0.07 = 143.84.
ORDER_LINES = [
    {"quantity": 3, "price": D("19.99"), "china_delivery": D("0.50")},
    {"quantity": 2, "price": D("45.60"), "discount_price": D("39.90"), "china_delivery": D("1.25")},
    {"quantity": 1, "price": D("0.07"), "china_delivery": D("0.00")},
]
TOTAL = D("143.84")
# The order merged into it: 4 × 12.34 + 4 × 0.66 = 52.00; 1 × 0.01 = 0.01.
OTHER_LINES = [{"quantity": 4, "price": D("12.34"), "china_delivery": D("0.66")},
               {"quantity": 1, "price": D("0.01"), "china_delivery": D("0.00")}]
OTHER_TOTAL = D("52.01")


class Manager(UserMixin):
    def __init__(self, user_id: str) -> None:
        self.id = user_id


@pytest.fixture(params=SHOP_DATABASES, ids=[u.split(":", 1)[0].split("+", 1)[0] for u in SHOP_DATABASES])
def shop_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An empty database: a SQLite file, or the ``_shop`` sibling, this shop's tables dropped before and after."""
    url = f"sqlite:///{tmp_path / 'cents.sqlite'}" if request.param == "sqlite" else request.param
    if request.param != "sqlite":
        _ensure_database(url)
    yield url
    engine = create_engine(url)
    db.metadata.drop_all(engine)
    engine.dispose()


def cents_app(url: str, form: str) -> Flask:
    app = Flask(f"cents_shop_{form}")
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
                      SECRET_KEY="cents", TESTING=True)
    Babel(app)
    db.init_app(app)
    LoginManager(app).user_loader(Manager)
    OrderAdmin(app, admin=Admin(app, name="Shop", theme=Bootstrap4Theme()), db=db, models=MODELS[form])
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def amount(text: str) -> D:
    return D(re.sub(r"[^\d.]", "", html.unescape(re.sub(r"<[^>]+>", "", text))))


def row_of(page: str, number: str) -> str:
    rows = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if f">{number}<" in row or number in row]
    assert len(rows) == 1, (number, len(rows))
    return rows[0]


def list_total(client: Any, number: str) -> D:
    row = row_of(client.get("/admin/orders/?page_size=50").text, number)
    return amount(re.search(r'<td class="col-total">(.*?)</td>', row, re.S).group(1))


def items_tab_total(client: Any, number: str) -> D:
    page = client.get("/admin/orders/items/?page_size=100").text
    rows = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, re.S) if number in row]
    assert rows
    return sum((amount(re.search(r'<td class="col-line_total">(.*?)</td>', row, re.S).group(1)) for row in rows),
               start=D(0))


def bulk_total(client: Any, number: str) -> D:
    row = row_of(client.get("/admin/orders/bulk/cancel/").text, number)
    return amount(re.search(r'<td class="order-admin-money" data-label="Total">(.*?)</td>', row, re.S).group(1))


def page_total(client: Any, order_id: int) -> D:
    page = client.get(f"/admin/orders/details/?id={order_id}").text
    return amount(re.search(r'id="order-total">(.*?)</dd>', page, re.S).group(1))


def export_total(client: Any, order_id: int) -> D:
    response = client.get(f"/admin/orders/{order_id}/export/")
    assert response.status_code == 200
    sheet = xlrd.open_workbook(file_contents=response.data).sheet_by_index(0)
    lines = [D(f"{sheet.row_values(n)[Col.TOTAL_PRICE]:.2f}") for n in range(1, sheet.nrows - 1)]
    totals_row = D(f"{sheet.row_values(sheet.nrows - 1)[Col.TOTAL_PRICE]:.2f}")
    assert sum(lines, start=D(0)) == totals_row
    return totals_row


def stored_fen(session: Any, form: str, order_id: int) -> list[tuple[int | None, ...]]:
    """The lines' money columns as the database holds them (integers), read past the ORM's types."""
    line_class, names = LINES[form], FEN_COLUMNS[form]
    raw = table(line_class.__tablename__, column("id"), column("order_id"),
                *(column(name, Integer) for name in names.values()))
    rows = session.execute(select(*(raw.c[name] for name in names.values()))
                           .where(raw.c.order_id == order_id).order_by(raw.c.id)).all()
    return [tuple(None if value is None else int(value) for value in row) for row in rows]


@pytest.mark.parametrize("form", FORMS)
def test_one_order_shows_one_total_everywhere(shop_url: str, form: str) -> None:
    app = cents_app(shop_url, form)
    sent: list[tuple[str, dict[str, Any]]] = []

    def heard(sender: Any, _name: str = "", **data: Any) -> None:
        sent.append((_name, data))

    receivers = [(s, lambda sender, _n=s.name, **data: heard(sender, _n, **data))
                 for s in (signals.orders_merged, signals.order_restored)]
    for signal, receiver in receivers:
        signal.connect(receiver)
    try:
        with app.app_context():
            run_everywhere(app, form)
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    (merged_name, merged), (restored_name, restored) = sent
    assert merged_name == "orders-merged"
    moved = merged["details"]["moved"]
    assert D(moved["goods"]) + D(moved["china_delivery"]) == OTHER_TOTAL
    assert restored_name == "order-restored"
    assert restored["details"]["total"] == {"old": f"{TOTAL + OTHER_TOTAL:.2f}",
                                            "new": f"{TOTAL + OTHER_TOTAL + D('0.09'):.2f}"}


def run_everywhere(app: Flask, form: str) -> None:
    session = db.session
    li = User(name="Li Lei 李雷", email="li@example.com", phone="+86 139 0000 0000")
    order = add_order(session, form, li, "2026-000123", S.AWAITING_PAYMENT, ORDER_LINES, datetime(2026, 1, 2, 10))
    other = add_order(session, form, li, "2026-000124", S.AWAITING_PAYMENT, OTHER_LINES, datetime(2026, 1, 3, 10))
    order_id, other_id, number = order.id, other.id, order.number
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = "manager"
        flask_session["_fresh"] = True

    seen = {
        "orders list": list_total(client, number),
        "items tab": items_tab_total(client, number),
        "bulk confirm screen": bulk_total(client, number),
        "order page": page_total(client, order_id),
        "export": export_total(client, order_id),
        "list sums (service)": services.item_sums_by_order(session, [order_id])[order_id].total,
    }
    candidates = client.get(f"/admin/orders/{other_id}/merge-candidates/").text
    seen["merge candidates"] = amount(re.search(r'<td class="order-admin-money" data-label="Total">(.*?)</td>',
                                                row_of(candidates, number), re.S).group(1))
    assert seen == dict.fromkeys(seen, TOTAL)

    preview = client.get(f"/admin/orders/{other_id}/confirm/merge/", query_string={"into": order_id}).text
    assert amount(re.search(r'id="merge-after-total">(.*?)</dd>', preview, re.S).group(1)) == TOTAL + OTHER_TOTAL
    fen_before = stored_fen(session, form, order_id) + stored_fen(session, form, other_id)
    services.merge(session, other_id, order_id, actor="manager")
    session.expire_all()
    assert sorted(stored_fen(session, form, order_id), key=str) == sorted(fen_before, key=str)  # every fen kept
    merged = {
        "orders list": list_total(client, number),
        "bulk confirm screen": bulk_total(client, number),
        "order page": page_total(client, order_id),
        "export": export_total(client, order_id),
    }
    assert merged == dict.fromkeys(merged, TOTAL + OTHER_TOTAL)

    services.cancel(session, order_id, actor="manager")
    state = app.extensions["order_admin"]
    record_of = state.store.line_fields

    def today(item: Any, at: datetime) -> Price:
        price, discount, delivery = (record_of[name].read(item) for name in ("price", "discount_price",
                                                                              "china_delivery"))
        return Price(price, discount, delivery)

    state.settings = dataclasses.replace(state.settings, price_resolver=today)
    page = client.get(f"/admin/orders/{order_id}/confirm/restore/").text
    assert amount(re.search(r'id="restore-total">(.*?)</dd>', page, re.S).group(1)) == TOTAL + OTHER_TOTAL
    assert services.preview_restore(session, order_id).old_totals.total == TOTAL + OTHER_TOTAL

    def a_fen_dearer(item: Any, at: datetime) -> Price:
        price = today(item, at)
        return Price(price.price + D("0.01"), price.discount_price, price.china_delivery)

    state.settings = dataclasses.replace(state.settings, price_resolver=a_fen_dearer)
    fen_before = stored_fen(session, form, order_id)
    services.restore(session, order_id, actor="manager")
    session.expire_all()
    assert stored_fen(session, form, order_id) == [(price + 1, discount, delivery)
                                                   for price, discount, delivery in fen_before]
    # 3 + 2 + 1 + 4 + 1 items, a fen dearer each, but the discounted line's 2 charged its discount price: + 0.09.
    assert page_total(client, order_id) == list_total(client, number) == TOTAL + OTHER_TOTAL + D("0.09")


def test_minor_units_reads_exactly_and_refuses_what_does_not_fit() -> None:
    from flask_order_admin.store.fields import AmountNotInMinorUnits, MinorUnit

    fen, yuan = MinorUnit(100), MinorUnit(1)
    assert fen.to_major(19136) == D("191.36") and str(fen.to_major(5)) == "0.05" and str(fen.to_major(0)) == "0.00"
    assert fen.to_major(D("19136")) == D("191.36")  # a database's sum of integers
    assert str(yuan.to_major(12)) == "12.00" and str(MinorUnit(10).to_major(123)) == "12.30"
    assert fen.to_minor(D("191.36")) == 19136 and yuan.to_minor(D("12.00")) == 12
    with pytest.raises(AmountNotInMinorUnits):
        yuan.to_minor(D("12.34"))
    with pytest.raises(AmountNotInMinorUnits):
        fen.to_minor(D("0.005"))
    with pytest.raises(TypeError):
        fen.to_minor(1.5)


@pytest.mark.parametrize(("line_fields", "says"), [
    ({"price": CentsLine.price_fen},
     "line_fields['price']: CentsLine.price_fen is an integer column; say what it counts: "
     "MinorUnits(CentsLine.price_fen) for fen"),
    ({"price": MinorUnits(CentsLine.title)}, "CentsLine.title holds VARCHAR(200), not integers"),
    ({"price": MinorUnits(TypedLine.price)}, "give an integer column of CentsLine itself"),
    ({"price": MinorUnits(CentsLine.price_fen, per_unit=1000)}, "per_unit must be one of 1, 10, 100"),
    ({"price": MinorUnits(CentsLine.price_fen, per_unit=100.0)}, "per_unit must be one of 1, 10, 100"),
    ({"title": MinorUnits(CentsLine.price_fen)}, "MinorUnits is for money fields (price, discount_price, "
                                                  "china_delivery)"),
    ({"china_delivery": MinorUnits(CentsLine.delivery_fen, per_unit=10)},
     "the money columns must be kept in one unit"),
])
def test_a_wrong_minor_units_field_is_named_at_start_up(line_fields: dict[str, Any], says: str) -> None:
    models = OrderModels(order=CENTS_MODELS.order, line=CentsLine, order_fields=CENTS_MODELS.order_fields,
                         status_values=CENTS_MODELS.status_values,
                         line_fields={**CENTS_MODELS.line_fields, **line_fields})
    with pytest.raises(OrderAdminConfigError) as error:
        resolve_store(models)
    assert says in str(error.value)


def test_a_money_expression_is_refused_with_the_way_to_map_fen() -> None:
    models = OrderModels(order=CENTS_MODELS.order, line=CentsLine, order_fields=CENTS_MODELS.order_fields,
                         status_values=CENTS_MODELS.status_values,
                         line_fields={**CENTS_MODELS.line_fields, "price": CentsLine.price_yuan})
    with pytest.raises(OrderAdminConfigError) as error:
        resolve_store(models)
    assert "Restore reprices it: give a column of CentsLine (money kept as an integer count of fen: " \
           "MinorUnits(<the integer column>))" in str(error.value)


@pytest.mark.parametrize("form", FORMS)
def test_a_constant_delivery_is_summed_in_the_lines_unit(shop_url: str, form: str) -> None:
    """``china_delivery`` a constant in yuan (0.50 each) beside prices in fen: the database's sums add it in fen."""
    app = cents_app(shop_url, form)
    models = MODELS[form]
    state = app.extensions["order_admin"]
    state.store = resolve_store(dataclasses.replace(models, line_fields={
        **models.line_fields, "china_delivery": Constant(D("0.50")), "discount_price": Constant(None)}))
    try:
        with app.app_context():
            user = User(name="Han Meimei", email=None, phone=None)
            order = add_order(db.session, form, user, "2026-000200", S.PROCESSING, ORDER_LINES, datetime(2026, 2, 1))
            sums = services.item_sums_by_order(db.session, [order.id])[order.id]
            # 3 × 19.99 + 2 × 45.60 (no discount now) + 1 × 0.07 + 6 × 0.50 = 154.24
            assert (sums.lines, sums.quantity, sums.total) == (3, 6, D("154.24"))
            moved = services.item_sums(db.session, order.id)
            assert (moved.goods, moved.china_delivery) == (D("151.24"), D("3.00"))
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_restore_refuses_a_price_the_column_cannot_hold_and_writes_nothing(shop_url: str) -> None:
    """Whole jiao (``per_unit=10``): a resolver's 1.23 is not a whole number of them; the line's lookup fails,
    named, and no fen moves (never rounded: what is written is what the manager saw)."""
    app = cents_app(shop_url, "minor_units")
    state = app.extensions["order_admin"]
    state.store = resolve_store(dataclasses.replace(CENTS_MODELS, line_fields={
        **CENTS_MODELS.line_fields, **{name: MinorUnits(getattr(CentsLine, column), per_unit=10)
                                       for name, column in FEN_COLUMNS["minor_units"].items()}}))
    state.settings = dataclasses.replace(state.settings, price_resolver=lambda item, at: Price(D("1.23")))
    try:
        with app.app_context():
            user = User(name="Lin Tao", email=None, phone=None)
            order = add_order(db.session, "minor_units", user, "2026-000300", S.CANCELED, ORDER_LINES[:1],
                              datetime(2026, 3, 1))
            before = stored_fen(db.session, "minor_units", order.id)
            with pytest.raises(PriceResolutionFailed) as refused:
                services.restore(db.session, order.id, actor="manager")
            assert refused.value.items == ["“Item 0 商品” (sku-2026-000300-0): price: 1.23 is not a whole number of "
                                           "1/10 yuan (the column holds minor units)"]
            db.session.expire_all()
            assert stored_fen(db.session, "minor_units", order.id) == before
            assert db.session.get(ShopOrder, order.id).state == "canceled"
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_minor_units_of_a_column_whose_type_converts_already_is_refused() -> None:
    from tests.cents_shop import TYPED_MODELS

    models = dataclasses.replace(TYPED_MODELS, line_fields={**TYPED_MODELS.line_fields,
                                                            "price": MinorUnits(TypedLine.price)})
    with pytest.raises(OrderAdminConfigError) as error:
        resolve_store(models)
    assert ("line_fields['price']: MinorUnits(TypedLine.price, per_unit=100): TypedLine.price is of type Fen(), "
            "which converts its values already; give TypedLine.price without MinorUnits") in str(error.value)
