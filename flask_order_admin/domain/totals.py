"""Line and order totals, in Decimal (docs/design.md, "Totals").

unit price = discount price if set, else item price; line goods = unit price ×
quantity; line China delivery = delivery per unit × quantity; line total = goods
+ China delivery; order total = Σ line totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money(value: Decimal | int | str | None) -> Decimal:
    if value is None:
        return ZERO
    return Decimal(value).quantize(CENT)


@dataclass(frozen=True)
class LineTotals:
    quantity: int
    unit_price: Decimal
    goods: Decimal  # at the unit price actually charged
    goods_before_discount: Decimal
    discount: Decimal
    china_delivery: Decimal
    total: Decimal


def line_totals(
    quantity: int, price: Decimal | None, discount_price: Decimal | None, china_delivery: Decimal | None
) -> LineTotals:
    item_price = money(price)
    unit = money(discount_price) if discount_price is not None else item_price
    goods = unit * quantity
    before = item_price * quantity
    delivery = money(china_delivery) * quantity
    return LineTotals(
        quantity=quantity,
        unit_price=unit,
        goods=goods,
        goods_before_discount=before,
        discount=before - goods,
        china_delivery=delivery,
        total=goods + delivery,
    )


@dataclass(frozen=True)
class OrderTotals:
    lines: int
    quantity: int
    goods: Decimal
    goods_before_discount: Decimal
    discount: Decimal
    china_delivery: Decimal
    total: Decimal


def order_totals(lines: Iterable[LineTotals]) -> OrderTotals:
    count = quantity = 0
    goods = before = discount = delivery = total = ZERO
    for line in lines:
        count += 1
        quantity += line.quantity
        goods += line.goods
        before += line.goods_before_discount
        discount += line.discount
        delivery += line.china_delivery
        total += line.total
    return OrderTotals(count, quantity, goods, before, discount, delivery, total)
