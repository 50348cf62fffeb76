"""order_admin: an export job remembers the language of the manager who started it

Revision ID: oa_0004
Revises: oa_0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "oa_0004"
down_revision = "oa_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=35), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("order_admin_exports") as batch:
        batch.drop_column("locale")
