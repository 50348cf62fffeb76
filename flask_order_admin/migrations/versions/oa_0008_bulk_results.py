"""order_admin: the results of bulk actions, kept for the page that shows them (POST-redirect-GET)

Revision ID: oa_0008
Revises: oa_0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "oa_0008"
down_revision = "oa_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_admin_bulk_results",
        sa.Column("key", sa.String(length=43), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("back_url", sa.Text(), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_order_admin_bulk_results")),
    )
    with op.batch_alter_table("order_admin_bulk_results") as batch:
        batch.create_index(batch.f("ix_order_admin_bulk_results_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("order_admin_bulk_results")
