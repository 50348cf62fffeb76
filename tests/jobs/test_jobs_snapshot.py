"""The export job's read (jobs/snapshot.py): one read-only snapshot on PostgreSQL, MariaDB and SQLite in
WAL mode; short per-chunk reads on SQLite's rollback journal, which must not block writers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from flask_order_admin.export.query import chunks_of, count_rows, export_rows
from flask_order_admin.jobs.snapshot import snapshot_read
from flask_order_admin.models import Order, OrderAdminBase, OrderItem
from flask_order_admin.panel import OrderPanel
from flask_order_admin.settings import DEFAULT_SETTINGS

# What the job reads with: default settings on the plugin's own tables (the last test has no app).
panel = OrderPanel(settings=DEFAULT_SETTINGS)


def a_late_line(engine, order_id: int) -> None:
    """Another manager's change, committed on a connection of its own while the export reads."""
    with engine.begin() as connection:
        connection.execute(insert(OrderItem).values(order_id=order_id, title="added later", quantity=1,
                                                    price=Decimal("1.00"), china_delivery=Decimal("0.00")))


def test_the_job_reads_one_snapshot(db, make_order, dialect):
    order = make_order(items=2)
    with snapshot_read(db.engine) as read:
        before = count_rows(read.session, panel, [order.id], 100)
        a_late_line(db.engine, order.id)  # not blocked by the open read, on any database
        after = count_rows(read.session, panel, [order.id], 100)
        rows = list(export_rows(read.session, panel, chunks_of([order.id]), 100, {}, chunk_reads=read.chunk_reads))
    if dialect == "sqlite":  # the test database keeps SQLite's default rollback journal
        assert read.chunk_reads is not None and read.guarantee.startswith("per chunk")
        assert (before, after, len(rows)) == (2, 3, 3)  # each chunk is read when it comes: the new line is in
    else:
        assert read.chunk_reads is None and read.guarantee.startswith("snapshot")
        assert (before, after, len(rows)) == (2, 2, 2)  # as the orders were when the export began


def test_the_snapshot_is_read_only(db, make_order, dialect):
    if dialect == "sqlite":
        pytest.skip("SQLite has no read-only transactions; the job never writes through its read session")
    order = make_order(items=1)
    with snapshot_read(db.engine) as read, pytest.raises(DBAPIError, match="(?i)read.only"):
        read.session.execute(text("UPDATE order_admin_orders SET buyer_name = 'x' WHERE id = :id"), {"id": order.id})


def test_sqlite_in_wal_mode_reads_one_snapshot(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'wal.sqlite'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA journal_mode=WAL")
    OrderAdminBase.metadata.create_all(engine)
    with Session(engine) as session:
        order = Order(buyer_name="Li Wei")
        order.items = [OrderItem(title="dress", quantity=1, price=Decimal("9.90"), china_delivery=Decimal("0"))]
        session.add(order)
        session.commit()
        order_id = order.id
    with snapshot_read(engine) as read:
        before = count_rows(read.session, panel, [order_id], 100)
        a_late_line(engine, order_id)  # WAL: the writer is not blocked by the open read
        after = count_rows(read.session, panel, [order_id], 100)
    assert read.chunk_reads is None and read.guarantee.startswith("snapshot")
    assert (before, after) == (1, 1)
    engine.dispose()
