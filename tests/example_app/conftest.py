"""Fixtures for the example shop: a fresh app on a temporary database.

SQLite always; and, for each URL in ``ORDER_ADMIN_TEST_DATABASE_URLS``, a sibling
database named ``<name>_shop`` (created here when missing), so these tests, which drop
and create every table, never touch the database the plugin's own tests share.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from example_app import create_app
from example_app.auth import ensure_admin_user
from example_app.models import db

PASSWORD = "correct horse"


def _shop_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_shop").render_as_string(hide_password=False)


SHOP_DATABASES = ["sqlite"] + [_shop_url(u) for u in os.environ.get("ORDER_ADMIN_TEST_DATABASE_URLS", "").split()]


def shop_config(database_url: str) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": "test",
        "TESTING": True,
        "DEMO_ADMIN_PASSWORD": PASSWORD,
    }


@pytest.fixture
def make_shop(tmp_path: Any) -> Iterator[Callable[..., Flask]]:
    """Build a shop app on an empty SQLite file (or ``url``), tables dropped and created anew; ``config`` on top."""
    apps: list[Flask] = []

    def make(url: str | None = None, **config: Any) -> Flask:
        url = url or f"sqlite:///{tmp_path / f'shop{len(apps)}.sqlite'}"
        app = create_app({**shop_config(url), **config})
        with app.app_context():
            db.drop_all()
            db.create_all()
            ensure_admin_user(PASSWORD)
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _ensure_database(url: str) -> None:
    """Create the sibling database on its server if it is not there yet."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    else:
        engine = create_engine(parsed.set(database="mysql"))
        with engine.connect() as connection:
            connection.execute(text(
                f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    engine.dispose()


@pytest.fixture(params=SHOP_DATABASES, ids=[u.split(":", 1)[0].split("+", 1)[0] for u in SHOP_DATABASES])
def shop_database(request: pytest.FixtureRequest) -> str | None:
    if request.param == "sqlite":
        return None
    _ensure_database(request.param)
    return request.param


def seed(app: Flask, *args: str) -> Any:
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result


def csrf_token(client: Any, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from the form on ``path`` as a browser would."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', page).group(1)


def log_in(client: Any, password: str, username: str = "admin", token: str | None = None) -> Any:
    """POST the login form (with the client's CSRF token unless ``token`` is given)."""
    token = token or csrf_token(client)
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def log_out(client: Any) -> Any:
    return client.post("/logout", data={"csrf_token": csrf_token(client, "/admin/")})
