"""Export job benchmark: ``.venv/bin/python bench/bench_jobs.py [--full]`` (or through bench/run.py).

The export job (``jobs.work.run_export``, what a worker thread or an RQ worker runs) over 20 items an
order, 20,000 item rows (quick) or 200,000 (full), on a database of its own:

1. job time ÷ raw xlwt writing the same cells (values already in memory, same styles, a new sheet
   every 65,535 rows, rows flushed every 1,000 as the job does): goal ≤ 1.43, i.e. the job's
   throughput at least 0.7 of raw xlwt's;
2. peak traced memory of the job ÷ its file size: goal ≤ 3;
3. the request that starts the job (Export all matching, a POST through Flask's test client):
   seconds, goal < 1;
4. the same request with an access rule (``ORDER_ADMIN_ACCESS``) over 20,000 orders (quick) or 200,000
   (full): seconds, goal ≤ 1, and the rule asked about no order in the request (the job's worker asks);
   ``--start-only`` measures this one alone, on orders without items.

Database: ``ORDER_ADMIN_BENCH_JOBS_DATABASE_URL``, else ``<ORDER_ADMIN_BENCH_DATABASE_URL>_jobs`` when
that is set (create it beside the ``_small`` one), else a temporary SQLite file. Its plugin tables are
dropped and created again.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import statistics
import sys
import threading
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlwt
from bench_export import ITEMS_PER_BULK_ORDER, seed
from flask import Flask
from flask_babel import Babel
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, func, insert, select

from flask_order_admin import OrderAdmin
from flask_order_admin.export.cells import Link
from flask_order_admin.export.columns import HEADERS
from flask_order_admin.export.query import item_columns_select
from flask_order_admin.export.rows import item_row, order_head
from flask_order_admin.export.sheets import RowStyle
from flask_order_admin.export.xls_writer import FLUSH_EVERY_ROWS, HyperlinkFormula, XlsBackend
from flask_order_admin.jobs.records import create_job
from flask_order_admin.jobs.selection import store_ids
from flask_order_admin.jobs.work import run_export
from flask_order_admin.models import ExportRecord, Order, OrderAdminBase, OrderItem
from flask_order_admin.settings import DEFAULT_SETTINGS
from flask_order_admin.store import builtin_store
from flask_order_admin.store.records import order_records

TIME_RATIO_GOAL = round(1 / 0.7, 2)  # job seconds ÷ raw xlwt seconds; throughput ≥ 0.7 of raw xlwt
MEMORY_GOAL = 3.0
START_GOAL = 1.0
ROWS_QUICK, ROWS_FULL = 20_000, 200_000
RULE_ORDERS_QUICK, RULE_ORDERS_FULL = 20_000, 200_000  # orders in the database for the start with a rule


class Manager(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username
        self.username = username


def database_url(folder: Path) -> str:
    url = os.environ.get("ORDER_ADMIN_BENCH_JOBS_DATABASE_URL")
    if url:
        return url
    shared = os.environ.get("ORDER_ADMIN_BENCH_DATABASE_URL")
    if shared:
        base, _, query = shared.partition("?")
        return f"{base}_jobs" + (f"?{query}" if query else "")
    return f"sqlite:///{folder / 'jobs.sqlite'}"


@contextmanager
def host(url: str, storage: Path) -> Iterator[Flask]:
    """A host app on the database: Flask-Admin, the plugin (thread runner), a logged-in manager."""
    app = Flask("order_admin_bench_jobs")
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    app.config.update(SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="bench", WTF_CSRF_ENABLED=False,
                      ORDER_ADMIN_EXPORT_STORAGE=str(storage), ORDER_ADMIN_EXPORT_INLINE_ROWS=1_000,
                      ORDER_ADMIN_EXPORT_MAX_JOBS_PER_USER=100, ORDER_ADMIN_EXPORT_MAX_JOBS=100)
    db = SQLAlchemy()
    db.init_app(app)
    LoginManager(app).user_loader(Manager)
    OrderAdmin(app, admin=Admin(app, theme=Bootstrap4Theme()), db=db)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def raw_cells(session: Any, order_ids: list[int]) -> list[tuple[tuple[str, Any], ...]]:
    """Every row's cells, typed as raw xlwt needs them (the job's own rows, read once beforehand)."""
    store = builtin_store()
    orders = order_records(session, store, session.scalars(select(Order).where(Order.id.in_(order_ids))).all(),
                           DEFAULT_SETTINGS.number_format)
    heads = {order.id: order_head(order) for order in orders}
    rows = []
    lines = item_columns_select(store)
    for item in session.execute(lines.order_by(OrderItem.order_id, OrderItem.id)):
        cells = []
        for value in item_row(heads[item[0]], item):
            kind = ("link" if isinstance(value, Link) else "money" if isinstance(value, Decimal)
                    else "quantity" if isinstance(value, int) else "text")
            cells.append((kind, value))
        rows.append(tuple(cells))
    return rows


def raw_xlwt(rows: list[tuple[tuple[str, Any], ...]]) -> int:
    """The same cells through plain ``sheet.write``, 65,535 rows a sheet; returns the file's size."""
    book = xlwt.Workbook(encoding="utf-8")
    styles = XlsBackend(io.BytesIO())._styles  # the same styles as the job's
    header, body = styles[RowStyle.HEADER]["text"], styles[RowStyle.BODY]
    sheet, rowx = None, 0
    for n, row in enumerate(rows):
        if n % 65_535 == 0:
            sheet = book.add_sheet(f"Items {n // 65_535 + 1}")
            for colx, text in enumerate(HEADERS):
                sheet.write(0, colx, text, header)
            rowx = 0
        rowx += 1
        for colx, (kind, value) in enumerate(row):
            if value is not None:
                sheet.write(rowx, colx, HyperlinkFormula(value) if kind == "link" else value, body[kind])
        if rowx % FLUSH_EVERY_ROWS == FLUSH_EVERY_ROWS - 1:
            sheet.flush_row_data()
    stream = io.BytesIO()
    book.save(stream)
    return len(stream.getvalue())


def timed_job(app: Flask, order_ids: list[int], trace: bool = False) -> tuple[float, int, int]:
    """(seconds, file size, peak traced bytes) of one export job over the orders, run here as a worker would."""
    state = app.extensions["order_admin"]
    record = create_job(state.session, state.settings, state.export_folder(), actor="bench", actor_id="bench",
                        order_count=len(order_ids), fmt="xls", source="matching", description="bench",
                        now=state.clock())
    export_id = record.id
    store_ids(state.session, export_id, order_ids)
    state.session.commit()
    state.session.remove()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    assert run_export(state, export_id) == "done"
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    done = state.session.get(ExportRecord, export_id)
    size = done.file_size
    (state.export_folder() / done.file_name).unlink()
    state.session.remove()
    return seconds, size, peak


def start_seconds(app: Flask) -> float:
    """The POST that starts Export all matching over every order; the job it starts is canceled at once."""
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = "bench"
    start = time.perf_counter()
    response = client.post("/admin/orders/export-matching/", data={"format": "xls"})
    seconds = time.perf_counter() - start
    assert response.status_code == 302 and "/exports/" in response.location, response.status_code
    export_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
    client.post(f"/admin/orders/exports/{export_id}/cancel/")
    state = app.extensions["order_admin"]
    for runner in state._runners.values():
        runner.shutdown(wait=True)
    return seconds


class CountingRule:
    """A host's access rule that lets everything through and counts the orders the request asks it about
    (the test client runs the request in this thread; the job's worker threads are others)."""

    def __init__(self) -> None:
        self.asked_in_request = 0

    def __call__(self, action: str, order: Any) -> None:
        if order is not None and threading.current_thread() is threading.main_thread():
            self.asked_in_request += 1


def add_bare_orders(engine: Any, total: int) -> None:
    """Orders without items up to ``total`` in the database (only their count matters to the start):
    INSERT … SELECT over generate_series on PostgreSQL, else an executemany per 20,000."""
    with engine.begin() as connection:
        have = connection.scalar(select(func.count()).select_from(Order.__table__))
        wanted = total - have
        if wanted <= 0:
            return
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"""
                INSERT INTO order_admin_orders (provider, status, buyer_name, buyer_email_key, buyer_name_key,
                    buyer_phone_key, created_at, updated_at, status_changed_at, currency, version)
                SELECT 'taobao', 'processing', 'Buyer ' || n, '', 'buyer ' || n, '', now(), now(), now(), 'CNY', 1
                FROM generate_series(1, {int(wanted)}) AS n""")
        else:
            for start in range(0, wanted, 20_000):
                connection.execute(insert(Order.__table__), [
                    {"buyer_name": f"Buyer {n}"} for n in range(start, min(wanted, start + 20_000))])
    if engine.dialect.name == "postgresql":
        # As autovacuum leaves a table: its visibility map set, so a scan of ids reads the index alone.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE order_admin_orders")


def start_with_rule_seconds(app: Flask, rule: CountingRule) -> float:
    """``start_seconds`` with the access rule set; the rule is asked about no order in the request."""
    state = app.extensions["order_admin"]
    plain = state.settings
    state.settings = dataclasses.replace(plain, access=rule)
    try:
        seconds = start_seconds(app)
        assert rule.asked_in_request == 0, f"the start request asked the rule about {rule.asked_in_request} orders"
        return seconds
    finally:
        state.settings = plain


def run(quick: bool) -> list[dict[str, Any]]:
    rows_wanted = ROWS_QUICK if quick else ROWS_FULL
    runs = 3
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(Path(folder))
        engine = create_engine(url)
        OrderAdminBase.metadata.drop_all(engine)
        OrderAdminBase.metadata.create_all(engine)
        from sqlalchemy.orm import Session

        # Read outside any app: the numbers in the cells come from the default settings, as the job's own do.
        with Session(engine) as session:
            order_ids = seed(session, rows_wanted // ITEMS_PER_BULK_ORDER, ITEMS_PER_BULK_ORDER)
            cells = raw_cells(session, order_ids)
        engine.dispose()
        with host(url, Path(folder) / "exports") as app:
            timed_job(app, order_ids)  # warm-up
            job_runs, raw_runs = [], []
            for _ in range(runs):
                job_runs.append(timed_job(app, order_ids)[0])
                start = time.perf_counter()
                raw_xlwt(cells)
                raw_runs.append(time.perf_counter() - start)
            _, size, peak = timed_job(app, order_ids, trace=True)
            starts = [start_seconds(app) for _ in range(3)]
            rule_row = start_with_rule_row(app, quick)
        dialect = url.split(":", 1)[0].split("+", 1)[0]
    job, raw = statistics.median(job_runs), statistics.median(raw_runs)
    rows = len(cells)
    return [
        {"name": f"export job {rows:,} rows ÷ raw xlwt, time", "value": job, "baseline": raw, "ratio": job / raw,
         "goal": TIME_RATIO_GOAL, "unit": "s",
         "value_min": min(job_runs), "value_max": max(job_runs), "baseline_min": min(raw_runs), "baseline_max": max(raw_runs),
         "detail": f"{rows / job:,.0f} rows/s vs raw xlwt {rows / raw:,.0f} rows/s: throughput {raw / job:.2f} of raw "
                   f"(goal ≥ 0.7); median of {runs}; {dialect}"},
        {"name": f"export job {rows:,} rows: peak memory ÷ file size", "value": peak / size, "goal": MEMORY_GOAL,
         "unit": "×", "detail": f"peak traced {peak / 2**20:.1f} MiB, file {size / 2**20:.1f} MiB; {dialect}"},
        {"name": f"start request of an export job over {len(order_ids):,} orders", "value": statistics.median(starts),
         "goal": START_GOAL, "unit": "s", "detail": f"median of 3 ({min(starts):.2f}–{max(starts):.2f} s); {dialect}"},
        rule_row,
    ]


def start_with_rule_row(app: Flask, quick: bool) -> dict[str, Any]:
    """The start request with an access rule over 20,000 (quick) or 200,000 orders (full): median of 3."""
    engine = app.extensions["sqlalchemy"].engine
    orders = RULE_ORDERS_QUICK if quick else RULE_ORDERS_FULL
    add_bare_orders(engine, orders)
    rule = CountingRule()
    starts = [start_with_rule_seconds(app, rule) for _ in range(3)]
    return {"name": f"start request of an export job over {orders:,} orders with an access rule",
            "value": statistics.median(starts), "goal": START_GOAL, "unit": "s",
            "detail": f"median of 3 ({min(starts):.2f}–{max(starts):.2f} s); the rule is asked by the job's "
                      f"worker, not the request; {engine.dialect.name}"}


def run_start_only(quick: bool) -> list[dict[str, Any]]:
    """Only the start request with an access rule, on orders without items (``--start-only``)."""
    with tempfile.TemporaryDirectory() as folder:
        url = database_url(Path(folder))
        engine = create_engine(url)
        OrderAdminBase.metadata.drop_all(engine)
        OrderAdminBase.metadata.create_all(engine)
        engine.dispose()
        with host(url, Path(folder) / "exports") as app:
            return [start_with_rule_row(app, quick)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="200,000 rows instead of 20,000")
    parser.add_argument("--start-only", action="store_true",
                        help="only the start request with an access rule (20,000 orders, or 200,000 with --full)")
    args = parser.parse_args()
    results = (run_start_only if args.start_only else run)(not args.full)
    for result in results:
        print(f"{result['name']:<58} {result.get('ratio', result['value']):>8.2f} (goal ≤ {result['goal']})  {result['detail']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
