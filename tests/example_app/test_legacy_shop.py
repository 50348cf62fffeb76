"""The legacy shop (``example_app.legacy``): rows that existed before the order panel, and the panel mounted on
them with no copy. Its schema gains new tables only; its rows and its own views stay as they were."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, inspect, select

from example_app.legacy import create_app
from example_app.legacy.models import ShopProduct, ShopCustomer, ShopOrder, ShopOrderLine, db
from example_app.legacy.seed import seed_shop
from flask_order_admin import services

# What mounting the panel adds to the shop's schema: these tables, and nothing else (docs/own-tables.md).
PLUGIN_TABLES = {"order_admin_order_states", "order_admin_line_origins", "order_admin_history",
                 "order_admin_number_keys", "order_admin_exports", "order_admin_export_limits",
                 "order_admin_export_orders", "order_admin_bulk_results"}
SHOP_ROWS = (ShopCustomer, ShopProduct, ShopOrder, ShopOrderLine)


@pytest.fixture
def shop_url(shop_database: str | None, tmp_path: Path) -> Any:
    """An empty database for the legacy shop (SQLite file, or the ``_shop`` sibling, all its tables dropped)."""
    url = shop_database or f"sqlite:///{tmp_path / 'legacy.sqlite'}"
    engine = create_engine(url)
    db.metadata.drop_all(engine)
    yield url
    db.metadata.drop_all(engine)
    engine.dispose()


def schema(engine: Any) -> dict[str, Any]:
    """Every table's columns, key, indexes and foreign keys, as the database reports them."""
    inspector = inspect(engine)
    found = {}
    for table in inspector.get_table_names():
        found[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "foreign keys": sorted((tuple(f["constrained_columns"]), f["referred_table"])
                                   for f in inspector.get_foreign_keys(table)),
        }
    return found


def rows(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {cls.__tablename__: [tuple(r) for r in connection.execute(
            select(cls.__table__).order_by(*cls.__table__.primary_key.columns))] for cls in SHOP_ROWS}


def test_mounting_the_panel_adds_new_tables_only_and_changes_no_row(shop_url):
    engine = create_engine(shop_url)
    # The shop as it was: its own tables (none of the panel's), and its rows.
    db.metadata.create_all(engine, tables=[t for t in db.metadata.sorted_tables if t.name not in PLUGIN_TABLES])
    with engine.begin() as connection:
        from sqlalchemy.orm import Session

        seed_shop(Session(bind=connection), orders=60)
    before_schema, before_rows = schema(engine), rows(engine)
    assert not PLUGIN_TABLES & set(before_schema)

    app = create_app({"SQLALCHEMY_DATABASE_URI": shop_url, "TESTING": True})  # OrderAdmin, then db.create_all()
    after_schema = schema(engine)
    assert set(after_schema) - set(before_schema) == PLUGIN_TABLES
    assert {t: after_schema[t] for t in before_schema} == before_schema  # every shop table exactly as it was
    assert rows(engine) == before_rows
    with app.app_context():
        assert services.search(db.session, "SH-24-00001")  # the existing rows, read where they are
        db.engine.dispose()
    engine.dispose()


def test_the_seed_writes_only_the_shops_tables(shop_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": shop_url, "TESTING": True})
    result = app.test_cli_runner().invoke(args=["seed-shop", "--orders", "80"])
    assert result.exit_code == 0, result.output
    assert "merge pairs: SH-" in result.output and "on hold: SH-" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShopOrder)) == 80
        for name in PLUGIN_TABLES:
            assert db.session.scalar(select(func.count()).select_from(db.metadata.tables[name])) == 0, name
        db.engine.dispose()


def test_the_shop_keeps_its_own_views_and_the_panel_sits_beside_them(shop_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": shop_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "DEMO_ADMIN_PASSWORD": "admin"})
    app.test_cli_runner().invoke(args=["seed-shop", "--orders", "60"])
    client = app.test_client()
    assert client.get("/backoffice/orders/").location.startswith("/login?next=")
    response = client.post("/login", data={"username": "admin", "password": "admin"})
    assert response.status_code == 302
    for url in ("/backoffice/", "/backoffice/shop_customers/", "/backoffice/shop_catalog/", "/backoffice/orders/",
                "/backoffice/orders/items/"):
        assert client.get(url).status_code == 200, url
    listing = client.get("/backoffice/orders/?sort=0&desc=0").text
    assert "SH-24-00001" in listing and "List (60)" in listing
    with app.app_context():
        db.engine.dispose()
