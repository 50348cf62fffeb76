"""order_admin: an export's orders as rows of ``order_admin_export_orders``, not one JSON value

Each export's orders were a JSON list in ``order_admin_exports.order_ids`` (200,000 ids in one
value for a big export). They become rows ``(export_id, order_id)`` of a table of their own, which
the start of an export fills with one ``INSERT … SELECT`` and its job reads a chunk at a time. The
ids of the exports already there are moved into it, one export at a time, and the column is
dropped; the downgrade writes them back.

Revision ID: oa_0007
Revises: oa_0006
Create Date: 2026-12-07
"""

import json
from typing import cast

import sqlalchemy as sa
from alembic import op

revision = "oa_0007"
down_revision = "oa_0006"
branch_labels = None
depends_on = None

# Frozen here as this revision declares them: a revision never follows later changes of the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ROWS_PER_INSERT = 5_000

exports = sa.table("order_admin_exports", sa.column("id"), sa.column("order_ids", sa.JSON()))
export_orders = sa.table("order_admin_export_orders", sa.column("export_id"), sa.column("order_id"))


def upgrade() -> None:
    op.create_table(
        "order_admin_export_orders",
        sa.Column("export_id", ID, autoincrement=False, nullable=False),
        sa.Column("order_id", ID, autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("export_id", "order_id", name=op.f("pk_order_admin_export_orders")),
    )
    connection = op.get_bind()
    for export_id in connection.scalars(sa.select(exports.c.id).order_by(exports.c.id)).all():
        stored = connection.scalar(sa.select(exports.c.order_ids).where(exports.c.id == export_id))
        ids = sorted({int(order_id) for order_id in _ids(stored)})
        for start in range(0, len(ids), ROWS_PER_INSERT):
            connection.execute(export_orders.insert(), [
                {"export_id": export_id, "order_id": order_id} for order_id in ids[start:start + ROWS_PER_INSERT]
            ])
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.drop_column("order_ids")


def _ids(stored: str | list[int | str] | None) -> list[int | str]:
    """The JSON list as read: MariaDB's JSON is LONGTEXT, which a plain column reads as text."""
    return cast("list[int | str]", json.loads(stored)) if isinstance(stored, str) else list(stored or [])


def downgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.add_column(sa.Column("order_ids", sa.JSON(), nullable=True))
    connection = op.get_bind()
    for export_id in connection.scalars(sa.select(exports.c.id).order_by(exports.c.id)).all():
        ids = connection.scalars(
            sa.select(export_orders.c.order_id).where(export_orders.c.export_id == export_id)
            .order_by(export_orders.c.order_id)
        ).all()
        connection.execute(sa.update(exports).where(exports.c.id == export_id).values(order_ids=list(ids)))
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.alter_column("order_ids", existing_type=sa.JSON(), nullable=False)
    op.drop_table("order_admin_export_orders")
