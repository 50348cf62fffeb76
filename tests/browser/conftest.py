"""Browser tests: the example shop served on 127.0.0.1, driven by Playwright with Debian's Chromium.

One server and one browser per test session; each test gets a fresh, logged-in
browser context. Skipped where /usr/bin/chromium is missing.
"""

from __future__ import annotations

import itertools
import random
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
    """An order whose lines are catalog products (so Restore can price them); returns its id. With ``language``
    (ru, zh_Hans) its buyer and colour are the demo seed's in that language: a screenshot shows the shop's world."""
    from example_app.models import Product
    from example_app.seed import buyer_details
    from example_app.seed_data import words

    from flask_order_admin.models import Order, OrderItem

    def make(status: str = "processing", *, lines: int = 2, customer_ref: str = "browser-buyer",
             provider: str = "taobao", titles: list[str] | None = None, buyer_name: str | None = None,
             buyer_email: str = "zhou.min@example.com", language: str | None = None) -> int:
        products = db_session.scalars(
            select(Product).where(Product.provider == provider, Product.sold_until.is_(None)).limit(lines)
        ).all()
        if language is None:
            name, phone, address, color = "Zhou Min 周敏", "+86 139 1234 5678", "Flat 3, 88 Huaihai Rd, Shanghai 200031", "Black"
        else:
            name, buyer_email, phone, address = buyer_details(random.Random(customer_ref), words(language), 1)
            color = words(language).colors["黑色"]
        order = Order(status=status, provider=provider, customer_ref=customer_ref, buyer_name=buyer_name or name,
                      buyer_email=buyer_email, buyer_phone=phone, buyer_address=address)
        for n, product in enumerate(products):
            title = product.title if language is None else translated_title(product.title, language)
            order.items.append(OrderItem(
                provider_item_id=product.sku, title=(titles or [])[n] if titles and n < len(titles) else title,
                url=product.url, photo_url=product.photo_url, color=color, size="L", color_cn="黑色",
                size_cn="大码", quantity=n + 1, price=product.price + Decimal("3.00"),
                discount_price=product.discount_price, china_delivery=product.china_delivery,
            ))
        db_session.add(order)
        db_session.commit()
        return order.id

    return make


def translated_title(title: str, language: str) -> str:
    """A title of the (English) browser shop's catalog as the demo in ``language`` writes it: the marketplace's
    Chinese, then the shop's translation in that language (none in Chinese)."""
    from example_app.seed_data import KINDS, words

    for kind in KINDS:
        english = f"{kind.title_cn} {kind.titles['en']}"
        if title.endswith(english):
            return words(language).title(title.removesuffix(english), kind)
    return title


@pytest.fixture
def order_status(db_session: Any) -> Callable[[int], str]:
    from flask_order_admin.models import Order

    def status(order_id: int) -> str:
        db_session.expire_all()
        value = db_session.get(Order, order_id).status
        db_session.rollback()
        return str(value)

    return status


# -- the legacy shop: its own tables, mounted with OrderModels, its back office at /backoffice -------------

SHOP_NUMBERS = itertools.count(1)  # numbers of the orders the tests add (the seed's stop at SH-26-…)


@pytest.fixture(scope="session")
def legacy_shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The legacy shop on a temp SQLite file, its own tables seeded before anything of the panel ran."""
    from example_app.legacy import create_app
    from example_app.legacy.models import db
    from example_app.legacy.seed import seed_shop

    database = tmp_path_factory.mktemp("legacy") / "legacy.sqlite"
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "DEMO_ADMIN_PASSWORD": PASSWORD,
        "SECRET_KEY": "legacy-browser-tests",
    })
    with app.app_context():
        seed_shop(db.session, orders=300)
    yield app


@pytest.fixture(scope="session")
def legacy_url(legacy_shop: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, legacy_shop, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="order-admin-legacy-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def log_in_to_the_back_office(page: Any, legacy_url: str) -> None:
    page.goto(f"{legacy_url}/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{legacy_url}/backoffice/**")


@pytest.fixture(scope="session")
def legacy_login_state(browser: Any, legacy_url: str) -> dict[str, Any]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    log_in_to_the_back_office(page, legacy_url)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def legacy_page(browser: Any, legacy_url: str, legacy_login_state: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(viewport=VIEWPORT, storage_state=legacy_login_state, accept_downloads=True)
    context.set_default_timeout(10_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()


@pytest.fixture
def legacy_session(legacy_shop: Any) -> Iterator[Any]:
    from example_app.legacy.models import db

    with legacy_shop.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture
def shop_order(legacy_session: Any) -> Callable[..., Any]:
    """An order in the shop's own tables, as the shop's code writes it: its lines are catalog items (so Restore
    can price them); returns the ``ShopOrder``'s id and number."""
    from example_app.legacy.models import ShopCustomer, ShopOrder, ShopOrderLine, ShopProduct
    from example_app.legacy.order_models import STATUS_CODES

    from flask_order_admin.domain import OrderStatus

    def make(status: str = "processing", *, lines: int = 2, customer: str = "C-9001") -> tuple[int, str]:
        products = legacy_session.scalars(select(ShopProduct).where(ShopProduct.withdrawn_at.is_(None)).limit(lines))
        number = f"SH-27-{next(SHOP_NUMBERS):05d}"
        order = ShopOrder(
            number=number, state=STATUS_CODES[OrderStatus(status)], channel="taobao",
            customer=ShopCustomer(code=customer, full_name="Zhou Min 周敏", email="zhou.min@example.com",
                                  phone="+86 139 1234 5678", address="Flat 3, 88 Huaihai Rd, Shanghai"),
        )
        for n, product in enumerate(products):
            order.lines.append(ShopOrderLine(
                sku=product.sku, name=product.name, link="https://item.taobao.com/item.htm?id=1", picture=None,
                colour="Black", size="L", colour_zh="黑色", size_zh="大码", qty=n + 1,
                unit_price=product.unit_price + Decimal("3.00"), sale_price=product.sale_price,
                cn_shipping=product.cn_shipping,
            ))
        legacy_session.add(order)
        legacy_session.commit()
        return order.id, number

    return make


@pytest.fixture
def shop_state(legacy_session: Any) -> Callable[[int], int]:
    """The status code the shop's own row holds now."""
    from example_app.legacy.models import ShopOrder

    def state(order_id: int) -> int:
        legacy_session.expire_all()
        value = legacy_session.get(ShopOrder, order_id).state
        legacy_session.rollback()
        return value

    return state
