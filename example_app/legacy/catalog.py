"""Restore's price resolver: today's price of a line, from the shop's catalog (by ``sku``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from flask_order_admin.pricing import Price

from .models import ShopOrderLine, ShopProduct, db


def catalog_price(line: ShopOrderLine, at: datetime) -> Price | None:
    """``ORDER_ADMIN_PRICE_RESOLVER``: the resolver gets the shop's own line object. None: no longer sold."""
    if not line.sku:
        return None
    product = db.session.scalar(select(ShopProduct).where(ShopProduct.sku == line.sku))
    if product is None or (product.withdrawn_at is not None and product.withdrawn_at <= at):
        return None
    return Price(product.unit_price, product.sale_price, product.cn_shipping)
