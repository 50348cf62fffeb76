"""Export benchmark: ``.venv/bin/python bench/bench_export.py [--quick]``.

1. ``order_xls`` for a 10,000-item order ÷ raw xlwt writing the same cells
   (values already in memory, same styles), median of several runs after a warm-up.
   Goal: ≤ 1.3.
2. Bulk ``orders_xls`` of 100,000 rows: rows/s, and peak traced memory ÷ file size.
   Goal: ≤ 3.

Uses a temporary SQLite file seeded with set-based inserts. Exits 1 when a goal is
missed by a wide margin (25 % over). ``run(quick)`` returns the figures for a runner.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlwt
from sqlalchemy import create_engine, insert
from sqlalchemy.orm import Session

from flask_order_admin.export import order_xls, orders_xls
from flask_order_admin.export.cells import Link
from flask_order_admin.export.columns import HEADERS
from flask_order_admin.export.query import export_ids, item_columns_select
from flask_order_admin.export.rows import item_row, order_head
from flask_order_admin.export.sheets import RowStyle
from flask_order_admin.export.xls_writer import HyperlinkFormula, XlsBackend
from flask_order_admin.models import Order, OrderAdminBase, OrderItem
from flask_order_admin.panel import OrderPanel
from flask_order_admin.settings import DEFAULT_SETTINGS
from flask_order_admin.store.records import order_records

# A script: no Flask app, so the services are given the panel (the plugin's own tables, default settings).
PANEL = OrderPanel(settings=DEFAULT_SETTINGS)

RATIO_GOAL = 1.3
MEMORY_GOAL = 3.0
WIDE_MARGIN = 1.25  # a goal counts as missed only when the figure is this much over it
ITEMS_PER_BULK_ORDER = 20


def item_values(order_id: int, n: int) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "provider_item_id": f"tb-{n}",
        "title": f"2026新款连衣裙 women's summer cotton dress, style {n}",
        "url": f"https://item.taobao.com/item.htm?id={600000000000 + n}",
        "photo_url": f"https://img.alicdn.com/imgextra/i1/{n}/O1CN01abcdef_!!{n}.jpg",
        "color": "Red",
        "size": "M",
        "color_cn": "红色",
        "size_cn": "中码",
        "quantity": 1 + n % 3,
        "price": Decimal("100.50") + n % 100,
        "discount_price": Decimal("90.25") if n % 2 else None,
        "china_delivery": Decimal("7.30"),
    }


def seed(session: Session, orders: int, items_per_order: int) -> list[int]:
    ids = []
    for start in range(0, orders, 1000):
        batch = [
            {"buyer_name": f"Li Wei 李伟 {i}", "buyer_address": "Room 5, 12 Nanjing Rd, Shanghai 上海市",
             "buyer_email": f"buyer{i}@example.com", "customer_ref": f"c{i}"}
            for i in range(start, min(orders, start + 1000))
        ]
        ids += session.scalars(insert(Order).returning(Order.id), batch).all()
    for start in range(0, len(ids), 100):
        session.execute(insert(OrderItem), [
            item_values(order_id, n * items_per_order + k)
            for n, order_id in enumerate(ids[start:start + 100], start) for k in range(items_per_order)
        ])
    session.commit()
    return ids


def raw_xlwt(rows: list[tuple[Any, ...]]) -> bytes:
    """The same cells with the same styles through plain xlwt calls: the cost of the format itself."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Items")
    backend = XlsBackend(io.BytesIO())  # only for its styles and link formulas
    styles = backend._styles
    for colx, header in enumerate(HEADERS):
        sheet.write(0, colx, header, styles[RowStyle.HEADER]["text"])
    body = styles[RowStyle.BODY]
    for rowx, row in enumerate(rows, 1):
        for colx, (kind, value) in enumerate(row):
            if kind == "link":
                value = HyperlinkFormula(value)  # the cheapest safe way to write a link with xlwt
            if value is not None:
                sheet.write(rowx, colx, value, body[kind])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def raw_cells(session: Session, order_id: int) -> list[tuple[Any, ...]]:
    [order] = order_records(session, PANEL.store, [session.get(Order, order_id)], DEFAULT_SETTINGS.number_format)
    rows = []
    lines = item_columns_select(PANEL.store)
    for item in session.execute(lines.where(OrderItem.order_id == order_id).order_by(OrderItem.id)):
        cells = []
        for value in item_row(order_head(order), item):
            if isinstance(value, Link):
                cells.append(("link", value))
            elif isinstance(value, str) or value is None:
                cells.append(("text", value))
            elif isinstance(value, Decimal):
                cells.append(("money", value))
            else:
                cells.append(("quantity", value))
        rows.append(tuple(cells))
    return rows


def paired_samples(first: Callable[[], object], second: Callable[[], object],
                   runs: int) -> tuple[list[float], list[float]]:
    """Seconds of each run of each, after a warm-up; runs alternate so that a busy machine slows both alike."""
    first()
    second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, spent in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            action()
            spent.append(time.perf_counter() - start)
    return times


def run(quick: bool) -> list[dict[str, Any]]:
    runs = 3 if quick else 5
    bulk_rows = 20_000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        OrderAdminBase.metadata.create_all(engine)
        with Session(engine) as session:
            [big_order] = seed(session, 1, 10_000)
            bulk_ids = seed(session, bulk_rows // ITEMS_PER_BULK_ORDER, ITEMS_PER_BULK_ORDER)

            cells = raw_cells(session, big_order)
            ours_runs, raw_runs = paired_samples(lambda: order_xls(session, big_order, panel=PANEL),
                                                 lambda: raw_xlwt(cells), runs)
            ours, raw = statistics.median(ours_runs), statistics.median(raw_runs)

            start = time.perf_counter()
            orders_xls(session, bulk_ids, panel=PANEL)
            bulk_seconds = time.perf_counter() - start
            session.expunge_all()
            tracemalloc.start()
            data = orders_xls(session, bulk_ids, panel=PANEL)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        engine.dispose()
    assert len(export_ids(bulk_ids)) == len(bulk_ids)
    return [
        {"measure": "order_xls 10,000 items ÷ raw xlwt", "value": ours / raw, "goal": RATIO_GOAL, "unit": "×",
         "detail": f"{ours:.2f} s ({min(ours_runs):.2f}–{max(ours_runs):.2f}) vs {raw:.2f} s "
                   f"({min(raw_runs):.2f}–{max(raw_runs):.2f}), median of {runs}; SQLite"},
        {"measure": f"orders_xls {bulk_rows:,} rows: peak memory ÷ file size", "value": peak / len(data),
         "goal": MEMORY_GOAL, "unit": "×", "detail": f"peak {peak / 2**20:.1f} MiB, file {len(data) / 2**20:.1f} MiB; SQLite"},
        {"measure": f"orders_xls {bulk_rows:,} rows: rows/s", "value": bulk_rows / bulk_seconds, "goal": None, "unit": "rows/s",
         "detail": f"{bulk_seconds:.1f} s"},
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, 20,000 bulk rows")
    results = run(parser.parse_args().quick)
    missed = False
    print(f"{'measure':<52} {'value':>10} {'goal':>6}  detail")
    for result in results:
        goal = result["goal"]
        flag = ""
        if goal is not None and result["value"] > goal:
            flag = "  MISSED" if result["value"] > goal * WIDE_MARGIN else "  over"
            missed = missed or flag == "  MISSED"
        goal_text = f"≤{goal}" if goal is not None else ""
        print(f"{result['measure']:<52} {result['value']:>10.2f} {goal_text:>6}  {result['detail']}{flag}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
