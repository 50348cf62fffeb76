"""``OrderModels`` is checked at ``init_app``: each mistake fails at start-up naming the field and what is wrong."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, Integer, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship

from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine
from example_app.legacy.order_models import SHOP_ORDER_MODELS, STATUS_CODES
from flask_order_admin import Constant, OrderAdmin, OrderAdminConfigError, OrderModels, Through
from flask_order_admin.domain import OrderStatus
from flask_order_admin.store import resolve_store


class Base(DeclarativeBase):
    pass


class Buyer(Base):
    __tablename__ = "check_buyers"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(100))


class Sale(Base):
    __tablename__ = "check_sales"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("check_buyers.id"))
    buyer: Mapped[Buyer] = relationship()
    lines: Mapped[list[SaleLine]] = relationship(back_populates="sale")
    label = column_property("S-" + func.cast(id, String))


class SaleLine(Base):
    __tablename__ = "check_sale_lines"
    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("check_sales.id"))
    name: Mapped[str] = mapped_column(String(100))
    qty: Mapped[int] = mapped_column(Integer)
    amount: Mapped[str] = mapped_column(String(20))
    sale: Mapped[Sale] = relationship(back_populates="lines")


class NamedKey(Base):
    __tablename__ = "check_named_keys"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)


SALE_FIELDS = {"status": Sale.code, "provider": Constant("taobao"), "buyer_name": Through(Sale.buyer, Buyer.email),
               "created_at": Constant(None)}
LINE_FIELDS = {"order_id": SaleLine.sale_id, "title": SaleLine.name, "quantity": SaleLine.qty, "price": SaleLine.amount}


def mount(models: OrderModels) -> Any:
    app = Flask("check_host")
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    return OrderAdmin(app, db=SQLAlchemy(app), models=models)


def shop(**changes: Any) -> OrderModels:
    return dataclasses.replace(SHOP_ORDER_MODELS, **changes)


def test_the_legacy_shops_models_mount():
    mount(SHOP_ORDER_MODELS)


@pytest.mark.parametrize(("models", "message"), [
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "colour": ShopOrder.note}),
     "order_fields['colour']: unknown field"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "status": Through(ShopOrder.customer, ShopCustomer.code)}),
     "order_fields['status']: the actions change it, so it must be a column of ShopOrder"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "status": Constant(10)}),
     "order_fields['status']: cannot be a constant: the actions change it"),
    (OrderModels(order=Sale, line=SaleLine, order_fields={**SALE_FIELDS, "status": Sale.label}, line_fields=LINE_FIELDS,
                 status_values={s: s.value for s in OrderStatus}),
     "order_fields['status']: Sale.label is an SQL expression, but the actions change it"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "buyer_email": ShopCustomer.email}),
     "order_fields['buyer_email']: ShopCustomer.email is an attribute of ShopCustomer, not of ShopOrder; read it "
     "through a many-to-one relationship"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "buyer_name": func.upper(ShopOrder.note)}),
     "order_fields['buyer_name']: an SQL expression must be mapped on ShopOrder first"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "currency": "CNY"}),
     "order_fields['currency']: 'CNY' is not a field; give a mapped attribute of ShopOrder, Through(relationship, "
     "attribute) or Constant('CNY')"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "provider": "channel"}),
     "order_fields['provider']: 'channel' is a string; give the attribute ShopOrder.channel"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "buyer_name": Through(ShopOrder.lines, ShopOrderLine.name)}),
     "must be a many-to-one relationship"),
    (shop(order_fields={**SHOP_ORDER_MODELS.order_fields, "buyer_name": ShopOrder.customer}),
     "order_fields['buyer_name']: ShopOrder.customer is a relationship"),
    (shop(line_fields={k: v for k, v in SHOP_ORDER_MODELS.line_fields.items() if k != "title"}),
     "line_fields['title']: missing: ShopOrderLine has no attribute 'title'; give the attribute that holds the item title"),
    (shop(line_fields={**SHOP_ORDER_MODELS.line_fields, "price": Constant(1)}),
     "line_fields['price']: cannot be a constant: Restore reprices it"),
    (shop(status_values={**STATUS_CODES, "paid": 12}), "status_values['paid']: unknown order status 'paid'"),
    (shop(status_values={**STATUS_CODES, OrderStatus.SHIPPED: 10}),
     "status_values['shipped']: 10 is already a value of 'awaiting_payment'; a stored value belongs to one status"),
    (shop(status_values={**STATUS_CODES, OrderStatus.SHIPPED: "50"}),
     "status_values['shipped']: '50' is a str, but ShopOrder.state holds int values"),
    (shop(status_values={**STATUS_CODES, OrderStatus.SHIPPED: True}), "status_values['shipped']: True must be a string"),
    (shop(status_values=None), "status_values: ShopOrder.state holds SMALLINT, not the plugin's status codes"),
    (shop(order=ShopCustomer), "order_fields['number']: ShopOrder.number is an attribute of ShopOrder, not of "
                               "ShopCustomer"),
    (OrderModels(order=Sale, line=SaleLine, order_fields={k: v for k, v in SALE_FIELDS.items() if k != "created_at"},
                 line_fields=LINE_FIELDS, status_values={s: s.value for s in OrderStatus}),
     "order_fields['created_at']: missing: Sale has no attribute 'created_at'; give the attribute that holds when "
     "the order was placed"),
    (shop(order="ShopOrder"), "order='ShopOrder': give the SQLAlchemy mapped class of your orders"),
    (shop(order=NamedKey), "order=NamedKey: the panel needs an integer primary key"),
    (OrderModels(order_fields={"status": ShopOrder.state}), "give order= and line= too"),
])
def test_a_wrong_description_fails_at_start_up_naming_the_field(models, message):
    with pytest.raises(OrderAdminConfigError) as caught:
        mount(models)
    assert message in str(caught.value)
    assert str(caught.value).startswith("OrderModels")


def test_a_field_left_out_is_the_same_named_attribute_or_its_default():
    models = OrderModels(order=Sale, line=SaleLine, order_fields=SALE_FIELDS, line_fields=LINE_FIELDS,
                         status_values={s: s.value for s in OrderStatus})
    binding = resolve_store(models)
    assert binding.order_field("currency").constant is None  # the panel shows ORDER_ADMIN_CURRENCY
    assert binding.line_field("china_delivery").constant == 0
    assert binding.line_field("discount_price").constant is None
    assert binding.numbers.field is None  # no number: prefix + zero-padded id
    assert binding.order_field("buyer_name").via == "buyer"


def test_a_column_property_is_a_readable_field():
    models = OrderModels(order=Sale, line=SaleLine, order_fields={**SALE_FIELDS, "number": Sale.label},
                         line_fields=LINE_FIELDS, status_values={s: s.value for s in OrderStatus})
    assert resolve_store(models).numbers.field.key == "label"
