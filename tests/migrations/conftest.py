"""Fixtures for the migration tests: a small host shop run through Flask-Migrate.

Migrations create and drop every table, so these tests never use the database the other tests
share: SQLite in ``tmp_path``, and for each URL in ``ORDER_ADMIN_TEST_DATABASE_URLS`` a sibling
database ``<name>_migrations``, emptied for each test.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask_admin import Admin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import make_url

from flask_order_admin import OrderAdmin

PLUGIN_TABLES = {"order_admin_orders", "order_admin_order_items", "order_admin_order_events", "order_admin_exports",
                 "order_admin_export_limits", "order_admin_export_orders", "order_admin_bulk_results",
                 "order_admin_search_keys", "order_admin_item_keys"}
HOST_TABLES = {"shop_customers"}


def _scratch_url(url: str) -> str:
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_migrations").render_as_string(hide_password=False)


SCRATCH_DATABASES = ["sqlite"] + [_scratch_url(u) for u in os.environ.get("ORDER_ADMIN_TEST_DATABASE_URLS", "").split()]


def empty_database(url: str) -> None:
    """Make the scratch database exist and hold nothing: on MariaDB drop and create it, on
    PostgreSQL (where that takes longer) create it once, then drop and create its schema."""
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
        statements = ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public"]
    else:
        engine = create_engine(parsed.set(database="mysql"))
        statements = [f"DROP DATABASE IF EXISTS `{name}`",
                      f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"]
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.fixture(params=SCRATCH_DATABASES, ids=[u.split(":", 1)[0].split("+", 1)[0] for u in SCRATCH_DATABASES])
def scratch_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of this test's own."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shop.sqlite'}"
    empty_database(request.param)
    return request.param


@pytest.fixture(autouse=True)
def _keep_logging() -> Iterator[None]:
    """Flask-Migrate's env.py runs ``logging.config.fileConfig``, which disables every logger
    that exists: put them back as they were for the tests that run after."""
    root = logging.getLogger()
    saved_root = (root.level, list(root.handlers))
    saved = {name: (lg.disabled, lg.level, list(lg.handlers), lg.propagate)
             for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    yield
    root.setLevel(saved_root[0])
    root.handlers[:] = saved_root[1]
    for name, lg in logging.root.manager.loggerDict.items():
        if not isinstance(lg, logging.Logger):
            continue
        if name in saved:
            lg.disabled, lg.level, handlers, lg.propagate = saved[name]
            lg.handlers[:] = handlers
        else:
            lg.disabled = False


def build_host(database_url: str, directory: Path) -> tuple[Flask, SQLAlchemy, flask_migrate.Migrate]:
    """A shop as a developer writes it: its own table, Flask-Admin, the plugin, Flask-Migrate."""
    app = Flask("migrations_test_host")
    app.config.update(SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY="test", TESTING=True)
    db = SQLAlchemy(app)
    db.Table(
        "shop_customers",
        db.Column("id", db.Integer, primary_key=True),
        db.Column("email", db.String(254), nullable=False, index=True),
    )
    OrderAdmin(app, admin=Admin(app), db=db)
    migrate = flask_migrate.Migrate(app, db, directory=str(directory))
    return app, db, migrate


@pytest.fixture
def host(scratch_url: str, tmp_path: Path) -> Iterator[tuple[Flask, SQLAlchemy, flask_migrate.Migrate]]:
    """The host on the scratch database, its migration folder to be in ``tmp_path/migrations``."""
    app, db, migrate = build_host(scratch_url, tmp_path / "migrations")
    yield app, db, migrate
    with app.app_context():
        db.engine.dispose()


def schema_differences(db: SQLAlchemy, metadata: MetaData) -> list[Any]:
    """What autogenerate would write to turn ``metadata``'s tables in the database into ``metadata``
    (types compared, as Flask-Migrate compares them). Other tables are left out: see table_names."""

    def in_metadata(name: str | None, kind: str, parent_names: Any) -> bool:
        return kind != "table" or name in metadata.tables

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": in_metadata})
        return compare_metadata(context, metadata)


def table_names(db: SQLAlchemy) -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}
