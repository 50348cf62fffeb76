"""order_admin: an index on the order's status alone, which the status pills' grouped count reads

Revision ID: oa_0010
Revises: oa_0009
Create Date: 2026-12-07
"""

from alembic import op

revision = "oa_0010"
down_revision = "oa_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_order_admin_orders_status", "order_admin_orders", ["status"])


def downgrade() -> None:
    op.drop_index("ix_order_admin_orders_status", table_name="order_admin_orders")
