"""Fixtures shared by the suite.

Every database test runs on SQLite, and also on each URL listed (space-separated)
in ``ORDER_ADMIN_TEST_DATABASE_URLS`` (PostgreSQL and MariaDB in CI).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin, signals
from flask_order_admin.models import ExportRecord, Order, OrderEvent, OrderItem
from flask_order_admin.resolver_pool import THREAD_NAME


def _extra_urls() -> list[str]:
    return [u for u in os.environ.get("ORDER_ADMIN_TEST_DATABASE_URLS", "").split() if u]


def _url_id(url: str) -> str:
    return url.split(":", 1)[0].split("+", 1)[0]


DATABASE_PARAMS = ["sqlite"] + _extra_urls()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'orders.sqlite'}"


@pytest.fixture(scope="session", params=DATABASE_PARAMS, ids=[_url_id(u) for u in DATABASE_PARAMS])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    return sqlite_url if request.param == "sqlite" else request.param


def build_app(database_url: str, config: dict[str, Any] | None = None, *, admin: Any = None) -> tuple[Flask, SQLAlchemy]:
    """A minimal host app: Flask-SQLAlchemy, and the plugin on it."""
    app = Flask("order_admin_test_host")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SECRET_KEY="test",
        TESTING=True,
    )
    app.config.update(config or {})
    db = SQLAlchemy()
    db.init_app(app)
    OrderAdmin(app, db=db, admin=admin)
    return app, db


@pytest.fixture(scope="session")
def _shared_app(database_url: str) -> Iterator[tuple[Flask, SQLAlchemy]]:
    app, db = build_app(database_url)
    with app.app_context():
        db.drop_all()
        db.create_all()
    yield app, db
    with app.app_context():
        db.engine.dispose()


def wipe_orders(db: SQLAlchemy) -> None:
    """Delete every order row (children first; the self-reference cleared so MariaDB accepts it), and the exports log."""
    with db.engine.begin() as connection:
        connection.execute(ExportRecord.__table__.delete())
        connection.execute(OrderEvent.__table__.delete())
        connection.execute(OrderItem.__table__.delete())
        connection.execute(Order.__table__.update().values(merged_into_id=None))
        connection.execute(Order.__table__.delete())


@pytest.fixture
def app(_shared_app: tuple[Flask, SQLAlchemy]) -> Iterator[Flask]:
    """The test host app with empty order tables and its settings restored after the test."""
    flask_app, db = _shared_app
    state = flask_app.extensions["order_admin"]
    settings = state.settings
    with flask_app.app_context():
        wipe_orders(db)
        db.session.remove()
        yield flask_app
        db.session.remove()
    state.settings = settings


@pytest.fixture
def db(_shared_app: tuple[Flask, SQLAlchemy]) -> SQLAlchemy:
    return _shared_app[1]


@pytest.fixture
def session(app: Flask, db: SQLAlchemy) -> Any:
    return db.session


@pytest.fixture
def dialect(db: SQLAlchemy, app: Flask) -> str:
    return db.engine.dialect.name


def item_fields(n: int, **overrides: Any) -> dict[str, Any]:
    fields = {
        "provider_item_id": f"tb-{1000 + n}",
        "title": f"Cotton dress {n} 连衣裙",
        "url": f"https://item.taobao.com/item.htm?id={1000 + n}",
        "photo_url": f"https://img.example.com/{1000 + n}.jpg",
        "color": "Red",
        "size": "M",
        "color_cn": "红色",
        "size_cn": "中码",
        "quantity": 1 + n % 3,
        "price": Decimal("100.50") + n,
        "discount_price": Decimal("90.25") + n if n % 2 else None,
        "china_delivery": Decimal("7.30"),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_order(session: Any) -> Callable[..., Order]:
    """Create and commit an order: ``items`` is a count or a list of field dicts."""

    def make(
        status: str = "awaiting_payment",
        *,
        items: int | list[dict[str, Any]] = 2,
        provider: str = "taobao",
        customer_ref: str | None = "cust-1",
        buyer_email: str | None = "buyer@example.com",
        **fields: Any,
    ) -> Order:
        order = Order(
            status=status,
            provider=provider,
            customer_ref=customer_ref,
            buyer_email=buyer_email,
            buyer_name=fields.pop("buyer_name", "Li Wei 李伟"),
            buyer_phone=fields.pop("buyer_phone", "+86 138 0000 0000"),
            buyer_address=fields.pop("buyer_address", "Room 5, 12 Nanjing Rd, Shanghai"),
            **fields,
        )
        lines = [item_fields(i) for i in range(items)] if isinstance(items, int) else items
        order.items = [OrderItem(**line) for line in lines]
        session.add(order)
        session.commit()
        return order

    return make


@pytest.fixture
def use_resolver(app: Flask) -> Iterator[Callable[..., Any]]:
    """Install a price resolver (and other settings) for one test; the ``app`` fixture puts them back.

    Afterwards it waits for resolver calls the test gave up on, so none holds a place in the
    resolver pool, a thread or a connection in the next test.
    """
    state = app.extensions["order_admin"]

    def install(resolver: Any, **more: Any) -> Any:
        state.settings = type(state.settings)(**{**state.settings.__dict__, "price_resolver": resolver, **more})
        return state.settings

    yield install
    deadline = time.monotonic() + 15
    while any(t.name == THREAD_NAME for t in threading.enumerate()):
        assert time.monotonic() < deadline, "a price resolver call of this test is still running"
        time.sleep(0.02)


@pytest.fixture
def wipe(db: SQLAlchemy, app: Flask) -> Callable[[], None]:
    """Empty the order tables again, for tests that loop (Hypothesis examples)."""

    def run() -> None:
        db.session.remove()
        wipe_orders(db)

    return run


ORDER_SIGNALS = (
    signals.order_canceled, signals.order_restored, signals.order_closed, signals.order_commented,
    signals.orders_merged, signals.orders_exported,
)


@pytest.fixture
def signals_sent() -> Iterator[list[tuple[str, Any, dict[str, Any]]]]:
    """Every order signal sent during the test, as ``(signal name, sender, keyword data)``."""
    sent: list[tuple[str, Any, dict[str, Any]]] = []
    receivers = []
    for signal in ORDER_SIGNALS:
        def receiver(sender: Any, _name: str = signal.name, **data: Any) -> None:
            sent.append((_name, sender, data))

        signal.connect(receiver)
        receivers.append((signal, receiver))  # kept here: blinker holds receivers weakly
    yield sent
    for signal, receiver in receivers:
        signal.disconnect(receiver)
