"""``flask db migrate`` on a shop that mounts the panel on its own tables (the legacy shop's): the revision only
creates the panel's new tables, and runs unedited up, down and up again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from flask import Flask
from flask_admin import Admin
from sqlalchemy import text

from example_app.legacy.models import db
from example_app.legacy.order_models import SHOP_ORDER_MODELS
from flask_order_admin import OrderAdmin

from .conftest import schema_differences, table_names

pytestmark = pytest.mark.filterwarnings("ignore:.get_engine. is deprecated:DeprecationWarning")

NEW_TABLES = {"order_admin_order_states", "order_admin_line_origins", "order_admin_history", "order_admin_number_keys",
              "order_admin_exports", "order_admin_export_limits", "order_admin_export_orders", "order_admin_bulk_results",
              "order_admin_search_keys", "order_admin_item_keys"}


@pytest.fixture
def legacy_host(scratch_url: str, tmp_path: Path) -> Any:
    app = Flask("migrations_legacy_host")
    app.config.update(SQLALCHEMY_DATABASE_URI=scratch_url, SECRET_KEY="test", TESTING=True)
    db.init_app(app)
    OrderAdmin(app, admin=Admin(app), db=db, models=SHOP_ORDER_MODELS)
    flask_migrate.Migrate(app, db, directory=str(tmp_path / "migrations"))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_shop_with_its_tables_gets_a_revision_that_adds_only_the_panels_tables(legacy_host, tmp_path: Path):
    directory = str(tmp_path / "migrations")
    with legacy_host.app_context():
        shop_tables = [t for t in db.metadata.sorted_tables if t.name not in NEW_TABLES]
        db.metadata.create_all(db.engine, tables=shop_tables)  # the shop as it was, before the panel
        flask_migrate.init(directory=directory)
        flask_migrate.stamp(directory=directory)
        flask_migrate.migrate(directory=directory, message="order panel")
        [revision] = (tmp_path / "migrations" / "versions").glob("*.py")
        text = revision.read_text(encoding="utf-8")
        assert "flask_order_admin" not in text
        created = {line.split("'")[1] for line in text.splitlines() if "op.create_table(" in line}
        assert created == NEW_TABLES
        assert "op.drop_" not in text.split("def downgrade")[0] and "op.alter_column" not in text

        flask_migrate.upgrade(directory=directory)
        assert table_names(db) == {t.name for t in shop_tables} | NEW_TABLES
        flask_migrate.downgrade(directory=directory, revision="base")
        assert table_names(db) == {t.name for t in shop_tables}  # the shop's tables stay
        flask_migrate.upgrade(directory=directory)
        assert schema_differences(db, db.metadata) == []


def test_a_shop_with_the_exports_log_of_before_gets_its_owner_column_and_the_limits_table(legacy_host, tmp_path: Path):
    """A shop that made the panel's tables before exports had an owner: its next `flask db migrate` adds
    ``actor_id`` (and its index) and the limits' lock table, keeping the exports already logged."""
    directory = str(tmp_path / "migrations")
    with legacy_host.app_context():
        newer = {"order_admin_export_limits", "order_admin_export_orders"}
        before = [t for t in db.metadata.sorted_tables if t.name not in newer]
        db.metadata.create_all(db.engine, tables=before)
        with db.engine.begin() as connection:
            with Operations(MigrationContext.configure(connection)).batch_alter_table("order_admin_exports") as batch:
                batch.drop_index("ix_order_admin_exports_actor_id")
                batch.drop_column("actor_id")
            connection.execute(text("INSERT INTO order_admin_exports (actor, created_at, fmt, source, description, "
                                    "order_count, runner, state, rows_written) VALUES ('Li Wei', "
                                    "'2026-12-01 10:00:00', 'xls', 'order', 'Order', 1, 'thread', 'done', 3)"))
        flask_migrate.init(directory=directory)
        flask_migrate.stamp(directory=directory)
        flask_migrate.migrate(directory=directory, message="export owners")
        [revision] = (tmp_path / "migrations" / "versions").glob("*.py")
        upgrade = revision.read_text(encoding="utf-8").split("def downgrade")[0]
        assert {line.split("'")[1] for line in upgrade.splitlines() if "op.create_table(" in line} == newer
        assert "sa.Column('actor_id'" in upgrade and "ix_order_admin_exports_actor_id" in upgrade
        assert "op.drop_" not in upgrade

        flask_migrate.upgrade(directory=directory)
        assert schema_differences(db, db.metadata) == []
        with db.engine.connect() as connection:
            kept = connection.execute(text("SELECT actor, actor_id FROM order_admin_exports")).all()
        assert kept == [("Li Wei", None)]
