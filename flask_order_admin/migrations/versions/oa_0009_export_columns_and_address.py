"""order_admin: an export job remembers its column set (preset) and the shop's address it was started from

Revision ID: oa_0009
Revises: oa_0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "oa_0009"
down_revision = "oa_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.add_column(sa.Column("preset", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("base_url", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.drop_column("base_url")
        batch.drop_column("preset")
