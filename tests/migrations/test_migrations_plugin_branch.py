"""The plugin's own revisions (branch ``order_admin``), run by the host's Flask-Migrate.

A shop on an earlier schema upgrades to head without losing a row; at head the tables are
exactly the models' (so a model change without its revision fails here).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Column, MetaData, Table, column, func, select, table
from sqlalchemy.orm import Session

from flask_order_admin.migrations import BRANCH, VERSIONS_PATH, add_version_location
from flask_order_admin.domain.search_keys import name_key, phone_key
from flask_order_admin.jobs.selection import all_ids
from flask_order_admin.models import ExportLimitLock, ExportRecord, Order, OrderAdminBase, OrderEvent, OrderItem

from . import schema_0_1_0
from .conftest import HOST_TABLES, PLUGIN_TABLES, schema_differences, table_names

pytestmark = pytest.mark.filterwarnings("ignore:.get_engine. is deprecated:DeprecationWarning")

HEAD = f"{BRANCH}@head"


@pytest.fixture
def plugin_host(host, tmp_path: Path):
    """The test host with the plugin's revisions in its version_locations, and none of its own."""
    app, db, migrate = host
    migrate.configure(add_version_location)
    directory = str(tmp_path / "migrations")
    with app.app_context():
        flask_migrate.init(directory=directory)
        yield db, directory


def test_plugin_revisions_at_head_build_exactly_the_models_tables(plugin_host):
    db, directory = plugin_host
    flask_migrate.upgrade(directory=directory, revision="heads")
    assert table_names(db) == PLUGIN_TABLES
    assert schema_differences(db, OrderAdminBase.metadata) == []


SHOP_REVISION = '''"""The shop's own first revision, made before it installed the plugin."""
import sqlalchemy as sa
from alembic import op

revision = "shop_0001"
down_revision = None
branch_labels = ("shop",)


def upgrade():
    op.create_table("shop_customers", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("email", sa.String(254), nullable=False))
    op.create_index("ix_shop_customers_email", "shop_customers", ["email"])


def downgrade():
    op.drop_table("shop_customers")
'''


def with_shop_revision(directory: str) -> None:
    (Path(directory) / "versions" / "shop_0001.py").write_text(SHOP_REVISION, encoding="utf-8")
    flask_migrate.upgrade(directory=directory, revision="shop@head")


def created_by_0_1_0(db: SQLAlchemy, directory: str) -> None:
    """A shop on 0.1.0: the plugin's tables from ``db.create_all()``, then adopted with
    ``flask db stamp oa_0001`` as docs/database-migrations.md says."""
    with_shop_revision(directory)
    schema_0_1_0.metadata.create_all(db.engine)
    flask_migrate.stamp(directory=directory, revision="oa_0001")


def upgraded_to(revision: str) -> Callable[[SQLAlchemy, str], None]:
    """A shop whose tables came from the plugin's revisions, up to ``revision``."""

    def make(db: SQLAlchemy, directory: str) -> None:
        with_shop_revision(directory)
        flask_migrate.upgrade(directory=directory, revision=revision)
        if revision == "oa_0001":  # the first revision is 0.1.0's schema exactly
            assert schema_differences(db, schema_0_1_0.metadata) == []

    return make


# The schemas an installed shop may be on, each made the way such a shop made it.
# A new revision adds the one before it here: pytest.param(upgraded_to("oa_0003"), id="oa_0003").
STARTING_POINTS = [
    pytest.param(created_by_0_1_0, id="0.1.0-create_all-stamped"),
    pytest.param(upgraded_to("oa_0001"), id="oa_0001"),
    pytest.param(upgraded_to("oa_0002"), id="oa_0002"),
    pytest.param(upgraded_to("oa_0003"), id="oa_0003"),
    pytest.param(upgraded_to("oa_0005"), id="oa_0005"),
]

WHEN = datetime(2026, 11, 3, 9, 30, 15)
LONG_TITLE = "连衣裙 Cotton dress " * 4000  # 80,000 characters: past MariaDB's 64 KiB TEXT


def insert_rows(db: SQLAlchemy) -> None:
    """Orders 1 (processing, with the lines of order 2 merged in), 2 (merged into 1), 3 (canceled),
    written with the tables as the database has them, not as today's models declare them."""
    tables = MetaData()
    orders = Table("order_admin_orders", tables, autoload_with=db.engine)
    items = Table("order_admin_order_items", tables, autoload_with=db.engine)
    # MariaDB reports a JSON column as LONGTEXT: say it is JSON, so that a dict is written as JSON.
    events = Table("order_admin_order_events", tables, Column("details", JSON), autoload_with=db.engine)

    def order(status: str, merged_into_id: int | None = None) -> dict[str, Any]:
        return {"provider": "taobao", "status": status, "customer_ref": "cust-7",
                "buyer_name": "Li Wei 李伟", "buyer_email": "Li.Wei@Example.com", "buyer_email_key": "li.wei@example.com",
                "buyer_phone": "+86 138 0000 0000", "buyer_address": "Room 5, 12 Nanjing Rd, Shanghai",
                "created_at": WHEN, "updated_at": WHEN, "status_changed_at": WHEN, "currency": "CNY",
                "merged_into_id": merged_into_id, "version": 3, **search_keys}

    # Since oa_0005 the search keys are columns too (filled by that revision for the rows before it).
    search_keys = {"buyer_name_key": name_key("Li Wei 李伟"), "buyer_phone_key": phone_key("+86 138 0000 0000")}
    search_keys = {name: value for name, value in search_keys.items() if name in orders.c}

    def item(order_id: int, origin_order_id: int, **fields: Any) -> dict[str, Any]:
        return {"order_id": order_id, "origin_order_id": origin_order_id,
                "provider_item_id": "tb-1001", "title": "Dress 连衣裙",
                "url": "https://item.taobao.com/item.htm?id=1001", "photo_url": None,
                "color": "Red", "size": "M", "color_cn": "红色", "size_cn": "中码", "quantity": 2,
                "price": Decimal("100.50"), "discount_price": None, "china_delivery": Decimal("7.30"), **fields}

    def event(order_id: int, action: str, from_status: str, to_status: str,
              details: dict[str, Any]) -> dict[str, Any]:
        return {"order_id": order_id, "at": WHEN, "actor": "manager 王", "action": action,
                "from_status": from_status, "to_status": to_status, "details": details}

    rows = [
        (orders, order("processing")),
        (orders, order("merged", merged_into_id=1)),
        (orders, order("canceled")),
        (items, item(1, 1, title=LONG_TITLE)),
        (items, item(1, 1, discount_price=Decimal("90.25"))),
        (items, item(1, 2, quantity=5)),  # merged in from order 2
        (items, item(3, 3, price=Decimal("0.01"))),
        (events, event(2, "merge", "awaiting_payment", "merged", {"into": 1, "lines": 1, "total": "502.50"})),
        (events, event(1, "merge", "awaiting_payment", "processing", {"from": 2, "lines": 1})),
        (events, event(3, "cancel", "processing", "canceled", {"comment": "买家取消"})),
    ]
    # One at a time and no ids given: each table numbers its rows 1, 2, 3… in a new database.
    with db.engine.begin() as connection:
        for table, row in rows:
            connection.execute(table.insert(), row)


def row_counts(db: SQLAlchemy) -> list[int]:
    """Rows per table, read with plain SQL: right on any schema the revisions pass through."""
    with db.engine.connect() as connection:
        return [connection.scalar(select(func.count()).select_from(table(name)))
                for name in ("order_admin_orders", "order_admin_order_items", "order_admin_order_events")]


def assert_rows_kept(db: SQLAlchemy) -> None:
    """The rows of ``insert_rows``, read back through today's models."""
    assert row_counts(db) == [3, 4, 3]
    session = db.session
    merged = session.get(Order, 2)
    assert (merged.status, merged.merged_into_id, merged.buyer_name, merged.version) == ("merged", 1, "Li Wei 李伟", 3)
    assert merged.created_at == WHEN
    assert (merged.buyer_name_key, merged.buyer_phone_key) == ("li wei 李伟", "0000000083168")
    basic = session.get(Order, 1)
    assert [(i.id, i.origin_order_id, i.quantity) for i in basic.items] == [(1, 1, 2), (2, 1, 2), (3, 2, 5)]
    assert basic.items[0].title == LONG_TITLE
    assert (basic.items[1].price, basic.items[1].discount_price) == (Decimal("100.50"), Decimal("90.25"))
    assert session.get(OrderItem, 4).price == Decimal("0.01")
    assert session.get(OrderEvent, 1).details == {"into": 1, "lines": 1, "total": "502.50"}
    assert session.get(OrderEvent, 3).details == {"comment": "买家取消"}
    session.rollback()


@pytest.mark.parametrize("start", STARTING_POINTS)
def test_upgrade_to_head_keeps_every_row(plugin_host, start):
    db, directory = plugin_host
    start(db, directory)
    insert_rows(db)

    flask_migrate.upgrade(directory=directory, revision=HEAD)

    assert schema_differences(db, OrderAdminBase.metadata) == []
    assert_rows_kept(db)
    assert table_names(db) == HOST_TABLES | PLUGIN_TABLES
    with db.engine.connect() as connection:  # the shop's own branch is where it was
        assert "shop_0001" in connection.scalars(select(table("alembic_version", column("version_num")))).all()
    # Ids go on after the kept rows.
    db.session.add(Order(buyer_name="new"))
    db.session.commit()
    assert db.session.scalar(select(func.max(Order.id))) == 4


def test_revisions_downgrade_keeping_every_row_and_upgrade_again(plugin_host):
    db, directory = plugin_host
    flask_migrate.upgrade(directory=directory, revision=HEAD)
    insert_rows(db)

    flask_migrate.downgrade(directory=directory, revision="oa_0001")
    assert schema_differences(db, schema_0_1_0.metadata) == []
    assert row_counts(db) == [3, 4, 3]
    flask_migrate.upgrade(directory=directory, revision=HEAD)
    assert schema_differences(db, OrderAdminBase.metadata) == []
    assert_rows_kept(db)

    flask_migrate.downgrade(directory=directory, revision=f"{BRANCH}@base")
    assert table_names(db) == set()


def test_host_autogenerates_only_its_own_tables_on_its_own_branch(plugin_host, tmp_path: Path):
    """The documented way (docs/database-migrations.md): the plugin's branch first, then the shop's revisions on a branch of their own."""
    db, directory = plugin_host
    own_versions = tmp_path / "migrations" / "versions"
    plugin_files = sorted(Path(VERSIONS_PATH).iterdir())
    flask_migrate.upgrade(directory=directory, revision="heads")
    flask_migrate.migrate(directory=directory, message="shop tables", head="base", branch_label="shop",
                          version_path=str(own_versions))
    [revision] = own_versions.glob("*.py")
    source = revision.read_text(encoding="utf-8")
    assert "shop_customers" in source and "order_admin" not in source  # the plugin's tables are made once

    flask_migrate.upgrade(directory=directory, revision="heads")
    assert table_names(db) == HOST_TABLES | PLUGIN_TABLES
    assert schema_differences(db, db.metadata) == []  # the shop's next `flask db migrate` has nothing to write
    flask_migrate.downgrade(directory=directory, revision="shop@base")
    assert table_names(db) == PLUGIN_TABLES
    assert sorted(Path(VERSIONS_PATH).iterdir()) == plugin_files


def test_exports_logged_before_owners_are_kept_owned_by_nobody(plugin_host):
    """oa_0006: an export of before keeps its row, with no owner (only "all_exports" sees it); starts
    find their lock row written."""
    db, directory = plugin_host
    with_shop_revision(directory)
    flask_migrate.upgrade(directory=directory, revision="oa_0005")
    exports = Table("order_admin_exports", MetaData(), Column("order_ids", JSON), autoload_with=db.engine)
    with db.engine.begin() as connection:
        connection.execute(exports.insert(), {
            "actor": "Li Wei", "created_at": WHEN, "fmt": "xls", "source": "order", "description": "Order",
            "order_ids": [1], "order_count": 1, "runner": "thread", "state": "done", "rows_written": 3,
            "file_name": "export-0000000001-0123456789abcdef.xls"})

    flask_migrate.upgrade(directory=directory, revision=HEAD)

    kept = db.session.scalars(select(ExportRecord)).one()
    assert (kept.actor, kept.actor_id, kept.state) == ("Li Wei", None, "done")
    assert all_ids(db.session, kept.id) == [1]  # oa_0007 moved its orders into their table
    assert db.session.scalars(select(ExportLimitLock.scope)).all() == ["shop"]
    db.session.rollback()
    flask_migrate.downgrade(directory=directory, revision="oa_0005")
    with db.engine.connect() as connection:
        assert connection.execute(select(exports.c.actor, exports.c.order_ids)).all() == [("Li Wei", [1])]


def test_the_orders_of_exports_move_from_json_into_their_table_and_back(plugin_host):
    """oa_0007: each export's JSON list of ids becomes rows of order_admin_export_orders (the job reads
    those), and the downgrade writes the lists back."""
    db, directory = plugin_host
    flask_migrate.upgrade(directory=directory, revision="oa_0005")
    # MariaDB reports a JSON column as LONGTEXT: say it is JSON, so that a list is written as JSON.
    exports = Table("order_admin_exports", MetaData(), Column("order_ids", JSON), autoload_with=db.engine)
    export = {"actor": "manager", "created_at": WHEN, "fmt": "xls", "source": "matching", "description": "",
              "runner": "thread", "state": "done", "rows_written": 3}
    with db.engine.begin() as connection:
        connection.execute(exports.insert(), [{**export, "order_ids": [30, 10, 20], "order_count": 3},
                                              {**export, "order_ids": [], "order_count": 0},
                                              {**export, "order_ids": [7], "order_count": 1}])

    flask_migrate.upgrade(directory=directory, revision=HEAD)
    assert schema_differences(db, OrderAdminBase.metadata) == []
    with Session(db.engine) as session:
        assert [all_ids(session, export_id) for export_id in (1, 2, 3)] == [[10, 20, 30], [], [7]]

    flask_migrate.downgrade(directory=directory, revision="oa_0005")
    exports = Table("order_admin_exports", MetaData(), Column("order_ids", JSON), autoload_with=db.engine)
    with db.engine.connect() as connection:
        assert connection.execute(select(exports.c.id, exports.c.order_ids).order_by(exports.c.id)).all() == [
            (1, [10, 20, 30]), (2, []), (3, [7])]
    assert "order_admin_export_orders" not in table_names(db)
