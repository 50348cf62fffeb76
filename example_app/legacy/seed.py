"""The legacy shop's data, as its own system wrote it over the years (``flask --app example_app.legacy
seed-shop``): customers, a catalog, orders in every status code with numbers like ``SH-24-00042``.

It writes only the shop's own tables; the order panel reads them as they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import insert
from sqlalchemy.orm import Session

from flask_order_admin import services

from .. import seed_data as data
from ..seed import buyer_details
from ..seed_data import DemoWords, Kind
from .models import ShopCustomer, ShopOrder, ShopOrderLine, ShopProduct
from .order_models import ON_HOLD, STATUS_CODES

S = {status.value: code for status, code in STATUS_CODES.items()}
CENT = Decimal("0.01")
FIRST_DAY = datetime(2024, 1, 3, 9, 30)
MIN_ORDERS = 60
# (added, basic) status codes the panel's default merge matrix allows: pairs ready for Merge.
MERGE_READY = (
    ("awaiting_payment", "awaiting_payment"), ("awaiting_additional_payment", "processing_at_warehouse"),
    ("additional_order", "ready_for_packing"), ("ready_to_ship", "ready_for_packing"),
)
STATUS_WEIGHTS = {
    "awaiting_payment": 12, "awaiting_additional_payment": 4, "processing": 10, "additional_order": 4,
    "processing_at_warehouse": 8, "awaiting_packing_confirmation": 4, "ready_for_packing": 5, "ready_to_ship": 5,
    "shipped": 12, "completed": 24, "canceled": 8,
}


@dataclass
class ShopSeed:
    orders: int = 0
    lines: int = 0
    numbers: dict[str, list[str]] = field(default_factory=dict)  # what to try: merge pairs, restores, on hold


def seed_shop(session: Session, *, orders: int = 300, seed: int = 2024, language: str = "en") -> ShopSeed:
    """Fill the shop's empty tables, in one transaction; customers, colours and the titles' translation in
    ``language`` (en, ru or zh_Hans)."""
    rng = random.Random(seed)
    words = data.words(language)
    products = _products(rng, words)
    session.execute(insert(ShopProduct), [{k: v for k, v in p.items() if k != "kind"} for p in products])
    customers = [_customer(rng, words, n) for n in range(80)]
    customer_ids = session.scalars(
        insert(ShopCustomer).returning(ShopCustomer.id, sort_by_parameter_order=True), customers
    ).all()
    on_sale = [p for p in products if p["withdrawn_at"] is None]
    plan = _plan(rng, orders)
    rows, lines_of = [], []
    per_year: dict[int, int] = {}
    for n, (status, story) in enumerate(plan):
        placed = FIRST_DAY + timedelta(days=n * 1010 / len(plan), minutes=rng.randint(0, 600))
        per_year[placed.year] = per_year.get(placed.year, 0) + 1
        customer = customer_ids[(n // 2 if story == "pair" else n * 7) % len(customer_ids)]
        rows.append({
            "number": f"SH-{placed.year % 100:02d}-{per_year[placed.year]:05d}", "customer_id": customer,
            "state": status, "channel": "stock" if rng.random() < 0.15 and story == "plain" else "taobao",
            "placed_at": placed, "changed_at": placed + timedelta(hours=rng.randint(1, 200)),
        })
        picks = rng.sample(on_sale, rng.choice((1, 1, 2, 2, 3, 4)))
        if story == "withdrawn":
            picks.append(products[-1])
        lines_of.append([_line(rng, words, p, repriced=story == "repriced") for p in picks])
    ids = session.scalars(insert(ShopOrder).returning(ShopOrder.id, sort_by_parameter_order=True), rows).all()
    lines = [{**line, "order_id": order_id} for order_id, order_lines in zip(ids, lines_of) for line in order_lines]
    session.execute(insert(ShopOrderLine), lines)
    session.commit()
    # Inserted in bulk, as the shop's import does: the search's own index reads them now (where the panel
    # is mounted; otherwise its first search will).
    panel = current_app.extensions.get("order_admin") if has_app_context() else None
    if panel is not None:
        services.index_search(session, panel)
    numbers: dict[str, list[str]] = {"merge pairs": [], "restore reprices": [], "restore refused": [], "on hold": []}
    for n, (status, story) in enumerate(plan):
        if story == "pair" and n % 2 == 0:
            numbers["merge pairs"].append(f"{rows[n]['number']} → {rows[n + 1]['number']}")
        elif story == "repriced":
            numbers["restore reprices"].append(rows[n]["number"])
        elif story == "withdrawn":
            numbers["restore refused"].append(rows[n]["number"])
        elif status == ON_HOLD:
            numbers["on hold"].append(rows[n]["number"])
    return ShopSeed(orders=len(rows), lines=len(lines), numbers=numbers)


def _plan(rng: random.Random, total: int) -> list[tuple[int, str]]:
    """(status code, story) per order, oldest first: merge-ready pairs, canceled orders whose catalog price
    moved since, one with a withdrawn item, one on hold from the old system, then the usual mix."""
    plan: list[tuple[int, str]] = []
    statuses = list(STATUS_WEIGHTS)
    for n in range(total - 2 * len(MERGE_READY) - 5):
        status = statuses[n] if n < len(statuses) else rng.choices(statuses, list(STATUS_WEIGHTS.values()))[0]
        plan.append((S[status], "plain"))
    plan += [(S["canceled"], "repriced")] * 3 + [(S["canceled"], "withdrawn"), (ON_HOLD, "plain")]
    for added, basic in MERGE_READY:  # the newest orders: a buyer ordering twice
        plan += [(S[added], "pair"), (S[basic], "pair")]
    return plan


def _products(rng: random.Random, words: DemoWords) -> list[dict[str, Any]]:
    rows = []
    for n in range(40):
        kind = data.KINDS[n % len(data.KINDS)]
        listing = rng.randrange(520_000_000_000, 800_000_000_000)
        price = Decimal(rng.randint(*kind.price_range)) + Decimal(rng.choice(("0.00", "0.90", "0.50")))
        rows.append({
            "sku": f"tb-{listing}", "name": words.title(rng.choice(data.TITLE_PREFIXES), kind),
            "unit_price": price,
            "sale_price": (price * Decimal("0.85")).quantize(CENT) if rng.random() < 0.4 else None,
            "cn_shipping": Decimal(rng.choice((0, 5, 8, 12))).quantize(CENT), "withdrawn_at": None,
            "kind": kind, "url": f"https://item.taobao.com/item.htm?id={listing}",
            "photo": f"/static/photos/{n % 8 + 1}.svg",
        })
    rows[-1]["withdrawn_at"] = datetime(2026, 1, 1)
    return rows


def _customer(rng: random.Random, words: DemoWords, n: int) -> dict[str, Any]:
    name, _, phone, address = buyer_details(rng, words, n)
    return {
        # Guests (every fifth) have no loyalty card: the panel matches their orders by email.
        "code": None if n % 5 == 4 else f"C-{1000 + n}",
        "full_name": name, "email": f"customer{n:03d}@example.com", "phone": phone, "address": address,
    }


def _line(rng: random.Random, words: DemoWords, product: dict[str, Any], *, repriced: bool) -> dict[str, Any]:
    kind: Kind = product["kind"]
    colour_zh = rng.choice(data.COLORS_CN)
    size, size_zh = rng.choice(kind.sizes)
    factor = Decimal(rng.choice(("0.85", "1.10"))) if repriced else Decimal(1)
    sale = product["sale_price"]
    return {
        "sku": product["sku"], "name": product["name"], "link": product["url"], "picture": product["photo"],
        "colour": words.colors[colour_zh], "size": words.size(size), "colour_zh": colour_zh, "size_zh": size_zh,
        "qty": rng.choice((1, 1, 2, 3)), "unit_price": (product["unit_price"] * factor).quantize(CENT),
        "sale_price": None if sale is None else (sale * factor).quantize(CENT), "cn_shipping": product["cn_shipping"],
    }
