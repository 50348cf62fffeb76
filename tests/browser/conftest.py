"""Browser tests: the example shop served on 127.0.0.1, driven by Playwright with Debian's Chromium.

One server and one browser per test session; each test gets a fresh, logged-in
browser context. Skipped where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "browser-test-password"
VIEWPORT = {"width": 1366, "height": 900}


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The example app on a temp SQLite file, seeded with the demo catalog and orders."""
    from example_app import create_app
    from example_app.models import db
    from example_app.seed import seed_demo

    database = tmp_path_factory.mktemp("browser") / "shop.sqlite"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "DEMO_ADMIN_PASSWORD": PASSWORD,
        "SECRET_KEY": "browser-tests",
    })
    with app.app_context():
        seed_demo(db.session, orders=40)
    yield app


@pytest.fixture(scope="session")
def base_url(shop: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, shop, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="order-admin-browser-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed; the browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield chromium
        chromium.close()


def log_in(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base_url}/admin/**")


@pytest.fixture(scope="session")
def logged_in_state(browser: Any, base_url: str) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    log_in(page, base_url)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def page(browser: Any, base_url: str, logged_in_state: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, storage_state=logged_in_state, accept_downloads=True)
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def db_session(shop: Any) -> Iterator[Any]:
    """The shop's database session, in an app context of its own (the server's threads have theirs)."""
    from example_app.models import db

    with shop.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture
def new_order(db_session: Any) -> Callable[..., Any]:
    """An order whose lines are catalog products (so Restore can price them); returns its id."""
    from example_app.models import Product

    from flask_order_admin.models import Order, OrderItem

    def make(status: str = "processing", *, lines: int = 2, customer_ref: str = "browser-buyer",
             provider: str = "taobao", titles: list[str] | None = None) -> int:
        products = db_session.scalars(
            select(Product).where(Product.provider == provider, Product.sold_until.is_(None)).limit(lines)
        ).all()
        order = Order(status=status, provider=provider, customer_ref=customer_ref, buyer_name="Zhou Min 周敏",
                      buyer_email="zhou.min@example.com", buyer_phone="+86 139 1234 5678",
                      buyer_address="Flat 3, 88 Huaihai Rd, Shanghai 200031")
        for n, product in enumerate(products):
            order.items.append(OrderItem(
                provider_item_id=product.sku, title=(titles or [])[n] if titles and n < len(titles) else product.title,
                url=product.url, photo_url=product.photo_url, color="Black", size="L", color_cn="黑色",
                size_cn="大码", quantity=n + 1, price=product.price + Decimal("3.00"),
                discount_price=product.discount_price, china_delivery=product.china_delivery,
            ))
        db_session.add(order)
        db_session.commit()
        return order.id

    return make


@pytest.fixture
def order_status(db_session: Any) -> Callable[[int], str]:
    from flask_order_admin.models import Order

    def status(order_id: int) -> str:
        db_session.expire_all()
        value = db_session.get(Order, order_id).status
        db_session.rollback()
        return str(value)

    return status
