"""Fixtures shared by the suite.

Every database test runs on SQLite, and also on each URL listed (space-separated)
in ``ORDER_ADMIN_TEST_DATABASE_URLS`` (PostgreSQL and MariaDB in CI); and over both
model sets (``tests/model_sets.py``): the plugin's own tables, and the legacy shop's own
tables mounted with ``OrderModels``. A directory whose conftest pins ``model_set`` runs on
one; a test marked ``@pytest.mark.models("builtin")`` runs on that set only.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event
from flask_babel import Babel
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

from flask_order_admin import OrderAdmin, signals
from flask_order_admin.services.resolver_pool import THREAD_NAME
from tests.model_sets import BUILTIN, MODEL_SETS, SETS, MadeOrder, Orders


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


@pytest.fixture(scope="session", params=MODEL_SETS)
def model_set(request: pytest.FixtureRequest) -> str:
    """Which order tables the test's host app has: the plugin's own ("builtin") or the legacy shop's."""
    return request.param


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "models(name): run only over that model set (tests/model_sets.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the runs of ``@pytest.mark.models(name)`` tests over the other model set."""
    kept, dropped = [], []
    for item in items:
        marker = item.get_closest_marker("models")
        params = getattr(getattr(item, "callspec", None), "params", {})
        if marker is not None and params.get("model_set", marker.args[0]) not in marker.args:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def build_app(
    database_url: str, config: dict[str, Any] | None = None, *, admin: Any = None, model_set: str = BUILTIN,
) -> tuple[Flask, SQLAlchemy]:
    """A minimal host app: Flask-SQLAlchemy, and the plugin on it, over the model set's tables."""
    app = Flask("order_admin_test_host")
    app.config.update(
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        SECRET_KEY="test",
        TESTING=True,
    )
    app.config.update(config or {})
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    db = SETS[model_set].new_db()
    db.init_app(app)
    OrderAdmin(app, db=db, admin=admin, models=SETS[model_set].order_models())
    return app, db


@pytest.fixture(scope="session")
def host_apps() -> Iterator[dict[Any, tuple[Flask, SQLAlchemy]]]:
    """The suite's host apps, built once each and kept for the session: one per kind of host, database and
    model set (a session fixture per combination would be reused where a directory pins its model set)."""
    apps: dict[Any, tuple[Flask, SQLAlchemy]] = {}
    yield apps
    for app, db in apps.values():
        with app.app_context():
            db.engine.dispose()


def shared_host(apps: dict[Any, tuple[Flask, SQLAlchemy]], key: Any, build: Callable[[], tuple[Flask, SQLAlchemy]]):
    """The host app of ``key``, built (its tables dropped and created) on first use."""
    if key not in apps:
        app, db = build()
        with app.app_context():
            db.drop_all()
            db.create_all()
        apps[key] = (app, db)
    return apps[key]


@pytest.fixture
def _shared_app(host_apps: Any, database_url: str, model_set: str) -> tuple[Flask, SQLAlchemy]:
    return shared_host(host_apps, ("plain", database_url, model_set),
                       lambda: build_app(database_url, model_set=model_set))


def wipe_orders(db: SQLAlchemy, model_set: str, store: Any) -> None:
    """Delete every order row of the model set (and what the plugin keeps of them)."""
    SETS[model_set].wipe(db, store)


@pytest.fixture
def app(_shared_app: tuple[Flask, SQLAlchemy], model_set: str) -> Iterator[Flask]:
    """The test host app with empty order tables and its settings and store restored after the test."""
    flask_app, db = _shared_app
    state = flask_app.extensions["order_admin"]
    settings, store = state.settings, state.store
    with flask_app.app_context():
        wipe_orders(db, model_set, store)
        db.session.remove()
        yield flask_app
        db.session.remove()
    state.settings, state.store = settings, store


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
def orders(app: Flask, session: Any, model_set: str) -> Orders:
    """Orders read back by the plugin's field names: ``orders.get(id)``, ``.status(id)``, ``.events(id)``…"""
    return Orders(session, lambda: app.extensions["order_admin"], SETS[model_set])


@pytest.fixture
def make_order(session: Any, orders: Orders, model_set: str) -> Callable[..., MadeOrder]:
    """Create and commit an order in the model set's tables: ``items`` is a count or a list of field dicts
    (the plugin's field names); returns it as read back (``.id``, ``.number``, ``.version``, ``.items``…)."""

    def make(
        status: Any = "awaiting_payment",
        *,
        items: int | list[dict[str, Any]] = 2,
        provider: str = "taobao",
        customer_ref: str | None = "cust-1",
        buyer_email: str | None = "buyer@example.com",
        **fields: Any,
    ) -> MadeOrder:
        fields.setdefault("buyer_name", "Li Wei 李伟")
        fields.setdefault("buyer_phone", "+86 138 0000 0000")
        fields.setdefault("buyer_address", "Room 5, 12 Nanjing Rd, Shanghai")
        lines = [item_fields(i) for i in range(items)] if isinstance(items, int) else items
        order_id = SETS[model_set].insert_order(
            session, status=status, items=lines, provider=provider, customer_ref=customer_ref,
            buyer_email=buyer_email, fields=fields,
        )
        return orders.get(order_id)

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
def wipe(db: SQLAlchemy, app: Flask, model_set: str) -> Callable[[], None]:
    """Empty the order tables again, for tests that loop (Hypothesis examples)."""

    def run() -> None:
        db.session.remove()
        wipe_orders(db, model_set, app.extensions["order_admin"].store)

    return run


ORDER_SIGNALS = (
    signals.order_canceled, signals.order_restored, signals.order_closed, signals.order_commented,
    signals.orders_merged, signals.order_unmerged, signals.orders_exported,
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


@pytest.fixture
def statements(db: Any) -> Any:
    """``statements(run)``: the SQL statements ``run()`` sends, starting from nothing loaded (the test
    client's requests share the test's session, so its identity map is expired first, as a fresh
    request's session would be)."""

    def record(run: Any) -> list[str]:
        seen: list[str] = []
        db.session.expire_all()

        def listener(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            run()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return seen

    return record
