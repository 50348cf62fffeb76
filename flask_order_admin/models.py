"""The plugin's own tables: orders, their items, their history, and the exports log.

They sit on their own ``MetaData`` so that importing them needs no Flask app;
``OrderAdmin.init_app`` adds them to the host's ``db.metadata`` so the host's
usual ``db.create_all()`` creates them too.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, DateTime, ForeignKey, Index, Integer, MetaData, Numeric, String, Text,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from .domain import OrderStatus, line_totals
from .domain.merge import normalize_email
from .domain.totals import LineTotals
from .settings import current_settings


def utcnow() -> datetime:
    """Naive UTC: MariaDB and SQLite keep no time zone, so every database stores the same thing."""
    return datetime.now(UTC).replace(tzinfo=None)


class StatusType(TypeDecorator[OrderStatus]):
    """Stores the status code; loads an ``OrderStatus`` (a str, so it equals the code too)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else OrderStatus.parse(value).value

    def process_result_value(self, value: Any, dialect: Any) -> OrderStatus | None:
        return None if value is None else OrderStatus(value)


# Ids: BIGINT where it matters; SQLite only autoincrements an INTEGER PRIMARY KEY.
IdType = BigInteger().with_variant(Integer(), "sqlite")
Money = Numeric(12, 2, asdecimal=True)
# A title or URL from the marketplace may be long: MariaDB's TEXT stops at 64 KiB.
LongText = Text().with_variant(mysql.MEDIUMTEXT(), "mysql", "mariadb")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class OrderAdminBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Order(OrderAdminBase):
    __tablename__ = "order_admin_orders"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(32), default="taobao")
    status: Mapped[OrderStatus] = mapped_column(StatusType(), default=OrderStatus.AWAITING_PAYMENT)
    customer_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    buyer_name: Mapped[str] = mapped_column(String(200), default="")
    buyer_email: Mapped[str | None] = mapped_column(String(254))
    # Lower-cased email, kept by the validator below, so "same customer" is an index lookup.
    buyer_email_key: Mapped[str] = mapped_column(String(254), default="", index=True)
    buyer_phone: Mapped[str | None] = mapped_column(String(64))
    buyer_address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    merged_into_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("order_admin_orders.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order", order_by="OrderItem.id", foreign_keys="OrderItem.order_id",
        cascade="all, delete-orphan",
    )
    events: Mapped[list[OrderEvent]] = relationship(
        back_populates="order", order_by="(OrderEvent.at, OrderEvent.id)", cascade="all, delete-orphan"
    )
    merged_into: Mapped[Order | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_order_admin_orders_status_created", "status", "created_at"),
        Index("ix_order_admin_orders_provider_status", "provider", "status"),
    )

    @validates("status")
    def _coerce_status(self, key: str, value: Any) -> OrderStatus:
        return OrderStatus.parse(value)

    @validates("buyer_email")
    def _keep_email_key(self, key: str, value: str | None) -> str | None:
        self.buyer_email_key = normalize_email(value)
        return value

    @property
    def number(self) -> str | None:
        return None if self.id is None else current_settings().number_format.format(self.id)

    @property
    def status_label(self) -> str:
        return OrderStatus.parse(self.status).label

    @property
    def provider_label(self) -> str:
        return current_settings().provider_label(self.provider)

    def __repr__(self) -> str:
        return f"<Order {self.number or 'new'} {self.status}>"


def _placed_in_order(context: Any) -> int | None:
    """Default of ``origin_order_id``: the order the new line is inserted into."""
    return context.get_current_parameters().get("order_id")


class OrderItem(OrderAdminBase):
    __tablename__ = "order_admin_order_items"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("order_admin_orders.id"), index=True)
    # The order the line was first placed in, kept through merges. Set on insert, so that a merge
    # changes only order_id (an unchanged key costs PostgreSQL no foreign-key check); a line a host
    # inserted without it gets it from its first merge.
    origin_order_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("order_admin_orders.id"), default=_placed_in_order
    )
    provider_item_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(LongText, default="")
    url: Mapped[str | None] = mapped_column(LongText)
    photo_url: Mapped[str | None] = mapped_column(LongText)
    color: Mapped[str | None] = mapped_column(String(200))
    size: Mapped[str | None] = mapped_column(String(200))
    color_cn: Mapped[str | None] = mapped_column(String(200))
    size_cn: Mapped[str | None] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    price: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    discount_price: Mapped[Decimal | None] = mapped_column(Money)
    china_delivery: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))

    order: Mapped[Order] = relationship(back_populates="items", foreign_keys=[order_id])

    @property
    def totals(self) -> LineTotals:
        return line_totals(self.quantity or 0, self.price, self.discount_price, self.china_delivery)

    def __repr__(self) -> str:
        return f"<OrderItem {self.id} of order {self.order_id}>"


class OrderEvent(OrderAdminBase):
    __tablename__ = "order_admin_order_events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("order_admin_orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str | None] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    order: Mapped[Order] = relationship(back_populates="events")

    def __repr__(self) -> str:
        return f"<OrderEvent {self.action} on order {self.order_id}>"


class ExportState:
    """The states of an export; QUEUED and RUNNING are "active" (they count against the limits)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELED = "canceled"
    EXPIRED = "expired"  # done, and its file was deleted after ORDER_ADMIN_EXPORT_KEEP_HOURS

    ACTIVE = (QUEUED, RUNNING)


class ExportRecord(OrderAdminBase):
    """One export: who, when, what, in which format, and how it went (the audit log and the job's state).

    An instant export is recorded done, with no file kept; a job has its progress, heartbeat and file here.
    """

    __tablename__ = "order_admin_exports"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(String(200), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    fmt: Mapped[str] = mapped_column(String(8), default="xls")
    # "order" (one order's page), "selected" (ticked rows) or "matching" (the list's filters).
    source: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(String(500), default="")
    # The orders exported, in id order; deferred: lists and progress polls never load it.
    order_ids: Mapped[list[int]] = deferred(mapped_column(JSON, default=list))
    order_count: Mapped[int] = mapped_column(Integer, default=0)
    # For "matching": the list's query arguments (filters, search), as the manager's URL had them.
    query_args: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    runner: Mapped[str] = mapped_column(String(16))  # "inline" (instant), "thread" or "rq"
    state: Mapped[str] = mapped_column(String(16), default=ExportState.QUEUED, index=True)
    rows_total: Mapped[int | None] = mapped_column(Integer)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    file_name: Mapped[str | None] = mapped_column(String(100))  # in the storage folder; never user text
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(200))  # host:pid that ran the job
    runner_job_id: Mapped[str | None] = mapped_column(String(64))  # the RQ job's id
    retry_of_id: Mapped[int | None] = mapped_column(IdType)  # the export this one runs again

    @property
    def active(self) -> bool:
        return self.state in ExportState.ACTIVE

    def __repr__(self) -> str:
        return f"<ExportRecord {self.id} {self.state}>"
