"""The "By items" list tab: one row per order line, with its order's number and status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_admin.babel import gettext, lazy_gettext
from markupsafe import Markup
from sqlalchemy import select

from ..extension import OrderAdminState
from ..models import Order, OrderItem
from ..services.transaction import id_from_text
from .base import OrderAdminView, OrderListView
from .listing import both_languages, order_filters, order_link, status_badge
from .presentation import Presenter, http_url


def _order_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> Any:
    return order_link(view.settings, item.order_id, context.get("return_url"))


def _photo_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> Any:
    url = http_url(item.photo_url)
    if url is None:
        return ""
    return Markup('<img src="{}" alt="" class="order-admin-thumb" loading="lazy">').format(url)


def _title_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> Any:
    url = http_url(item.url)
    if url is None:
        return item.title
    return Markup('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>').format(url, item.title)


def _color_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> str:
    return both_languages(item.color, item.color_cn)


def _size_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> str:
    return both_languages(item.size, item.size_cn)


def _price_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> str:
    return Presenter(view.settings).money(item.totals.unit_price)


def _line_total_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> str:
    return Presenter(view.settings).money(item.totals.total)


def _order_status_cell(view: OrderAdminView, context: Any, item: OrderItem, name: str) -> Any:
    return status_badge(Presenter(view.settings), context["order_statuses"].get(item.order_id))


class ItemsView(OrderListView):
    list_tab = "items"
    column_display_actions = False
    column_list = ["order_id", "photo_url", "title", "color", "size", "quantity", "price", "line_total", "status"]
    column_labels = {
        "order_id": lazy_gettext("Order"), "photo_url": lazy_gettext("Photo"), "title": lazy_gettext("Item"),
        "color": lazy_gettext("Color / 颜色分类"), "size": lazy_gettext("Size / 尺码"),
        "quantity": lazy_gettext("Quantity"), "price": lazy_gettext("Price"),
        "line_total": lazy_gettext("Line total"), "status": lazy_gettext("Order status"),
    }
    column_sortable_list = [("order_id", OrderItem.order_id), "title", "quantity", "price"]
    column_default_sort = ("id", True)
    column_formatters = {
        "order_id": _order_cell, "photo_url": _photo_cell, "title": _title_cell, "color": _color_cell,
        "size": _size_cell, "price": _price_cell, "line_total": _line_total_cell, "status": _order_status_cell,
    }
    column_descriptions = {"price": lazy_gettext("Unit price charged: the discount price where there is one.")}

    def __init__(self, state: OrderAdminState) -> None:
        settings = state.settings
        self.column_filters = order_filters(settings, path="order.")
        super().__init__(
            OrderItem, state, name=settings.menu_name, endpoint=f"{settings.endpoint_prefix}_items",
            url=f"{settings.url}/items",
        )

    def is_visible(self) -> bool:
        return False  # reached through the "By items" tab of the orders list, not its own menu entry

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute:
            order_ids = {item.order_id for item in rows}
            statuses = self.state.session.execute(
                select(Order.id, Order.status).where(Order.id.in_(order_ids))
            ).all() if order_ids else []
            self._template_args["order_statuses"] = dict(statuses)
        return count, rows

    def order_ids_of(self, row_ids: list[str]) -> list[int]:
        # Ids past BIGINT would reach the driver and fail there: they can name no line anyway.
        item_ids = [item_id for item_id in map(id_from_text, row_ids) if item_id is not None]
        return list(self.state.session.scalars(
            select(OrderItem.order_id).where(OrderItem.id.in_(item_ids)).distinct()
        ))

    def selection_description(self, order_ids: Sequence[int]) -> str:
        return gettext("The orders of the selected lines (%(count)s orders)", count=len(order_ids))

    def matching_order_ids(self) -> list[int]:
        return [order_id for (order_id,) in self.matching_query().with_entities(OrderItem.order_id).distinct()]
