"""The 15 columns of the export (SPEC §5), in the order the purchasing agent expects them."""

from __future__ import annotations

from enum import IntEnum

# Item prices are stored in yuan (SPEC §2), so every money header carries the yuan sign.
CURRENCY_SIGN = "¥"


class Col(IntEnum):
    CUSTOMER_NAME = 0
    CUSTOMER_ADDRESS = 1
    ORDER_NUMBER = 2
    ITEM = 3
    COLOR = 4
    SIZE = 5
    COLOR_CN = 6
    SIZE_CN = 7
    PHOTO = 8
    QUANTITY = 9
    PRICE = 10
    DISCOUNT_PRICE = 11
    CHINA_DELIVERY = 12
    CHINA_DELIVERY_TOTAL = 13
    TOTAL_PRICE = 14


HEADERS: tuple[str, ...] = (
    "Customer full name",
    "Customer address",
    "Order number",
    "Item (link to Taobao)",
    "Color",
    "Size",
    "颜色分类",
    "尺码",
    "Item photo (link)",
    "Quantity",
    f"Item price, {CURRENCY_SIGN}",
    f"Discount price, {CURRENCY_SIGN}",
    f"China delivery per unit, {CURRENCY_SIGN}",
    f"Total China delivery cost for all items, {CURRENCY_SIGN}",
    f"Total price, {CURRENCY_SIGN}",
)

assert len(HEADERS) == len(Col)
