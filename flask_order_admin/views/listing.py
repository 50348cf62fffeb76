"""What the two list tabs share: filters, cell formatters and per-page totals.

Totals of the rows on a page come from one query over the page's order ids, so
a list page makes the same number of statements whatever its rows hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import url_for
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla import filters as sqla_filters
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import OrderStatus, OrderTotals, line_totals, order_totals
from ..domain.merge import normalize_email
from ..models import OrderItem
from ..settings import Settings
from .presentation import Presenter


class CreatedBetweenFilter(sqla_filters.DateBetweenFilter):
    """Created from the first day to the last day inclusive (the column holds date and time)."""

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= start, column < end + timedelta(days=1))


class BuyerEmailFilter(sqla_filters.FilterEqual):
    """Equal email ignoring case, by the lower-cased key column (an index lookup)."""

    def clean(self, value: str) -> str:
        return normalize_email(value)


class CustomerFilter(sqla_filters.FilterEqual):
    """The host's customer reference; the order page links the buyer's other orders through it."""


def order_filters(settings: Settings, path: str = "") -> list[sqla_filters.BaseSQLAFilter]:
    """New filter instances for one view (Flask-Admin binds each to its view's model).

    ``path`` leads from the view's model to the order: "" for orders, "order." for items.
    """
    return [
        sqla_filters.FilterEqual(
            f"{path}status", lazy_gettext("Status"), options=[(s.value, s.label) for s in OrderStatus]
        ),
        sqla_filters.FilterEqual(f"{path}provider", lazy_gettext("Provider"), options=list(settings.providers.items())),
        CreatedBetweenFilter(f"{path}created_at", lazy_gettext("Date")),
        sqla_filters.FilterLike(f"{path}buyer_name", lazy_gettext("Buyer")),
        BuyerEmailFilter(f"{path}buyer_email_key", lazy_gettext("Buyer email")),
        CustomerFilter(f"{path}customer_ref", lazy_gettext("Customer")),
    ]


def page_totals(session: Session, order_ids: Iterable[int]) -> dict[int, OrderTotals]:
    """Totals of each order in ``order_ids``, from one query over their items."""
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(OrderItem.order_id, OrderItem.quantity, OrderItem.price, OrderItem.discount_price,
               OrderItem.china_delivery).where(OrderItem.order_id.in_(ids))
    ).all()
    lines: dict[int, list[Any]] = {order_id: [] for order_id in ids}
    for order_id, quantity, price, discount_price, china_delivery in rows:
        lines[order_id].append(line_totals(quantity or 0, price, discount_price, china_delivery))
    return {order_id: order_totals(order_lines) for order_id, order_lines in lines.items()}


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
