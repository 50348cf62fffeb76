"""The example shop's own tables: staff users and the product catalog."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

# Module-level is fine: it holds no app until create_app calls db.init_app(app).
db = SQLAlchemy()


class User(UserMixin, db.Model):
    __tablename__ = "shop_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class Product(db.Model):
    """A catalog entry; order items point at it by ``provider_item_id == sku``."""

    __tablename__ = "shop_products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    provider: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(500))
    photo_url: Mapped[str] = mapped_column(String(500))
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    discount_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    china_delivery: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    # Withdrawn from sale from this moment on (naive UTC, like the plugin's dates); None: still sold.
    sold_until: Mapped[datetime | None] = mapped_column(DateTime)

    def is_sold_at(self, at: datetime) -> bool:
        return self.sold_until is None or at < self.sold_until
