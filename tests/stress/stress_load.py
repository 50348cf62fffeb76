"""Load test: the example shop under gunicorn (4 workers) on PostgreSQL or MariaDB, many managers at once.

    .venv/bin/python tests/stress/stress_load.py --clients 20 --seconds 20   # the full form (make stress)
    .venv/bin/python tests/stress/stress_load.py --clients 8 --seconds 8     # the short form (CI)
    .venv/bin/python tests/stress/stress_load.py --server-url mysql+pymysql://root@127.0.0.1:3306/mysql  # MariaDB

It creates a throw-away database ``order_admin_stress`` (``--database`` names another), seeds the demo shop into it,
serves it with gunicorn on 127.0.0.1, and lets each client log in through /login and fire
cancel / restore / close / merge / export / comment at a shared set of orders through the
confirm screens and their forms, as a browser would. Then it stops gunicorn (also on any
failure; gunicorn also runs under ``timeout``, so it cannot outlive a killed script) and
checks, straight from the database:

- every item belongs to one existing order that is not Merged; a Merged order has no items
  and points at another order;
- the item count, quantities and money totals are those at the start (restore keeps prices:
  see ``stress_app.same_price``);
- every order's history leads from its status at the start to its status now (each new
  event starts from the status the previous one left);
- no response was a 5xx and no request failed; every refusal was a 4xx or a redirect to a
  page with a flashed error.

Exits 1 when any of these fails. Network: loopback only.
"""

from __future__ import annotations

import argparse
import html
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DATABASE = "order_admin_stress"
PASSWORD = "stress-" + secrets.token_hex(4)
CUSTOMERS = 5
BACKENDS = {"postgresql": "PostgreSQL", "mysql": "MariaDB/MySQL"}
ACTIONS = {"cancel": 4, "restore": 3, "close": 3, "merge": 4, "export": 2, "comment": 1}


# -- the database ------------------------------------------------------------------------------

def stress_url(server_url: str, database: str = DATABASE) -> str:
    return make_url(server_url).set(database=database).render_as_string(hide_password=False)


def recreate_database(server_url: str, database: str = DATABASE, drop_only: bool = False) -> None:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    postgresql = engine.dialect.name == "postgresql"
    with engine.connect() as connection:
        # PostgreSQL refuses to drop a database with sessions left over from a killed run unless forced.
        connection.execute(text(f"DROP DATABASE IF EXISTS {database}" + (" WITH (FORCE)" if postgresql else "")))
        if not drop_only:
            charset = "" if postgresql else " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            connection.execute(text(f"CREATE DATABASE {database}{charset}"))
    engine.dispose()


def seed(database_url: str, orders: int, secret_key: str) -> None:
    """The demo shop (every status, merge-ready pairs, canceled orders to restore), set-based inserts."""
    from example_app import create_app
    from example_app.models import db
    from example_app.seed import seed_demo
    from tests.stress.stress_app import stress_config

    from flask_order_admin.models import Order

    app = create_app(stress_config(database_url, secret_key, PASSWORD))
    with app.app_context():
        seed_demo(db.session, orders=orders, seed=2024)
        # Five customers share all the orders, so merges have candidates and managers collide on them.
        customer = func.concat("stress-", Order.id % CUSTOMERS)
        db.session.execute(Order.__table__.update().values(
            customer_ref=customer, buyer_email=func.concat(customer, "@example.com"),
            buyer_email_key=func.concat(customer, "@example.com")))
        db.session.commit()
        db.engine.dispose()


@dataclass(frozen=True)
class Snapshot:
    items: tuple[int, int, Decimal, Decimal, Decimal]  # count, quantity, price, unit price, china delivery
    statuses: dict[int, str]
    last_event_id: int


def snapshot(engine: Any) -> Snapshot:
    from flask_order_admin.models import Order, OrderEvent, OrderItem

    unit = func.coalesce(OrderItem.discount_price, OrderItem.price)
    with engine.connect() as connection:
        count, quantity, goods, charged, delivery = connection.execute(select(
            func.count(OrderItem.id), func.sum(OrderItem.quantity), func.sum(OrderItem.price * OrderItem.quantity),
            func.sum(unit * OrderItem.quantity), func.sum(OrderItem.china_delivery * OrderItem.quantity),
        )).one()
        statuses = dict(connection.execute(select(Order.id, Order.status)).all())
        last = connection.scalar(select(func.coalesce(func.max(OrderEvent.id), 0)))
    return Snapshot((count, quantity, goods, charged, delivery), {k: str(v) for k, v in statuses.items()}, last)


def broken_invariants(engine: Any, start: Snapshot) -> list[str]:
    from flask_order_admin.models import Order, OrderEvent, OrderItem

    problems: list[str] = []
    end = snapshot(engine)
    if end.items != start.items:
        problems.append(f"items (count, quantity, price, charged, delivery) {start.items} became {end.items}")
    with engine.connect() as connection:
        orders = {row.id: row for row in connection.execute(select(Order.id, Order.status, Order.merged_into_id))}
        for item_id, order_id in connection.execute(select(OrderItem.id, OrderItem.order_id)):
            if order_id not in orders:
                problems.append(f"item {item_id} belongs to no order ({order_id})")
            elif str(orders[order_id].status) == "merged":
                problems.append(f"item {item_id} is left in merged order {order_id}")
        for order in orders.values():
            if str(order.status) == "merged" and order.merged_into_id not in orders:
                problems.append(f"merged order {order.id} points at no order")
        events = connection.execute(
            select(OrderEvent.order_id, OrderEvent.from_status, OrderEvent.to_status)
            .where(OrderEvent.id > start.last_event_id, OrderEvent.to_status.isnot(None))
            .order_by(OrderEvent.id)
        ).all()
    status = dict(start.statuses)
    for order_id, from_status, to_status in events:
        if from_status != status[order_id]:
            problems.append(f"order {order_id}: an event goes {from_status}→{to_status}, but it was {status[order_id]}")
        status[order_id] = to_status
    for order_id, now in end.statuses.items():
        if status.get(order_id) != now:
            problems.append(f"order {order_id} is {now}, its history leads to {status.get(order_id)}")
    return problems


# -- gunicorn --------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workers: int, lifetime: int, env: dict[str, str]) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        # timeout bounds its life even if this script is killed before it can stop it.
        "timeout", "--kill-after=10", str(lifetime), str(gunicorn), "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--graceful-timeout", "5", "--pythonpath", str(ROOT),
        "--log-level", "warning", "tests.stress.stress_app:create_app()",
    ]
    # A process group of its own: stop_gunicorn ends it and its workers, and nothing else.
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until_serving(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode} before serving")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within a minute")


# -- the clients ---------------------------------------------------------------------------

class Unexplained(Exception):
    """A response that is neither a success nor a refusal that says why."""


@dataclass
class Tally:
    requests: int = 0
    successes: Counter = field(default_factory=Counter)
    refusals: Counter = field(default_factory=Counter)
    late: Counter = field(default_factory=Counter)  # refused only at the POST: another manager got there first
    errors: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **kwargs: Any) -> None:
        with self.lock:
            for name, value in kwargs.items():
                if name == "error":
                    self.errors.append(value)
                else:
                    getattr(self, name)[value] += 1


INPUT = re.compile(r"<input[^>]*>")
ATTRIBUTE = re.compile(r'([a-z_-]+)="([^"]*)"')


def form_fields(page: str, form_id: str) -> dict[str, str] | None:
    """The hidden inputs of ``<form id=form_id>``, as a browser posts them; None without that form."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', page, re.S)
    if form is None:
        return None
    fields = {}
    for tag in INPUT.findall(form.group(0)):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


class Manager:
    """One browser: its own cookies; every request counted, every 5xx an error."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally, self.cookies = port, tally, SimpleCookie()

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request; redirects are not followed here."""
        body = urlencode(form) if form is not None else None
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(cookie)
        finally:
            connection.close()
        self.tally.add(statuses=response.status)
        with self.tally.lock:
            self.tally.requests += 1
        if response.status >= 500:
            raise Unexplained(f"{method} {path} → {response.status}")
        kind = response.headers.get("Content-Type", "")
        text = data.decode("utf-8", "replace") if kind.startswith("text/") else kind
        return response.status, response.headers.get("Location", ""), text

    def follow(self, location: str) -> str:
        """The page a redirect leads to: 'success' or 'refusal' by its flashed message."""
        target = urlsplit(location)
        assert not target.netloc or target.netloc == f"127.0.0.1:{self.port}", f"off-site redirect {location}"
        status, _, page = self.request("GET", target.path + (f"?{target.query}" if target.query else ""))
        if status != 200:
            raise Unexplained(f"a redirect led to {location} → {status}")
        if "alert-danger" in page:
            return "refusal"
        if "alert-success" in page:
            return "success"
        raise Unexplained(f"redirected to {location} with no message")

    def answered(self, status: int, location: str) -> str:
        if status in (301, 302, 303):
            return self.follow(location)
        if 400 <= status < 500:
            return "refusal"
        raise Unexplained(f"answer {status}")

    def log_in(self, password: str) -> None:
        _, _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
        if token is None:
            token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
        assert token, "no CSRF token on the login form"
        status, location, _ = self.request(
            "POST", "/login", {"csrf_token": token.group(1), "username": "admin", "password": password})
        if status != 302 or "/login" in location:
            raise SystemExit(f"login failed: {status} {location}")

    # Each action: the screens a manager goes through; returns "success" or "refusal".

    def confirm_and_post(self, order_id: int, action: str, args: dict[str, Any]) -> str:
        status, location, page = self.request("GET", f"/admin/orders/{order_id}/confirm/{action}/?{urlencode(args)}")
        if status != 200:
            return self.answered(status, location)
        fields = form_fields(page, "confirm-form")
        if fields is None:
            raise Unexplained(f"no confirm form for {action} of {order_id}")
        if action == "cancel":
            fields["reason"] = "load test"
        status, location, _ = self.request("POST", f"/admin/orders/{order_id}/{action}/", fields)
        outcome = self.answered(status, location)
        if outcome == "refusal":
            self.tally.add(late=action)
        return outcome

    def merge(self, order_id: int, rng: random.Random) -> str:
        status, location, page = self.request("GET", f"/admin/orders/{order_id}/merge-candidates/")
        if status != 200:
            return self.answered(status, location)
        candidates = re.findall(r'name="into" value="(\d+)"', page)
        if not candidates:
            if 'id="merge-none"' not in page:
                raise Unexplained(f"merge view of {order_id} offers nothing and says nothing")
            return "refusal"
        hidden = form_fields(page, "merge-form") or {}
        return self.confirm_and_post(order_id, "merge", {**hidden, "into": rng.choice(candidates)})

    def export(self, order_id: int) -> str:
        status, location, kind = self.request("GET", f"/admin/orders/{order_id}/export/")
        if status == 200 and kind.startswith("application/vnd.ms-excel"):
            return "success"
        return self.answered(status, location)

    def comment(self, order_id: int) -> str:
        status, location, page = self.request("GET", f"/admin/orders/details/?id={order_id}")
        if status != 200:
            return self.answered(status, location)
        fields = form_fields(page, "comment-form")
        if fields is None:
            return "refusal"  # the order page says why notes are closed for this order
        fields["text"] = "checked under load"
        status, location, _ = self.request("POST", f"/admin/orders/{order_id}/comment/", fields)
        return self.answered(status, location)

    def act(self, action: str, order_id: int, rng: random.Random) -> str:
        if action == "merge":
            return self.merge(order_id, rng)
        if action == "export":
            return self.export(order_id)
        if action == "comment":
            return self.comment(order_id)
        return self.confirm_and_post(order_id, action, {})


def run_client(index: int, port: int, order_ids: list[int], deadline: float, tally: Tally) -> None:
    rng = random.Random(index)
    manager = Manager(port, tally)
    try:
        manager.log_in(PASSWORD)
    except Exception as exc:  # counted: the run then fails
        tally.add(error=f"client {index} could not log in: {exc!r}")
        return
    actions, weights = list(ACTIONS), list(ACTIONS.values())
    while time.monotonic() < deadline:
        action, order_id = rng.choices(actions, weights)[0], rng.choice(order_ids)
        try:
            outcome = manager.act(action, order_id, rng)
        except Exception as exc:  # every failure is reported at the end
            tally.add(error=f"{action} {order_id}: {exc!r}")
            continue
        tally.add(**({"successes": action} if outcome == "success" else {"refusals": action}))


# -- the run ---------------------------------------------------------------------------------

def _database_name(value: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", value):
        raise argparse.ArgumentTypeError("lower-case letters, digits and _, at most 63")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--orders", type=int, default=60, help="orders seeded and shared by every client")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-url", default=os.environ.get("STRESS_SERVER_URL", DEFAULT_SERVER_URL),
                        help="a PostgreSQL or MariaDB URL of the server (its database is used only to create and drop "
                             "the throw-away one)")
    parser.add_argument("--database", default=DATABASE, type=_database_name,
                        help="name of the throw-away database (another one for runs side by side on one server)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards, to look at it")
    args = parser.parse_args()
    if not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        parser.error("--clients 1..200 and --seconds up to 600")

    # Killed from outside (a CI time limit): still stop gunicorn and drop the database on the way out.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    database_url = stress_url(args.server_url, args.database)
    secret_key = secrets.token_hex(32)
    recreate_database(args.server_url, args.database)
    engine = create_engine(database_url)
    process = None
    try:
        seed(database_url, args.orders, secret_key)
        start = snapshot(engine)
        port = free_port()
        process = start_gunicorn(port, args.workers, int(args.seconds) + 180, {
            "STRESS_DATABASE_URL": database_url, "STRESS_SECRET_KEY": secret_key, "STRESS_ADMIN_PASSWORD": PASSWORD,
        })
        wait_until_serving(port, process)
        tally = Tally()
        order_ids = sorted(start.statuses)
        began = time.monotonic()
        deadline = began + args.seconds
        threads = [threading.Thread(target=run_client, args=(i, port, order_ids, deadline, tally), daemon=True)
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - began
        stuck = sum(thread.is_alive() for thread in threads)
        stop_gunicorn(process)
        problems = broken_invariants(engine, start)
    finally:
        if process is not None:
            stop_gunicorn(process)
        engine.dispose()
        if not args.keep:
            recreate_database(args.server_url, args.database, drop_only=True)

    report(args, tally, elapsed, start, problems, stuck, BACKENDS.get(make_url(database_url).get_backend_name(), "?"))
    return 1 if problems or tally.errors or stuck or tally.requests == 0 else 0


def report(args: Any, tally: Tally, elapsed: float, start: Snapshot, problems: list[str], stuck: int,
           backend: str) -> None:
    print(f"load: {args.clients} clients × {args.seconds:g} s against gunicorn ({args.workers} workers), "
          f"{backend}, {len(start.statuses)} orders, {start.items[0]} items")
    print(f"requests served: {tally.requests} in {elapsed:.1f} s ({tally.requests / elapsed:.0f}/s); "
          f"HTTP statuses: {dict(sorted(tally.statuses.items()))}")
    print(f"actions done: {sum(tally.successes.values())} {dict(sorted(tally.successes.items()))}")
    print(f"refusals (4xx or a flashed reason): {sum(tally.refusals.values())} {dict(sorted(tally.refusals.items()))}")
    print(f"  of which refused at the POST, after the confirm screen (a race lost): "
          f"{sum(tally.late.values())} {dict(sorted(tally.late.items()))}")
    print(f"errors (5xx, failed requests, unexplained answers): {len(tally.errors)}")
    for error in tally.errors[:20]:
        print(f"  {error}")
    if stuck:
        print(f"clients still running at the end: {stuck}")
    print("invariants: " + ("all held" if not problems else f"{len(problems)} BROKEN"))
    for problem in problems[:20]:
        print(f"  {problem}")


if __name__ == "__main__":
    sys.exit(main())
