"""Scaling of the order services: each figure is a ratio of two medians, so the machine's speed cancels out.

Runs on temporary SQLite files, or on the database in ``ORDER_ADMIN_BENCH_DATABASE_URL``
(PostgreSQL, MariaDB) and its sibling ``<name>_small``, whose order tables it drops and re-creates.
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, make_url, update
from sqlalchemy.orm import Session

from flask_order_admin import services
from flask_order_admin.models import Order, OrderAdminBase, OrderItem
from flask_order_admin.pricing import Price
from flask_order_admin.settings import DEFAULT_SETTINGS

SMALL = 1_000
BIG_FULL = 1_000_000
# Each order gets 1–8 items (4.5 on average); the quick tier keeps to 100k orders to stay within CI's minutes.
BIG_QUICK = 100_000
MAX_ITEMS = 8
CHUNK = 20_000
DATA_DIR = Path(__file__).parent / ".data"
NUMBER = DEFAULT_SETTINGS.number_format.format
BASE_TIME = datetime(2026, 1, 1)
# Restore's resolver: constant time, and a price that differs from the stored one so every line is updated.
NEW_PRICE = Price(Decimal("99.00"), None, Decimal("5.00"))
SETTINGS = dataclasses.replace(DEFAULT_SETTINGS, price_resolver=lambda item, at: NEW_PRICE)


@dataclasses.dataclass(frozen=True)
class Timing:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, samples: list[float]) -> Timing:
        return cls(statistics.median(samples), min(samples), max(samples))


@dataclasses.dataclass(frozen=True)
class Case:
    """One timed operation: ``op`` timed, ``setup`` before and ``after`` after each call untimed."""

    op: Callable[[], Any]
    batch: int = 1
    setup: Callable[[], Any] | None = None
    after: Callable[[], Any] | None = None

    def sample(self) -> float:
        """Mean ms of ``batch`` calls."""
        total = 0.0
        for _ in range(self.batch):
            if self.setup:
                self.setup()
            start = time.perf_counter()
            self.op()
            total += time.perf_counter() - start
            if self.after:
                self.after()
        return total / self.batch * 1000


def compare(value: Case, baseline: Case, *, samples: int, warmup: int = 3) -> tuple[Timing, Timing]:
    """Median (min–max) of each case; samples alternate, so a load that comes and goes hits both alike."""
    values, baselines = [], []
    for n in range(warmup + samples):
        pair = (value.sample(), baseline.sample())
        if n >= warmup:
            values.append(pair[0])
            baselines.append(pair[1])
    return Timing.of(values), Timing.of(baselines)


def result(name: str, value: Timing, baseline: Timing, goal: float | None, detail: str) -> dict[str, Any]:
    """One figure; goal None is for information only."""
    ratio = value.median / baseline.median
    return {
        "name": name, "value": round(value.median, 4), "value_min": round(value.low, 4),
        "value_max": round(value.high, 4), "baseline": round(baseline.median, 4),
        "baseline_min": round(baseline.low, 4), "baseline_max": round(baseline.high, 4),
        "ratio": round(ratio, 3), "goal": goal, "unit": "ms", "ok": goal is None or ratio <= goal, "detail": detail,
    }


# -- databases ---------------------------------------------------------------------------------------


@contextmanager
def database(orders: int, suffix: str = "") -> Iterator[tuple[Engine, float]]:
    """An engine on empty order tables filled with ``orders`` orders; yields it and the seconds seeding took."""
    url = os.environ.get("ORDER_ADMIN_BENCH_DATABASE_URL")
    if url and suffix:
        parsed = make_url(url)
        url = parsed.set(database=f"{parsed.database}{suffix}").render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory(dir=_data_dir()) as tmp:
        engine = create_engine(url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        try:
            OrderAdminBase.metadata.drop_all(engine)
            OrderAdminBase.metadata.create_all(engine)
            start = time.perf_counter()
            seed_orders(engine, orders)
            yield engine, time.perf_counter() - start
        finally:
            engine.dispose()


def _data_dir() -> Path:
    DATA_DIR.mkdir(exist_ok=True)
    return DATA_DIR


def _order_row(n: int, status: str = "awaiting_payment", customer: str | None = None) -> dict[str, Any]:
    at = BASE_TIME + timedelta(minutes=n)
    email = f"buyer{n % 5000}@example.com"
    return {
        "provider": "taobao", "status": status, "customer_ref": customer or f"cust-{n % 5000}",
        "buyer_name": f"Buyer {n % 5000}", "buyer_email": email, "buyer_email_key": email,
        "buyer_phone": "+86 138 0000 0000", "buyer_address": "Shanghai", "created_at": at, "updated_at": at,
        "status_changed_at": at, "currency": "CNY", "version": 1,
    }


def items_of(n: int) -> int:
    """How many items seeded order number ``n`` (from 1) holds: 1–8, spread evenly."""
    return 1 + n * 7919 % MAX_ITEMS


def _item_row(order_id: int, n: int) -> dict[str, Any]:
    return {"order_id": order_id, "provider_item_id": f"tb-{n}", "title": f"Item {n} 连衣裙",
            "url": f"https://item.taobao.com/item.htm?id={n}", "quantity": 1 + n % 3,
            "price": Decimal("100.00"), "discount_price": None, "china_delivery": Decimal("7.30")}


def seed_orders(engine: Engine, count: int) -> None:
    """Set-based, in one transaction; the tables are new, so the orders get the ids 1..count.

    PostgreSQL generates the rows itself (INSERT … SELECT over generate_series: 1M orders and their
    4.5M items in about a minute); elsewhere one executemany per chunk of orders and of their items.
    """
    if engine.dialect.name == "postgresql":
        _seed_on_postgresql(engine, count)
        return
    statuses = ["awaiting_payment", "processing", "shipped", "completed", "canceled"]
    with engine.begin() as connection:
        for start in range(0, count, CHUNK):
            rows = [_order_row(n, statuses[n % len(statuses)]) for n in range(start, min(start + CHUNK, count))]
            connection.execute(insert(Order.__table__), rows)
            connection.execute(insert(OrderItem.__table__), [
                _item_row(n + 1, k) for n in range(start, min(start + CHUNK, count)) for k in range(items_of(n + 1))
            ])


def _seed_on_postgresql(engine: Engine, count: int) -> None:
    """The same rows as the executemany path (``_order_row`` of n - 1 for id n, ``items_of(n)`` items,
    each with the origin the model's default gives it)."""
    orders = f"""
        INSERT INTO order_admin_orders (provider, status, customer_ref, buyer_name, buyer_email, buyer_email_key,
            buyer_phone, buyer_address, created_at, updated_at, status_changed_at, currency, version)
        SELECT 'taobao', (ARRAY['awaiting_payment','processing','shipped','completed','canceled'])[mod(n - 1, 5) + 1],
            'cust-' || mod(n - 1, 5000), 'Buyer ' || mod(n - 1, 5000), e, e, '+86 138 0000 0000', 'Shanghai',
            t, t, t, 'CNY', 1
        FROM generate_series(1, {int(count)}) AS n,
            LATERAL (SELECT 'buyer' || mod(n - 1, 5000) || '@example.com' AS e,
                            TIMESTAMP '{BASE_TIME.isoformat(sep=' ')}' + (n - 1) * INTERVAL '1 minute' AS t) AS v
        ORDER BY n"""
    items = f"""
        INSERT INTO order_admin_order_items (order_id, origin_order_id, provider_item_id, title, url, quantity,
            price, discount_price, china_delivery)
        SELECT n, n, 'tb-' || k, 'Item ' || k || ' 连衣裙', 'https://item.taobao.com/item.htm?id=' || k, 1 + mod(k, 3),
            100.00, NULL, 7.30
        FROM generate_series(1, {int(count)}) AS n,
            LATERAL generate_series(0, mod(n::bigint * 7919, {MAX_ITEMS})) AS k
        ORDER BY n, k"""
    with engine.begin() as connection:
        connection.exec_driver_sql(orders)
        connection.exec_driver_sql(items)
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE order_admin_orders")
        connection.exec_driver_sql("ANALYZE order_admin_order_items")


def make_order(engine: Engine, items: int, status: str, customer: str) -> int:
    with engine.begin() as connection:
        order_id = connection.execute(insert(Order.__table__), _order_row(0, status, customer)).inserted_primary_key[0]
        connection.execute(insert(OrderItem.__table__), [_item_row(order_id, n) for n in range(items)])
    return order_id


# -- the benchmarks ------------------------------------------------------------------------------------


def search_suffix(session: Session, orders: int, rng: random.Random) -> Case:
    def op() -> None:
        assert services.search(session, f"{rng.randint(1, orders):010d}"[-6:], settings=SETTINGS)

    return Case(op, batch=50, after=session.expunge_all)


def search_exact_vs_get(session: Session, orders: int, rng: random.Random) -> tuple[Case, Case]:
    def exact() -> None:
        assert services.search(session, NUMBER(rng.randint(1, orders)), settings=SETTINGS)

    def get() -> None:
        assert session.get(Order, rng.randint(1, orders)) is not None

    def reset() -> None:
        session.rollback()  # as search's own queries end: no transaction left open
        session.expunge_all()

    return Case(exact, batch=50, after=reset), Case(get, batch=50, after=reset)


def merge_case(engine: Engine, session: Session, items: int) -> Case:
    pair: list[int] = []

    def setup() -> None:
        customer = f"merge-{len(pair)}-{time.perf_counter_ns()}"
        pair[:] = [make_order(engine, items, "awaiting_payment", customer) for _ in range(2)]

    return Case(lambda: services.merge(session, pair[0], pair[1], actor="bench", settings=SETTINGS),
                setup=setup, after=session.expunge_all)


def move_case(engine: Engine, session: Session, items: int) -> Case:
    """What no merge can do without: one UPDATE moving the lines to the other order, committed."""
    pair: list[int] = []

    def setup() -> None:
        pair[:] = [make_order(engine, items, "awaiting_payment", "move") for _ in range(2)]

    def op() -> None:
        with session.begin():
            session.execute(update(OrderItem).where(OrderItem.order_id == pair[0]).values(order_id=pair[1]))

    return Case(op, setup=setup)


def restore_case(engine: Engine, session: Session, items: int) -> Case:
    order: list[int] = []

    def setup() -> None:
        order[:] = [make_order(engine, items, "canceled", "restore")]

    return Case(lambda: services.restore(session, order[0], actor="bench", settings=SETTINGS),
                setup=setup, after=session.expunge_all)


# SPEC §9: merge ÷ the bare move of the same lines.
MERGE_GOALS = {"sqlite": 1.5, "postgresql": 1.2}


def run(quick: bool) -> list[dict[str, Any]]:
    rng = random.Random(1)
    samples = 15 if quick else 31
    big = BIG_QUICK if quick else BIG_FULL
    with database(SMALL, "_small") as (small_engine, _), database(big) as (engine, seconds):
        with Session(small_engine) as small, Session(engine) as session:
            suffix = compare(search_suffix(session, big, rng), search_suffix(small, SMALL, rng), samples=samples)
            exact = compare(*search_exact_vs_get(session, big, rng), samples=samples)
            # A merge moves every line, so its limit is the bare UPDATE moving them (SPEC §9).
            overhead = compare(merge_case(small_engine, small, 5_000), move_case(small_engine, small, 5_000),
                               samples=samples)
            restored = compare(restore_case(small_engine, small, 500), restore_case(small_engine, small, 5),
                               samples=samples)
        dialect = engine.dialect.name
    where = f"{dialect}; {big:,} orders with 1–{MAX_ITEMS} items seeded in {seconds:.1f} s"
    return [
        result(f"services.search, 6 last digits: {big:,} ÷ {SMALL:,} orders", *suffix, 2.0, where),
        result(f"services.search, full number ÷ session.get by key ({big:,} orders)", *exact, 3.0, where),
        result("services.merge of 5,000 lines ÷ the bare UPDATE moving them", *overhead,
               MERGE_GOALS.get(dialect, 1.5), f"{dialect}; what the merge adds to the move (checks, locks, sums, events)"),
        result("services.restore: 500 ÷ 5 items, constant-time resolver", *restored, 10.0, dialect),
    ]
