"""How order data reads on screen: numbers, money and dates (``formats``), and the one renderer of each element
the pages and the list cells share (status badge, order link, item link and photo), as ``Markup``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from flask import url_for
from markupsafe import Markup

from ..domain import OrderStatus
from ..i18n import Reader, gettext, reader, translate
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


def order_page_url(settings: Settings, order_id: int, return_url: str | None = None, **extra: Any) -> str:
    return url_for(f"{settings.endpoint_prefix}_orders.details_view", id=order_id, url=return_url, **extra)


class Presenter:
    """Passed to every template as ``oa`` (and read by the list cells from their context). ``numbers``: the
    numbers of the orders the page links to, by id (a shop's own numbers are looked up by the view; numbers
    made from the id need no lookup); ``return_url``: where the order pages it links to go back to;
    ``currency``: the currency of the page's order, that of the amounts given none."""

    def __init__(
        self, settings: Settings, numbers: Mapping[int, str] | None = None, return_url: str | None = None,
        currency: str | None = None,
    ) -> None:
        self.settings = settings
        self.numbers = numbers or {}
        self.return_url = return_url
        self.currency = currency
        self._reader: Reader | None = None
        # A list shows a few statuses and providers fifty times: each label is translated once a page.
        self._status_labels: dict[str, str] = {}
        self._provider_labels: dict[str, str] = {}

    @property
    def reader(self) -> Reader:
        """The page's locale and timezone, read the first time a cell needs them (one page, one reader)."""
        if self._reader is None:
            self._reader = reader()
        return self._reader

    def number(self, order_id: int | None) -> str:
        if order_id is None:
            return ""
        return self.numbers.get(order_id) or self.settings.number_format.format(order_id)

    def money(self, value: Decimal | int | str | None, currency: str | None = None) -> str:
        """An amount in ``currency`` (an order's own), else in the page order's, else in ``ORDER_ADMIN_CURRENCY``."""
        return formats.money(value, currency or self.currency or self.settings.currency, self.reader.locale)

    def amount(self, value: int | Decimal) -> str:
        return formats.amount(value, self.reader.locale)

    def when(self, value: datetime | None) -> str:
        return formats.date_time(value, self.reader)

    def date_picker_locale(self) -> dict[str, object]:
        return formats.date_picker_locale()

    def short_when(self, value: datetime | None) -> str:
        """A time in a list cell: the short numeric date, which fits one line."""
        return formats.short_date_time(value, self.reader)

    def status_label(self, code: str | None, raw: Any = None) -> str:
        """The label of a status (or of its code, as events keep it); ``raw``: the stored value of a
        status the shop's mapping does not know."""
        if not code:
            return "" if raw is None else gettext("unknown status %(value)s", value=raw)
        label = self._status_labels.get(code)
        if label is None:
            try:
                label = translate(OrderStatus.parse(code).label)
            except ValueError:
                label = code
            self._status_labels[code] = label
        return label

    def status_badge(self, order: Any) -> Markup:
        """An order's status badge; a stored value the shop's mapping does not know shows as it is
        ("unknown status 77")."""
        return self._badge(order.status, order.raw_status)

    def new_status_badge(self, status: OrderStatus) -> Markup:
        """The badge of the status an action would give an order (a confirm screen's "→ Awaiting payment")."""
        return self._badge(status, None)

    def _badge(self, status: OrderStatus | None, raw: Any) -> Markup:
        return Markup('<span class="badge badge-{}">{}</span>').format(
            _badge_colour(status), self.status_label(status, raw)
        )

    def order_link(self, order_id: int, number: str | None = None, *, new_tab: bool = False) -> Markup:
        """A link to an order's page (its number never wraps); ``new_tab``: opened beside the page, to check
        the order without leaving a choice half made (the merge candidates)."""
        url, shown = order_page_url(self.settings, order_id, self.return_url), number or self.number(order_id)
        if not new_tab:
            return Markup('<a href="{}" class="text-nowrap order-admin-order-link">{}</a>').format(url, shown)
        return Markup(
            '<a href="{}" class="text-nowrap order-admin-order-link" target="_blank" rel="noopener" title="{}">{} '
            '<span class="fa fa-external-link" aria-hidden="true"></span></a>'
        ).format(url, gettext("Opens in a new tab"), shown)

    def item_link(self, line: Any) -> Markup:
        """A line's title, linked to the marketplace page when its URL is a safe one."""
        url = http_url(line.url)
        if url is None:
            return Markup('<span class="order-admin-item-title">{}</span>').format(line.title or "")
        return Markup(
            '<a href="{}" target="_blank" rel="noopener noreferrer" class="order-admin-item-title">{}</a>'
        ).format(url, line.title or "")

    def item_photo(self, line: Any) -> Markup:
        """A line's photo thumbnail, linked to the full photo; nothing when its URL is not a safe one."""
        url = http_url(line.photo_url)
        if url is None:
            return Markup()
        return Markup(
            '<a href="{0}" target="_blank" rel="noopener noreferrer">'
            '<img src="{0}" alt="" class="order-admin-thumb" loading="lazy"></a>'
        ).format(url)

    def provider_label(self, code: str) -> str:
        label = self._provider_labels.get(code)
        if label is None:
            label = self._provider_labels[code] = translate(self.settings.provider_label(code))
        return label


def _badge_colour(status: OrderStatus | None) -> str:
    return STATUS_BADGES.get(status, "light") if status is not None else "light"
