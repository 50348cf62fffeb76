"""The 15 columns of the export (docs/design.md, "Export file"), in the order the purchasing agent expects them."""

from __future__ import annotations

from enum import IntEnum

from ..domain.messages import N_, NC_, Message
from ..i18n import translate

# Item prices are stored in yuan (docs/design.md, "Orders and their data"), so every money header carries the yuan sign.
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


# In the manager's language, but for the two columns the Chinese supplier reads, titled in Chinese in every file.
HEADER_TEXTS: tuple[Message | str, ...] = (
    N_("Customer full name"),
    N_("Customer address"),
    N_("Order number"),
    N_("Item (link to Taobao)"),
    N_("Color"),
    NC_("clothing size", "Size"),
    "颜色分类",
    "尺码",
    N_("Item photo (link)"),
    N_("Quantity"),
    N_("Item price, %(currency)s", currency=CURRENCY_SIGN),
    N_("Discount price, %(currency)s", currency=CURRENCY_SIGN),
    N_("China delivery per unit, %(currency)s", currency=CURRENCY_SIGN),
    N_("Total China delivery cost for all items, %(currency)s", currency=CURRENCY_SIGN),
    N_("Total price, %(currency)s", currency=CURRENCY_SIGN),
)

assert len(HEADER_TEXTS) == len(Col)

# The English headers (a file written outside a request, with no locale of its own).
HEADERS: tuple[str, ...] = tuple(str(text) for text in HEADER_TEXTS)


def headers() -> tuple[str, ...]:
    """The header row in the current locale."""
    return tuple(translate(text) for text in HEADER_TEXTS)
