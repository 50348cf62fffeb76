"""The two model sets the database tests run over: the plugin's own tables ("builtin") and the legacy
shop's own tables (``example_app.legacy``, "legacy"), mounted with ``OrderModels``.

A test makes and reads orders by the plugin's field names (``make_order(status, items=…,
buyer_email=…)``, ``order.number``, ``order.items[0].price``) whatever the tables hold them as.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import delete, func, insert, inspect, select, update

from flask_order_admin.store import FieldJoins, OrderStore
from flask_order_admin.domain import OrderStatus
from flask_order_admin.store.records import LineRecord, OrderRecord, line_records, order_records

BUILTIN = "builtin"
LEGACY = "legacy"
MODEL_SETS = (BUILTIN, LEGACY)


class MadeOrder:
    """An order as a test sees it: its record (``number``, ``status``, ``version``…) and its lines (``items``)."""

    def __init__(self, record: OrderRecord, items: list[LineRecord]) -> None:
        self.record = record
        self.items = items

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)

    def __repr__(self) -> str:
        return f"<MadeOrder {self.record.number} {self.record.status_label}>"


class ModelSet:
    name: str

    def new_db(self) -> SQLAlchemy:
        raise NotImplementedError

    def order_models(self) -> Any:
        raise NotImplementedError

    def wipe(self, db: SQLAlchemy, binding: OrderStore) -> None:
        raise NotImplementedError

    def insert_order(self, session: Any, *, status: Any, items: list[dict[str, Any]], provider: str,
                     customer_ref: str | None, buyer_email: str | None, fields: dict[str, Any]) -> int:
        raise NotImplementedError

    def copy_order(self, session: Any, binding: OrderStore, order_id: int, copies: int) -> None:
        """``copies`` more orders like ``order_id`` (without lines), in one executemany: a list past 1,000
        orders in a moment."""
        table = binding.order.__table__
        row = dict(session.execute(select(table).where(binding.order_pk == order_id)).mappings().one())
        del row[binding.order_pk_key]
        session.execute(insert(table), [self.copied(row) for _ in range(copies)])
        session.commit()

    def copied(self, row: dict[str, Any]) -> dict[str, Any]:
        return row


class BuiltinSet(ModelSet):
    name = BUILTIN

    def new_db(self) -> SQLAlchemy:
        return SQLAlchemy()

    def order_models(self) -> Any:
        return None

    def wipe(self, db: SQLAlchemy, binding: OrderStore) -> None:
        """Children first; the self-reference cleared so MariaDB accepts it; and the exports log."""
        from flask_order_admin.models import (
            SEARCH_KEY_TABLES, ExportOrder, ExportRecord, Order, OrderEvent, OrderItem,
        )

        with db.engine.begin() as connection:
            connection.execute(SEARCH_KEY_TABLES.lines.delete())
            connection.execute(SEARCH_KEY_TABLES.orders.delete())
            connection.execute(ExportOrder.__table__.delete())
            connection.execute(ExportRecord.__table__.delete())
            connection.execute(OrderEvent.__table__.delete())
            connection.execute(OrderItem.__table__.delete())
            connection.execute(Order.__table__.update().values(merged_into_id=None))
            connection.execute(Order.__table__.delete())

    def insert_order(self, session: Any, *, status: Any, items: list[dict[str, Any]], provider: str,
                     customer_ref: str | None, buyer_email: str | None, fields: dict[str, Any]) -> int:
        from flask_order_admin.models import Order, OrderItem

        order = Order(status=status, provider=provider, customer_ref=customer_ref, buyer_email=buyer_email, **fields)
        order.items = [OrderItem(**line) for line in items]
        session.add(order)
        session.commit()
        return order.id


# The legacy shop's names for the plugin's line fields (example_app/legacy/order_models.py).
LEGACY_LINE_NAMES = {
    "provider_item_id": "sku", "title": "name", "url": "link", "photo_url": "picture", "color": "colour",
    "size": "size", "color_cn": "colour_zh", "size_cn": "size_zh", "quantity": "qty", "price": "unit_price",
    "discount_price": "sale_price", "china_delivery": "cn_shipping",
}
_numbers = itertools.count(1)


class LegacySet(ModelSet):
    name = LEGACY

    def new_db(self) -> SQLAlchemy:
        from example_app.legacy.models import db

        return db  # the shop's classes are mapped on it

    def order_models(self) -> Any:
        from example_app.legacy.order_models import SHOP_ORDER_MODELS

        return SHOP_ORDER_MODELS

    def wipe(self, db: SQLAlchemy, binding: OrderStore) -> None:
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine

        from flask_order_admin.models import ExportOrder, ExportRecord

        with db.engine.begin() as connection:
            connection.execute(ExportOrder.__table__.delete())
            connection.execute(ExportRecord.__table__.delete())
            for table in binding.tables:
                connection.execute(delete(table))
            connection.execute(delete(ShopOrderLine.__table__))
            connection.execute(delete(ShopOrder.__table__))
            connection.execute(delete(ShopCustomer.__table__))

    def copied(self, row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "number": f"SH-77-{next(_numbers):07d}"}  # the shop's numbers are unique

    def insert_order(self, session: Any, *, status: Any, items: list[dict[str, Any]], provider: str,
                     customer_ref: str | None, buyer_email: str | None, fields: dict[str, Any]) -> int:
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine
        from example_app.legacy.order_models import STATUS_CODES

        state = status if isinstance(status, int) else STATUS_CODES[OrderStatus.parse(status)]
        customer = ShopCustomer(
            code=customer_ref, email=buyer_email, full_name=fields.pop("buyer_name"),
            phone=fields.pop("buyer_phone"), address=fields.pop("buyer_address"),
        )
        order = ShopOrder(
            state=state, channel=provider, customer=customer,
            number=fields.pop("number", None) or f"SH-24-{next(_numbers):05d}",
        )
        if "created_at" in fields:
            order.placed_at = fields.pop("created_at")
        if "id" in fields:
            order.id = fields.pop("id")
        if fields:
            raise TypeError(f"the legacy shop has no order field {sorted(fields)}")
        for line in items:
            values = {LEGACY_LINE_NAMES[name]: value for name, value in line.items()}
            values.setdefault("name", "")
            values.setdefault("unit_price", Decimal("0.00"))
            order.lines.append(ShopOrderLine(**values))
        session.add(order)
        session.commit()
        return order.id


SETS: dict[str, ModelSet] = {BUILTIN: BuiltinSet(), LEGACY: LegacySet()}


class Orders:
    """Reading orders back, by the plugin's field names, on the test app's model set."""

    def __init__(self, session: Any, panel_of: Callable[[], Any], model_set: ModelSet | None = None) -> None:
        self.session = session
        self._panel_of = panel_of  # the app's panel, read each time: tests swap its settings and store
        self.model_set = model_set

    @property
    def settings(self) -> Any:
        return self._panel_of().settings

    @property
    def binding(self) -> OrderStore:
        return self._panel_of().store

    @property
    def is_builtin(self) -> bool:
        return self.binding.is_builtin

    def get(self, order_id: int) -> MadeOrder:
        """The order as it is in the database now (the session's cached objects expired first)."""
        session, binding = self.session, self.binding
        session.expire_all()
        order = session.get(binding.order, order_id, options=binding.order_load_options())
        [record] = order_records(session, binding, [order], self.settings.number_format, with_state=True)
        return MadeOrder(record, line_records(session, binding, order_id, binding.lines_of(session, order_id)))

    def status(self, order_id: int) -> OrderStatus | None:
        return self.get(order_id).status

    def status_of(self, order: Any) -> OrderStatus | None:
        """The plugin status of an order object a service returned (the shop's class, or ``Order``)."""
        return self.binding.status_of(order)

    def id_of(self, order: Any) -> int:
        return self.binding.order_id(order)

    def line(self, item: Any) -> LineRecord:
        """A line object (the one a price resolver gets) by the plugin's field names."""
        return LineRecord(self.binding, item)

    def committed_status(self, db: Any, order_id: int) -> OrderStatus | None:
        """The status as a NEW connection reads it: what is committed, whatever a session holds."""
        binding = self.binding
        column = binding.order_field("status").attribute
        with db.engine.connect() as connection:
            raw = connection.scalar(select(column).where(binding.order_pk == order_id))
        return binding.statuses.from_host(raw)

    def same_prices(self, item: Any, at: Any) -> Any:
        """A price resolver that keeps every line's prices."""
        from flask_order_admin.pricing import Price

        line = self.line(item)
        return Price(line.price, line.discount_price, line.china_delivery)

    def events(self, order_id: int) -> list[Any]:
        events = self.binding.events
        self.session.expire_all()
        return list(self.session.execute(
            select(events).where(events.c.order_id == order_id).order_by(events.c.id)
        ))

    def line_count(self, order_id: int) -> int:
        binding = self.binding
        return self.session.scalar(select(func.count()).select_from(binding.line).where(
            binding.line_order_id == order_id))

    def totals(self) -> tuple[int, int, Decimal, Decimal]:
        """Lines, quantity, goods and China delivery over every order: a merge conserves them."""
        binding, session = self.binding, self.session
        session.expire_all()
        joins = FieldJoins(binding.line)
        quantity, price, discount, delivery = (
            joins.column(binding.line_field(name)) for name in ("quantity", "price", "discount_price", "china_delivery")
        )
        row = session.execute(joins.apply(select(
            func.count(binding.line_pk), func.sum(quantity), func.sum(func.coalesce(discount, price) * quantity),
            func.sum(delivery * quantity),
        ).select_from(binding.line))).one()
        session.rollback()
        cent = Decimal("0.01")
        return int(row[0]), int(row[1] or 0), Decimal(row[2] or 0).quantize(cent), Decimal(row[3] or 0).quantize(cent)

    def snapshot(self, order_id: int) -> dict[str, Any]:
        """Everything a refused action must leave as it was: the order row, the plugin's state of it, its
        lines and its events."""
        session, binding = self.session, self.binding
        session.expire_all()
        order = session.get(binding.order, order_id)
        row = {c.key: getattr(order, c.key) for c in inspect(binding.order).column_attrs}
        state = binding.states_of(session, [order])[order_id]
        lines = [
            {c.key: getattr(line, c.key) for c in inspect(binding.line).column_attrs}
            for line in binding.lines_of(session, order_id)
        ]
        events = len(self.events(order_id))
        session.rollback()
        return {"order": row, "state": state, "items": lines, "events": events}

    def insert_lines(self, rows: list[dict[str, Any]]) -> None:
        """Insert lines given by the plugin's field names (``order_id``, ``title``…) in one executemany."""
        binding = self.binding
        self.session.execute(insert(binding.line), [
            {binding.line_field(name).key: value for name, value in row.items()} for row in rows
        ])
        self.session.commit()

    def set_status(self, order_id: int, status: Any) -> None:
        """Change the stored status as the shop's own code would (a plugin status, or a raw stored value)."""
        binding = self.binding
        value = status if not isinstance(status, (str, OrderStatus)) else binding.statuses.to_host(status)
        self.session.execute(update(binding.order).where(binding.order_pk == order_id).values(
            {binding.order_field("status").attribute: value}))
        self.session.commit()


def current_orders(session: Any) -> Orders:
    """``Orders`` of the current app (in its app context), for helpers that get only the session."""
    from flask import current_app

    app = current_app._get_current_object()
    return Orders(session, lambda: app.extensions["order_admin"])


def line_of(item: Any) -> LineRecord:
    """A line object (as a price resolver gets it) by the plugin's field names, in the current app."""
    from flask import current_app

    return LineRecord(current_app.extensions["order_admin"].store, item)
