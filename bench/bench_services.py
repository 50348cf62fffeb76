"""Scaling of the order services: each figure is a ratio of two medians, so the machine's speed cancels out.

Runs on temporary SQLite files, or on the database in ``ORDER_ADMIN_BENCH_DATABASE_URL``
(PostgreSQL, MariaDB) and its sibling ``<name>_small``, whose order tables it drops and re-creates;
once over the plugin's own tables and once over the legacy shop's (``bench_models.py``).
"""

from __future__ import annotations

import dataclasses
import gc
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.orm import Session

from bench_models import MAX_ITEMS, MODEL_SETS, NEEDLES, BenchModels, needle_searches
from flask_order_admin import services

SMALL = 1_000
BIG_FULL = 1_000_000
# Each order gets 1–8 items (4.5 on average); the quick tier keeps to 100k orders to stay within CI's minutes.
BIG_QUICK = 100_000
DATA_DIR = Path(__file__).parent / ".data"


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
                # The setup's garbage is collected here, untimed, not in the middle of the operation measured.
                gc.collect()
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
def database(models: BenchModels, orders: int, suffix: str = "") -> Iterator[tuple[Engine, float]]:
    """An engine on the model set's empty tables filled with ``orders`` orders; yields it and the seconds
    seeding took."""
    url = os.environ.get("ORDER_ADMIN_BENCH_DATABASE_URL")
    if url and suffix:
        parsed = make_url(url)
        url = parsed.set(database=f"{parsed.database}{suffix}").render_as_string(hide_password=False)
    with tempfile.TemporaryDirectory(dir=_data_dir()) as tmp:
        engine = create_engine(url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        metadata = models.metadata()
        try:
            metadata.drop_all(engine)
            metadata.create_all(engine)
            start = time.perf_counter()
            models.seed(engine, orders)
            yield engine, time.perf_counter() - start
        finally:
            engine.dispose()


def _data_dir() -> Path:
    DATA_DIR.mkdir(exist_ok=True)
    return DATA_DIR


# -- the benchmarks ------------------------------------------------------------------------------------


def search_suffix(models: BenchModels, session: Session, orders: int, rng: random.Random) -> Case:
    def op() -> None:
        assert services.search(session, models.last_digits(rng.randint(1, orders), 6), panel=models.panel)

    return Case(op, batch=50, after=session.expunge_all)


def search_exact_vs_get(models: BenchModels, session: Session, orders: int, rng: random.Random) -> tuple[Case, Case]:
    def exact() -> None:
        assert services.search(session, models.number(rng.randint(1, orders)), panel=models.panel)

    def get() -> None:
        assert session.get(models.binding.order, rng.randint(1, orders)) is not None

    def reset() -> None:
        session.rollback()  # as search's own queries end: no transaction left open
        session.expunge_all()

    return Case(exact, batch=50, after=reset), Case(get, batch=50, after=reset)


def search_box(models: BenchModels, session: Session, field: str, rng: random.Random) -> Case:
    """The search box finding one of the needle orders by ``field`` (name, email, phone, item)."""
    phone_keys = True  # the search's own index: the last digits on every model set

    def op() -> None:
        text = needle_searches(rng.randrange(NEEDLES), phone_keys=phone_keys)[field]
        found = services.search(session, text, panel=models.panel)
        assert len(found) == 1 or (field == "phone4" and found), text

    def reset() -> None:
        session.rollback()
        session.expunge_all()

    return Case(op, batch=20, after=reset)


SEARCH_BOX_FIELDS = ("name", "email", "phone", "item", "surname", "phone4", "url")


def merge_case(models: BenchModels, engine: Engine, session: Session, items: int) -> Case:
    pair: list[int] = []

    def setup() -> None:
        customer = f"merge-{len(pair)}-{time.perf_counter_ns()}"
        pair[:] = [models.make_order(engine, items, "awaiting_payment", customer) for _ in range(2)]

    return Case(lambda: services.merge(session, pair[0], pair[1], actor="bench", panel=models.panel),
                setup=setup, after=session.expunge_all)


def move_case(models: BenchModels, engine: Engine, session: Session, items: int) -> Case:
    """What no merge can do without: one UPDATE moving the lines to the other order, committed."""
    pair: list[int] = []

    def setup() -> None:
        pair[:] = [models.make_order(engine, items, "awaiting_payment", "move") for _ in range(2)]

    def op() -> None:
        with session.begin():
            models.bare_move(session, pair[0], pair[1])

    return Case(op, setup=setup)


def restore_case(models: BenchModels, engine: Engine, session: Session, items: int) -> Case:
    order: list[int] = []

    def setup() -> None:
        order[:] = [models.make_order(engine, items, "canceled", "restore")]

    return Case(lambda: services.restore(session, order[0], actor="bench", panel=models.panel),
                setup=setup, after=session.expunge_all)


# docs/design.md, "Merge speed": merge ÷ the bare move of the same lines.
MERGE_GOALS = {"sqlite": 1.5, "postgresql": 1.2}


def run(quick: bool) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for models in MODEL_SETS:
        results += run_on(models, quick)
    return results


def run_on(models: BenchModels, quick: bool) -> list[dict[str, Any]]:
    rng = random.Random(1)
    samples = 15 if quick else 31
    big = BIG_QUICK if quick else BIG_FULL
    with database(models, SMALL, "_small") as (small_engine, _), database(models, big) as (engine, seconds):
        models.make_needles(small_engine)
        models.make_needles(engine)
        with Session(small_engine) as small, Session(engine) as session:
            # The search's own index filled first (as ``flask order-admin index-search`` does), untimed.
            indexing = time.perf_counter()
            services.index_search(small, models.panel)
            services.index_search(session, models.panel)
            print(f"search index of {big:,} orders: {time.perf_counter() - indexing:.1f} s", flush=True)
            suffix = compare(search_suffix(models, session, big, rng), search_suffix(models, small, SMALL, rng),
                             samples=samples)
            by_field = {field: compare(search_box(models, session, field, rng), search_box(models, small, field, rng),
                                       samples=samples) for field in SEARCH_BOX_FIELDS}
            exact = compare(*search_exact_vs_get(models, session, big, rng), samples=samples)
            # A merge moves every line, so its limit is the bare UPDATE moving them (docs/design.md, "Merge speed").
            overhead = compare(merge_case(models, small_engine, small, 5_000),
                               move_case(models, small_engine, small, 5_000), samples=samples)
            restored = compare(restore_case(models, small_engine, small, 500),
                               restore_case(models, small_engine, small, 5), samples=samples)
        dialect = engine.dialect.name
    where = f"{dialect}; {big:,} orders with 1–{MAX_ITEMS} items seeded in {seconds:.1f} s"
    tables = f"[{models.label}] "
    return [
        result(f"{tables}services.search, 6 last digits: {big:,} ÷ {SMALL:,} orders", *suffix, 2.0, where),
        result(f"{tables}services.search, full number ÷ session.get by key ({big:,} orders)", *exact, 3.0, where),
        *(result(f"{tables}search box by {field}: {big:,} ÷ {SMALL:,} orders", *timings, 2.0, where)
          for field, timings in by_field.items()),
        result(f"{tables}services.merge of 5,000 lines ÷ the bare UPDATE moving them", *overhead,
               MERGE_GOALS.get(dialect, 1.5), f"{dialect}; what the merge adds to the move (checks, locks, sums, events)"),
        result(f"{tables}services.restore: 500 ÷ 5 items, constant-time resolver", *restored, 10.0, dialect),
    ]
