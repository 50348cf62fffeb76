"""seed-demo fills a believable shop, and the catalog resolver makes Restore really reprice."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from example_app.catalog import catalog_price
from example_app.models import Product, db
from example_app.seed import seed_demo
from flask_order_admin import services
from flask_order_admin.domain import OrderStatus
from flask_order_admin.errors import PriceResolutionFailed
from flask_order_admin.models import Order, OrderEvent, OrderItem, utcnow
from flask_order_admin.pricing import Price

from .conftest import PASSWORD, log_in, seed

ORDERS = 60


def test_seed_demo_covers_every_status_and_provider(make_shop: Any, shop_database: str | None) -> None:
    app = make_shop(shop_database)
    result = seed(app, "--orders", str(ORDERS))
    assert "Seeded 60 orders" in result.output
    with app.app_context():
        statuses = set(db.session.scalars(select(Order.status).distinct()))
        providers = set(db.session.scalars(select(Order.provider).distinct()))
        assert statuses == set(OrderStatus)
        assert providers == {"taobao", "stock"}
        merged = db.session.scalars(select(Order).where(Order.status == OrderStatus.MERGED)).all()
        assert merged and all(o.merged_into_id and not o.items for o in merged)
        assert db.session.scalar(select(func.count()).select_from(OrderEvent)) > 0
        assert db.session.scalar(select(func.count()).where(OrderItem.color_cn.is_not(None))) > 0
        names = db.session.scalars(select(Order.buyer_name)).all()
        assert any(n.isascii() for n in names) and any(not n.isascii() for n in names)  # Latin and Chinese


def test_seed_demo_if_empty_and_refusal(make_shop: Any) -> None:
    app = make_shop()
    seed(app, "--orders", str(ORDERS))
    again = seed(app, "--if-empty")
    assert "nothing seeded" in again.output
    refused = app.test_cli_runner().invoke(args=["seed-demo", "--orders", str(ORDERS)])
    assert refused.exit_code != 0 and "already has 60 orders" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == ORDERS


def _content(app: Any) -> list[tuple[Any, ...]]:
    with app.app_context():
        rows = db.session.execute(
            select(Order.status, Order.buyer_name, OrderItem.title, OrderItem.quantity, OrderItem.price)
            .join(OrderItem, OrderItem.order_id == Order.id).order_by(OrderItem.id)
        ).all()
        return [tuple(r) for r in rows]


def test_seed_is_deterministic(make_shop: Any) -> None:
    first, second = make_shop(), make_shop()
    seed(first, "--orders", str(ORDERS), "--seed", "7")
    seed(second, "--orders", str(ORDERS), "--seed", "7")
    assert _content(first) == _content(second)


@pytest.fixture
def seeded(make_shop: Any, shop_database: str | None) -> Any:
    app = make_shop(shop_database)
    with app.app_context():
        summary = seed_demo(db.session, orders=ORDERS)
        db.session.remove()
        yield app, summary


def test_resolver_prices_sold_products_and_refuses_withdrawn_ones(seeded: Any) -> None:
    _, summary = seeded
    withdrawn = db.session.scalar(select(Product).where(Product.sold_until.is_not(None)))
    sold = db.session.scalar(select(Product).where(Product.sold_until.is_(None)))
    now = utcnow()
    price = catalog_price(OrderItem(provider_item_id=sold.sku), now)
    assert price == Price(sold.price, sold.discount_price, sold.china_delivery)
    assert catalog_price(OrderItem(provider_item_id=withdrawn.sku), now) is None
    # Before its withdrawal date the product was still sold.
    assert catalog_price(OrderItem(provider_item_id=withdrawn.sku), withdrawn.sold_until - timedelta(days=1))
    assert catalog_price(OrderItem(provider_item_id="tb-0"), now) is None


def test_restore_of_a_seeded_canceled_order_reprices_it(seeded: Any) -> None:
    _, summary = seeded
    order_id = summary.repriced_on_restore[0]
    before = {i.id: i.price for i in db.session.get(Order, order_id).items}
    db.session.rollback()
    order = services.restore(db.session, order_id, actor="test")
    assert order.status == OrderStatus.AWAITING_PAYMENT
    event = db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order_id, OrderEvent.action == "restore")
    ).one()
    assert len(event.details["price_changes"]) == len(before)
    catalog = {p.sku: p.price for p in db.session.scalars(select(Product))}
    for item in db.session.get(Order, order_id).items:
        assert item.price == catalog[item.provider_item_id] != before[item.id]


def test_restore_is_refused_when_an_item_is_no_longer_sold(seeded: Any) -> None:
    _, summary = seeded
    with pytest.raises(PriceResolutionFailed, match="no longer sold"):
        services.restore(db.session, summary.withdrawn[0], actor="test")
    assert db.session.get(Order, summary.withdrawn[0]).status == OrderStatus.CANCELED


def test_seeded_merge_pairs_can_be_merged(seeded: Any) -> None:
    _, summary = seeded
    for added, basic in summary.merge_pairs:
        assert basic in {o.id for o in services.merge_candidates(db.session, added)}
    added, basic = summary.merge_pairs[0]
    services.merge(db.session, added, basic, actor="test")
    assert db.session.get(Order, added).status == OrderStatus.MERGED


CYRILLIC = re.compile(r"[А-Яа-яЁё]")
LATIN = re.compile(r"[A-Za-z]")


def _is_chinese(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _seeded_rows(app: Any) -> tuple[list[Order], list[OrderItem], list[str]]:
    with app.app_context():
        orders = db.session.scalars(select(Order)).all()
        items = db.session.scalars(select(OrderItem)).all()
        notes = [text for details in db.session.scalars(select(OrderEvent.details))
                 for text in ((details or {}).get("text"), (details or {}).get("reason")) if text]
        db.session.expunge_all()
        return orders, items, notes


def test_a_russian_demo_writes_the_shop_in_russian_and_the_marketplace_in_chinese(make_shop, shop_database):
    app = make_shop(shop_database, DEMO_LANGUAGE="ru")
    seed(app, "--orders", str(ORDERS))  # the language comes from DEMO_LANGUAGE
    orders, items, notes = _seeded_rows(app)
    assert all(CYRILLIC.search(o.buyer_name) and not LATIN.search(o.buyer_name) for o in orders)
    assert all(re.fullmatch(r"\+7 9\d\d \d{3}-\d\d-\d\d", o.buyer_phone) for o in orders)
    assert all(re.match(r"\d{6}, г\. [А-Яа-яЁё-]+, ", o.buyer_address) for o in orders)
    assert all(CYRILLIC.search(i.color) for i in items)  # the shop's colour in its language
    assert all(_is_chinese(i.color_cn) for i in items)  # the marketplace's 颜色分类 as it is
    assert all(i.size_cn is None or "码" in i.size_cn for i in items)
    assert any(i.size == "Единый размер" for i in items) and not any(i.size == "One size" for i in items)
    assert all(re.search(r"[\u4e00-\u9fff]", i.title) and CYRILLIC.search(i.title) for i in items)  # 中文 + перевод
    assert notes and all(CYRILLIC.search(n) and not LATIN.search(n) for n in notes)  # comments, cancel reasons


def test_a_chinese_demo_is_chinese_throughout(make_shop, shop_database):
    app = make_shop(shop_database)
    seed(app, "--orders", str(ORDERS), "--language", "zh_Hans")
    orders, items, notes = _seeded_rows(app)
    assert all(_is_chinese(o.buyer_name) for o in orders)
    assert all(re.fullmatch(r"\+86 1\d\d \d{4} \d{4}", o.buyer_phone) for o in orders)
    assert all(re.fullmatch(r"\w+[市区路道]\w*\d+号 \d+楼", o.buyer_address) for o in orders)
    assert all(i.color == i.color_cn and _is_chinese(i.color) for i in items)
    assert all(not LATIN.search(i.title.replace("ins风", "")) and not CYRILLIC.search(i.title) for i in items)
    assert notes and all(not LATIN.search(n) and not CYRILLIC.search(n) for n in notes)


def test_an_english_demo_keeps_its_mix_of_buyers(make_shop):
    app = make_shop()
    seed(app, "--orders", str(ORDERS), "--language", "en")
    orders, items, _ = _seeded_rows(app)
    phones = {o.buyer_phone.split()[0] for o in orders}
    assert phones == {"+7", "+86"} and {i.color for i in items} & {"Black", "White", "Red", "Green", "Grey"}
    assert all(_is_chinese(i.color_cn) for i in items)


def _search(client: Any, text: str) -> set[int]:
    """The ids of the orders the panel's search box finds for ``text``: the one it opens, or those it lists."""
    response = client.get("/admin/orders/search/", query_string={"q": text})
    if response.status_code == 302:
        return {int(re.search(r"[?&]id=(\d+)", response.location).group(1))}
    assert response.status_code == 200, text
    return {int(i) for i in re.findall(r"/admin/orders/details/\?id=(\d+)", response.get_data(as_text=True))}


@pytest.mark.parametrize("language", ["ru", "zh_Hans"])
def test_the_search_box_finds_seeded_orders_by_name_and_phone(make_shop, shop_database, language):
    app = make_shop(shop_database, DEMO_LANGUAGE=language)
    seed(app, "--orders", str(ORDERS))
    client = app.test_client()
    log_in(client, PASSWORD)
    with app.app_context():
        order = db.session.scalars(select(Order).where(Order.status != OrderStatus.MERGED).order_by(Order.id)).first()
        name, phone = order.buyer_name, order.buyer_phone
        by_name = set(db.session.scalars(select(Order.id).where(Order.buyer_name == name)))
        by_phone = set(db.session.scalars(select(Order.id).where(Order.buyer_phone == phone)))
    assert order.id in by_name
    assert _search(client, name) >= by_name
    assert _search(client, name.upper()) >= by_name  # Cyrillic case folds: АННА ПЕТРОВА finds Анна Петрова
    assert _search(client, name[:2]) >= by_name  # the start of a name
    assert _search(client, phone) == by_phone  # as written: +7 992 516-58-74
    assert _search(client, re.sub(r"\D", "", phone)) == by_phone  # digits only
    assert _search(client, phone[-9:]) >= by_phone  # its last digits
