"""The README's worked example of a shop's own tables ("Use your own order tables") is code that starts:
run on classes with the columns it names, its ``OrderModels`` passes the checks ``init_app`` makes."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, MetaData, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from flask_order_admin.domain import OrderStatus
from flask_order_admin.store import resolve_store

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def readme_example() -> str:
    section = README.split("## Use your own order tables", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


class Base(DeclarativeBase):
    metadata = MetaData()


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))


class ShopOrder(Base):
    __tablename__ = "shop_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created: Mapped[datetime] = mapped_column(DateTime)
    updated: Mapped[datetime] = mapped_column(DateTime, onupdate=func.now())
    user: Mapped[User] = relationship(User)


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("shop_orders.id"))
    item_id: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    qty: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(Integer)
    sale_cents: Mapped[int | None] = mapped_column(Integer)
    delivery_cents: Mapped[int] = mapped_column(Integer)


def test_the_readme_example_of_a_shops_own_tables_passes_the_start_up_checks():
    mounted: dict[str, Any] = {}

    def order_admin(app: Any, **kwargs: Any) -> None:  # the example's last line, without an app
        mounted.update(kwargs)

    namespace = {"ShopOrder": ShopOrder, "OrderLine": OrderLine, "User": User, "app": None, "admin": None,
                 "db": None}
    exec(compile(readme_example().replace("OrderAdmin(app", "order_admin(app"), "README.md", "exec"),
         {**namespace, "order_admin": order_admin})
    store = resolve_store(mounted["models"])

    assert store.statuses.from_host("in_work") is OrderStatus.PROCESSING
    assert store.statuses.from_host("paid") is OrderStatus.PROCESSING
    assert store.statuses.to_host(OrderStatus.PROCESSING) == "paid"
    line = OrderLine(price_cents=19136, sale_cents=None, delivery_cents=500)
    assert store.line_field("price").read(line) == Decimal("191.36")
    assert store.line_field("china_delivery").read(line) == Decimal("5.00")
