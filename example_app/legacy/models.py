"""The legacy shop's own tables, as they were before it mounted the order panel.

Its names are its own (``shop_orders``, ``shop_order_lines``, ``shop_customers``), its statuses
integer codes, its order numbers ``SH-24-00042``; the buyer lives on the customer row. The panel
is mounted on these tables as they are (``order_models.py``): nothing here knows about it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, SmallInteger, String, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Staff(UserMixin, db.Model):
    """Back-office staff: they log in with ``login`` and are called by ``full_name``."""

    __tablename__ = "shop_staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ShopCustomer(db.Model):
    __tablename__ = "shop_customers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The loyalty-card number; guests who checked out without one have none.
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.full_name


class ShopProduct(db.Model):
    """The catalog the price resolver reads; lines point at it by ``sku``."""

    __tablename__ = "shop_catalog"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    sale_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    cn_shipping: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)


class ShopOrder(db.Model):
    __tablename__ = "shop_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("shop_customers.id"), index=True)
    # 10 new, 11 awaiting surcharge, 20 paid, ... (STATUS_CODES in order_models.py); older rows may hold
    # codes of the shop's previous system.
    state: Mapped[int] = mapped_column(SmallInteger, index=True)
    channel: Mapped[str] = mapped_column(String(16), default="taobao")
    placed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    note: Mapped[str | None] = mapped_column(Text)

    customer: Mapped[ShopCustomer | None] = relationship()
    lines: Mapped[list[ShopOrderLine]] = relationship(back_populates="order", order_by="ShopOrderLine.id")

    def __str__(self) -> str:
        return self.number


class ShopOrderLine(db.Model):
    __tablename__ = "shop_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_orders.id"), index=True)
    # Indexed: the catalog and the order panel's search box look lines up by it.
    sku: Mapped[str | None] = mapped_column(String(64), index=True)
    # Marketplace titles and links can be long: MariaDB's TEXT stops at 64 KiB.
    name: Mapped[str] = mapped_column(LongText)
    link: Mapped[str | None] = mapped_column(LongText)
    picture: Mapped[str | None] = mapped_column(LongText)
    colour: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(200))
    colour_zh: Mapped[str | None] = mapped_column(String(200))
    size_zh: Mapped[str | None] = mapped_column(String(200))
    qty: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    sale_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    cn_shipping: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))

    order: Mapped[ShopOrder] = relationship(back_populates="lines")
