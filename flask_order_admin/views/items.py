"""The "By items" list tab: one row per order line, with its order's number and status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Select, func

from ..store import OrderStore
from ..panel import OrderPanel
from ..domain.messages import N_, NC_, NP_, Message
from ..i18n import lazy_beside_chinese, lazy_gettext, lazy_translate
from ..store.records import LineRecord, OrderRecord, order_records
from ..services.list_rows import column_select, column_values
from ..services.transaction import id_from_text
from .base import OrderAdminView
from .flask_admin_internals import template_args
from .list_view import OrderListView
from .listing import both_languages, order_filters, sort_target


def _line(view: OrderAdminView, context: Any, item: Any) -> LineRecord:
    return cast("LineRecord", context["line_records"][view.binding.line_id(item)])


def _order(view: OrderAdminView, context: Any, item: Any) -> OrderRecord:
    return cast("OrderRecord", context["line_orders"][_line(view, context, item).order_id])


def _order_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> Any:
    order = _order(view, context, item)
    return context["oa"].order_link(order.id, order.number)


def _photo_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> Any:
    return context["oa"].item_photo(_line(view, context, item))


def _title_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> Any:
    return context["oa"].item_link(_line(view, context, item))


def _color_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> str:
    line = _line(view, context, item)
    return both_languages(line.color, line.color_cn)


def _size_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> str:
    line = _line(view, context, item)
    return both_languages(line.size, line.size_cn)


def _quantity_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> str:
    return cast("str", context["oa"].amount(_line(view, context, item).quantity))


def _price_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> str:
    price = _line(view, context, item).totals.unit_price
    return cast("str", context["oa"].money(price, _order(view, context, item).currency))


def _line_total_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> str:
    total = _line(view, context, item).totals.total
    return cast("str", context["oa"].money(total, _order(view, context, item).currency))


def _order_status_cell(view: OrderAdminView, context: Any, item: Any, name: str) -> Any:
    return context["oa"].status_badge(_order(view, context, item))


def unit_price_sort(binding: OrderStore) -> Any:
    """What the Price column sorts by: the price it shows, the discount price where there is one
    (``COALESCE(discount_price, price)``); None (not sortable) where a price is read through a relationship."""
    price, discount = binding.line_field("price"), binding.line_field("discount_price")
    if not price.is_direct:
        return None
    if discount.is_direct:
        return func.coalesce(discount.attribute, price.attribute)
    return price.attribute if discount.is_constant and discount.constant is None else None


class ItemsView(OrderListView):
    list_tab = "items"
    column_display_actions = False
    column_list = ["order_id", "photo_url", "title", "color", "size", "quantity", "price", "line_total", "status"]
    numeric_columns = ("quantity", "price", "line_total")
    column_labels = {
        "order_id": lazy_gettext("Order"), "photo_url": lazy_gettext("Photo"), "title": lazy_gettext("Item"),
        "color": lazy_beside_chinese(N_("Color"), "颜色分类"),
        "size": lazy_beside_chinese(NC_("clothing size", "Size"), "尺码"),
        "quantity": lazy_gettext("Quantity"), "price": lazy_gettext("Price"),
        "line_total": lazy_gettext("Line total"), "status": lazy_gettext("Order status"),
    }
    column_formatters = {
        "order_id": _order_cell, "photo_url": _photo_cell, "title": _title_cell, "color": _color_cell,
        "size": _size_cell, "quantity": _quantity_cell, "price": _price_cell, "line_total": _line_total_cell,
        "status": _order_status_cell,
    }
    column_descriptions = {"price": lazy_gettext("Unit price charged: the discount price where there is one.")}

    def __init__(self, state: OrderPanel) -> None:
        settings, binding = state.settings, state.store
        self.column_filters = order_filters(settings, binding, lines=True)
        sortable = [("order_id", binding.line_order_id)]
        for name in ("title", "quantity"):
            target = sort_target(binding, binding.line, binding.line_field(name))
            if target is not None:
                sortable.append((name, target))
        price = unit_price_sort(binding)
        if price is not None:
            sortable.append(("price", price))
        self.column_sortable_list = sortable
        self.column_default_sort = (binding.line_pk_key, True)
        super().__init__(
            binding.line, state, name=lazy_translate(settings.menu_name), endpoint=f"{settings.endpoint_prefix}_items",
            url=f"{settings.url}/items",
        )

    def is_visible(self) -> bool:
        return False  # reached through the "By items" tab of the orders list, not its own menu entry

    def get_query(self) -> Any:
        return super().get_query().options(*self.binding.line_load_options())

    def get_list(self, page: Any, sort_column: Any, sort_desc: Any, search: Any, filters: Any,
                 execute: bool = True, page_size: Any = None) -> Any:
        count, rows = super().get_list(page, sort_column, sort_desc, search, filters, execute, page_size)
        if execute:
            binding, session = self.binding, self.state.session
            lines = [LineRecord(binding, item) for item in rows]
            orders = binding.orders_by_id(session, sorted({line.order_id for line in lines}))
            template_args(self)["line_records"] = {line.id: line for line in lines}
            template_args(self)["line_orders"] = {
                record.id: record for record in order_records(session, binding, orders, self.settings.number_format)
            }
        return count, rows

    def order_ids_of(self, row_ids: Sequence[str]) -> list[int]:
        # Ids past BIGINT would reach the driver and fail there: they can name no line anyway.
        item_ids = [item_id for item_id in map(id_from_text, row_ids) if item_id is not None]
        return self.binding.order_ids_of_lines(self.state.session, item_ids)

    def selection_description(self, order_ids: Sequence[int]) -> Message:
        return NP_("The orders of the selected lines (%(num)s order)",
                   "The orders of the selected lines (%(num)s orders)", len(order_ids))

    def matching_order_ids(self, limit: int | None = None) -> list[int]:
        return column_values(self.matching_query(), self.binding.line_order_id, limit, distinct=True)

    def matching_ids_select(self) -> Select[Any]:
        return column_select(self.matching_query(), self.binding.line_order_id)
