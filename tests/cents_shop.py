"""A shop unlike the legacy one, for money in minor units (tests/test_minor_units.py): its customers are
``users`` (name, email, phone), its orders ``shop_orders`` (string states, numbers like ``2026-000123``, the
customer an integer ``user_id``), and its lines keep money as integer fen, in two forms:

- ``CentsLine``: plain ``Integer`` columns, mapped with ``MinorUnits``;
- ``TypedLine``: columns of the shop's own ``TypeDecorator`` (``Fen``), integers below, ``Decimal`` yuan above.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from flask_order_admin import Constant, MinorUnits, OrderModels, Through
from flask_order_admin.domain import OrderStatus as S

db = SQLAlchemy()


class Fen(TypeDecorator[Decimal]):
    """The shop's money type: fen in the database, yuan in Python."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * 100).to_integral_value(ROUND_HALF_UP))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class User(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))


class ShopOrder(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "shop_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship(User)


class LineColumns:
    """What both forms of line have besides money."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(Integer)


class CentsLine(LineColumns, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "shop_order_items"

    price_fen: Mapped[int] = mapped_column(Integer)
    sale_price_fen: Mapped[int | None] = mapped_column(Integer, nullable=True)
    delivery_fen: Mapped[int] = mapped_column(Integer, default=0)
    # What the shop first tried for the panel (refused: Restore writes prices back, so it needs a column).
    price_yuan: Mapped[float] = column_property(price_fen / 100.0)


class TypedLine(LineColumns, db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "shop_order_items_typed"

    price: Mapped[Decimal] = mapped_column(Fen)
    sale_price: Mapped[Decimal | None] = mapped_column(Fen, nullable=True)
    delivery: Mapped[Decimal] = mapped_column(Fen, default=Decimal("0.00"))


STATES = {
    S.AWAITING_PAYMENT: "pending", S.AWAITING_ADDITIONAL_PAYMENT: "topup", S.PROCESSING: "paid",
    S.ADDITIONAL_ORDER: "extra", S.PROCESSING_AT_WAREHOUSE: "warehouse", S.AWAITING_PACKING_CONFIRMATION: "packcheck",
    S.READY_FOR_PACKING: "packing", S.READY_TO_SHIP: "ready", S.SHIPPED: "shipped", S.COMPLETED: "done",
    S.CANCELED: "canceled", S.MERGED: "merged",
}

ORDER_FIELDS = {
    "number": ShopOrder.number,
    "status": ShopOrder.state,
    "provider": Constant("taobao"),
    "customer_ref": ShopOrder.user_id,
    "buyer_name": Through(ShopOrder.user, User.name),
    "buyer_email": Through(ShopOrder.user, User.email),
    "buyer_phone": Through(ShopOrder.user, User.phone),
    "buyer_address": Constant(None),
    "created_at": ShopOrder.placed_at,
}
_LINE_TEXT = {"provider_item_id": "sku", "title": "title", "quantity": "qty", "url": Constant(None),
              "photo_url": Constant(None), "color": Constant(None), "size": Constant(None),
              "color_cn": Constant(None), "size_cn": Constant(None)}


def _line_fields(line: Any, money: dict[str, Any]) -> dict[str, Any]:
    return {"order_id": line.order_id, **{name: value if isinstance(value, Constant) else getattr(line, value)
                                          for name, value in _LINE_TEXT.items()}, **money}


CENTS_MODELS = OrderModels(
    order=ShopOrder, line=CentsLine, order_fields=ORDER_FIELDS, status_values=STATES,
    line_fields=_line_fields(CentsLine, {
        "price": MinorUnits(CentsLine.price_fen), "discount_price": MinorUnits(CentsLine.sale_price_fen),
        "china_delivery": MinorUnits(CentsLine.delivery_fen),
    }),
)
TYPED_MODELS = OrderModels(
    order=ShopOrder, line=TypedLine, order_fields=ORDER_FIELDS, status_values=STATES,
    line_fields=_line_fields(TypedLine, {
        "price": TypedLine.price, "discount_price": TypedLine.sale_price, "china_delivery": TypedLine.delivery,
    }),
)
MODELS = {"minor_units": CENTS_MODELS, "type_decorator": TYPED_MODELS}
LINES = {"minor_units": CentsLine, "type_decorator": TypedLine}
# The stored integer columns of each form, by the plugin's field names.
FEN_COLUMNS = {
    "minor_units": {"price": "price_fen", "discount_price": "sale_price_fen", "china_delivery": "delivery_fen"},
    "type_decorator": {"price": "price", "discount_price": "sale_price", "china_delivery": "delivery"},
}


def add_order(session: Any, form: str, user: User, number: str, state: S, lines: list[dict[str, Any]],
              placed_at: datetime) -> ShopOrder:
    """An order with ``lines`` given by the plugin's names, money in yuan (written as fen in either form)."""
    order = ShopOrder(number=number, state=STATES[state], user=user, placed_at=placed_at)
    session.add(order)
    session.flush()
    line_class, columns = LINES[form], FEN_COLUMNS[form]
    for n, line in enumerate(lines):
        values: dict[str, Any] = {"order_id": order.id, "sku": f"sku-{number}-{n}", "title": f"Item {n} 商品",
                                  "qty": line["quantity"]}
        for name, column in columns.items():
            amount = line.get(name)
            if form == "minor_units" and amount is not None:
                amount = int(amount * 100)
            values[column] = amount
        session.add(line_class(**values))
    session.commit()
    return order
