"""order_admin: the exports table (every export from the panel; background export jobs)

Revision ID: oa_0003
Revises: oa_0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "oa_0003"
down_revision = "oa_0002"
branch_labels = None
depends_on = None

# Frozen here as this revision declares them: a revision never follows later changes of the models.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "order_admin_exports",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("fmt", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("order_ids", sa.JSON(), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("query_args", sa.JSON(), nullable=True),
        sa.Column("runner", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=True),
        sa.Column("file_name", sa.String(length=100), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("runner_job_id", sa.String(length=64), nullable=True),
        sa.Column("retry_of_id", ID, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_admin_exports")),
    )
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.create_index(batch.f("ix_order_admin_exports_actor"), ["actor"], unique=False)
        batch.create_index(batch.f("ix_order_admin_exports_state"), ["state"], unique=False)


def downgrade() -> None:
    op.drop_table("order_admin_exports")
