"""The example shop's own tables: staff users and the product catalog."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime
from decimal import Decimal

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from flask_order_admin.models import utcnow

# Module-level is fine: it holds no app until create_app calls db.init_app(app).
db = SQLAlchemy()


class User(db.Model):
    """A staff member; Flask-Login's user (the four attributes it asks for are below)."""

    __tablename__ = "shop_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))

    is_authenticated = True
    is_active = True
    is_anonymous = False
    # The token of the login session this user was loaded for (login_sessions.py sets it, unmapped).
    login_token = None

    def get_id(self) -> str | None:
        # What Flask-Login keeps in the session cookie: the login session's token, never the user's id,
        # so that ending the login session on the server ends every copy of the cookie.
        return self.login_token

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


def password_matches(user: User | None, password: str) -> bool:
    """``user``'s password check; for a user name that does not exist, a check that fails but takes as long,
    so the time of a login does not tell which user names exist."""
    if user is None:
        check_password_hash(_unmatchable_hash(), password)
        return False
    return user.check_password(password)


@functools.cache
def _unmatchable_hash() -> str:
    """A hash made like the users' (same method, same cost) of a password nobody knows; made once per process."""
    return generate_password_hash(secrets.token_urlsafe(32))


class LoginSession(db.Model):
    """One browser's login, kept on the server: the cookie holds its random token, logout deletes the row,
    and from then on no copy of that cookie opens anything. Only the token's SHA-256 is stored."""

    __tablename__ = "shop_login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("shop_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)  # naive UTC

    user: Mapped[User] = relationship()


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
