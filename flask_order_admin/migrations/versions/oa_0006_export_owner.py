"""order_admin: exports are owned by a stable user identity, and job starts take turns at a lock row

``order_admin_exports.actor_id`` (``ORDER_ADMIN_ACTOR_ID`` of who started the export) owns the export:
listing, download, Cancel, Run again and the per-user limit go by it instead of the display name.
Exports made before this revision keep their rows with ``actor_id`` NULL: they stay in the log, and
only a user with the "all_exports" right sees them (a name is no proof of who made them).

``order_admin_export_limits`` holds the row every start of an export job locks while it counts the
active jobs and adds its own; this revision writes the row.

Revision ID: oa_0006
Revises: oa_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "oa_0006"
down_revision = "oa_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.add_column(sa.Column("actor_id", sa.String(length=200), nullable=True))
        batch.create_index("ix_order_admin_exports_actor_id", ["actor_id"])
    limits = op.create_table(
        "order_admin_export_limits",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("locked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("scope", name="pk_order_admin_export_limits"),
    )
    op.bulk_insert(limits, [{"scope": "shop", "locked_at": None}])


def downgrade() -> None:
    op.drop_table("order_admin_export_limits")
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.drop_index("ix_order_admin_exports_actor_id")
        batch.drop_column("actor_id")
