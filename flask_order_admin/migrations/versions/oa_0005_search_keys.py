"""order_admin: the search box's keys (buyer name and phone) and its indexes

``buyer_name_key`` (the name NFKC-normalised and case-folded) and ``buyer_phone_key`` (the phone's
digits reversed), compared byte by byte as ``buyer_email_key`` now is too (so a prefix is one index
range whatever the database's collation: MariaDB's utf8mb4_unicode_ci sorts "`" before "_"); the
email key's index becomes ``(buyer_email_key, id)``;
the items get an index of ``(provider_item_id, order_id)``. The keys of the orders already there
are computed here, in chunks, by the same functions the model's validators use (frozen copies: a
revision never follows later changes of the code).

Revision ID: oa_0005
Revises: oa_0004
Create Date: 2026-11-29
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "oa_0005"
down_revision = "oa_0004"
branch_labels = None
depends_on = None

CHUNK = 5_000


def _key_text(length: int) -> sa.types.TypeEngine[str]:
    return (
        sa.String(length)
        .with_variant(sa.String(length, collation="C"), "postgresql")
        .with_variant(mysql.VARCHAR(length, charset="utf8mb4", collation="utf8mb4_bin"), "mysql", "mariadb")
    )


def _normalized(text: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def _name_key(name: str | None) -> str:
    return _normalized(name).casefold()[:200]


def _phone_key(phone: str | None) -> str:
    return re.sub(r"[^0-9]", "", _normalized(phone))[::-1][:32]


def upgrade() -> None:
    with op.batch_alter_table("order_admin_orders") as batch:
        batch.add_column(sa.Column("buyer_name_key", _key_text(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("buyer_phone_key", _key_text(32), nullable=False, server_default=""))
    _fill_keys()
    with op.batch_alter_table("order_admin_orders") as batch:
        batch.alter_column("buyer_name_key", server_default=None, existing_type=_key_text(200), existing_nullable=False)
        batch.alter_column("buyer_phone_key", server_default=None, existing_type=_key_text(32), existing_nullable=False)
        batch.drop_index("ix_order_admin_orders_buyer_email_key")
        batch.alter_column("buyer_email_key", type_=_key_text(254), existing_type=sa.String(254),
                           existing_nullable=False)
        batch.create_index("ix_order_admin_orders_buyer_email_key", ["buyer_email_key", "id"])
        batch.create_index("ix_order_admin_orders_buyer_name_key", ["buyer_name_key", "id"])
        batch.create_index("ix_order_admin_orders_buyer_phone_key", ["buyer_phone_key", "id"])
    with op.batch_alter_table("order_admin_order_items") as batch:
        batch.create_index("ix_order_admin_order_items_provider_item_id", ["provider_item_id", "order_id"])


def _fill_keys() -> None:
    orders = sa.table("order_admin_orders", sa.column("id"), sa.column("buyer_name"), sa.column("buyer_phone"),
                      sa.column("buyer_name_key"), sa.column("buyer_phone_key"))
    update = (
        sa.update(orders).where(orders.c.id == sa.bindparam("order_id"))
        .values(buyer_name_key=sa.bindparam("name_key"), buyer_phone_key=sa.bindparam("phone_key"))
    )
    connection = op.get_bind()
    after = 0
    while rows := connection.execute(
        sa.select(orders.c.id, orders.c.buyer_name, orders.c.buyer_phone)
        .where(orders.c.id > after).order_by(orders.c.id).limit(CHUNK)
    ).all():
        connection.execute(update, [
            {"order_id": row.id, "name_key": _name_key(row.buyer_name), "phone_key": _phone_key(row.buyer_phone)}
            for row in rows
        ])
        after = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("order_admin_order_items") as batch:
        batch.drop_index("ix_order_admin_order_items_provider_item_id")
    with op.batch_alter_table("order_admin_orders") as batch:
        batch.drop_index("ix_order_admin_orders_buyer_phone_key")
        batch.drop_index("ix_order_admin_orders_buyer_name_key")
        batch.drop_index("ix_order_admin_orders_buyer_email_key")
        batch.alter_column("buyer_email_key", type_=sa.String(254), existing_type=_key_text(254),
                           existing_nullable=False)
        batch.create_index("ix_order_admin_orders_buyer_email_key", ["buyer_email_key"])
        batch.drop_column("buyer_phone_key")
        batch.drop_column("buyer_name_key")
