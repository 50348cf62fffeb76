"""How the order panel reads the legacy shop's tables: ``OrderAdmin(app, ..., models=SHOP_ORDER_MODELS)``."""

from __future__ import annotations

from flask_order_admin import Constant, OrderModels, Through
from flask_order_admin.domain import OrderStatus as S

from .models import ShopCustomer, ShopOrder, ShopOrderLine

# The shop's own status codes. 77 ("on hold" in the shop's previous system) is in no mapping:
# the panel shows such an order as "unknown status 77" and runs no action on it.
STATUS_CODES = {
    S.AWAITING_PAYMENT: 10,
    S.AWAITING_ADDITIONAL_PAYMENT: 11,
    S.PROCESSING: 20,
    S.ADDITIONAL_ORDER: 21,
    S.PROCESSING_AT_WAREHOUSE: 30,
    S.AWAITING_PACKING_CONFIRMATION: 31,
    S.READY_FOR_PACKING: 40,
    S.READY_TO_SHIP: 41,
    S.SHIPPED: 50,
    S.COMPLETED: 60,
    S.CANCELED: 90,
    S.MERGED: 95,
}
ON_HOLD = 77

SHOP_ORDER_MODELS = OrderModels(
    order=ShopOrder,
    line=ShopOrderLine,
    order_fields={
        "number": ShopOrder.number,
        "status": ShopOrder.state,
        "provider": ShopOrder.channel,
        "customer_ref": Through(ShopOrder.customer, ShopCustomer.code),
        "buyer_name": Through(ShopOrder.customer, ShopCustomer.full_name),
        "buyer_email": Through(ShopOrder.customer, ShopCustomer.email),
        "buyer_phone": Through(ShopOrder.customer, ShopCustomer.phone),
        "buyer_address": Through(ShopOrder.customer, ShopCustomer.address),
        "created_at": ShopOrder.placed_at,
        "updated_at": ShopOrder.changed_at,
        "currency": Constant("CNY"),
    },
    line_fields={
        "order_id": ShopOrderLine.order_id,
        "provider_item_id": ShopOrderLine.sku,
        "title": ShopOrderLine.name,
        "url": ShopOrderLine.link,
        "photo_url": ShopOrderLine.picture,
        "color": ShopOrderLine.colour,
        "size": ShopOrderLine.size,
        "color_cn": ShopOrderLine.colour_zh,
        "size_cn": ShopOrderLine.size_zh,
        "quantity": ShopOrderLine.qty,
        "price": ShopOrderLine.unit_price,
        "discount_price": ShopOrderLine.sale_price,
        "china_delivery": ShopOrderLine.cn_shipping,
    },
    status_values=STATUS_CODES,
)
