"""The price resolver Restore calls: today's price of an item, read from the shop's catalog."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from flask_order_admin.models import OrderItem
from flask_order_admin.pricing import Price

from .models import Product, db


def catalog_price(item: OrderItem, at: datetime) -> Price | None:
    """``ORDER_ADMIN_PRICE_RESOLVER``: the catalog price of ``item`` at ``at``; None once it is no longer sold."""
    if not item.provider_item_id:
        return None
    # Restore calls this in a worker thread with its own app context, hence its own session.
    product = db.session.scalar(select(Product).where(Product.sku == item.provider_item_id))
    if product is None or not product.is_sold_at(at):
        return None
    return Price(product.price, product.discount_price, product.china_delivery)
