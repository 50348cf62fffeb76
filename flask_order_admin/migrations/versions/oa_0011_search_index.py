"""order_admin: the search's own index, ``order_admin_search_keys`` (a buyer's name words, phone, email, by
order) and ``order_admin_item_keys`` (a line's item ids and URL, by line), read from the rows whatever wrote
them (docs/design.md, "Search keys").

The tables start empty: the search indexes the orders newer than the newest indexed one before each search,
so the first search after the upgrade fills them; run ``flask order-admin index-search`` once after it on a
big shop. The orders' old key columns (``buyer_name_key``, ``buyer_phone_key``) stay, no longer searched.

Revision ID: oa_0011
Revises: oa_0010
Create Date: 2026-12-08
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "oa_0011"
down_revision = "oa_0010"
branch_labels = None
depends_on = None


def _key_text(length: int) -> Any:
    return (
        sa.String(length)
        .with_variant(sa.String(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
    )


def _id_type() -> Any:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "order_admin_search_keys",
        sa.Column("kind", sa.SmallInteger(), nullable=False, autoincrement=False),
        sa.Column("key", _key_text(200), nullable=False),
        sa.Column("order_id", _id_type(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order_admin_orders.id"], ondelete="CASCADE",
                                name="fk_order_admin_search_keys_order_id"),
        sa.PrimaryKeyConstraint("kind", "key", "order_id", name="pk_order_admin_search_keys"),
        sa.UniqueConstraint("order_id", "kind", "key", name="uq_order_admin_search_keys_order_id"),
    )
    op.create_table(
        "order_admin_item_keys",
        sa.Column("key", _key_text(200), nullable=False),
        sa.Column("line_id", _id_type(), nullable=False),
        sa.ForeignKeyConstraint(["line_id"], ["order_admin_order_items.id"], ondelete="CASCADE",
                                name="fk_order_admin_item_keys_line_id"),
        sa.PrimaryKeyConstraint("key", "line_id", name="pk_order_admin_item_keys"),
        sa.UniqueConstraint("line_id", "key", name="uq_order_admin_item_keys_line_id"),
    )


def downgrade() -> None:
    op.drop_table("order_admin_item_keys")
    op.drop_table("order_admin_search_keys")
