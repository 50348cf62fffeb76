"""What the two list tabs share: filters, cell formatters and per-page totals.

Totals of the rows on a page come from one aggregate over the page's order ids
(``page_totals``, i.e. ``services.item_sums_by_order``: GROUP BY order_id), so a
list page makes the same number of statements, and reads no item row, whatever
its orders hold.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import url_for
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import filters as sqla_filters
from markupsafe import Markup

from ..domain import OrderStatus
from ..domain.merge import normalize_email
from ..services.totals_query import item_sums_by_order as page_totals  # noqa: F401  (the list and merge views)
from ..settings import Settings
from .presentation import Presenter


class TextValue:
    """Mixed into every list filter: a value holding NUL is refused (Flask-Admin then flashes "Invalid
    Filter Value" and leaves the filter out). PostgreSQL text cannot hold NUL: psycopg raises."""

    def validate(self, value: str) -> bool:
        return "\x00" not in value and super().validate(value)  # type: ignore[misc]


class OptionFilter(TextValue, sqla_filters.FilterEqual):
    """Equal to one of the filter's options (the dropdown's); any other value is refused, not queried:
    the status column cannot even bind an unknown status."""

    def clean(self, value: str) -> str:
        if value not in dict(self.get_options(None) or ()):
            raise ValueError(value)
        return value


class CreatedBetweenFilter(TextValue, sqla_filters.DateBetweenFilter):
    """Created from the first day to the last day inclusive (the column holds date and time)."""

    def validate(self, value: str) -> bool:
        # The end is read as "before the next day", and 9999-12-31 has none.
        return super().validate(value) and self.clean(value)[1] < date.max

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= start, column < end + timedelta(days=1))


class BuyerNameFilter(TextValue, sqla_filters.FilterLike):
    """The buyer's name contains the text."""


class BuyerEmailFilter(TextValue, sqla_filters.FilterEqual):
    """Equal email ignoring case, by the lower-cased key column (an index lookup)."""

    def clean(self, value: str) -> str:
        return normalize_email(value)


class CustomerFilter(TextValue, sqla_filters.FilterEqual):
    """The host's customer reference; the order page links the buyer's other orders through it."""


def order_filters(settings: Settings, path: str = "") -> list[sqla_filters.BaseSQLAFilter]:
    """New filter instances for one view (Flask-Admin binds each to its view's model).

    ``path`` leads from the view's model to the order: "" for orders, "order." for items.
    """
    return [
        OptionFilter(f"{path}status", lazy_gettext("Status"), options=[(s.value, s.label) for s in OrderStatus]),
        OptionFilter(f"{path}provider", lazy_gettext("Provider"), options=list(settings.providers.items())),
        CreatedBetweenFilter(f"{path}created_at", lazy_gettext("Date")),
        BuyerNameFilter(f"{path}buyer_name", lazy_gettext("Buyer")),
        BuyerEmailFilter(f"{path}buyer_email_key", lazy_gettext("Buyer email")),
        CustomerFilter(f"{path}customer_ref", lazy_gettext("Customer")),
    ]


def order_page_url(settings: Settings, order_id: int, return_url: str | None = None, **extra: Any) -> str:
    return url_for(f"{settings.endpoint_prefix}_orders.details_view", id=order_id, url=return_url, **extra)


def order_link(settings: Settings, order_id: int, return_url: str | None = None) -> Markup:
    return Markup('<a href="{}" class="text-nowrap">{}</a>').format(
        order_page_url(settings, order_id, return_url), settings.number_format.format(order_id)
    )


def status_badge(presenter: Presenter, code: str | None) -> Markup:
    return Markup('<span class="badge badge-{}">{}</span>').format(
        presenter.status_badge(code), presenter.status_label(code)
    )


def both_languages(english: str | None, chinese: str | None) -> str:
    return " / ".join(part for part in (english, chinese) if part)
