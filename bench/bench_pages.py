"""The panel's pages, timed through Flask's test client, side by side with stock Flask-Admin.

One host app per database and model set (the plugin plus three stock ``ModelView``s on the same tables: the
plugin's own, the legacy shop's ``ShopOrder``/``ShopOrderLine``, then the trial shop's, bench/trial_shop.py), each
figure a ratio of two medians measured in the same run (samples alternating):

* the orders list page on the big database ÷ the same page on 1,000 orders;
* the orders list page (without its status pills) ÷ a stock ``ModelView(Order)`` list of the same page size;
* the items tab (without its status pills) ÷ a stock ``ModelView`` of the lines, 50 a page, newest first;
* the order page of a 1,000-item order ÷ a stock ``ModelView(OrderItem)`` listing the same
  1,000 items (page_size 1000, filtered to that order);
* SQL statements of the order page with 1,000 items ÷ with 10 items (goal: equal);
* SQL statements of the status pills' counts on the orders list page (goal: one for every status);
* the orders list page with its status pills (every count exact within the default budget) ÷ the same
  page without them (issue 21: ≤ 1.5).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench_models import MAX_ITEMS, PAGE_MODEL_SETS, TRIAL_MAX_ITEMS, BenchModels
from bench_services import BIG_FULL, BIG_QUICK, SMALL, Case, compare, database, result
from flask import Flask
from flask_babel import Babel
from flask.testing import FlaskClient
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import IntEqualFilter
from flask_admin.theme import Bootstrap4Theme
from flask_login import LoginManager, UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event

from flask_order_admin import OrderAdmin
from flask_order_admin.views.list_view import OrderListView

PAGE_SIZE = 50  # the orders list's default page size
BIG_ORDER_ITEMS = 1_000
SMALL_ORDER_ITEMS = 10


class Manager(UserMixin):
    def __init__(self, username: str) -> None:
        self.id = username


class StockOrders(ModelView):
    page_size = PAGE_SIZE


class StockOrderItems(ModelView):
    """Stock Flask-Admin, with only what the comparison needs: 1,000 rows a page, a filter by order."""

    page_size = 1000
    named_filter_urls = True

    def __init__(self, line: Any, order_id: Any, *args: Any, **kwargs: Any) -> None:
        self.column_filters = [IntEqualFilter(order_id, "Order")]
        super().__init__(line, *args, **kwargs)


class StockLines(ModelView):
    """Stock Flask-Admin's list of the lines, as the items tab shows them: 50 a page, newest first."""

    page_size = PAGE_SIZE
    column_default_sort = ("id", True)


@contextmanager
def host(models: BenchModels, engine: Engine) -> Iterator[tuple[FlaskClient, StockOrderItems]]:
    """A host app on ``engine``'s database (tables already there): the plugin and the stock views, over the
    model set's classes."""
    app = Flask("order_admin_bench_host")
    Babel(app)  # Flask-Admin's own pages need it once Flask-Babel is installed
    app.config.update(SQLALCHEMY_DATABASE_URI=engine.url.render_as_string(hide_password=False),
                      SECRET_KEY="bench", WTF_CSRF_ENABLED=False)
    binding = models.binding
    db, order_models = models.flask_db() or SQLAlchemy(), models.order_models()
    db.init_app(app)
    LoginManager(app).user_loader(Manager)
    admin = Admin(app, name="Shop", theme=Bootstrap4Theme())
    OrderAdmin(app, admin=admin, db=db, models=order_models)
    stock_items = StockOrderItems(binding.line, binding.line_order_id, db, endpoint="stock_items",
                                  url="/admin/stock-items")
    admin.add_view(StockOrders(binding.order, db, endpoint="stock_orders", url="/admin/stock-orders"))
    admin.add_view(stock_items)
    admin.add_view(StockLines(binding.line, db, endpoint="stock_lines", url="/admin/stock-lines"))
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = "bench"
        flask_session["_fresh"] = True
    # No app context held here: each request has its own, and its own session, as in production.
    try:
        yield client, stock_items
    finally:
        with app.app_context():
            db.engine.dispose()


def page(client: FlaskClient, url: str) -> Case:
    def get() -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return Case(get)


def without_pills(case: Case) -> Case:
    """``case`` with the lists' status pills switched off (no count, nothing shown) while it runs."""
    def op() -> None:
        kept = OrderListView.status_pills
        OrderListView.status_pills = lambda view, filters, search=None: []
        try:
            case.op()
        finally:
            OrderListView.status_pills = kept

    return Case(op)


def vacuumed(engine: Engine, models: BenchModels) -> None:
    """On PostgreSQL, the tables as autovacuum leaves a live shop's: the visibility map set, so the status
    pills' grouped count reads the status index alone (right after the bulk seeding it reads every heap page)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in models.metadata().sorted_tables:
            if table.name in (models.binding.order.__tablename__, models.binding.line.__tablename__):
                connection.exec_driver_sql(f"VACUUM ANALYZE {table.name}")


def stock_items_url(view: StockOrderItems, order_id: int) -> str:
    return f"/admin/stock-items/?flt0_{view.get_filter_arg(0, view._filters[0])}={order_id}"


def statements(engine: Engine, run: Callable[[], Any]) -> list[str]:
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def is_status_counts(statement: str) -> bool:
    """The status pills' statement: one grouped count for every status, or (a list with no other filter)
    each status counted on its own in one statement; not their estimate (an EXPLAIN, or the statistics)."""
    lowered = statement.lower()
    return "count(*)" in lowered and not lowered.startswith("explain") and (
        "group by" in lowered or lowered.startswith("select (select count(*)"))


def run(quick: bool) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for models in PAGE_MODEL_SETS:
        results += run_on(models, quick)
    return results


def run_on(models: BenchModels, quick: bool) -> list[dict[str, Any]]:
    samples = 9 if quick else 21
    big = models.big(quick) or (BIG_QUICK if quick else BIG_FULL)
    with database(models, SMALL, "_small") as (small_engine, _), database(models, big) as (engine, seconds):
        big_order = models.make_order(engine, BIG_ORDER_ITEMS, "processing", "bench-page")
        small_order = models.make_order(engine, SMALL_ORDER_ITEMS, "processing", "bench-page")
        dialect = engine.dialect.name
        vacuumed(engine, models)
        with host(models, small_engine) as (small_client, _), host(models, engine) as (client, stock_items):
            orders = compare(page(client, "/admin/orders/"), page(small_client, "/admin/orders/"), samples=samples)
            # The list's own cost beside Flask-Admin's: the pills, which a stock list has not, have their figure.
            stock = compare(without_pills(page(client, "/admin/orders/")), page(client, "/admin/stock-orders/"),
                            samples=samples)
            pills = compare(page(client, "/admin/orders/"), without_pills(page(client, "/admin/orders/")),
                            samples=samples)
            # The items tab beside stock Flask-Admin's list of the same lines, 50 a page, newest first (no pills:
            # they have their own figure, as for the orders list).
            lines = compare(without_pills(page(client, "/admin/orders/items/")), page(client, "/admin/stock-lines/"),
                            samples=samples)
            order_page = f"/admin/orders/details/?id={big_order}"
            items = compare(page(client, order_page), page(client, stock_items_url(stock_items, big_order)),
                            samples=samples)
            with client.application.app_context():
                db_engine = client.application.extensions["sqlalchemy"].engine
            many = len(statements(db_engine, lambda: client.get(order_page)))
            few = len(statements(db_engine, lambda: client.get(f"/admin/orders/details/?id={small_order}")))
            listed = statements(db_engine, lambda: client.get("/admin/orders/"))
            counts = sum(map(is_status_counts, listed))
            shown_pills = client.get("/admin/orders/").text.count('data-status="') - 1  # less "All statuses"
            estimated = client.get("/admin/orders/").text.count("data-estimated")
    most = TRIAL_MAX_ITEMS if models.name == "trial" else MAX_ITEMS
    where = f"{dialect}; {big:,} orders with 1–{most} items seeded in {seconds:.1f} s"
    tables, order_class, line_class = f"[{models.label}] ", models.binding.order.__name__, models.binding.line.__name__
    return [
        result(f"{tables}orders list page: {big:,} ÷ {SMALL:,} orders", *orders, 2.0, where),
        result(f"{tables}orders list page without its status pills ÷ stock ModelView({order_class}) list, "
               f"{PAGE_SIZE} a page ({big:,} orders)",
               *stock, 1.2, where),
        result(f"{tables}items tab without its status pills ÷ stock ModelView({line_class}) list, {PAGE_SIZE} a page, "
               f"newest first ({big:,} orders)", *lines, 1.5, where),
        result(f"{tables}orders list page with the status pills ÷ without them ({big:,} orders)", *pills, 1.5,
               f"{where}; {shown_pills} pills, {estimated} of them estimated (≈)"),
        result(f"{tables}order page, {BIG_ORDER_ITEMS:,} items ÷ stock ModelView({line_class}) listing them "
               "(page_size 1000)", *items, 1.0, dialect),
        {"name": f"{tables}order page SQL statements: {BIG_ORDER_ITEMS:,} ÷ {SMALL_ORDER_ITEMS} items",
         "value": many, "baseline": few, "ratio": many / few, "goal": 1.0, "unit": "statements", "exact": True,
         "ok": many == few, "detail": f"{many} vs {few}"},
        {"name": f"{tables}orders list page: SQL statements of the status counts (every status)",
         "value": counts, "baseline": None, "ratio": counts, "goal": 1.0, "unit": "statements", "exact": True,
         "ok": counts == 1, "detail": f"{len(listed)} statements for the whole page ({big:,} orders)"},
    ]
