"""The demo shop's data (``flask --app example_app seed-demo``): the same for the same seed.

Rows go in with set-based INSERTs (one executemany per table), so a few hundred
orders take well under a second on every database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, insert
from sqlalchemy.orm import Session

from flask_order_admin import services
from flask_order_admin.domain import OrderStatus as S
from flask_order_admin.domain.merge import normalize_email
from flask_order_admin.models import Order, OrderEvent, OrderItem, utcnow

from . import seed_data as data
from .models import Product

MIN_ORDERS = 40
CENT = Decimal("0.01")
# (added, basic) status pairs the default merge matrix allows: ready-made Merge demos.
MERGE_READY_PAIRS = (
    (S.AWAITING_PAYMENT, S.AWAITING_PAYMENT), (S.AWAITING_ADDITIONAL_PAYMENT, S.AWAITING_PAYMENT),
    (S.ADDITIONAL_ORDER, S.PROCESSING_AT_WAREHOUSE), (S.PROCESSING_AT_WAREHOUSE, S.READY_FOR_PACKING),
    (S.READY_TO_SHIP, S.READY_FOR_PACKING), (S.AWAITING_PAYMENT, S.READY_TO_SHIP),
)
STATUS_WEIGHTS = {
    S.AWAITING_PAYMENT: 14, S.AWAITING_ADDITIONAL_PAYMENT: 5, S.PROCESSING: 12, S.ADDITIONAL_ORDER: 5,
    S.PROCESSING_AT_WAREHOUSE: 10, S.AWAITING_PACKING_CONFIRMATION: 5, S.READY_FOR_PACKING: 6,
    S.READY_TO_SHIP: 6, S.SHIPPED: 12, S.COMPLETED: 18, S.CANCELED: 7,
}


@dataclass(frozen=True)
class Buyer:
    ref: str | None
    name: str
    email: str
    phone: str
    address: str


@dataclass
class Planned:
    buyer: Buyer
    provider: str
    status: S
    created_at: datetime
    lines: list[dict[str, Any]]
    changed_at: datetime
    story: str = "plain"  # which history to write: plain, canceled, completed, restored, merged
    merged_into: Planned | None = None
    id: int = 0


@dataclass
class SeedSummary:
    orders: int = 0
    items: int = 0
    events: int = 0
    repriced_on_restore: list[int] = field(default_factory=list)
    withdrawn: list[int] = field(default_factory=list)
    merge_pairs: list[tuple[int, int]] = field(default_factory=list)


class DemoSeeder:
    def __init__(self, seed: int, photo_base: str = "", language: str = "en") -> None:
        self.rng = random.Random(seed)
        self.words = data.words(language)
        self.now = utcnow().replace(microsecond=0)
        self.photo_base = photo_base.rstrip("/")
        self.products = self._products()
        self.withdrawn = self.products[-1]  # sold_until is set on it below
        self.on_sale = {p: [r for r in self.products[:-1] if r["provider"] == p] for p in ("taobao", "stock")}
        self.buyers = [self._buyer(n) for n in range(140)]

    # -- the catalog and the buyers -------------------------------------------------------
    def _products(self) -> list[dict[str, Any]]:
        rng, rows = self.rng, []
        for n in range(72):
            kind = data.KINDS[n % len(data.KINDS)]
            listing = rng.randrange(520_000_000_000, 800_000_000_000)
            provider = "stock" if n % 6 == 5 else "taobao"
            price = Decimal(rng.randint(*kind.price_range)) + Decimal(rng.choice(("0.00", "0.90", "0.99", "0.50")))
            host = "detail.tmall.com" if n % 4 == 0 else "item.taobao.com"
            rows.append({
                "sku": f"tb-{listing}" if provider == "taobao" else f"stock-{n:04d}",
                "provider": provider,
                "title": self.words.title(rng.choice(data.TITLE_PREFIXES), kind),
                "url": f"https://{host}/item.htm?id={listing}",
                "photo_url": f"{self.photo_base}/static/photos/{n % 8 + 1}.svg",
                "price": price,
                "discount_price": (price * Decimal("0.85")).quantize(CENT) if rng.random() < 0.4 else None,
                "china_delivery": Decimal(rng.choice((0, 5, 6, 8, 10, 12))).quantize(CENT),
                "sold_until": None,
                "kind": kind,
            })
        rows[-1]["sold_until"] = self.now - timedelta(days=10)
        return rows

    def _buyer(self, n: int) -> Buyer:
        name, email, phone, address = buyer_details(self.rng, self.words, n)
        # One buyer in five checked out as a guest: no customer ref, matched by email.
        ref = None if n % 5 == 4 else f"cust-{n + 1:05d}"
        return Buyer(ref, name, email, phone, address)

    # -- the orders ---------------------------------------------------------------------
    def _lines(self, provider: str, count: int, repriced: bool = False) -> list[dict[str, Any]]:
        lines = []
        for product in self.rng.sample(self.on_sale[provider], count):
            lines.append(self._line(product, repriced))
        return lines

    def _line(self, product: dict[str, Any], repriced: bool = False) -> dict[str, Any]:
        rng = self.rng
        color_cn = rng.choice(data.COLORS_CN)
        size, size_cn = rng.choice(product["kind"].sizes)
        # An order canceled a while ago kept the prices of its day: the catalog has moved since.
        factor = Decimal(rng.choice(("0.85", "0.90", "1.10"))) if repriced else Decimal(1)
        discount = product["discount_price"]
        return {
            "provider_item_id": product["sku"], "title": product["title"], "url": product["url"],
            "photo_url": product["photo_url"], "color": self.words.colors[color_cn], "size": self.words.size(size),
            "color_cn": color_cn,
            "size_cn": size_cn, "quantity": rng.choice((1, 1, 1, 2, 2, 3, 5)),
            "price": (product["price"] * factor).quantize(CENT),
            "discount_price": None if discount is None else (discount * factor).quantize(CENT),
            "china_delivery": product["china_delivery"],
        }

    def _order(self, buyer: Buyer, provider: str, status: S, *, story: str = "plain",
               lines: list[dict[str, Any]] | None = None) -> Planned:
        created = self.now - timedelta(minutes=self.rng.randint(60, 150 * 24 * 60))
        count = self.rng.choice((1, 1, 2, 2, 3, 3, 4, 6))
        if lines is None:
            lines = self._lines(provider, min(count, len(self.on_sale[provider])))
        changed = min(created + timedelta(hours=self.rng.randint(0, 14 * 24)), self.now)
        return Planned(buyer, provider, status, created, lines, changed, story)

    def plan(self, total: int) -> tuple[list[Planned], dict[str, list[Any]]]:
        rng = self.rng
        special: dict[str, list[Any]] = {"pairs": [], "repriced": [], "withdrawn": []}
        orders: list[Planned] = []
        for n, (added_status, basic_status) in enumerate(MERGE_READY_PAIRS):
            buyer, provider = rng.choice(self.buyers), "stock" if n % 3 == 2 else "taobao"
            pair = (self._order(buyer, provider, added_status), self._order(buyer, provider, basic_status))
            special["pairs"].append(pair)
            orders += pair
        for _ in range(4):  # merges already made: the added order points at its basic one
            buyer = rng.choice(self.buyers)
            basic = self._order(buyer, "taobao", S.AWAITING_PAYMENT, story="merged")
            added = self._order(buyer, "taobao", S.MERGED, story="merged")
            added.merged_into = basic
            orders += [basic, added]
        for _ in range(6):
            order = self._order(rng.choice(self.buyers), "taobao", S.CANCELED, story="canceled",
                                lines=self._lines("taobao", rng.randint(1, 4), repriced=True))
            special["repriced"].append(order)
            orders.append(order)
        gone = self._order(rng.choice(self.buyers), "taobao", S.CANCELED, story="canceled",
                           lines=self._lines("taobao", 2) + [self._line(self.withdrawn)])
        special["withdrawn"].append(gone)
        orders.append(gone)
        # Every other status at least once, then the usual mix.
        statuses = list(STATUS_WEIGHTS)
        for n in range(total - len(orders)):
            status = statuses[n] if n < len(statuses) else rng.choices(statuses, list(STATUS_WEIGHTS.values()))[0]
            story = {S.CANCELED: "canceled", S.COMPLETED: "completed"}.get(status, "plain")
            if status == S.AWAITING_PAYMENT and rng.random() < 0.1:
                story = "restored"
            provider = "stock" if rng.random() < 0.2 else "taobao"
            orders.append(self._order(rng.choice(self.buyers), provider, status, story=story))
        orders.sort(key=lambda o: o.created_at)  # ids follow the order dates, as in a real shop
        return orders, special

    # -- the history --------------------------------------------------------------------
    def events(self, order: Planned, number: Any) -> list[dict[str, Any]]:
        rng = self.rng
        # A merge happens after both orders exist.
        at = max(order.created_at, order.merged_into.created_at) if order.merged_into else order.created_at
        rows: list[dict[str, Any]] = []

        def add(action: str, from_status: S | None = None, to_status: S | None = None, **details: Any) -> None:
            nonlocal at
            at = min(at + timedelta(minutes=rng.randint(20, 4 * 24 * 60)), self.now)
            rows.append({"order_id": order.id, "at": at, "actor": rng.choice(data.MANAGERS), "action": action,
                         "from_status": from_status and str(from_status), "to_status": to_status and str(to_status),
                         "details": details})

        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            add("comment", text=rng.choice(self.words.comments))
        if order.story == "canceled":
            add("cancel", rng.choice((S.AWAITING_PAYMENT, S.PROCESSING)), S.CANCELED,
                **({"reason": rng.choice(self.words.cancel_reasons)} if rng.random() < 0.7 else {}))
        elif order.story == "completed":
            add("close", S.SHIPPED, S.COMPLETED)
        elif order.story == "restored":
            add("cancel", S.AWAITING_PAYMENT, S.CANCELED)
            add("restore", S.CANCELED, S.AWAITING_PAYMENT, priced_at=at.isoformat(timespec="seconds"),
                items=len(order.lines), price_changes=[])
        elif order.story == "merged" and order.merged_into is not None:
            basic = order.merged_into
            moved = {"lines": len(order.lines), "quantity": sum(line["quantity"] for line in order.lines)}
            add("merge", S.AWAITING_PAYMENT, S.MERGED, role="added", moved=moved, into_id=basic.id,
                into_number=number(basic.id))
            rows.append({**rows[-1], "order_id": basic.id, "from_status": str(S.AWAITING_PAYMENT),
                         "to_status": str(S.AWAITING_PAYMENT),
                         "details": {"role": "basic", "moved": moved, "from_id": order.id,
                                     "from_number": number(order.id)}})
        return rows


def seed_demo(session: Session, *, orders: int = 400, seed: int = 2024, photo_base: str = "",
              language: str = "en") -> SeedSummary:
    """Fill empty shop tables with a demo catalog and ``orders`` orders, in one transaction; what the shop
    writes (buyers, colours, comments, reasons) is in ``language`` (en, ru or zh_Hans)."""
    seeder = DemoSeeder(seed, photo_base, language)
    planned, special = seeder.plan(orders)
    session.execute(insert(Product), [{k: v for k, v in p.items() if k != "kind"} for p in seeder.products])
    order_rows = [_order_row(o) for o in planned]
    ids = session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), order_rows).all()
    for order, order_id in zip(planned, ids, strict=True):
        order.id = order_id
    merged = [{"oid": o.id, "into": o.merged_into.id} for o in planned if o.merged_into is not None]
    table = Order.__table__
    session.execute(table.update().where(table.c.id == bindparam("oid")).values(merged_into_id=bindparam("into")),
                    merged)
    items = [
        {**line, "order_id": (o.merged_into or o).id, "origin_order_id": o.id}
        for o in planned for line in o.lines
    ]
    session.execute(insert(OrderItem), items)
    number = current_app.extensions["order_admin"].settings.number_format.format
    events = [event for o in planned for event in seeder.events(o, number)]
    session.execute(insert(OrderEvent), events)
    session.commit()
    # Inserted in bulk, as a shop's import would: the search's own index reads them now (the first search
    # would; flask order-admin index-search does the same).
    services.index_search(session, current_app.extensions["order_admin"])
    return SeedSummary(
        orders=len(planned), items=len(items), events=len(events),
        repriced_on_restore=[o.id for o in special["repriced"]],
        withdrawn=[o.id for o in special["withdrawn"]],
        merge_pairs=[(added.id, basic.id) for added, basic in special["pairs"]],
    )


def _order_row(order: Planned) -> dict[str, Any]:
    buyer = order.buyer
    # Guests type their email as they like; the plugin matches it ignoring case.
    email = buyer.email.capitalize() if buyer.ref is None and len(order.lines) % 2 else buyer.email
    return {
        "provider": order.provider, "status": order.status, "customer_ref": buyer.ref,
        # A set-based INSERT skips the model's validators: the email's key (the "same buyer" lookup of a
        # merge) is written here; the search reads names and phones into its own index.
        "buyer_name": buyer.name, "buyer_email": email,
        "buyer_email_key": normalize_email(email), "buyer_phone": buyer.phone,
        "buyer_address": buyer.address, "created_at": order.created_at,
        "updated_at": order.changed_at, "status_changed_at": order.changed_at, "currency": "CNY", "version": 1,
    }


def buyer_details(rng: random.Random, words: data.DemoWords, n: int) -> tuple[str, str, str, str]:
    """Buyer ``n``'s name, email, phone and address, as buyers of the demo's language look."""
    group = words.buyer_groups[n % len(words.buyer_groups)]
    name = rng.choice(group.names)
    return name, group.email(name, n), group.phone(rng), group.address(rng)
