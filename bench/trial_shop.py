"""The trial shop's tables, for the page benchmarks (bench_models.py, ``TrialShopBench``).

A shop developer's own tables as they measured the panel on them (issue 20): buyers on a ``users`` table
(name, email, phone read through ``Through(TrialOrder.user, TrialUser.name)``), string states, numbers
``2026-000123``, integer user ids, lines with a JSON attributes column whose colour and size are
``column_property`` expressions. Their money is in integer cents; the panel reads money as Decimal units
(the ``MinorUnits`` mapping is another change), so these lines hold it as plain Numeric columns.
The orders' and lines' tables have a ``trial_`` prefix: on PostgreSQL the legacy set's ``shop_orders`` lives
in the same bench database, and its lines' foreign key would stop this set dropping a table of that name.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Column, DateTime, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from flask_order_admin import Constant, OrderModels, Through
from flask_order_admin.domain import OrderStatus

db = SQLAlchemy()

# The shop's states, strings of its own.
TRIAL_STATES = {
    "awaiting_payment": "new", "awaiting_additional_payment": "surcharge", "processing": "paid",
    "additional_order": "extra", "processing_at_warehouse": "warehouse", "awaiting_packing_confirmation": "pack_confirm",
    "ready_for_packing": "packing", "ready_to_ship": "ready", "shipped": "shipped", "completed": "done",
    "canceled": "canceled", "merged": "merged",
}


class TrialUser(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(64))


class TrialOrder(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "trial_shop_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    placed_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[TrialUser | None] = relationship()

    def __str__(self) -> str:
        return self.number


class TrialLine(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "trial_shop_order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("trial_shop_orders.id"), index=True)
    sku: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(Text)
    qty: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    delivery: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    attributes = Column(JSON)
    colour: Mapped[str | None] = column_property(attributes["color"].as_string())
    size: Mapped[str | None] = column_property(attributes["size"].as_string())


TRIAL_ORDER_MODELS = OrderModels(
    order=TrialOrder, line=TrialLine,
    order_fields={
        "number": TrialOrder.number, "status": TrialOrder.state, "provider": Constant("taobao"),
        "customer_ref": TrialOrder.user_id,
        "buyer_name": Through(TrialOrder.user, TrialUser.name),
        "buyer_email": Through(TrialOrder.user, TrialUser.email),
        "buyer_phone": Through(TrialOrder.user, TrialUser.phone),
        "created_at": TrialOrder.placed_at, "updated_at": TrialOrder.changed_at, "currency": Constant("CNY"),
    },
    line_fields={
        "order_id": TrialLine.order_id, "provider_item_id": TrialLine.sku, "title": TrialLine.title,
        "url": TrialLine.link, "color": TrialLine.colour, "size": TrialLine.size, "quantity": TrialLine.qty,
        "price": TrialLine.price, "china_delivery": TrialLine.delivery,
    },
    status_values={OrderStatus(code): value for code, value in TRIAL_STATES.items()},
)
