"""seed-demo fills a believable shop, and the catalog resolver makes Restore really reprice."""

from __future__ import annotations

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

from .conftest import seed

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
