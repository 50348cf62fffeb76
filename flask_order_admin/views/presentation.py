"""How order data reads on screen: numbers, money, dates (``formats``), status badges, safe links."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ..domain import OrderStatus
from ..settings import Settings
from . import formats
from .redirects import local_path

# Bootstrap 4 badge colour per status: waiting for the buyer (yellow), in progress (blue),
# done (green), out of play (gray/dark).
STATUS_BADGES = {
    OrderStatus.AWAITING_PAYMENT: "warning",
    OrderStatus.AWAITING_ADDITIONAL_PAYMENT: "warning",
    OrderStatus.PROCESSING: "primary",
    OrderStatus.ADDITIONAL_ORDER: "info",
    OrderStatus.PROCESSING_AT_WAREHOUSE: "info",
    OrderStatus.AWAITING_PACKING_CONFIRMATION: "info",
    OrderStatus.READY_FOR_PACKING: "info",
    OrderStatus.READY_TO_SHIP: "primary",
    OrderStatus.SHIPPED: "primary",
    OrderStatus.COMPLETED: "success",
    OrderStatus.CANCELED: "secondary",
    OrderStatus.MERGED: "dark",
}


def http_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link or a path on this site; marketplace data may hold anything,
    e.g. ``javascript:``, and only these are rendered as links or images."""
    if not url:
        return None
    url = url.strip()
    if urlsplit(url).scheme.lower() in ("http", "https") or local_path(url):
        return url
    return None


class Presenter:
    """Passed to every template as ``oa``. ``numbers``: the numbers of the orders the page links to, by id
    (a shop's own numbers are looked up by the view; numbers made from the id need no lookup)."""

    def __init__(self, settings: Settings, numbers: Mapping[int, str] | None = None) -> None:
        self.settings = settings
        self.numbers = numbers or {}

    def number(self, order_id: int | None) -> str:
        if order_id is None:
            return ""
        return self.numbers.get(order_id) or self.settings.number_format.format(order_id)

    def money(self, value: Decimal | int | str | None, currency: str | None = None) -> str:
        """An amount in ``currency`` (an order's own), else in ``ORDER_ADMIN_CURRENCY``."""
        return formats.money(value, currency or self.settings.currency)

    def amount(self, value: int | Decimal) -> str:
        return formats.amount(value)

    def when(self, value: datetime | None) -> str:
        return formats.date_time(value)

    def status_label(self, code: str | None, raw: Any = None) -> str:
        """The label of a status (or of its code, as events keep it); ``raw``: the stored value of a
        status the shop's mapping does not know."""
        if not code:
            return "" if raw is None else f"unknown status {raw}"
        try:
            return OrderStatus.parse(code).label
        except ValueError:
            return code

    def status_badge(self, code: str | None) -> str:
        try:
            return STATUS_BADGES[OrderStatus.parse(code)]
        except ValueError:
            return "light"

    def order_status_label(self, order: Any) -> str:
        return self.status_label(order.status, order.raw_status)

    def provider_label(self, code: str) -> str:
        return self.settings.provider_label(code)

    http_url = staticmethod(http_url)
