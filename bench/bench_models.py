"""The two model sets the benchmarks run on: the plugin's own tables, and the legacy shop's own tables mounted
with ``OrderModels`` (``example_app/legacy``). Each knows its tables, how to seed them set-based, and the
panel the services get (its settings and store).

Seeded orders: number ``n`` (from 1) has ``items_of(n)`` lines (1–8, 4.5 on average) and one of five
statuses; the legacy shop's numbers are ``SH-24-0000042`` (seven digits, so the last six pick one order
in a million, as the plugin's ten-digit ones do), its buyers on 5,000 customers.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Engine, MetaData, insert, update
from sqlalchemy.orm import Session

from flask_order_admin.domain.search_keys import name_key, phone_key
from flask_order_admin.pricing import Price
from flask_order_admin.services.number_index import index_numbers
from flask_order_admin.store import resolve_store
from flask_order_admin.panel import OrderPanel
from flask_order_admin.settings import DEFAULT_SETTINGS, Settings

MAX_ITEMS = 8
CHUNK = 20_000
BASE_TIME = datetime(2026, 1, 1)
CUSTOMERS = 5_000
STATUSES = ["awaiting_payment", "processing", "shipped", "completed", "canceled"]
SEEDED_PHONE = "+86 138 0000 0000"  # every seeded order's: the phone index holds one key a million times
NEEDLES = 20  # orders the search box benchmark looks for, the same few on every database size


def needle(k: int) -> dict[str, str]:
    """The buyer and item of needle ``k``, and what a manager types to find it by each field."""
    return {"name": f"Needle Buyer Sokolov{k:03d}", "email": f"needle{k:03d}@shop.example",
            "phone": f"+86 139 5555 {k:04d}", "item": f"needle-item-{k:03d}",
            "url": f"https://item.taobao.com/item.htm?id={910000000000 + k}"}


def needle_searches(k: int, *, phone_keys: bool) -> dict[str, str]:
    """What is typed: the name lower-cased, the email upper-cased, the phone by its last digits (as written,
    where the tables have no phone key: the legacy shop's), the item id."""
    found = needle(k)
    return {"name": found["name"].lower(), "email": found["email"].upper(),
            "phone": f"139 5555 {k:04d}" if phone_keys else found["phone"], "item": found["item"],
            # A surname alone, a phone's last 4 digits (an order number first: at a million orders the
            # numbers ending so fill the limit), a marketplace URL (docs/design.md, "Search keys").
            "surname": f"Sokolov{k:03d}", "phone4": f"{k:04d}",
            "url": f"https://detail.tmall.com/item.htm?spm=a1&id={910000000000 + k}"}


# Restore's resolver: constant time, and a price that differs from the stored one so every line is updated.
NEW_PRICE = Price(Decimal("99.00"), None, Decimal("5.00"))


def items_of(n: int) -> int:
    """How many items seeded order number ``n`` (from 1) holds: 1–8, spread evenly."""
    return 1 + n * 7919 % MAX_ITEMS


class BenchModels:
    name: str
    label: str  # what a result row says about the tables
    _panel: OrderPanel | None = None

    @property
    def settings(self) -> Settings:
        raise NotImplementedError

    def store(self) -> Any:
        raise NotImplementedError

    @property
    def panel(self) -> OrderPanel:
        """What a benchmark passes the services (``panel=``): it runs outside any Flask app."""
        if self._panel is None:
            self._panel = OrderPanel(settings=self.settings, store=self.store())
        return self._panel

    @property
    def binding(self) -> Any:
        return self.panel.store

    def big(self, quick: bool) -> int | None:
        """The big database's orders for the page benchmarks, None: the modules' sizes."""
        return None

    def flask_db(self) -> Any:
        """The shop's Flask-SQLAlchemy object a host app initialises, None: the plugin's tables (a new one)."""
        return None

    def order_models(self) -> Any:
        """The ``OrderModels`` the host mounts the panel with, None: the plugin's tables."""
        return None

    def metadata(self) -> MetaData:
        raise NotImplementedError

    def number(self, n: int) -> str:
        """The full number of seeded order ``n``."""
        raise NotImplementedError

    def last_digits(self, n: int, width: int) -> str:
        return self.number(n)[-width:]

    def seed(self, engine: Engine, count: int) -> None:
        raise NotImplementedError

    def make_order(self, engine: Engine, items: int, status: str, customer: str) -> int:
        raise NotImplementedError

    def make_needles(self, engine: Engine) -> None:
        """The ``NEEDLES`` orders the search box benchmark finds (after the seeded ones, any database size)."""
        raise NotImplementedError

    def bare_move(self, session: Session, from_id: int, to_id: int) -> None:
        """What no merge can do without: one UPDATE moving the lines to the other order."""
        binding = self.binding
        session.execute(update(binding.line).where(binding.line_order_id == from_id)
                        .values({binding.line_order_id: to_id}))


class BuiltinBench(BenchModels):
    name = "builtin"
    label = "plugin's tables"

    @property
    def settings(self) -> Settings:
        return dataclasses.replace(DEFAULT_SETTINGS, price_resolver=lambda item, at: NEW_PRICE)

    def store(self) -> Any:
        from flask_order_admin.store import builtin_store

        return builtin_store()

    def metadata(self) -> MetaData:
        from flask_order_admin.models import OrderAdminBase

        return OrderAdminBase.metadata

    def number(self, n: int) -> str:
        return DEFAULT_SETTINGS.number_format.format(n)

    @staticmethod
    def order_row(n: int, status: str = "awaiting_payment", customer: str | None = None) -> dict[str, Any]:
        at = BASE_TIME + timedelta(minutes=n)
        email = f"buyer{n % CUSTOMERS}@example.com"
        return {
            "provider": "taobao", "status": status, "customer_ref": customer or f"cust-{n % CUSTOMERS}",
            "buyer_name": f"Buyer {n % CUSTOMERS}", "buyer_email": email, "buyer_email_key": email,
            "buyer_name_key": f"buyer {n % CUSTOMERS}", "buyer_phone": SEEDED_PHONE,
            "buyer_phone_key": phone_key(SEEDED_PHONE), "buyer_address": "Shanghai", "created_at": at, "updated_at": at,
            "status_changed_at": at, "currency": "CNY", "version": 1,
        }

    @staticmethod
    def item_row(order_id: int, n: int) -> dict[str, Any]:
        return {"order_id": order_id, "origin_order_id": order_id, "provider_item_id": f"tb-{n}",
                "title": f"Item {n} 连衣裙", "url": f"https://item.taobao.com/item.htm?id={n}", "quantity": 1 + n % 3,
                "price": Decimal("100.00"), "discount_price": None, "china_delivery": Decimal("7.30")}

    def seed(self, engine: Engine, count: int) -> None:
        """Set-based, in one transaction; the tables are new, so the orders get the ids 1..count.

        PostgreSQL generates the rows itself (INSERT … SELECT over generate_series: 1M orders and their
        4.5M items in about a minute); elsewhere one executemany per chunk of orders and of their items.
        """
        from flask_order_admin.models import Order, OrderItem

        if engine.dialect.name == "postgresql":
            self._seed_on_postgresql(engine, count)
            return
        with engine.begin() as connection:
            for start in range(0, count, CHUNK):
                numbers = range(start, min(start + CHUNK, count))
                connection.execute(insert(Order.__table__), [
                    self.order_row(n, STATUSES[n % len(STATUSES)]) for n in numbers])
                connection.execute(insert(OrderItem.__table__), [
                    self.item_row(n + 1, k) for n in numbers for k in range(items_of(n + 1))])

    def _seed_on_postgresql(self, engine: Engine, count: int) -> None:
        """The same rows as the executemany path (``order_row`` of n - 1 for id n, ``items_of(n)`` items,
        each with the origin the model's default gives it)."""
        orders = f"""
            INSERT INTO order_admin_orders (provider, status, customer_ref, buyer_name, buyer_email, buyer_email_key,
                buyer_name_key, buyer_phone, buyer_phone_key, buyer_address, created_at, updated_at, status_changed_at,
                currency, version)
            SELECT 'taobao', (ARRAY['awaiting_payment','processing','shipped','completed','canceled'])[mod(n - 1, 5) + 1],
                'cust-' || mod(n - 1, {CUSTOMERS}), 'Buyer ' || mod(n - 1, {CUSTOMERS}), e, e,
                'buyer ' || mod(n - 1, {CUSTOMERS}), '{SEEDED_PHONE}', '{phone_key(SEEDED_PHONE)}', 'Shanghai', t, t, t, 'CNY', 1
            FROM generate_series(1, {int(count)}) AS n,
                LATERAL (SELECT 'buyer' || mod(n - 1, {CUSTOMERS}) || '@example.com' AS e,
                                TIMESTAMP '{BASE_TIME.isoformat(sep=' ')}' + (n - 1) * INTERVAL '1 minute' AS t) AS v
            ORDER BY n"""
        items = f"""
            INSERT INTO order_admin_order_items (order_id, origin_order_id, provider_item_id, title, url, quantity,
                price, discount_price, china_delivery)
            SELECT n, n, 'tb-' || k, 'Item ' || k || ' 连衣裙', 'https://item.taobao.com/item.htm?id=' || k,
                1 + mod(k, 3), 100.00, NULL, 7.30
            FROM generate_series(1, {int(count)}) AS n,
                LATERAL generate_series(0, mod(n::bigint * 7919, {MAX_ITEMS})) AS k
            ORDER BY n, k"""
        with engine.begin() as connection:
            connection.exec_driver_sql(orders)
            connection.exec_driver_sql(items)
        with engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE order_admin_orders")
            connection.exec_driver_sql("ANALYZE order_admin_order_items")

    def make_needles(self, engine: Engine) -> None:
        from flask_order_admin.models import Order, OrderItem

        with engine.begin() as connection:
            for k in range(NEEDLES):
                found = needle(k)
                row = {**self.order_row(0, "processing", f"needle-{k}"), "buyer_name": found["name"],
                       "buyer_name_key": name_key(found["name"]), "buyer_email": found["email"],
                       "buyer_email_key": found["email"].lower(), "buyer_phone": found["phone"],
                       "buyer_phone_key": phone_key(found["phone"])}
                order_id = connection.execute(insert(Order.__table__), row).inserted_primary_key[0]
                connection.execute(insert(OrderItem.__table__),
                                   {**self.item_row(order_id, 0), "provider_item_id": found["item"], "url": found["url"]})

    def make_order(self, engine: Engine, items: int, status: str, customer: str) -> int:
        from flask_order_admin.models import Order, OrderItem

        with engine.begin() as connection:
            order_id = connection.execute(insert(Order.__table__), self.order_row(0, status, customer)).inserted_primary_key[0]
            connection.execute(insert(OrderItem.__table__), [self.item_row(order_id, n) for n in range(items)])
        return order_id


class LegacyBench(BenchModels):
    name = "legacy"
    label = "legacy shop's tables"
    _store: Any = None

    def __init__(self) -> None:
        self._made = itertools.count(1)
        self._codes: dict[str, str] = {}  # a benchmark's customer name → a code that fits the shop's column

    @property
    def settings(self) -> Settings:
        return dataclasses.replace(DEFAULT_SETTINGS, price_resolver=lambda item, at: NEW_PRICE)

    def store(self) -> Any:
        if self._store is None:
            from example_app.legacy.order_models import SHOP_ORDER_MODELS

            self._store = resolve_store(SHOP_ORDER_MODELS)
        return self._store

    def flask_db(self) -> Any:
        from example_app.legacy.models import db

        return db

    def order_models(self) -> Any:
        from example_app.legacy.order_models import SHOP_ORDER_MODELS

        return SHOP_ORDER_MODELS

    def metadata(self) -> MetaData:
        from example_app.legacy.models import db

        self.store()  # the panel's tables join the shop's metadata when the models are resolved
        return db.metadata

    def number(self, n: int) -> str:
        return f"SH-24-{n:07d}"

    @staticmethod
    def state(status: str) -> int:
        from example_app.legacy.order_models import STATUS_CODES

        return STATUS_CODES[status]

    def order_row(self, n: int, status: str, customer_id: int) -> dict[str, Any]:
        at = BASE_TIME + timedelta(minutes=n)
        return {"number": self.number(n), "customer_id": customer_id, "state": self.state(status), "channel": "taobao",
                "placed_at": at, "changed_at": at}

    @staticmethod
    def line_row(order_id: int, n: int) -> dict[str, Any]:
        return {"order_id": order_id, "sku": f"tb-{n}", "name": f"Item {n} 连衣裙",
                "link": f"https://item.taobao.com/item.htm?id={n}", "qty": 1 + n % 3,
                "unit_price": Decimal("100.00"), "sale_price": None, "cn_shipping": Decimal("7.30")}

    def seed(self, engine: Engine, count: int) -> None:
        """The shop's rows (customers, orders, lines: ids 1..count), then the panel's index of their numbers,
        as ``flask order-admin index-numbers`` makes it after mounting the panel on a big shop."""
        customers, orders, lines = self.shop_classes()
        with engine.begin() as connection:
            connection.execute(insert(customers.__table__), [self.customer_row(c) for c in range(CUSTOMERS)])
            for start in range(0, count, CHUNK):
                numbers = range(start + 1, min(start + CHUNK, count) + 1)
                connection.execute(insert(orders.__table__), [
                    self.order_row(n, STATUSES[(n - 1) % len(STATUSES)], (n - 1) % CUSTOMERS + 1) for n in numbers])
                connection.execute(insert(lines.__table__), [
                    self.line_row(n, k) for n in numbers for k in range(self.items_of(n))])
        if engine.dialect.name == "postgresql":
            with engine.begin() as connection:
                for cls in (customers, orders, lines):
                    connection.exec_driver_sql(f"ANALYZE {cls.__tablename__}")
        with Session(engine) as session:
            index_numbers(session, self.panel)

    @staticmethod
    def shop_classes() -> tuple[Any, Any, Any]:
        """The shop's customer, order and line classes."""
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine

        return ShopCustomer, ShopOrder, ShopOrderLine

    @staticmethod
    def customer_row(c: int) -> dict[str, Any]:
        return {"code": f"C-{c}", "full_name": f"Buyer {c}", "email": f"buyer{c}@example.com", "phone": SEEDED_PHONE,
                "address": "Shanghai"}

    @staticmethod
    def items_of(n: int) -> int:
        return items_of(n)

    def make_order(self, engine: Engine, items: int, status: str, customer: str) -> int:
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine

        code = self._code(customer)
        with engine.begin() as connection:
            customer_id = connection.execute(insert(ShopCustomer.__table__), {
                "code": code, "full_name": "Bench Buyer", "email": f"{code}@example.com"}).inserted_primary_key[0]
            row = {**self.order_row(0, status, customer_id), "number": f"SH-99-{next(self._made):07d}"}
            order_id = connection.execute(insert(ShopOrder.__table__), row).inserted_primary_key[0]
            connection.execute(insert(ShopOrderLine.__table__), [self.line_row(order_id, n) for n in range(items)])
        return order_id

    def _code(self, customer: str) -> str:
        return self._codes.setdefault(customer, f"B-{len(self._codes)}")

    def make_needles(self, engine: Engine) -> None:
        from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine

        with engine.begin() as connection:
            for k in range(NEEDLES):
                found = needle(k)
                customer_id = connection.execute(insert(ShopCustomer.__table__), {
                    "code": self._code(f"needle-{k}"), "full_name": found["name"], "email": found["email"],
                    "phone": found["phone"]}).inserted_primary_key[0]
                row = {**self.order_row(0, "processing", customer_id), "number": f"SH-98-{k:07d}"}
                order_id = connection.execute(insert(ShopOrder.__table__), row).inserted_primary_key[0]
                connection.execute(insert(ShopOrderLine.__table__),
                                   {**self.line_row(order_id, 0), "sku": found["item"], "link": found["url"]})


MODEL_SETS: tuple[BenchModels, ...] = (BuiltinBench(), LegacyBench())


# -- the trial shop (bench/trial_shop.py) -------------------------------------------------------------------

TRIAL_MAX_ITEMS = 5  # 1–5 lines an order, 3 on average: 100,000 orders hold about 300,000 lines


def trial_items_of(n: int) -> int:
    """How many lines trial order ``n`` (from 1) holds: 1–5, spread evenly."""
    return 1 + n * 7919 % TRIAL_MAX_ITEMS


def _trial_tables() -> Any:
    """The trial shop's module, imported on first use (its tables join no metadata before)."""
    import trial_shop

    return trial_shop


class TrialShopBench(LegacyBench):
    """The trial shop (above): seeded as the legacy shop is, its own sizes (``big``)."""

    name = "trial"
    label = "trial shop's tables"

    def big(self, quick: bool) -> int:
        return 20_000 if quick else 100_000

    def flask_db(self) -> Any:
        return _trial_tables().db

    def order_models(self) -> Any:
        return _trial_tables().TRIAL_ORDER_MODELS

    def store(self) -> Any:
        if self._store is None:
            self._store = resolve_store(self.order_models())
        return self._store

    def metadata(self) -> MetaData:
        self.store()
        return cast("MetaData", self.flask_db().metadata)

    def number(self, n: int) -> str:
        return f"2026-{n:06d}"

    def order_row(self, n: int, status: str, customer_id: int) -> dict[str, Any]:
        at = BASE_TIME + timedelta(minutes=n)
        return {"number": self.number(n), "user_id": customer_id, "state": _trial_tables().TRIAL_STATES[status], "placed_at": at,
                "changed_at": at}

    @staticmethod
    def line_row(order_id: int, n: int) -> dict[str, Any]:
        return {"order_id": order_id, "sku": f"tb-{n}", "title": f"Item {n} 连衣裙",
                "link": f"https://item.taobao.com/item.htm?id={n}", "qty": 1 + n % 3, "price": Decimal("100.00"),
                "delivery": Decimal("7.30"), "attributes": {"color": "Black 黑色", "size": "M"}}

    @staticmethod
    def shop_classes() -> tuple[Any, Any, Any]:
        shop = _trial_tables()
        return shop.TrialUser, shop.TrialOrder, shop.TrialLine

    @staticmethod
    def customer_row(c: int) -> dict[str, Any]:
        return {"name": f"Buyer {c}", "email": f"buyer{c}@example.com", "phone": SEEDED_PHONE}

    @staticmethod
    def items_of(n: int) -> int:
        return trial_items_of(n)

    def make_order(self, engine: Engine, items: int, status: str, customer: str) -> int:
        shop = _trial_tables()
        user, order, line = shop.TrialUser, shop.TrialOrder, shop.TrialLine
        with engine.begin() as connection:
            user_id = connection.execute(insert(user.__table__), {
                "name": "Bench Buyer", "email": f"{self._code(customer)}@example.com"}).inserted_primary_key[0]
            row = {**self.order_row(0, status, user_id), "number": f"2099-{next(self._made):06d}"}
            order_id = connection.execute(insert(order.__table__), row).inserted_primary_key[0]
            connection.execute(insert(line.__table__), [self.line_row(order_id, n) for n in range(items)])
        return order_id

    def make_needles(self, engine: Engine) -> None:
        raise NotImplementedError("the trial shop is a page benchmark's model set only")


# The page benchmarks also run on the trial shop (bench_pages.py); the services' and bulk ones on the two above.
PAGE_MODEL_SETS: tuple[BenchModels, ...] = (*MODEL_SETS, TrialShopBench())
